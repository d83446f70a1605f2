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
     'a user has at most two names; quote a name with spaces: `user "Anna Maria" Berg <anna@example.com>`'),
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
