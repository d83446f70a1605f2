"""The help line of a syntax error points at the real mistake, for what people write from habit."""

from __future__ import annotations

import json

import pytest

from conftest import run_schedc


@pytest.mark.parametrize("text, column, message, help", [
    ("meeting 45 minutes", 9, "unexpected `45`, expected a duration like `45min` or a quoted name like "
     '`"Business Hours"`', "write durations without a space, like `45min`"),
    ("user Ana Lima ana@example.com", 15, "unexpected `ana@example.com`, expected an e-mail address in angle "
     "brackets like `<ana@example.com>`", "write the e-mail address in angle brackets: `<ana@example.com>`"),
    ("Mon-Fri 09.00-17.00", 9, "unexpected `09.00-17.00`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "times are written with a colon, `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 9h00-17h30", 9, "unexpected `9h00`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "times are written with a colon, `HH:MM`: write `09:00-17:30`"),
    ("Mon to Fri", 5, "unexpected `to`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "a range of days is written with `-`: `Mon-Fri`"),
    ("Mon to Fri 09:00-17:00", 5, "unexpected `to`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "a range of days is written with `-`: `Mon-Fri`"),
    ("Mon 09:00 until 17:00", 11, "unexpected `until`, expected `-`",
     "a range of times is written with `-`: `09:00-17:00`"),
    ("Mon and Tue 09:00-10:00", 5, "unexpected `and`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "days are listed with `,`: `Mon, Tue`"),
    # the hints these must not take over from
    ("meetng 30min", 8, "unexpected `30min`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "did you mean `meeting`? `meetng` is read as a day name, and is not one"),
    ("user Ana Maria Lima <a@b.co>", 16, "unexpected `Lima`, expected an e-mail address in angle brackets "
     "like `<ana@example.com>`",
     'a user has at most two names; quote a name with spaces: `user "Ana Maria" Lima <a@b.co>`'),
    # near variants: each help leads to what the grammar takes
    ("meeting 30 min", 9, "unexpected `30`, expected a duration like `45min` or a quoted name like "
     '`"Business Hours"`', "write durations without a space, like `30min`"),
    ('meeting "Intro" 2 hours', 17, "unexpected `2`, expected a duration like `45min`",
     "write durations without a space, like `2h`"),
    ("meeting 1 hr zoom", 9, "unexpected `1`, expected a duration like `45min` or a quoted name like "
     '`"Business Hours"`', "write durations without a space, like `1h`"),
    ('meeting "Intro" 45minutes', 17, "unexpected `45minutes`, expected a duration like `45min`",
     "write `45min`: durations are written like `45min`, `90m`, `1h` or `1h30`"),
    ("Mon-Fri 9-17", 9, "unexpected `9-17`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "times are `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 0900-1700", 9, "unexpected `0900-1700`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "times are `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 9h-17h", 9, "unexpected `9h`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "times are `HH:MM`: write `09:00-17:00`"),
    ("Mon-Fri 09.00-12.00, 13.00-17.00", 9, "unexpected `09.00-12.00,`, expected a time like `09:00`, `tz`, "
     "`off`, `,` or …", "times are written with a colon, `HH:MM`: write `09:00-12:00, 13:00-17:00`"),
    ("Mon through Fri 09:00-17:00", 5, "unexpected `through`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "a range of days is written with `-`: `Mon-Fri`"),
    ("Mon\u2013Fri 09:00-17:00", 4, "unexpected `\u2013Fri`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "`\u2013` (en dash) is not a hyphen: write a plain `-`, like `Mon-Fri 09:00-17:00`"),
    ("Mon-Fri: 09:00-17:00", 8, "unexpected `:`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "no colon after the days: write `Mon-Fri 09:00-17:00`"),
    ("Mon-Fri from 09:00 to 17:00", 9, "unexpected `from`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "a range of times follows the days without `from`: write `09:00-17:00`"),
    ("Mon-Fri 09:00-17:00 Europe/Berlin", 21, "unexpected `Europe/Berlin`, expected `tz`, `,` or the end of the "
     "statement (`;` or a new line)", "a time zone follows `tz`: write `tz Europe/Berlin`"),
    ("Mon Wed Fri 09:00-12:00", 5, "unexpected `Wed`, expected a time like `09:00`, `tz`, `off`, `,` or …",
     "days are listed with `,`: `Mon, Wed, Fri`"),
    ("Mon-Fri 09:00 17:00", 15, "unexpected `17:00`, expected `-`", "a range of times is written with `-`: `09:00-17:00`"),
    ("Mon-Fri 09:00-17:00 EST", 21, "unexpected `EST`, expected `tz`, `,` or the end of the statement (`;` or a new "
     "line)", "a time zone follows `tz`: write `tz America/New_York`"),
    ("Mon-Fri 09:00-17:00 timezone US/Eastern", 21, "unexpected `timezone`, expected `tz`, `,` or the end of the "
     "statement (`;` or a new line)", "did you mean `tz`? write `tz America/New_York`"),
    ("Mon-Fri 09:00-17:00 tz: Europe/Berlin", 23, "unexpected `:`, expected a time zone like `Europe/London`",
     "no colon after `tz`: write `Mon-Fri 09:00-17:00 tz Europe/Berlin`"),
    ("user: Ana Lima <ana@example.com>", 11, "unexpected `Lima`, expected an e-mail address in angle brackets like "
     "`<ana@example.com>`", "no colon after `user`: write `user Ana Lima <ana@example.com>`"),
    ("holidays: DE-BY", 9, "unexpected `:`, expected a holiday region like `DE-BY` or `US`",
     "no colon after `holidays`: write `holidays DE-BY`"),
    ('meeting "Intro" 30min zoom slug Intro Call', 39, "unexpected `Call`, expected the end of the statement (`;` "
     "or a new line)", "a slug is one word of lowercase letters, digits and hyphens: `slug intro-call`"),
    ('meeting "Intro" 30min zoom intro-call', 28, "unexpected `intro-call`, expected `slug` or the end of the "
     "statement (`;` or a new line)", "a slug follows `slug`: write `slug intro-call`"),
    ("weekdays 09:00-17:00 except Wed", 22, "unexpected `except`, expected `tz`, `,` or the end of the statement "
     "(`;` or a new line)", "write the exception as a rule of its own, after this one: `weekdays 09:00-17:00; Wed off`"),
    ("Mon-Fri 09:00-17:00 Tue 10:00-11:00", 21, "unexpected `Tue`, expected `tz`, `,` or the end of the statement "
     "(`;` or a new line)", "end the statement with `;` or a new line before `Tue`"),
])
def test_the_help_line_names_the_real_mistake(text, column, message, help):
    done = run_schedc("check", "--format", "json", "--stdin-filename", "a.sched", "-", stdin=text + "\n")
    assert done.returncode == 1
    assert json.loads(done.stdout) == [{
        "code": "SC001", "severity": "error", "message": message, "file": "a.sched", "line": 1, "column": column,
        "end_line": 1, "end_column": column + len(message.split("`")[1]), "help": help}]


def test_the_terminal_shows_the_help_under_the_caret():
    done = run_schedc("check", "--stdin-filename", "a.sched", "-", stdin="meeting 45 minutes\n")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        'a.sched:1:9: error[SC001]: unexpected `45`, expected a duration like `45min` or a quoted name like '
        '`"Business Hours"`\n  |\n1 | meeting 45 minutes\n  |         ^^\n  |\n'
        "help: write durations without a space, like `45min`\n\n1 file checked: 1 error, 0 warnings\n")


@pytest.mark.parametrize("text", ["user Ana ana@example.com", "user ana@example.com"])
def test_an_address_without_brackets_read_as_a_name_is_still_named(text):
    done = run_schedc("check", "--format", "json", "--stdin-filename", "a.sched", "-", stdin=text + "\n")
    [found] = json.loads(done.stdout)
    assert (found["code"], found["column"], found["help"]) == (
        "SC003", len(text) + 1, "write the e-mail address in angle brackets: `<ana@example.com>`")


@pytest.mark.parametrize("text", [
    "meeting 45 minutes", "meeting 30 min", 'meeting "Intro" 2 hours', "Mon-Fri 09.00-17.00", "Mon-Fri 0900-1700",
    "Mon to Fri 09:00-17:00", "Mon through Fri 09:00-17:00", "Mon\u2013Fri 09:00-17:00", "Mon-Fri: 09:00-17:00",
    "Mon-Fri from 09:00 to 17:00", "Mon-Fri 09:00-17:00 Europe/Berlin", "user Ana Lima ana@example.com",
    "user Ana ana@example.com", "user Ana Maria Lima <ana@example.com>"])
def test_following_the_help_gives_a_file_without_syntax_errors(tmp_path, text):
    """What the help says to write, written in place of the statement (or of the part it names), parses."""
    import re

    done = run_schedc("check", "--format", "json", "--stdin-filename", "a.sched", "-", stdin=text + "\n")
    [found] = json.loads(done.stdout)
    written = re.findall(r"`([^`]+)`", found["help"])[-1]
    fixed = _follow(text, written)
    again = run_schedc("check", "--format", "json", "--stdin-filename", "a.sched", "-",
                       stdin="user Ana Lima <ana@example.com> tz UTC\n" * (not fixed.startswith("user")) + fixed + "\n")
    assert [d for d in json.loads(again.stdout) if d["code"].startswith("SC0")] == [], (text, fixed)


def _follow(text: str, written: str) -> str:
    """`text` with what a help line says to write put where it belongs."""
    import re

    if written.startswith(("user ", "Mon-Fri ")):
        return written
    if text.startswith("meeting") or text.startswith("user"):
        head = re.match(r'(meeting( "[^"]*")?|user( \S+)*?) ', text)[0] if not text.startswith("user") else None
        if head:
            return head + written
        return re.sub(r"\S+@\S+$", written, text)
    days = re.match(r"(\S+ (to|through) \S+|\S+)", text)[0]
    if "-" in written and ":" not in written:  # a range of days
        return written + text[len(days):]
    if written.startswith("tz "):
        return text.rsplit(" ", 1)[0] + " " + written
    return days.rstrip(":") + " " + written
