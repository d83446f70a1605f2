"""submit when things go wrong: a server that drips its answer, an answer too large to read,
restarts that must not reset the rate limit, and a journal that stops taking lines."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from submit_support import (KEY, assert_no_key, journal_entries, journal_lines, paced, sandbox,  # noqa: F401
                            sandbox_process, submit, write_team, write_user)


class Dripper:
    """A server on 127.0.0.1 that answers every request with a status line and headers, then
    `body_size` bytes, `pause` seconds apart; or, with `pause=0`, all of them at once."""

    def __init__(self, body_size: int, pause: float):
        self.body_size, self.pause = body_size, pause
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection):
        with connection:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += connection.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), 0)
                while len(body) < length:  # read the whole request, so closing sends no reset
                    body += connection.recv(65536)
                connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                   b"Content-Length: %d\r\n\r\n" % self.body_size)
                if not self.pause:
                    connection.sendall(b" " * self.body_size)
                    connection.shutdown(socket.SHUT_WR)
                    connection.recv(1)  # until the client hangs up
                    return
                for _ in range(self.body_size):
                    if self.stop.is_set():
                        return
                    connection.sendall(b" ")
                    time.sleep(self.pause)
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.listener.close()


def test_timeout_bounds_the_whole_attempt_even_when_the_answer_drips(tmp_path):
    write_user(tmp_path, 0)
    server = Dripper(body_size=400, pause=0.25)  # a whole answer would take 100 s
    try:  # were the drip not cut short, the run would outlast `submit`'s own limit of 60 s and fail
        run = submit(tmp_path, "person00.sched", "--timeout", "1", "--attempts", "1", base=server.url)
    finally:
        server.close()
    assert run.code == 3
    assert "failed    person00@example.com  still failing after 1 attempt: no whole answer within 1 s" in run.stdout
    assert journal_entries(run.journal)[-1]["uncertain"] is True  # the server may have acted


def test_an_answer_too_large_to_be_one_is_not_read_whole(tmp_path):
    write_user(tmp_path, 0)
    server = Dripper(body_size=3 << 20, pause=0)
    try:
        run = submit(tmp_path, "person00.sched", "--attempts", "1", base=server.url)
    finally:
        server.close()
    assert run.code == 3
    assert "still failing after 1 attempt: the answer was larger than 1024 KiB" in run.stdout


def test_a_restarted_run_keeps_to_the_rate_the_first_one_began(tmp_path, sandbox, monkeypatch):
    from schedc.meetergo import Journal, Pacer
    from schedc.meetergo.pacer import RATE_MEMORY

    team = write_team(tmp_path, 3)
    first = submit(tmp_path, "team", "--rate", "1/s", "--burst", "3", base=sandbox.url)
    assert first.code == 0
    sent = [line for line in journal_lines(first.journal) if "sent" in line]
    assert len(sent) == 3
    # The first run spent its burst of three. A run restarted the moment it ended finds the
    # bucket as the first left it, refilled only for the moments between the first run's sends:
    # it waits about a second per request instead of sending three at once. On the fake clock,
    # so that a slow machine cannot refill the bucket between the two runs.
    base, last = sent[0]["base"], sent[-1]["sent"]
    since = last - RATE_MEMORY
    journal = Journal(str(tmp_path / ".schedc-journal.jsonl")).read()
    restarted = Pacer(rate=1, burst=3, history=journal.sent_since(base, since), since=since)
    refilled = last - sent[0]["sent"]  # tokens back by the last send (more than one on a slow machine)
    expected = [max(0.0, n - refilled) for n in (1, 2, 3)]
    assert paced(monkeypatch, restarted, 3, wall=last) == pytest.approx(expected)
    # and the command itself, restarted, sends the newcomers after the first three
    for n in range(3):
        (team / f"late{n}.sched").write_text(f"user Late Comer{n} <late{n}@example.com> tz UTC\nMon 09:00-10:00\n")
    second = submit(tmp_path, "team", "--rate", "1/s", "--burst", "3", base=sandbox.url)
    assert second.code == 0
    assert len([line for line in journal_lines(second.journal) if "sent" in line]) == 6


def test_a_journal_that_is_not_a_regular_file_is_refused(tmp_path, sandbox):
    import os

    write_team(tmp_path, 1)
    os.symlink(os.devnull, tmp_path / "null.jsonl")
    run = submit(tmp_path, "team", "--journal", "null.jsonl", base=sandbox.url)
    assert run.code == 2
    assert run.stderr.endswith("schedc: error: the journal `null.jsonl` is not a regular file\n")
    assert sandbox.requests() == []


def test_a_journal_that_stops_taking_lines_stops_the_run_with_exit_2_and_keeps_the_servers_answer(tmp_path, sandbox):
    import resource
    import subprocess
    import sys

    from submit_support import FAST, submit_env

    write_team(tmp_path, 4)

    def small_files():  # the journal may grow to 1,200 bytes: enough for the first user, not all
        resource.setrlimit(resource.RLIMIT_FSIZE, (1200, 1200))

    done = subprocess.run([sys.executable, "-m", "schedc", "submit", *FAST, "team", "--concurrency", "1",
                           "--base-url", sandbox.url], cwd=tmp_path, env=submit_env(), capture_output=True,
                          text=True, timeout=60, preexec_fn=small_files)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "schedc: error: cannot write the journal `.schedc-journal.jsonl`: File too large" in done.stderr
    users = {u["email"] for u in sandbox.users()}
    from schedc.meetergo.journal import Journal

    lines = Journal.parse((tmp_path / ".schedc-journal.jsonl").read_bytes())  # the last line may be cut short
    journal = {e["email"] for e in lines if e.get("outcome") == "created"}
    # every user the server created is either in the journal or named on stderr with its answer
    for email in users - journal:
        assert f"The server's answer for {email}" in done.stderr and "outcome=created" in done.stderr
    assert_no_key(KEY, done.stdout, done.stderr)
    # the next run, with room again, carries on and creates nobody twice
    again = submit(tmp_path, "team", base=sandbox.url)
    assert again.code in (0, 1)  # 1 while a user whose answer went unrecorded is still uncertain
    assert sorted(u["email"] for u in sandbox.users()) == [f"person{n:02d}@example.com" for n in range(4)]


def test_journal_look_ups_do_not_grow_with_the_journal(tmp_path):
    from schedc.meetergo.journal import Journal

    journal = Journal(None)
    for n in range(20_000):
        journal.record({"base": "b", "email": f"u{n}@example.com", "outcome": "created", "hash": "h"})
    started = time.process_time()
    for n in range(20_000):
        assert journal.state("b", f"U{n}@example.com").created is not None
    # 20,000 look-ups in a 20,000-entry journal: linear scans would take 400 million steps
    assert time.process_time() - started < 5
