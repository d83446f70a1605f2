"""The user's own zone, which the API cannot change: SC313 whenever the file's differs from the
server's, however schedc came to know the user, and the state records only what the server has."""

from __future__ import annotations

import json

from submit_support import sandbox, sandbox_process, submit, write_team, write_user  # noqa: F401 (fixtures)
from test_apply import compiled_body, recorded, run

SC313 = ("{file}:1:{column}: warning[SC313]: the user's time zone changed from `Europe/London` to `Europe/Paris`, "
         "and the API cannot change it\n  |\n1 | {line}\n  |{caret}\n  |\n"
         "help: change the zone in meetergo's web app; the availability's zone is sent on an assumption\n\n")
TAKEN = "schedc: took over 1 user from the submit journal\n"  # plan reads the journal; apply records it


def sc313(path, file: str) -> str:
    line = path.read_text(encoding="utf-8").splitlines()[0]
    column = line.index("Europe/Paris") + 1
    return SC313.format(file=file, column=column, line=line, caret=" " * column + "^" * len("Europe/Paris"))


def to_paris(path) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace("Europe/London", "Europe/Paris"), encoding="utf-8")


def test_an_adopted_user_whose_zone_differs_gets_sc313_and_the_state_keeps_the_servers_zone(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0
    [user] = sandbox.users()
    to_paris(path)
    adopted = run(tmp_path, "apply", "--auto-approve", "--if-exists", "adopt", "person00.sched", base=sandbox.url)
    assert adopted.code == 0, adopted.stderr
    assert adopted.stdout == (f"adopted   person00@example.com  sent availability  userId={user['userId']} "
                              f"availabilityId={user['availabilityId']} meetingTypeId={user['meetingTypeId']}"
                              "  (person00.sched)\n")
    assert adopted.stderr == ("create    person00@example.com  (person00.sched)\n"  # the plan, first
                              "plan: 1 to create, 0 to update, 0 unchanged\n"
                              + sc313(path, "person00.sched") + "1 user applied: 1 adopted\n")
    [after] = sandbox.users()
    assert (after["timezone"], recorded(tmp_path, sandbox.url)["person00@example.com"]["applied"]["timezone"]) == (
        "Europe/London", "Europe/London")
    for refresh in ((), ("--refresh",)):  # the warning stays, with the state or the server to compare with
        plan = run(tmp_path, "plan", *refresh, "person00.sched", base=sandbox.url)
        assert plan.code == 0 and plan.stdout == "unchanged person00@example.com  (person00.sched)\n"
        assert plan.stderr.startswith(sc313(path, "person00.sched") + "plan: 0 to create, 0 to update, 1 unchanged")


def test_a_user_taken_over_from_the_journal_gets_sc313_once_its_zone_is_read(tmp_path, sandbox):
    team = write_team(tmp_path, 1)
    path = team / "person00.sched"
    assert submit(tmp_path, "team", base=sandbox.url).code == 0
    to_paris(path)
    plan = run(tmp_path, "plan", "team", base=sandbox.url)  # the state knows nothing of the server's zone yet
    assert "SC313" not in plan.stderr and plan.stdout.startswith("update    person00@example.com  (team/person00.sched)\n")
    refreshed = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert refreshed.stdout == ("update    person00@example.com  (team/person00.sched)\n"
                                "            availability zone: Europe/London -> Europe/Paris  (no documented "
                                "field: sent as `timezone`, assumption availability-timezone, §9)\n")
    assert refreshed.stderr == (TAKEN + sc313(path, "team/person00.sched")
                                + "plan: 0 to create, 1 to update, 0 unchanged\n")

    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url)  # the zone is read first
    assert applied.code == 0, applied.stderr
    user = sandbox.users()[0]
    calls = [(r["method"], r["path"]) for r in sandbox.requests()[before:]]
    assert calls[0] == ("GET", f"/v4/user/{user['userId']}")
    assert ("PATCH", f"/v4/availability/{user['availabilityId']}") in calls
    assert applied.stderr.startswith(TAKEN + "update    person00@example.com  (team/person00.sched)\n")  # the plan
    assert applied.stderr.endswith("plan: 0 to create, 1 to update, 0 unchanged\n" + sc313(path, "team/person00.sched")
                                   + "1 user applied: 1 updated\n")
    record = recorded(tmp_path, sandbox.url)["person00@example.com"]
    assert record["applied"] == {**compiled_body(path), "timezone": "Europe/London"}  # what the server has
    assert user["timezone"] == "Europe/London"
    later = run(tmp_path, "plan", "--detailed-exitcode", "team", base=sandbox.url)
    assert later.code == 0 and later.stdout == "unchanged person00@example.com  (team/person00.sched)\n"
    assert later.stderr.startswith(sc313(path, "team/person00.sched"))
    again = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert again.stderr == sc313(path, "team/person00.sched") + "1 user applied: 1 unchanged\n"  # shown once


def test_the_plan_json_carries_the_note(tmp_path, sandbox):
    path = write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0
    to_paris(path)
    assert run(tmp_path, "apply", "--auto-approve", "--if-exists", "adopt", "person00.sched", base=sandbox.url).code == 0
    plan = run(tmp_path, "plan", "--json", "person00.sched", base=sandbox.url)
    assert json.loads(plan.stdout) == {
        "file": "person00.sched", "email": "person00@example.com", "action": "none", "reason": None, "changes": [],
        "notes": [{"part": "user", "field": "timezone", "from": "Europe/London", "to": "Europe/Paris",
                   "reason": "file"}]}
