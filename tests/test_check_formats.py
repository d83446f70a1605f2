"""`check --format json|github`: machine-readable diagnostics on stdout, the summary on stderr."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from schedc import report as formats
from schedc.diagnostics import Diagnostic, Span

TWO_PROBLEMS = "Mon-Fri 09:00-12:00,11:30-17:00 tz Europe/Londn; 45min connect\n"
NO_USER = ("the file names no user: `compile` needs `--email`, `--given-name` and `--family-name`, "
           "and `submit` cannot send it")
NO_USER_HELP = "add `user GIVEN FAMILY <EMAIL>` to the file, unless it is compiled with those flags"


def test_json_is_one_array_with_stable_fields(tmp_path, schedc):
    (tmp_path / "office.sched").write_text(TWO_PROBLEMS)
    (tmp_path / "fine.sched").write_text("user Ana Lima <ana@example.com>\nMon 09:00-17:00 tz UTC\n")
    done = schedc("check", "--format", "json", "fine.sched", "office.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "2 files checked: 2 errors, 1 warning\n"
    assert json.loads(done.stdout) == [
        {"code": "SC102", "severity": "error", "message": "`11:30-17:00` overlaps `09:00-12:00` on Mon-Fri",
         "file": "office.sched", "line": 1, "column": 21, "end_line": 1, "end_column": 32,
         "help": "merge them into `09:00-17:00`, or move one so they no longer share time"},
        {"code": "SC107", "severity": "error", "message": "unknown time zone `Europe/Londn`",
         "file": "office.sched", "line": 1, "column": 36, "end_line": 1, "end_column": 48,
         "help": "did you mean `Europe/London`?"},
        {"code": "SC205", "severity": "warning", "message": NO_USER, "file": "office.sched", "line": None,
         "column": None, "end_line": None, "end_column": None, "help": NO_USER_HELP},
    ]


def test_json_of_a_clean_run_is_an_empty_array(schedc):
    done = schedc("check", "--format", "json", "-q", "examples/seed/custom.sched")
    assert (done.returncode, done.stdout, done.stderr) == (0, "[]\n", "")


def test_json_keeps_null_for_a_diagnostic_without_a_place(schedc):
    done = schedc("check", "--format", "json", "-q", "--stdin-filename", "x.sched", "-",
                  stdin="user Ana Lima <ana@example.com>\nMon 09:00-10:00\n")
    assert done.returncode == 0
    (record,) = json.loads(done.stdout)
    assert (record["code"], record["file"], record["line"], record["end_column"]) == ("SC202", "x.sched", None, None)
    assert list(record) == list(formats.FIELDS)


def test_github_annotations(tmp_path, schedc):
    (tmp_path / "office.sched").write_text(TWO_PROBLEMS)
    done = schedc("check", "--format", "github", "office.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == (
        "::error file=office.sched,line=1,col=21,endLine=1,endColumn=32,title=schedc SC102::"
        "`11:30-17:00` overlaps `09:00-12:00` on Mon-Fri%0Ahelp: merge them into `09:00-17:00`, "
        "or move one so they no longer share time\n"
        "::error file=office.sched,line=1,col=36,endLine=1,endColumn=48,title=schedc SC107::"
        "unknown time zone `Europe/Londn`%0Ahelp: did you mean `Europe/London`?\n"
        f"::warning file=office.sched,title=schedc SC205::{NO_USER}%0Ahelp: {NO_USER_HELP}\n")
    assert done.stderr == "1 file checked: 2 errors, 1 warning\n"


def test_github_escapes_what_the_workflow_command_syntax_reserves():
    d = Diagnostic("SC120", "warning", "100% done\r\nnext", Span(2, 3, 2, 9), path="a,b:c.sched")
    assert formats.to_github(d) == (
        "::warning file=a%2Cb%3Ac.sched,line=2,col=3,endLine=2,endColumn=9,title=schedc SC120::100%25 done%0D%0Anext\n")


def test_text_format_stays_on_stderr(schedc):
    done = schedc("check", "--format", "text", "examples/invalid/overlap.sched")
    assert done.returncode == 1 and done.stdout == ""
    assert "error[SC102]" in done.stderr


@pytest.mark.parametrize("args", [["check", "--format", "json"], ["fmt", "--check"]], ids=" ".join)
def test_check_and_fmt_never_load_pydantic(args):
    code = ("import sys; from schedc.cli import main; "
            f"code = main({args + ['-q', 'examples/seed/custom.sched']!r}); "
            "assert 'pydantic' not in sys.modules, 'pydantic loaded'; sys.exit(code)")
    from conftest import ROOT

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


def test_compile_prints_json_without_loading_pydantic():
    code = ("import sys; from schedc.cli import main; code = main(['compile', 'examples/seed/custom.sched']); "
            "assert 'pydantic' not in sys.modules, 'pydantic loaded'; sys.exit(code)")
    from conftest import ROOT

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (ROOT / "examples" / "seed" / "custom.json").read_text(encoding="utf-8")
