"""The configuration file: found walking up, beaten by the command line, and every problem in it
a diagnostic at the file's line and column, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from conftest import run_schedc
from submit_support import sandbox, sandbox_process, submit, write_team  # noqa: F401 (fixtures)

TOUCHING = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon 09:00-12:00, 12:00-13:00\n"
LATE = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nFri 18:00-24:00\n"
NO_ZONE = "user Ana Lima <ana@example.com>\nMon 09:00-17:00\n"
TOUCH_WARNING = ("a.sched:2:18: warning[SC120]: `Mon 12:00-13:00` touches `Mon 09:00-12:00`\n"
                 "  |\n2 | Mon 09:00-12:00, 12:00-13:00\n  |     -----------  ^^^^^^^^^^^\n  |\n"
                 "help: write them as one range: `09:00-13:00`\n\n")


@pytest.fixture
def project(tmp_path) -> Path:
    """tmp/proj with sub/deep below it and a.sched (one warning) in proj/sub."""
    deep = tmp_path / "proj" / "sub" / "deep"
    deep.mkdir(parents=True)
    (tmp_path / "proj" / "sub" / "a.sched").write_text(TOUCHING)
    return tmp_path / "proj"


def settings_lines(done) -> dict[str, tuple[str, str]]:
    """`--show-settings` output → {key: (value as TOML, source)}."""
    found = {}
    for line in done.stdout.splitlines()[1:]:
        text, _, source = line.partition("  # ")
        key, _, value = text.strip().partition(" = ")
        found[key] = (value, source.strip())
    return found


# ---- finding the file
def test_config_is_found_from_a_subdirectory(project):
    (project / "schedc.toml").write_text("strict = true\n")
    done = run_schedc("check", "../a.sched", cwd=project / "sub" / "deep")
    assert done.returncode == 1  # strict: the warning fails the check
    assert done.stderr == TOUCH_WARNING.replace("a.sched", "../a.sched") + "1 file checked: 0 errors, 1 warning\n"
    assert run_schedc("check", "../a.sched", "--no-config", cwd=project / "sub" / "deep").returncode == 0


def test_pyproject_needs_a_tool_schedc_table_and_schedc_toml_comes_first(project):
    (project / "schedc.toml").write_text('end-of-day = "24:00"\n')
    (project / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.black]\nline-length = 100\n')
    shown = settings_lines(run_schedc("check", "--show-settings", cwd=project / "sub" / "deep"))
    assert shown["end-of-day"] == ('"24:00"', "../../schedc.toml:1:1")  # the pyproject without a table is passed over
    (project / "sub" / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.schedc]\nstrict = true\n')
    done = run_schedc("check", "--show-settings", cwd=project / "sub" / "deep")
    assert done.stdout.splitlines()[0] == "# configuration file: ../pyproject.toml"
    shown = settings_lines(done)
    assert shown["strict"] == ("true", "../pyproject.toml:5:1")
    assert shown["end-of-day"] == ('"23:59"', "default")  # nothing is merged from the file further up
    (project / "sub" / "schedc.toml").write_text("strict = false\n")
    assert settings_lines(run_schedc("check", "--show-settings", cwd=project / "sub"))["strict"] == (
        "false", "schedc.toml:1:1")


def test_show_settings_with_no_file_and_every_key(tmp_path):
    done = run_schedc("check", "--show-settings", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == (
        "# configuration file: none found (schedc.toml, or [tool.schedc] in pyproject.toml)\n"
        'end-of-day = "23:59"               # default\n'
        "strict = false                     # default\n"
        "exclude = []                       # default\n"
        "select = []                        # default\n"
        "ignore = []                        # default\n"
        "# timezone is not set              # default\n"
        'rate = "90/min"                    # default\n'
        "burst = 10                         # default\n"
        "concurrency = 4                    # default\n"
        'journal = ".schedc-journal.jsonl"  # default\n'
        'state = ".schedc-state.json"       # default\n'
        'max-input-size = "2MiB"            # default\n'
        "per-file-ignores = {}              # default\n"
        "# extend is not set                # default\n")


def test_explicit_config_file(project, tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text('ignore = ["SC120"]\n')
    (project / "schedc.toml").write_text("strict = true\n")
    done = run_schedc("--config", str(other), "check", "a.sched", cwd=project / "sub")
    assert done.returncode == 0
    assert done.stderr == "1 file checked: no problems\n"
    missing = run_schedc("check", "--config", "nope.toml", "a.sched", cwd=project / "sub")
    assert missing.returncode == 2
    assert missing.stderr.startswith("nope.toml: error[SC500]: cannot read the configuration file: No such file")


# ---- the command line wins
def test_command_line_wins_over_the_file(project):
    (project / "schedc.toml").write_text('strict = true\nend-of-day = "24:00"\nignore = ["SC125"]\n')
    sub = project / "sub"
    assert run_schedc("check", "a.sched", cwd=sub).returncode == 1
    done = run_schedc("check", "--no-strict", "a.sched", cwd=sub)
    assert done.returncode == 0 and done.stderr == TOUCH_WARNING + "1 file checked: 0 errors, 1 warning\n"
    shown = settings_lines(run_schedc("check", "--show-settings", "--no-strict", "--end-of-day", "23:59",
                                      "--ignore", "SC120,SC121", "--ignore", "SC14", cwd=sub))
    assert shown["strict"] == ("false", "command line")
    assert shown["end-of-day"] == ('"23:59"', "command line")
    assert shown["ignore"] == ('["SC120", "SC121", "SC14"]', "command line")
    # end-of-day from the file: 18:00-24:00 compiles with 24:00
    (sub / "late.sched").write_text(LATE)
    assert '"end": "24:00"' in run_schedc("compile", "late.sched", cwd=sub).stdout
    assert '"end": "23:59"' in run_schedc("compile", "late.sched", "--end-of-day", "23:59", cwd=sub).stdout


def test_timezone_from_the_file_fills_a_file_without_one(project):
    (project / "schedc.toml").write_text('timezone = "Europe/Berlin"\n')
    (project / "sub" / "nozone.sched").write_text(NO_ZONE)
    done = run_schedc("compile", "nozone.sched", cwd=project / "sub")
    assert done.returncode == 0, done.stderr
    assert '"timezone": "Europe/Berlin"' in done.stdout
    done = run_schedc("compile", "nozone.sched", "--timezone", "Asia/Tokyo", cwd=project / "sub")
    assert '"timezone": "Asia/Tokyo"' in done.stdout


def test_exclude_skips_files_found_in_directories_but_not_files_named(project):
    drafts = project / "sub" / "drafts"
    drafts.mkdir()
    (drafts / "b.sched").write_text("Mon 09:00-10:00,09:30-11:00\n")
    (project / "sub" / "c.old.sched").write_text("Mon 9:00-10:00\n")
    (project / "schedc.toml").write_text('exclude = ["sub/drafts", "*.old.sched"]\n')
    done = run_schedc("check", "-q", "sub", cwd=project)
    assert done.returncode == 0 and done.stderr == TOUCH_WARNING.replace("a.sched", "sub/a.sched")
    named = run_schedc("check", "-q", "sub/drafts/b.sched", cwd=project)
    assert named.returncode == 1 and "b.sched:1:17: error[SC102]" in named.stderr
    # fmt skips them too: the untidy excluded file is left as it is
    assert run_schedc("fmt", "sub", cwd=project).returncode == 0
    assert (project / "sub" / "c.old.sched").read_text() == "Mon 9:00-10:00\n"
    # --exclude replaces the file's patterns
    done = run_schedc("check", "-q", "--exclude", "a.sched", "sub", cwd=project)
    assert "drafts/b.sched:1:17: error[SC102]" in done.stderr and "sub/a.sched" not in done.stderr


# ---- problems in the file
BAD = [
    ("schedc.toml", "strict = yes\n",
     "schedc.toml:1:10: error[SC500]: the configuration file is not valid TOML: invalid value\n"
     "  |\n1 | strict = yes\n  |          ^\n  |\nhelp: see https://toml.io for the syntax\n"),
    ("schedc.toml", 'strict = true\nend_of_day = "24:00"\n',
     "schedc.toml:2:1: error[SC501]: unknown key `end_of_day`\n  |\n2 | end_of_day = \"24:00\"\n  | ^^^^^^^^^^\n  |\n"
     "help: did you mean `end-of-day`? the keys are: end-of-day, strict, exclude, select, ignore, timezone, "
     "rate, burst, concurrency, journal, state, max-input-size, per-file-ignores, extend\n"),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.schedc]\nconcurrency = "4"\n',
     "pyproject.toml:5:15: error[SC502]: `concurrency`: expected a whole number, not a string\n"
     "  |\n5 | concurrency = \"4\"\n  |               ^^^\n  |\nhelp: write it like 4\n"),
    ("pyproject.toml", '[tool]\nschedc.rate = "fast"\n',
     "pyproject.toml:2:15: error[SC503]: `rate`: not a rate: 'fast' (write it like 100/min or 2/s)\n"
     "  |\n2 | schedc.rate = \"fast\"\n  |               ^^^^^^\n  |\nhelp: write it like \"90/min\" or \"2/s\"\n"),
    ("schedc.toml", 'select = [\n  "SC120",\n  "SC9",\n]\n',
     "schedc.toml:3:3: error[SC504]: `select`: `SC9` is not a diagnostic code or the start of one\n"
     "  |\n3 |   \"SC9\",\n  |   ^^^^^\n  |\nhelp: codes look like `SC120`; a prefix like `SC12` names every code "
     "that starts so (`schedc rule --all` lists them)\n"),
    ("schedc.toml", 'ignore = ["SC1", "SC107"]\n',
     "schedc.toml:1:18: error[SC505]: `ignore`: `SC107` is an error, and errors cannot be ignored\n"
     "  |\n1 | ignore = [\"SC1\", \"SC107\"]\n  |                  ^^^^^^^\n  |\n"
     "help: only warnings can be ignored: an error means the request would be invalid\n"),
    ("pyproject.toml", "[tool]\nschedc = 3\n",
     "pyproject.toml:2:1: error[SC502]: `tool.schedc` must be a table, not a number\n"
     "  |\n2 | schedc = 3\n  | ^^^^^^\n  |\nhelp: write it as a `[tool.schedc]` table\n"),
]


@pytest.mark.parametrize("name, text, expected", BAD, ids=[b[2].split("]")[0][-5:] + "-" + b[0] for b in BAD])
def test_bad_config_is_a_diagnostic_at_its_line_and_column(project, name, text, expected):
    (project / name).write_text(text)
    done = run_schedc("check", "a.sched", cwd=project / "sub")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (expected.replace(f"{name}:", f"../{name}:", 1) + "\n"
                           f"schedc: error: fix the configuration in `../{name}` (or pass --no-config)\n")


def test_every_command_that_reads_the_configuration_stops_on_a_bad_one(project):
    (project / "schedc.toml").write_text("strict = 1\n")
    stop = "schedc: error: fix the configuration in `../schedc.toml` (or pass --no-config)\n"
    for argv in (["compile", "a.sched"], ["fmt", "--check", "a.sched"], ["submit", "--dry-run", "a.sched"],
                 ["check", "--show-settings"]):
        done = run_schedc(*argv, cwd=project / "sub")
        assert done.returncode == 2, argv
        assert done.stdout == ""
        assert done.stderr.startswith("../schedc.toml:1:10: error[SC502]: `strict`: expected true or false, not a "
                                      "number\n") and done.stderr.endswith(stop), argv
    assert run_schedc("check", "--no-config", "a.sched", cwd=project / "sub").returncode == 0


def test_config_that_is_not_utf8(project):
    (project / "schedc.toml").write_bytes(b'strict = true\ntimezone = "Europe/Z\xfcrich"\n')
    done = run_schedc("check", "--show-settings", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith("schedc.toml:2:21: error[SC500]: the configuration file is not UTF-8 text\n")


def test_bad_select_and_ignore_options(project):
    done = run_schedc("check", "--select", "SC12,XX1", "sub", cwd=project)
    assert done.returncode == 2
    assert done.stderr == ("schedc: error: --select: `XX1` is not a diagnostic code or the start of one (codes look "
                           "like `SC120`; a prefix like `SC12` names every code that starts so (`schedc rule --all` "
                           "lists them))\n")
    done = run_schedc("compile", "--ignore", "SC102", "sub/a.sched", cwd=project)
    assert done.returncode == 2 and "`SC102` is an error, and errors cannot be ignored" in done.stderr


# ---- submit reads its settings from the file too
def test_submit_takes_journal_rate_and_concurrency_from_the_file(project, sandbox):

    write_team(project / "sub", 2)
    (project / "schedc.toml").write_text('journal = "state/journal.jsonl"\nrate = "6000/min"\nburst = 50\n'
                                         "concurrency = 2\n")
    (project / "state").mkdir()
    run = submit(project / "sub", "team", "--json", base=sandbox.url, fast=False)
    assert run.code == 0, run.stderr
    assert [line["outcome"] for line in run.lines()] == ["created", "created"]
    journal = (project / "state" / "journal.jsonl").read_text()
    assert journal.count('"outcome": "created"') == 2
    assert not (project / "sub" / ".schedc-journal.jsonl").exists()
    shown = settings_lines(run_schedc("check", "--show-settings", cwd=project / "sub"))
    assert shown["rate"] == ('"6000/min"', "../schedc.toml:2:1")
    assert shown["concurrency"] == ("2", "../schedc.toml:4:1")


# ---- never a traceback, whatever the file holds
@hypothesis_settings(max_examples=150, deadline=None)
@given(st.text(max_size=120), st.sampled_from(["schedc.toml", "pyproject.toml"]))
def test_any_config_text_gives_settings_or_diagnostics(tmp_path_factory, text, name):
    from schedc.config import Settings, load

    folder = tmp_path_factory.mktemp("cfg")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    config = load(str(path))
    lines = text.split("\n")
    for d in config.diagnostics:
        assert d.code.startswith("SC5") and d.is_error
        if d.span is not None:
            assert 1 <= d.span.line <= len(lines) + 1
    if not config.diagnostics:
        settings = Settings(config)
        for key in ("end-of-day", "strict", "exclude", "select", "ignore", "rate", "concurrency", "journal"):
            settings.setting(key)
        settings.show()


def test_reading_no_config_imports_no_toml_parser(tmp_path):
    (tmp_path / "a.sched").write_text(TOUCHING)

    def imported(cwd) -> str:
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "schedc", "check", "a.sched"], cwd=cwd,
                              capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=60)
        return done.stderr

    parser = " tomllib" if sys.version_info >= (3, 11) else " tomli"  # the backport on 3.10
    assert parser not in imported(tmp_path)
    (tmp_path / "schedc.toml").write_text("strict = false\n")
    assert parser in imported(tmp_path)


def test_the_toml_parser_is_a_dependency_wherever_the_standard_library_lacks_it(tmp_path):
    """Python 3.10 has no `tomllib`: the package must pull in the backport there, not rely on a
    test tool happening to install it. On this interpreter, a configuration file is read."""
    from importlib.metadata import requires

    assert "tomli>=1.1; python_version < '3.11'" in [r.replace('"', "'") for r in requires("schedc")]
    (tmp_path / "schedc.toml").write_text('ignore = ["SC120"]\n')
    (tmp_path / "a.sched").write_text(TOUCHING)
    done = run_schedc("check", "a.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file checked: no problems\n")
