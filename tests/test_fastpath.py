"""Three parsers, one syntax: lark itself, the shipped stand-alone parser, and the fast path.

The grammar is the one definition of the syntax. The shipped parser (generated from it) must
give exactly what lark gives, nodes and diagnostics; the fast path must give exactly the nodes
the parsers give, or decline (None) and leave the line to them, so that every syntax error
comes from the parser. Hypothesis draws every word from the terminals of grammar.lark itself,
as lark reads them (so a changed terminal changes the words drawn), and near misses of them: a
character changed, dropped or added. It puts them into statements, in every slot and case, and
into sequences of any words with any spacing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schedc.compiler import fastpath, parser, terminals
from schedc.diagnostics import Diagnostic, ScheduleError
from schedc.compiler.words import find_hidden

from conftest import run_schedc

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

with open(parser.GRAMMAR, encoding="utf-8") as handle:
    GRAMMAR = lark.Lark(handle.read(), **parser.LARK_OPTIONS, **parser.callbacks())
LARK = parser.Backend(lark, GRAMMAR)
TERMINALS = {t.name: t for t in GRAMMAR.terminals}


# ---- words, from the grammar's own terminals
def _pattern(name: str) -> re.Pattern:
    return re.compile(TERMINALS[name].pattern.to_regexp())


def terminal(name: str) -> st.SearchStrategy[str]:
    """A word of terminal `name`, as grammar.lark defines it (any case where it ignores case)."""
    return st.from_regex(_pattern(name), fullmatch=True)


# Characters worth putting into a word: every character a terminal names (each class's ASCII
# members, each keyword's letters), the spaces lark skips and those it does not, the characters
# that `re` folds into ASCII letters, and any character at all.
ASCII = [chr(c) for c in range(128)]
NOTABLE = sorted({c for name in TERMINALS for c in ASCII if _pattern(name).match(c)} | set(" \t\f\r\n;#\"<>-,:/_+")
                 | {"\xa0", "\ufeff", "\u2003", "\x0b", "\u017f", "\u212a", "\u0130", "\u0131", "\xe9"})
CHARACTER = st.one_of(st.sampled_from(NOTABLE), st.characters())


@st.composite
def near_miss(draw, word: st.SearchStrategy[str]) -> str:
    """A word with one character changed, dropped or added."""
    text = draw(word)
    at = draw(st.integers(0, len(text)))
    how = draw(st.sampled_from(["change", "drop", "add"]) if at < len(text) else st.just("add"))
    if how == "add":
        return text[:at] + draw(CHARACTER) + text[at:]
    return text[:at] + (draw(CHARACTER) if how == "change" else "") + text[at + 1:]


def slot(name: str, *others: str) -> st.SearchStrategy[str]:
    """A word for a slot of terminal `name`: mostly one of it, sometimes one of the `others`
    (keywords where a word may stand, say), sometimes a near miss of either."""
    words = st.one_of(terminal(name), *map(terminal, others)) if others else terminal(name)
    return st.one_of(terminal(name), terminal(name), words, near_miss(words))


KEYWORDS = ("TZ", "USER", "AVAILABILITY", "MEETING", "SLUG", "OFF", "HOLIDAYS")
ANY_WORD = st.sampled_from(sorted(TERMINALS)).flatmap(terminal)
SPACE = st.one_of(st.just(""), st.just(" "), st.just(" "), st.just("\t"), terminal("WS"))
ODD_SPACE = st.one_of(st.sampled_from(["\xa0", "\ufeff", "\u2003", "\x0b"]), terminal("WS"))


@st.composite
def soup(draw):
    """Any sequence of the language's words (and near misses of them), with any spacing."""
    words = draw(st.lists(st.one_of(ANY_WORD, ANY_WORD, near_miss(ANY_WORD)), min_size=1, max_size=14))
    pieces = []
    for word in words:
        pieces.append(draw(st.one_of(SPACE, ODD_SPACE) if draw(st.integers(0, 19)) == 0 else SPACE))
        pieces.append(word.replace("\n", " "))
    return "".join(pieces) + draw(st.sampled_from(["", "\n", "\r\n", " \n"]))


def _spaced(draw, *parts: str) -> str:
    return "".join(part + draw(SPACE.filter(bool)) if k < len(parts) - 1 else part for k, part in enumerate(parts))


SEPARATOR = terminal("_SEP").map(lambda sep: sep if "\n" not in sep else ";")  # one line: no line break
DAY = slot("DAY", *KEYWORDS)
TIME = slot("TIME")
ZONE = slot("ZONE", *KEYWORDS)
TZ = slot("TZ")


@st.composite
def statement(draw):
    """One statement of each kind the grammar has, its words drawn from the terminals of each
    slot: mostly well-formed, now and then a word out of place or a near miss."""
    kind = draw(st.sampled_from(["days", "days", "days", "off", "tz", "user", "availability", "meeting", "bare"]))
    tz = f" {draw(TZ)} {draw(ZONE)}" if draw(st.booleans()) else ""
    if kind in ("days", "off", "bare"):
        items = []
        for _ in range(draw(st.integers(1, 5))):  # past three, the fast path reads the rest apart
            first = draw(DAY)
            items.append(f"{first}{draw(SPACE)}-{draw(SPACE)}{draw(DAY)}" if draw(st.booleans()) else first)
        days = f"{draw(SPACE)},{draw(SPACE)}".join(items)
        if kind == "off":
            return f"{days} {draw(slot('OFF'))}"
        if kind == "bare":
            return days + tz
        ranges = [f"{draw(TIME)}{draw(SPACE)}-{draw(SPACE)}{draw(TIME)}" for _ in range(draw(st.integers(1, 5)))]
        return f"{days} " + f"{draw(SPACE)},{draw(SPACE)}".join(ranges) + tz
    if kind == "tz":
        return f"{draw(TZ)} {draw(ZONE)}"
    if kind == "user":
        names = draw(st.lists(slot("NAME_WORD", "STRING", *KEYWORDS), max_size=3))
        return _spaced(draw, draw(slot("USER")), *names, draw(slot("EMAIL"))) + tz
    if kind == "availability":
        return f"{draw(slot('AVAILABILITY'))} {draw(slot('STRING'))}{tz}"
    parts = [draw(slot("DURATION"))]
    if draw(st.booleans()):
        keyword = draw(slot("MEETING"))
        parts[:0] = [keyword, draw(slot("STRING"))] if draw(st.booleans()) else [keyword]
    if draw(st.booleans()):
        parts.append(draw(slot("CHANNEL", *KEYWORDS)))
    if draw(st.booleans()):
        parts += [draw(slot("SLUG")), draw(slot("SLUG_TEXT", *KEYWORDS))]
    return " ".join(parts)


@st.composite
def line(draw):
    """One or more statements on a line, separated, maybe with a comment."""
    statements = [text.replace("\n", " ") for text in draw(st.lists(statement(), min_size=0, max_size=3))]
    text = draw(SPACE)
    for k, text_of_one in enumerate(statements):
        text += text_of_one + (f"{draw(SPACE)}{draw(SEPARATOR)}{draw(SPACE)}" if k < len(statements) - 1 else "")
    if draw(st.booleans()):
        text += f"{draw(SPACE)}{draw(slot('COMMENT')).replace(chr(10), ' ')}"
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
        if exc.diagnostics[0].code in ("SC004", "SC005"):  # a NUL or an invisible character: refused before parsing
            assert "\x00" in text if exc.diagnostics[0].code == "SC004" else find_hidden(text)
            return
        assert isinstance(reference, Diagnostic)
        return
    assert not isinstance(reference, Diagnostic)
    assert (document.statements, document.comments) == reference


@pytest.mark.parametrize("text", ["Mon-Fri 09:00-17:00", "user Ana Lima <ana@example.com> tz UTC; 45min zoom"])
def test_the_nodes_stand_on_their_line(text):
    document = parser.parse("\n\n" + text)
    assert {s.span.line for s in document.statements} == {3}


# ---- terminals.py: the fast patterns match as the grammar's own do, on text without an odd character
@SETTINGS
@given(st.sampled_from(sorted(terminals.PATTERNS)).flatmap(
    lambda name: st.tuples(st.just(name), st.one_of(terminal(name), near_miss(terminal(name)), st.text(max_size=12)))))
def test_each_fast_pattern_matches_what_the_grammar_matches(case):
    name, text = case
    if re.search(terminals.ODD, text):
        return
    exact, fast = re.compile(terminals.EXACT[name]), re.compile(terminals.PATTERNS[name])
    for start in range(len(text) + 1):
        found, wanted = fast.match(text, start), exact.match(text, start)
        assert (found and found.span()) == (wanted and wanted.span()), (name, text, start)


def test_the_exact_patterns_are_the_grammars_terminals():
    assert terminals.EXACT == {name: t.pattern.to_regexp() for name, t in TERMINALS.items()}


@pytest.mark.parametrize("space", ["\xa0", "\u2003"])
def test_a_line_of_spaces_the_grammar_does_not_skip_is_the_error_lark_finds(tmp_path, space):
    # `str.isspace` counts a no-break space; the grammar's WS does not, so the line is no blank line
    (tmp_path / "a.sched").write_text(f"tz UTC\nMon 09:00-10:00\n{space}\n", encoding="utf-8")
    done = run_schedc("check", "--color", "never", "a.sched", cwd=tmp_path)
    lark_says = parser.parse_line(f"tz UTC\nMon 09:00-10:00\n{space}\n", LARK)
    assert (done.returncode, lark_says.code, lark_says.span.line, lark_says.span.column) == (1, "SC002", 3, 1)
    assert done.stderr.startswith(f"a.sched:3:1: error[SC002]: {lark_says.message}\n")
