"""The one boundary between schedc and what it writes: the API key never crosses it.

The key lives in `meetergo.key.ApiKey`, whose repr is redacted, and no code path prints it.
In case some path ever does (a file that is the key file, echoed in an excerpt; a server that
echoes the `Authorization` header in its message; an exception that quotes one), everything
schedc writes passes through here first:

- `guard_streams()` wraps stdout and stderr for the whole of a command, so no line reaches them
  without `redact` (on stderr, which carries only what schedc says about things, key shapes too);
- the journal and the state pass their text through `redact` before it reaches the disk;
- `untrusted` is what server text becomes before anything else sees it: key shapes blanked
  out, hidden characters escaped, one line, shortened;
- `json_text` is how every JSON line for machines is written: the same escapes, as JSON ones.

`learn` reads the key source (MEETERGO_API_KEY, or the file `--api-key-file` names) before any
other file is read, so that a schedule that is, or links to, the key file never shows the key.
Text is always redacted *before* it is cut (an excerpt window, a shortened quote), so that no
part of a key survives at a cut: `cover` masks the secrets of a line keeping its length.
"""

from __future__ import annotations

import os
import re
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Any, Optional

ENVIRONMENT_KEY = "MEETERGO_API_KEY"
REDACTED = "<redacted>"
_known: set[str] = set()
_cache: list = [None, None, ()]  # the environment's key and the known keys it was built from, the secrets
# What a key looks like wherever it stands: a Platform API Key (`ak_live:<uuid>:<secret>`) or a
# personal access token (`rgo-…`, not inside a word: `Margo-Smith` is a name), up to a space, a
# quote or a bracket. The placeholders the documentation and the messages write (`ak_live:…`,
# `ak_live:<uuid>:<secret>`, `rgo-…`) are not keys.
_SHAPE = re.compile(r"(?:ak_live:|(?<![A-Za-z0-9_])rgo-)[^\s\"'`<>()\[\]{}\\,;…]+", re.IGNORECASE)
KEY_FILE_LIMIT = 4096  # bytes of a key file read: a key is a hundred characters


def remember(value: str) -> None:
    """Blank `value` out of everything written from now on (a key read from a file)."""
    _known.update(_parts(value))


def learn(key_file: Optional[str] = None) -> None:
    """Read the key source before any other file: the environment's key is read on every
    redaction, and the key file's content is remembered here. Whatever goes wrong is left for
    the command to say when it reads the key itself; this reads at most KEY_FILE_LIMIT bytes,
    and never waits on a pipe or a device."""
    if not key_file:
        return
    import stat

    try:
        fd = os.open(key_file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return
        data = os.read(fd, KEY_FILE_LIMIT)
    except OSError:
        return
    finally:
        os.close(fd)
    try:
        remember(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass


def notice(data: Any) -> None:
    """Remember every key shape in `data` (text or bytes read from a file) as a secret: a file
    that holds a key (the key file, a pasted key) must not show it, not even in pieces that no
    longer look like a key (a message quoting `_live:<uuid>:<secret>` from a token cut short)."""
    lowered = data.lower()
    if isinstance(data, bytes):
        if b"ak_live:" not in lowered and b"rgo-" not in lowered:
            return
        data = data.decode("utf-8", "replace")
    elif "ak_live:" not in lowered and "rgo-" not in lowered:
        return
    for match in _SHAPE.finditer(data):
        remember(match.group())


def _parts(value: str) -> set[str]:
    """The key, and each `:`-separated part of it (for `ak_live:<uuid>:<secret>`, the uuid and
    the secret on their own). Anything shorter than 8 characters is no key and would blank out
    ordinary words."""
    value = value.strip()
    found = {value, *value.split(":")}
    return {part.strip() for part in found if len(part.strip()) >= 8}


def secrets() -> tuple[str, ...]:
    """Every secret to blank out, longest first, with the forms JSON writes them in."""
    environment = os.environ.get(ENVIRONMENT_KEY, "")
    if _cache[0] != environment or _cache[1] != len(_known):
        import json

        found = _known | _parts(environment)
        found |= {json.dumps(s, ensure_ascii=False)[1:-1] for s in found}
        found |= {json.dumps(s)[1:-1] for s in found}
        _cache[:] = [environment, len(_known), tuple(sorted(found, key=len, reverse=True))]
    return _cache[2]


def redact(text: str, *, shapes: bool = False) -> str:
    """`text` with every known secret blanked out and, with `shapes`, anything that looks like a
    key too (for text that is not a file's own content: messages, server answers)."""
    for secret in secrets():
        if secret in text:
            text = text.replace(secret, REDACTED)
    if shapes and ("ak_live:" in text.lower() or "rgo-" in text.lower()):
        text = _SHAPE.sub(REDACTED, text)
    return text


def spans(text: str) -> list[tuple[int, int]]:
    """Where `text` holds a known secret or a key shape: (start, end) pairs, in order, merged."""
    found = []
    for secret in secrets():
        start = text.find(secret)
        while start >= 0:
            found.append((start, start + len(secret)))
            start = text.find(secret, start + 1)
    if "ak_live:" in text.lower() or "rgo-" in text.lower():
        found += [match.span() for match in _SHAPE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


COVER = "\x00"  # what `cover` puts in place of each character of a secret (never printed as it is)


def cover(text: str) -> str:
    """`text` with each character of every secret and key shape replaced by COVER: the same
    length, so a window can be cut from it (columns unchanged) without leaving part of a key."""
    for start, end in spans(text):
        text = text[:start] + COVER * (end - start) + text[end:]
    return text


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with `…`, redacted (shapes too) before the cut."""
    text = redact(text, shapes=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


UNTRUSTED_LIMIT = 500  # characters of a server's message kept


def untrusted(value: Any, limit: int = UNTRUSTED_LIMIT) -> str:
    """Text from a server, made safe to keep and to show: any key blanked out, hidden and
    bidirectional characters and line breaks escaped, at most `limit` characters."""
    from .compiler.words import visible

    text = value if isinstance(value, str) else str(value)
    text = visible(redact(text[: 4 * limit], shapes=True)).translate(_LINE_BREAKS)
    return shorten(text, limit)


_LINE_BREAKS = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def untrusted_value(value: Any) -> Any:
    """A value a server answered that schedc compares with a file and may keep (a name, a
    zone, a day's hours): any key blanked out, shapes too, and nothing else changed. It is
    not escaped or shortened here (that would make an equal value differ); whatever shows it
    escapes it (`visible`, `json_text`, `json_file`). Blanked out at the read, it is the same
    in the plan shown, the plan saved and the plan `apply PLANFILE` makes again."""
    return redact(value, shapes=True) if isinstance(value, str) else value


def json_text(value: Any, *, shapes: bool = True, **options) -> str:
    """`value` as JSON for machines (`--json`, `check --format json`): any key blanked out (shapes
    too) and every hidden or bidirectional character written as a `\\uXXXX` escape, so that the
    text is safe on a terminal and still parses to the same strings (but the redacted ones)."""
    import json

    from .compiler.words import shown_pattern

    text = redact(json.dumps(value, ensure_ascii=False, **options), shapes=shapes)
    return shown_pattern().sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def json_file(value: Any, **options) -> str:
    """`value` as the JSON of a file schedc writes (the state, the journal, a saved plan): the
    known key blanked out, and hidden or bidirectional characters (a server's `\\x1b]0;…`,
    U+202E) written as `\\uXXXX` escapes, so that `cat` or `git diff` of the file shows them as
    text. The file reads back to the same values. Key shapes are left: a file's own content (a
    path, a name in a schedule) is not the place to guess at them; what a server said was
    blanked out when it was read (`untrusted`, `untrusted_value`)."""
    return json_text(value, shapes=False, **options)


# ---- the streams
# What a terminal would act on rather than show, on stderr: control characters but the line's own
# (`\n`, `\r` of the status line, `\t`), and escape sequences but the colours and the erasing of
# a line that schedc writes itself (`\x1b[1;31m`, `\x1b[K`).
_CONTROL = re.compile(r"\x1b\[[0-9;]*[mK]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class Guarded:
    """A text stream whose every line passes through `redact` before it reaches `stream`. A line
    is written whole: a write that ends inside one is kept until the line ends, or until a
    `flush` (a status line that ends with `\\r`, a prompt). With `shapes` (stderr, where schedc
    only says things about files and answers, never prints a file's content), key shapes are
    blanked out too, and control characters and bidirectional controls escaped: stderr carries
    schedc's colours and status line, which stay, but nothing else on it may make a terminal act
    (clear the screen, set its title, ring) or reorder what it draws."""

    def __init__(self, stream, shapes: bool):
        self.stream, self.shapes, self.pending = stream, shapes, ""

    def write(self, text: str) -> int:
        whole = self.pending + text
        cut = max(whole.rfind("\n"), whole.rfind("\r")) + 1
        self.pending = whole[cut:]
        if cut:
            self.stream.write(self._clean(whole[:cut]))
        return len(text)

    def _clean(self, text: str) -> str:
        text = redact(text, shapes=self.shapes)
        if self.shapes and _CONTROL.search(text):  # schedc's own colours and status line stay
            text = _CONTROL.sub(lambda m: m[0] if m[0].startswith("\x1b[") else m[0].encode("unicode_escape").decode(),
                                text)
        if self.shapes and not text.isascii():
            from .compiler.words import bidi_marks_pattern

            text = bidi_marks_pattern().sub(lambda m: f"\\u{ord(m[0]):04x}", text)
        return text

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self.pending:
            text, self.pending = self.pending, ""
            self.stream.write(self._clean(text))
        self.stream.flush()

    def __getattr__(self, name: str):  # fileno, isatty, encoding, buffer...: the stream's own
        return getattr(self.stream, name)


class guard_streams:
    """`with guard_streams():` every write to sys.stdout and sys.stderr passes through `redact`
    (on stderr, key shapes too); the streams are restored (and what is pending written) after."""

    def __enter__(self) -> "guard_streams":
        self.saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = Guarded(sys.stdout, shapes=False), Guarded(sys.stderr, shapes=True)
        return self

    def __exit__(self, *exc) -> None:
        guarded, (sys.stdout, sys.stderr) = (sys.stdout, sys.stderr), self.saved
        for stream in guarded:
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):  # a reader gone, a stream closed
                pass


__all__ = ["COVER", "ENVIRONMENT_KEY", "Guarded", "REDACTED", "cover", "guard_streams", "json_file", "json_text",
           "learn", "notice", "redact", "remember", "secrets", "shorten", "spans", "untrusted", "untrusted_value"]
