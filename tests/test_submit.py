"""`schedc submit` end to end: the real command against the sandbox on 127.0.0.1.

Every run goes through `submit_support.submit`, which also checks that the key appears in
none of stdout, stderr and the journal.
"""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import schedc
from schedc.meetergo import PAT_REFUSED
from submit_support import (FAST, KEY, KEY_UUID, assert_no_key, compiled, journal_entries, journal_lines, sandbox,  # noqa: F401
                            read_terminal, sandbox_process, submit, submit_env, write_team, write_user)

USER_AGENT = f"schedc/{schedc.__version__} python-httpx/{httpx.__version__}"


def position(path: Path, line: int, needle: str) -> str:
    """`line:column` of `needle` on a 1-based line of `path`."""
    text = path.read_text(encoding="utf-8").splitlines()[line - 1]
    return f"{line}:{text.index(needle) + 1}"


def statuses(box) -> list:
    return [r.get("status") for r in box.requests()]


# ---- 201
def test_a_user_is_created_from_exactly_the_compiled_body(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    run = submit(tmp_path, "person00.sched", base=sandbox.url)
    assert run.code == 0, run.stderr
    [received] = sandbox.requests()
    assert received["method"] == "POST" and received["path"] == "/v4/user"
    assert received["body"] == compiled(path)
    headers = {k.lower(): v for k, v in received["headers"].items()}
    assert headers["authorization"] == f"Bearer {KEY}"
    assert headers["content-type"] == "application/json"
    assert headers["user-agent"] == USER_AGENT
    [user] = sandbox.users()
    assert run.stdout == (
        f"created   person00@example.com  https://cal.meetergo.com/ana-tester00/intro-00  "
        f"userId={user['userId']} availabilityId={user['availabilityId']} meetingTypeId={user['meetingTypeId']} "
        f"companyId={user['companyId']}  (person00.sched)\n")
    assert run.stderr == "1 file submitted: 1 created, 0 skipped, 0 failed\n"


def test_key_from_a_file_and_base_url_from_the_environment(tmp_path, sandbox):
    write_user(tmp_path, 0)
    (tmp_path / "key.txt").write_text(KEY + "\n", encoding="utf-8")
    run = submit(tmp_path, "person00.sched", "--api-key-file", "key.txt", key=None,
                 env={"MEETERGO_BASE_URL": sandbox.url})
    assert run.code == 0, run.stderr
    assert sandbox.requests()[0]["headers"]["Authorization"] == f"Bearer {KEY}"


# ---- the key, refused before anything is sent
def test_a_personal_token_is_refused_before_any_request(tmp_path, sandbox):
    write_user(tmp_path, 0)
    run = submit(tmp_path, "person00.sched", key="rgo-0123456789abcdef", base=sandbox.url)
    assert run.code == 2
    assert run.stderr == f"schedc: error: {PAT_REFUSED}\n"
    assert "ak_live:<uuid>:<secret>" in run.stderr
    assert sandbox.requests() == [] and run.stdout == ""


def test_no_key_is_exit_2_and_nothing_sent(tmp_path, sandbox):
    write_user(tmp_path, 0)
    run = submit(tmp_path, "person00.sched", key=None, base=sandbox.url)
    assert run.code == 2
    assert run.stderr == "schedc: error: no API key: set MEETERGO_API_KEY or pass --api-key-file PATH\n"
    assert sandbox.requests() == []


def test_plain_http_is_refused_beyond_loopback(tmp_path):
    write_user(tmp_path, 0)
    run = submit(tmp_path, "person00.sched", base="http://api.meetergo.com")
    assert run.code == 2
    assert run.stderr == ("schedc: error: refusing plain http to `api.meetergo.com`: the key would cross the "
                          "network unencrypted (http is allowed only to localhost)\n")


# ---- 401 / 403
@pytest.mark.parametrize("key, words", [
    ("ak_live:not-a-uuid:whatever123", "the server refused the API key (HTTP 401: Invalid API key)"),
    (f"ak_live:{KEY_UUID}:nosub-7a7a7a", "the server does not let this key create users (HTTP 403: "
                                         "The API Platform subscription is not active for this company)"),
])
def test_a_refused_credential_stops_the_batch(tmp_path, sandbox, key, words):
    write_team(tmp_path, 3)
    run = submit(tmp_path, "team", "--concurrency", "1", key=key, base=sandbox.url)
    assert run.code == 2
    assert len(sandbox.requests()) == 1 and sandbox.users() == []
    assert f"schedc: error: {words}." in run.stderr
    labels = [line.split()[0] for line in run.stdout.splitlines()]
    assert labels == ["refused", "not-sent", "not-sent"]
    assert run.stderr.endswith("3 files submitted: 0 created, 0 skipped, 3 failed (2 not-sent, 1 refused)\n")


# ---- 400 mapped back to the source
def test_400s_point_at_the_statements_that_made_the_fields(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    first, second = team / "person00.sched", team / "person01.sched"
    sandbox.faults({"kind": "status", "status": 400, "body": {
        "statusCode": 400, "message": "Validation failed", "error": "Bad Request", "errors": [
            {"field": "email", "message": "Email domain not allowed"},
            {"field": "meetingType.slug", "message": "Slug already taken"},
            {"field": "availability.schedule.wednesday", "message": "Invalid hours"},
            {"field": "timezone", "message": "Unsupported timezone"}]}},
        {"kind": "status", "status": 400,  # a zone refused with no field named
         "body": {"statusCode": 400, "message": "Invalid timezone", "error": "Bad Request"}})
    run = submit(tmp_path, "team", "--concurrency", "1", base=sandbox.url)
    assert run.code == 1
    assert run.stdout == ("rejected  person00@example.com  HTTP 400: Validation failed  (team/person00.sched)\n"
                          "rejected  person01@example.com  HTTP 400: Invalid timezone  (team/person01.sched)\n")
    headers = [line for line in run.stderr.splitlines() if line.startswith("team/")]
    assert headers == [
        f"team/person00.sched:{position(first, 1, '<')}: error[SC301]: the server rejected the `email`: "
        "Email domain not allowed",
        f"team/person00.sched:{position(first, 4, 'intro-00')}: error[SC301]: the server rejected the "
        "`meetingType.slug`: Slug already taken",
        f"team/person00.sched:{position(first, 3, '09:00-12:00')}: error[SC301]: the server rejected the "
        "`availability.schedule.wednesday`: Invalid hours",
        f"team/person00.sched:{position(first, 1, 'Europe/London')}: error[SC302]: the server rejected the time "
        "zone: Unsupported timezone",
        f"team/person01.sched:{position(second, 1, 'Europe/London')}: error[SC302]: the server rejected the "
        "request (HTTP 400): Invalid timezone",
    ]
    assert "1 | user Ana Tester00 <person00@example.com> tz Europe/London" in run.stderr


# ---- 409
def test_an_existing_email_is_an_error_or_a_skip(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0
    again = submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url)
    assert again.code == 1
    assert again.stdout == ("exists    person00@example.com  already exists: A user with this email already exists"
                            "  (person00.sched)\n")
    assert again.stderr.startswith(
        f"person00.sched:{position(path, 1, '<')}: error[SC303]: a user with the e-mail `person00@example.com` "
        "already exists: A user with this email already exists\n")
    skip = submit(tmp_path, "person00.sched", "--no-journal", "--if-exists", "skip", base=sandbox.url)
    assert skip.code == 0
    assert skip.stdout == "skipped   person00@example.com  already exists (--if-exists skip)  (person00.sched)\n"
    assert statuses(sandbox) == [201, 409, 409]


# ---- retries
def test_5xx_is_retried_until_created(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "status", "status": 503, "times": 2})
    run = submit(tmp_path, "person00.sched", "--json", base=sandbox.url)
    assert run.code == 0, run.stderr
    assert statuses(sandbox) == [503, 503, 201]
    [user] = sandbox.users()
    assert run.lines() == [{  # the JSON line carries every id
        "file": "person00.sched", "email": "person00@example.com", "outcome": "created",
        "userId": user["userId"], "availabilityId": user["availabilityId"], "meetingTypeId": user["meetingTypeId"],
        "bookingUrl": "https://cal.meetergo.com/ana-tester00/intro-00", "companyId": user["companyId"], "attempts": 3}]


def test_still_failing_after_the_attempts_is_exit_3(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "status", "status": 503, "times": 5})
    run = submit(tmp_path, "person00.sched", "--attempts", "3", base=sandbox.url)
    assert run.code == 3
    assert statuses(sandbox) == [503, 503, 503]
    assert run.stdout == ("failed    person00@example.com  still failing after 3 attempts: HTTP 503 Service "
                          "Unavailable (an attempt may have reached the server: the next run will tell)"
                          "  (person00.sched)\n")
    assert journal_entries(run.journal)[-1]["outcome"] == "failed"
    # the next run sends again and succeeds: a failure is never recorded as done
    assert submit(tmp_path, "person00.sched", base=sandbox.url).code == 0
    assert len(sandbox.users()) == 1


def test_a_lost_answer_then_409_is_settled_by_looking_the_user_up(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "drop", "when": "after"})  # the user is created, the answer never comes
    run = submit(tmp_path, "person00.sched", base=sandbox.url)
    assert run.code == 0, run.stdout + run.stderr
    [user] = sandbox.users()
    assert run.stdout == ("created   person00@example.com  found on the server: an earlier attempt whose answer was "
                          f"lost created it  userId={user['userId']} availabilityId={user['availabilityId']} "
                          f"meetingTypeId={user['meetingTypeId']} companyId={user['companyId']}  (person00.sched)\n")
    assert "SC303" not in run.stderr  # not reported as a plain conflict
    entries = journal_entries(run.journal)
    assert [e["outcome"] for e in entries] == ["sending", "created"]
    assert (entries[-1]["userId"], entries[-1]["found"]) == (user["userId"], True)
    # the next run skips it: the journal knows it is created
    again = submit(tmp_path, "person00.sched", "--json", base=sandbox.url)
    assert again.code == 0 and again.lines()[0]["outcome"] == "skipped"
    assert len(sandbox.users()) == 1


def test_a_run_killed_mid_request_is_settled_by_the_next_without_sending_again(tmp_path, sandbox):
    write_user(tmp_path, 0)
    journal = tmp_path / ".schedc-journal.jsonl"
    first = submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url)  # created, answer known...
    assert first.code == 0
    # ...but this journal only saw the request leave, as after a SIGKILL mid-request
    from schedc.meetergo.client import body_hash

    sent = compiled(tmp_path / "person00.sched").encode()
    journal.write_text(json.dumps({"time": "2026-11-30T00:00:00Z", "base": sandbox.url, "file": "person00.sched",
                                   "email": "person00@example.com", "hash": body_hash(sent),
                                   "outcome": "sending"}) + "\n")
    before = len([r for r in sandbox.requests() if r["method"] == "POST"])
    again = submit(tmp_path, "person00.sched", "--json", base=sandbox.url)
    assert again.code == 0, again.stdout + again.stderr
    assert again.lines()[0]["outcome"] == "created" and again.lines()[0]["found"] is True
    assert len([r for r in sandbox.requests() if r["method"] == "POST"]) == before  # not sent again
    assert len(sandbox.users()) == 1


# ---- batches
def test_one_bad_file_stops_the_batch_before_anything_is_sent(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    (team / "bad.sched").write_text("user Bad File <bad@example.com> tz Europe/Londn\nMon 09:00-10:00\n")
    (team / "twin.sched").write_text((team / "person00.sched").read_text())
    run = submit(tmp_path, "team", base=sandbox.url)
    assert run.code == 1
    assert "error[SC107]: unknown time zone `Europe/Londn`" in run.stderr
    assert "error[SC304]: `person00@example.com` is also the e-mail of `team/person00.sched`" in run.stderr
    assert run.stderr.endswith("schedc: error: nothing was sent: fix the files above, or pass --keep-going "
                               "to send the others\n")
    assert sandbox.requests() == [] and run.journal == ""
    kept = submit(tmp_path, "team", "--keep-going", base=sandbox.url)
    assert kept.code == 1
    assert sorted(u["email"] for u in sandbox.users()) == ["person00@example.com", "person01@example.com"]


def test_pacing_keeps_under_a_limit_the_sandbox_enforces(tmp_path, sandbox):
    write_team(tmp_path, 14)
    sandbox.reset(rate="10/s", burst=3)
    # Paced well below the limit, so that requests delayed on a loaded machine and then
    # arriving together still fit the sandbox's burst.
    run = submit(tmp_path, "team", "--rate", "6/s", "--burst", "1", "--concurrency", "4", "--attempts", "1",
                 base=sandbox.url)
    assert run.code == 0, run.stdout + run.stderr
    received = sorted(r["received"] for r in sandbox.requests())
    assert statuses(sandbox) == [201] * 14
    # any one second holds at most burst + rate requests (one more for jitter in arrival times),
    # and the whole run paces out
    assert max(sum(1 for t in received if start <= t < start + 1.0) for start in received) <= 1 + 6 + 1
    assert received[-1] - received[0] >= 1.0  # (14 - 2) / 9 = 1.33 s of pacing, less arrival jitter
    # the control: without pacing the same sandbox answers 429
    sandbox.reset(rate="10/s", burst=3)
    rushed = submit(tmp_path, "team", "--no-journal", "--rate", "1000/s", "--burst", "50", "--attempts", "1",
                    base=sandbox.url)
    assert rushed.code == 3 and 429 in statuses(sandbox)


def test_a_changed_file_is_noticed_and_not_sent(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", base=sandbox.url).code == 0
    write_user(tmp_path, 0, duration="45min")
    changed = submit(tmp_path, "person00.sched", base=sandbox.url)
    assert changed.code == 1
    assert changed.stdout.startswith("changed   person00@example.com  the file changed since this user was created on ")
    assert len(sandbox.requests()) == 1
    assert path.exists()


def test_the_journal_lines_and_what_a_dry_run_makes_of_them(tmp_path, sandbox):
    write_team(tmp_path, 2)
    path = tmp_path / "team" / "person00.sched"
    run = submit(tmp_path, "team/person00.sched", base=sandbox.url)
    [user] = sandbox.users()
    sending, sent, created = journal_lines(run.journal)
    assert set(sent) == {"time", "base", "sent"} and sent["base"] == sandbox.url  # when the request left
    assert abs(sent["sent"] - time.time()) < 600
    digest = "sha256:" + hashlib.sha256(compiled(path).encode()).hexdigest()
    where = {"base": sandbox.url, "file": "team/person00.sched", "email": "person00@example.com", "hash": digest}
    assert {k: v for k, v in sending.items() if k != "time"} == {**where, "outcome": "sending"}
    assert {k: v for k, v in created.items() if k != "time"} == {
        **where, "outcome": "created", "userId": user["userId"], "availabilityId": user["availabilityId"],
        "meetingTypeId": user["meetingTypeId"], "bookingUrl": user["bookingUrl"], "companyId": user["companyId"],
        "attempts": 1}
    # a dry run leaves out who the journal says is created...
    dry = submit(tmp_path, "team", "--dry-run", "--json", base=sandbox.url)
    assert [line["body"]["email"] for line in dry.lines()] == ["person01@example.com"]
    assert "team/person00.sched: not sent: person00@example.com was created on " in dry.stderr
    # ...but another base URL is another account, where the journal makes nobody skip
    other = submit(tmp_path, "team", "--dry-run", "--json", base=sandbox.url.replace("127.0.0.1", "localhost"))
    assert [line["body"]["email"] for line in other.lines()] == ["person00@example.com", "person01@example.com"]
    assert len(sandbox.requests()) == 1


def test_resume_after_a_crash_creates_nobody_twice_and_loses_nobody(tmp_path, sandbox):
    count = 18
    write_team(tmp_path, count)
    sandbox.faults({"kind": "delay", "seconds": 0.15, "when": "after", "times": count})
    argv = [sys.executable, "-m", "schedc", "submit", *FAST, "team", "--concurrency", "3",
            "--base-url", sandbox.url]
    process = subprocess.Popen(argv, cwd=tmp_path, env=submit_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = tmp_path / ".schedc-journal.jsonl"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        text = journal.read_text() if journal.exists() else ""
        if text.count('"outcome": "created"') >= 5:
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    out, err = process.communicate(timeout=10)
    assert_no_key(KEY, out.decode(), err.decode())
    first = journal_entries(journal.read_text())
    done_first = {e["email"] for e in first if e["outcome"] == "created"}
    in_flight = {e["email"] for e in first if e["outcome"] == "sending"} - {
        e["email"] for e in first if e["outcome"] != "sending"}
    assert 5 <= len(done_first) < count and in_flight  # killed mid-batch, with requests in flight
    settle = time.monotonic() + 10  # let the sandbox finish what it was answering
    while time.monotonic() < settle and not all("status" in r for r in sandbox.requests()):
        time.sleep(0.02)
    sandbox.clear_faults()
    on_server = {u["email"] for u in sandbox.users()}
    before = len(sandbox.requests())

    second = submit(tmp_path, "team", "--json", base=sandbox.url)
    outcomes = {line["email"]: line["outcome"] for line in second.lines()}
    posts = [r for r in sandbox.requests()[before:] if r["method"] == "POST"]
    resent = [json.loads(r["body"])["email"] for r in posts]
    assert not set(resent) & done_first  # what the journal knows is created is not sent again
    assert not set(resent) & (in_flight & on_server)  # what the server has is looked up, not sent again
    assert {e for e, o in outcomes.items() if o == "skipped"} == done_first
    found = {line["email"] for line in second.lines() if line.get("found")}
    assert found == in_flight & on_server  # settled by looking them up
    assert second.code == 0
    everyone = {f"person{n:02d}@example.com" for n in range(count)}
    assert {u["email"] for u in sandbox.users()} == everyone  # nobody lost
    created = [json.loads(r["body"])["email"] for r in sandbox.requests()
               if r["method"] == "POST" and r.get("status") == 201]
    assert sorted(created) == sorted(everyone)  # nobody created twice
    third = submit(tmp_path, "team", "--if-exists", "skip", base=sandbox.url)
    assert third.code == 0 and third.stderr.endswith(f"{count} files submitted: 0 created, {count} skipped, 0 failed\n")


def test_ctrl_c_stops_with_130_and_a_readable_journal(tmp_path, sandbox):
    write_team(tmp_path, 6)
    sandbox.faults({"kind": "delay", "seconds": 0.3, "when": "after", "times": 6})
    argv = [sys.executable, "-m", "schedc", "submit", *FAST, "team", "--concurrency", "1", "--base-url", sandbox.url]
    process = subprocess.Popen(argv, cwd=tmp_path, env=submit_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    journal = tmp_path / ".schedc-journal.jsonl"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and '"created"' not in (journal.read_text() if journal.exists() else ""):
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert re.fullmatch(r"[1-5] of 6 files submitted: [1-5] created, 0 skipped, 0 failed; the journal has every "
                        r"outcome, so running the same command again carries on\nschedc: interrupted\n", err.decode())
    entries = journal_entries(journal.read_text())
    assert entries[0]["outcome"] == "sending" and any(e["outcome"] == "created" for e in entries)


def test_progress_on_a_terminal_and_a_reader_that_goes_away(tmp_path, sandbox):
    import os
    import pty

    write_team(tmp_path, 3)
    terminal, child_end = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "schedc", "submit", *FAST, "team", "--base-url", sandbox.url,
                                "--concurrency", "1"], cwd=tmp_path, env=submit_env(), stdout=subprocess.PIPE,
                               stderr=child_end)
    process.stdout.close()  # like `| head -0`: the batch must still finish
    os.close(child_end)
    seen = read_terminal(terminal)
    assert process.wait(timeout=60) == 0
    shown = seen.decode()
    assert "\r[1/3] 1 created, 0 skipped, 0 failed" in shown and "\r[3/3] 3 created, 0 skipped, 0 failed" in shown
    assert shown.endswith("\r\x1b[K3 files submitted: 3 created, 0 skipped, 0 failed\r\n")
    assert len(sandbox.users()) == 3
    assert_no_key(KEY, shown)


# ---- dry run
def test_dry_run_prints_the_requests_and_sends_nothing(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    expected = (f"# person00.sched\nPOST {sandbox.url}/v4/user\nAuthorization: Bearer <redacted>\n"
                f"Content-Type: application/json\nAccept: application/json\nUser-Agent: {USER_AGENT}\n\n"
                f"{compiled(path)}\n")
    run = submit(tmp_path, "person00.sched", "--dry-run", key=KEY, base=sandbox.url)  # a key set is not shown
    assert run.code == 0, run.stderr
    assert run.stdout == expected
    assert run.stderr == f"dry run: 1 request would be sent to {sandbox.url}; nothing was sent\n"
    as_json = submit(tmp_path, "person00.sched", "--dry-run", "--json", key=None, base=sandbox.url)  # none needed
    assert as_json.lines() == [{  # with no key set, no Authorization header is shown at all
        "file": "person00.sched", "method": "POST", "url": f"{sandbox.url}/v4/user",
        "headers": {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": USER_AGENT},
        "body": json.loads(compiled(path))}]
    assert as_json.stderr == (f"dry run: 1 request would be sent to {sandbox.url}; nothing was sent (and no key "
                              "is set: set MEETERGO_API_KEY or pass --api-key-file)\n")
    assert sandbox.requests() == [] and not (tmp_path / ".schedc-journal.jsonl").exists()


# ---- cold start
def test_check_and_compile_never_import_httpx():
    code = ("import sys; from schedc.cli import main; "
            "main(['check', 'examples/team']); main(['compile', 'examples/team/john-smith.sched', '-o', '/dev/null']); "
            "print(sorted(m for m in ('httpx', 'asyncio', 'schedc.meetergo') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(schedc.__file__).parent.parent, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
