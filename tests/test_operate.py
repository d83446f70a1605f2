"""Issue 21: operating schedc as teams operate terraform and ruff.

Saved plans (`plan -o`, `apply PLANFILE`, `show`), the question `apply` asks before sending,
drift in every field schedc manages, output in file order, and `check --fix` with its company
(`--diff`, `--unsafe-fixes`, `--exit-zero`, `--statistics`, `per-file-ignores`, `extend`). All
through the real commands, against the sandbox on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_schedc
from submit_support import FAST, KEY, assert_no_key, sandbox, sandbox_process, submit_env, write_team  # noqa: F401
from test_apply import STATE, edit_tuesday, recorded, run

NO_TERMINAL = ("schedc: error: nothing was sent: apply asks before it changes anything, and there is no terminal to "
               "ask on; pass --auto-approve, or apply a saved plan (schedc plan -o FILE)\n")


def changes(box, since: int) -> list[tuple[str, str]]:
    """The calls that changed something on the server since request number `since`."""
    return [(r["method"], r["path"].split("/")[2]) for r in box.requests()[since:] if r["method"] != "GET"]


def edit_on_server(box, email: str, **parts) -> None:
    box.http.post("/_sandbox/edit", json={"email": email, **parts}).raise_for_status()


# ---- 2. confirmation
def test_apply_without_a_terminal_refuses_without_auto_approve_and_sends_nothing(tmp_path, sandbox):
    write_team(tmp_path, 2)
    before = len(sandbox.requests())
    refused = run(tmp_path, "apply", "team", base=sandbox.url)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == ("create    person00@example.com  (team/person00.sched)\n"
                              "create    person01@example.com  (team/person01.sched)\n"
                              "plan: 2 to create, 0 to update, 0 unchanged\n" + NO_TERMINAL)
    assert len(sandbox.requests()) == before and sandbox.users() == []
    assert not (tmp_path / STATE).exists() or recorded(tmp_path, sandbox.url) == {}
    approved = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert approved.code == 0 and [line.split()[0] for line in approved.stdout.splitlines()] == ["created"] * 2
    nothing = run(tmp_path, "apply", "team", base=sandbox.url)  # nothing to change: nothing to ask
    assert (nothing.code, nothing.stderr) == (0, "2 users applied: 2 unchanged\n")


def on_terminal(cwd: Path, answer: str, *argv: str) -> tuple[int, str, str]:
    """`schedc apply ARGV` with a terminal as its stdin, answering `answer` to its question."""
    import pty

    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "schedc", "apply", *FAST, *argv], cwd=cwd, env=submit_env(),
                               stdin=child, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(child)
    os.write(main, answer.encode() + b"\n")
    out, err = process.communicate(timeout=60)
    os.close(main)
    assert_no_key(KEY, out, err)
    return process.returncode, out, err


@pytest.mark.parametrize("answer, code, created", [("yes", 0, 2), ("no", 1, 0), ("y", 1, 0)])
def test_on_a_terminal_apply_asks_and_only_yes_goes_on(tmp_path, sandbox, answer, code, created):
    write_team(tmp_path, 2)
    done, out, err = on_terminal(tmp_path, answer, "team", "--base-url", sandbox.url)
    assert done == code, err
    assert err.startswith("create    person00@example.com  (team/person00.sched)\n"
                          "create    person01@example.com  (team/person01.sched)\n"
                          "plan: 2 to create, 0 to update, 0 unchanged\n"
                          "Apply these changes? Only `yes` goes on: ")
    assert len(sandbox.users()) == created
    if answer != "yes":
        assert out == "" and err.endswith("schedc: apply cancelled; nothing was sent\n")


# ---- 1. saved plans
def test_a_saved_plan_is_applied_as_planned_and_shown(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_tuesday(team / "person01.sched")
    planned = run(tmp_path, "plan", "-o", "team.plan", "team", base=sandbox.url)
    assert planned.code == 0, planned.stderr
    assert planned.stderr.endswith("schedc: saved the plan to `team.plan`; `schedc apply team.plan` applies exactly "
                                   "this plan\n")
    saved = (tmp_path / "team.plan").read_text(encoding="utf-8")
    assert_no_key(KEY, saved)
    document = json.loads(saved)
    assert (document["format"], document["version"], document["refreshed"]) == ("schedc-plan", 1, False)
    assert [f["path"] for f in document["files"]] == ["team/person00.sched", "team/person01.sched"]
    assert document["state"] == {"path": STATE, "serial": json.loads((tmp_path / STATE).read_text())["serial"]}

    shown = run(tmp_path, "show", "team.plan", fast=False)
    assert (shown.code, shown.stdout) == (0, planned.stdout)
    assert shown.stderr.startswith("plan: 0 to create, 1 to update, 1 unchanged; made from 2 files")
    as_json = run(tmp_path, "show", "--json", "team.plan", fast=False)
    assert [line["action"] for line in as_json.lines()] == ["none", "update"]

    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "team.plan", base=sandbox.url)  # a reviewed plan needs no question
    assert applied.code == 0, applied.stderr
    assert applied.stdout.splitlines()[1] == "updated   person01@example.com  sent availability  (team/person01.sched)"
    assert changes(sandbox, before) == [("PATCH", "availability")]
    again = run(tmp_path, "apply", "team.plan", base=sandbox.url)  # the state moved on: the plan is spent
    assert (again.code, again.stdout) == (2, "")
    assert again.stderr == (f"schedc: error: nothing was sent: the state `{STATE}` was written since the plan was "
                            "made; make the plan again\n")


def test_a_saved_plan_is_refused_after_a_file_edit(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    assert run(tmp_path, "plan", "-o", "team.plan", "team", base=sandbox.url).code == 0
    with open(team / "person01.sched", "a", encoding="utf-8") as file:
        file.write("# reviewed\n")  # even a comment: the plan names the bytes that were reviewed
    before = len(sandbox.requests())
    refused = run(tmp_path, "apply", "team.plan", base=sandbox.url)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == ("schedc: error: nothing was sent: `team/person01.sched` changed since the plan "
                              "`team.plan` was made; make the plan again (schedc plan -o) and review it\n")
    assert len(sandbox.requests()) == before and sandbox.users() == []


def test_a_refreshed_plan_is_refused_after_a_change_on_the_server(tmp_path, sandbox):
    write_team(tmp_path, 2)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    assert run(tmp_path, "plan", "--refresh", "-o", "team.plan", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", user={"familyName": "Changed"})
    before = len(sandbox.requests())
    refused = run(tmp_path, "apply", "team.plan", base=sandbox.url)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == ("schedc: error: nothing was sent: the server's copy of person00@example.com changed "
                              "since the plan `team.plan` was made; make the plan again (schedc plan -o) and review it\n")
    assert changes(sandbox, before) == []  # read again to compare, nothing changed
    assert run(tmp_path, "plan", "--refresh", "-o", "team.plan", "team", base=sandbox.url).code == 0
    applied = run(tmp_path, "apply", "team.plan", base=sandbox.url)
    assert applied.code == 0 and changes(sandbox, before) == [("PATCH", "user")]
    assert {u["email"]: u["familyName"] for u in sandbox.users()}["person00@example.com"] == "Tester00"


def test_a_plan_of_files_with_errors_is_not_saved_and_a_schedule_is_not_a_plan(tmp_path, sandbox):
    team = write_team(tmp_path, 1)
    (team / "broken.sched").write_text("user X <x@example.com> tz Europe/Lisbn\nMon 09:00-17:00\n")
    done = run(tmp_path, "plan", "-o", "team.plan", "team", base=sandbox.url)
    assert done.code == 2 and not (tmp_path / "team.plan").exists()
    assert done.stderr.endswith("schedc: error: the plan was not saved to `team.plan`: fix what is shown above first\n")
    (tmp_path / "other.plan").write_text('{"format": "schedc-plan", "version": 9}')
    shown = run(tmp_path, "show", "other.plan", fast=False)
    assert (shown.code, shown.stderr) == (2, "schedc: error: the plan `other.plan` has version 9; this schedc reads "
                                             "version 1\n")


# ---- 3. drift in every field, each saying which side changed
EDITS = [  # (the edit made in the web app, the plan's line for it)
    ({"user": {"givenName": "Anna"}}, 'given name: "Anna" -> "Ana"', "user"),
    ({"user": {"familyName": "Other"}}, 'family name: "Other" -> "Tester00"', "user"),
    ({"availability": {"name": "Renamed"}}, 'availability name: "Renamed" -> "Office hours"', "availability"),
    ({"availability": {"timezone": "Europe/Paris"}}, "availability zone: Europe/Paris -> Europe/London", "availability"),
    ({"availability": {"schedule": {"monday": {"enabled": False, "hours": []}}}},
     "Mon: off -> 09:00-12:00, 13:00-17:00", "availability"),
    ({"meetingType": {"meetingInfo": {"name": "Chat"}}}, 'meeting name: "Chat" -> "Intro call"', "meetingType"),
    ({"meetingType": {"duration": 45}}, "meeting duration: 45 -> 30", "meetingType"),
    ({"meetingType": {"meetingInfo": {"channel": "phone"}}}, "meeting channel: phone -> zoom", "meetingType"),
    ({"meetingType": {"slug": "renamed"}}, "meeting slug: renamed -> intro-00", "meetingType"),
]


@pytest.mark.parametrize("edit, line, part", EDITS, ids=[e[1].split(":")[0] for e in EDITS])
def test_a_change_made_on_the_server_is_found_by_refresh_and_undone_by_apply(tmp_path, sandbox, edit, line, part):
    write_team(tmp_path, 1)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", **edit)
    plan = run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "team", base=sandbox.url)
    assert plan.code == 4, plan.stderr
    [_, found] = plan.stdout.splitlines()
    assert found.strip().split("  (")[0] == line and found.endswith("  (changed on the server)")
    [entry] = run(tmp_path, "plan", "--refresh", "--json", "team", base=sandbox.url).lines()
    assert (entry["reason"], [c["reason"] for c in entry["changes"]]) == ("server", ["server"])
    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "--refresh", "team", base=sandbox.url)
    assert applied.code == 0, applied.stderr
    assert changes(sandbox, before) == [("PATCH", {"user": "user", "availability": "availability",
                                                   "meetingType": "meeting-type"}[part])]
    assert run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "team", base=sandbox.url).code == 0


def test_a_field_changed_on_both_sides_says_so(tmp_path, sandbox):
    team = write_team(tmp_path, 1)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", user={"givenName": "Anna"})
    path = team / "person00.sched"
    path.write_text(path.read_text().replace("user Ana ", "user Ann "))
    plan = run(tmp_path, "plan", "--refresh", "--json", "team", base=sandbox.url)
    assert plan.lines()[0]["changes"] == [{"part": "user", "field": "givenName", "from": "Anna", "to": "Ann",
                                           "reason": "both"}]
    text = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert 'given name: "Anna" -> "Ann"  (changed in the file and on the server)' in text.stdout


def test_a_given_name_changed_on_the_server_is_undone_by_a_plain_apply(tmp_path, sandbox):
    """As terraform's apply, schedc's reads the server first: no --refresh needed to undo drift."""
    write_team(tmp_path, 1)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", user={"givenName": "Anna"})
    found = ("update    person00@example.com  (team/person00.sched)\n"
             '            given name: "Anna" -> "Ana"  (changed on the server)\n')
    plan = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert (plan.code, plan.stdout) == (0, found)
    before = len(sandbox.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert applied.code == 0, applied.stderr
    assert applied.stdout == "updated   person00@example.com  sent user  (team/person00.sched)\n"
    assert applied.stderr == found + "plan: 0 to create, 1 to update, 0 unchanged\n1 user applied: 1 updated\n"
    user = recorded(tmp_path, sandbox.url)["person00@example.com"]
    reads, patch = sandbox.requests()[before:-1], sandbox.requests()[-1]
    assert sorted((r["method"], r["path"]) for r in reads) == [
        ("GET", f"/v4/availability/{user['availabilityId']}"), ("GET", f"/v4/meeting-type/{user['meetingTypeId']}"),
        ("GET", f"/v4/user/{user['userId']}")]
    assert (patch["method"], patch["path"], json.loads(patch["body"])) == (
        "PATCH", f"/v4/user/{user['userId']}", {"givenName": "Ana"})
    assert [u["givenName"] for u in sandbox.users()] == ["Ana"]
    again = run(tmp_path, "plan", "--refresh", "--detailed-exitcode", "team", base=sandbox.url)
    assert (again.code, again.stdout) == (0, "unchanged person00@example.com  (team/person00.sched)\n")


def test_apply_no_refresh_compares_with_the_state_alone_and_sends_no_get(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", user={"givenName": "Anna"})
    edit_tuesday(team / "person01.sched")
    before = len(sandbox.requests())
    alone = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", base=sandbox.url)
    assert alone.code == 0, alone.stderr
    assert alone.stdout == ("unchanged person00@example.com  nothing to change  (team/person00.sched)\n"
                            "updated   person01@example.com  sent availability  (team/person01.sched)\n")
    assert [(r["method"], r["path"].split("/")[2]) for r in sandbox.requests()[before:]] == [("PATCH", "availability")]
    assert {u["email"]: u["givenName"] for u in sandbox.users()}["person00@example.com"] == "Anna"  # not read: left
    plan = run(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert 'given name: "Anna" -> "Ana"  (changed on the server)' in plan.stdout


def test_a_saved_plan_is_applied_as_made_whatever_refresh_flag_says_otherwise(tmp_path, sandbox):
    write_team(tmp_path, 1)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    assert run(tmp_path, "plan", "-o", "state.plan", "team", base=sandbox.url).code == 0
    assert run(tmp_path, "plan", "--refresh", "-o", "server.plan", "team", base=sandbox.url).code == 0
    before = len(sandbox.requests())
    made_without = run(tmp_path, "apply", "--refresh", "state.plan", base=sandbox.url)
    assert (made_without.code, made_without.stdout) == (2, "")
    assert made_without.stderr == ("schedc: error: `state.plan` was made without --refresh, and a saved plan is "
                                   "applied as it was made; make it again with `schedc plan --refresh -o`\n")
    made_with = run(tmp_path, "apply", "--no-refresh", "server.plan", base=sandbox.url)
    assert (made_with.code, made_with.stdout) == (2, "")
    assert made_with.stderr == ("schedc: error: `server.plan` was made with --refresh, and a saved plan is applied "
                                "as it was made (its check of the server included); make it again without "
                                "--refresh\n")
    assert len(sandbox.requests()) == before
    assert run(tmp_path, "apply", "--refresh", "server.plan", base=sandbox.url).code == 0  # as made: accepted


# ---- 4. stable output
def test_plans_and_results_come_in_file_order_on_every_run(tmp_path, sandbox):
    team = write_team(tmp_path, 6)
    order = [f"person{n:02d}@example.com" for n in range(6)]
    sandbox.faults(*({"kind": "delay", "seconds": 0.3 if n % 2 == 0 else 0} for n in range(6)))  # early ones slow
    applied = run(tmp_path, "apply", "--auto-approve", "--json", "--concurrency", "6", "team", base=sandbox.url)
    assert [line["email"] for line in applied.lines()] == order
    for n in range(6):
        edit_tuesday(team / f"person{n:02d}.sched")
    plans = [run(tmp_path, "plan", "--refresh", "--json", "team", "--concurrency", "6", base=sandbox.url).stdout
             for _ in range(2)]
    assert plans[0] == plans[1] and [json.loads(line)["email"] for line in plans[0].splitlines()] == order
    sandbox.faults(*({"kind": "delay", "seconds": 0.3 if n % 2 == 0 else 0} for n in range(6)))
    updated = run(tmp_path, "apply", "--auto-approve", "--concurrency", "6", "team", base=sandbox.url)
    assert [line.split()[1] for line in updated.stdout.splitlines()] == order


# ---- 5. check --fix and its company
MISSPELT = "user Ana Lima <ana@example.com> tz Europe/Lisbn\nTue-Tue 09:00-12:00, 12:00-13:00\nWed 9:5-10:00\n"
FIXED = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nTue 09:00-13:00\nWed 09:05-10:00\n"
OVERLAP = "user Bo Lima <bo@example.com> tz Europe/Berlin\nThu 09:00-12:00, 11:00-13:00\n"


def test_check_fix_turns_a_misspelt_zone_and_tue_tue_into_a_file_that_passes(tmp_path):
    path = tmp_path / "ana.sched"
    path.write_text(MISSPELT)
    assert run_schedc("check", "ana.sched", cwd=tmp_path).returncode == 1
    fixed = run_schedc("check", "--fix", "ana.sched", cwd=tmp_path)
    assert (fixed.returncode, fixed.stdout) == (0, "")
    assert fixed.stderr == ("fixed ana.sched: 4 problems (SC101, SC107, SC120, SC125)\n"
                            "fixed 4 problems in 1 file\n1 file checked: no problems\n")
    assert path.read_text() == FIXED
    assert run_schedc("check", "--strict", "ana.sched", cwd=tmp_path).returncode == 0
    assert run_schedc("check", "--fix", "ana.sched", cwd=tmp_path).stderr == "1 file checked: no problems\n"


def test_check_fix_leaves_what_changes_meaning_unless_unsafe_fixes(tmp_path):
    (tmp_path / "bo.sched").write_text(OVERLAP)
    (tmp_path / "ana.sched").write_text(MISSPELT)
    left = run_schedc("check", "--fix", "ana.sched", "bo.sched", cwd=tmp_path)
    assert left.returncode == 1
    assert left.stderr.startswith("fixed ana.sched: 4 problems (SC101, SC107, SC120, SC125)\n"
                                  "bo.sched:2:18: error[SC102]: `Thu 11:00-13:00` overlaps `Thu 09:00-12:00`\n")
    assert left.stderr.endswith("fixed 4 problems in 1 file\n2 files checked: 1 error, 0 warnings left\n")
    assert (tmp_path / "bo.sched").read_text() == OVERLAP
    merged = run_schedc("check", "--unsafe-fixes", "bo.sched", cwd=tmp_path)
    assert merged.returncode == 0
    assert (tmp_path / "bo.sched").read_text() == OVERLAP.replace("09:00-12:00, 11:00-13:00", "09:00-13:00")


def test_check_diff_shows_the_fixes_and_writes_nothing(tmp_path):
    (tmp_path / "ana.sched").write_text(MISSPELT)
    done = run_schedc("check", "--diff", "ana.sched", cwd=tmp_path)
    assert done.returncode == 1 and (tmp_path / "ana.sched").read_text() == MISSPELT
    assert done.stdout == ("--- ana.sched\t(original)\n+++ ana.sched\t(fixed)\n@@ -1,3 +1,3 @@\n"
                           "-user Ana Lima <ana@example.com> tz Europe/Lisbn\n-Tue-Tue 09:00-12:00, 12:00-13:00\n"
                           "-Wed 9:5-10:00\n+user Ana Lima <ana@example.com> tz Europe/Lisbon\n+Tue 09:00-13:00\n"
                           "+Wed 09:05-10:00\n")
    assert done.stderr == "would fix 4 problems in 1 file\n"
    (tmp_path / "ana.sched").write_text(FIXED)
    clean = run_schedc("check", "--diff", "ana.sched", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")


def test_check_fix_of_stdin_prints_the_fixed_text(tmp_path):
    done = run_schedc("check", "--fix", "-", stdin=MISSPELT, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, FIXED)


def test_exit_zero_and_statistics(tmp_path):
    (tmp_path / "ana.sched").write_text(MISSPELT)
    (tmp_path / "bo.sched").write_text(OVERLAP)
    stats = run_schedc("check", "--statistics", ".", cwd=tmp_path)
    assert stats.returncode == 1
    assert stats.stdout == ("1  SC101  [*] not a valid time\n"
                            "1  SC102  overlapping ranges on the same day\n"
                            "1  SC107  [*] unknown time zone\n"
                            "1  SC120  [*] ranges that touch\n"
                            "1  SC125  [*] single-day range\n")
    assert stats.stderr == "2 files checked: 3 errors, 2 warnings\n"
    as_json = run_schedc("check", "--statistics", "--format", "json", "--exit-zero", ".", cwd=tmp_path)
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout)[1] == {"code": "SC102", "count": 1, "title": "overlapping ranges on the same day",
                                             "fixable": False}
    zero = run_schedc("check", "--exit-zero", ".", cwd=tmp_path)
    assert zero.returncode == 0 and "error[SC102]" in zero.stderr
    unreadable = run_schedc("check", "--exit-zero", "missing.sched", cwd=tmp_path)
    assert unreadable.returncode == 2  # schedc could not do its job: never hidden


def test_per_file_ignores_leave_warnings_out_of_the_files_they_match(tmp_path):
    (tmp_path / "schedc.toml").write_text('[per-file-ignores]\n"legacy/*.sched" = ["SC123"]\n')
    (tmp_path / "legacy").mkdir()
    text = "user Ana Lima <ana@example.com> tz GB\nMon 09:00-17:00\n"
    (tmp_path / "legacy" / "old.sched").write_text(text)
    (tmp_path / "new.sched").write_text(text)
    done = run_schedc("check", "--statistics", ".", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "1  SC123  [*] legacy time zone alias\n")
    shown = run_schedc("check", "-q", ".", cwd=tmp_path)
    assert shown.stderr.startswith("./new.sched:1:36: warning[SC123]") and "legacy/old.sched" not in shown.stderr
    (tmp_path / "schedc.toml").write_text('[per-file-ignores]\n"legacy/*.sched" = ["SC107"]\n')
    refused = run_schedc("check", ".", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("schedc.toml:2:21: error[SC505]: `per-file-ignores`: `SC107` is an error, and "
                                     "errors cannot be ignored\n")


def test_extend_takes_a_shared_files_settings_where_the_project_sets_none(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "schedc.toml").write_text('strict = true\nignore = ["SC120"]\n')
    proj = tmp_path / "proj"
    proj.mkdir()
    (proj / "schedc.toml").write_text('extend = "../shared/schedc.toml"\nignore = []\n')
    (proj / "a.sched").write_text("user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon 09:00-12:00, 12:00-13:00\n")
    done = run_schedc("check", "proj", cwd=tmp_path)
    assert done.returncode == 1 and "warning[SC120]" in done.stderr  # strict from the shared file, ignore ours
    shown = run_schedc("check", "--show-settings", "proj", cwd=tmp_path).stdout
    assert [line.split() for line in shown.splitlines()[2:3]] == [["strict", "=", "true", "#", "shared/schedc.toml:1:1"]]
    (tmp_path / "shared" / "schedc.toml").write_text('extend = "../proj/schedc.toml"\n')
    circle = run_schedc("check", "proj", cwd=tmp_path)
    assert circle.returncode == 2 and "error[SC503]: `extend`: `../proj/schedc.toml` extends this file again" in (
        circle.stderr)


def test_problems_found_when_reading_the_server_are_told_in_file_order(tmp_path, sandbox):
    write_team(tmp_path, 3)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    state = json.loads((tmp_path / STATE).read_text())
    for user in state["servers"][sandbox.url]["users"].values():
        user["availabilityId"] = "0000-gone"
    (tmp_path / STATE).write_text(json.dumps(state))
    sandbox.faults({"kind": "delay", "seconds": 0.3})  # the first file's answer comes last
    plan = run(tmp_path, "plan", "--refresh", "--concurrency", "3", "team", base=sandbox.url)
    assert plan.code == 1
    found = [line.split(":")[0] for line in plan.stderr.splitlines() if "error[SC312]" in line]
    assert found == ["team/person00.sched", "team/person01.sched", "team/person02.sched"]


# ---- properties of the fixes: a safe fix never changes what a file that compiled sends
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st  # noqa: E402

FIX_SETTINGS = hypothesis_settings(max_examples=int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "150")), deadline=None,
                                   suppress_health_check=[HealthCheck.too_slow])
DAY = st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])


@st.composite
def rules(draw):
    """A day rule as people write it, slips and all: `Tue-Tue`, touching ranges, `9:5`."""
    first = draw(DAY)
    days = f"{first}-{first}" if draw(st.booleans()) else first
    start = draw(st.integers(6, 14))
    touching = draw(st.booleans())
    middle = start + draw(st.integers(1, 3))
    second = f"{middle:02d}:00" if touching else f"{middle + 1:02d}:00"
    minute = draw(st.sampled_from(["00", "5", "05", "30"]))
    return f"{days} {start}:{minute}-{middle:02d}:00, {second}-{middle + 3:02d}:00"


@st.composite
def schedules(draw):
    zone = draw(st.sampled_from(["Europe/Lisbon", "Europe/Lisbn", "GB", "US/Eastern", "Asia/Tokyo"]))
    body = "\n".join(draw(st.lists(rules(), min_size=1, max_size=4, unique_by=lambda r: r.split()[0][:3])))
    channel = draw(st.sampled_from(["zoom", "zom", "phone"]))
    return f"user Ana Lima <ana@example.com> tz {zone}\n{body}\nmeeting 30min {channel}\n"


def _shown(text: str):
    import schedc

    return list(schedc.check(text))


@FIX_SETTINGS
@given(schedules())
def test_safe_fixes_keep_the_request_and_leave_nothing_fixable(text):
    import schedc
    from schedc.fixes import fix_all, fixes

    result = fix_all(text, _shown)
    assert fixes(result.text, _shown(result.text)) == []  # nothing safe is left to fix
    assert fix_all(result.text, _shown).text == result.text  # and a second pass changes nothing
    before = schedc.analyze(text)
    if before.to_json() is not None:  # the file compiled: the fixes changed how it is written, not what it means
        canonical = before.to_json().replace('"GB"', '"Europe/London"').replace('"US/Eastern"', '"America/New_York"')
        assert _meaning(schedc.analyze(result.text).to_json()) == _meaning(canonical)  # an alias becomes its zone
    assert len(_shown(result.text)) <= len(_shown(text))


def _meaning(request: str) -> dict:
    """A request with each day's hours as the set of minutes they cover (touching ranges merged
    are the same hours)."""
    body = json.loads(request)
    for day in body["availability"]["schedule"].values():
        minutes = set()
        for hours in day.get("hours", []):
            (h1, m1), (h2, m2) = (map(int, hours[k].split(":")) for k in ("start", "end"))
            minutes.update(range(h1 * 60 + m1, h2 * 60 + m2))
        day["hours"] = sorted(minutes)
    return body


def test_a_plan_made_from_the_state_alone_is_refused_when_the_server_drifted_since(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    edit_tuesday(team / "person01.sched")
    assert run(tmp_path, "plan", "-o", "team.plan", "team", base=sandbox.url).code == 0
    edit_on_server(sandbox, "person00@example.com", user={"givenName": "Anna"})
    before = len(sandbox.requests())
    refused = run(tmp_path, "apply", "team.plan", base=sandbox.url)
    assert (refused.code, refused.stdout) == (2, "")
    assert refused.stderr == ("schedc: error: nothing was sent: the server's copy of person00@example.com changed "
                              "(given name) since schedc applied it, and the plan `team.plan` was made from the state "
                              "alone; make it again with `schedc plan --refresh -o` and review it\n")
    assert changes(sandbox, before) == []
