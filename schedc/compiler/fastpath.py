"""The commonest lines, recognised without the LALR machine: the same nodes, a fraction of the cost.

`line_nodes(line, number)` reads one line of a `.sched` file the way the generated parser's
contextual lexer and grammar do, and builds the very nodes `parser.ToNodes` would build, with
their spans already on line `number` (nothing is copied to move it). It covers every statement
of the grammar in its ordinary spelling. Whenever the text strays from that (a keyword glued to
the next word, an unusual space character, anything that might be an error) it returns None and
the caller runs the generated parser instead, so every syntax error still comes from there.

Every word is read with the grammar's own terminals: `terminals.py`, which
`tools/regenerate_parser.py` writes from grammar.lark beside the generated parser, holds their
patterns and fixed words; nothing here restates one. A differential property test
(tests/test_fastpath.py) draws words from the grammar's terminals, and near misses of them, and
requires the same nodes from both, or None here.

How lark lexes, and so how this module must: each parser state lexes only the terminals it can
accept, each token is the first match of its terminal's pattern (no backtracking into it), and
a keyword that a word pattern also matches whole (`tz` as a DAY) is that keyword only where the
state accepts both. So at the start of a statement a DAY word is `tz`, `user`, `availability` or
`meeting` when it is exactly one of them (in any case the grammar allows); after a duration, a
CHANNEL word is `slug` the same way; elsewhere keywords are plain prefixes (`tzEurope/London` is
`tz` and a zone), which this module never accepts: it wants a keyword to stand apart, and it
leaves any day word that is a keyword to the parser.
"""

from __future__ import annotations

import re
import sys

from ..diagnostics import Span
from . import nodes, terminals

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional

# Nodes built without their Python-level __new__: 9% of a compile (bench/instructions.py compile,
# docs/performance.md); tests/test_speed_tricks.py holds them equal to the constructors' nodes.
_new = tuple.__new__
_Span, _Word, _DayItem, _TimeRange, _DayRule = Span, nodes.Word, nodes.DayItem, nodes.TimeRange, nodes.DayRule

# ---- the grammar's terminals (terminals.PATTERNS: exact on text without a character of ODD)
_TERMINAL = terminals.PATTERNS
# A token is its terminal's first match, as lark's lexer takes it: inside a longer pattern an
# atomic group keeps backtracking from splitting a word differently (Python 3.11 and later;
# before, a plain group, which the grammar's terminals as they stand never need).
_ATOMIC = "(?>{})" if sys.version_info >= (3, 11) else "(?:{})"


def _token(name: str) -> str:
    """Terminal `name` as one token of a longer pattern (a fixed word needs no atomic group)."""
    return ("(?:{})" if name in terminals.WORDS else _ATOMIC).format(_TERMINAL[name])


class _Compiled(dict):
    """Each terminal's compiled pattern, compiled when first used (compiling is most of what
    importing this module costs, and a file may never need some of them)."""

    def __missing__(self, name: str):
        compiled = self[name] = re.compile(_SOURCE[name])
        return compiled


_SOURCE = dict(_TERMINAL)  # and two patterns for day rules, below
_PATTERN = _Compiled()
_ODD = None


def _odd(text: str) -> bool:
    """Whether `text` (not all ASCII) holds a character the fast patterns may read unlike the
    grammar's own (terminals.ODD): the fast path leaves such a line to the parser."""
    global _ODD
    if _ODD is None:
        _ODD = re.compile(terminals.ODD)
    return _ODD.search(text) is not None


def _class_run(pattern: str) -> Optional[str]:
    """`[...]` when `pattern` is one character class repeated, `[...]+`; else None."""
    if not (pattern.startswith("[") and pattern.endswith("]+")):
        return None
    body, k = pattern[1:-2], 0
    while k < len(body):
        if body[k] == "]":
            return None
        k += 2 if body[k] == "\\" else 1
    return pattern[:-1]


def _class(chars: str) -> str:
    """A character class of `chars` (none: a class that matches nothing)."""
    return "[" + "".join(map(_escaped, chars)) + "]" if chars else "(?!)"


def _escaped(char: str) -> str:
    return {" ": " ", "\t": r"\t", "\n": r"\n", "\r": r"\r", "\f": r"\f", "\v": r"\v"}.get(char) or re.escape(char)


# Spaces: any run of WS tokens, the way lark skips them.
_WS_CLASS = _class_run(_TERMINAL["WS"])
_SPACES_PATTERN = _ATOMIC.format(f"{_WS_CLASS}*") if _WS_CLASS else f"(?:{_token('WS')})*"
_SPACES = re.compile(_SPACES_PATTERN)


def _words(*names: str) -> tuple[dict, dict]:
    """The fixed words of the terminals `names`: ({lower-case word: name} for those whose case
    the grammar ignores, {word: name} for the others)."""
    folded, exact = {}, {}
    for name in names:
        if name in terminals.WORDS:
            text, fold = terminals.WORDS[name]
            (folded if fold else exact)[text.lower() if fold else text] = name
    return folded, exact


def _whole(pattern, words: tuple[dict, dict]) -> tuple[dict, dict]:
    """The words that `pattern` matches whole: lark reads those as their keyword where a word of
    `pattern` stands (its lexer checks each such word against the keywords)."""
    return tuple({word: name for word, name in table.items() if _matches_whole(pattern, word)} for table in words)


def _matches_whole(pattern, word: str) -> bool:
    match = pattern.match(word)
    return match is not None and match.end() == len(word)


# The keywords a statement starts with, as lark reads them in a DAY word; `slug` in a CHANNEL word.
_START_FOLDED, _START_EXACT = _whole(_PATTERN["DAY"], _words("TZ", "USER", "AVAILABILITY", "MEETING", "HOLIDAYS"))
_SLUG_FOLDED, _SLUG_EXACT = _whole(_PATTERN["CHANNEL"], _words("SLUG"))
# Every keyword: a day word that is one is left to the parser (lark may read it as the keyword).
_KEYWORDS, _CASED_KEYWORDS = _words("TZ", "USER", "AVAILABILITY", "MEETING", "SLUG", "HOLIDAYS")


def _state(*names: str) -> tuple:
    """What a parser state accepts, in the order lark's lexer tries them: (terminal, the ASCII
    characters a match may start with, whether it may start with another). COMMENT, which lark
    skips anywhere, ends the statement here: a comment runs to the end of the line."""
    names += ("_SEP", "COMMENT")
    return tuple((name, *terminals.FIRST[name]) for name in terminals.ORDER if name in names)


_AT_START = _state("DURATION", "DAY", "TZ", "USER", "AVAILABILITY", "MEETING")
_AFTER_DAY = _state("MINUS", "COMMA", "TIME", "TZ", "OFF")
_AFTER_DAYS = _state("COMMA", "TIME", "TZ", "OFF")
_AFTER_RANGES = _state("COMMA", "TZ")
_AFTER_NAME = _state("STRING", "NAME_WORD", "EMAIL")
_AFTER_MEETING = _state("STRING", "DURATION")
_AFTER_DURATION = _state("CHANNEL", "SLUG")
_AFTER_CHANNEL = _state("SLUG")
_AFTER_COMMA = _state("DAY")  # and after the `-` of a day range
_TIME_ONLY, _MINUS_ONLY, _EMAIL_ONLY = _state("TIME"), _state("MINUS"), _state("EMAIL")
_STRING_ONLY, _DURATION_ONLY, _SLUG_TEXT_ONLY = _state("STRING"), _state("DURATION"), _state("SLUG_TEXT")
_ZONE_ONLY, _REGION_ONLY = _state("ZONE"), _state("REGION")
_AFTER_ADDRESS = _state("TZ")  # after a user's address, or an availability's name
_END_ONLY = _state()
_ENDS = {"_SEP", "COMMENT", None}  # None: the end of the text


# The ordinary day rule in one match: `Mon-Fri, Sat 09:00-12:00, 13:00-17:00 tz Europe/London`,
# from where the last statement ended (separators and spaces) to where this one may end. The
# first three day items and time ranges have groups of their own, so their words are read from
# one match; a longer list is picked out afterwards.
# Inside the rule, only blanks and tabs (those of them the grammar counts as spaces) are read as
# spaces, the commonest and the cheapest to compile: a rule spaced otherwise goes to the reader.
_BLANKS = [char for char in " \t" if _matches_whole(_PATTERN["WS"], char)]
_BLANK = _class(_BLANKS)
if any(char in terminals.FIRST[name][0] for char in _BLANKS for name in terminals.FIRST if name != "WS"):
    _BLANK = _ATOMIC.format(_BLANK)  # a blank may start another token: keep lark's reading of it
_S, _S1 = f"{_BLANK}*", f"{_BLANK}+"  # blanks or none; blanks
_DAY_WORD, _TIME_WORD = _token("DAY"), _token("TIME")
_TO, _AND = f"{_S}{_token('MINUS')}{_S}", f"{_S}{_token('COMMA')}{_S}"
_ITEM_GROUPS = rf"({_DAY_WORD})(?:{_TO}({_DAY_WORD}))?"
_MORE_ITEMS = rf"((?:{_AND}{_DAY_WORD}(?:{_TO}{_DAY_WORD})?)*)"
_DAYS = rf"{_ITEM_GROUPS}(?:{_AND}{_ITEM_GROUPS})?(?:{_AND}{_ITEM_GROUPS})?{_MORE_ITEMS}"
_RANGE_GROUPS = rf"({_TIME_WORD}){_TO}({_TIME_WORD})"
_MORE_RANGES = rf"((?:{_AND}{_TIME_WORD}{_TO}{_TIME_WORD})*)"
_TIMES = rf"{_RANGE_GROUPS}(?:{_AND}{_RANGE_GROUPS})?(?:{_AND}{_RANGE_GROUPS})?{_MORE_RANGES}"
# Before the rule, spaces and separators of one character (`;` and blanks: all the layout a line
# holds but for its end) as one class, which matches faster than the layout's own patterns.
_SINGLES = "".join(char for name in ("WS", "_SEP") for char in terminals.FIRST[name][0]
                   if _matches_whole(_PATTERN[name], char))
_LEAD = _class(_SINGLES) + "*" if _SINGLES else ""
_STOP = "".join(char for char in terminals.FIRST["_SEP"][0] if _matches_whole(_PATTERN["_SEP"], char))
_DAY_RULE = re.compile(rf"{_LEAD}({_DAYS}){_S1}({_TIMES})(?:{_S1}{_token('TZ')}{_S1}({_token('ZONE')}))?"
                       rf"{_SPACES_PATTERN}(?=\Z|{_class(_STOP)}|{_TERMINAL['_SEP']}|{_TERMINAL['COMMENT']})")
# Groups of _DAY_RULE: 1 the days, 2-7 three items (first, last), 8 more items, 9 the times,
# 10-15 three ranges (start, end), 16 more ranges, 17 the zone.
assert _DAY_RULE.groups == 17
# For a rule of more than three items or ranges: one item, one range.
_SOURCE["item"] = rf"({_DAY_WORD})(?:{_TO}({_DAY_WORD}))?"
_SOURCE["range"] = rf"({_TIME_WORD}){_TO}({_TIME_WORD})"


class _Miss(Exception):
    """The line is not one this module reads: let the generated parser have it."""


def line_nodes(line: str, number: int) -> Optional[tuple[list, list]]:
    """(statements, comments) of one line (a trailing "\\n" allowed), or None for the parser."""
    if "\n" in line[:-1]:
        return None
    return plain_line_nodes(line, number)


def plain_line_nodes(line: str, number: int) -> Optional[tuple[list, list]]:
    """`line_nodes` for a line the caller knows holds no line break (but maybe a final one)."""
    if not line.isascii() and _odd(line):
        return None
    statements: list = []
    pos, size = 0, len(line)
    try:
        match = _DAY_RULE.match(line, 0)
        while match is not None:  # day rules only, the commonest line: no reader needed
            statements.append(_day_rule_nodes(match, line, number))
            pos = match.end()  # at the end, or at what follows the rule
            if pos >= size:
                return statements, []
            match = _DAY_RULE.match(line, pos)
        return _Reader(line, number).read(statements, pos)
    except _Miss:
        return None


# ---- what the parser shares: strings and comments
def unquote(text: str) -> str:
    """The value of a STRING as written (`"a\\"b"`): the quotes removed, the escapes undone."""
    inner = text[1:-1]
    return inner.replace('\\"', '"').replace("\\\\", "\\") if "\\" in inner else inner


def comment_node(body: str, before: str, line: int, column: int) -> nodes.Comment:
    """The node of a COMMENT token `body` at `line`, `column`, after `before` on its line."""
    body = body.rstrip("\r")
    trailing = not only_layout(before)
    return nodes.Comment(body, _new(_Span, (line, column, line, column + len(body))), trailing)


def only_layout(text: str) -> bool:
    """Whether `text` is spaces and separators only, as lark's lexer reads them (a no-break
    space, which `str.isspace` counts, is none: the grammar does not skip it)."""
    ws, sep = _exact_layout() if not text.isascii() and _odd(text) else (_PATTERN["WS"], _PATTERN["_SEP"])
    pos = 0
    while pos < len(text):
        match = ws.match(text, pos) or sep.match(text, pos)
        if match is None:
            return False
        pos = match.end()
    return True


def _exact_layout():
    """WS and _SEP exactly as the grammar has them, for the rare text with an odd character."""
    global _EXACT_LAYOUT
    if _EXACT_LAYOUT is None:
        _EXACT_LAYOUT = re.compile(terminals.EXACT["WS"]), re.compile(terminals.EXACT["_SEP"])
    return _EXACT_LAYOUT


_EXACT_LAYOUT = None


class _Reader:
    """Reads tokens the way the generated parser's contextual lexer does: in each parser state,
    the first of the terminals it accepts (in lark's order) that matches is the token."""

    __slots__ = ("text", "pos", "line", "found")

    def __init__(self, text: str, line: int):
        self.text, self.pos, self.line, self.found = text, 0, line, None

    # ---- the line
    def read(self, statements: list, pos: int) -> tuple[list, list]:
        """The rest of the line from `pos`, after the `statements` read so far."""
        text, comments, size = self.text, [], len(self.text)
        while True:
            match = _DAY_RULE.match(text, pos)  # the commonest statement, tried first
            if match is not None:
                statements.append(_day_rule_nodes(match, text, self.line))
                pos = match.end()
                continue
            pos = _SPACES.match(text, pos).end()
            separator = _PATTERN["_SEP"].match(text, pos)
            while separator is not None:  # spaces and separators between statements
                pos = _SPACES.match(text, separator.end()).end()
                separator = _PATTERN["_SEP"].match(text, pos)
            if pos >= size:
                break
            match = _PATTERN["COMMENT"].match(text, pos)
            if match is not None:
                comments.append(comment_node(match.group(), text[:pos], self.line, pos + 1))
                pos = match.end()
                continue
            self.pos = pos
            statements.append(self._statement())
            if self._peek(_END_ONLY) not in _ENDS:
                raise _Miss
            pos = self.pos
        return statements, comments

    # ---- tokens
    def _peek(self, state: tuple) -> Optional[str]:
        """Skip spaces; the name of the terminal lark reads next in `state` (None at the end of
        the text), left unread; _Miss if it reads none of them."""
        text = self.text
        self.pos = pos = _SPACES.match(text, self.pos).end()
        if pos >= len(text):
            return None
        char = text[pos]
        ascii = char < "\x80"
        for name, first, beyond in state:
            if (char in first if ascii else beyond):
                found = _PATTERN[name].match(text, pos)
                if found is not None:
                    self.found = found
                    return name
        raise _Miss

    def _take(self) -> nodes.Word:
        """The token `_peek` found; the reader moves past it."""
        start, end = self.found.span()
        self.pos = end
        return _new(_Word, (self.found.group(), _new(_Span, (self.line, start + 1, self.line, end + 1)), False))

    def _expect(self, state: tuple, name: str) -> nodes.Word:
        if self._peek(state) != name:
            raise _Miss
        return self._take()

    def _apart(self) -> None:
        """Spaces, at least one: a keyword must stand apart from what follows it."""
        before = self.pos
        self.pos = _SPACES.match(self.text, before).end()
        if self.pos == before:  # `tz` glued to what follows: rare, and the parser's business
            raise _Miss

    def _zone_after_space(self) -> nodes.Word:
        self._apart()
        return self._expect(_ZONE_ONLY, "ZONE")

    def _tz_clause(self, state: tuple) -> Optional[nodes.Word]:
        """An optional `tz ZONE` at the reader; None when the statement ends here instead."""
        kind = self._peek(state)
        if kind in _ENDS:
            return None
        if kind != "TZ":
            raise _Miss
        self._take()
        return self._zone_after_space()

    def _string(self) -> nodes.Word:
        word = self._take()
        return _new(_Word, (unquote(word.text), word.span, True))

    # ---- statements
    def _statement(self):
        kind = self._peek(_AT_START)
        if kind == "DURATION":
            return self._meeting(None)
        if kind != "DAY":
            raise _Miss
        text = self.found.group()
        keyword = _START_FOLDED.get(text.lower()) or _START_EXACT.get(text)
        if keyword is None:
            return self._any_day_rule()  # `read` has tried the ordinary day rule here
        word = self._take()
        if keyword == "TZ":
            zone = self._zone_after_space()
            return nodes.TzStatement(zone, zone.span)
        if keyword == "USER":
            return self._user(word)
        if keyword == "AVAILABILITY":
            return self._availability(word)
        if keyword == "HOLIDAYS":  # read here too: a declined line would load the parser for one statement
            self._apart()
            region = self._expect(_REGION_ONLY, "REGION")
            end = region.span.end_column
            return nodes.HolidaysStatement(region, _new(_Span, (self.line, word.span.column, self.line, end)))
        return self._meeting(word)

    def _any_day_rule(self) -> nodes.DayRule:
        item, kind = self._day_item()
        items = [item]
        while kind == "COMMA":
            self._take()
            item, kind = self._day_item()
            items.append(item)
        days = tuple(items)
        first = days[0].span
        if kind == "TIME":
            times = [self._time_range()]
            kind = self._peek(_AFTER_RANGES)
            while kind == "COMMA":
                self._take()
                times.append(self._time_range())
                kind = self._peek(_AFTER_RANGES)
            tz = self._tz_clause(_AFTER_RANGES)
            last = (tz or times[-1]).span
            return nodes.DayRule(days, tuple(times), None, tz, _new(_Span, (self.line, first.column, self.line, last.end_column)))
        if kind in _ENDS:
            last = days[-1].span
            return nodes.DayRule(days, (), None, None, _new(_Span, (self.line, first.column, self.line, last.end_column)))
        if kind == "OFF":
            off = self._take()
            return nodes.DayRule(days, (), off, None, _new(_Span, (self.line, first.column, self.line, off.span.end_column)))
        zone = self._tz_clause(_AFTER_DAYS)
        return nodes.DayRule(days, (), None, zone, _new(_Span, (self.line, first.column, self.line, zone.span.end_column)))

    def _day(self) -> nodes.Word:
        if self._peek(_AFTER_COMMA) != "DAY":
            raise _Miss
        word = self._take()
        if word.text.lower() in _KEYWORDS or word.text in _CASED_KEYWORDS:
            raise _Miss  # lark's lexer may read a keyword here, not a day: the parser's business
        return word

    def _day_item(self) -> tuple[nodes.DayItem, Optional[str]]:
        """A day item, and what lark reads after it (as `_peek` in the state after the days)."""
        first = self._day()
        kind = self._peek(_AFTER_DAY)
        if kind != "MINUS":  # the first match but a `-` is the first match among the rest too
            return nodes.DayItem(first, None, first.span), kind
        self._take()
        last = self._day()
        item = nodes.DayItem(first, last, _new(_Span, (self.line, first.span.column, self.line, last.span.end_column)))
        return item, self._peek(_AFTER_DAYS)

    def _time_range(self) -> nodes.TimeRange:
        start = self._expect(_TIME_ONLY, "TIME")
        self._expect(_MINUS_ONLY, "MINUS")
        end = self._expect(_TIME_ONLY, "TIME")
        return nodes.TimeRange(start, end, _new(_Span, (self.line, start.span.column, self.line, end.span.end_column)))

    def _user(self, keyword: nodes.Word) -> nodes.UserStatement:
        names = []
        kind = self._peek(_AFTER_NAME)
        while kind != "EMAIL":
            if kind == "STRING":
                names.append(self._string())
            elif kind == "NAME_WORD" and len(names) < 2:
                names.append(self._take())
            else:
                raise _Miss
            kind = self._peek(_AFTER_NAME if len(names) < 2 else _EMAIL_ONLY)
        token = self._take()
        email = _new(_Word, (token.text[1:-1], token.span, False))
        tz = self._tz_clause(_AFTER_ADDRESS)
        given = names[0] if names else None
        family = names[1] if len(names) > 1 else None
        end = (tz or token).span.end_column
        return nodes.UserStatement(given, family, email, tz,
                               _new(_Span, (self.line, keyword.span.column, self.line, end)))

    def _availability(self, keyword: nodes.Word) -> nodes.AvailabilityStatement:
        if self._peek(_STRING_ONLY) != "STRING":
            raise _Miss
        name = self._string()
        tz = self._tz_clause(_AFTER_ADDRESS)
        end = (tz or name).span.end_column
        return nodes.AvailabilityStatement(name, tz, _new(_Span, (self.line, keyword.span.column, self.line, end)))

    def _meeting(self, keyword: Optional[nodes.Word]) -> nodes.MeetingStatement:
        name = None
        if keyword is not None and self._peek(_AFTER_MEETING) == "STRING":
            name = self._string()
        duration = self._expect(_DURATION_ONLY, "DURATION")
        channel = slug = None
        kind = self._peek(_AFTER_DURATION)
        if kind == "CHANNEL":
            word = self._take()
            if word.text.lower() in _SLUG_FOLDED or word.text in _SLUG_EXACT:  # lark reads the keyword
                slug = self._slug_text()
            else:
                channel = word
                kind = self._peek(_AFTER_CHANNEL)
                if kind == "SLUG":
                    self._take()
                    slug = self._slug_text()
                elif kind not in _ENDS:
                    raise _Miss
        elif kind not in _ENDS:
            raise _Miss
        first = keyword or duration
        last = slug or channel or duration
        return nodes.MeetingStatement(name, duration, channel, slug,
                                  _new(_Span, (self.line, first.span.column, self.line, last.span.end_column)),
                                  keyword=keyword is not None)

    def _slug_text(self) -> nodes.Word:
        self._apart()
        return self._expect(_SLUG_TEXT_ONLY, "SLUG_TEXT")


def _day_rule_nodes(match, text: str, line: int) -> nodes.DayRule:
    """The nodes of an ordinary day rule that `_DAY_RULE` matched in `text`, on line `line`."""
    regs = match.regs
    new, span, word = _new, _Span, _Word
    days_start, days_end = regs[1]
    if regs[8][0] == regs[8][1]:  # three items or fewer, each in its groups (unused ones at -1)
        places = (regs[2] + regs[3], regs[4] + regs[5], regs[6] + regs[7])
    else:
        places = [item.regs[1] + item.regs[2] for item in _PATTERN["item"].finditer(text, days_start, days_end)]
    items = []
    for a, b, c, d in places:
        if a < 0:
            break
        name = text[a:b]
        if name.lower() in _KEYWORDS or name in _CASED_KEYWORDS:
            raise _Miss  # lark's lexer may read a keyword here, not a day: the parser's business
        first = new(word, (name, new(span, (line, a + 1, line, b + 1)), False))
        if c < 0:
            items.append(new(_DayItem, (first, None, first[1])))
        else:
            name = text[c:d]
            if name.lower() in _KEYWORDS or name in _CASED_KEYWORDS:
                raise _Miss
            items.append(new(_DayItem, (first, new(word, (name, new(span, (line, c + 1, line, d + 1)), False)),
                                        new(span, (line, a + 1, line, d + 1)))))
    if regs[16][0] == regs[16][1]:
        places = (regs[10] + regs[11], regs[12] + regs[13], regs[14] + regs[15])
    else:
        places = [r.regs[1] + r.regs[2] for r in _PATTERN["range"].finditer(text, *regs[9])]
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
