"""The live progress line of `submit`: on a terminal (a real pty) it shows done/total, rate,
elapsed, ETA and what the batch waits for; on a pipe or with `--json` nothing of it; `-q` hides
the users skipped because an earlier run created them. And FORCE_COLOR."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import run_schedc
from submit_support import (KEY, assert_no_key, read_terminal, sandbox, sandbox_process, submit, submit_env,  # noqa: F401
                            write_team)

pty = pytest.importorskip("pty")

PACED = ("--rate", "5/s", "--burst", "1", "--concurrency", "1", "--backoff", "0.3")


def on_a_terminal(cwd, *args: str) -> tuple[int, str, str]:
    """`schedc submit ARGS` with stderr on a pty (stdout a pipe): (exit status, stdout, the terminal)."""
    import fcntl
    import struct
    import termios

    terminal, child_end = pty.openpty()
    fcntl.ioctl(child_end, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))  # 200 columns
    process = subprocess.Popen([sys.executable, "-m", "schedc", "submit", *args], cwd=cwd, env=submit_env(),
                               stdout=subprocess.PIPE, stderr=child_end)
    os.close(child_end)
    seen = read_terminal(terminal)
    out = process.stdout.read().decode()
    process.stdout.close()
    code = process.wait(timeout=60)
    shown = seen.decode()
    assert_no_key(KEY, out, shown)
    return code, out, shown


def test_paced_submission_shows_progress_and_what_it_waits_for(tmp_path, sandbox):
    write_team(tmp_path, 3)
    code, out, shown = on_a_terminal(tmp_path, "team", *PACED, "--base-url", sandbox.url)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["created"] * 3
    assert re.search(r"\r\[[12]/3\] [12] created, 0 skipped, 0 failed  [^\r]*  pacing: next request in 0\.\d s\x1b\[K",
                     shown)
    assert re.search(r"\r\[1/3\] 1 created, 0 skipped, 0 failed  \d+\.\d/(s|min)  elapsed 0:0\d  eta 0:0\d", shown)
    assert "\r[3/3] 3 created, 0 skipped, 0 failed" in shown
    assert shown.endswith("\r\x1b[K3 files submitted: 3 created, 0 skipped, 0 failed\r\n")  # the line is gone


def test_a_retry_is_shown_with_its_reason_attempt_and_wait(tmp_path, sandbox):
    write_team(tmp_path, 1)
    sandbox.faults({"kind": "status", "status": 503, "times": 1})
    code, out, shown = on_a_terminal(tmp_path, "team", *PACED, "--base-url", sandbox.url)
    assert code == 0
    assert re.search(r"retrying person00@example\.com after HTTP 503, attempt 2 in 0\.\d s", shown)


def test_no_progress_on_a_pipe_or_with_json(tmp_path, sandbox):
    write_team(tmp_path, 3)
    run = submit(tmp_path, "team", *PACED, base=sandbox.url, fast=False)
    assert run.code == 0
    assert "\r" not in run.stderr and "pacing" not in run.stderr and "\x1b" not in run.stderr
    assert run.stderr == "3 files submitted: 3 created, 0 skipped, 0 failed\n"
    sandbox.reset()  # the same e-mails again, on a fresh server
    (tmp_path / "more").mkdir()
    write_team(tmp_path / "more", 2)
    code, out, shown = on_a_terminal(tmp_path / "more", "team", "--json", *PACED, "--base-url", sandbox.url)
    assert code == 0
    assert shown == "2 files submitted: 2 created, 0 skipped, 0 failed\r\n"  # the terminal got only the summary


def test_quiet_leaves_out_the_users_an_earlier_run_created(tmp_path, sandbox):
    write_team(tmp_path, 3)
    first = submit(tmp_path, "team/person00.sched", "team/person01.sched", base=sandbox.url)
    assert first.code == 0
    resumed = submit(tmp_path, "team", "-q", base=sandbox.url)
    assert resumed.code == 0
    assert [line.split()[:2] for line in resumed.stdout.splitlines()] == [["created", "person02@example.com"]]
    assert resumed.stderr == "3 files submitted: 1 created, 2 skipped, 0 failed\n"
    again = submit(tmp_path, "team", base=sandbox.url)
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["skipped"] * 3
    dry = submit(tmp_path, "team", "-q", "--dry-run", base=sandbox.url)
    assert dry.stdout == "" and dry.stderr == f"dry run: 0 requests would be sent to {sandbox.url}; nothing was sent\n"


# ---- FORCE_COLOR
OVERLAP = "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-12:00, 11:00-13:00\n"


@pytest.mark.parametrize("env, options, coloured", [
    ({}, (), False),
    ({"FORCE_COLOR": "1"}, (), True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, (), False),  # NO_COLOR wins
    ({"FORCE_COLOR": "1"}, ("--color", "never"), False),  # the option wins over both
    ({"NO_COLOR": "1"}, ("--color", "always"), True),
    ({"FORCE_COLOR": ""}, (), False),  # empty means unset
])
def test_force_color(tmp_path, env, options, coloured):
    (tmp_path / "a.sched").write_text(OVERLAP)
    done = run_schedc("check", *options, "a.sched", cwd=tmp_path, env=env)
    assert done.returncode == 1
    assert ("\x1b[1;31merror[SC102]\x1b[0m" in done.stderr) is coloured
    assert ("\x1b[" in done.stderr) is coloured


def test_the_status_line_counts_rate_elapsed_eta_and_the_newest_wait():
    """The reusable class itself, on a clock the test moves (`apply` is meant to use it too)."""
    from schedc.cli.progress import Progress

    now = [100.0]
    progress = Progress(4, enabled=False, clock=lambda: now[0])
    assert progress.status() == "[0/4]  elapsed 0:00"
    now[0] = 110.0
    progress.advance(2, tally="2 created")
    assert progress.status() == "[2/4] 2 created  12.0/min  elapsed 0:10  eta 0:10"
    progress.wait("pacing", "pacing: next request in {left}", 0.6)
    progress.wait("retry a", "retrying a@example.com after HTTP 503, attempt 2 in {left}", 3.0)
    assert progress.status().endswith("  eta 0:10  retrying a@example.com after HTTP 503, attempt 2 in 3.0 s")
    now[0] = 112.5
    assert progress.status().endswith("attempt 2 in 0.5 s")
    now[0] = 113.5  # both waits are over: they drop out by themselves
    assert progress.status() == "[2/4] 2 created  8.9/min  elapsed 0:13  eta 0:13"
    now[0] = 3700.0
    progress.advance(2)
    assert progress.status() == "[4/4] 2 created  0.1/min  elapsed 1:00:00"
