"""Pacing and backoff: pure arithmetic over a clock, shared by the client and the sandbox.

No I/O and no imports beyond the standard library, so both sides of a rehearsal (and the
property tests) use exactly the same rules.
"""

from __future__ import annotations

import email.utils
import math
import random
import re
import time
from dataclasses import dataclass
from typing import Callable, Optional

_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0,
          "h": 3600.0, "hour": 3600.0}


def parse_rate(text: str) -> float:
    """`100/min`, `2/s`, `500/hour` → requests per second. ValueError on anything else."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+?)s?\s*", text.lower())
    if not match or match.group(2) not in _UNITS:
        raise ValueError(f"not a rate: {text!r} (write it like 100/min or 2/s)")
    per_second = float(match.group(1)) / _UNITS[match.group(2)]
    if per_second <= 0:
        raise ValueError(f"a rate must be above zero, not {text!r}")
    return per_second


class TokenBucket:
    """`rate` tokens per second, holding at most `burst`; starts full.

    The client calls `reserve`, which always grants a token and says how long to wait before
    using it (so waiters queue in order). The sandbox calls `take`, which grants only a token
    that is there now. Either way, over any window of `t` seconds at most `burst + rate * t`
    tokens are granted.
    """

    def __init__(self, rate: float, burst: float, now: float):
        if rate <= 0 or burst < 1:
            raise ValueError("a token bucket needs rate > 0 and burst >= 1")
        self.rate, self.burst = float(rate), float(burst)
        self._tokens, self._stamp = float(burst), now

    def _refill(self, now: float) -> None:
        if now > self._stamp:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now

    def reserve(self, now: float) -> float:
        """Claim the next token; return the seconds to wait until it may be used (0 if now)."""
        self._refill(now)
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def take(self, now: float) -> bool:
        """Take a token if one is there now."""
        self._refill(now)
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def retry_after(self, now: float) -> float:
        """Seconds until `take` would succeed."""
        self._refill(now)
        return max(0.0, (1.0 - self._tokens) / self.rate)


@dataclass(frozen=True)
class Backoff:
    """Bounded retries with exponential backoff and full jitter.

    Attempt `n` (1-based) that failed waits a random time in `[0, min(cap, base * 2**(n-1))]`.
    A server's `Retry-After` is honoured as a lower bound, but never beyond `max_wait`;
    a longer one means the attempt is not retried.
    """

    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0
    max_wait: float = 120.0

    def __post_init__(self):
        if self.attempts < 1 or self.base < 0 or self.cap < 0 or self.max_wait < 0:
            raise ValueError("backoff needs attempts >= 1 and non-negative times")

    def delay(self, attempt: int, retry_after: Optional[float] = None,
              rand: Callable[[], float] = random.random) -> Optional[float]:
        """Seconds to wait after failed attempt `attempt`, or None when no retry is left."""
        if attempt >= self.attempts:
            return None
        ceiling = min(self.cap, self.base * 2.0 ** min(attempt - 1, 60))
        wait = rand() * ceiling
        if retry_after is not None:
            if retry_after > self.max_wait:
                return None
            wait = max(wait, retry_after)
        return wait


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """A `Retry-After` header (seconds or an HTTP date) → seconds from now, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None or when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)
