"""hypothesis: for generated valid files, `fmt` keeps the compiled request and is idempotent."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import schedc

FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
IDENTITY = {"email": "flag@example.com", "given_name": "Flag", "family_name": "Person", "timezone": "UTC"}
SPACE = st.sampled_from([" ", "  ", "\t", " \t "])


def case(draw, word: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)


def day(draw, index: int) -> str:
    name = draw(st.sampled_from([FULL[index], FULL[index][:3], FULL[index][:2]]))
    return case(draw, name)


def time(draw, minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    text = f"{hours:02d}:{rest:02d}"
    return text[1:] if hours < 10 and draw(st.booleans()) else text


@st.composite
def day_rule(draw, ranges: list[tuple[int, int]]) -> str:
    kind = draw(st.sampled_from(["one", "range", "list", "alias"]))
    first = draw(st.integers(0, 6))
    if kind == "one":
        days = day(draw, first)
    elif kind == "range":
        days = f"{day(draw, first)}-{day(draw, (first + draw(st.integers(1, 6))) % 7)}"
    elif kind == "list":
        picked = sorted(draw(st.sets(st.integers(0, 6), min_size=2, max_size=4)))
        days = ",".join(day(draw, i) for i in picked)
    else:
        days = case(draw, draw(st.sampled_from(["weekdays", "weekends", "daily"])))
    if not ranges:
        return f"{days}{draw(SPACE)}{case(draw, draw(st.sampled_from(['off', 'closed'])))}"
    comma = draw(st.sampled_from([",", ", ", " , ", ",  "]))
    times = comma.join(f"{time(draw, a)}-{time(draw, b)}" for a, b in ranges)
    return f"{days}{draw(SPACE)}{times}"


@st.composite
def documents(draw) -> str:
    # Every range of the file is disjoint from every other, so no rule can overlap another.
    cuts = sorted(draw(st.sets(st.integers(0, 1439), min_size=2, max_size=12)))
    ranges = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    rules, i = [], 0
    while i < len(ranges):
        take = draw(st.integers(1, 3))
        rules.append(draw(day_rule(ranges[i:i + take])))
        i += take
        if draw(st.integers(0, 3)) == 0:
            rules.append(draw(day_rule([])))
    others = []
    if draw(st.booleans()):
        others.append(f'{case(draw, "user")} {draw(st.sampled_from(["Ana", chr(34) + "Anna Maria" + chr(34)]))}'
                      f' Lima <ana@example.com>{draw(st.sampled_from(["", " TZ Europe/Lisbon"]))}')
    if draw(st.booleans()):
        others.append(f'{case(draw, "availability")}  "Hours \\"A\\""')
    if draw(st.booleans()):
        others.append(f"{case(draw, 'tz')} Europe/Lisbon")
    if draw(st.booleans()):
        keyword = draw(st.sampled_from(["", "meeting ", 'MEETING "Intro" ']))
        duration = draw(st.sampled_from(["30min", "30M", "1h", "1H30m", "45m"]))
        channel = draw(st.sampled_from(["", " ZOOM", " teamsforbusiness2", " phone-incoming"]))
        slug = draw(st.sampled_from(["", " slug intro-call"]))
        others.append(f"{keyword}{duration}{channel}{slug}")
    statements = list(rules)
    for other in others:  # anywhere; day rules keep their order
        statements.insert(draw(st.integers(0, len(statements))), other)
    lines = []
    for statement in statements:
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["# note\n", "  #indented\n", "\n", "# a; b # c\n"])))
        end = draw(st.sampled_from(["\n", "\n", "; ", "  # trailing\n", "\n\n"]))
        lines.append(statement + end)
    return "".join(lines)


def request(text: str):
    document = schedc.parse(text)
    has_user = any(type(s).__name__ == "UserStatement" for s in document.statements)
    flags = {} if has_user else IDENTITY
    return schedc.analyze(text, **flags)


@settings(max_examples=200, deadline=None)
@given(documents())
def test_fmt_keeps_the_request_and_is_idempotent(text):
    before = request(text)
    assume(not before.errors)
    formatted = schedc.format_text(text)
    after = request(formatted)
    assert after.request == before.request
    assert sorted(d.code for d in after.diagnostics) == sorted(d.code for d in before.diagnostics)
    assert schedc.format_text(formatted) == formatted
    kept = [(c.text.strip(), c.trailing) for c in schedc.parse(formatted).comments]
    assert sorted(kept) == sorted((c.text.strip(), c.trailing) for c in schedc.parse(text).comments)


@settings(max_examples=100, deadline=None)
@given(documents(), st.booleans(), st.booleans())
def test_fmt_keeps_the_files_line_endings_and_byte_order_mark(text, crlf, bom):
    assume(not request(text).errors)
    plain = schedc.format_text(text)
    source = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
    formatted = schedc.format_text(source)
    crlf = crlf and "\n" in text  # a file with no line break has no line ending to keep: LF
    assert formatted == ("\ufeff" if bom else "") + (plain.replace("\n", "\r\n") if crlf else plain)
    assert schedc.format_text(formatted) == formatted


@settings(max_examples=100, deadline=None)
@given(documents())
def test_a_comment_at_the_top_stays_at_the_top(text):
    assume(not request(text).errors)
    formatted = schedc.format_text("# header\n" + text)
    assert formatted.startswith("# header\n")


PIECES = st.sampled_from([
    "Mon", "tue", "Wed-Fri", " ", "\t", "\n", "\r\n", "\r", "\ufeff", "# c", "#", ";", ",", "09:00-17:00",
    "9:00-12:00", "22:00-02:00", "24:00", "off", "tz UTC", "user Ana Lima <ana@example.com>", "30min zoom",
    'availability "A"', "meeting", "  ", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join))
def test_fmt_on_any_text_formats_stably_or_reports_errors(text):
    # Never a crash and never a FormatError: either diagnostics, or a fixed point that keeps
    # the byte-order mark and the line ending of the first line break.
    try:
        formatted = schedc.format_text(text)
    except schedc.ScheduleError as exc:
        assert any(d.is_error for d in exc.diagnostics)
        return
    assert schedc.format_text(formatted) == formatted
    assert formatted.startswith("\ufeff") == text.startswith("\ufeff")
    first_break = text.find("\n")
    if first_break > 0 and text[first_break - 1] == "\r":
        assert formatted.count("\n") == formatted.count("\r\n")
    else:
        assert "\r\n" not in formatted
