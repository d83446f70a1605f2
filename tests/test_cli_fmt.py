"""`schedc fmt` on the command line: exact streams, exit codes and files (black's conventions)."""

from __future__ import annotations

import re

import pytest

from schedc import cli, printer

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


def test_crlf_file_is_rewritten_with_plain_newlines(tmp_path, schedc):
    path = tmp_path / "dos.sched"
    path.write_bytes(b"Mon 09:00-12:00\r\n")
    assert schedc("fmt", "dos.sched", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == b"Mon 09:00-12:00\n"


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
