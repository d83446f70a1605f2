"""The `schedc` command driven as a subprocess: streams, exit codes, files, colour."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_schedc

GOOD = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon-Fri 09:00-17:00\n"
WARN = "user Ana Lima <ana@example.com> tz US/Eastern\nMon-Fri 09:00-17:00\n"
BAD = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon-Fri 09:00-12:00, 11:00-13:00\n"


def write(path, text: str | bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_check_clean_file(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("check", "a.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file checked: no problems\n")


def test_check_quiet_clean_file_prints_nothing(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("check", "-q", "a.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_check_error_exit_1_with_rendered_diagnostic(tmp_path):
    write(tmp_path / "a.sched", BAD)
    done = run_schedc("check", "a.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        "a.sched:2:22: error[SC102]: `11:00-13:00` overlaps `09:00-12:00` on Mon-Fri\n"
        "  |\n"
        "2 | Mon-Fri 09:00-12:00, 11:00-13:00\n"
        "  |         -----------  ^^^^^^^^^^^ overlaps\n"
        "  |\n"
        "help: merge them into `09:00-13:00`, or move one so they no longer share time\n"
        "\n"
        "1 file checked: 1 error, 0 warnings\n")


def test_warnings_pass_unless_strict(tmp_path):
    write(tmp_path / "a.sched", WARN)
    assert run_schedc("check", "a.sched", cwd=tmp_path).returncode == 0
    strict = run_schedc("check", "--strict", "a.sched", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stderr.startswith("a.sched:1:36: warning[SC123]: `US/Eastern` is a legacy alias")


def test_check_directories_recursively_skipping_hidden_ones_worst_exit_wins(tmp_path):
    write(tmp_path / "team" / "a.sched", GOOD)
    write(tmp_path / "team" / "sub" / "b.sched", BAD)
    write(tmp_path / "team" / ".hidden" / "c.sched", "garbage here")
    write(tmp_path / "team" / "notes.txt", "garbage here")
    done = run_schedc("check", "-q", "team", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(os.path.join("team", "sub", "b.sched") + ":2:22: error[SC102]")
    assert "c.sched" not in done.stderr and "notes" not in done.stderr


def test_stdin_with_and_without_a_name():
    done = run_schedc("check", "-", stdin=BAD)
    assert done.returncode == 1 and done.stderr.startswith("<stdin>:2:22: error[SC102]")
    named = run_schedc("check", "--stdin-filename", "team/ana.sched", "-", stdin=BAD)
    assert named.stderr.startswith("team/ana.sched:2:22: error[SC102]")


def test_missing_path_is_one_line_and_exit_2_but_other_files_are_still_checked(tmp_path):
    write(tmp_path / "bad.sched", BAD)
    done = run_schedc("check", "-q", "nope.sched", "bad.sched", cwd=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "schedc: error: cannot read `nope.sched`: no such file or directory"
    assert lines[1].startswith("bad.sched:2:22: error[SC102]")


def test_empty_directory_is_a_warning_not_a_failure(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run_schedc("check", "empty", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "schedc: warning: `empty`: no .sched files in this directory\n")


def test_unreadable_file_exit_2(tmp_path):
    path = write(tmp_path / "locked.sched", GOOD)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: use a directory given as FILE instead
        done = run_schedc("compile", str(tmp_path))
        assert done.stderr.startswith(f"schedc: error: cannot read `{tmp_path}`: it is a directory, not a regular file\n")
    else:
        done = run_schedc("compile", str(path))
        assert done.stderr.startswith("schedc: error: cannot read")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_non_utf8_file_is_a_diagnostic_at_the_byte(tmp_path):
    write(tmp_path / "latin1.sched", "tz UTC\n# café\n".encode("latin-1"))
    done = run_schedc("check", "-q", "latin1.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "latin1.sched:2:6: error[SC004]: byte 0xe9 is not valid UTF-8"
    assert "Traceback" not in done.stderr


def test_binary_file_is_one_clear_error(tmp_path):
    write(tmp_path / "x.sched", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    done = run_schedc("check", "-q", "x.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("x.sched:1:1: error[SC004]")
    assert "Traceback" not in done.stderr


def test_compile_prints_only_json_on_stdout_and_warnings_on_stderr(tmp_path):
    write(tmp_path / "a.sched", WARN)
    done = run_schedc("compile", "a.sched", cwd=tmp_path)
    assert done.returncode == 0
    body = json.loads(done.stdout)
    assert body["timezone"] == "US/Eastern"
    assert done.stderr.startswith("a.sched:1:36: warning[SC123]")


def test_compile_flags_fill_the_gaps():
    done = run_schedc("compile", "examples/one-liner.sched", "--email", "ana@example.com", "--given-name", "Ana",
                      "--family-name", "Lima", "--end-of-day", "24:00")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert (body["email"], body["givenName"], body["familyName"], body["timezone"]) == (
        "ana@example.com", "Ana", "Lima", "Europe/London")


def test_compile_flag_contradicting_the_file_is_an_error(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("compile", "a.sched", "--timezone", "Asia/Tokyo", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines()[0] == (
        "a.sched:1:36: error[SC204]: `--timezone` value `Asia/Tokyo` contradicts `Europe/Lisbon` in the file")


def test_compile_missing_identity_lists_every_gap(tmp_path):
    done = run_schedc("compile", "examples/one-liner.sched")
    assert done.returncode == 1
    headers = [line for line in done.stderr.splitlines() if "error[" in line]
    assert headers == [
        "examples/one-liner.sched: error[SC203]: the user has no e-mail address",
        "examples/one-liner.sched: error[SC203]: the user has no given name",
        "examples/one-liner.sched: error[SC203]: the user has no family name",
    ]


def test_compile_output_file_is_written_and_kept_on_failure(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("compile", "a.sched", "-o", "out.json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    good_json = (tmp_path / "out.json").read_text()
    assert json.loads(good_json)["email"] == "ana@example.com"
    write(tmp_path / "a.sched", BAD)
    failed = run_schedc("compile", "a.sched", "-o", "out.json", cwd=tmp_path)
    assert failed.returncode == 1
    assert (tmp_path / "out.json").read_text() == good_json  # nothing lost
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.sched", "out.json"]


def test_compile_to_an_unwritable_place_is_exit_2(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("compile", "a.sched", "-o", "no/such/dir/out.json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("schedc: error: cannot write `no/such/dir/out.json`")


def test_compile_from_stdin():
    done = run_schedc("compile", "-", stdin=GOOD)
    assert done.returncode == 0 and json.loads(done.stdout)["givenName"] == "Ana"


def test_usage_errors_exit_2():
    assert run_schedc().returncode == 2
    assert run_schedc("check").returncode == 2
    assert run_schedc("compile", "a", "--end-of-day", "25:00").returncode == 2
    assert run_schedc("frobnicate").returncode == 2


def test_version_and_console_script_match_module(tmp_path):
    import schedc

    script = Path(sys.executable).parent / "schedc"
    assert script.exists(), "the installed console script sits beside the interpreter"
    module = run_schedc("--version")
    import tzdata

    assert (module.returncode, module.stdout) == (0, f"schedc {schedc.__version__} (tzdata {tzdata.IANA_VERSION})\n")
    write(tmp_path / "a.sched", "tz UTC\nMon 09:00-12:00,11:00-13:00\n")
    for args in (["--version"], ["check", "a.sched"], ["compile", "a.sched"]):
        by_module = run_schedc(*args, cwd=tmp_path)
        by_script = subprocess.run([str(script), *args], capture_output=True, text=True, cwd=tmp_path)
        assert (by_script.returncode, by_script.stdout, by_script.stderr) == (
            by_module.returncode, by_module.stdout, by_module.stderr), args


def test_broken_pipe_is_quiet(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = subprocess.run(f"{sys.executable} -m schedc compile a.sched | head -c 1", shell=True, cwd=tmp_path,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout == "{"
    assert done.stderr == ""


def _stderr_on_a_terminal(args, env_extra, cwd) -> str:
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(env_extra)
    env["TERM"] = "xterm"
    process = subprocess.Popen([sys.executable, "-m", "schedc", *args], stderr=follower, stdout=subprocess.DEVNULL,
                               cwd=cwd, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_under_no_color(tmp_path):
    write(tmp_path / "a.sched", BAD)
    assert "\x1b[" in _stderr_on_a_terminal(["check", "a.sched"], {}, tmp_path)
    assert "\x1b[" not in _stderr_on_a_terminal(["check", "a.sched"], {"NO_COLOR": "1"}, tmp_path)
    assert "\x1b[" not in run_schedc("check", "a.sched", cwd=tmp_path).stderr
    assert "\x1b[" in run_schedc("check", "--color", "always", "a.sched", cwd=tmp_path).stderr


def test_shared_options_work_before_and_after_the_command(tmp_path):
    write(tmp_path / "a.sched", BAD)
    before = run_schedc("--color", "always", "check", "a.sched", cwd=tmp_path)
    after = run_schedc("check", "--color", "always", "a.sched", cwd=tmp_path)
    assert "\x1b[" in before.stderr and before.stderr == after.stderr


def test_hidden_files_inside_a_searched_directory_are_skipped(tmp_path):
    write(tmp_path / "team" / ".draft.sched", "garbage here")
    write(tmp_path / "team" / "a.sched", GOOD)
    done = run_schedc("check", "team", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "1 file checked: no problems\n")


def test_summary_counts_paths_that_could_not_be_read(tmp_path):
    write(tmp_path / "a.sched", GOOD)
    done = run_schedc("check", "a.sched", "gone.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "1 file checked: no problems; 1 path could not be read"


def test_several_marks_on_one_line_label_only_the_primary_one(tmp_path):
    write(tmp_path / "a.sched", "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-12:00, 12:00-13:00\n")
    done = run_schedc("check", "-q", "a.sched", cwd=tmp_path)
    assert done.stderr.splitlines()[3] == "  |     -----------  ^^^^^^^^^^^"


def test_a_file_that_is_not_text_is_never_echoed(tmp_path):
    write(tmp_path / "a.sched", b"tz UTC\nMon\x00 09:00-10:00\n")
    done = run_schedc("check", "-q", "a.sched", cwd=tmp_path)
    assert done.stderr == ("a.sched:2:4: error[SC004]: the file holds a NUL byte: it looks binary, not a schedule\n"
                           "help: check that this is the file you meant\n\n")


def test_control_characters_in_text_are_a_diagnostic_and_never_reach_the_terminal_raw(tmp_path):
    write(tmp_path / "a.sched", b"tz Europe/Lo\x1b[31mndon\x07\nMon 09:00-10:00\n")
    done = run_schedc("check", "-q", "a.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert done.stderr.startswith("a.sched:1:13: error[SC005]: the text holds U+001B (escape): it cannot be seen")


def test_a_symlink_to_the_environment_prints_no_key(tmp_path):
    key = "ak_live:123e4567-e89b-12d3-a456-426614174000:s3cr3t-value-of-the-key"
    (tmp_path / "env.sched").symlink_to("/proc/self/environ")
    done = run_schedc("check", "env.sched", cwd=tmp_path, env={"MEETERGO_API_KEY": key})
    assert done.returncode == 1
    assert "s3cr3t" not in done.stderr + done.stdout
    assert "MEETERGO_API_KEY" not in done.stderr + done.stdout


def test_a_text_file_holding_the_key_is_redacted_in_excerpts(tmp_path):
    key = "ak_live:123e4567-e89b-12d3-a456-426614174000:s3cr3t-value-of-the-key"
    write(tmp_path / "leak.sched", f"tz UTC\nMon 09:00-10:00 {key}\n".encode())
    for fmt in ("text", "json", "github"):
        done = run_schedc("check", "--format", fmt, "leak.sched", cwd=tmp_path, env={"MEETERGO_API_KEY": key})
        assert done.returncode == 1
        assert "s3cr3t" not in done.stderr + done.stdout, fmt
        if fmt == "text":  # the excerpt quotes the line, with the key blanked out
            assert "2 | Mon 09:00-10:00 <redacted>" in done.stderr


def test_an_excerpt_of_a_huge_line_is_a_window_around_the_error(tmp_path):
    write(tmp_path / "long.sched", ("user Ana Lima <ana@example.com> tz UTC\nMon " + "09:00-10:00," * 20_000
                                    + "25:00-26:00\n").encode())
    done = run_schedc("check", "-q", "long.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert len(done.stderr) < 5_000
    first = done.stderr.splitlines()[0]
    assert "error[SC102]" in first or "error[SC101]" in first


def test_lines_are_counted_at_line_feeds_only(tmp_path):
    write(tmp_path / "nel.sched", "tz UTC\nMon 09:00-10:00,09:30-11:00 # a\u2028b\n".encode())
    done = run_schedc("check", "-q", "nel.sched", cwd=tmp_path)
    assert done.stderr.splitlines()[:1] == [
        "nel.sched:2:32: error[SC005]: the text holds U+2028 (line separator): it cannot be seen, "
        "and changes what the line means"]
    assert "2 | Mon 09:00-10:00,09:30-11:00 # a" in done.stderr
