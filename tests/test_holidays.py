"""`holidays DE-BY`: the statement's diagnostics and formatting, the holiday requests `submit`
sends after the user (dry run, sandbox, a run killed between them), the sandbox's endpoint, and
the public holidays `explain` closes. Everything through the real commands."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_schedc
from submit_support import FAST, KEY, sandbox, sandbox_process, submit, submit_env  # noqa: F401

THIS_YEAR = {"SCHEDC_TODAY": "2026-03-02"}  # the years sent run from this one to the end of the API's window


def write(folder: Path, text: str, name: str = "ana.sched") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def user(region: str, zone: str = "Europe/Berlin", days: str = "Mon-Fri 09:00-17:00", email: str = "ana@example.com"):
    return f"user Ana Lima <{email}> tz {zone}\nholidays {region}\n{days}\nmeeting \"Intro\" 30min zoom\n"


def diagnostics(path: Path) -> list[tuple]:
    done = run_schedc("check", "--format", "json", str(path))
    return [(d["code"], d["line"], d["column"], d["message"]) for d in json.loads(done.stdout)
            if d["code"] not in ("SC202", "SC205")]


# ---- the statement
@pytest.mark.parametrize("region, expected", [
    ("XX", ("SC150", 2, 10, "unknown holiday country `XX`")),
    ("Germany", ("SC150", 2, 10, "unknown holiday country `Germany`")),
    ("DE-XY", ("SC150", 2, 10, "unknown German state `XY`")),
    ("AT-W", ("SC151", 2, 10, "`AT-W`: only Germany's states can be named; meetergo takes the holidays of AT for "
                              "the whole country")),
])
def test_an_unknown_region_is_an_error_at_the_code(tmp_path, region, expected):
    assert diagnostics(write(tmp_path, user(region))) == [expected]


def test_the_help_suggests_a_code_and_lists_what_the_api_takes(tmp_path):
    done = run_schedc("check", str(write(tmp_path, user("Bayern"))))
    assert "help: did you mean `DE-BY`? meetergo's holiday calendar covers DE, AT, BE, CA, DK, NL, EE, FI, FR, IT, " \
           "NZ, ES, SE, CH, US (and Germany's states, as `DE-BY`)" in done.stderr
    done = run_schedc("check", str(write(tmp_path, user("DE-Bavaria"))))
    assert "help: did you mean `DE-BY`? the states are BW, BY, ST, MV, BE, BB, HE, NW, RP, SL, SN, TH, SH, HH, NI, HB" \
           in done.stderr
    assert done.returncode == 1


def test_a_second_holidays_statement_is_an_error(tmp_path):
    path = write(tmp_path, user("DE-BY") + "holidays DE-BY\n")
    assert diagnostics(path) == [("SC152", 5, 1, "a second `holidays` statement")]


def test_a_country_whose_zones_miss_the_availabilitys_zone_is_a_warning(tmp_path):
    path = write(tmp_path, user("DE", zone="America/New_York"))
    assert diagnostics(path) == [
        ("SC153", 2, 10, "`holidays DE` with the zone `America/New_York`, which is not a zone of DE")]
    assert diagnostics(write(tmp_path, user("US", zone="America/New_York"))) == []
    assert diagnostics(write(tmp_path, user("de-by"))) == []  # codes in any case


def test_every_new_code_has_its_rule(schedc):
    for code in ("SC150", "SC151", "SC152", "SC153"):
        done = schedc("rule", code)
        assert done.returncode == 0 and done.stdout.startswith(f"## {code} — "), code


def test_fmt_writes_the_code_in_capitals_below_the_zone(tmp_path):
    path = write(tmp_path, "Mon-Fri 09:00-17:00\nholidays de-by  # Munich\nuser Ana Lima <ana@example.com>\n"
                           "tz Europe/Berlin\n")
    assert run_schedc("fmt", str(path)).returncode == 0
    assert path.read_text(encoding="utf-8") == ("user Ana Lima <ana@example.com>\ntz Europe/Berlin\n"
                                                "holidays DE-BY  # Munich\nMon-Fri 09:00-17:00\n")


def test_compile_prints_the_same_request_with_or_without_holidays(tmp_path):
    plain = write(tmp_path, user("DE-BY").replace("holidays DE-BY\n", ""), "plain.sched")
    with_holidays = write(tmp_path, user("DE-BY"))
    assert run_schedc("compile", str(plain)).stdout == run_schedc("compile", str(with_holidays)).stdout


# ---- submit
def calls(requests: list[dict]) -> list[tuple]:
    """(method, first path segment, body, acting user) of each request the sandbox received."""
    return [(r["method"], r["path"].split("/")[1], json.loads(r["body"]) if r["body"] else None,
             {k.lower(): v for k, v in r["headers"].items()}.get("x-meetergo-api-user-id"))
            for r in requests]


def test_dry_run_shows_the_post_then_one_patch_per_year(tmp_path):
    write(tmp_path, user("DE-BY"))
    done = submit(tmp_path, "--dry-run", "--json", "ana.sched", env=THIS_YEAR, base="http://127.0.0.1:9")
    assert done.code == 0, done.stderr
    shown = done.lines()
    assert [(r["method"], r["url"]) for r in shown] == [
        ("POST", "http://127.0.0.1:9/v4/user"),
        ("PATCH", "http://127.0.0.1:9/availability/{availabilityId}/holiday-exceptions"),
        ("PATCH", "http://127.0.0.1:9/availability/{availabilityId}/holiday-exceptions")]
    assert [r["body"] for r in shown[1:]] == [{"year": 2026, "country": "DE", "germanState": "BY"},
                                              {"year": 2027, "country": "DE", "germanState": "BY"}]
    assert all(r["headers"]["x-meetergo-api-user-id"] == "{userId}" for r in shown[1:])
    assert "dry run: 3 requests would be sent" in done.stderr


def test_submit_sends_the_user_then_its_holidays_with_the_ids_of_the_answer(tmp_path, sandbox):
    write(tmp_path, user("US", zone="America/New_York"))
    done = submit(tmp_path, "ana.sched", env=THIS_YEAR, base=sandbox.url)
    assert done.code == 0, done.stderr
    created = json.loads(done.journal.splitlines()[2])
    assert created["outcome"] == "created"
    assert calls(sandbox.requests()) == [
        ("POST", "v4", compiled(tmp_path / "ana.sched"), None),
        ("PATCH", "availability", {"year": 2026, "country": "US"}, created["userId"]),
        ("PATCH", "availability", {"year": 2027, "country": "US"}, created["userId"])]
    assert [r["path"] for r in sandbox.requests()[1:]] == [
        f"/availability/{created['availabilityId']}/holiday-exceptions"] * 2
    assert done.stdout.splitlines()[1] == "holidays  ana@example.com  US added for 2026, 2027  (ana.sched)"
    listed = sandbox.http.get("/availability", headers={"Authorization": f"Bearer {KEY}",
                                                        "x-meetergo-api-user-id": created["userId"]}).json()
    titles = {(e["start"][:10], e["title"]) for e in listed[0]["availabilityExceptions"]}
    assert ("2026-07-04", "Independence Day") in titles and ("2027-07-04", "Independence Day") in titles
    before = len(sandbox.requests())
    again = submit(tmp_path, "ana.sched", env=THIS_YEAR, base=sandbox.url)
    assert again.code == 0 and len(sandbox.requests()) == before  # nothing left to send


def compiled(path: Path) -> dict:
    return json.loads(run_schedc("compile", str(path)).stdout)


def test_a_run_killed_between_the_user_and_its_holidays_finishes_them_without_a_second_user(tmp_path, sandbox):
    write(tmp_path, user("DE-BE"))
    sandbox.faults({"kind": "delay", "seconds": 0}, {"kind": "delay", "seconds": 30})  # the first PATCH hangs
    argv = [sys.executable, "-m", "schedc", "submit", *FAST, "--base-url", sandbox.url, "ana.sched"]
    process = subprocess.Popen(argv, cwd=tmp_path, env={**submit_env(), **THIS_YEAR},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while len(sandbox.requests()) < 2 and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    sandbox.clear_faults()
    journal = [json.loads(line) for line in (tmp_path / ".schedc-journal.jsonl").read_text().splitlines()]
    assert [e.get("outcome") for e in journal if "outcome" in e][-1] == "sending"  # killed mid-PATCH
    done = submit(tmp_path, "ana.sched", env=THIS_YEAR, base=sandbox.url)
    assert done.code == 0, done.stderr
    methods = [(r["method"], r["path"].split("/")[1]) for r in sandbox.requests()]
    assert methods == [("POST", "v4"), ("PATCH", "availability"), ("PATCH", "availability"),
                       ("PATCH", "availability")]
    assert [json.loads(r["body"])["year"] for r in sandbox.requests()[2:]] == [2026, 2027]
    assert len(sandbox.users()) == 1
    assert "holidays  ana@example.com  DE-BE added for 2026, 2027" in done.stdout


def test_a_failed_holiday_request_is_said_and_the_next_run_sends_it(tmp_path, sandbox):
    write(tmp_path, user("DE-BY"))
    sandbox.faults({"kind": "delay", "seconds": 0}, {"kind": "status", "status": 503, "times": 2})
    done = submit(tmp_path, "--attempts", "2", "ana.sched", env=THIS_YEAR, base=sandbox.url)
    assert done.code == 3, done.stderr
    assert "holidays  ana@example.com  2026 DE-BY failed: HTTP 503" in done.stdout
    again = submit(tmp_path, "ana.sched", env=THIS_YEAR, base=sandbox.url)
    assert again.code == 0, again.stderr
    assert "holidays  ana@example.com  DE-BY added for 2026, 2027" in again.stdout
    assert len(sandbox.users()) == 1


def test_past_the_apis_window_no_holiday_is_sent_and_that_is_said(tmp_path, sandbox):
    write(tmp_path, user("DE-BY"))
    done = submit(tmp_path, "ana.sched", env={"SCHEDC_TODAY": "2028-01-10"}, base=sandbox.url)
    assert done.code == 0, done.stderr
    assert "meetergo takes public holidays for 2025-2027 only, so none are sent for 2028" in done.stderr
    assert [r["method"] for r in sandbox.requests()] == ["POST"]


# ---- the sandbox's endpoint
@pytest.mark.parametrize("body, field, message", [
    ({"year": 2024, "country": "DE"}, "year", "year must not be less than 2025 and not greater than 2027"),
    ({"year": 2026, "country": "GB"}, "country", "country must be one of the following values: DE, AT, BE, CA, "
                                                 "DK, NL, EE, FI, FR, IT, NZ, ES, SE, CH, US"),
    ({"year": 2026, "country": "AT", "germanState": "BY"}, "germanState",
     "germanState is only allowed with country DE"),
    ({"country": "DE"}, "year", "year should not be empty"),
])
def test_the_sandbox_validates_a_holiday_request(tmp_path, sandbox, body, field, message):
    write(tmp_path, user("DE-BY"))
    submit(tmp_path, "ana.sched", env={"SCHEDC_TODAY": "2030-01-01"}, base=sandbox.url)
    created = sandbox.users()[0]
    headers = {"Authorization": f"Bearer {KEY}", "x-meetergo-api-user-id": created["userId"]}
    answer = sandbox.http.patch(f"/availability/{created['availabilityId']}/holiday-exceptions", json=body,
                                headers=headers)
    assert answer.status_code == 400
    assert {"field": field, "message": message} in answer.json()["errors"]
    del headers["x-meetergo-api-user-id"]
    answer = sandbox.http.patch(f"/availability/{created['availabilityId']}/holiday-exceptions",
                                json={"year": 2026, "country": "DE"}, headers=headers)
    assert answer.json()["message"] == "Missing required header 'x-meetergo-api-user-id' for API key authentication"


# ---- explain
def week_json(path: Path, day: str) -> dict:
    done = run_schedc("explain", "--json", "--week", day, str(path))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def closed(data: dict) -> dict:
    return {d["date"]: d["minutes"] for d in data["days"]}


def test_explain_closes_christmas_for_berlin(tmp_path):
    data = week_json(write(tmp_path, user("DE-BE", days="Mon-Sun 09:00-17:00")), "2026-12-23")
    assert data["holidays"] == [{"date": "2026-12-25", "name": "Christmas Day"},
                                {"date": "2026-12-26", "name": "Second Day of Christmas"}]
    assert closed(data)["2026-12-25"] == closed(data)["2026-12-26"] == 0
    assert closed(data)["2026-12-24"] == closed(data)["2026-12-27"] == 480
    assert not any(i["zone"]["start"].startswith(("2026-12-25", "2026-12-26")) for i in data["intervals"])


def test_epiphany_closes_bavaria_but_not_berlin(tmp_path):
    bavaria = week_json(write(tmp_path, user("DE-BY"), "by.sched"), "2027-01-06")
    berlin = week_json(write(tmp_path, user("DE-BE"), "be.sched"), "2027-01-06")
    assert closed(bavaria)["2027-01-06"] == 0 and bavaria["holidays"] == [{"date": "2027-01-06", "name": "Epiphany"}]
    assert closed(berlin)["2027-01-06"] == 480 and berlin["holidays"] == []


def test_independence_day_closes_the_us(tmp_path):
    data = week_json(write(tmp_path, user("US", zone="America/New_York", days="Mon-Sun 09:00-17:00")), "2025-07-04")
    assert closed(data)["2025-07-04"] == 0
    assert {"date": "2025-07-04", "name": "Independence Day"} in data["holidays"]


def test_the_grid_and_the_team_say_which_holiday(tmp_path):
    path = write(tmp_path, user("DE-BY"), "by.sched")
    grid = run_schedc("explain", "--week", "2027-01-06", str(path)).stdout
    assert "closed: Epiphany (public holiday, DE-BY)" in grid
    write(tmp_path, user("DE-BE", email="bea@example.com").replace("Ana Lima", "Bea Berg"), "be.sched")
    team = run_schedc("explain", "--json", "--week", "2027-01-06", str(tmp_path))
    data = json.loads(team.stdout)
    wednesday = [s for s in data["slots"] if s["start"].startswith("2027-01-06T09:00")]
    assert wednesday[0]["people"] == ["Bea Berg"]
    svg = run_schedc("explain", "--svg", "-", "--week", "2027-01-06", str(path)).stdout
    assert 'class="holiday"' in svg and "public holiday: Epiphany" in svg


def test_a_file_without_holidays_explains_as_before(tmp_path):
    data = week_json(write(tmp_path, user("DE-BY").replace("holidays DE-BY\n", "")), "2027-01-06")
    assert "holidays" not in data and closed(data)["2027-01-06"] == 480


# ---- plan and apply
def state_run(cwd: Path, command: str, *args: str, base: str, env: dict = THIS_YEAR):
    argv = [sys.executable, "-m", "schedc", command, *FAST, *args, "--base-url", base]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env={**submit_env(), **env}, timeout=60)


def test_plan_and_apply_add_holidays_to_an_existing_user(tmp_path, sandbox):
    path = write(tmp_path, user("DE-BY").replace("holidays DE-BY\n", ""))
    assert state_run(tmp_path, "apply", "--auto-approve", "ana.sched", base=sandbox.url).returncode == 0
    path.write_text(user("DE-BY"), encoding="utf-8")
    plan = state_run(tmp_path, "plan", "--detailed-exitcode", "ana.sched", base=sandbox.url)
    assert plan.returncode == 4
    assert plan.stdout == ("update    ana@example.com  (ana.sched)\n"
                           "            holidays: none -> DE-BY (2026, 2027)\n")
    as_json = json.loads(state_run(tmp_path, "plan", "--json", "ana.sched", base=sandbox.url).stdout)
    assert as_json["action"] == "update" and as_json["holidays"]["send"] == [
        {"year": 2026, "country": "DE", "germanState": "BY"}, {"year": 2027, "country": "DE", "germanState": "BY"}]
    before = len(sandbox.requests())
    applied = state_run(tmp_path, "apply", "--auto-approve", "ana.sched", base=sandbox.url)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout == "updated   ana@example.com  sent holidays 2026, 2027  (ana.sched)\n"
    sent = sandbox.requests()[before:]
    record = json.loads((tmp_path / ".schedc-state.json").read_text())["servers"][sandbox.url]["users"][
        "ana@example.com"]
    reads, sent = sent[:4], sent[4:]  # apply reads the server first, the holidays a file has included
    assert sorted((r["method"], r["path"]) for r in reads) == [
        ("GET", "/availability"), ("GET", f"/v4/availability/{record['availabilityId']}"),
        ("GET", f"/v4/meeting-type/{record['meetingTypeId']}"), ("GET", f"/v4/user/{record['userId']}")]
    assert [(r["method"], r["path"], json.loads(r["body"])["year"]) for r in sent] == [
        ("PATCH", f"/availability/{record['availabilityId']}/holiday-exceptions", 2026),
        ("PATCH", f"/availability/{record['availabilityId']}/holiday-exceptions", 2027)]
    assert record["holidays"] == {"region": "DE-BY", "years": [2026, 2027]}
    assert state_run(tmp_path, "plan", "--detailed-exitcode", "--refresh", "ana.sched",
                     base=sandbox.url).returncode == 0


def test_a_new_year_entering_the_window_is_planned_and_a_removal_is_said_plainly(tmp_path, sandbox):
    path = write(tmp_path, user("DE-BE"))
    assert state_run(tmp_path, "apply", "--auto-approve", "ana.sched", base=sandbox.url, env={"SCHEDC_TODAY": "2027-01-01"}
                     ).returncode == 0
    plan = state_run(tmp_path, "plan", "ana.sched", base=sandbox.url, env={"SCHEDC_TODAY": "2026-01-01"})
    assert "holidays DE-BE: add 2026" in plan.stdout
    path.write_text(user("DE-BE").replace("holidays DE-BE\n", ""), encoding="utf-8")
    plan = state_run(tmp_path, "plan", "--refresh", "ana.sched", base=sandbox.url)
    assert plan.stdout == (
        "unchanged ana@example.com  (ana.sched)\n"
        "            holidays: the DE-BE holidays stay on the server: the API documents no way to remove holiday "
        "exceptions; remove them by hand in meetergo (the availability's exceptions)\n")


def test_submit_journal_holidays_carry_over_to_plan(tmp_path, sandbox):
    write(tmp_path, user("US", zone="America/New_York"))
    assert submit(tmp_path, "ana.sched", env=THIS_YEAR, base=sandbox.url).code == 0
    plan = state_run(tmp_path, "plan", "--detailed-exitcode", "--refresh", "ana.sched", base=sandbox.url)
    assert plan.returncode == 0, plan.stdout + plan.stderr


# ---- the language server
def test_the_language_server_completes_codes_and_hovers_the_next_five_holidays():
    from lsp_client import Client

    client = Client(env={"SCHEDC_TODAY": "2026-12-20"})
    try:
        uri = "file:///work/ana.sched"
        text = "tz Europe/Berlin\nholidays DE-BY\nholidays \n"
        client.open(uri, text, 1)
        found = client.request("textDocument/completion", client.at(uri, 2, 9))
        items = found["items"] if isinstance(found, dict) else found
        labels = [i["label"] for i in items]
        assert labels[:2] == ["DE", "AT"] and "DE-BY" in labels and "US" in labels and len(labels) == 31
        assert next(i for i in items if i["label"] == "DE-BY")["detail"] == "public holidays of Germany, Bayern"
        client.change(uri, "tz Europe/Berlin\nholidays DE-BY\n", 2)
        hovered = client.request("textDocument/hover", client.at(uri, 1, 3))
        assert hovered["contents"]["value"] == (
            "`holidays DE-BY`: Germany, Bayern; each public holiday closes the day. The next 5:\n\n```text\n"
            "Fri 25 Dec 2026  Christmas Day\nSat 26 Dec 2026  Second Day of Christmas\n"
            "Fri 01 Jan 2027  New Year's Day\nWed 06 Jan 2027  Epiphany\nFri 26 Mar 2027  Good Friday\n```")
        diagnostics = [d for d in client.change(uri, "tz Europe/Berlin\nholidays Bavaria\n", 3)["diagnostics"]
                       if d["code"] == "SC150"]
        assert len(diagnostics) == 1
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": diagnostics[0]["range"], "context": {"diagnostics": diagnostics}})
        edits = [e for a in actions for e in a["edit"]["changes"][uri]]
        assert edits == [{"range": diagnostics[0]["range"], "newText": "DE-BY"}]
    finally:
        assert client.close() == 0


def test_a_state_after_a_space_is_a_syntax_error_that_says_where_the_hyphen_goes(tmp_path):
    done = run_schedc("check", str(write(tmp_path, "holidays DE BY\n")))
    assert done.returncode == 1
    assert "ana.sched:1:13: error[SC001]: unexpected `BY`" in done.stderr
    assert "help: a German state follows its country after a hyphen: `holidays DE-BY`" in done.stderr


def test_check_of_a_file_with_holidays_loads_neither_the_parser_nor_the_calendar(tmp_path):
    # the fast path reads the statement (a declined line would load the generated parser for
    # one statement), and the codes are checked from the contract's lists, never from dates
    (tmp_path / "ana.sched").write_text("user Ana Lima <ana@example.com> tz Europe/Berlin\nholidays DE-BY\n"
                                        "Mon-Fri 09:00-17:00\n", encoding="utf-8")
    code = ("import sys\nfrom schedc.cli import main\ncode = main(['check', '-q', 'ana.sched'])\n"
            "print(code, sorted(m for m in sys.modules if m in ('holidays', 'schedc.compiler.generated_parser')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout == "0 []\n", done.stderr
