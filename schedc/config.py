"""Project configuration: `schedc.toml`, or a `[tool.schedc]` table in `pyproject.toml`.

The file is found by walking up from the folder that holds the paths a command is given (the
current directory when there are none; a document's own folder in the language server), as
black finds its project: in each directory `schedc.toml` first, then a `pyproject.toml` that has
a `[tool.schedc]` table; the first one found is used, and nothing is merged. Options given on
the command line win over what a `.sched` file says of itself, which wins over the
configuration, which wins over the built-in defaults. The settings are resolved once into a
`Settings` that every command and the language server read: see `resolve`.

A problem in the file is a diagnostic (SC500–SC519) at the file's line and column; a command
stops with exit status 2 rather than run with settings other than those written.

Start-up cost: with no configuration file nothing beyond `os` and `re` is used; `tomllib` is
imported only once a file is found (and a `pyproject.toml` is read as bytes and searched for
`[tool.schedc]` before anything parses it).
"""

from __future__ import annotations

import os
import re
import sys

from .compiler.records import Record
from .diagnostics import Diagnostic, Span, error

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Any, Callable, Optional, Sequence

FILE_NAMES = ("schedc.toml", "pyproject.toml")
# `[tool.schedc]`, `[tool.schedc.x]`, `tool.schedc.key = …`, or `schedc… =` below a `[tool]` header
# (patterns are compiled on first use: a start-up with no pyproject.toml pays nothing for them)
_TOOL_TABLE = (rb"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*\"?schedc\"?[ \t]*[\].]"
               rb"|^[ \t]*tool[ \t]*\.[ \t]*\"?schedc\"?[ \t]*[.=]")
_TOOL_HEADER = rb"^[ \t]*\[[ \t]*tool[ \t]*\][^\n]*\n(?:(?![ \t]*\[)[^\n]*\n)*?[ \t]*\"?schedc\"?[ \t]*[.=]"


class Setting(Record):
    value: Any
    source: str  # `default`, `command line`, or `FILE:LINE:COLUMN` of the key
    shown: str  # the value as TOML text


class Key(Record):
    default: Any
    convert: Callable  # (raw value) -> value; raises _Bad
    about: str
    used_by: tuple  # the consumers (commands, and `lsp`) whose behaviour the key changes


class _Bad(Exception):
    """A value the key does not take: (message, help, code, the offending element or None)."""

    def __init__(self, message: str, help: Optional[str] = None, code: str = "SC503", element: Any = None):
        super().__init__(message)
        self.message, self.help, self.code, self.element = message, help, code, element


# ---- the keys and what each takes
def _choice(*allowed: str) -> Callable:
    def convert(value):
        _want(value, str, "a string")
        if value not in allowed:
            raise _Bad(f"`{value}` is not one of " + ", ".join(f"`{a}`" for a in allowed),
                       f"write one of: {', '.join(repr(a) for a in allowed)}".replace("'", '"'))
        return value
    return convert


def _bool(value):
    _want(value, bool, "true or false")
    return value


def _globs(value):
    _want(value, list, "an array of strings")
    for item in value:
        if not isinstance(item, str) or not item:
            raise _Bad("every pattern must be a non-empty string", 'write it like ["drafts/**", "*.old.sched"]',
                       "SC502", item)
    return list(value)


def _codes(kind: str) -> Callable:
    def convert(value):
        from .rules import matching, rule, suggest

        _want(value, list, "an array of codes")
        for item in value:
            if not isinstance(item, str):
                raise _Bad("every entry must be a code, as a string", 'write it like ["SC120", "SC12"]',
                           "SC502", item)
            if not matching(item):
                # a code with a typo (`SC12O`), never a guess at a prefix, nor an error's code to ignore (SC505)
                near = suggest(item, silenceable=kind == "ignore") if len(item.strip()) == 5 else None
                raise _Bad(f"`{item}` is not a diagnostic code or the start of one",
                           (f"did you mean `{near}`? " if near else "")
                           + "codes look like `SC120`; a prefix like `SC12` names every code that starts so "
                           "(`schedc rule --all` lists them)", "SC504", item)
            found = rule(item)
            if kind == "ignore" and found is not None and not found.silenceable:
                raise _Bad(f"`{item}` is an error, and errors cannot be ignored",
                           "only warnings can be ignored: an error means the request would be invalid",
                           "SC505", item)
        return [item.upper() for item in value]
    return convert


def _zone(value):
    from .compiler.zones import is_zone, zone_help

    _want(value, str, "a string")
    if not is_zone(value):
        raise _Bad(f"unknown time zone `{value}`", zone_help(value))
    return value


def _rate(value):
    from .meetergo.pacing import parse_rate

    _want(value, str, "a string like \"90/min\"")
    try:
        return parse_rate(value)
    except ValueError as exc:
        raise _Bad(str(exc), 'write it like "90/min" or "2/s"') from None


def _count(low: int) -> Callable:
    def convert(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad(f"expected a whole number, not {_kind(value)}", f"write it like {max(low, 4)}", "SC502")
        if value < low:
            raise _Bad(f"must be at least {low}, not {value}", f"write a number of {low} or more")
        return value
    return convert


def _path(value):
    _want(value, str, "a path, as a string")
    if not value:
        raise _Bad("the path is empty", 'write it like ".schedc-journal.jsonl"')
    return value


def _size(value):
    from .files import parse_size

    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    _want(value, str, 'a size like "2MiB"')
    try:
        return parse_size(value)
    except ValueError as exc:
        raise _Bad(str(exc), 'write it like "2MiB", "512KiB" or a number of bytes') from None


def _per_file(value):
    _want(value, dict, "a table of glob = [codes]")
    found = {}
    for pattern, codes in value.items():
        if not pattern:
            raise _Bad("every glob must be a non-empty string", 'write it like "drafts/*.sched" = ["SC120"]', "SC502")
        found[pattern] = _codes("ignore")(codes)
    return found


def _want(value, kind: type, words: str) -> None:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise _Bad(f"expected {words}, not {_kind(value)}", f"write {words}", "SC502")


def _kind(value) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array",
             dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


# Everything that reads the settings: the commands, and the language server. Every key names the
# ones it changes; tests/test_settings.py holds each pair to a test of what it changes there.
CONSUMERS = ("check", "compile", "fmt", "import", "submit", "plan", "apply", "explain", "show", "doctor", "lsp")
_SOURCES = ("check", "compile", "fmt", "import", "submit", "plan", "apply", "explain", "lsp")  # read .sched (or JSON)
_CHECKING = ("check", "compile", "import", "submit", "plan", "apply", "explain", "lsp")  # report diagnostics
_SENDING = ("submit", "plan", "apply")
_SEARCHING = ("check", "fmt", "submit", "plan", "apply", "explain")  # search directories for files

KEYS: dict[str, Key] = {
    "end-of-day": Key("23:59", _choice("23:59", "24:00"), "how midnight at the end of a day is written",
                      _SOURCES),
    "strict": Key(False, _bool, "treat warnings as errors (`check` and `explain` fail on them)",
                  ("check", "explain", "lsp")),
    "exclude": Key([], _globs, "glob patterns of files and directories to skip when searching directories (and "
                               "documents the language server leaves alone)", (*_SEARCHING, "lsp")),
    "select": Key([], _codes("select"), "report only these warnings (codes or prefixes); errors always show",
                  _CHECKING),
    "ignore": Key([], _codes("ignore"), "never report these warnings (codes or prefixes)", _CHECKING),
    "timezone": Key(None, _zone, "the time zone of a file that names none",
                    ("check", "compile", "submit", "plan", "apply", "explain", "lsp")),
    "rate": Key("90/min", _rate, "`submit`, `plan` and `apply`: requests per unit of time", _SENDING),
    "burst": Key(10, _count(1), "`submit`, `plan` and `apply`: requests that may go at once before pacing starts",
                 _SENDING),
    "concurrency": Key(4, _count(1), "`submit`, `plan` and `apply`: requests in flight at once", _SENDING),
    "journal": Key(".schedc-journal.jsonl", _path, "`submit`: the journal of outcomes (`plan` and `apply` take "
                                                   "over the users it created, and pace from it)", _SENDING),
    "state": Key(".schedc-state.json", _path, "`plan` and `apply`: the state file", ("plan", "apply")),
    "max-input-size": Key("2MiB", _size, "the most any one input may hold (a file, stdin, a document in the "
                                         "editor); the state, the journal and a saved plan may hold 16 times as much",
                          CONSUMERS),
}
KEYS["per-file-ignores"] = Key({}, _per_file, "warnings never reported in the files a glob matches: a table of "
                               "glob = [codes]", _CHECKING)
KEYS["extend"] = Key(None, _path, "another configuration file (a team's shared one) whose settings apply where this "
                                  "file sets none; relative to this file", CONSUMERS)
PATH_KEYS = ("journal", "state")  # relative to the file's directory, as written there and by default


# ---- finding and reading the file
class Config:
    """One configuration file's valid values, with where each key stands, and its problems."""

    def __init__(self, path: Optional[str] = None, text: str = ""):
        self.path, self.text = path, text
        self.values: dict[str, tuple[Any, Any, Span]] = {}  # key → (value, raw value, span of the key)
        self.origins: dict[str, "Config"] = {}  # key → the file it was read from, when it came through `extend`
        self.extended: list[str] = []  # the files read through `extend`, nearest first
        self.diagnostics: list[Diagnostic] = []
        self.texts: dict[str, str] = {}  # name → text of each file read through `extend`, to show its problems

    def source_of(self, diagnostic: Diagnostic) -> str:
        """The text a diagnostic of this file, or of a file it extends, points into."""
        return self.texts.get(diagnostic.path, self.text) if diagnostic.path != self.name else self.text

    def origin(self, key: str) -> "Config":
        """The file that set `key`: this one, or one it extends."""
        return self.origins.get(key, self)

    @property
    def directory(self) -> Optional[str]:
        return os.path.dirname(os.path.abspath(self.path)) if self.path else None

    @property
    def name(self) -> Optional[str]:
        """The file's path as shown: relative to the current directory (`../schedc.toml`)."""
        if self.path is None:
            return None
        try:
            return os.path.relpath(self.path)
        except ValueError:  # on another drive
            return self.path


def find(start: Optional[str] = None, limit: Optional[int] = None) -> Optional[str]:
    """The configuration file that applies in `start` (default: the current directory), or None.
    A `pyproject.toml` that cannot be searched for the table, being larger than `limit` or no
    regular file, is taken to be it: `load` then says why it cannot be read, rather than the run
    going on without the settings it may hold."""
    directory = os.path.abspath(start or os.getcwd())
    while True:
        for name in FILE_NAMES:
            path = os.path.join(directory, name)
            # not `isfile`: a `schedc.toml` that is a device, a FIFO or a directory is there, and
            # `load` refuses it by name rather than the run going on without its settings
            if os.path.exists(path) and (name != "pyproject.toml" or _has_tool_table(path, limit)):
                return path
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_table(path: str, limit: Optional[int]) -> bool:
    from .files import DEFAULT_LIMIT, NotARegularFile, TooLarge, read

    try:
        data = read(path, limit or DEFAULT_LIMIT)
    except (TooLarge, NotARegularFile):
        return True
    except OSError:
        return False
    if b"schedc" not in data:
        return False
    return re.search(_TOOL_TABLE, data, re.M) is not None or re.search(_TOOL_HEADER, data + b"\n", re.M) is not None


def start_folder(paths: Sequence[str] = (), stdin_name: Optional[str] = None) -> str:
    """Where the search for the configuration starts, as black finds its project: the deepest
    folder holding every path a command is given (a directory itself, a file's folder; `-` counts
    as `stdin_name`, else as the current directory); with no paths, the current directory."""
    folders = []
    for path in paths:
        if path == "-":
            path = os.path.dirname(os.path.abspath(stdin_name)) if stdin_name else os.getcwd()
        path = os.path.abspath(path)
        folders.append(path if os.path.isdir(path) else os.path.dirname(path))
    if not folders:
        return os.getcwd()
    try:
        return os.path.commonpath(folders)
    except ValueError:  # on different drives: no folder holds them all
        return os.getcwd()


def resolve(start: Optional[str] = None, *, path: Optional[str] = None, no_config: bool = False,
            given: Optional[dict] = None) -> "Settings":
    """The settings for a run: the options `given` (None for an option not given) over the file
    (`path`, else none with `no_config`, else the one found walking up from `start`) over the
    defaults. Problems in the file are in `.config.diagnostics`, never raised."""
    if no_config:
        config = Config()
    else:
        limit = reading_limit(given)
        path = path or find_from(start, limit)
        config = load(path, limit) if path else Config()
    return Settings(config, given)


def reading_limit(given: Optional[dict]) -> int:
    """The most a configuration file may hold: the default input limit, or a larger one given
    (`--max-input-size`): a limit lowered for the schedules must not turn away the project's
    pyproject.toml."""
    from .files import DEFAULT_LIMIT

    return max((given or {}).get("max-input-size") or 0, DEFAULT_LIMIT)


def find_from(start: Optional[str], limit: Optional[int] = None) -> Optional[str]:
    """The file found walking up from `start`; when there is none, the one found from the current
    directory (paths outside any project are read with the settings of the project one is in)."""
    found = find(start, limit)
    if found is None and start is not None and os.path.abspath(start) != os.getcwd():
        found = find(limit=limit)
    return found


def load(path: str, limit: Optional[int] = None, _seen: tuple = ()) -> Config:
    """Read and check one configuration file (at most `limit` bytes: the files' default limit
    unless given), and the one it extends; problems are in `.diagnostics`, never raised."""
    config = _load_one(path, limit)
    if "extend" in config.values:
        _extend(config, limit, _seen + (os.path.realpath(path),))
    return config


EXTEND_DEPTH = 16  # files in one chain of `extend`: each may hold the input limit, and each is kept


def _extend(config: Config, limit: Optional[int], seen: tuple) -> None:
    """Take the settings of the file `extend` names for every key this file does not set. A
    target that is there but no regular file (a device, a FIFO, a directory) or too large is
    refused by `load`, by name, as any configuration file is."""
    written, _, span = config.values["extend"]
    target = written if os.path.isabs(written) else os.path.join(config.directory, written)
    problem = None
    if os.path.realpath(target) in seen:
        problem = f"`{written}` extends this file again: the files extend each other in a circle"
    elif len(seen) >= EXTEND_DEPTH:
        problem = (f"`{written}` would be file {len(seen) + 1} of a chain of `extend`, and at most {EXTEND_DEPTH} "
                   "are read")
    elif not os.path.exists(target):
        problem = f"there is no file `{written}`" + (f" beside `{config.name}`" if not os.path.isabs(written) else "")
    if problem:
        del config.values["extend"]
        config.diagnostics.append(error("SC503", f"`extend`: {problem}", _value_span(config.text, span, None),
                                        path=config.name, help="name a schedc.toml (or a pyproject.toml with a "
                                                               "[tool.schedc] table), relative to this file"))
        return
    base = load(target, limit, seen)
    config.extended = [target, *base.extended]
    config.diagnostics += base.diagnostics
    config.texts.update({**base.texts, base.name: base.text})
    for key, value in base.values.items():
        if key not in config.values:
            config.values[key] = value
            config.origins[key] = base.origin(key)


def _load_one(path: str, limit: Optional[int] = None) -> Config:
    from .files import DEFAULT_LIMIT, read

    config = Config(path)
    try:
        data = read(path, limit or DEFAULT_LIMIT)
    except OSError as exc:
        config.diagnostics.append(error("SC500", f"cannot read the configuration file: {exc.strerror or exc}",
                                        None, path=config.name))
        return config
    try:
        config.text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        config.text = data.decode("utf-8", errors="replace")  # to show the line
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        config.diagnostics.append(error("SC500", "the configuration file is not UTF-8 text",
                                        Span(line, column, line, column + 1), path=config.name,
                                        help="save it as UTF-8"))
        return config
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same parser, from PyPI (a dependency there)
        import tomli as tomllib
    try:
        document = tomllib.loads(config.text)
    except tomllib.TOMLDecodeError as exc:
        config.diagnostics.append(_syntax_error(config, str(exc)))
        return config
    table_path = ("tool", "schedc") if os.path.basename(path) == "pyproject.toml" else ()
    table: Any = document
    for part in table_path:
        table = table.get(part, {}) if isinstance(table, dict) else table
    places = locate(config.text, table_path)
    if not isinstance(table, dict):
        span = locate(config.text, table_path[:-1]).get(table_path[-1]) or places.get(None) or Span(1, 1, 1, 2)
        config.diagnostics.append(error("SC502", f"`{'.'.join(table_path)}` must be a table, not {_kind(table)}",
                                        span, path=config.name, help="write it as a `[tool.schedc]` table"))
        return config
    for key, raw in table.items():
        span = places.get(key) or places.get(None) or Span(1, 1, 1, 2)
        spec = KEYS.get(key)
        if spec is None:
            import difflib

            near = difflib.get_close_matches(key.replace("_", "-"), list(KEYS), n=1, cutoff=0.6)
            config.diagnostics.append(error(
                "SC501", f"unknown key `{key}`", span, path=config.name,
                help=(f"did you mean `{near[0]}`? " if near else "") + "the keys are: " + ", ".join(KEYS)))
            continue
        try:
            value = spec.convert(raw)
        except _Bad as bad:
            where = _value_span(config.text, span, bad.element)
            config.diagnostics.append(error(bad.code, f"`{key}`: {bad.message}", where, path=config.name,
                                            help=bad.help))
            continue
        config.values[key] = (value, raw, span)
    return config


def _syntax_error(config: Config, message: str) -> Diagnostic:
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    span = None
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        span = Span(line, column, line, column + 1)
        message = message[: match.start()]
    elif message.endswith("(at end of document)"):
        lines = config.text.split("\n")
        span = Span(len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
        message = message[: -len("(at end of document)")].rstrip()
    return error("SC500", f"the configuration file is not valid TOML: {message[:1].lower()}{message[1:]}",
                 span, path=config.name, help="see https://toml.io for the syntax")


# ---- where keys stand: tomllib keeps no positions, so the lines are read once more
_HEADER = r"^[ \t]*\[(\[?)([^\]\n#]*)\]"
_KEY = r"^[ \t]*((?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_\-]+)(?:[ \t]*\.[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_\-]+))*)[ \t]*="


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", dotted))


def locate(text: str, table: tuple[str, ...]) -> dict:
    """{key: Span of the key} for the keys of `table`; `None` maps to the table's own header."""
    found: dict = {}
    current: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), 1):
        header = re.match(_HEADER, line)
        if header:
            current = _parts(header.group(2))
            if current == table and None not in found:
                start = line.index("[") + 1
                found[None] = Span(number, start, number, len(line.split("#")[0].rstrip()) + 1)
            elif len(current) == len(table) + 1 and current[: len(table)] == table:  # a key's own table
                start = line.index("[") + 1
                found.setdefault(current[-1], Span(number, start, number, len(line.split("#")[0].rstrip()) + 1))
            continue
        match = re.match(_KEY, line)
        if not match:
            continue
        full = current + _parts(match.group(1))
        if len(full) == len(table) + 1 and full[: len(table)] == table:
            key_start = match.start(1)
            found.setdefault(full[-1], Span(number, key_start + 1, number, match.end(1) + 1))
    return found


def _value_span(text: str, key: Span, element: Any) -> Span:
    """The value after a key (or, for one element of an array, that element)."""
    lines = text.split("\n")
    line = lines[key.line - 1]
    equals = line.find("=", key.end_column - 1)
    if equals < 0 and element is None:
        return key
    start = equals + 1 if equals >= 0 else len(line)  # a key's own table: its values follow the header
    while start < len(line) and line[start] in " \t":
        start += 1
    if element is not None:  # look for the element, written as TOML, from the key on
        written = [f'"{element}"', f"'{element}'"] if isinstance(element, str) else [str(element).lower(), str(element)]
        offset = sum(len(x) + 1 for x in lines[: key.line - 1]) + start
        hits = [(text.find(w, offset), w) for w in written]
        hits = [(at, w) for at, w in hits if at >= 0]
        if hits:
            at, w = min(hits)
            number = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            return Span(number, column, number, column + len(w))
    end = len(line)
    if line[start:start + 1] in ("\"", "'"):
        close = line.find(line[start], start + 1)
        end = close + 1 if close > 0 else end
    elif "#" in line[start:]:
        end = line.index("#", start)
    end = start + len(line[start:end].rstrip())
    return Span(key.line, start + 1, key.line, max(end, start + 1) + 1)


# ---- what is in effect
class Settings:
    """The value of every key, from the command line, else the file, else the default: resolved
    once per run (per document, for the language server) and handed to everything that reads one.

    A path (`journal`, `state`) is relative to the configuration file's directory, whether the file
    names it or the default applies; with no file, and for a path given on the command line, it is
    relative to the current directory."""

    def __init__(self, config: Optional[Config] = None, given: Optional[dict] = None):
        self.config = config or Config()
        self.given = {k: v for k, v in (given or {}).items() if v is not None}
        unknown = set(self.given) - set(KEYS)
        if unknown:
            raise KeyError(f"not configuration keys: {sorted(unknown)}")

    def setting(self, key: str, *, shown: bool = True) -> Setting:
        """The value of `key`, where it came from and, when `shown`, how it is written in TOML."""
        toml = _toml if shown else _unshown
        if key in self.given:
            value = self.given[key]
            return Setting(value, "command line", toml(value))
        if key in self.config.values:
            value, raw, span = self.config.values[key]
            origin = self.config.origin(key)
            if key in PATH_KEYS:
                value = self._beside_config(value, origin)
                raw = value
            return Setting(value, f"{origin.name}:{span.line}:{span.column}", toml(raw))
        default = KEYS[key].default
        if key in PATH_KEYS:
            default = self._beside_config(default)
        written = toml(default)
        if key in ("rate", "max-input-size"):  # written as text, like a value in the file
            default = KEYS[key].convert(default)
        return Setting(default, "default", written)

    def _beside_config(self, path: str, origin: Optional[Config] = None) -> str:
        """`path` as written in (or for) the configuration file (`origin`, else the one found), as
        the current directory reaches it."""
        origin = origin or self.config
        if origin.path is None or os.path.isabs(path):
            return path
        from .files import read_from

        return read_from(path, origin.directory)

    # ---- what the values mean to the commands
    @property
    def timezone_flag(self) -> Optional[str]:
        """`--timezone`: a zone the file must agree with (SC204 when it names another)."""
        return self.given.get("timezone")

    @property
    def timezone_fill(self) -> Optional[str]:
        """`timezone` from the configuration: only ever fills in for a file that names no zone."""
        return None if "timezone" in self.given else self["timezone"]

    def reported(self, diagnostics: Sequence[Diagnostic], text: Optional[str], path: Optional[str] = None, *,
                 report_unused: Optional[bool] = None) -> list[Diagnostic]:
        """What is shown of a file's diagnostics: its own suppressions applied, then `select` and
        `ignore`. Unused suppressions are reported unless a syntax error stopped the checks (or
        `report_unused` is false)."""
        from .compiler.suppressions import apply, checked_whole

        if report_unused is None:
            report_unused = checked_whole(diagnostics)
        return apply(diagnostics, text, select=self["select"], ignore=self["ignore"] + self.ignored_in(path),
                     path=path, report_unused=report_unused)

    def ignored_in(self, path: Optional[str]) -> list[str]:
        """The codes `per-file-ignores` leaves out of the file at `path` (none for stdin): its
        globs are matched as `exclude`'s are, relative to the configuration file found (also when
        they come from a file it extends: a shared file's globs describe each project)."""
        table = self["per-file-ignores"]
        if not table or path is None:
            return []
        base = self.config.directory if "per-file-ignores" not in self.given else None
        return [code for pattern, codes in table.items() if _matches(path, [pattern], base) for code in codes]

    def fails(self, reported: Sequence[Diagnostic]) -> bool:
        """Whether a file with these (reported) diagnostics needs attention: an error, or under
        `strict` any warning."""
        return any(d.is_error for d in reported) or bool(self["strict"] and reported)

    def __getitem__(self, key: str):
        return self.setting(key, shown=False).value  # no TOML text (and no json import) for a lookup

    def excluded(self, path: str) -> bool:
        """Whether a file found by searching a directory matches an `exclude` pattern.

        Patterns are matched against the path relative to the configuration file's directory
        (or the current one, for patterns from the command line), and against every directory
        above the file within it; a pattern with no `/` is also matched against each name alone.
        """
        patterns = self["exclude"]
        if not patterns:
            return False
        return _matches(path, patterns, self.config.directory if "exclude" not in self.given else None)

    def show(self, keys: Sequence[str] = tuple(KEYS)) -> str:
        """The settings as TOML, each with where it came from in a comment; a value that is (or
        looks like) an API key is shown as `<redacted>`."""
        from .secrets import redact

        where = self.config.name or "none found (schedc.toml, or [tool.schedc] in pyproject.toml)"
        out = [f"# configuration file: {where}"]
        rows = []
        for key in keys:
            setting = self.setting(key)
            if setting.value is None:
                rows.append((f"# {key} is not set", setting.source))
            else:
                rows.append((f"{key} = {redact(setting.shown, shapes=True)}", setting.source))
        width = max(len(text) for text, _ in rows)
        out += [f"{text.ljust(width)}  # {source}" for text, source in rows]
        return "\n".join(out) + "\n"


def _matches(path: str, patterns: Sequence[str], base: Optional[str]) -> bool:
    """Whether `path` (relative to `base`, else to the current directory) or a directory above it
    matches a pattern; a pattern with no `/` is also matched against each name alone."""
    from fnmatch import fnmatchcase

    relative = os.path.relpath(os.path.abspath(path), base or os.getcwd()).replace(os.sep, "/")
    parts = relative.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        if any(fnmatchcase(c, pattern) for c in candidates):
            return True
        if "/" not in pattern and any(fnmatchcase(p, pattern) for p in parts):
            return True
    return False


class Cache:
    """Settings by folder, for a reader that lives long (the language server): the file that
    applies is looked for again on every call, as the command line would find it, and read again
    whenever it (or a file it extends) changed on disk, so that an edit takes effect without
    anyone saying so."""

    def __init__(self, path: Optional[str] = None, no_config: bool = False, given: Optional[dict] = None):
        self.path = os.path.abspath(path) if path else None  # --config FILE
        self.no_config = no_config
        self.given = given  # the options given on the command line, over every file
        self.limit = reading_limit(given)
        self._read: dict[str, tuple[tuple, Settings, float]] = {}  # file → (stamps, settings, when read)

    def settings(self, folder: str) -> Settings:
        """The settings for a document in `folder`."""
        if self.no_config:
            return Settings(None, self.given)
        path = self.path or find_from(folder, self.limit)
        if path is None:
            return Settings(None, self.given)
        import time

        known = self._read.get(path)
        if known is None or known[0] != _stamps(path, known[1].config.extended) or _racy(known[0], known[2]):
            read_at = time.time()
            config = load(path, self.limit)
            known = (_stamps(path, config.extended), Settings(config, self.given), read_at)
            self._read[path] = known
        return known[1]

    def forget(self) -> None:
        """Read every file again on next use (the editor said the configuration changed)."""
        self._read.clear()


def _stamps(path: str, extended: Sequence[str]) -> tuple:
    """The stamps of a configuration file and of the files it extends: any edit changes them."""
    return tuple(_stamp(p) for p in (path, *extended))


def _racy(stamps: tuple, read_at: float) -> bool:
    """Whether a file may have changed since it was read although its stamp did not: its
    modification time is not clearly before the reading (a clock of coarse steps gives two
    writes within one step the same time, and the same size is common), so it is read again,
    as git does with an index entry written in the same second as its file."""
    return any(stamp is not None and stamp[0] >= (read_at - 1.0) * 1e9 for stamp in stamps)


def _stamp(path: str) -> Optional[tuple]:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


def _unshown(value) -> str:
    return ""


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table
        return "{" + ", ".join(f"{_toml(str(k))} = {_toml(v)}" for k, v in value.items()) + "}"
    if value is None:
        return '""'
    import json

    return json.dumps(str(value), ensure_ascii=False)


def codes_from_option(values: Optional[Sequence[str]], kind: str) -> Optional[list[str]]:
    """`--select`/`--ignore` values (each may hold several codes, comma-separated) → codes.

    ValueError names the first code that is unknown, or an error code given to `--ignore`."""
    if values is None:
        return None
    codes = [c.strip() for value in values for c in value.split(",") if c.strip()]
    try:
        return KEYS[kind].convert(codes)
    except _Bad as bad:
        raise ValueError(bad.message + (f" ({bad.help})" if bad.help else "")) from None


__all__ = ["CONSUMERS", "Cache", "Config", "FILE_NAMES", "KEYS", "Setting", "Settings", "codes_from_option", "find",
           "load", "locate", "resolve", "start_folder"]
