"""Pacing and backoff as properties: the bucket never grants more than its rate allows, and
every backoff delay stays within its bounds."""

from __future__ import annotations

import email.utils

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schedc.meetergo.pacing import Backoff, TokenBucket, parse_rate, parse_retry_after

rates = st.floats(min_value=0.1, max_value=100, allow_nan=False)
bursts = st.integers(min_value=1, max_value=20)
gaps = st.lists(st.floats(min_value=0, max_value=2, allow_nan=False), min_size=1, max_size=80)


def most_in_a_window(times: list[float], width: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times if start <= t <= start + width) for start in times)


def grants(bucket: TokenBucket, arrivals: list[float], how: str) -> list[float]:
    """When each request may go: `reserve` queues every one, `take` refuses what has no token."""
    now, granted = 0.0, []
    for gap in arrivals:
        now += gap
        if how == "reserve":
            wait = bucket.reserve(now)
            assert wait >= 0
            granted.append(now + wait)
        elif bucket.take(now):
            granted.append(now)
        else:
            assert 0 < bucket.retry_after(now) <= 1 / bucket.rate + 1e-9
    return granted


@pytest.mark.parametrize("how", ["reserve", "take"])
@settings(max_examples=150, deadline=None)
@given(rate=rates, burst=bursts, arrivals=gaps, width=st.floats(min_value=0.01, max_value=10))
def test_a_bucket_never_grants_more_than_burst_plus_rate_times_window(how, rate, burst, arrivals, width):
    granted = grants(TokenBucket(rate, burst, 0.0), arrivals, how)
    assert granted == sorted(granted)  # first come, first served
    if granted:
        assert most_in_a_window(granted, width) <= burst + rate * width + 1e-6


def test_a_steady_stream_gets_exactly_the_rate():
    bucket = TokenBucket(100 / 60, 10, 0.0)
    granted = [bucket.reserve(0.0) for _ in range(110)]
    assert granted[:10] == [0.0] * 10
    assert granted[-1] == pytest.approx(100 * 0.6)  # 100 more after the burst take one minute


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10), st.floats(min_value=0, max_value=5),
       st.floats(min_value=0, max_value=60), st.integers(min_value=1, max_value=40),
       st.one_of(st.none(), st.floats(min_value=0, max_value=300)), st.floats(min_value=0, max_value=1))
def test_backoff_delays_stay_in_bounds(attempts, base, cap, attempt, retry_after, draw):
    backoff = Backoff(attempts=attempts, base=base, cap=cap, max_wait=120)
    delay = backoff.delay(attempt, retry_after, rand=lambda: draw)
    if attempt >= attempts or (retry_after is not None and retry_after > 120):
        assert delay is None
        return
    ceiling = min(cap, base * 2 ** (attempt - 1))
    assert delay is not None and 0 <= delay
    if retry_after is None:
        assert delay <= ceiling
    else:
        assert retry_after <= delay <= max(ceiling, retry_after)


def test_full_jitter_spans_the_whole_interval():
    backoff = Backoff(attempts=5, base=1, cap=30)
    assert [backoff.delay(n, rand=lambda: 1.0) for n in range(1, 5)] == [1, 2, 4, 8]
    assert backoff.delay(3, rand=lambda: 0.0) == 0
    assert backoff.delay(5) is None


@pytest.mark.parametrize("text, per_second", [("100/min", 100 / 60), ("2/s", 2), ("90/minute", 1.5),
                                              ("3600/hour", 1), ("0.5/sec", 0.5), ("10 / mins", 10 / 60)])
def test_rates(text, per_second):
    assert parse_rate(text) == pytest.approx(per_second)


@pytest.mark.parametrize("text", ["100", "0/min", "5/fortnight", "fast", "-1/s"])
def test_bad_rates(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def test_retry_after_forms():
    assert parse_retry_after("7") == 7
    assert parse_retry_after("0.25") == 0.25
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after(email.utils.formatdate(1000.0 + 30, usegmt=True), now=1000.0) == pytest.approx(30)
    assert parse_retry_after(email.utils.formatdate(0, usegmt=True), now=1000.0) == 0
