"""Submit under faults: the sandbox's drip fault, the campaign's rate-limit judge, and a short
campaign (20 users, 2 SIGKILLs) through `bench/submit_faults.py` as a subprocess."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

from hypothesis import given, settings, strategies as st

from conftest import ROOT
from submit_support import journal_entries, paced, sandbox, sandbox_process, submit, write_user  # noqa: F401

spec = importlib.util.spec_from_file_location("submit_faults", ROOT / "bench" / "submit_faults.py")
campaign = importlib.util.module_from_spec(spec)
spec.loader.exec_module(campaign)


def test_a_drip_fault_creates_the_user_then_answers_too_slowly_for_the_deadline(tmp_path, sandbox):
    write_user(tmp_path, 0)
    sandbox.faults({"kind": "drip", "seconds": 0.5})
    run = submit(tmp_path, "person00.sched", "--timeout", "1", "--attempts", "1", "--json", base=sandbox.url)
    assert run.code == 3
    [line] = run.lines()
    assert (line["outcome"], line["message"], line["uncertain"]) == ("failed", "no whole answer within 1 s", True)
    [request] = sandbox.requests()
    assert (request["status"], request["dripped"]) == (201, True)
    assert [u["email"] for u in sandbox.users()] == ["person00@example.com"]  # the server acted
    assert journal_entries(run.journal)[-1]["uncertain"] is True


def test_a_drip_fault_with_no_pause_delivers_the_whole_answer_byte_by_byte(tmp_path, sandbox):
    write_user(tmp_path, 1)
    sandbox.faults({"kind": "drip", "seconds": 0})
    run = submit(tmp_path, "person01.sched", "--json", base=sandbox.url)
    assert run.code == 0
    [line] = run.lines()
    [user] = sandbox.users()
    assert (line["outcome"], line["userId"], line["meetingTypeId"]) == ("created", user["userId"], user["meetingTypeId"])


def test_the_rate_judge_passes_a_paced_sequence_and_catches_one_request_too_many():
    rate, burst = 2.0, 3
    paced = [0.0, 0.0, 0.0] + [0.5 * n for n in range(1, 20)]
    assert campaign.over_limit(paced, rate, burst, 0.0) == 0
    assert campaign.over_limit(paced + [5.0], rate, burst, 0.0) == 1
    assert campaign.over_limit([0.0] * 6, rate, burst, 1.0) == 2
    assert campaign.busiest_minute([0.0, 30.0, 59.9, 60.0, 61.0]) == 4


@settings(max_examples=200, deadline=None)
@given(gaps=st.lists(st.floats(min_value=0, max_value=3, allow_nan=False), max_size=60),
       rate=st.floats(min_value=0.2, max_value=50), burst=st.integers(min_value=1, max_value=10))
def test_whatever_a_token_bucket_lets_through_the_judge_accepts_and_one_more_at_once_it_refuses(gaps, rate, burst):
    from schedc.meetergo.pacing import TokenBucket

    bucket, now, times = TokenBucket(rate, burst, 0.0), 0.0, []
    for gap in gaps:  # each request waits as long as the bucket says, as schedc's pacer does
        now += gap
        now += bucket.reserve(now)
        times.append(now)
    assert campaign.over_limit(times, rate, burst, 1e-6) == 0
    crowd = [times[-1] if times else 0.0] * (burst + 1)
    assert campaign.over_limit(times + crowd, rate, burst, 0.0) >= 1


def test_help_names_the_properties_it_checks():
    done = subprocess.run([sys.executable, "bench/submit_faults.py", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    assert "exactly once" in done.stdout and "--kills" in done.stdout and "--time-limit" in done.stdout


def test_a_short_campaign_under_faults_and_kills_settles_every_user_exactly_once(tmp_path):
    done = subprocess.run(
        [sys.executable, "bench/submit_faults.py", "--users", "20", "--kills", "2", "--quick", "--max-runs", "12",
         "--time-limit", "90", "--work", str(tmp_path / "campaign"), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    result = json.loads(done.stdout)
    failed = {name: check["detail"] for name, check in result["checks"].items() if not check["ok"]}
    assert failed == {}, failed
    assert done.returncode == 0
    figures = result["figures"]
    assert figures["kills"] == 2 and figures["users"] == 20
    assert figures["faults in all"] > 0
    assert set(result["checks"]) == {"done", "created exactly once", "journal equals server",
                                     "within the rate limit", "key in no output"}


def _paced(history, since, count, monkeypatch):
    """The moments at which a Pacer (rate 1/s, burst 3) that remembers `history` (wall-clock
    times; the wall clock reads 1000 at the start) lets `count` requests go, on the fake clock."""
    from schedc.meetergo.pacer import Pacer

    return paced(monkeypatch, Pacer(rate=1, burst=3, history=history, since=since), count)


def test_a_run_after_runs_that_sent_at_the_full_rate_all_through_the_remembered_window_sends_no_burst(monkeypatch):
    # Found by this campaign at 100/min: runs killed one after another had sent at the full rate
    # without a pause, and the next run took the bucket to be full where its memory (120 s)
    # begins, so it sent a burst on top of an empty bucket (9 requests beyond the pace).
    history = [880.0 + n for n in range(120)]  # one a second, from the window's start to a second ago
    assert _paced(history, since=880.0, count=3, monkeypatch=monkeypatch) == [1.0, 2.0, 3.0]


def test_a_pause_longer_than_a_refill_before_the_remembered_requests_leaves_the_burst_intact(monkeypatch):
    history = [990.0, 990.0, 990.0]  # a burst ten seconds ago, long after the window began
    assert _paced(history, since=880.0, count=4, monkeypatch=monkeypatch) == [0.0, 0.0, 0.0, 1.0]
    assert _paced([], since=880.0, count=4, monkeypatch=monkeypatch) == [0.0, 0.0, 0.0, 1.0]
