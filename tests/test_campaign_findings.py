"""Bugs the reliability campaigns (bench/fuzz.py, bench/pathological.py) found, each pinned here."""

from __future__ import annotations

import pytest


from schedc import Span, import_json
from schedc import check as schedc_check


@pytest.mark.parametrize("source, span", [
    ('{"email": ', Span(1, 11, 1, 11)),         # the text ends where a value should be
    ("", Span(1, 1, 1, 1)),                     # empty input
    ('{\n  "email": "a@b.c",\n', Span(3, 1, 3, 1)),  # ends after a newline
    ('{"email" 1}', Span(1, 10, 1, 11)),        # inside the text: one character wide
])
def test_invalid_json_is_reported_inside_the_text(source, span):
    found = import_json(source).diagnostics
    assert [(d.code, d.span) for d in found] == [("SC401", span)]


def test_invalid_json_at_the_end_is_drawn_under_the_end_of_the_line(schedc):
    done = schedc("import", "-", stdin='{"email": ')
    assert done.returncode == 1
    assert done.stderr.splitlines()[:4] == [
        "<stdin>:1:11: error[SC401]: not valid JSON: expecting value",
        "  |",
        '1 | {"email": ',
        "  |           ^",
    ]


LEGACY_TWICE = "user Ana Lima <ana@example.com>\nWed 09:00-17:00 tz US/Eastern\ntz US/Eastern\n45min connect\n"


def test_a_zone_is_checked_wherever_it_is_written_in_any_order(schedc):
    done = schedc("check", "-q", "-", stdin=LEGACY_TWICE)
    warnings = [line for line in done.stderr.splitlines() if "warning[" in line]
    assert warnings == [
        "<stdin>:2:20: warning[SC123]: `US/Eastern` is a legacy alias of `America/New_York`",
        "<stdin>:3:4: warning[SC123]: `US/Eastern` is a legacy alias of `America/New_York`",
    ]


def test_fmt_can_move_a_bare_zone_above_the_day_rules(schedc):
    # it used to refuse: the bare `tz` after a rule was not checked, above the rules it was
    done = schedc("fmt", "-", stdin=LEGACY_TWICE)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("user Ana Lima <ana@example.com>\ntz US/Eastern\nWed 09:00-17:00 tz US/Eastern\n"
                           "meeting 45min connect\n")


BODY = ('{"email": "ana@example.com", "givenName": "Ana", "familyName": "Lima", "timezone": "UTC", '
        '"availability": {"timezone": "UTC", "schedule": {%s}}, "meetingType": {"duration": 15, "channel": %s}}')
WEEK = ", ".join(f'"{day}": {{"enabled": false, "hours": []}}'
                 for day in ("tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))


@pytest.mark.parametrize("channel, kind", [("[[1]]", "an array"), ("{}", "an object"), ("true", "`true`"),
                                           ("5", "a number")])
def test_a_channel_that_is_not_a_string_is_a_diagnostic(schedc, channel, kind):
    # it used to raise AttributeError: the channel check read any value as a string
    monday = '"monday": {"enabled": true, "hours": [{"start": "09:00", "end": "10:00"}]}, '
    source = BODY % (monday + WEEK, channel)
    done = schedc("import", "-", stdin=source)
    column = source.index('"channel": ') + len('"channel": ') + 1
    assert (done.returncode, done.stderr.splitlines()[0]) == (
        1, f"<stdin>:1:{column}: error[SC402]: `meetingType.channel`: expected a string, found {kind}")


@pytest.mark.parametrize("value", ["[]", "{}", "7"])
def test_a_time_that_is_not_a_string_is_a_diagnostic(value):
    monday = '"monday": {"enabled": true, "hours": [{"start": %s, "end": "10:00"}]}, ' % value
    source = BODY % (monday + WEEK, '"zoom"')
    found = import_json(source).diagnostics
    assert [(d.code, d.message) for d in found] == [
        ("SC402", f"`availability.schedule.monday.hours[0].start`: expected a string, found "
                  f"{ {'[]': 'an array', '{}': 'an object', '7': 'a number'}[value] }")]


@pytest.mark.parametrize("value, shown", [("\\rx", "\\rx"), ("a\\nb", "a\\nb"), ("\\t9:00", "\\t9:00")])
def test_a_line_break_in_a_quoted_value_is_escaped_in_the_message(schedc, value, shown):
    # a carriage return in a JSON string used to reach the terminal raw and overwrite the line
    monday = '"monday": {"enabled": true, "hours": [{"start": "%s", "end": "10:00"}]}, ' % value
    source = BODY % (monday + WEEK, '"zoom"')
    done = schedc("import", "-", stdin=source)
    column = source.index('"start": ') + len('"start": ') + 1
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"<stdin>:1:{column}: error[SC101]: `availability.schedule.monday.hours[0].start`: `{shown}` is not a time")
    assert not any(c in done.stderr for c in "\r\t")


def test_a_line_break_in_a_file_name_is_escaped(schedc, tmp_path):
    (tmp_path / "a\nb.sched").write_text("Mon 25:00-26:00 tz UTC\n", encoding="utf-8")
    done = schedc("check", "-q", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "./a\\nb.sched:1:5: error[SC101]: `25:00` is not a time"


def _work(run, text: str, *, steps: bool = False) -> int:
    """How much work `run(text)` does, counted, not timed: Python and built-in function calls, or
    with `steps` bytecode instructions (a scan inside a list comprehension makes no call)."""
    import sys

    count = 0

    def calls(frame, event, arg):
        nonlocal count
        count += 1

    if steps and sys.version_info >= (3, 12):
        return _instructions(run, text)
    if steps:
        def instructions(frame, event, arg):
            nonlocal count
            frame.f_trace_opcodes = True
            count += event == "opcode"
            return instructions

        sys.settrace(instructions)
    else:
        sys.setprofile(calls)
    try:
        run(text)
    finally:
        sys.settrace(None) if steps else sys.setprofile(None)
    return count


def _instructions(run, text: str) -> int:
    # 3.12.1 sends no "opcode" events to sys.settrace, so 3.12 and later count through
    # sys.monitoring, the interface that replaced opcode tracing
    import sys

    monitoring, tool, count = sys.monitoring, sys.monitoring.DEBUGGER_ID, 0

    def one(code, offset):
        nonlocal count
        count += 1

    monitoring.use_tool_id(tool, "schedc-tests")
    try:
        monitoring.register_callback(tool, monitoring.events.INSTRUCTION, one)
        monitoring.set_events(tool, monitoring.events.INSTRUCTION)
        run(text)
    finally:
        monitoring.set_events(tool, 0)
        monitoring.register_callback(tool, monitoring.events.INSTRUCTION, None)
        monitoring.free_tool_id(tool)
    return count


def _calls_to_check(text: str) -> int:
    return _work(schedc_check, text)


def test_many_rules_that_off_clears_are_checked_in_linear_work():
    # SC127 looked up each cleared rule by scanning every range: 50,000 lines took 20 s of CPU
    def text(lines: int) -> str:
        return "tz UTC\n" + "Mon-Fri 09:00-12:00\nMon-Fri off\n" * (lines // 2) + "Mon 09:00-10:00\n"

    assert [d.code for d in schedc_check(text(4))] == ["SC127", "SC127", "SC205"]
    small, large = _calls_to_check(text(1_000)), _calls_to_check(text(4_000))
    assert large / small < 4.5  # four times the lines, at most about four times the work


def _steps_to_format(text: str) -> int:
    from schedc.fmt import format_text

    return _work(format_text, text, steps=True)


def test_many_comments_are_formatted_in_linear_work():
    # each comment looked for the line above it by scanning every occupied line: 20,000 comments
    # took 16 s to format (found by bench/bounded.py)
    def text(comments: int) -> str:
        return ("user Ana Lima <ana@example.com> tz UTC\n" + "# a note\n" * comments
                + "Mon 09:00-10:00\n# one\nTue 09:00-10:00 # two\n")

    small, large = _steps_to_format(text(250)), _steps_to_format(text(1_000))
    assert large / small < 5  # four times the comments, about four times the work (it was 13 times)
