"""Text → syntax tree. The only module that imports lark.

The grammar (`grammar.lark`) is syntax only; this module builds the parser once, turns the
parse into `nodes` with spans, collects comments for the formatter, and turns lark's
exceptions into SC0xx diagnostics with prose instead of terminal names.
"""

from __future__ import annotations

import functools
import os
import threading
import zlib
from importlib.machinery import SourceFileLoader
from types import ModuleType
from typing import Any, Optional, Union

from . import nodes as n
from .diagnostics import Diagnostic, ScheduleError, Span, error
from .words import HIDDEN, describe_character

GRAMMAR = os.path.join(os.path.dirname(__file__), "grammar.lark")
Token = Any  # a lark Token: a str with .type, .line, .column, .end_line, .end_column, .start_pos

# Terminal names as a person would say them ("expected a time like `09:00`").
TERMINAL_PROSE = {
    "TIME": "a time like `09:00`",
    "DAY": "a day like `Mon`",
    "ZONE": "a time zone like `Europe/London`",
    "DURATION": "a duration like `45min`",
    "CHANNEL": "a channel like `zoom`",
    "SLUG_TEXT": "a slug like `intro-call`",
    "EMAIL": "an e-mail address in angle brackets like `<ana@example.com>`",
    "NAME_WORD": "a name",
    "STRING": 'a quoted name like `"Business Hours"`',
    "TZ": "`tz`",
    "USER": "`user`",
    "AVAILABILITY": "`availability`",
    "MEETING": "`meeting`",
    "SLUG": "`slug`",
    "OFF": "`off`",
    "COMMA": "`,`",
    "MINUS": "`-`",
    "_SEP": "the end of the statement (`;` or a new line)",
    "$END": "the end of the statement (`;` or a new line)",
}


_comments = threading.local()


def _collect_comment(token: Token) -> Token:
    _comments.found.append(token)
    return token


def _span(first, last=None) -> Span:
    """The span from the start of `first` to the end of `last` (tokens or nodes)."""
    last = first if last is None else last
    a = first.span if hasattr(first, "span") else Span(first.line, first.column, first.line, first.column)
    b = last.span if hasattr(last, "span") else Span(last.end_line, last.end_column, last.end_line, last.end_column)
    return Span(a.line, a.column, b.end_line, b.end_column)


def _word(token: Token) -> n.Word:
    span = Span(token.line, token.column, token.end_line, token.end_column)
    return n.Word(str(token), span)


def _unquote(token: Token) -> n.Word:
    inner = str(token)[1:-1]
    text = inner.replace('\\"', '"').replace("\\\\", "\\") if "\\" in inner else inner
    span = Span(token.line, token.column, token.end_line, token.end_column)
    return n.Word(text, span, quoted=True)


def _name(item) -> n.Word:
    return _unquote(item) if item.type == "STRING" else _word(item)


def _typed(children, kind: str) -> Optional[Token]:
    return next((c for c in children if getattr(c, "type", None) == kind), None)


class _ToNodes:
    """Runs inside the LALR parser (no intermediate tree): each rule becomes a node.

    A plain class, not a lark `Transformer`: lark only looks the methods up by rule name, so the
    same class serves lark itself and the generated stand-alone parser.
    """

    def start(self, children):
        return tuple(children)

    def day_item(self, c):
        return n.DayItem(_word(c[0]), _word(c[1]) if len(c) > 1 else None, _span(c[0], c[-1]))

    def days(self, c):
        return tuple(c)

    def time_range(self, c):
        return n.TimeRange(_word(c[0]), _word(c[1]), _span(c[0], c[1]))

    def times(self, c):
        return tuple(c)

    def tz_clause(self, c):
        return _word(c[1])

    def slug_clause(self, c):
        return _word(c[1])

    def day_hours(self, c):
        tz = c[2] if len(c) > 2 else None
        return n.DayRule(c[0], c[1], None, tz, _span(c[0][0], tz or c[1][-1]))

    def day_bare(self, c):
        tz = c[1] if len(c) > 1 else None
        return n.DayRule(c[0], (), None, tz, _span(c[0][0], tz or c[0][-1]))

    def day_off(self, c):
        return n.DayRule(c[0], (), _word(c[1]), None, _span(c[0][0], c[1]))

    def tz_statement(self, c):
        zone = c[0]
        return n.TzStatement(zone, zone.span)

    def user_statement(self, c):
        keyword, rest = c[0], c[1:]
        tz = rest.pop() if rest and isinstance(rest[-1], n.Word) else None
        email_token = rest.pop()
        names = [_name(t) for t in rest]
        email_span = Span(email_token.line, email_token.column, email_token.end_line, email_token.end_column)
        email = n.Word(str(email_token)[1:-1], email_span)
        given = names[0] if names else None
        family = names[1] if len(names) > 1 else None
        return n.UserStatement(given, family, email, tz, _span(keyword, tz or email_token))

    def availability_statement(self, c):
        tz = c[2] if len(c) > 2 else None
        return n.AvailabilityStatement(_unquote(c[1]), tz, _span(c[0], c[-1]))

    def meeting_statement(self, c):
        keyword = _typed(c, "MEETING")
        name = _typed(c, "STRING")
        channel = _typed(c, "CHANNEL")
        slug = c[-1] if isinstance(c[-1], n.Word) else None
        return n.MeetingStatement(
            _unquote(name) if name else None,
            _word(_typed(c, "DURATION")),
            _word(channel) if channel else None,
            slug,
            _span(c[0], c[-1]),
            keyword=keyword is not None,
        )


# ---- building the parser once
#
# Building an LALR parser from the grammar takes lark about 100 ms, and importing lark itself as
# much again, on every run of `schedc check`. So the first run writes lark's stand-alone parser for
# this grammar (plain Python, no lark import needed) into a per-user cache, and later runs import
# that. The file name carries a hash of the grammar, so an edited grammar gets a new parser.
# Without a writable cache, lark is used directly.

CACHE_FORMAT = "2"


def cache_dir() -> str:
    if os.environ.get("SCHEDC_CACHE_DIR"):
        return os.environ["SCHEDC_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "schedc")


@functools.lru_cache(maxsize=None)
def get_parser():
    with open(GRAMMAR, "rb") as handle:
        grammar = handle.read()
    key = f"{zlib.crc32(grammar):08x}{len(grammar):x}v{CACHE_FORMAT}"  # a cache key, not a security check
    generated = os.path.join(cache_dir(), f"parser_{key}.py")
    if os.environ.get("SCHEDC_NO_CACHE") != "1":
        module = _load_generated(generated) or _generate(grammar.decode("utf-8"), generated)
        if module is not None:
            return _Backend(module, module.Lark_StandAlone(**_parser_options()))
    import lark

    return _Backend(lark, lark.Lark(grammar.decode("utf-8"), **_LARK_OPTIONS, **_parser_options()))


_LARK_OPTIONS = dict(parser="lalr", maybe_placeholders=False)


def _parser_options() -> dict:
    return dict(transformer=_ToNodes(), lexer_callbacks={"COMMENT": _collect_comment})


class _Backend:
    """A parser plus the module its exception classes come from (lark, or the generated parser)."""

    def __init__(self, module, instance):
        self.errors = (module.UnexpectedInput, module.UnexpectedCharacters, module.UnexpectedToken,
                       module.UnexpectedEOF)
        self.parse = instance.parse


# The generated parser imports `inspect` (about 10 ms with what it pulls in) for two helpers it
# calls only when a `v_args` decorator is applied to a class, which schedc never does. They are
# replaced by stand-ins that import `inspect` on first call. If a lark release words the line
# differently, nothing is replaced and the parser works as generated.
_DEFERRED_IMPORTS = {
    "from inspect import getmembers, getmro\n": (
        "def getmembers(*args):  # schedc: `inspect` is imported on first use\n"
        "    from inspect import getmembers as run\n"
        "    return run(*args)\n\n\n"
        "def getmro(cls):  # schedc: `inspect` is imported on first use\n"
        "    from inspect import getmro as run\n"
        "    return run(cls)\n"),
}


def _load_generated(path: str):
    try:
        status = os.stat(path)
    except OSError:
        return None
    # The file is Python that this process will run: only trust one that this user wrote and
    # nobody else may change. Anything else is generated again over it.
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    name = "schedc_generated_" + os.path.basename(path)[:-3]
    try:
        module = ModuleType(name)
        module.__file__ = path
        SourceFileLoader(name, path).exec_module(module)
        return module
    except Exception:  # a damaged cache file: generate it again
        return None


def _generate(grammar: str, path: str):
    try:
        import io

        import lark
        from lark.tools.standalone import gen_standalone

        out = io.StringIO()
        gen_standalone(lark.Lark(grammar, **_LARK_OPTIONS), out=out)
        source = out.getvalue()
        for line, replacement in _DEFERRED_IMPORTS.items():
            source = source.replace(line, replacement, 1)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(source)
        os.chmod(temporary, 0o600)  # whatever the umask: see _load_generated
        os.replace(temporary, path)
    except OSError:
        return None
    return _load_generated(path)


def decode(data: bytes, path: Optional[str] = None) -> tuple[str, list[Diagnostic]]:
    """Bytes → text. Undecodable bytes become an SC004 diagnostic at the byte's line and column."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # what PowerShell's `>` and Notepad's "Unicode" write
        return "", [error("SC004", "the file is UTF-16 text (it starts with a UTF-16 byte-order mark), not UTF-8",
                          Span(1, 1, 1, 2), path=path,
                          help="save it as UTF-8: in PowerShell, `(Get-Content f.sched) | Set-Content -Encoding utf8 "
                               "f.sched`; in an editor, choose the UTF-8 encoding when saving")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        span = Span(line, column, line, column + 1)
        return "", [error("SC004", f"byte 0x{data[exc.start]:02x} is not valid UTF-8", span,
                          help="save the file as UTF-8", path=path)]
    return text, []


def parse(text: Union[str, bytes], path: Optional[str] = None) -> n.Document:
    """Parse `.sched` text into a `Document`; raises `ScheduleError` on a syntax error.

    No statement, string or comment crosses a line break, so each line is parsed on its own and
    the result cached by the line's text: the lines a team repeats across hundreds of files
    (`Mon-Fri 09:00-17:00`, `Wed off`) are parsed once. Cached nodes sit on line 1 and are moved
    to their real line; the lexer sees the same tokens either way, so errors are the same too.
    """
    if isinstance(text, bytes):
        text, problems = decode(text, path)
        if problems:
            raise ScheduleError(problems)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ScheduleError([_binary(text, path)])
    hidden = HIDDEN.search(text)
    if hidden:
        raise ScheduleError([hidden_character(text, hidden.start(), path)])
    statements: list = []
    comments: list = []
    pieces = text.split("\n")
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if not piece or piece.isspace():
            continue
        parsed = _parse_line(piece + "\n" if index < last else piece)
        if isinstance(parsed, Diagnostic):
            raise ScheduleError([_moved(parsed, index, path)])
        if index:
            statements.extend(_moved(s, index) for s in parsed[0])
            comments.extend(_moved(c, index) for c in parsed[1])
        else:
            statements.extend(parsed[0])
            comments.extend(parsed[1])
    return n.Document(tuple(statements), tuple(comments), path)


@functools.lru_cache(maxsize=4096)
def _parse_line(line: str):
    """(statements, comments) of one line, on line 1; or the syntax Diagnostic (without a path)."""
    _comments.found = []
    backend = get_parser()
    try:
        statements = backend.parse(line)
    except backend.errors[0] as exc:
        return _syntax_diagnostic(exc, line, None, backend)
    finally:
        tokens, _comments.found = _comments.found, []
    return statements, tuple(_comment(t, line) for t in tokens)


def _moved(node, lines: int, path: Optional[str] = None):
    """A copy of a node (or diagnostic) `lines` lines further down, every span in it moved."""
    if isinstance(node, Span):
        return Span(node.line + lines, node.column, node.end_line + lines, node.end_column)
    if isinstance(node, Diagnostic):
        return node._replace(path=path, span=_moved(node.span, lines))
    if node is None or isinstance(node, (str, bool)):
        return node
    if hasattr(node, "_fields"):  # a node: move each of its fields
        return node._make(_moved(item, lines) for item in node)
    return tuple(_moved(item, lines) for item in node)  # a tuple of nodes


def _binary(text: str, path: Optional[str]) -> Diagnostic:
    pos = text.index("\x00")
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return error("SC004", "the file holds a NUL byte: it looks binary, not a schedule",
                 Span(line, column, line, column + 1), help="check that this is the file you meant", path=path)


def hidden_character(text: str, pos: int, path: Optional[str]) -> Diagnostic:
    """SC005: a character that cannot be seen (words.HIDDEN) at `pos` of `text`."""
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    char = text[pos]
    why = ("only the very start of a file may hold one" if char == "\ufeff" else
           "it cannot be seen, and changes what the line means")
    return error("SC005", f"the text holds {describe_character(char)}: {why}",
                 Span(line, column, line, column + 1), path=path,
                 help="delete it (an editor that shows invisible characters helps find it)")


def _comment(token: Token, text: str) -> n.Comment:
    line_start = text.rfind("\n", 0, token.start_pos) + 1
    trailing = text[line_start:token.start_pos].strip(" \t\f\r\ufeff;") != ""
    body = str(token).rstrip("\r")
    span = Span(token.line, token.column, token.line, token.column + len(body))  # a comment ends its line
    return n.Comment(body, span, trailing)


def _describe_character(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    import unicodedata

    name = unicodedata.name(char, "").lower()
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _expected(names) -> str:
    order = list(TERMINAL_PROSE)
    ranked = sorted(names, key=lambda name: order.index(name) if name in order else len(order))
    items = list(dict.fromkeys(TERMINAL_PROSE.get(name, f"`{name}`") for name in ranked))
    if len(items) > 4:
        items = items[:4] + ["…"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _end_span(text: str) -> Span:
    line = text.count("\n") + 1
    column = len(text) - (text.rfind("\n") + 1) + 1
    return Span(line, column, line, column)


def _syntax_diagnostic(exc, text: str, path: Optional[str], backend: _Backend) -> Diagnostic:
    """One lark exception → one diagnostic: what was found, what was expected, a likely fix."""
    _, UnexpectedCharacters, UnexpectedToken, UnexpectedEOF = backend.errors
    if isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream]
        span = Span(exc.line, exc.column, exc.line, exc.column + 1)
        if char == '"':
            return error("SC002", "unterminated string", span, path=path,
                         help='close the string with `"` on the same line (write `\\"` for a quote inside it)')
        if char == "<":
            return error("SC002", "unterminated e-mail address", span, path=path,
                         help="write the address as `<ana@example.com>`, with no spaces")
        shown = "a tab" if char == "\t" else _describe_character(char)
        expected = _expected(exc.allowed or ())
        return error("SC002", f"unexpected character {shown}", span, path=path,
                     help=f"expected {expected}" if exc.allowed else None)
    assert isinstance(exc, (UnexpectedToken, UnexpectedEOF))
    expected_names = set(getattr(exc, "expected", None) or getattr(exc, "accepts", None) or ())
    token = getattr(exc, "token", None)
    if token is None or token.type == "$END":
        span = _end_span(text)
        return error("SC003", f"unexpected end of input, expected {_expected(expected_names)}", span,
                     path=path, help=_hint(None, expected_names))
    span = Span(token.line, token.column, token.end_line or token.line, token.end_column or token.column + 1)
    if token.type == "_SEP":  # the statement ended early, at `;` or the end of the line
        found = "`;`" if token.value == ";" else "end of line"
        return error("SC003", f"unexpected {found}, expected {_expected(expected_names)}",
                     Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help=_hint(None, expected_names))
    found = f"`{token.value}`"
    if token.value.startswith("<") and "EMAIL" in expected_names:
        return error("SC002", "unterminated e-mail address", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help="write the address as `<ana@example.com>`, with no spaces")
    if token.value.startswith('"') and "STRING" in expected_names:
        return error("SC002", "unterminated string", Span(token.line, token.column, token.line, token.column + 1),
                     path=path, help='close the string with `"` on the same line (write `\\"` for a quote inside it)')
    message = f"unexpected {found}, expected {_expected(expected_names)}"
    return error("SC001", message, span, path=path, help=_hint(token, expected_names))


def _hint(token: Optional[Token], expected: set) -> Optional[str]:
    """The likely cause behind a syntax error, for the common confusing cases."""
    value = token.value if token is not None else ""
    if "TIME" in expected and len(expected) == 1:
        return "a range needs a start and an end, like `09:00-17:00`"
    if value.isdigit() and "DURATION" in expected:
        return f"write durations without a space, like `{value}min`"
    looks_like_duration = value[:1].isdigit() and ":" not in value and any(c.isalpha() for c in value)
    if looks_like_duration and token.type != "DURATION":
        return "durations are written like `45min`, `90m`, `1h` or `1h30`"
    if "_SEP" in expected and token is not None and value[:1].isalnum():
        return f"end the statement with `;` or a new line before `{value}`"
    if value.isdigit() or (value[:1].isdigit() and ":" not in value and "TIME" not in expected):
        return "times are written `HH:MM-HH:MM` after the days, durations like `45min`"
    if "EMAIL" in expected and "NAME_WORD" not in expected and "STRING" not in expected:
        return 'a user has at most two names; quote a name with spaces: `user "Anna Maria" Berg <anna@example.com>`'
    if "EMAIL" in expected:
        return "a user statement reads `user GIVEN FAMILY <EMAIL>`"
    if "ZONE" in expected:
        return "`tz` is followed by an IANA zone name like `Europe/London`"
    if "SLUG_TEXT" in expected:
        return "`slug` is followed by the booking-page slug, like `intro-call`"
    if "STRING" in expected and "AVAILABILITY" not in expected and "DURATION" not in expected:
        return 'names are double-quoted: `availability "Business Hours"`'
    if "DURATION" in expected and "DAY" not in expected:
        return "a meeting statement reads `meeting \"NAME\" DURATION CHANNEL slug SLUG`, like `meeting \"Intro\" 30min zoom`"
    return None
