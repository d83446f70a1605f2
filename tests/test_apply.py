"""`schedc plan` and `schedc apply` end to end: the real commands against the sandbox on 127.0.0.1.

Every run goes through `run()`, which also checks that the key appears in none of stdout,
stderr and the state file.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from submit_support import (FAST, KEY, Run, UserPages, assert_no_key, sandbox, sandbox_process, submit,  # noqa: F401
                            submit_env, write_team, write_user)

STATE = ".schedc-state.json"
TUESDAY = "Mon, Wed-Fri 09:00-12:00, 13:00-17:00\nTue 10:00-16:00\n"


def run(cwd: Path, command: str, *args: str, base=None, key=KEY, fast=True) -> Run:
    """`schedc COMMAND ARGS` in `cwd`; asserts the key never shows in what it printed or wrote."""
    argv = [sys.executable, "-m", "schedc", command, *(FAST if fast else ()), *args]
    if base is not None:
        argv += ["--base-url", base]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=submit_env(key), timeout=60)
    state = (Path(cwd) / STATE).read_text(encoding="utf-8") if (Path(cwd) / STATE).exists() else ""
    assert_no_key(key, done.stdout, done.stderr, state)
    return Run(done.returncode, done.stdout, done.stderr, state)


def recorded(cwd: Path, base: str) -> dict:
    return json.loads((Path(cwd) / STATE).read_text(encoding="utf-8"))["servers"][base]["users"]


def compiled_body(path: Path) -> dict:
    import schedc

    return json.loads(schedc.load(path).to_json())


def edit_tuesday(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("Mon-Fri 09:00-12:00, 13:00-17:00\n", TUESDAY)
    path.write_text(text, encoding="utf-8")


def headers_of(request: dict) -> dict:
    return {k.lower(): v for k, v in request["headers"].items()}


def created_team(tmp_path: Path, sandbox, count: int = 3) -> Path:
    team = write_team(tmp_path, count)
    first = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert first.code == 0, first.stderr
    assert [line.split()[0] for line in first.stdout.splitlines()] == ["created"] * count
    return team


# ---- create, edit, plan, apply, re-plan
def test_one_changed_tuesday_is_planned_and_applied_as_exactly_one_patch(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox)
    users = recorded(tmp_path, sandbox.url)
    assert sorted(users) == ["person00@example.com", "person01@example.com", "person02@example.com"]
    assert users["person01@example.com"]["applied"] == compiled_body(team / "person01.sched")
    on_server = {u["email"]: u for u in sandbox.users()}
    assert users["person01@example.com"]["availabilityId"] == on_server["person01@example.com"]["availabilityId"]

    edit_tuesday(team / "person01.sched")
    before = len(sandbox.requests())
    plan = run(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.code == 0, plan.stderr
    assert plan.stdout == ("unchanged person00@example.com  (team/person00.sched)\n"
                           "update    person01@example.com  (team/person01.sched)\n"
                           "            Tue: 09:00-12:00, 13:00-17:00 -> 10:00-16:00\n"
                           "unchanged person02@example.com  (team/person02.sched)\n")
    assert plan.stderr == ("plan: 0 to create, 1 to update, 2 unchanged (compared with the state; --refresh "
                           "compares with the server)\n")
    as_json = run(tmp_path, "plan", "--json", "--detailed-exitcode", "team", base=sandbox.url)
    assert as_json.code == 4
    assert as_json.lines()[1] == {
        "file": "team/person01.sched", "email": "person01@example.com", "action": "update", "reason": "file",
        "changes": [{"part": "availability", "field": "tuesday", "from": "09:00-12:00, 13:00-17:00",
                     "to": "10:00-16:00", "reason": "file"}]}
    assert [line["action"] for line in as_json.lines()] == ["none", "update", "none"]
    assert len(sandbox.requests()) == before  # plan without --refresh sends nothing

    applied = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert applied.code == 0, applied.stderr
    assert "updated   person01@example.com  sent availability  (team/person01.sched)\n" in applied.stdout
    assert applied.stderr == ("update    person01@example.com  (team/person01.sched)\n"  # the plan, first
                              "            Tue: 09:00-12:00, 13:00-17:00 -> 10:00-16:00\n"
                              "plan: 0 to create, 1 to update, 2 unchanged\n"
                              "3 users applied: 2 unchanged, 1 updated\n")
    *reads, patch = sandbox.requests()[before:]  # apply reads the server first: 3 GETs per user, then the change
    assert [r["method"] for r in reads] == ["GET"] * 9
    user = users["person01@example.com"]
    assert patch["method"] == "PATCH" and patch["path"] == f"/v4/availability/{user['availabilityId']}"
    assert headers_of(patch)["x-meetergo-api-user-id"] == user["userId"]
    assert headers_of(patch)["authorization"] == f"Bearer {KEY}"
    assert json.loads(patch["body"]) == {"schedule": compiled_body(team / "person01.sched")["availability"]["schedule"]}
    assert patch["status"] == 200

    again = run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url)
    assert again.code == 0
    assert [line.split()[0] for line in again.stdout.splitlines()] == ["unchanged"] * 3
    nothing = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert nothing.code == 0
    assert [r["method"] for r in sandbox.requests()[before + 10:]] == ["GET"] * 9  # read, found equal, nothing sent
    alone = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url)
    assert alone.code == 0 and len(sandbox.requests()) == before + 19  # compared with the state: not even a GET


def test_a_changed_meeting_sends_only_the_meeting_type(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 1)
    path = team / "person00.sched"
    path.write_text(path.read_text().replace("30min zoom slug intro-00", "45min connect slug intro-00"))
    plan = run(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.stdout == ("update    person00@example.com  (team/person00.sched)\n"
                           "            meeting duration: 30 -> 45\n"
                           "            meeting channel: zoom -> connect  (no documented field: sent as "
                           "`meetingInfo.channel`, assumption meeting-info-nesting, §5)\n")
    before = len(sandbox.requests())
    assert run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url).code == 0
    [patch] = sandbox.requests()[before:]
    meeting = recorded(tmp_path, sandbox.url)["person00@example.com"]["meetingTypeId"]
    assert patch["path"] == f"/v4/meeting-type/{meeting}"
    assert json.loads(patch["body"]) == {"duration": 45, "meetingInfo": {"channel": "connect"}}


def test_plan_without_refresh_needs_no_key_and_sends_nothing(tmp_path, sandbox):
    write_team(tmp_path, 2)
    plan = run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url, key=None)
    assert plan.code == 4
    assert plan.stdout == ("create    person00@example.com  (team/person00.sched)\n"
                           "create    person01@example.com  (team/person01.sched)\n")
    assert sandbox.requests() == [] and not (tmp_path / STATE).exists()
    refresh = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url, key=None)
    assert refresh.code == 2
    assert refresh.stderr == "schedc: error: no API key: set MEETERGO_API_KEY or pass --api-key-file PATH\n"


# ---- drift
def test_a_server_side_edit_is_drift_for_plan_refresh_and_undone_by_apply_refresh(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 2)
    sandbox.http.post("/_sandbox/edit", json={"email": "person01@example.com", "availability": {
        "schedule": {"tuesday": {"enabled": True, "hours": [{"start": "11:00", "end": "12:00"}]}}}}
                      ).raise_for_status()
    quiet = run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url)
    assert quiet.code == 0  # the state alone cannot know

    before = len(sandbox.requests())
    plan = run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "team", base=sandbox.url)
    assert plan.code == 4, plan.stderr
    assert plan.stdout == ("unchanged person00@example.com  (team/person00.sched)\n"
                           "update    person01@example.com  (team/person01.sched)\n"
                           "            Tue: 11:00-12:00 -> 09:00-12:00, 13:00-17:00  (changed on the server)\n")
    reads = sandbox.requests()[before:]
    assert sorted((r["method"], r["path"].split("/")[2]) for r in reads) == [
        ("GET", "availability"), ("GET", "availability"), ("GET", "meeting-type"), ("GET", "meeting-type"),
        ("GET", "user"), ("GET", "user")]  # every managed field is compared: the names too
    as_json = run(tmp_path, "plan", "--refresh", "--json", "team/person01.sched", base=sandbox.url)
    assert as_json.lines() == [{
        "file": "team/person01.sched", "email": "person01@example.com", "action": "update", "reason": "server",
        "changes": [{"part": "availability", "field": "tuesday", "from": "11:00-12:00",
                     "to": "09:00-12:00, 13:00-17:00", "reason": "server"}]}]

    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "--refresh", "team", base=sandbox.url)
    assert applied.code == 0, applied.stderr
    patches = [r for r in sandbox.requests()[before:] if r["method"] == "PATCH"]
    [patch] = patches
    user = recorded(tmp_path, sandbox.url)["person01@example.com"]
    assert patch["path"] == f"/v4/availability/{user['availabilityId']}"
    assert json.loads(patch["body"]) == {"schedule": compiled_body(team / "person01.sched")["availability"]["schedule"]}
    live = sandbox.http.get(f"/v4/availability/{user['availabilityId']}",
                            headers={"Authorization": f"Bearer {KEY}", "x-meetergo-api-user-id": user["userId"]})
    assert live.json()["schedule"]["tuesday"] == {"enabled": True, "hours": [{"start": "09:00", "end": "12:00"},
                                                                             {"start": "13:00", "end": "17:00"}]}
    assert run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "team", base=sandbox.url).code == 0


def test_refresh_that_finds_the_availability_gone_points_at_the_file(tmp_path, sandbox):
    created_team(tmp_path, sandbox, 1)
    state = tmp_path / STATE
    document = json.loads(state.read_text())
    document["servers"][sandbox.url]["users"]["person00@example.com"]["availabilityId"] = "0000-gone"
    state.write_text(json.dumps(document))
    plan = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert plan.code == 1
    assert plan.stderr.startswith(
        "team/person00.sched:2:14: error[SC312]: the availability schedc recorded for `person00@example.com` is not "
        "on the server (HTTP 404: Availability not found)\n")


# ---- resuming
def test_a_killed_apply_resumes_without_repeating_finished_work(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 3)
    for n in range(3):
        edit_tuesday(team / f"person{n:02d}.sched")
    before = len(sandbox.requests())
    sandbox.faults({"kind": "delay", "seconds": 0}, {"kind": "delay", "seconds": 8})  # the second PATCH hangs
    argv = [sys.executable, "-m", "schedc", "apply", "--auto-approve", "--no-refresh", *FAST, "team", "--concurrency", "1",
            "--base-url", sandbox.url]
    process = subprocess.Popen(argv, cwd=tmp_path, env=submit_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(sandbox.requests()) < before + 2:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    out, err = process.communicate(timeout=10)
    assert_no_key(KEY, out.decode(), err.decode(), (tmp_path / STATE).read_text())
    first = sandbox.requests()[before:]
    assert [r["method"] for r in first] == ["PATCH", "PATCH"]
    finished = first[0]["path"]

    sandbox.clear_faults()
    second = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "--json", "team", base=sandbox.url)
    assert second.code == 0, second.stderr
    resent = [r["path"] for r in sandbox.requests()[before + 2:]]
    assert finished not in resent  # what the state records as done is not sent again
    assert len(resent) == 2 and first[1]["path"] in resent
    outcomes = sorted(line["outcome"] for line in second.lines())
    assert outcomes == ["unchanged", "updated", "updated"]
    users = recorded(tmp_path, sandbox.url)
    for n in range(3):
        assert users[f"person{n:02d}@example.com"]["applied"] == compiled_body(team / f"person{n:02d}.sched")


def test_a_second_run_on_the_same_state_is_refused_while_the_first_holds_it(tmp_path, sandbox):
    import fcntl

    created_team(tmp_path, sandbox, 1)
    with open(tmp_path / (STATE + ".lock"), "w") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        blocked = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert blocked.code == 2
    assert blocked.stderr == (f"schedc: error: the state `{STATE}` is in use by another schedc run (it holds "
                              f"`{STATE}.lock`); wait for it to finish\n")


@pytest.mark.parametrize("content, words", [
    ("{not json", "is not valid JSON"),
    ('{"format": "schedc-state", "version": 99, "servers": {}}', "has version 99, newer than this schedc"),
    ('{"hello": 1}', "is not a schedc state file"),
])
def test_an_unusable_state_is_exit_2(tmp_path, sandbox, content, words):
    write_team(tmp_path, 1)
    (tmp_path / STATE).write_text(content)
    for command in ("plan", "apply"):
        result = run(tmp_path, command, "team", base=sandbox.url)
        assert result.code == 2 and words in result.stderr and result.stdout == ""
    assert sandbox.requests() == []


# ---- existing users
def test_adopt_takes_over_an_existing_user_and_updates_it_to_match(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0
    [user] = sandbox.users()
    edit_tuesday(path)

    refused = run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url)
    assert refused.code == 1
    assert refused.stdout == ("exists    person00@example.com  already exists (pass --if-exists adopt to take it "
                              "over)  (person00.sched)\n")
    assert "person00.sched:1:19: error[SC303]: a user with the e-mail `person00@example.com` already exists" in refused.stderr

    before = len(sandbox.requests())
    adopted = run(tmp_path, "apply", "--auto-approve", "--if-exists", "adopt", "person00.sched", base=sandbox.url)
    assert adopted.code == 0, adopted.stderr
    assert adopted.stdout == (f"adopted   person00@example.com  sent availability  userId={user['userId']} "
                              f"availabilityId={user['availabilityId']} meetingTypeId={user['meetingTypeId']}"
                              "  (person00.sched)\n")
    calls = [(r["method"], r["path"].split("?")[0], r["status"]) for r in sandbox.requests()[before:]]
    assert calls == [("POST", "/v4/user", 409), ("GET", "/v4/user", 200),
                     ("GET", f"/v4/availability/{user['availabilityId']}", 200),
                     ("GET", f"/v4/meeting-type/{user['meetingTypeId']}", 200),
                     ("GET", f"/v4/user/{user['userId']}", 200),  # names schedc never applied
                     ("PATCH", f"/v4/availability/{user['availabilityId']}", 200)]
    record = recorded(tmp_path, sandbox.url)["person00@example.com"]
    assert (record["userId"], record["availabilityId"], record["meetingTypeId"]) == (
        user["userId"], user["availabilityId"], user["meetingTypeId"])
    assert run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "person00.sched", base=sandbox.url).code == 0


def test_users_created_by_submit_are_taken_over_from_its_journal(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    assert submit(tmp_path, "team", base=sandbox.url).code == 0
    edit_tuesday(team / "person01.sched")
    plan = run(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.code == 0
    assert plan.stdout == ("unchanged person00@example.com  (team/person00.sched)\n"
                           "update    person01@example.com  (team/person01.sched)\n"
                           "            availability name: (unknown) -> \"Office hours\"\n"
                           "            availability zone: (unknown) -> Europe/London  (no documented field: sent "
                           "as `timezone`, assumption availability-timezone, §9)\n"
                           + "".join(f"            {d}: (unknown) -> {h}\n" for d, h in (
                               ("Mon", "09:00-12:00, 13:00-17:00"), ("Tue", "10:00-16:00"),
                               ("Wed", "09:00-12:00, 13:00-17:00"), ("Thu", "09:00-12:00, 13:00-17:00"),
                               ("Fri", "09:00-12:00, 13:00-17:00"), ("Sat", "off"), ("Sun", "off")))
                           + "            meeting name: (unknown) -> \"Intro call\"  (no documented field: sent as "
                             "`meetingInfo.name`, assumption meeting-info-nesting, §5)\n"
                             "            meeting duration: (unknown) -> 30\n"
                             "            meeting channel: (unknown) -> zoom  (no documented field: sent as "
                             "`meetingInfo.channel`, assumption meeting-info-nesting, §5)\n"
                             "            meeting slug: (unknown) -> intro-01\n"
                             "            given name: (unknown) -> \"Ben\"\n"
                             "            family name: (unknown) -> \"Tester01\"\n")
    assert plan.stderr.startswith("schedc: took over 2 users from the submit journal\n")
    refreshed = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert "            Tue: 09:00-12:00, 13:00-17:00 -> 10:00-16:00\n" in refreshed.stdout
    assert "meeting duration" not in refreshed.stdout and "given name" not in refreshed.stdout
    before = len(sandbox.requests())
    assert run(tmp_path, "apply", "--auto-approve", "--refresh", "team", base=sandbox.url).code == 0
    patches = [(r["path"].split("/")[2], json.loads(r["body"])) for r in sandbox.requests()[before:]
               if r["method"] == "PATCH"]
    body = compiled_body(team / "person01.sched")
    assert patches == [("availability", {"schedule": body["availability"]["schedule"]})]  # names were equal
    after = run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url)
    assert after.code == 0, after.stdout  # what --refresh found equal now counts as applied
    applied = recorded(tmp_path, sandbox.url)["person01@example.com"]["applied"]
    assert applied == body  # the user's own zone as read from the server, which is the file's
    assert recorded(tmp_path, sandbox.url)["person00@example.com"]["from"] == "journal"


def test_a_deleted_file_is_reported_and_its_user_left_alone(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 2)
    (team / "person01.sched").unlink()
    plan = run(tmp_path, "plan", "--json", "--detailed-exitcode", "team", base=sandbox.url)
    assert plan.code == 0
    assert plan.lines()[1] == {"file": "team/person01.sched", "email": "person01@example.com", "action": "none",
                               "reason": "not-in-repo", "changes": []}
    text = run(tmp_path, "plan", "team", base=sandbox.url)
    assert ("untracked person01@example.com  no longer in the repo; left alone (schedc never deletes users)  "
            "(team/person01.sched)\n") in text.stdout
    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert applied.code == 0
    kept = recorded(tmp_path, sandbox.url)["person00@example.com"]["userId"]
    assert [(r["method"], headers_of(r)["x-meetergo-api-user-id"]) for r in sandbox.requests()[before:]] == [
        ("GET", kept)] * 3  # only the user still in the repo is read; the other is not even read
    assert "schedc: note: person01@example.com (team/person01.sched) is no longer in the repo; left alone\n" in applied.stderr
    assert "person01@example.com" in recorded(tmp_path, sandbox.url)


def test_a_file_with_errors_is_not_called_gone_and_stops_apply(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 2)
    path = team / "person01.sched"
    path.write_text(path.read_text().replace("Mon-Fri 09:00-12:00", "Mon-Fri 09:00-12:00, 11:00-12:30"))
    plan = run(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.code == 1 and "untracked" not in plan.stdout and "error[SC102]" in plan.stderr
    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert applied.code == 1 and len(sandbox.requests()) == before
    assert applied.stderr.endswith("schedc: error: nothing was sent: fix the files above, or pass --keep-going to "
                                   "apply the others\n")


# ---- rejections and notes
def test_a_rejected_patch_points_at_the_line_of_the_field(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 1)
    edit_tuesday(team / "person00.sched")
    sandbox.faults({"kind": "status", "status": 400, "body": {
        "statusCode": 400, "message": "Validation failed", "error": "Bad Request",
        "errors": [{"field": "schedule.tuesday", "message": "Invalid schedule day"}]}})
    applied = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url)
    assert applied.code == 1
    assert applied.stdout == "rejected  person00@example.com  HTTP 400: Validation failed  (team/person00.sched)\n"
    assert applied.stderr.startswith(
        "update    person00@example.com  (team/person00.sched)\n"  # the plan, first
        "            Tue: 09:00-12:00, 13:00-17:00 -> 10:00-16:00\n"
        "plan: 0 to create, 1 to update, 0 unchanged\n"
        "team/person00.sched:4:5: error[SC310]: the server rejected the update of "
        "`availability.schedule.tuesday`: Invalid schedule day\n")
    assert run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url).code == 4  # still pending


def test_a_changed_user_zone_is_a_warning_and_the_availability_zone_is_updated(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 1)
    path = team / "person00.sched"
    path.write_text(path.read_text().replace("Europe/London", "Europe/Paris"))
    plan = run(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.stdout == ("update    person00@example.com  (team/person00.sched)\n"
                           "            availability zone: Europe/London -> Europe/Paris  (no documented field: "
                           "sent as `timezone`, assumption availability-timezone, §9)\n")
    assert plan.stderr.startswith(
        "team/person00.sched:1:45: warning[SC313]: the user's time zone changed from `Europe/London` to "
        "`Europe/Paris`, and the API cannot change it\n")
    before = len(sandbox.requests())
    assert run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url).code == 0
    [patch] = sandbox.requests()[before:]
    assert json.loads(patch["body"]) == {"timezone": "Europe/Paris"}


def test_retries_and_a_refused_key(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 2)
    edit_tuesday(team / "person00.sched")
    sandbox.faults({"kind": "status", "status": 503, "times": 2})
    applied = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url)
    assert applied.code == 0, applied.stderr
    assert [r["status"] for r in sandbox.requests()[-3:]] == [503, 503, 200]
    (team / "person00.sched").write_text((team / "person00.sched").read_text().replace("30min", "40min"))
    before = len(sandbox.requests())
    sandbox.faults({"kind": "status", "status": 429, "retry_after": "1"})  # Retry-After: 1
    paced = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team/person00.sched", base=sandbox.url)
    assert paced.code == 0, paced.stderr
    owner = recorded(tmp_path, sandbox.url)["person00@example.com"]["userId"]
    assert [(r["method"], r["status"], headers_of(r).get("x-meetergo-api-user-id"))
            for r in sandbox.requests()[before:]] == [("PATCH", 429, owner), ("PATCH", 200, owner)]

    edit_tuesday(team / "person01.sched")
    refused = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url, key="ak_live:not-a-uuid:whatever123")
    assert refused.code == 2
    assert "schedc: error: the server refused the API key (HTTP 401: Invalid API key); nothing more was sent\n" \
        in refused.stderr
    sandbox.faults({"kind": "status", "status": 503, "times": 9})
    failing = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", "--attempts", "2", base=sandbox.url)
    assert failing.code == 3
    assert "failed    person01@example.com  still failing after 2 attempts: HTTP 503 Service Unavailable" \
        in failing.stdout


# ---- the sandbox's new endpoints, directly
def test_the_sandbox_wants_the_owner_header(tmp_path, sandbox):
    created_team(tmp_path, sandbox, 2)
    first, second = sorted(sandbox.users(), key=lambda u: u["email"])
    auth = {"Authorization": f"Bearer {KEY}"}
    path = f"/v4/availability/{first['availabilityId']}"
    missing = sandbox.http.get(path, headers=auth)
    assert missing.status_code == 400
    assert missing.json()["message"] == "Missing required header 'x-meetergo-api-user-id' for API key authentication"
    other = sandbox.http.patch(path, json={"name": "x"}, headers={**auth, "x-meetergo-api-user-id": second["userId"]})
    assert other.status_code == 404 and other.json()["message"] == "Availability not found"
    mine = sandbox.http.get(path, headers={**auth, "x-meetergo-api-user-id": first["userId"]})
    assert mine.status_code == 200 and set(mine.json()) == {"id", "name", "timezone", "schedule"}
    bad = sandbox.http.patch(f"/v4/meeting-type/{first['meetingTypeId']}", json={"duration": 3},
                             headers={**auth, "x-meetergo-api-user-id": first["userId"]})
    assert bad.status_code == 400 and bad.json()["errors"] == [
        {"field": "duration", "message": "duration must be between 5 and 480"}]
    everyone = sandbox.http.get("/v4/user", params={"limit": 100}, headers=auth).json()["users"]
    assert sorted(u["email"] for u in everyone) == [first["email"], second["email"]]
    listed = sandbox.http.get("/v4/user", params={"limit": 1, "skip": 1}, headers=auth).json()
    assert (listed["total"], listed["count"], listed["skip"]) == (2, 1, 1)
    assert listed["users"] == everyone[1:]


def test_adopt_of_a_user_the_listing_does_not_show_is_sc311(tmp_path, sandbox):
    write_user(tmp_path, 0)
    other_company = "ak_live:11111111-2222-3333-4444-555555555555:anotherSECRETkey"
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url, key=other_company).code == 0
    adopted = run(tmp_path, "apply", "--auto-approve", "--if-exists", "adopt", "person00.sched", base=sandbox.url)
    assert adopted.code == 1
    assert adopted.stdout.startswith("unlisted  person00@example.com  the server says this e-mail exists, but "
                                     "`GET /v4/user` does not list it among 0 users  (person00.sched)\n")
    assert adopted.stderr.startswith("create    person00@example.com  (person00.sched)\n"
                                     "plan: 1 to create, 0 to update, 0 unchanged\n"
                                     "person00.sched:1:19: error[SC311]: `person00@example.com` could not be adopted")
    assert recorded(tmp_path, sandbox.url) == {}


def test_ctrl_c_stops_apply_with_130_and_the_state_keeps_what_finished(tmp_path, sandbox):
    team = created_team(tmp_path, sandbox, 3)
    for n in range(3):
        edit_tuesday(team / f"person{n:02d}.sched")
    before = len(sandbox.requests())
    sandbox.faults({"kind": "delay", "seconds": 0}, {"kind": "delay", "seconds": 8})
    argv = [sys.executable, "-m", "schedc", "apply", "--auto-approve", "--no-refresh", *FAST, "team", "--concurrency", "1",
            "--base-url", sandbox.url]
    process = subprocess.Popen(argv, cwd=tmp_path, env=submit_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and len(sandbox.requests()) < before + 2:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130
    assert err.decode().endswith("plan: 0 to create, 3 to update, 0 unchanged\n"
                                 "schedc: interrupted; the state has every finished step, so running the same command "
                                 "again carries on\nschedc: interrupted\n")
    assert out.decode().startswith("updated   person00@example.com  sent availability")
    users = recorded(tmp_path, sandbox.url)
    assert users["person00@example.com"]["applied"] == compiled_body(team / "person00.sched")
    assert users["person01@example.com"]["applied"] != compiled_body(team / "person01.sched")


def test_plan_without_refresh_imports_neither_httpx_nor_pydantic(tmp_path):
    write_team(tmp_path, 2)
    code = ("import sys; from schedc.cli import main; main(['plan', '-q', 'team']); "
            "print(sorted(m for m in ('httpx', 'pydantic', 'asyncio', 'schedc.meetergo.client') if m in sys.modules))")
    env = {**submit_env(), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_plan_uses_the_clients_defaults():
    from schedc.cli import planning
    from schedc.meetergo import client, key

    assert (planning.DEFAULT_BASE_URL, planning.DEFAULT_JOURNAL) == (key.DEFAULT_BASE_URL, client.DEFAULT_JOURNAL)


# ---- the listing helper against a server that pages in its own way
@pytest.mark.parametrize("honour_skip, total_field, size, asked", [
    (True, None, 3, [0, 3, 6]),         # a short page ends it
    (True, "total", 7, [0]),            # the stated total ends it
    (True, "totalCount", 7, [0]),
    (True, None, 7, [0, 7]),            # a full page, then an empty one
    (False, None, 3, [0, 3]),           # a server that ignores skip: the repeated page ends it
])
def test_the_user_listing_pages_leniently(honour_skip, total_field, size, asked):
    import asyncio

    from schedc.meetergo import list_users_async

    server = UserPages(7, honour_skip=honour_skip, total_field=total_field)
    try:
        users = asyncio.run(list_users_async(api_key=KEY, base_url=server.url, page_size=size))
        assert [q["skip"] for q in server.asked] == asked
        assert all(q["limit"] == size for q in server.asked)
        expected = 3 if not honour_skip else 7
        assert [u["id"] for u in users] == [f"u{n}" for n in range(expected)]
        server.asked.clear()
        found = asyncio.run(list_users_async(api_key=KEY, base_url=server.url, page_size=size,
                                             until=lambda u: u["email"] == "p1@example.com"))
        assert found[-1]["email"] == "p1@example.com" and len(server.asked) == 1
    finally:
        server.close()


# ---- docs/apply.md: the worked example is what the commands print
def test_the_worked_example_of_the_docs_is_true(tmp_path, sandbox):
    import re
    import shlex

    page = (Path(__file__).resolve().parent.parent / "docs" / "apply.md").read_text(encoding="utf-8")
    example = page.split("## A worked example", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```(\w+)\n(.*?)^```$", example, flags=re.M | re.S)
    assert [kind for kind, _ in blocks].count("console") == 3
    env = {**submit_env(), "MEETERGO_BASE_URL": sandbox.url}
    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    for kind, body in blocks:
        if kind == "sched":
            name = body.splitlines()[0].removeprefix("# ")
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(body, encoding="utf-8")
        elif kind == "sh" and "/_sandbox/edit" in body:
            sandbox.http.post("/_sandbox/edit", content=re.search(r"-d '(.*)'", body)[1]).raise_for_status()
        elif kind == "console":
            for command, expected in re.findall(r"^\$ (.*)\n((?:(?!\$ ).*\n)*)", body, flags=re.M):
                argv = shlex.split(command)
                assert argv[0] == "schedc"
                done = subprocess.run([sys.executable, "-m", "schedc", *argv[1:]], cwd=tmp_path, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
                assert_no_key(KEY, done.stdout)
                shown = uuid.sub("…", done.stdout)
                if argv[1] == "apply":  # users are worked on concurrently: results come as they finish
                    shown, expected = sorted(shown.splitlines()), sorted(expected.splitlines())
                assert shown == expected, command


def test_a_user_submit_was_sending_when_killed_is_uncertain_then_adoptable(tmp_path, sandbox):
    write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0  # it reached the server
    (tmp_path / ".schedc-journal.jsonl").write_text(json.dumps(
        {"time": "2026-11-30T01:00:00Z", "base": sandbox.url, "file": "person00.sched",
         "email": "person00@example.com", "hash": "sha256:00", "outcome": "sending"}) + "\n")
    plan = run(tmp_path, "plan", "person00.sched", base=sandbox.url)
    assert plan.stdout == "create    person00@example.com  (person00.sched)\n"
    first = run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url)
    assert first.code == 1
    assert first.stdout == ("uncertain person00@example.com  already exists, probably created by an earlier attempt "
                            "whose answer was lost  (person00.sched)\n")
    assert "creating" in recorded(tmp_path, sandbox.url)["person00@example.com"]
    second = run(tmp_path, "apply", "--auto-approve", "--if-exists", "adopt", "person00.sched", base=sandbox.url)
    assert second.code == 0 and second.stdout.startswith("adopted   person00@example.com  nothing to change  userId=")
    assert recorded(tmp_path, sandbox.url)["person00@example.com"]["userId"] == sandbox.users()[0]["userId"]


def test_a_symlinked_state_stays_a_link(tmp_path, sandbox):
    write_user(tmp_path, 0)
    (tmp_path / "kept").mkdir()
    (tmp_path / STATE).symlink_to(tmp_path / "kept" / "state.json")
    assert run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url).code == 0
    assert (tmp_path / STATE).is_symlink()
    document = json.loads((tmp_path / "kept" / "state.json").read_text())
    assert (document["format"], document["version"]) == ("schedc-state", 1)
    assert list(document["servers"][sandbox.url]["users"]) == ["person00@example.com"]


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_key_on_the_command_line_is_refused_without_echoing_it(tmp_path, command):
    write_user(tmp_path, 0)
    done = run(tmp_path, command, "--api-key", KEY, "person00.sched", key=None)
    assert done.code == 2 and done.stdout == ""
    assert done.stderr.endswith(f"schedc {command}: error: `--api-key` is not accepted: a key on the command line is "
                                "visible to every user of the machine; set MEETERGO_API_KEY or pass --api-key-file "
                                "PATH\n")


def test_plan_and_apply_take_the_state_path_exclude_and_pacing_from_the_configuration(tmp_path, sandbox):
    write_team(tmp_path, 2)
    (tmp_path / "team" / "drafts").mkdir()
    (tmp_path / "team" / "drafts" / "wip.sched").write_text("user Work InProgress <wip@example.com> tz UTC\n"
                                                            "Mon 09:00-10:00\n")
    (tmp_path / "schedc.toml").write_text('state = "ops/state.json"\nexclude = ["drafts"]\nrate = "600/min"\n')
    (tmp_path / "ops").mkdir()
    done = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert done.code == 0, done.stderr
    assert not (tmp_path / STATE).exists()
    applied = json.loads((tmp_path / "ops" / "state.json").read_text())["servers"][sandbox.url]["users"]
    assert sorted(applied) == ["person00@example.com", "person01@example.com"]  # drafts/ left out
    planned = run(tmp_path, "plan", "--json", "team", base=sandbox.url)
    assert [json.loads(line)["action"] for line in planned.stdout.splitlines()] == ["none", "none"]
    bad = tmp_path / "elsewhere"
    bad.mkdir()
    (bad / "schedc.toml").write_text('state = 3\n')
    write_user(bad, 0)  # the configuration is found from the files' folder
    broken = run(bad, "plan", "person00.sched", base=sandbox.url)
    assert broken.code == 2
    assert broken.stderr.startswith("schedc.toml:1:9: error[SC502]: `state`: expected a path, as a string, not a number")
