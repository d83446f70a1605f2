"""`schedc fmt` on the command line: exact streams, exit codes and files (black's conventions)."""

from __future__ import annotations

import json
import re

import pytest

from schedc import cli
from schedc.compiler import printer

MESSY = "MON-fri 9:00-12:00,13:00-17:00 TZ Europe/London # hours\n45m Zoom\n"
TIDY = "Mon-Fri 09:00-12:00, 13:00-17:00 tz Europe/London  # hours\nmeeting 45min zoom\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "messy.sched").write_text(MESSY)
    (tmp_path / "tidy.sched").write_text(TIDY)
    return tmp_path


def test_rewrites_in_place_and_reports_on_stderr(files, schedc):
    done = schedc("fmt", "messy.sched", "tidy.sched", cwd=files)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "reformatted messy.sched\n1 file reformatted, 1 file left unchanged\n"
    assert (files / "messy.sched").read_text() == TIDY
    assert schedc("fmt", "messy.sched", cwd=files).stderr == "1 file left unchanged\n"


def test_check_writes_nothing_and_exits_1(files, schedc):
    done = schedc("fmt", "--check", ".", cwd=files)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("would reformat ./messy.sched\n"
                           "1 file would be reformatted, 1 file would be left unchanged\n")
    assert (files / "messy.sched").read_text() == MESSY
    done = schedc("fmt", "--check", "tidy.sched", cwd=files)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file would be left unchanged\n")


def test_diff_prints_a_unified_diff_to_stdout(files, schedc):
    done = schedc("fmt", "--diff", "-q", "messy.sched", cwd=files)
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout == (
        "--- messy.sched\t(original)\n"
        "+++ messy.sched\t(formatted)\n"
        "@@ -1,2 +1,2 @@\n"
        "-MON-fri 9:00-12:00,13:00-17:00 TZ Europe/London # hours\n"
        "-45m Zoom\n"
        "+Mon-Fri 09:00-12:00, 13:00-17:00 tz Europe/London  # hours\n"
        "+meeting 45min zoom\n")
    assert (files / "messy.sched").read_text() == MESSY


def test_stdin_is_formatted_to_stdout(schedc):
    done = schedc("fmt", "-", stdin=MESSY)
    assert (done.returncode, done.stdout, done.stderr) == (0, TIDY, "reformatted <stdin>\n1 file reformatted\n")
    done = schedc("fmt", "-q", "--check", "-", stdin=TIDY)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_file_with_errors_is_left_alone_with_its_diagnostics(tmp_path, schedc):
    bad = tmp_path / "bad.sched"
    bad.write_text("Mon   09:00-12:00, 11:00-13:00 tz UTC\nuser Ana Lima <ana@example.com>\n")
    done = schedc("fmt", "bad.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "bad.sched:1:20: error[SC102]: `Mon 11:00-13:00` overlaps `Mon 09:00-12:00`\n"
        "  |\n"
        "1 | Mon   09:00-12:00, 11:00-13:00 tz UTC\n"
        "  |       -----------  ^^^^^^^^^^^ overlaps\n"
        "  |\n"
        "help: merge them into `09:00-13:00`, or move one so they no longer share time\n"
        "\n"
        "1 file with errors, not formatted\n")
    assert bad.read_text() == "Mon   09:00-12:00, 11:00-13:00 tz UTC\nuser Ana Lima <ana@example.com>\n"


def test_undecodable_bytes_are_a_diagnostic(tmp_path, schedc):
    (tmp_path / "latin.sched").write_bytes(b"# caf\xe9\nMon 09:00-12:00\n")
    done = schedc("fmt", "latin.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("latin.sched:1:6: error[SC004]: byte 0xe9 is not valid UTF-8\n")


def test_missing_file_exits_2_and_the_others_are_still_formatted(files, schedc):
    done = schedc("fmt", "nope.sched", "messy.sched", cwd=files)
    assert done.returncode == 2
    assert done.stderr == ("schedc: error: cannot read `nope.sched`: no such file or directory\n"
                           "reformatted messy.sched\n1 file reformatted, 1 file failed to reformat\n")
    assert (files / "messy.sched").read_text() == TIDY




def test_unsafe_result_leaves_the_file_alone_and_exits_2(files, monkeypatch, capsys):
    monkeypatch.setattr(printer, "print_document", lambda document: "Mon 09:00-10:00\n")
    code = cli.main(["fmt", str(files / "messy.sched")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (f"schedc: error: cannot format `{files / 'messy.sched'}`: "
                            "the formatted text would compile to a different request\n"
                            "1 file failed to reformat\n")
    assert (files / "messy.sched").read_text() == MESSY


def test_a_symlinked_file_is_formatted_through_the_link(files, schedc):
    (files / "link.sched").symlink_to("messy.sched")
    done = schedc("fmt", "link.sched", cwd=files)
    assert (done.returncode, done.stderr) == (0, "reformatted link.sched\n1 file reformatted\n")
    assert (files / "link.sched").is_symlink()
    assert (files / "messy.sched").read_text() == TIDY


def test_help_lists_the_tooling_commands(schedc):
    done = schedc("--help")
    assert done.returncode == 0
    listed = re.findall(r"^    (\w+) +\S", done.stdout, re.M)
    assert listed[:4] == ["check", "compile", "fmt", "import"]


def test_diff_shows_a_missing_final_newline(tmp_path, schedc):
    (tmp_path / "a.sched").write_text("Mon 09:00-17:00")
    done = schedc("fmt", "--diff", "-q", "a.sched", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ("--- a.sched\t(original)\n+++ a.sched\t(formatted)\n@@ -1 +1 @@\n"
                           "-Mon 09:00-17:00\n\\ No newline at end of file\n+Mon 09:00-17:00\n")


# ---- bytes that carry no meaning for the formatter are the file's own (issue 10, item 8)
def test_a_crlf_file_keeps_its_crlf_line_endings(tmp_path, schedc):
    path = tmp_path / "dos.sched"
    path.write_bytes(b"tz UTC\r\nmon 9:00-17:00   # core\r\n\r\n\r\n30m zoom\r\n")
    done = schedc("fmt", "dos.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "reformatted dos.sched\n1 file reformatted\n")
    assert path.read_bytes() == b"tz UTC\r\nMon 09:00-17:00  # core\r\n\r\nmeeting 30min zoom\r\n"


def test_check_passes_on_a_tidy_crlf_file(tmp_path, schedc):
    (tmp_path / "dos.sched").write_bytes(b"tz UTC\r\nMon 09:00-17:00\r\n")
    done = schedc("fmt", "--check", "dos.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file would be left unchanged\n")


def test_diff_of_a_crlf_file_shows_only_the_lines_that_change(tmp_path, schedc):
    (tmp_path / "dos.sched").write_bytes(b"tz UTC\r\nmon 09:00-17:00\r\n")
    done = schedc("fmt", "--diff", "-q", "dos.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == ("--- dos.sched\t(original)\n+++ dos.sched\t(formatted)\n@@ -1,2 +1,2 @@\n"
                           " tz UTC\r\n-mon 09:00-17:00\r\n+Mon 09:00-17:00\r\n")


def test_stdin_keeps_crlf_on_stdout(schedc):
    done = schedc("fmt", "-q", "-", stdin=b"tz UTC\r\nmon 09:00-17:00\r\n")
    assert (done.returncode, done.stdout, done.stderr) == (0, "tz UTC\r\nMon 09:00-17:00\r\n", "")


def test_a_file_with_mixed_line_endings_takes_the_first_one(tmp_path, schedc):
    path = tmp_path / "mixed.sched"
    path.write_bytes(b"tz UTC\r\nMon 09:00-17:00\nTue 09:00-17:00\r\n")
    done = schedc("fmt", "mixed.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "reformatted mixed.sched\n1 file reformatted\n")
    assert path.read_bytes() == b"tz UTC\r\nMon 09:00-17:00\r\nTue 09:00-17:00\r\n"
    path.write_bytes(b"tz UTC\nMon 09:00-17:00\r\n")
    assert schedc("fmt", "-q", "mixed.sched", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == b"tz UTC\nMon 09:00-17:00\n"


def test_a_byte_order_mark_is_kept(tmp_path, schedc):
    path = tmp_path / "bom.sched"
    path.write_bytes(b"\xef\xbb\xbftz UTC\r\nmon 09:00-17:00\r\n")
    done = schedc("fmt", "bom.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "reformatted bom.sched\n1 file reformatted\n")
    assert path.read_bytes() == b"\xef\xbb\xbftz UTC\r\nMon 09:00-17:00\r\n"
    done = schedc("fmt", "--check", "bom.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "1 file would be left unchanged\n")


def test_layout_bytes_are_the_formatters_and_comment_and_name_bytes_are_not(tmp_path, schedc):
    # Tabs and runs of spaces between words, spaces at line ends, missing final newline: layout.
    # A tab inside a comment or a quoted name is text, and stays.
    path = tmp_path / "ws.sched"
    path.write_bytes(b'user\t"Ana\tMaria"  Lima <ana@example.com>   \r\n'
                     b'tz\tUTC \t\r\nMon\t09:00-17:00\t#\tcore\thours \t\r\nmeeting 30min')
    done = schedc("fmt", "ws.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "reformatted ws.sched\n1 file reformatted\n")
    assert path.read_bytes() == (b'user "Ana\tMaria" Lima <ana@example.com>\r\n'
                                 b'tz UTC\r\nMon 09:00-17:00  #\tcore\thours\r\nmeeting 30min\r\n')


# ---- a comment at the top of a file is its header (issue 10, item 8)
def test_a_leading_comment_stays_at_the_top_when_its_statement_moves(tmp_path, schedc):
    path = tmp_path / "ana.sched"
    path.write_text("# Ana's schedule, kept by the support team\nMon-Fri 09:00-17:00\n"
                    "user Ana Lima <ana@example.com> tz UTC\n")
    done = schedc("fmt", "ana.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "reformatted ana.sched\n1 file reformatted\n")
    assert path.read_text() == ("# Ana's schedule, kept by the support team\n\n"
                                "user Ana Lima <ana@example.com> tz UTC\nMon-Fri 09:00-17:00\n")
    assert schedc("fmt", "--check", "ana.sched", cwd=tmp_path).returncode == 0


def test_a_header_right_above_a_statement_that_stays_first_is_left_as_it_is(tmp_path, schedc):
    (tmp_path / "ana.sched").write_text("# Ana\nuser Ana Lima <ana@example.com> tz UTC\nMon 09:00-17:00\n")
    done = schedc("fmt", "--check", "ana.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "1 file would be left unchanged\n")


# ---- --end-of-day, as `compile` takes it (issue 10, item 8)
LATE = "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-17:00, 23:59-24:00\n"


def test_end_of_day_24_formats_what_compile_accepts_with_it(tmp_path, schedc):
    (tmp_path / "late.sched").write_text(LATE)
    assert schedc("compile", "--end-of-day", "24:00", "late.sched", cwd=tmp_path).returncode == 0
    done = schedc("fmt", "--check", "--end-of-day", "24:00", "late.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file would be left unchanged\n")
    done = schedc("fmt", "--check", "late.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "late.sched:2:18: error[SC201]: `23:59-24:00` is empty once midnight is written as `23:59`\n"
        "  |\n"
        "2 | Mon 09:00-17:00, 23:59-24:00\n"
        "  |                  ^^^^^^^^^^^\n"
        "  |\n"
        "help: start it earlier, or pass `--end-of-day 24:00`\n"
        "\n"
        "1 file with errors, not formatted\n")


def test_end_of_day_24_formats_imports_own_output(tmp_path, schedc):
    off = {"enabled": False, "hours": []}
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    schedule = {day: off for day in days} | {"monday": {"enabled": True, "hours": [
        {"start": "09:00", "end": "17:00"}, {"start": "23:59", "end": "24:00"}]}}
    body = {"email": "ana@example.com", "givenName": "Ana", "familyName": "Lima", "timezone": "UTC",
            "availability": {"timezone": "UTC", "schedule": schedule}}
    (tmp_path / "ana.json").write_text(json.dumps(body))
    imported = schedc("import", "ana.json", cwd=tmp_path)
    assert imported.returncode == 0
    assert imported.stdout == "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-17:00, 23:59-24:00\n"
    done = schedc("fmt", "--check", "--end-of-day", "24:00", "-", stdin=imported.stdout)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file would be left unchanged\n")


# ---- --errors=brief, for the pre-commit hook next to `schedc check` (issue 10, item 12)
def test_errors_brief_says_one_line_per_file_and_leaves_it_alone(files, schedc):
    (files / "bad.sched").write_text("Mon 09:00-12:00, 11:00-13:00 tz UTC\nTue 09:00-12:00, 10:00-11:00\n")
    (files / "worse.sched").write_text("Mon 09:00-\n")
    done = schedc("fmt", "--errors=brief", "bad.sched", "messy.sched", "worse.sched", cwd=files)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "bad.sched: not formatted: 2 errors (`schedc check` shows them)\n"
        "reformatted messy.sched\n"
        "worse.sched: not formatted: 1 error (`schedc check` shows them)\n"
        "1 file reformatted, 2 files with errors, not formatted\n")
    assert (files / "bad.sched").read_text() == "Mon 09:00-12:00, 11:00-13:00 tz UTC\nTue 09:00-12:00, 10:00-11:00\n"
    assert (files / "worse.sched").read_text() == "Mon 09:00-\n"
    assert (files / "messy.sched").read_text() == TIDY


def test_errors_brief_is_still_one_line_under_quiet(tmp_path, schedc):
    (tmp_path / "bad.sched").write_bytes(b"# caf\xe9\n")
    done = schedc("fmt", "-q", "--errors", "brief", "bad.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "bad.sched: not formatted: 1 error (`schedc check` shows them)\n"


def test_errors_full_after_brief_wins_so_a_hook_can_ask_for_diagnostics(tmp_path, schedc):
    # The hook's entry says --errors=brief; `args: [--errors=full]` comes after it.
    (tmp_path / "bad.sched").write_text("tz UTC\nMon 09:00-\n")
    done = schedc("fmt", "--errors=brief", "--errors=full", "bad.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    lines = done.stderr.splitlines()
    assert lines[0] == "bad.sched:2:11: error[SC003]: unexpected end of line, expected a time like `09:00`"
    assert lines[1:5] == ["  |", "2 | Mon 09:00-", "  |           ^", "  |"]
    assert lines[-1] == "1 file with errors, not formatted"


def test_end_of_day_from_the_configuration_as_check_and_compile_read_it(tmp_path, schedc):
    (tmp_path / "schedc.toml").write_text('end-of-day = "24:00"\n')
    (tmp_path / "late.sched").write_text(LATE)
    assert schedc("check", "-q", "late.sched", cwd=tmp_path).returncode == 0
    done = schedc("fmt", "--check", "late.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "1 file would be left unchanged\n")
    done = schedc("fmt", "--check", "--end-of-day", "23:59", "--errors=brief", "late.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("late.sched: not formatted: 1 error (`schedc check` shows them)\n"
                           "1 file with errors, not formatted\n")
