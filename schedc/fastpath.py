"""The commonest lines, recognised without the LALR machine: the same nodes, a fraction of the cost.

`line_nodes(line, number)` reads one line of a `.sched` file the way the generated parser's
contextual lexer and grammar do, and builds the very nodes `parser.ToNodes` would build, with
their spans already on line `number` (nothing is copied to move it). It covers every statement
of the grammar in its ordinary spelling. Whenever the text strays from that (a keyword glued to
the next word, an unusual space character, anything that might be an error) it returns None and
the caller runs the generated parser instead, so every syntax error still comes from there.

A differential property test (tests/test_fastpath.py) parses generated valid and invalid lines
both ways and requires the same nodes, or None here.

How lark lexes, and so how this module must: each parser state lexes only the terminals it can
accept. At the start of a statement a word of letters is a DAY unless it is exactly (in any case)
`tz`, `user`, `availability` or `meeting`; after a duration, a channel-shaped word is `slug` only
when it is exactly `slug`; elsewhere keywords are plain prefixes (`tzEurope/London` is `tz` and
a zone), which this module never accepts: it wants a keyword to be a whole word.
"""

from __future__ import annotations

import re

from . import nodes as n
from .diagnostics import Span

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: `typing` is not imported at run time
    from typing import Optional

_new = tuple.__new__  # build NamedTuples without their Python-level __new__
_Span, _Word, _DayItem, _TimeRange, _DayRule = Span, n.Word, n.DayItem, n.TimeRange, n.DayRule

# The terminals of grammar.lark, as written there.
_WS = re.compile(r"[ \t\f\r]*")  # lark's WS also has U+FEFF; a line holding one goes to the parser
_LETTERS = re.compile(r"[A-Za-z]+")
_TIME = re.compile(r"[0-9]+:[0-9]+")
# The grammar's DURATION ignores case; spelt out in ASCII here (which compiles five times
# faster), the fast path declines the rare Unicode look-alikes (`mın`) and the parser reads them.
_DURATION = re.compile(r"[0-9]+([Hh]([0-9]+([Mm][Ii][Nn]|[Mm])?)?|[Mm][Ii][Nn]|[Mm])(?![A-Za-z0-9])")
_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*")
_CHANNEL = re.compile(r"[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*")
_SLUG_TEXT = re.compile(r"[^\s;#]+")
_EMAIL = re.compile(r"<[^<>\s;#]*>")
_NAME_WORD = re.compile(r"[^\s;#<>\"]+")
_STRING = re.compile(r'"(\\["\\]|[^"\\\n])*"')

# The ordinary day rule in one match: `Mon-Fri, Sat 09:00-12:00, 13:00-17:00 tz Europe/London`,
# ending where a statement may end. The first three day items and time ranges have groups of
# their own, so their words are read from one match; a longer list is picked out afterwards.
_S = r"[ \t]*"
_DAY_WORD = r"[A-Za-z]+"
_ITEM_GROUPS = rf"({_DAY_WORD})(?:{_S}-{_S}({_DAY_WORD}))?"
_MORE_ITEMS = rf"((?:{_S},{_S}{_DAY_WORD}(?:{_S}-{_S}{_DAY_WORD})?)*)"
_DAYS = rf"{_ITEM_GROUPS}(?:{_S},{_S}{_ITEM_GROUPS})?(?:{_S},{_S}{_ITEM_GROUPS})?{_MORE_ITEMS}"
_RANGE_GROUPS = rf"([0-9]+:[0-9]+){_S}-{_S}([0-9]+:[0-9]+)"
_MORE_RANGES = rf"((?:{_S},{_S}[0-9]+:[0-9]+{_S}-{_S}[0-9]+:[0-9]+)*)"
_TIMES = rf"{_RANGE_GROUPS}(?:{_S},{_S}{_RANGE_GROUPS})?(?:{_S},{_S}{_RANGE_GROUPS})?{_MORE_RANGES}"
# From where the last statement ended: the separators, the rule, and the spaces after it.
_DAY_RULE = re.compile(rf"[ \t\f\r;]*({_DAYS})[ \t]+({_TIMES})(?:[ \t]+[Tt][Zz][ \t]+({_ZONE.pattern}))?"
                       rf"[ \t\f\r]*(?=[;#\n]|\Z)")
# Groups of _DAY_RULE: 1 the days, 2-7 three items (first, last), 8 more items, 9 the times,
# 10-15 three ranges (start, end), 16 more ranges, 17 the zone (the zone pattern's own group is 18).
assert _DAY_RULE.groups == 18
_ITEM = re.compile(rf"([A-Za-z]+)(?:{_S}-{_S}([A-Za-z]+))?")
_RANGE = re.compile(rf"([0-9]+:[0-9]+){_S}-{_S}([0-9]+:[0-9]+)")

_START_KEYWORDS = {"tz": "tz", "user": "user", "availability": "availability", "meeting": "meeting"}
_OFF = {"off", "closed"}
_ENDS = {";", "#", "\n"}  # what may follow a statement (besides the end of the text)


class _Miss(Exception):
    """The line is not one this module reads: let the generated parser have it."""


def line_nodes(line: str, number: int) -> Optional[tuple[list, list]]:
    """(statements, comments) of one line (a trailing "\\n" allowed), or None for the parser."""
    if "\ufeff" in line or "\n" in line[:-1]:
        return None
    return plain_line_nodes(line, number)


def plain_line_nodes(line: str, number: int) -> Optional[tuple[list, list]]:
    """`line_nodes` for a line the caller knows holds no line break (but maybe a final one) and
    no U+FEFF: `parser.parse` has ruled both out for the whole text."""
    statements: list = []
    pos, size = 0, len(line) - 1 if line.endswith("\n") else len(line)
    try:
        match = _DAY_RULE.match(line, 0)
        while match is not None:  # day rules only, the commonest line: no reader needed
            statements.append(_day_rule_nodes(match, line, number))
            pos = match.end()  # at the end, or at the `;` or `#` that follows
            if pos >= size:
                return statements, []
            match = _DAY_RULE.match(line, pos)
        return _Reader(line, number).read(statements, pos)
    except _Miss:
        return None


class _Reader:
    __slots__ = ("text", "pos", "line", "size")

    def __init__(self, text: str, line: int):
        self.text, self.pos, self.line = text, 0, line
        self.size = len(text) - 1 if text.endswith("\n") else len(text)  # "\n" may only end the text

    # ---- the line
    def read(self, statements: list, pos: int) -> tuple[list, list]:
        """The rest of the line from `pos`, after the `statements` read so far."""
        text, comments, size = self.text, [], self.size
        while True:
            match = _DAY_RULE.match(text, pos)  # the commonest statement, tried first
            if match is not None:
                statements.append(_day_rule_nodes(match, text, self.line))
                pos = match.end()
                if pos >= size:
                    break
                continue
            pos = _WS.match(text, pos).end()
            while pos < size and text[pos] == ";":
                pos = _WS.match(text, pos + 1).end()
            self.pos = pos
            if pos >= size:
                break
            char = text[pos]
            if char == "#":
                comments.append(self._comment(pos))
                break
            statements.append(self._statement(char))
            pos = _WS.match(text, self.pos).end()
            if pos < size and text[pos] not in _ENDS:
                raise _Miss
        return statements, comments

    def _comment(self, pos: int) -> n.Comment:
        text = self.text
        body = text[pos:self.size]
        trailing = text[:pos].strip(" \t\f\r\ufeff;") != ""
        body = body.rstrip("\r")
        return n.Comment(body, _new(_Span, (self.line, pos + 1, self.line, pos + 1 + len(body))), trailing)

    def _statement(self, char: str):
        if char.isdigit():
            return self._meeting(None)
        match = _LETTERS.match(self.text, self.pos)
        if match is None:
            raise _Miss
        keyword = _START_KEYWORDS.get(match.group().lower())
        if keyword is None:
            return self._any_day_rule()  # `read` has tried the ordinary day rule here
        word = self._token(match)
        if keyword == "tz":
            zone = self._zone_after_space()
            return n.TzStatement(zone, zone.span)
        if keyword == "user":
            return self._user(word)
        if keyword == "availability":
            return self._availability(word)
        return self._meeting(word)

    # ---- tokens
    def _token(self, match) -> n.Word:
        """The matched text as a Word; the reader moves past it."""
        start, end = match.span()
        self.pos = end
        return _new(_Word, (match.group(), _new(_Span, (self.line, start + 1, self.line, end + 1)), False))

    def _skip(self) -> str:
        """Skip spaces; the next character, or "" at the end of the statement text."""
        self.pos = _WS.match(self.text, self.pos).end()
        return self.text[self.pos] if self.pos < self.size else ""

    def _expect(self, pattern) -> n.Word:
        match = pattern.match(self.text, self.pos)
        if match is None or match.end() > self.size:
            raise _Miss
        return self._token(match)

    def _keyword(self, words) -> Optional[n.Word]:
        """A whole word of letters from `words` (any case), or None if there is no word here."""
        match = _LETTERS.match(self.text, self.pos)
        if match is None:
            return None
        if match.group().lower() not in words:
            raise _Miss
        return self._token(match)

    def _zone_after_space(self) -> n.Word:
        before = self.pos
        self._skip()
        if self.pos == before:  # `tz` glued to what follows: rare, and the parser's business
            raise _Miss
        return self._expect(_ZONE)

    def _tz_clause(self) -> Optional[n.Word]:
        """An optional `tz ZONE` at the reader; None when the statement ends here instead."""
        char = self._skip()
        if char == "" or char in _ENDS:
            return None
        if self._keyword(("tz",)) is None:
            raise _Miss
        return self._zone_after_space()

    def _string(self) -> n.Word:
        match = _STRING.match(self.text, self.pos)
        if match is None or match.end() > self.size:
            raise _Miss
        start, end = match.span()
        self.pos = end
        inner = match.group()[1:-1]
        text = inner.replace('\\"', '"').replace("\\\\", "\\") if "\\" in inner else inner
        return _new(_Word, (text, _new(_Span, (self.line, start + 1, self.line, end + 1)), True))

    # ---- statements
    def _any_day_rule(self) -> n.DayRule:
        items = [self._day_item()]
        char = self._skip()
        while char == ",":
            self.pos += 1
            self._skip()
            items.append(self._day_item())
            char = self._skip()
        days = tuple(items)
        first = days[0].span
        if char.isdigit():
            times = [self._time_range()]
            char = self._skip()
            while char == ",":
                self.pos += 1
                self._skip()
                times.append(self._time_range())
                char = self._skip()
            tz = self._tz_clause()
            last = (tz or times[-1]).span
            return n.DayRule(days, tuple(times), None, tz, _new(_Span, (self.line, first.column, self.line, last.end_column)))
        if char == "" or char in _ENDS:
            last = days[-1].span
            return n.DayRule(days, (), None, None, _new(_Span, (self.line, first.column, self.line, last.end_column)))
        keyword = self._keyword(("tz", "off", "closed"))
        if keyword is None:
            raise _Miss
        if keyword.text.lower() in _OFF:
            return n.DayRule(days, (), keyword, None, _new(_Span, (self.line, first.column, self.line, keyword.span.end_column)))
        zone = self._zone_after_space()
        return n.DayRule(days, (), None, zone, _new(_Span, (self.line, first.column, self.line, zone.span.end_column)))

    def _day(self) -> n.Word:
        match = _LETTERS.match(self.text, self.pos)
        if match is None or match.group().lower() in _KEYWORDS:  # leave keyword-like days to the parser
            raise _Miss
        return self._token(match)

    def _day_item(self) -> n.DayItem:
        first = self._day()
        if self._skip() != "-":
            return n.DayItem(first, None, first.span)
        self.pos += 1
        self._skip()
        last = self._day()
        return n.DayItem(first, last, _new(_Span, (self.line, first.span.column, self.line, last.span.end_column)))

    def _time_range(self) -> n.TimeRange:
        start = self._expect(_TIME)
        if self._skip() != "-":
            raise _Miss
        self.pos += 1
        self._skip()
        end = self._expect(_TIME)
        if self.pos < self.size and self.text[self.pos] in "0123456789:":
            raise _Miss
        return n.TimeRange(start, end, _new(_Span, (self.line, start.span.column, self.line, end.span.end_column)))

    def _user(self, keyword: n.Word) -> n.UserStatement:
        names = []
        while True:
            char = self._skip()
            if char == "<":
                break
            if len(names) == 2:
                raise _Miss
            names.append(self._string() if char == '"' else self._expect(_NAME_WORD))
            if self.pos < self.size and self.text[self.pos] not in ' \t\f\r<"':
                raise _Miss  # a space lark does not skip, or a character that ends nothing
        token = self._expect(_EMAIL)
        span = token.span
        email = _new(_Word, (token.text[1:-1], span, False))
        tz = self._tz_clause()
        given = names[0] if names else None
        family = names[1] if len(names) > 1 else None
        end = (tz or token).span.end_column
        return n.UserStatement(given, family, email, tz,
                               _new(_Span, (self.line, keyword.span.column, self.line, end)))

    def _availability(self, keyword: n.Word) -> n.AvailabilityStatement:
        if self._skip() != '"':
            raise _Miss
        name = self._string()
        tz = self._tz_clause()
        end = (tz or name).span.end_column
        return n.AvailabilityStatement(name, tz, _new(_Span, (self.line, keyword.span.column, self.line, end)))

    def _meeting(self, keyword: Optional[n.Word]) -> n.MeetingStatement:
        name = None
        if keyword is not None and self._skip() == '"':
            name = self._string()
        self._skip()
        duration = self._expect(_DURATION)
        channel = slug = None
        char = self._skip()
        if char and char not in _ENDS:
            word = self._expect(_CHANNEL)
            if word.text.lower() == "slug":  # lark's lexer turns a whole-word `slug` into the keyword
                slug = self._slug_text()
            else:
                channel = word
                char = self._skip()
                if char and char not in _ENDS:
                    if self._keyword(("slug",)) is None:
                        raise _Miss
                    slug = self._slug_text()
        first = keyword or duration
        last = slug or channel or duration
        return n.MeetingStatement(name, duration, channel, slug,
                                  _new(_Span, (self.line, first.span.column, self.line, last.span.end_column)),
                                  keyword=keyword is not None)

    def _slug_text(self) -> n.Word:
        before = self.pos
        self._skip()
        if self.pos == before:
            raise _Miss
        word = self._expect(_SLUG_TEXT)
        if self.pos < self.size and self.text[self.pos] not in " \t\f\r;#":
            raise _Miss
        return word


def _day_rule_nodes(match, text: str, line: int) -> n.DayRule:
    """The nodes of an ordinary day rule that `_DAY_RULE` matched in `text`, on line `line`."""
    regs = match.regs
    new, span, word = _new, _Span, _Word
    days_start, days_end = regs[1]
    if regs[8][0] == regs[8][1]:  # three items or fewer, each in its groups (unused ones at -1)
        places = (regs[2] + regs[3], regs[4] + regs[5], regs[6] + regs[7])
    else:
        places = [item.regs[1] + item.regs[2] for item in _ITEM.finditer(text, days_start, days_end)]
    items = []
    for a, b, c, d in places:
        if a < 0:
            break
        name = text[a:b]
        if name.lower() in _KEYWORDS:  # lark's lexer reads a keyword here, not a day: its business
            raise _Miss
        first = new(word, (name, new(span, (line, a + 1, line, b + 1)), False))
        if c < 0:
            items.append(new(_DayItem, (first, None, first[1])))
        else:
            name = text[c:d]
            if name.lower() in _KEYWORDS:
                raise _Miss
            items.append(new(_DayItem, (first, new(word, (name, new(span, (line, c + 1, line, d + 1)), False)),
                                        new(span, (line, a + 1, line, d + 1)))))
    if regs[16][0] == regs[16][1]:
        places = (regs[10] + regs[11], regs[12] + regs[13], regs[14] + regs[15])
    else:
        places = [r.regs[1] + r.regs[2] for r in _RANGE.finditer(text, *regs[9])]
    times = []
    for a, b, c, d in places:
        if a < 0:
            break
        times.append(new(_TimeRange, (new(word, (text[a:b], new(span, (line, a + 1, line, b + 1)), False)),
                                      new(word, (text[c:d], new(span, (line, c + 1, line, d + 1)), False)),
                                      new(span, (line, a + 1, line, d + 1)))))
    tz = None
    a, end = regs[17]
    if a >= 0:
        tz = new(word, (text[a:end], new(span, (line, a + 1, line, end + 1)), False))
    else:
        end = regs[9][1]
    return new(_DayRule, (tuple(items), tuple(times), None, tz, new(span, (line, days_start + 1, line, end + 1))))


_KEYWORDS = {"tz", "user", "availability", "meeting", "slug", "off", "closed"}
