"""The Python API of `schedc.meetergo` against the sandbox, and the pieces it is built from."""

from __future__ import annotations

import asyncio
import pickle
import uuid

import httpx
import pytest

import schedc
from schedc.meetergo.pacing import Backoff
from schedc.meetergo.rejections import field_span
from schedc.meetergo import (
    AlreadyExists,
    ApiKey,
    Created,
    Failed,
    FieldError,
    Journal,
    Rejected,
    SubmitError,
    check_base_url,
    key_from_environment,
    submit,
    submit_async,
)
from submit_support import KEY, KEY_UUID, SECRET, assert_no_key, paced, sandbox, sandbox_process  # noqa: F401

FAST = Backoff(attempts=3, base=0.001)
BODY = {"email": "ana@example.com", "givenName": "Ana", "familyName": "Lima", "timezone": "Europe/London"}
TEXT = ('user Ana Lima <ana@example.com> tz Europe/Lisbon\n'
        'availability "Desk" tz Europe/London\n'
        'Mon-Fri 09:00-12:00\nSat 10:00-11:00\n'
        'meeting "Intro" 30min zoom slug ana-intro\n')


def test_submit_creates_a_user(sandbox):
    request = schedc.compile(TEXT)
    outcome = submit(request, api_key=KEY, base_url=sandbox.url, backoff=FAST)
    assert isinstance(outcome, Created)
    [user] = sandbox.users()
    assert (outcome.user_id, outcome.availability_id, outcome.meeting_type_id, outcome.company_id) == (
        user["userId"], user["availabilityId"], user["meetingTypeId"], user["companyId"])
    assert all(uuid.UUID(x) for x in (outcome.user_id, outcome.availability_id, outcome.meeting_type_id))
    assert outcome.company_id == str(uuid.uuid5(uuid.NAMESPACE_URL, KEY_UUID))
    assert outcome.booking_url == "https://cal.meetergo.com/ana-lima/ana-intro"
    assert outcome.attempts == 1
    assert sandbox.requests()[0]["body"] == request.to_json()
    assert_no_key(KEY, repr(outcome))


def test_the_sandbox_rejects_a_bad_email_and_zone_with_field_errors(sandbox):
    outcome = submit({**BODY, "email": "ana@", "timezone": "Mars/Olympus"}, api_key=KEY, base_url=sandbox.url)
    assert outcome == Rejected(400, "Validation failed", (
        FieldError("email", "Invalid email format"), FieldError("timezone", "Invalid timezone: Mars/Olympus")))


@pytest.mark.parametrize("key, status, message", [
    (f"ak_live:{KEY_UUID}:expired-key", 401, "API key has expired"),
    ("ak_live:short:abc", 401, "Invalid API key"),
    (f"ak_live:{KEY_UUID}:nosub-key", 403, "The API Platform subscription is not active for this company"),
])
def test_credential_rejections(sandbox, key, status, message):
    outcome = submit(BODY, api_key=key, base_url=sandbox.url)
    assert outcome == Rejected(status, message)
    assert outcome.credential


def test_the_sandbox_answers_a_personal_token_with_403_and_no_key_with_401(sandbox):
    # schedc itself never sends a personal token, so ask the sandbox directly
    pat = httpx.post(f"{sandbox.url}/v4/user", json=BODY, headers={"Authorization": "Bearer rgo-abc"})
    assert (pat.status_code, pat.json()["message"]) == (403, "Personal access tokens cannot create users")
    none = httpx.post(f"{sandbox.url}/v4/user", json=BODY)
    assert none.json() == {"statusCode": 401, "message": "Missing authorization header", "error": "Unauthorized"}


def test_a_personal_token_raises_before_sending(sandbox):
    with pytest.raises(SubmitError) as caught:
        submit(BODY, api_key="rgo-abcdef123456", base_url=sandbox.url)
    assert caught.value.kind == "key" and "Platform API Key" in str(caught.value)
    assert "rgo-abcdef123456" not in str(caught.value)
    assert sandbox.requests() == []


def test_conflict_and_a_lost_answer(sandbox):
    assert isinstance(submit(BODY, api_key=KEY, base_url=sandbox.url), Created)
    assert submit(BODY, api_key=KEY, base_url=sandbox.url) == AlreadyExists("A user with this email already exists")
    other = {**BODY, "email": "ben@example.com"}
    sandbox.faults({"kind": "drop", "when": "after"})
    assert submit(other, api_key=KEY, base_url=sandbox.url, backoff=FAST) == AlreadyExists(
        "A user with this email already exists", probably_ours=True, attempts=2)


def test_a_lost_answer_by_timeout_then_409_is_probably_ours(sandbox):
    sandbox.faults({"kind": "delay", "seconds": 2.5, "when": "after"})  # created, but answered too late
    outcome = submit(BODY, api_key=KEY, base_url=sandbox.url, timeout=0.5, backoff=FAST)
    assert outcome == AlreadyExists("A user with this email already exists", probably_ours=True, attempts=2)


def test_a_dropped_connection_before_the_server_acts_is_retried(sandbox):
    sandbox.faults({"kind": "drop", "when": "before"})
    outcome = submit(BODY, api_key=KEY, base_url=sandbox.url, backoff=FAST)
    assert isinstance(outcome, Created) and outcome.attempts == 2
    assert [r["status"] for r in sandbox.requests()] == [None, 201]


def test_a_connection_that_cannot_be_made_is_retried_then_failed():
    import socket

    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outcome = submit(BODY, api_key=KEY, base_url=f"http://127.0.0.1:{port}", backoff=Backoff(attempts=2, base=0))
    assert outcome == Failed("could not connect (All connection attempts failed)", None, attempts=2, uncertain=False)


def test_retry_after_is_honoured(sandbox):
    sandbox.faults({"kind": "status", "status": 429, "retry_after": "0.4", "times": 2})
    outcome = submit(BODY, api_key=KEY, base_url=sandbox.url, backoff=FAST)
    assert isinstance(outcome, Created) and outcome.attempts == 3
    received = sandbox.requests()
    assert [r["status"] for r in received] == [429, 429, 201]
    gaps = [b["received"] - a["received"] for a, b in zip(received, received[1:])]
    assert all(gap >= 0.38 for gap in gaps), gaps  # the backoff alone would wait at most 0.002 s


def test_429_without_retry_after_is_retried_then_failed(sandbox):
    sandbox.faults({"kind": "status", "status": 429, "times": 3})
    outcome = submit(BODY, api_key=KEY, base_url=sandbox.url, backoff=FAST)
    assert outcome == Failed("HTTP 429 Too Many Requests", 429, attempts=3, uncertain=False)
    assert [r["status"] for r in sandbox.requests()] == [429, 429, 429]


def test_the_sandbox_enforces_its_rate(sandbox):
    sandbox.reset(rate="1/min", burst=2)
    answers = [submit({**BODY, "email": f"u{n}@example.com"}, api_key=KEY, base_url=sandbox.url,
                      backoff=Backoff(attempts=1)) for n in range(3)]
    assert [type(a) for a in answers] == [Created, Created, Failed]
    assert answers[2].status == 429


def test_submit_async_runs_many_in_one_loop(sandbox):
    async def main():
        async with httpx.AsyncClient() as client:
            return await asyncio.gather(*(
                submit_async({**BODY, "email": f"p{n}@example.com"}, api_key=KEY, base_url=sandbox.url,
                             client=client) for n in range(5)))
    assert all(isinstance(o, Created) for o in asyncio.run(main()))
    assert len(sandbox.users()) == 5


# ---- the key
def test_the_key_never_shows_itself():
    key = ApiKey(KEY)
    assert repr(key) == str(key) == f"{key}" == "ApiKey(<redacted>)"
    assert key.authorization() == f"Bearer {KEY}"
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(AttributeError):
        key.secret = "x"
    assert not hasattr(key, "__dict__")


@pytest.mark.parametrize("text", ["", "   ", "ak_live:a b", "ak_live:\u00e9t\u00e9"])
def test_unusable_keys_are_refused_without_repeating_them(text):
    with pytest.raises(SubmitError) as caught:
        ApiKey(text)
    assert caught.value.kind == "key"
    assert not text.strip() or text not in str(caught.value)


def test_key_from_environment(tmp_path):
    assert key_from_environment({"MEETERGO_API_KEY": f" {KEY}\n"}).authorization() == f"Bearer {KEY}"
    (tmp_path / "k").write_text(KEY)
    assert key_from_environment({}, path=str(tmp_path / "k")).authorization() == f"Bearer {KEY}"
    with pytest.raises(SubmitError, match="no API key"):
        key_from_environment({})
    with pytest.raises(SubmitError) as caught:
        key_from_environment({"MEETERGO_API_KEY": KEY}, path=str(tmp_path / "nope"))
    assert str(caught.value) == f"cannot read the API key file `{tmp_path / 'nope'}`: No such file or directory"


@pytest.mark.parametrize("url, ok", [
    ("https://api.meetergo.com/", "https://api.meetergo.com"),
    ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
    ("http://localhost:1", "http://localhost:1"),
    ("http://[::1]:8080", "http://[::1]:8080"),
    ("http://127.5.5.5", "http://127.5.5.5"),
    ("http://10.0.0.1", None), ("http://api.meetergo.com", None), ("http://localhost.example.com", None),
    ("ftp://127.0.0.1", None), ("https://user:pw@api.meetergo.com", None), ("https://api.meetergo.com?x=1", None),
    ("api.meetergo.com", None),
])
def test_base_urls(url, ok):
    if ok is None:
        with pytest.raises(SubmitError):
            check_base_url(url)
    else:
        assert check_base_url(url) == ok


# ---- the journal
def test_the_journal_survives_a_line_cut_short(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(b'{"base": "b", "email": "a@x.io", "outcome": "created", "hash": "h"}\n{"base": "b", "ema')
    with Journal(str(path)) as journal:
        assert journal.state("b", "A@X.IO").created["hash"] == "h"
        journal.record({"base": "b", "email": "c@x.io", "outcome": "sending"})
    lines = path.read_bytes().split(b"\n")
    assert lines[1] == b'{"base": "b", "ema' and b'"c@x.io"' in lines[2]
    assert Journal(str(path)).read().state("b", "c@x.io").uncertain


def test_journal_memory_rules():
    journal = Journal(None)
    for outcome, extra in [("sending", {}), ("failed", {"uncertain": False}), ("sending", {}), ("rejected", {})]:
        journal.record({"base": "b", "email": "a@x.io", "outcome": outcome, **extra})
    assert journal.state("b", "a@x.io").uncertain is False
    journal.record({"base": "b", "email": "a@x.io", "outcome": "sending"})
    assert journal.state("b", "a@x.io").uncertain is True
    assert journal.state("other-base", "a@x.io").uncertain is False
    journal.record({"base": "b", "email": "a@x.io", "outcome": "failed", "uncertain": True})
    assert journal.state("b", "a@x.io") .uncertain is True and journal.state("b", "a@x.io").created is None


def test_a_journal_is_used_by_one_run_at_a_time(tmp_path):
    path = str(tmp_path / "j.jsonl")
    with Journal(path):
        with pytest.raises(SubmitError, match="in use by another schedc run"):
            Journal(path).open()


# ---- field → source
@pytest.mark.parametrize("field, where", [
    ("email", (1, 15)), ("givenName", (1, 6)), ("familyName", (1, 10)), ("timezone", (1, 36)),
    ("availability.timezone", (2, 24)), ("availability.name", (2, 14)),
    ("availability.schedule.saturday.hours[0].end", (4, 5)), ("availability.schedule.monday", (3, 9)),
    ("availability.schedule.sunday", (3, 1)),
    ("meetingType.slug", (5, 33)), ("meetingType[duration]", (5, 17)), ("meetingType.channel", (5, 23)),
    ("meetingType.name", (5, 9)), ("slug", None), ("", None),
])
def test_fields_lead_back_to_the_words_that_made_them(field, where):
    span = field_span(TEXT, field)
    assert (span.line, span.column) == where if where else span is None


def test_the_pacer_spaces_concurrent_callers_at_the_rate(monkeypatch):
    """On a clock the test controls: no wall time, so a loaded machine cannot make it fail."""
    from schedc.meetergo import Pacer

    times = paced(monkeypatch, Pacer(rate=50, burst=2), 12, together=True)
    assert times[:2] == [0.0, 0.0]  # the burst goes at once
    gaps = [round(b - a, 9) for a, b in zip(times[1:], times[2:])]
    assert gaps == [round(1 / 50, 9)] * 10  # then one every 1/50 s: 0.2 s for the other ten