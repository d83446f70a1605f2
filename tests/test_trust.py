"""Every diagnostic true, every help line safe to follow, `check` agreeing with `compile` and
`submit`: regression tests through the command line for each defect once found."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_schedc
from submit_support import sandbox, sandbox_process, submit  # noqa: F401  (fixtures)


USER = "user Ana Lima <ana@example.com>\n"


def check(tmp_path, text: str | bytes, *args: str):
    """`schedc check` on a file that names its user (line 1) before `text`."""
    if isinstance(text, str) and not text.startswith("user "):
        text = USER + text
    path = tmp_path / "a.sched"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return run_schedc("check", "-q", "--color", "never", *args, "a.sched", cwd=tmp_path)


def first_lines(done, n: int = 1) -> list[str]:
    return done.stderr.splitlines()[:n]


def help_line(done) -> str:
    return next(line for line in done.stderr.splitlines() if line.startswith("help: "))


def test_an_overlap_with_an_overnight_range_names_it_as_written_and_suggests_no_lossy_merge(tmp_path):
    done = check(tmp_path, "tz UTC\nFri 22:00-02:00\nSat 00:00-01:00\n")
    assert done.returncode == 1
    assert first_lines(done) == ["a.sched:4:5: error[SC102]: `Sat 00:00-01:00` overlaps `Fri 22:00-02:00` "
                                 "from line 3, whose part after midnight reaches into Sat"]
    assert help_line(done) == "help: move one range so they no longer share time"


def test_a_merge_is_suggested_only_where_one_range_replaces_both_on_every_day(tmp_path):
    same_rule = check(tmp_path, "tz UTC\nMon-Fri 09:00-12:00,11:30-17:00\n")
    assert help_line(same_rule) == "help: merge them into `09:00-17:00`, or move one so they no longer share time"
    other_days = check(tmp_path, "tz UTC\nMon-Fri 09:00-12:00\nMon 11:00-13:00\n")
    assert help_line(other_days) == ("help: change one so they no longer share time (together they cover "
                                     "`09:00-13:00` on Mon)")


def _bookable(text: str, cwd) -> set[tuple[str, int]]:
    """Every (day, minute) the compiled request makes bookable."""
    done = run_schedc("compile", "-", "--email", "a@b.co", "--given-name", "A", "--family-name", "B", stdin=text,
                      cwd=cwd)
    assert done.returncode == 0, done.stderr
    week = json.loads(done.stdout)["availability"]["schedule"]
    minute = lambda clock: int(clock[:2]) * 60 + int(clock[3:])
    return {(day, m) for day, hours in week.items() for h in hours["hours"]
            for m in range(minute(h["start"]), minute(h["end"]))}


def test_following_the_merge_help_keeps_every_minute(tmp_path):
    first, second = "09:00-12:00", "11:30-17:00"
    advice = help_line(check(tmp_path, f"tz UTC\nMon-Fri {first},{second}\n"))
    merged = re.fullmatch(r"help: merge them into `([0-9:]+-[0-9:]+)`, or move one so they no longer share time",
                          advice)
    assert merged, advice
    followed = f"tz UTC\nMon-Fri {merged.group(1)}\n"
    assert check(tmp_path, followed).returncode == 0
    # exactly the minutes the two overlapping ranges made bookable, no more and no fewer
    wanted = _bookable(f"tz UTC\nMon-Fri {first}\n", tmp_path) | _bookable(f"tz UTC\nMon-Fri {second}\n", tmp_path)
    assert _bookable(followed, tmp_path) == wanted


def test_the_empty_part_of_an_overnight_range_is_named_and_the_rest_kept(tmp_path):
    done = check(tmp_path, "tz UTC\nMon 23:59-02:00\n")
    assert first_lines(done) == ["a.sched:3:5: error[SC201]: the part of `23:59-02:00` before midnight "
                                 "(Mon `23:59-24:00`) is empty once midnight is written as `23:59`; the part "
                                 "after midnight stays"]
    assert help_line(done) == "help: write `Tue 00:00-02:00` instead, or pass `--end-of-day 24:00`"


def test_an_off_placed_before_the_rule_it_should_trim_is_a_warning(tmp_path):
    done = check(tmp_path, "tz UTC\nWed off\nMon-Fri 09:00-17:00\n")
    assert done.returncode == 0
    assert first_lines(done) == ["a.sched:3:1: warning[SC127]: `Wed off` has no effect: rules apply in order, "
                                 "and line 4 gives Wed hours afterwards"]
    assert check(tmp_path, "tz UTC\nWed off\nMon-Fri 09:00-17:00\n", "--strict").returncode == 1


def test_zone_abbreviations_suggest_the_place_people_mean(tmp_path):
    est = check(tmp_path, "tz EST\nMon 09:00-10:00\n")
    assert first_lines(est) == ["a.sched:2:4: warning[SC123]: `EST` is an abbreviation that tzdata keeps as a "
                                "fixed offset or an alias, not a place that follows daylight saving"]
    assert help_line(est) == "help: write `America/New_York`: US Eastern time"
    pst = check(tmp_path, "tz PST\nMon 09:00-10:00\n")
    assert first_lines(pst) == ["a.sched:2:4: error[SC107]: unknown time zone `PST`: zone names are places, "
                                "not abbreviations"]
    assert help_line(pst) == "help: did you mean `America/Los_Angeles`? That is US Pacific time"


def test_check_strict_passing_means_submit_dry_run_passes(tmp_path):
    (tmp_path / "m.sched").write_text("user Madonna <madonna@acme.example> tz UTC\nMon 09:00-10:00\n")
    checked = run_schedc("check", "--strict", "m.sched", cwd=tmp_path)
    submitted = run_schedc("submit", "--dry-run", "--no-journal", "m.sched", cwd=tmp_path)
    assert (checked.returncode == 0) == (submitted.returncode == 0)
    assert submitted.returncode == 1
    # the help is true for the command that prints it: submit has no --family-name
    assert "--family-name" not in submitted.stderr
    assert "error[SC203]: the user has no family name" in submitted.stderr
    assert "help: write it in the file (`user GIVEN FAMILY <EMAIL>`)" in submitted.stderr
    compiled = run_schedc("compile", "m.sched", cwd=tmp_path)
    assert "help: write it in the file (`user GIVEN FAMILY <EMAIL>`), or pass `--family-name`" in compiled.stderr


def test_an_empty_name_in_the_file_fails_check_as_it_fails_compile(tmp_path):
    done = check(tmp_path, 'user "" Smith <a@example.com> tz UTC\nMon 09:00-10:00\n')
    assert done.returncode == 1
    assert first_lines(done) == ["a.sched:1:6: error[SC203]: the user has no given name"]
    compiled = run_schedc("compile", "a.sched", cwd=tmp_path)
    assert compiled.returncode == 1 and compiled.stderr.count("SC203") == 1


def test_import_of_a_control_character_or_deep_nesting_is_a_diagnostic(tmp_path):
    body = {"email": "a@b.co", "givenName": "A\u0000x", "familyName": "B", "timezone": "UTC"}
    done = run_schedc("import", "-", stdin=json.dumps(body), cwd=tmp_path)
    assert done.returncode == 1
    assert first_lines(done) == ["<stdin>:1:34: error[SC405]: `givenName`: the text holds U+0000 (null), which "
                                 "cannot be seen or written in a .sched file"]
    deep = run_schedc("import", "-", stdin="[" * 100_000, cwd=tmp_path)
    assert deep.returncode == 1
    assert first_lines(deep) == ["<stdin>:1:33: error[SC401]: not a request: arrays and objects nest more than "
                                 "32 deep"]


def test_import_of_a_short_day_key_suggests_the_long_one(tmp_path):
    week = {day: {"enabled": False, "hours": []} for day in
            ("monday", "tuesday", "wednesday", "thursday", "fri", "saturday", "sunday")}
    week["monday"] = {"enabled": True, "hours": [{"start": "09:00", "end": "10:00"}]}
    body = {"email": "a@b.co", "givenName": "A", "familyName": "B", "timezone": "UTC",
            "availability": {"schedule": week}}
    done = run_schedc("import", "-", stdin=json.dumps(body), cwd=tmp_path)
    assert done.returncode == 1
    assert "help: did you mean `friday`? The days are written out in full, in lower case" in done.stderr


def test_the_caret_sits_under_the_error_after_wide_characters(tmp_path):
    done = check(tmp_path, "user 山田 太郎 <a@example.com> tz Europe/Londn\nMon 09:00-10:00\n")
    lines = done.stderr.splitlines()
    assert lines[0] == "a.sched:1:31: error[SC107]: unknown time zone `Europe/Londn`"
    source, marks = lines[2], lines[3]
    # 山田 and 太郎 take two cells each, so on screen `Europe/Londn` starts four cells further
    # right than its index in the string: the caret must start there too
    assert marks.index("^") == source.index("Europe/Londn") + 4
    assert marks.count("^") == len("Europe/Londn")


def test_a_utf16_file_is_named_as_such(tmp_path):
    done = check(tmp_path, "tz UTC\nMon 09:00-10:00\n".encode("utf-16"))
    assert first_lines(done) == ["a.sched:1:1: error[SC004]: the file is UTF-16 text (it starts with a UTF-16 "
                                 "byte-order mark), not UTF-8"]
    assert help_line(done).startswith("help: save it as UTF-8")


def test_an_unknown_command_suggests_the_nearest(tmp_path):
    done = run_schedc("chek", "a.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "schedc: error: unknown command `chek`: did you mean `check`?"


def test_an_unknown_option_shows_the_usage_of_its_command(tmp_path):
    done = run_schedc("compile", "--bogus", "a.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: schedc compile ")
    assert done.stderr.splitlines()[-1] == "schedc compile: error: unrecognized arguments: --bogus"


def test_help_follows_the_terminal_width_and_ends_with_examples_and_exit_codes(tmp_path):
    narrow = run_schedc("compile", "--help", cwd=tmp_path, env={"COLUMNS": "60"})
    assert max(len(line) for line in narrow.stdout.splitlines() if not line.startswith("  schedc")) <= 60
    assert "  --given-name G" in narrow.stdout and "the user's given name" in narrow.stdout
    tail = narrow.stdout.rstrip().split("\n\n")[-2:]
    assert tail[0].startswith("examples:\n  schedc compile ")
    assert tail[1].startswith("exit codes:\n  0  ")


def test_a_rejected_value_from_a_flag_is_reported_as_from_the_flag(tmp_path, sandbox):
    (tmp_path / "ana.sched").write_text("user Ana Lima <ana@example.com>\ntz Europe/Paris\nMon 09:00-10:00\n")
    sandbox.faults({"kind": "status", "status": 400, "body": {
        "statusCode": 400, "message": "Bad Request",
        "errors": [{"field": "timezone", "message": "Invalid timezone: Europe/Kyiv"}]}})
    run = submit(tmp_path, "ana.sched", "--timezone", "Europe/Kyiv", "--attempts", "1", base=sandbox.url)
    assert run.code == 1
    assert ("ana.sched: error[SC302]: the server rejected the time zone: Invalid timezone: Europe/Kyiv "
            "(the value came from `--timezone`)") in run.stderr
    assert "1 file submitted: 0 created, 0 skipped, 1 failed (1 rejected)" in run.stderr


def test_a_summary_does_not_repeat_itself(tmp_path, sandbox):
    (tmp_path / "ana.sched").write_text("user Ana Lima <ana@example.com> tz UTC\nMon 09:00-10:00\n")
    sandbox.faults(*[{"kind": "status", "status": 503}] * 3)
    run = submit(tmp_path, "ana.sched", "--attempts", "2", "--no-journal", base=sandbox.url)
    assert run.code == 3
    assert run.stderr.rstrip().endswith("1 file submitted: 0 created, 0 skipped, 1 failed")


@pytest.mark.parametrize("line, column, hint", [
    ('availabilty "Office"', 13, "did you mean `availability`? `availabilty` is read as a day name, and is not one"),
    ("meetng 30min", 8, "did you mean `meeting`? `meetng` is read as a day name, and is not one"),
    ("usr Ana Lima <a@b.co>", 5, "did you mean `user`? `usr` is read as a day name, and is not one"),
    ("timezone Europe/London", 10, "did you mean `tz`? `timezone` is read as a day name, and is not one"),
    ("Mon-Fri 9-17", 9, "times are `HH:MM`: write `09:00-17:00`"),
    ("Mo-Fr 09-17", 7, "times are `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 9am-5pm", 9, "times are 24-hour `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 09:00-12:00 13:00-17:00", 21, "put a comma between ranges: `09:00-12:00, 13:00-17:00`"),
    ("Mo\u2013Fr 09:00\u201317:00", 3, "`\u2013` (en dash) is not a hyphen: write a plain `-`, like `Mo-Fr 09:00-17:00`"),
    ("Mo-Fr 09:00-17:00 | Sa 10:00-14:00", 19, "separate rules with `;` or a new line, not `|`"),
    ("24/7", 1, "for every day, all day, write `daily 00:00-24:00`"),
    ("Mo 10:00-12:00; 08:00-20:00", 17, "a rule starts with its days: for every day write `daily 08:00-20:00` "
                                        "(a rule without days is OpenStreetMap syntax, not schedc's)"),
    ("slug intro", 6, "`slug` ends a meeting statement, after the duration and channel: `30min zoom slug intro`"),
])
def test_syntax_help_points_the_right_way(tmp_path, line, column, hint):
    done = check(tmp_path, f"user Ana Lima <ana@example.com> tz UTC\n{line}\n")
    assert done.returncode == 1
    assert first_lines(done)[0].startswith(f"a.sched:2:{column}: error[SC001]: unexpected ")
    assert help_line(done) == f"help: {hint}"
