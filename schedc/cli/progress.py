"""A live status line for long batches (`submit`, and any command that sends many requests).

    [37/200] 37 created, 0 skipped, 0 failed  1.5/s  elapsed 0:25  eta 1:49  pacing: next request in 0.6 s

It is drawn on stderr only when stderr is a terminal, and redrawn in place (`\\r`, then erase
to the end of the line) a few times a second so that a countdown counts down. Anything else
the command prints goes through `print`, which takes the line away first and draws it again
after, so results and the status line never mix. On a pipe, in a file, or when switched off
(`--json`, `-q`'s callers decide) nothing at all is drawn and every method is a cheap no-op
apart from `print`.

Usage:

    with Progress(total=len(items), enabled=...) as progress:
        progress.wait("pacing", "pacing: next request in {left}", seconds=0.6)
        progress.print("created   ada@example.com  …", file=sys.stdout)
        progress.advance(tally="1 created, 0 failed")
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Callable, Optional, TextIO


class Progress:
    def __init__(self, total: int, *, stream: Optional[TextIO] = None, enabled: Optional[bool] = None,
                 clock: Callable[[], float] = time.monotonic, interval: float = 0.2):
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = _is_terminal(self.stream)
        self.enabled = enabled
        self.total, self.done, self.clock, self.interval = total, 0, clock, interval
        self.tally = ""  # the caller's counts, shown after done/total ("3 created, 1 failed")
        self.started = clock()
        self._waits: dict[str, tuple[str, float, int]] = {}  # key → (template, until, order)
        self._order = 0
        self._lock = threading.RLock()
        self._shown = False
        self._stop = threading.Event()
        self._ticker: Optional[threading.Thread] = None

    # ---- the lifecycle
    def start(self) -> "Progress":
        if self.enabled and self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="schedc-progress", daemon=True)
            self._ticker.start()
            self.draw()
        return self

    def close(self) -> None:
        """Stop redrawing and take the line away; safe to call more than once."""
        self._stop.set()
        if self._ticker is not None and self._ticker is not threading.current_thread():
            self._ticker.join()
        self._ticker = None
        self.clear()

    def __enter__(self) -> "Progress":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self.draw()

    # ---- what happened
    def advance(self, count: int = 1, tally: Optional[str] = None) -> None:
        with self._lock:
            self.done += count
            if tally is not None:
                self.tally = tally
        self.draw()

    def wait(self, key: str, template: str, seconds: float) -> None:
        """Say what the batch waits for; `{left}` in `template` counts down the seconds left.
        The newest wait still running is shown; a wait drops out by itself when it is over."""
        with self._lock:
            self._order += 1
            self._waits[key] = (template, self.clock() + max(0.0, seconds), self._order)
        self.draw()

    def print(self, text: str, file: Optional[TextIO] = None) -> None:
        """Print a line of output without tearing the status line."""
        with self._lock:
            self.clear()
            print(text, file=file if file is not None else sys.stdout, flush=True)
        self.draw()

    # ---- drawing
    def status(self) -> str:
        """The status line's text (without any terminal control)."""
        now = self.clock()
        elapsed = now - self.started
        parts = [f"[{self.done}/{self.total}]" + (f" {self.tally}" if self.tally else "")]
        if self.done and elapsed > 0:
            per_second = self.done / elapsed
            parts.append(f"{per_second:.1f}/s" if per_second >= 1 else f"{per_second * 60:.1f}/min")
        parts.append(f"elapsed {_clock(elapsed)}")
        if self.done and self.done < self.total:
            parts.append(f"eta {_clock(elapsed / self.done * (self.total - self.done))}")
        waiting = self._current_wait(now)
        if waiting:
            parts.append(waiting)
        return "  ".join(parts)

    def _current_wait(self, now: float) -> Optional[str]:
        with self._lock:
            for key in [k for k, (_, until, _) in self._waits.items() if until <= now]:
                del self._waits[key]
            if not self._waits:
                return None
            template, until, _ = max(self._waits.values(), key=lambda w: w[2])
        return template.format(left=f"{until - now:.1f} s")

    def draw(self) -> None:
        if not self.enabled or self._stop.is_set():
            return
        with self._lock:
            line = self.status()
            width = _width(self.stream)
            if len(line) >= width:  # a wrapped line could not be redrawn in place
                line = line[: max(width - 2, 1)] + "…"
            try:
                self.stream.write("\r" + line + "\x1b[K")
                self.stream.flush()
            except (OSError, ValueError):
                self.enabled = False
                return
            self._shown = True

    def clear(self) -> None:
        with self._lock:
            if self._shown:
                try:
                    self.stream.write("\r\x1b[K")
                    self.stream.flush()
                except (OSError, ValueError):
                    self.enabled = False
                self._shown = False


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (OSError, AttributeError, ValueError):
        return 80


__all__ = ["Progress"]
