"""The pacer of a run: one token bucket (`pacing.TokenBucket`) shared by every request of a
batch in its event loop, with a memory of earlier runs kept in the journal."""

from __future__ import annotations

import asyncio
import time
from typing import Callable, Optional, Sequence

from .journal import Journal
from .outcomes import Watch
from .pacing import TokenBucket


class Pacer:
    """An async token bucket shared by every request of a batch (retries included).

    Waiters queue one at a time, so the next reservation is made when the previous waiter
    actually woke: an event loop that stalls cannot release a backlog of requests at once.
    """

    def __init__(self, rate: float, burst: int = 1, watch: Optional[Watch] = None,
                 history: Sequence[float] = (), on_send: Optional[Callable[[float], None]] = None,
                 since: Optional[float] = None):
        """`history` holds the wall-clock times of requests an earlier run sent (from the
        journal), so a restarted run spends what is left of the window instead of a fresh
        burst; `since` is the wall-clock time from which `history` is complete (older
        requests are forgotten, so the bucket is taken to be empty then); `on_send` hears the
        wall-clock time of each request let through."""
        self.rate, self.burst, self.watch = rate, burst, watch
        self.history, self.on_send, self.since = sorted(history), on_send, since
        self._bucket: Optional[TokenBucket] = None
        self._queue: Optional[asyncio.Lock] = None
        self._loop = None  # the event loop `_queue` belongs to

    def _start(self, now: float) -> TokenBucket:
        """A bucket as it stands after the earlier requests, in the loop's clock."""
        offset = now - time.time()  # wall clock → loop clock
        if self.since is not None and self.history:
            # What came before `since` is forgotten. Runs that kept sending at the full rate
            # right up to it left the bucket empty, and a bucket assumed full there let the next
            # run send a whole burst too many. Assumed empty at `since`, it has refilled by the
            # first remembered request unless runs really were sending all along.
            start = min(self.since, self.history[0]) + offset
            bucket = TokenBucket(self.rate, self.burst, start)
            for _ in range(int(self.burst)):
                bucket.reserve(start)
        else:
            bucket = TokenBucket(self.rate, self.burst, (self.history[0] + offset) if self.history else now)
        for sent in self.history:
            bucket.reserve(sent + offset)
        return bucket

    async def __call__(self) -> None:
        loop = asyncio.get_running_loop()
        if self._bucket is None:
            self._bucket = self._start(loop.time())
        if self._queue is None or self._loop is not loop:  # a lock serves one loop (`plan --refresh`, then apply)
            self._queue, self._loop = asyncio.Lock(), loop
        async with self._queue:
            wait = self._bucket.reserve(loop.time())
            if wait > 0:
                if self.watch is not None:
                    self.watch("pacing", wait=wait)
                await asyncio.sleep(wait)
            if self.on_send is not None:
                self.on_send(time.time())


RATE_MEMORY = 120.0  # seconds of earlier runs' requests the pacer remembers


def journal_pacer(rate: float, burst: int, base: str, journal: Journal, watch: Optional[Watch] = None) -> Pacer:
    """The pacer of one run against `base` (`rate` requests a second, bursts of `burst`), with its
    memory in `journal`: it starts from the
    requests earlier runs sent there in the last RATE_MEMORY seconds, and records the moment of
    each request it lets through (a `sent` line) before the request leaves. `submit`, `plan
    --refresh` and `apply` all pace this way, so runs back to back, or killed and started
    again, keep to one rate between them."""
    since = time.time() - RATE_MEMORY
    return Pacer(rate, burst, watch, history=journal.sent_since(base, since), since=since,
                 on_send=lambda moment: journal.record({"base": base, "sent": round(moment, 3)}))


__all__ = ["Pacer", "RATE_MEMORY", "journal_pacer"]
