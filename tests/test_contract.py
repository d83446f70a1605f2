"""The API contract (`schedc/meetergo/contract.py`) end to end: every PATCH `schedc apply` sends,
for every kind of change, against `schedc sandbox` and `schedc sandbox --strict` on 127.0.0.1;
the sandbox serving exactly the contract's endpoints; the client refusing what the contract does
not name; and docs/apply.md listing the contract's assumptions."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import EXAMPLES, ROOT
from schedc.meetergo import contract
from submit_support import (KEY, sandbox, sandbox_process, strict_sandbox, strict_sandbox_process,  # noqa: F401
                            write_user)
from test_apply import compiled_body, edit_tuesday, headers_of, recorded, run

# Each kind of change: the user it is made to (write_user's person N), the edit of its file, the
# call that carries it, and the body that call must have. `assumed` names the contract's
# assumption when the field is not documented (the strict sandbox then refuses it).
KINDS = {
    "hours": (0, edit_tuesday, contract.UPDATE_AVAILABILITY, "schedule", ""),
    "zone": (1, lambda p: p.write_text(p.read_text().replace("tz Europe/London", "tz Europe/Paris")),
             contract.UPDATE_AVAILABILITY, {"timezone": "Europe/Paris"}, "availability-timezone"),
    "meeting name": (2, lambda p: p.write_text(p.read_text().replace('"Intro call"', '"Intro chat"')),
                     contract.UPDATE_MEETING_TYPE, {"meetingInfo": {"name": "Intro chat"}}, "meeting-info-nesting"),
    "duration": (3, lambda p: p.write_text(p.read_text().replace("30min", "45min")),
                 contract.UPDATE_MEETING_TYPE, {"duration": 45}, ""),
    "channel": (4, lambda p: p.write_text(p.read_text().replace(" zoom ", " connect ")),
                contract.UPDATE_MEETING_TYPE, {"meetingInfo": {"channel": "connect"}}, "meeting-info-nesting"),
    "slug": (5, lambda p: p.write_text(p.read_text().replace("slug intro-05", "slug intro-five")),
             contract.UPDATE_MEETING_TYPE, {"slug": "intro-five"}, ""),
    "user name": (6, lambda p: p.write_text(p.read_text().replace("user Gus ", "user Gustav ")),
                  contract.UPDATE_USER, {"givenName": "Gustav"}, ""),
}


def _changed_team(tmp_path: Path, box) -> Path:
    """One user per kind of change, created with `schedc apply`, then each file changed once."""
    team = tmp_path / "team"
    team.mkdir()
    for n, *_ in KINDS.values():
        write_user(team, n)
    created = run(tmp_path, "apply", "--auto-approve", "team", base=box.url)
    assert created.code == 0, created.stderr  # POST /v4/user sends only documented fields: strict takes it
    for n, edit, *_ in KINDS.values():
        edit(team / f"person{n:02d}.sched")
    return team


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_each_kind_of_change_is_one_patch_of_the_contracts_fields(tmp_path, sandbox, strict_sandbox, strict):
    box = strict_sandbox if strict else sandbox
    team = _changed_team(tmp_path, box)
    users = recorded(tmp_path, box.url)

    plan = run(tmp_path, "plan", "--json", "team", base=box.url)
    marked = {(line["email"], change["field"]): change.get("assumption", "") for line in plan.lines()
              for change in line["changes"]}
    assert marked == {("person00@example.com", "tuesday"): "", ("person01@example.com", "timezone"): "availability-timezone",
                      ("person02@example.com", "name"): "meeting-info-nesting", ("person03@example.com", "duration"): "",
                      ("person04@example.com", "channel"): "meeting-info-nesting", ("person05@example.com", "slug"): "",
                      ("person06@example.com", "givenName"): ""}

    before = len(box.requests())
    applied = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "--json", "team", base=box.url)
    patches = {r["path"]: r for r in box.requests()[before:]}
    assert [r["method"] for r in box.requests()[before:]] == ["PATCH"] * len(KINDS)
    outcomes = {line["email"]: line for line in applied.lines()}
    for kind, (n, _, endpoint, body, assumed) in KINDS.items():
        email = f"person{n:02d}@example.com"
        record = users[email]
        if body == "schedule":
            body = {"schedule": compiled_body(team / f"person{n:02d}.sched")["availability"]["schedule"]}
        request = patches[contract.path(endpoint, record)]
        assert json.loads(request["body"]) == body, kind
        assert {k: v for k, v in headers_of(request).items() if k in ("authorization", "content-type",
                                                                      "x-meetergo-api-user-id")} == {
            "authorization": f"Bearer {KEY}", "content-type": "application/json",
            "x-meetergo-api-user-id": record["userId"]}, kind
        assert contract.problems(endpoint, body) == []  # every field is the contract's
        refused = contract.problems(endpoint, body, strict=True)
        assert [field for field, _ in refused] == ([] if not assumed else
                                                   ["timezone"] if kind == "zone" else
                                                   [f"meetingInfo.{kind.split()[-1]}"]), kind
        assert all(endpoint.field(f).assumption == assumed for f, _ in refused)
        if strict and assumed:
            assert request["status"] == 400, kind
            assert outcomes[email]["outcome"] == "rejected"
            assert outcomes[email]["errors"] == [{"field": f, "message": m} for f, m in refused]
        else:
            assert request["status"] == 200, kind
            assert (outcomes[email]["outcome"], outcomes[email]["sent"]) == (
                "updated", [{"update-availability": "availability", "update-meeting-type": "meetingType",
                             "update-user": "user"}[endpoint.name]])
    assert applied.code == (1 if strict else 0)


def test_strict_refusals_point_at_the_line_and_name_the_assumption(tmp_path, strict_sandbox):
    _changed_team(tmp_path, strict_sandbox)
    # compared with the state: the strict server also refuses the reads by id that a refresh rests on
    applied = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team/person01.sched", "team/person04.sched",
                  base=strict_sandbox.url)
    assert applied.code == 1
    assert sorted(applied.stdout.splitlines()) == [
        "rejected  person01@example.com  HTTP 400: Validation failed  (team/person01.sched)",
        "rejected  person04@example.com  HTTP 400: Validation failed  (team/person04.sched)"]
    assert applied.stderr.count("error[SC310]") == 2
    assert ("team/person01.sched:1:45: error[SC310]: the server rejected the update of `availability.timezone`: "
            "property timezone should not exist\n"
            "  |\n"
            "1 | user Ben Tester01 <person01@example.com> tz Europe/Paris\n"
            "  |                                             ^^^^^^^^^^^^\n"
            "  |\n"
            "help: `timezone` is not documented for this call (assumption availability-timezone, §9): make the "
            "change in meetergo's web app, then run schedc apply\n") in applied.stderr
    assert ("team/person04.sched:4:28: error[SC310]: the server rejected the update of `meetingType.channel`: "
            "property channel should not exist\n"
            "  |\n"
            "4 | meeting \"Intro call\" 30min connect slug intro-04\n"
            "  |                            ^^^^^^^\n"
            "  |\n"
            "help: `meetingInfo.channel` is not documented for this call (assumption meeting-info-nesting, §5): make "
            "the change in meetergo's web app, then run schedc apply\n") in applied.stderr
    pending = run(tmp_path, "plan", "team/person01.sched", base=strict_sandbox.url)
    assert pending.stdout == ("update    person01@example.com  (team/person01.sched)\n"
                              "            availability zone: Europe/London -> Europe/Paris  (no documented field: "
                              "sent as `timezone`, assumption availability-timezone, §9)\n")


def test_a_server_without_the_assumed_reads_is_told_and_no_refresh_still_applies(tmp_path, strict_sandbox):
    """`apply` reads the server first; two of those reads rest on assumptions. A server that has
    neither answers 404 for every user: SC312 says the read is only assumed and names the way out."""
    team = _changed_team(tmp_path, strict_sandbox)
    before = len(strict_sandbox.requests())
    refreshed = run(tmp_path, "apply", "--auto-approve", "team/person03.sched", base=strict_sandbox.url)
    assert (refreshed.code, refreshed.stdout) == (1, "")
    assert [(r["method"], r["path"].split("/")[2], r["status"]) for r in strict_sandbox.requests()[before:]] == [
        ("GET", "availability", 200), ("GET", "meeting-type", 404)]  # the read stops there, and nothing is sent
    meeting = recorded(tmp_path, strict_sandbox.url)["person03@example.com"]["meetingTypeId"]
    assert (f"team/person03.sched:4:1: error[SC312]: the meeting type schedc recorded for `person03@example.com` is "
            f"not on the server (HTTP 404: Cannot GET /v4/meeting-type/{meeting})\n") in refreshed.stderr
    assert ("help: if it was deleted in meetergo, remove this user from the state file and apply again to create it "
            "anew; `GET /v4/meeting-type/{meetingTypeId}` is not documented (assumption meeting-type-read, §5): if "
            "the server has no such call, compare with the state instead (`schedc apply --no-refresh`, `schedc plan` "
            "without --refresh)\n") in refreshed.stderr
    before = len(strict_sandbox.requests())
    alone = run(tmp_path, "apply", "--auto-approve", "--no-refresh", "team/person03.sched", base=strict_sandbox.url)
    assert (alone.code, alone.stdout) == (0, "updated   person03@example.com  sent meetingType  (team/person03.sched)\n")
    [patch] = strict_sandbox.requests()[before:]
    assert (patch["method"], patch["path"], json.loads(patch["body"]), patch["status"]) == (
        "PATCH", f"/v4/meeting-type/{meeting}", {"duration": 45}, 200)
    assert compiled_body(team / "person03.sched")["meetingType"]["duration"] == 45


# ---- the sandbox serves the contract, and nothing else
SAMPLE_BODY = {"create-user": {"email": "sample@example.com", "givenName": "Sam", "familyName": "Ple",
                               "timezone": "UTC"},
               "update-user": {"givenName": "Sam"}, "update-availability": {"name": "Hours"},
               "update-meeting-type": {"duration": 20},
               "holiday-exceptions": {"year": 2026, "country": "DE", "germanState": "BY"}}


def _present(data, path: str) -> bool:
    """Whether the answer has a value at the contract path (`users[].id`: in the first item)."""
    for part in path.split("."):
        many = part.endswith("[]")
        if part != "[]":  # `[].id`: the answer itself is the array
            data = data.get(part.removesuffix("[]")) if isinstance(data, dict) else None
        if many:
            if not isinstance(data, list) or not data:
                return False
            data = data[0]
    return data is not None


def test_the_sandbox_serves_every_endpoint_of_the_contract_and_no_other(tmp_path, sandbox, strict_sandbox):
    from schedc.meetergo.sandbox import Handler

    assert set(Handler.HANDLERS) == set(contract.ENDPOINT)
    write_user(tmp_path, 0)
    assert run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url).code == 0
    record = recorded(tmp_path, sandbox.url)["person00@example.com"]
    for endpoint in contract.ENDPOINTS:
        body = SAMPLE_BODY.get(endpoint.name)
        assert (body is not None) == bool(endpoint.request), endpoint.name
        headers = contract.send_headers(endpoint, f"Bearer {KEY}", acting_user=record["userId"], body=body is not None)
        answer = sandbox.http.request(endpoint.method, contract.path(endpoint, record), json=body, headers=headers)
        assert answer.status_code == endpoint.status, (endpoint.name, answer.text)
        for field in endpoint.response:  # every field schedc reads is in the answer
            assert _present(answer.json(), field.path), (endpoint.name, field.path)
    auth = {"Authorization": f"Bearer {KEY}"}
    for method, path in (("GET", "/v4/meeting-type"), ("POST", "/v4/meeting-type"), ("PATCH", "/v4/user"),
                         ("GET", "/v4/availability"), ("POST", "/v4/availability"), ("GET", "/v4/booking-availability"),
                         ("PATCH", "/v4/user/me/extra"), ("POST", "/v4/user/me")):
        answer = sandbox.http.request(method, path, headers=auth, json={})
        assert answer.json() == {"statusCode": 404, "message": f"Cannot {method} {path}", "error": "Not Found"}
    # strict: an endpoint that is itself an assumption is not there
    for endpoint in contract.ENDPOINTS:
        url = contract.path(endpoint, {"userId": "u", "availabilityId": "a", "meetingTypeId": "m"})
        answer = strict_sandbox.http.request(endpoint.method, url, headers=auth)
        assert (answer.status_code == 404 and answer.json()["message"] == f"Cannot {endpoint.method} {url}") == (
            not endpoint.documented), endpoint.name


def test_strict_refuses_an_assumed_query_and_both_refuse_an_unknown_one(sandbox, strict_sandbox):
    auth = {"Authorization": f"Bearer {KEY}"}
    assert strict_sandbox.http.get("/v4/user", headers=auth).status_code == 200
    for box, query, field in ((strict_sandbox, "limit=5", "limit"), (sandbox, "email=a%40b.c", "email"),
                              (sandbox, "limit=five", "limit")):
        answer = box.http.get(f"/v4/user?{query}", headers=auth)
        message = "limit must be an integer" if query == "limit=five" else f"property {field} should not exist"
        assert answer.json() == {"statusCode": 400, "message": "Validation failed", "error": "Bad Request",
                                 "errors": [{"field": field, "message": message}]}
    assert sandbox.http.get("/v4/user?limit=5&skip=0", headers=auth).status_code == 200


def test_the_sandbox_refuses_a_field_outside_the_contract_in_the_documented_error_shape(tmp_path, sandbox):
    write_user(tmp_path, 0)
    assert run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url).code == 0
    record = recorded(tmp_path, sandbox.url)["person00@example.com"]
    headers = {"Authorization": f"Bearer {KEY}", "x-meetergo-api-user-id": record["userId"]}
    answer = sandbox.http.patch(contract.path(contract.UPDATE_MEETING_TYPE, record), headers=headers,
                                json={"meetingInfo": {"duration": 45}, "color": "rgb(1, 2, 3)"})
    assert answer.json() == {"statusCode": 400, "message": "Validation failed", "error": "Bad Request", "errors": [
        {"field": "meetingInfo.duration", "message": "property duration should not exist"},
        {"field": "color", "message": "property color should not exist"}]}


# ---- the client sends only what the contract names
def test_the_client_refuses_a_body_outside_the_contract_before_sending(sandbox):
    from schedc.meetergo import SubmitError, call_async, submit

    with pytest.raises(SubmitError) as caught:
        asyncio.run(call_async(contract.UPDATE_USER, ids={"userId": "u1"}, acting_user="u1", api_key=KEY,
                               base_url=sandbox.url, body={"email": "new@example.com"}))
    assert (caught.value.kind, str(caught.value)) == (
        "contract", "the PATCH /v4/user/{userId} request does not fit the API contract: property email should not "
                    "exist (`email`)")
    with pytest.raises(SubmitError) as caught:
        submit({"email": "a@example.com", "meetingType": {"duration": "30"}}, api_key=KEY, base_url=sandbox.url)
    assert str(caught.value) == ("the POST /v4/user request does not fit the API contract: duration must be a number "
                                 "(`meetingType.duration`)")
    with pytest.raises(ValueError, match="needs the acting user's id"):
        asyncio.run(call_async(contract.READ_USER, ids={"userId": "u1"}, api_key=KEY, base_url=sandbox.url))
    assert sandbox.requests() == []


@pytest.mark.parametrize("path", sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.json")))
def test_every_compiled_example_is_documented_to_the_last_field(path):
    body = json.loads((EXAMPLES / path).read_text(encoding="utf-8"))  # what the golden tests hold compile to print
    assert contract.problems(contract.CREATE_USER, body, strict=True) == []


# ---- the checker itself
LEAVES = {"string": st.text(max_size=3), "number": st.integers(5, 480), "integer": st.integers(0, 9),
          "boolean": st.booleans()}


@st.composite
def documented_bodies(draw, endpoint):
    """A body built from the endpoint's documented fields only, each of its type."""
    body: dict = {}
    for field in endpoint.request:
        if not field.documented or "[]" in field.path or field.type in ("object", "array") or not draw(st.booleans()):
            continue
        *outer, last = field.path.replace("{day}", draw(st.sampled_from(contract.DAY_KEYS))).split(".")
        place = body
        for key in outer:
            place = place.setdefault(key, {})
        place[last] = draw(LEAVES[field.type])
    for field in endpoint.request:
        if field.required:
            body.setdefault(field.path, {"integer": 2026, "number": 5, "boolean": True}.get(field.type, "x"))
    return body


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([e for e in contract.ENDPOINTS if e.request]).flatmap(
    lambda e: st.tuples(st.just(e), documented_bodies(e))), st.text(min_size=1, max_size=6))
def test_a_body_of_documented_fields_fits_and_one_stray_key_is_named(pair, stray):
    endpoint, body = pair
    assert contract.problems(endpoint, body, strict=True) == []
    if stray in body or any(c in stray for c in ".[]{}") or endpoint.field(stray) is not None:
        return
    assert contract.problems(endpoint, {**body, stray: 1}) == [(stray, f"property {stray} should not exist")]


def test_match_prefers_the_literal_path_and_unquotes_ids():
    assert contract.match("GET", "/v4/user/me") == (contract.ME, {})
    assert contract.match("GET", "/v4/user/a%2Fb") == (contract.READ_USER, {"userId": "a/b"})
    assert contract.path(contract.READ_USER, {"userId": "a/b"}) == "/v4/user/a%2Fb"
    assert contract.match("GET", "/v4/user/") is None and contract.match("DELETE", "/v4/user/x") is None


def test_every_assumption_named_is_defined_and_used():
    named = {a for endpoint in contract.ENDPOINTS for a in endpoint.assumptions()}
    assert named == set(contract.ASSUMPTION)
    for endpoint in contract.ENDPOINTS:
        assert endpoint.cites and all(f.cites for f in endpoint.request + endpoint.query + endpoint.response)


# ---- docs/apply.md lists the assumptions as the contract states them
def test_docs_list_the_contracts_assumptions():
    page = (ROOT / "docs" / "apply.md").read_text(encoding="utf-8")
    section = page.split("## Assumptions about the API", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- \*\*`([\w-]+)`\*\* \(([^)]*)\)\. (.*(?:\n  .*)*)", section, flags=re.M)
    assert [(name, cites, " ".join(text.split())) for name, cites, text in listed] == [
        (a.name, a.cites, a.text) for a in contract.ASSUMPTIONS]


def test_the_contract_is_plain_data_that_loads_no_http_client_or_models():
    import subprocess
    import sys

    code = ("import sys, schedc.meetergo.contract, schedc.sync.plan; "
            "print(sorted(m for m in ('httpx', 'pydantic', 'asyncio', 'schedc.meetergo.client') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout == "[]\n"
