"""Semantic tokens: every word of a `.sched` file with the class the TextMate grammar gives it, so that an
editor with no syntax file of its own (Neovim, Helix, any LSP client) colours the file.

The classes are the grammar's (editors/vscode/syntaxes/sched.tmLanguage.json), each sent as one
of the protocol's standard token types, which every editor has a colour for. The words come
from the syntax tree, not from patterns: `user Tz Smith <tz@example.com>` is a user called Tz,
where the TextMate grammar sees a zone clause. A line that does not parse is coloured by its
look, word by word, so a half-typed statement keeps its colours.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from ..compiler import nodes, words
from ..diagnostics import ScheduleError
from .text import Text

# TextMate class → (the protocol's token type, its modifiers)
CLASSES = {
    "comment.line.number-sign": ("comment", ()),
    "keyword.control.statement": ("keyword", ()),
    "keyword.other.tz": ("keyword", ()),
    "keyword.other.slug": ("keyword", ()),
    "keyword.other.off": ("keyword", ()),
    "string.quoted.double": ("string", ()),
    "string.unquoted.name": ("string", ()),
    "string.other.email": ("string", ()),
    "string.unquoted.slug": ("string", ()),
    "constant.numeric.time": ("number", ()),
    "constant.numeric.duration": ("number", ()),
    "constant.language.day": ("enumMember", ()),
    "support.constant.channel": ("enumMember", ("defaultLibrary",)),
    "support.constant.timezone": ("type", ("defaultLibrary",)),
    "support.constant.region": ("enum", ("defaultLibrary",)),
    "punctuation.terminator.statement": ("operator", ()),
    "punctuation.separator.list": ("operator", ()),
    "punctuation.separator.range": ("operator", ()),
}
TYPES = ("comment", "keyword", "string", "number", "enumMember", "type", "operator", "enum")
MODIFIERS = ("defaultLibrary",)

_GAP = re.compile(r"[A-Za-z]+|[;,\-]")
_GAP_WORDS = {"user": "keyword.control.statement", "availability": "keyword.control.statement",
              "meeting": "keyword.control.statement", "holidays": "keyword.control.statement", "tz": "keyword.other.tz", "slug": "keyword.other.slug"}
_PUNCTUATION = {";": "punctuation.terminator.statement", ",": "punctuation.separator.list",
                "-": "punctuation.separator.range"}
_LOOK = re.compile(r'(?P<comment>#.*)|(?P<string>"(?:\\.|[^"\\\n])*"?)|(?P<email><[^<>\s;#]*>?)'
                   r"|(?P<time>[0-9]+:[0-9]+)|(?P<duration>[0-9]+(?:h(?:[0-9]+(?:min|m)?)?|min|m)(?![A-Za-z0-9]))"
                   r"|(?P<word>[A-Za-z][A-Za-z0-9_+]*(?:/[A-Za-z0-9_+\-]+)+|[A-Za-z][A-Za-z0-9_]*)|(?P<mark>[;,\-])",
                   re.IGNORECASE)


def classes(text: Text) -> list[tuple[int, int, str]]:
    """(start, end, TextMate class) of every coloured piece of the text, in order."""
    try:
        from ..api import parse

        return _from_tree(text, parse(text.body), text.span, 0, len(text.source))
    except ScheduleError:
        pass
    found = []
    for start, end in _lines(text):
        found.extend(_from_line(text, start, end))
    return found


def encode(text: Text, found: list[tuple[int, int, str]]) -> list[int]:
    """The protocol's relative encoding: five integers a token, positions in the agreed encoding."""
    data: list[int] = []
    last_line = last_start = 0
    for start, end, name in found:
        (line, character), (end_line, end_character) = text.position(start), text.position(end)
        if end_line != line or end_character <= character:
            continue
        kind, modifiers = CLASSES[name]
        bits = sum(1 << MODIFIERS.index(m) for m in modifiers)
        data += [line - last_line, character - last_start if line == last_line else character,
                 end_character - character, TYPES.index(kind), bits]
        last_line, last_start = line, character
    return data


def delta(old: list[int], new: list[int]) -> Optional[tuple[int, int, list[int]]]:
    """One edit that turns `old` into `new` (start, how many to delete, what to insert), or None when equal."""
    if old == new:
        return None
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, len(old) - prefix - suffix, new[prefix:len(new) - suffix]


# ---- from the syntax tree
def _from_tree(text: Text, document: nodes.Document, place, low: int, high: int) -> list[tuple[int, int, str]]:
    """The pieces of `text` between `low` and `high` that `document` covers; `place(span)` is a
    span's (start, end) in the text."""
    pieces = [(*place(word.span), name) for statement in document.statements for word, name in _words(statement)]
    pieces += [(*place(comment.span), "comment.line.number-sign") for comment in document.comments]
    pieces = sorted(p for p in pieces if low <= p[0] and p[1] <= high)
    found, at = [], low
    for start, end, name in pieces:
        found.extend(_gap(text, at, start))
        found.append((start, end, name))
        at = max(at, end)
    found.extend(_gap(text, at, high))
    return found


def _gap(text: Text, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """The keywords and punctuation between the words the syntax tree keeps."""
    for match in _GAP.finditer(text.source, start, end):
        word = match[0]
        name = _PUNCTUATION.get(word) or _GAP_WORDS.get(word.lower())
        if name:
            yield match.start(), match.end(), name


def _words(statement) -> Iterator[tuple[nodes.Word, str]]:
    zone = "support.constant.timezone"
    if isinstance(statement, nodes.DayRule):
        for item in statement.days:
            yield item.first, "constant.language.day"
            if item.last is not None:
                yield item.last, "constant.language.day"
        for time_range in statement.times:
            yield time_range.start, "constant.numeric.time"
            yield time_range.end, "constant.numeric.time"
        if statement.off is not None:
            yield statement.off, "keyword.other.off"
    elif isinstance(statement, nodes.TzStatement):
        yield statement.zone, zone
    elif isinstance(statement, nodes.UserStatement):
        for name in (statement.given, statement.family):
            if name is not None:
                yield name, "string.quoted.double" if name.quoted else "string.unquoted.name"
        yield statement.email, "string.other.email"
    elif isinstance(statement, nodes.AvailabilityStatement):
        yield statement.name, "string.quoted.double"
    elif isinstance(statement, nodes.HolidaysStatement):
        yield statement.region, "support.constant.region"
    elif isinstance(statement, nodes.MeetingStatement):
        if statement.name is not None:
            yield statement.name, "string.quoted.double"
        yield statement.duration, "constant.numeric.duration"
        if statement.channel is not None:
            yield statement.channel, "support.constant.channel"
        if statement.slug is not None:
            yield statement.slug, "string.unquoted.slug"
    tz = getattr(statement, "tz", None)
    if tz is not None:
        yield tz, zone


# ---- a file with a syntax error: line by line
def _lines(text: Text) -> Iterator[tuple[int, int]]:
    """(start, end) of each of schedc's lines of the text (split at `\\n`)."""
    start = text.bom
    while start <= len(text.source):
        end = text.source.find("\n", start)
        end = len(text.source) if end < 0 else end
        yield start, end
        start = end + 1


def _from_line(text: Text, start: int, end: int) -> list[tuple[int, int, str]]:
    """One line of a file that does not parse: from its syntax tree when the line parses alone,
    else word by word."""
    from ..api import parse

    alone = Text(text.source[start:end])
    try:
        document = parse(alone.source)
    except ScheduleError:
        return list(_by_look(text, start, end))

    def place(span) -> tuple[int, int]:
        first, last = alone.span(span)
        return start + first, start + last

    return _from_tree(text, document, place, start, end)


def _by_look(text: Text, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """A line that does not parse, coloured word by word as the TextMate grammar would."""
    previous = ""
    for match in _LOOK.finditer(text.source, start, end):
        kind, word = match.lastgroup, match[0]
        name = {"comment": "comment.line.number-sign", "string": "string.quoted.double", "email": "string.other.email",
                "time": "constant.numeric.time", "duration": "constant.numeric.duration"}.get(kind)
        if kind == "mark":
            name = _PUNCTUATION[word]
        elif kind == "word":
            name = _word_class(word, previous)
        previous = word.lower()
        if name:
            yield match.start(), match.end(), name


def _word_class(word: str, previous: str) -> Optional[str]:
    lowered = word.lower()
    if previous == "tz":
        return "support.constant.timezone"
    if previous == "slug":
        return "string.unquoted.slug"
    if lowered in _GAP_WORDS:
        return _GAP_WORDS[lowered]
    if lowered in ("off", "closed"):
        return "keyword.other.off"
    if words.day_index(word) is not None or words.alias_days(word) is not None:
        return "constant.language.day"
    if words.channel(word) is not None:
        return "support.constant.channel"
    return None
