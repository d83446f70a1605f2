"""The key never leaves (issue 25): the commands as a user runs them, against the sandbox on
127.0.0.1 playing a hostile server, with every output, the journal and the state searched for
the key. One section per item of the issue."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import ROOT
from submit_support import (FAST, KEY, KEY_UUID, SECRET, Run, assert_no_key, journal_entries,  # noqa: F401
                            journal_lines, sandbox, sandbox_process, submit_env, write_team, write_user)

STATE, JOURNAL = ".schedc-state.json", ".schedc-journal.jsonl"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"  # a terminal title and a cleared screen, if printed raw


def schedc(cwd: Path, command: str, *args: str, key=KEY, base=None, env=None, fast=True) -> Run:
    """`schedc COMMAND ARGS` in `cwd` (`key` None: no key in the environment); asserts that no
    part of the key is in stdout, stderr, the journal or the state."""
    argv = [sys.executable, "-m", "schedc", command, *(FAST if fast else ()), *args]
    if base is not None:
        argv += ["--base-url", base]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env={**submit_env(key), **(env or {})},
                          timeout=60)
    files = {name: (Path(cwd) / name).read_text(encoding="utf-8") if (Path(cwd) / name).exists() else ""
             for name in (STATE, JOURNAL)}
    assert_no_key(KEY, done.stdout, done.stderr, *files.values())
    return Run(done.returncode, done.stdout, done.stderr, files[JOURNAL])


def state_users(cwd: Path, base: str) -> dict:
    return json.loads((Path(cwd) / STATE).read_text(encoding="utf-8"))["servers"][base]["users"]


def no_raw_controls(*texts: str) -> None:
    for text in texts:
        assert not any(c in text for c in "\x1b\x07\u202e"), "a control character reached the terminal raw"


# ---- 1. a schedule that is, or links to, the key file; quotes and windows cut around a key
@pytest.mark.parametrize("command", ["check", "submit", "plan --refresh", "apply"])
def test_a_schedule_linked_to_the_key_file_shows_no_key(tmp_path, sandbox, command):
    (tmp_path / "sec").mkdir()
    (tmp_path / "sec" / "k").write_text(KEY + "\n")
    write_team(tmp_path, 1)
    (tmp_path / "team" / "k.sched").symlink_to("../sec/k")
    first, *rest = command.split()
    extra = () if first == "check" else ("--api-key-file", "sec/k")
    done = schedc(tmp_path, first, *rest, *extra, "team", key=None, base=None if first == "check" else sandbox.url,
                  fast=first != "check")
    header, bar, excerpt = done.stderr.splitlines()[:3]
    assert header == ("team/k.sched:1:3: error[SC001]: unexpected `_live:<redacted>:<redacted>`, expected a time "
                      "like `09:00`, `tz`, `off`, `,` or …")
    assert (bar, excerpt) == ("  |", "1 | <redacted>")
    assert done.code == 1
    assert sandbox.requests() == []


def test_a_long_secret_leaves_no_tail_in_a_shortened_quote(tmp_path):
    secret = "Zq" + "".join(f"{n:x}" for n in range(10_000, 10_040))  # 162 characters, none repeated
    key = f"ak_live:{KEY_UUID}:{secret}"
    (tmp_path / "long.sched").write_text(f"tz UTC\nMon 09:00-10:00 {secret}\n")
    done = subprocess.run([sys.executable, "-m", "schedc", "check", "long.sched"], capture_output=True, text=True,
                          cwd=tmp_path, env={**submit_env(key)}, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:3] == [
        "long.sched:2:17: error[SC001]: unexpected `<redacted>`, expected `tz`, `,` or the end of the statement "
        "(`;` or a new line)", "  |", "2 | Mon 09:00-10:00 <redacted>"]
    for start in range(len(secret) - 8):  # no 8 characters of the secret, wherever a cut fell
        assert secret[start:start + 8] not in done.stderr


def test_import_of_a_link_to_the_environment_quotes_nothing_of_it(tmp_path):
    (tmp_path / "x.json").symlink_to("/proc/self/environ")
    done = subprocess.run([sys.executable, "-m", "schedc", "import", "x.json"], capture_output=True, text=True,
                          cwd=tmp_path, env={**submit_env(), "SCHEDC_NEIGHBOUR": "a-variable-of-its-own"},
                          timeout=60)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("x.json:1:1: error[SC401]: not valid JSON: expecting value\n"
                           "help: the input must be one JSON object, the body of `POST /v4/user`\n\n")


@pytest.mark.parametrize("before", [150, 170, 190, 205, 215])
def test_an_excerpt_window_that_cuts_through_a_key_shows_no_part_of_it(tmp_path, before):
    # The window around an error is about 200 characters: with the key `before` characters into
    # the string, the cut falls before it, inside it (the uuid, the secret) or after it.
    (tmp_path / "cut.json").write_text('{"email": "a@example.com", "givenName": "' + "x" * before + KEY)
    for env_key in (KEY, None):
        done = subprocess.run([sys.executable, "-m", "schedc", "import", "cut.json"], capture_output=True, text=True,
                              cwd=tmp_path, env=submit_env(env_key), timeout=60)
        assert done.returncode == 1 and "error[SC401]" in done.stderr
        for part in (SECRET, KEY_UUID):
            for start in range(len(part) - 5):
                assert part[start:start + 6] not in done.stderr, (env_key, part[start:start + 6])


@settings(max_examples=300, deadline=None)
@given(before=st.integers(min_value=0, max_value=400), after=st.integers(min_value=0, max_value=400),
       mark=st.integers(min_value=0, max_value=900), known=st.booleans(), glue=st.sampled_from(["y", " ", "="]))
def test_no_window_of_a_long_line_holds_a_fragment_of_the_key(before, after, mark, known, glue):
    from unittest import mock

    from schedc.diagnostics import Span, error
    from schedc.report import render

    line = glue * before + KEY + "z" * after
    column = min(mark, len(line)) + 1
    with mock.patch.dict(os.environ, {"MEETERGO_API_KEY": KEY} if known else {}, clear=False):
        if not known:
            os.environ.pop("MEETERGO_API_KEY", None)
        shown = render(error("SC001", "here", Span(1, column, 1, column + 1), path="a.sched"), line)
    for part in (SECRET, KEY_UUID):
        for start in range(len(part) - 5):
            assert part[start:start + 6] not in shown


# ---- 2 and 6. what a hostile server says back
ECHOED = {"statusCode": 400, "message": "{authorization}", "error": "{authorization}",
          "errors": [{"field": "{authorization}", "message": "{authorization}"}]}


@pytest.mark.parametrize("status", [400, 401, 403, 409, 500])
def test_a_server_echoing_the_key_in_any_status_is_redacted_everywhere(tmp_path, sandbox, status):
    write_team(tmp_path, 2)
    body = {**ECHOED, "statusCode": status}
    sandbox.faults({"kind": "status", "status": status, "body": body, "reason": "{authorization}", "times": 20})
    for extra in ((), ("--json",)):
        done = schedc(tmp_path, "submit", *extra, "team", "--attempts", "2", base=sandbox.url)
        assert done.code in (1, 2, 3)
        assert "Bearer <redacted>" in done.stdout + done.stderr
    for extra in ((), ("--json",)):
        done = schedc(tmp_path, "apply", "--auto-approve", *extra, "team", "--attempts", "2", base=sandbox.url)
        assert done.code in (1, 2, 3) and "Bearer <redacted>" in done.stdout + done.stderr
    sent = [r for r in sandbox.requests() if r["path"] == "/v4/user"]
    assert sent and all(r["headers"]["Authorization"] == f"Bearer {KEY}" for r in sent)  # it did see the key


def test_the_exact_lines_of_a_400_that_echoes_the_key(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "status", "status": 400, "body": {"message": "{authorization} is wrong"}})
    done = schedc(tmp_path, "submit", "--json", "person00.sched", base=sandbox.url)
    assert done.code == 1
    assert done.lines() == [{"file": "person00.sched", "email": "person00@example.com", "outcome": "rejected",
                             "status": 400, "message": "Bearer <redacted> is wrong", "errors": [], "attempts": 1}]
    assert journal_entries(done.journal)[-1]["message"] == "Bearer <redacted> is wrong"
    assert done.stderr == ("person00.sched: error[SC300]: the server rejected the request (HTTP 400): Bearer "
                           "<redacted> is wrong\n\n1 file submitted: 0 created, 0 skipped, 1 failed (1 rejected)\n")


def test_a_201_carrying_the_key_in_its_ids_is_not_recorded_as_created(tmp_path, sandbox):
    write_team(tmp_path, 1)
    ids = {"userId": "{authorization}", "availabilityId": "ak_live:{authorization}", "meetingTypeId": "m1",
           "bookingUrl": "https://cal.example.com/{authorization}", "companyId": "c1"}
    sandbox.faults({"kind": "status", "status": 201, "body": ids, "times": 2})
    applied = schedc(tmp_path, "apply", "--auto-approve", "--json", "team", base=sandbox.url)
    assert applied.code == 3
    [line] = applied.lines()
    assert (line["outcome"], line["status"], line["message"]) == (
        "failed", 201, "the server answered HTTP 201 without a usable id for the new user")
    entry = state_users(tmp_path, sandbox.url)["person00@example.com"]
    assert set(entry) == {"file", "creating"}  # the trace that the user may exist, and nothing the server said
    submitted = schedc(tmp_path, "submit", "--json", "team", base=sandbox.url)
    assert submitted.code == 3
    [line] = submitted.lines()
    assert (line["outcome"], line["uncertain"]) == ("failed", True)


def test_server_text_is_escaped_on_the_terminal_and_in_json(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "status", "status": 400, "body": {"message": f"bad {ESCAPES} \u202eevil"}},
                   {"kind": "status", "status": 201, "body": {"userId": "u-1", "bookingUrl": f"https://x/{ESCAPES}"}})
    rejected = schedc(tmp_path, "submit", "person00.sched", base=sandbox.url)
    assert rejected.stdout == ("rejected  person00@example.com  HTTP 400: bad \\x1b]0;pwned\\x07\\x1b[2J \\u202eevil  "
                               "(person00.sched)\n")
    no_raw_controls(rejected.stdout, rejected.stderr)
    created = schedc(tmp_path, "submit", "--json", "person00.sched", base=sandbox.url)
    assert created.code == 0
    assert '"bookingUrl": "https://x/\\\\x1b]0;pwned\\\\x07\\\\x1b[2J"' in created.stdout
    no_raw_controls(created.stdout, created.stderr)


def test_file_names_with_bidirectional_controls_are_escaped_in_text_and_json(tmp_path, sandbox):
    (tmp_path / "team").mkdir()
    write_user(tmp_path / "team", 0).rename(tmp_path / "team" / "ana\u202egpj.sched")
    done = schedc(tmp_path, "submit", "--json", "team", base=sandbox.url)
    assert done.code == 0
    assert '"file": "team/ana\\u202egpj.sched"' in done.stdout
    assert done.lines()[0]["file"] == "team/ana\u202egpj.sched"  # still the file's name, once parsed
    plan = schedc(tmp_path, "plan", "team", base=sandbox.url)
    assert plan.stdout == "unchanged person00@example.com  (team/ana\\u202egpj.sched)\n"
    no_raw_controls(done.stdout, plan.stdout, plan.stderr)


def test_bidirectional_controls_in_names_and_comments_are_sc006(tmp_path):
    (tmp_path / "a.sched").write_text('user Ana Lima <ana@example.com> tz UTC\n'
                                      'availability "Office \u202ehours"  # \u2066note\u2069\n'
                                      'Mon 09:00-10:00 # fine\n# \u202bx # schedc: ignore[SC006]\n')
    done = subprocess.run([sys.executable, "-m", "schedc", "check", "--format", "json", "a.sched"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0
    assert [(d["code"], d["severity"], d["line"], d["column"]) for d in json.loads(done.stdout)] == [
        ("SC006", "warning", 2, 22)]
    assert "\u202e" not in done.stdout and "\u2066" not in done.stdout
    rule = subprocess.run([sys.executable, "-m", "schedc", "rule", "SC006"], capture_output=True, text=True,
                          timeout=60)
    assert rule.stdout.startswith("## SC006 — a bidirectional control character\n")


# ---- 3. a key given as a PATH, a key in a setting
@pytest.mark.parametrize("key", [KEY, None])
def test_a_key_given_as_a_path_is_not_echoed(tmp_path, key):
    for command in ("check", "submit", "plan", "apply"):
        done = schedc(tmp_path, command, KEY, key=key, fast=command != "check")
        assert done.code == 2
        assert "schedc: error: cannot read `<redacted>`: no such file or directory\n" in done.stderr
    pat = schedc(tmp_path, "check", "rgo-0123456789abcdefXYZ", key=key, fast=False)
    assert pat.stderr.startswith("schedc: error: cannot read `<redacted>`")


def test_show_settings_never_prints_a_key_valued_setting(tmp_path):
    (tmp_path / "schedc.toml").write_text(f'journal = "{KEY}"\nstate = "rgo-0123456789abcdef"\n')
    for key in (KEY, None):
        done = schedc(tmp_path, "check", "--show-settings", key=key, fast=False)
        assert done.code == 0
        shown = dict(line.split("  #")[0].rstrip().split(" = ") for line in done.stdout.splitlines()
                     if " = " in line)
        assert (shown["journal"], shown["state"]) == ('"<redacted>"', '"<redacted>"')


# ---- 4. apply paces from the journal, across runs
def _judge():
    import importlib.util

    spec = importlib.util.spec_from_file_location("submit_faults", ROOT / "bench" / "submit_faults.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_back_to_back_applies_keep_to_one_rate_between_them(tmp_path, sandbox):
    judge = _judge()
    team = write_team(tmp_path, 1)
    slow = ("--rate", "12/min", "--burst", "1")  # a token every 5 s: no start-up of a second run refills one
    first = schedc(tmp_path, "apply", "--auto-approve", "team", *slow, base=sandbox.url)
    assert first.code == 0, first.stderr
    write_user(team, 1)
    second = schedc(tmp_path, "apply", "--auto-approve", "--no-refresh", "team", *slow, base=sandbox.url)  # no reads
    assert second.code == 0, second.stderr
    assert [line.split()[0] for line in second.stdout.splitlines()] == ["unchanged", "created"]
    sent = [line["sent"] for line in journal_lines(second.journal) if line.get("base") == sandbox.url]
    arrived = [r["received"] for r in sandbox.requests()]
    assert len(sent) == len(arrived) == 2
    # Without the journal's memory the second run took its pacer to be full and sent at once.
    assert judge.over_limit(sent, 12 / 60, 1, 0.01) == 0
    assert judge.over_limit(arrived, 12 / 60, 1, 0.05) == 0


def test_plan_refresh_records_its_requests_and_a_held_journal_stops_apply(tmp_path, sandbox):
    import fcntl

    write_team(tmp_path, 2)
    assert schedc(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    refreshed = schedc(tmp_path, "plan", "--refresh", "team", base=sandbox.url)
    assert refreshed.code == 0
    gets = [r for r in sandbox.requests() if r["method"] == "GET"]
    sent = [line for line in journal_lines(refreshed.journal) if "sent" in line]
    assert len(gets) == 6 and len(sent) == 2 + 6  # two POSTs, then three GETs per user
    with open(tmp_path / JOURNAL, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        blocked = schedc(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url)
    assert blocked.code == 2
    assert blocked.stderr == f"schedc: error: the journal `{JOURNAL}` is in use by another schedc run\n"


# ---- 5. --timeout bounds every attempt of apply and plan --refresh
def test_apply_stops_a_dripping_answer_at_the_deadline(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "drip", "seconds": 0.5})
    done = schedc(tmp_path, "apply", "--auto-approve", "--json", "person00.sched", "--timeout", "1", "--attempts", "1",
                  base=sandbox.url)
    assert done.code == 3
    [line] = done.lines()
    assert (line["outcome"], line["message"], line["attempts"]) == ("failed", "no whole answer within 1 s", 1)
    assert set(state_users(tmp_path, sandbox.url)["person00@example.com"]) == {"file", "creating"}


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_refresh_stops_a_dripping_answer_at_the_deadline(tmp_path, sandbox, command):
    write_team(tmp_path, 1)
    assert schedc(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    sandbox.faults({"kind": "drip", "seconds": 0.5})
    done = schedc(tmp_path, command, "--refresh", "team", "--timeout", "1", "--attempts", "1", base=sandbox.url)
    assert done.code == 3
    assert done.stderr.startswith("schedc: error: team/person00.sched: still failing after 1 attempt: no whole "
                                  "answer within 1 s\n")


# ---- 7. damaged states, and answers that are not as documented
def _state(entry_json: str) -> str:
    return ('{"format": "schedc-state", "version": 1, "servers": {"%s": {"users": {"person00@example.com": '
            + entry_json + '}}}}')


@pytest.mark.parametrize("entry, problem", [
    ('"x"', "the entry of `person00@example.com` is not an object"),
    ("5", "the entry of `person00@example.com` is not an object"),
    ('{"userId": 123}', "the entry of `person00@example.com` has `userId` that is not an id"),
    ('{"userId": "u1", "file": ["x"]}', "the entry of `person00@example.com` has `file` that is not a string"),
    ('{"userId": "u1", "applied": "x"}',
     "the entry of `person00@example.com` has an `applied` body that is not as schedc writes it (it is not an object)"),
    ('{"userId": "u1", "applied": {"availability": {"schedule": {"monday": {"hours": true}}}}}',
     "the entry of `person00@example.com` has an `applied` body that is not as schedc writes it "
     "(`availability.schedule.monday.hours` is not a list)"),
    ('{"creating": "yes"}', "the entry of `person00@example.com` has `creating` that is not as schedc writes it"),
    ("[" * 100_000 + "]" * 100_000, "it is nested too deep to read"),
])
def test_a_damaged_state_is_refused_as_damaged(tmp_path, sandbox, entry, problem):
    write_team(tmp_path, 1)
    (tmp_path / STATE).write_text(_state(entry) % sandbox.url)
    for command in ("plan", "apply"):
        done = schedc(tmp_path, command, "team", base=sandbox.url)
        assert (done.code, done.stdout) == (2, "")
        assert done.stderr == (f"schedc: error: the state `{STATE}` is damaged: {problem}; restore it from version "
                               "control or a backup (see docs/apply.md, \"Losing the state\")\n")
    assert sandbox.requests() == []


def test_a_refresh_answer_not_as_documented_is_a_clear_error(tmp_path, sandbox):
    write_team(tmp_path, 1)
    assert schedc(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    odd = {"id": "a1", "name": "Office hours", "timezone": "Europe/London",
           "schedule": {"monday": {"enabled": True, "hours": True}}}
    for command in ("plan", "apply"):
        sandbox.faults({"kind": "status", "status": 200, "body": odd})
        done = schedc(tmp_path, command, "--refresh", "team", base=sandbox.url)
        assert done.code == 3
        assert done.stderr.startswith(
            "schedc: error: team/person00.sched: the server answered HTTP 200 for the availability of "
            "`person00@example.com`, but not as the API documents it: `schedule.monday.hours` is not a list; "
            "nothing of this user was compared or changed\n")
        assert "internal error" not in done.stderr


def test_a_201_that_is_not_json_is_an_uncertain_outcome_that_the_next_run_settles(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "status", "status": 201, "raw": "Created"})
    first = schedc(tmp_path, "submit", "--json", "person00.sched", base=sandbox.url)
    assert first.code == 3
    [line] = first.lines()
    assert (line["outcome"], line["status"], line["uncertain"], line["message"]) == (
        "failed", 201, True, "the server answered HTTP 201 without the new user's ids (its answer is not a JSON "
                             "object)")
    second = schedc(tmp_path, "submit", "--json", "person00.sched", base=sandbox.url)
    assert second.code == 0 and second.lines()[0]["outcome"] == "created"
    assert [r["method"] for r in sandbox.requests()] == ["POST", "GET", "POST"]  # looked up before sending again


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=6)
PLACES = [(), ("userId",), ("file",), ("applied",), ("applied", "email"), ("applied", "availability"),
          ("applied", "availability", "schedule"), ("applied", "availability", "schedule", "monday"),
          ("applied", "availability", "schedule", "monday", "hours"),
          ("applied", "availability", "schedule", "monday", "hours", 0), ("applied", "meetingType"),
          ("applied", "meetingType", "duration"), ("applied", "meetingType", "name"), ("creating",),
          ("creating", "hash"), ("bookingUrl",)]


@settings(max_examples=400, deadline=None)
@given(place=st.sampled_from(PLACES), value=JSON)
def test_whatever_one_value_of_a_state_becomes_it_is_read_or_refused_as_damaged(tmp_path_factory, place, value):
    import schedc as api
    from schedc.sync import plan
    from schedc.sync.apply import Target, make_plan
    from schedc.sync.state import State, StateError

    folder = tmp_path_factory.mktemp("state")
    source = write_user(folder, 0)
    body = json.loads(api.load(source).to_json())
    entry = {"file": str(source), "userId": "u1", "availabilityId": "a1", "meetingTypeId": "m1",
             "applied": json.loads(json.dumps(body)), "creating": {"hash": "h", "since": "t"}}
    if place == ():
        entry = value
    else:
        holder = entry
        for key in place[:-1]:
            holder = holder[key]
        holder[place[-1]] = value
    (folder / STATE).write_text(json.dumps({"format": "schedc-state", "version": 1,
                                            "servers": {"b": {"users": {"person00@example.com": entry}}}}))
    try:
        users = State(str(folder / STATE)).load().users("b")
    except StateError as exc:
        assert "is damaged: the entry of `person00@example.com`" in str(exc)
        return
    target = Target(str(source), source.read_bytes(), body["email"], body, b"")
    for entry_ in make_plan([target], users, [str(folder)]):  # no exception, whatever was read
        assert entry_.action in ("create", "update", "none")
    plan.drift(users["person00@example.com"].get("applied"), {})


@settings(max_examples=400, deadline=None)
@given(part=st.sampled_from(["availability", "meetingType", "user"]), data=JSON,
       inner=st.sampled_from([None, "schedule", "meetingInfo"]), value=JSON)
def test_an_answer_is_read_whole_or_called_not_as_documented(part, data, inner, value):
    from schedc.sync import plan

    if inner is not None and isinstance(data, dict):
        data[inner] = value
    if plan.answer_problem(part, data) is not None:
        return
    read = {"availability": plan.availability_fields, "meetingType": plan.meeting_fields, "user": plan.user_fields}[part]
    for change in plan.diff({"email": "a@example.com", "availability": {"schedule": {}}}, None, read(data))[0]:
        change.describe()


# ---- 2 and 6 for what apply and plan read: the refresh GETs, saved plans
def test_a_saved_plan_of_a_server_echoing_the_key_holds_none_and_still_applies(tmp_path, sandbox):
    write_team(tmp_path, 1)
    assert schedc(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    echoed = {"id": "u1", "email": "person00@example.com", "givenName": "{authorization}", "familyName": ESCAPES + "\u202eevil",
              "timezone": "Europe/London"}
    user_read = [{}, {}, {"kind": "status", "status": 200, "body": echoed}]  # GET availability, meeting type, user
    sandbox.faults(*user_read)
    planned = schedc(tmp_path, "plan", "--refresh", "-o", "p.plan", "team", base=sandbox.url)
    assert planned.code == 0, planned.stderr
    assert planned.stdout == ('update    person00@example.com  (team/person00.sched)\n'
                              '            given name: "Bearer <redacted>" -> "Ana"  (changed on the server)\n'
                              '            family name: "\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil" -> "Tester00"  (changed '
                              'on the server)\n')
    saved = (tmp_path / "p.plan").read_text(encoding="utf-8")
    assert_no_key(KEY, saved)
    no_raw_controls(saved)
    changes = json.loads(saved)["entries"][0]["changes"]
    assert [c["from"] for c in changes] == ["Bearer <redacted>", ESCAPES + "\u202eevil"]  # escaped as JSON, read back the same
    shown = schedc(tmp_path, "show", "p.plan", fast=False)
    assert (shown.code, shown.stdout) == (0, planned.stdout)
    sandbox.faults(*user_read)  # the server as the plan found it
    applied = schedc(tmp_path, "apply", "p.plan", base=sandbox.url)
    assert (applied.code, applied.stdout) == (0, "updated   person00@example.com  sent user  (team/person00.sched)\n")


@pytest.mark.parametrize("where, value", [("notes", 5), ("notes", True), ("reason", []), ("reason", {"a": 1})])
def test_a_damaged_saved_plan_is_refused_as_damaged(tmp_path, sandbox, where, value):
    write_team(tmp_path, 1)
    assert schedc(tmp_path, "plan", "-o", "p.plan", "team", base=sandbox.url).code == 0
    plan = json.loads((tmp_path / "p.plan").read_text(encoding="utf-8"))
    entry = plan["entries"][0]
    if where == "notes":
        entry["notes"] = value
    else:
        entry["changes"] = [{"part": "user", "field": "givenName", "from": "A", "to": "B", "reason": value}]
    (tmp_path / "p.plan").write_text(json.dumps(plan))
    for command in (("show", "p.plan"), ("show", "--json", "p.plan"), ("apply", "p.plan")):
        done = schedc(tmp_path, *command, base=sandbox.url if command[0] == "apply" else None, fast=command[0] == "apply")
        assert (done.code, done.stdout) == (2, "")
        assert done.stderr == ("schedc: error: the plan `p.plan` is damaged: `entries` is not as schedc writes it; "
                               "make it again with `schedc plan -o`\n")
    assert sandbox.requests() == []


def test_a_file_name_with_terminal_controls_is_escaped_on_stderr(tmp_path, sandbox):
    write_team(tmp_path, 1)
    assert schedc(tmp_path, "plan", "-o", "p.plan", "team", base=sandbox.url).code == 0
    plan = json.loads((tmp_path / "p.plan").read_text(encoding="utf-8"))
    plan["files"][0]["path"] = "team/\x1b[2J\x1b]0;pwned\x07x.sched"
    (tmp_path / "p.plan").write_text(json.dumps(plan))
    done = schedc(tmp_path, "apply", "p.plan", base=sandbox.url)
    assert done.code == 2
    assert done.stderr.startswith("schedc: error: cannot read `team/\\x1b[2J\\x1b]0;pwned\\x07x.sched`: no such file")
    no_raw_controls(done.stdout, done.stderr)
