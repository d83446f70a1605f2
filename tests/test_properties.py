"""Properties (hypothesis): checking never crashes, and compiled hours match an independent model.

The model below is written from DESIGN §2-§3 and §8 only: a set of minutes per day, filled rule
by rule. It shares no code with the compiler.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import schedc

# A short run in the suite; SCHEDC_FUZZ_EXAMPLES=20000 for a long campaign.
EXAMPLES = int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "200"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SPELLINGS = [["Mon", "Mo", "Monday"], ["Tue", "Tu", "Tuesday"], ["Wed", "We", "Wednesday"],
             ["Thu", "Th", "Thursday"], ["Fri", "Fr", "Friday"], ["Sat", "Sa", "Saturday"], ["Sun", "Su", "Sunday"]]
TOKENS = ["Mon", "tue", "Weekdays", "daily", "off", "closed", "tz", "Europe/London", "US/Eastern", "user", "meeting",
          "availability", "slug", "45min", "1h30", "zoom", "09:00", "24:00", "9:5", "-", ",", ";", "\n", "\r\n",
          "#", '"', "<", ">", "a@b.c", "<x@example.com>", '"Name"', " ", "\t", "\ufeff", "\x00", "é", "Mnday", "25:00"]


# ---- (a) any text at all: check returns diagnostics and never raises anything else
@SETTINGS
@given(st.text())
def test_check_never_raises_on_any_text(text):
    result = schedc.check(text)
    assert isinstance(result, list) and all(isinstance(d, schedc.Diagnostic) for d in result)


@SETTINGS
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join))
def test_check_never_raises_on_token_soup(text):
    for d in schedc.check(text):
        assert d.code and d.severity in ("error", "warning")
        if d.line is not None:
            assert 1 <= d.line <= text.count("\n") + text.count("\r") + 1


@SETTINGS
@given(st.binary(max_size=200))
def test_check_never_raises_on_bytes(data):
    assert isinstance(schedc.check(data), list)


# ---- (b) generated valid schedules compile to the hours an independent model computes
def time_text(draw, minutes: int, *, as_end: bool) -> str:
    if as_end and minutes == 1440:
        return draw(st.sampled_from(["24:00", "00:00", "0:00"]))
    hours, mins = divmod(minutes, 60)
    return draw(st.sampled_from([f"{hours:02d}:{mins:02d}", f"{hours}:{mins:02d}"]))


@st.composite
def rules(draw):
    """A list of (days, ranges | None for off) plus its text."""
    count = draw(st.integers(1, 6))
    model, lines = [], []
    for _ in range(count):
        kind = draw(st.sampled_from(["single", "range", "list", "alias"]))
        if kind == "single":
            d = draw(st.integers(0, 6))
            days, text = [d], draw(st.sampled_from(SPELLINGS[d]))
        elif kind == "range":
            a, b = draw(st.integers(0, 6)), draw(st.integers(0, 6))
            assume(a != b)
            days = [(a + k) % 7 for k in range((b - a) % 7 + 1)]
            text = f"{draw(st.sampled_from(SPELLINGS[a]))}-{draw(st.sampled_from(SPELLINGS[b]))}"
        elif kind == "list":
            days = sorted(draw(st.sets(st.integers(0, 6), min_size=2, max_size=4)))
            text = ",".join(draw(st.sampled_from(SPELLINGS[d])) for d in days)
        else:
            alias = draw(st.sampled_from(["weekdays", "weekends", "daily"]))
            days = {"weekdays": [0, 1, 2, 3, 4], "weekends": [5, 6], "daily": list(range(7))}[alias]
            text = draw(st.sampled_from([alias, alias.upper(), alias.capitalize()]))
        if draw(st.integers(0, 5)) == 0:
            model.append((days, None))
            lines.append(f"{text} {draw(st.sampled_from(['off', 'closed', 'OFF']))}")
            continue
        ranges, parts = [], []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, 95)) * 15
            end = draw(st.integers(1, 96)) * 15
            assume(end != start)
            ranges.append((start, end))
            parts.append(f"{time_text(draw, start, as_end=False)}-{time_text(draw, end, as_end=True)}")
        model.append((days, ranges))
        lines.append(f"{text} {draw(st.sampled_from([',', ', '])).join(parts)}")
    separator = draw(st.sampled_from(["\n", "; ", "\r\n"]))
    return model, separator.join(lines)


def expected_week(model) -> tuple[list[set[int]], bool]:
    """Minutes per day, and whether two ranges ever shared a minute while both were present."""
    week: list[list[set[int]]] = [[] for _ in range(7)]  # per day, the list of ranges as minute sets
    overlap = False
    for days, ranges in model:
        if ranges is None:
            for d in days:
                week[d] = []
            continue
        for d in days:
            for start, end in ranges:
                pieces = [(d, set(range(start, end)))] if end > start else \
                         [(d, set(range(start, 1440))), ((d + 1) % 7, set(range(0, end)))]
                for day, minutes in pieces:
                    if not minutes:
                        continue
                    overlap |= any(minutes & other for other in week[day])
                    week[day].append(minutes)
    return [set().union(*ranges) if ranges else set() for ranges in week], overlap


@SETTINGS
@given(rules(), st.sampled_from(["Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]))
def test_compiled_hours_equal_the_model(generated, zone):
    model, text = generated
    expected, overlap = expected_week(model)
    source = f"user Ana Lima <ana@example.com> tz {zone}\n{text}\n"
    result = schedc.analyze(source, end_of_day="24:00")
    codes = {d.code for d in result.diagnostics if d.is_error}
    if overlap:
        assert "SC102" in codes
        return
    if not any(expected):
        assert codes == {"SC105"}
        return
    assert codes == set(), result.diagnostics
    schedule = result.request.to_dict()["availability"]["schedule"]
    assert list(schedule) == DAY_KEYS
    for key, minutes in zip(DAY_KEYS, expected):
        day = schedule[key]
        got = set()
        for h in day["hours"]:
            start = int(h["start"][:2]) * 60 + int(h["start"][3:])
            end = int(h["end"][:2]) * 60 + int(h["end"][3:])
            got |= set(range(start, end))
        assert got == minutes, key
        assert day["enabled"] == bool(minutes)
        starts = [h["start"] for h in day["hours"]]
        assert starts == sorted(starts)


@SETTINGS
@given(rules())
def test_default_end_of_day_never_emits_24_00(generated):
    _, text = generated
    result = schedc.analyze(f"user A B <a@example.com> tz UTC\n{text}")
    if result.request is not None:
        assert '"24:00"' not in result.request.to_json()


# ---- the fast path for plain e-mail addresses never accepts what the validator rejects
from email_validator import EmailNotValidError, validate_email  # noqa: E402

from schedc.compiler.checks import PLAIN_ADDRESS, email_problem  # noqa: E402


def validator_accepts(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@SETTINGS
@given(st.one_of(
    st.from_regex(r"[A-Za-z0-9_%+.-]{1,70}@[A-Za-z0-9.-]{1,30}\.(com|de|io|arpa|local|test|x|c0m|xn--p1ai|COM|Test|ARPA|LocalHost)", fullmatch=True),
    st.text(alphabet="ab.-_+%@xn1", max_size=30),
    st.text(alphabet="aK\u212a\u017f.@-", max_size=20),  # the Kelvin sign and long s look like letters
))
def test_plain_address_fast_path_agrees_with_the_validator(address):
    if PLAIN_ADDRESS.fullmatch(address):
        assert validator_accepts(address), address
    assert (email_problem(address) is None) == (bool(address) and validator_accepts(address))


# ---- `schedc compile` prints JSON without pydantic; it must be the model's JSON to the byte
@SETTINGS
@given(rules(), st.sampled_from(["24:00", "23:59"]),
       st.sampled_from(["", 'availability "Anna\'s \\"Best\\" Hours — café"\n']),
       st.sampled_from(["", "meeting 30min\n", 'meeting "Intro" 1h30 TEAMSFORBUSINESS2 slug intro-1\n']))
def test_json_without_pydantic_is_the_models_json(generated, end_of_day, availability, meeting):
    _, text = generated
    source = f'user "José" "Ñúñez" <jose@example.com> tz Europe/Madrid\n{availability}{text}\n{meeting}'
    result = schedc.analyze(source, end_of_day=end_of_day)
    if result.ok:
        assert result.to_json() == result.request.to_json()
    else:
        assert result.request is None and result.to_json() is None


# ---- the quick reading of a rule's days gives what the full reading gives, diagnostics and all
DAY_WORDS = [s for spellings in SPELLINGS for s in spellings] + ["MON", "weekdays", "Daily", "weekends", "Mnday", "X"]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(DAY_WORDS), st.none() | st.sampled_from(DAY_WORDS)), min_size=1, max_size=5))
def test_quick_rule_days_agree_with_the_full_reading(items):
    from schedc.compiler import parser, resolve

    text = ",".join(first if last is None else f"{first}-{last}" for first, last in items) + " 09:00-10:00"
    try:
        rule = parser.parse(text).statements[0]
    except schedc.ScheduleError:
        return
    quick, full = [], []
    assert resolve._rule_days(rule, quick) == resolve._rule_days_in_full(rule, full)
    assert quick == full


# ---- finding hidden characters: the ASCII shortcut agrees with the whole pattern
@SETTINGS
@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_find_hidden_agrees_with_the_whole_pattern(text):
    import re

    from schedc.compiler.words import HIDDEN, find_hidden

    found, expected = find_hidden(text), re.search(HIDDEN, text)
    assert (found and found.start()) == (expected and expected.start())
