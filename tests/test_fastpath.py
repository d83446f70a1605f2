"""Three parsers, one syntax: lark itself, the shipped stand-alone parser, and the fast path.

The grammar is the one definition of the syntax. The shipped parser (generated from it) must
give exactly what lark gives, nodes and diagnostics; the fast path must give exactly the nodes
the parsers give, or decline (None) and leave the line to them, so that every syntax error
comes from the parser. Hypothesis generates valid and invalid lines, with keywords in every
slot and case, glued tokens, odd spaces and unterminated strings.
"""

from __future__ import annotations

import os
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedc import fastpath, parser
from schedc.diagnostics import Diagnostic, ScheduleError
from schedc.words import find_hidden

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

with open(parser.GRAMMAR, encoding="utf-8") as handle:
    LARK = parser.Backend(lark, lark.Lark(handle.read(), **parser.LARK_OPTIONS, **parser.callbacks()))

# ---- generated text
SPACE = st.sampled_from(["", " ", " ", "  ", "\t", "\f", "\r"])
ODD_SPACE = st.sampled_from(["\xa0", "\ufeff", "\u2003", "\x0b"])
WORDS = [
    "Mo", "mon", "Monday", "FRIDAY", "Fr", "Su", "weekdays", "Daily", "Mnday", "X", "tz", "TZ", "Tz", "off", "Off",
    "CLOSED", "user", "USER", "availability", "Availability", "meeting", "Meeting", "slug", "SLUG", "tzEurope/London",
    "offx", "slugx", "meeting45min", "user1", "09:00", "9:5", "24:00", "25:00", "09:00:00", "9", "-", ",", ";", "45min",
    "1h30", "90m", "1h", "2H", "45", "45minx", "Europe/London", "Etc/GMT+5", "Europe/Berlin/", "UTC", "zoom",
    "teamsForBusiness2", "phone-incoming", "slug-x", "intro-call", "Intro_Call", "a.b", "Ann", "José", "O'Neil",
    '"Business Hours"', '"a\\"b"', '"x;y#z"', '"', '"unterminated', "<a@b.c>", "<>", "<a b>", "<a@b", ">", "# note",
    "#", "é", "ſlug", "\u212a",
]


@st.composite
def soup(draw):
    """Any sequence of the language's words (and some that are not), with any spacing."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14))
    pieces = []
    for word in words:
        pieces.append(draw(st.one_of(SPACE, ODD_SPACE) if draw(st.integers(0, 19)) == 0 else SPACE))
        pieces.append(word)
    return "".join(pieces) + draw(st.sampled_from(["", "\n", "\r\n", " \n"]))


def _spaced(draw, *parts: str) -> str:
    return "".join(part + draw(SPACE.filter(bool)) if k < len(parts) - 1 else part for k, part in enumerate(parts))


DAY = st.sampled_from(["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "Mon", "tue", "Wednesday", "SUNDAY", "weekdays",
                       "weekends", "daily", "Mnday"])
TIME = st.sampled_from(["09:00", "9:00", "17:30", "00:00", "24:00", "23:59", "25:00", "9:5"])
ZONE = st.sampled_from(["Europe/London", "America/New_York", "UTC", "Etc/GMT+5", "Europe/Londn", "US/Eastern"])


@st.composite
def statement(draw):
    """One statement as people write it: mostly valid, always well-formed enough to parse."""
    kind = draw(st.sampled_from(["days", "days", "days", "off", "tz", "user", "availability", "meeting", "bare"]))
    tz = f" {draw(st.sampled_from(['tz', 'TZ']))} {draw(ZONE)}" if draw(st.booleans()) else ""
    if kind in ("days", "off", "bare"):
        items = []
        for _ in range(draw(st.integers(1, 5))):  # past three, the fast path reads the rest apart
            first = draw(DAY)
            items.append(f"{first}{draw(SPACE)}-{draw(SPACE)}{draw(DAY)}" if draw(st.booleans()) else first)
        days = f"{draw(SPACE)},{draw(SPACE)}".join(items)
        if kind == "off":
            return f"{days} {draw(st.sampled_from(['off', 'Off', 'closed', 'CLOSED']))}"
        if kind == "bare":
            return days + tz
        ranges = [f"{draw(TIME)}{draw(SPACE)}-{draw(SPACE)}{draw(TIME)}" for _ in range(draw(st.integers(1, 5)))]
        return f"{days} " + f"{draw(SPACE)},{draw(SPACE)}".join(ranges) + tz
    if kind == "tz":
        return f"{draw(st.sampled_from(['tz', 'Tz']))} {draw(ZONE)}"
    if kind == "user":
        names = draw(st.lists(st.sampled_from(["John", "Smith", '"Anna Maria"', "José", '"a\\"b"', "O'Neil"]),
                              max_size=2))
        email = draw(st.sampled_from(["<john@example.com>", "<a.b+c@mail.example.org>", "<>", "<x@y>"]))
        return _spaced(draw, draw(st.sampled_from(["user", "User"])), *names, email) + tz
    if kind == "availability":
        return "availability " + draw(st.sampled_from(['"Business Hours"', '""', '"a;b#c"'])) + tz
    keyword = draw(st.sampled_from(["meeting ", "Meeting ", ""]))
    name = draw(st.sampled_from(['"Intro" ', '"45 Minute Call" ', ""])) if keyword else ""
    parts = [f"{keyword}{name}{draw(st.sampled_from(['45min', '1h30', '90m', '1H', '500min']))}"]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(["zoom", "connect", "teamsForBusiness2", "phone-incoming", "Zoom", "tz"])))
    if draw(st.booleans()):
        parts.append(f"{draw(st.sampled_from(['slug', 'SLUG']))} {draw(st.sampled_from(['intro', 'Intro_Call', 'a-b']))}")
    return " ".join(parts)


@st.composite
def line(draw):
    """One or more statements on a line, `;`-separated, maybe with a comment."""
    statements = draw(st.lists(statement(), min_size=0, max_size=3))
    text = draw(SPACE) + f"{draw(SPACE)};{draw(SPACE)}".join(statements)
    if draw(st.booleans()):
        text += f"{draw(SPACE)}# {draw(st.sampled_from(['note', 'a;b', '', 'x # y']))}"
    return text + draw(st.sampled_from(["", "\n", "\r\n", ";\n"]))


def _lines(draw_line):
    return st.one_of(draw_line, soup(), st.text(max_size=40))


# ---- the fast path gives the parser's nodes, or declines
def _agree(text: str, number: int = 1) -> None:
    quick = fastpath.line_nodes(text, number)
    if quick is None:
        return
    # on line 1 the shipped parser; further down, lark itself on the line after blank lines
    reference = parser.parse_line(text) if number == 1 else parser.parse_line("\n" * (number - 1) + text, LARK)
    assert not isinstance(reference, Diagnostic), f"the fast path read {text!r}, which is a syntax error: {reference}"
    assert (tuple(quick[0]), tuple(quick[1])) == reference


@SETTINGS
@given(line())
def test_fast_path_gives_the_parsers_nodes_for_statements(text):
    _agree(text)


@SETTINGS
@given(_lines(line()), st.integers(1, 500))
def test_fast_path_gives_the_parsers_nodes_or_declines_on_anything(text, number):
    if "\n" in text[:-1]:
        text = text.replace("\n", " ")
    _agree(text, number)


def test_fast_path_reads_the_ordinary_spelling_of_every_statement():
    """The lines of the examples (all valid) are read without the parser, except the odd ones."""
    read = declined = 0
    for path in sorted(ROOT.glob("examples/*/*.sched")):
        if path.parent.name == "invalid":
            continue
        for text in path.read_text(encoding="utf-8").splitlines():
            if text.strip():
                quick = fastpath.line_nodes(text + "\n", 1)
                declined += quick is None
                read += quick is not None
                _agree(text + "\n")
    assert read > 20 and declined == 0


def test_fast_path_declines_what_lark_lexes_unlike_a_person():
    # `tz` glued to the zone is `tz` + zone for lark: legal, but left to the parser
    assert fastpath.line_nodes("Mon 09:00-17:00 tzEurope/London", 1) is None
    assert not isinstance(parser.parse_line("Mon 09:00-17:00 tzEurope/London"), Diagnostic)
    # a space lark does not skip, and a byte-order mark inside a line
    assert fastpath.line_nodes("Mon\xa009:00-17:00", 1) is None
    assert fastpath.line_nodes("Mon 09:00-17:00\ufeff", 1) is None
    # every error goes to the parser
    for text in ("Mon 09:00-", "user <a@b", 'availability "open', "45min zoom slug", "Mon 09:00-17:00 Tue"):
        assert fastpath.line_nodes(text, 1) is None
        assert isinstance(parser.parse_line(text), Diagnostic)


# ---- the shipped parser and lark itself: same nodes, same diagnostics
@SETTINGS
@given(_lines(line()))
def test_shipped_parser_and_lark_agree_on_any_line(text):
    assert parser.parse_line(text) == parser.parse_line(text, LARK)


BROKEN = ["Mon 09:00-", "Mon 09:00 17:00", "user <a@b", 'availability "open', "45min zoom slug", "Mon\t09:00-17:00 Tue",
          "meeting 45 min", "user A B C <a@b.c>", "tz", "Mon-Fri-Sat 09:00-10:00", "Mon 09:00-10:00 tz Europe/London x",
          "Mon ~", "Mon 09:00-10:00,", "Mon off 09:00-10:00", "45min zoom slug a b"]


def test_shipped_parser_and_lark_agree_on_every_example_line_and_error():
    lines = [text for path in sorted(ROOT.glob("examples/**/*.sched"))
             for text in path.read_text(encoding="utf-8").splitlines(keepends=True) if text.strip()]
    errors = 0
    for text in lines + BROKEN:
        shipped, reference = parser.parse_line(text), parser.parse_line(text, LARK)
        assert shipped == reference, text
        errors += isinstance(shipped, Diagnostic)
    assert len(lines) > 50 and errors >= len(BROKEN)


@SETTINGS
@given(st.lists(st.one_of(line(), soup()), min_size=1, max_size=8).map(lambda lines: "\n".join(
    text.replace("\n", " ") for text in lines)))
def test_a_whole_document_parses_as_lark_parses_it(text):
    """Line by line, fast path or not, gives what lark gives for the whole text at once."""
    # a byte-order mark that starts the text is not counted in columns (editors do not show it)
    reference = parser.parse_line(text[1:] if text.startswith("\ufeff") else text, LARK)
    try:
        document = parser.parse(text)
    except ScheduleError as exc:
        if exc.diagnostics[0].code == "SC005":  # an invisible character: refused before parsing
            assert find_hidden(text)
            return
        assert isinstance(reference, Diagnostic)
        return
    assert not isinstance(reference, Diagnostic)
    assert (document.statements, document.comments) == reference


@pytest.mark.parametrize("text", ["Mon-Fri 09:00-17:00", "user Ana Lima <ana@example.com> tz UTC; 45min zoom"])
def test_the_nodes_stand_on_their_line(text):
    document = parser.parse("\n\n" + text)
    assert {s.span.line for s in document.statements} == {3}
