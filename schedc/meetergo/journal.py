"""The journal of `submit`: an append-only JSON-lines record of every outcome and of when each
request left. Standard library only, so `plan` can read a journal without loading httpx."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Optional

from .errors import SubmitError


class Journal:
    """An append-only JSON-lines record of every outcome, flushed and fsynced line by line.

    Entries are keyed by base URL, e-mail and the hash of the body sent. A `sending` line is
    written before the first attempt, so a run killed mid-request leaves a trace that the
    next run treats as "this user may exist already".
    """

    def __init__(self, path: Optional[str], limit: Optional[int] = None):
        from ..files import DEFAULT_LIMIT, GROWING

        self.path = path  # None: remember this run only, write nothing
        self.limit = limit or DEFAULT_LIMIT * GROWING  # the most read back from it (`files.read`)
        self._handle = None
        self.entries: list[dict] = []
        self._memory: dict[tuple[str, str], Memory] = {}  # (base, e-mail) → what the entries say
        self._holidays: dict[tuple[str, str], dict[str, dict]] = {}  # (base, e-mail) → {holiday key: last entry}
        self._sent: dict[str, list[float]] = {}  # base → times requests were sent
        self._broken: Optional[str] = None  # why the journal stopped taking lines

    @staticmethod
    def parse(data: bytes) -> list[dict]:
        """The entries of a journal's bytes; a line cut short by a crash is left out."""
        entries = []
        for line in data.splitlines():
            try:
                entry = json.loads(line)
            except (ValueError, RecursionError):  # RecursionError: a line nested too deep to read
                continue
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def _regular_file_or_none(self) -> None:
        """A journal is a regular file (or none yet): reading a device such as /dev/zero never
        ends, and appending to a pipe keeps nothing."""
        import stat

        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SubmitError(f"cannot open the journal `{self.path}`: {exc.strerror or exc}", kind="journal") from None
        if not stat.S_ISREG(mode):
            raise SubmitError(f"the journal `{self.path}` is not a regular file", kind="journal")

    def read(self) -> "Journal":
        """Load the entries without opening the journal for writing (for a dry run)."""
        from ..files import read

        self._regular_file_or_none()
        try:
            self._load(self.parse(read(self.path, self.limit)))
        except FileNotFoundError:
            self._load([])
        except (OSError, TypeError) as exc:
            raise SubmitError(f"cannot read the journal `{self.path}`: {getattr(exc, 'strerror', None) or exc}",
                              kind="journal") from None
        return self

    def __enter__(self) -> "Journal":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        if self.path is None:
            return
        self._regular_file_or_none()
        try:
            handle = open(self.path, "a+b", buffering=0)  # unbuffered: a failed write stays failed
        except OSError as exc:
            raise SubmitError(f"cannot open the journal `{self.path}`: {exc.strerror or exc}", kind="journal") from None
        from ..files import lock, read_stream

        if not lock(handle.fileno()):
            handle.close()
            raise SubmitError(f"the journal `{self.path}` is in use by another schedc run", kind="journal") from None

        handle.seek(0)
        try:
            data = read_stream(handle, self.limit)
        except OSError as exc:  # larger than the limit, or unreadable
            handle.close()
            raise SubmitError(f"cannot read the journal `{self.path}`: {exc.strerror or exc}", kind="journal") from None
        self._load(self.parse(data))
        self._handle = handle
        if data and not data.endswith(b"\n"):
            self._write(b"\n")  # finish a cut line so the next one starts clean

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _load(self, entries: list[dict]) -> None:
        self.entries, self._memory, self._sent, self._holidays = [], {}, {}, {}
        for entry in entries:
            self._remember(entry)

    def _remember(self, entry: dict) -> None:
        self.entries.append(entry)
        base = str(entry.get("base", ""))
        if "sent" in entry:
            if isinstance(entry["sent"], (int, float)):
                self._sent.setdefault(base, []).append(float(entry["sent"]))
            return
        if "email" not in entry:
            return
        key = (base, str(entry["email"]).lower())
        if entry.get("step") == "holidays":  # a follow-up request after the user, not the user itself
            self._holidays.setdefault(key, {})[holiday_key(entry.get("body"))] = entry
            return
        previous = self._memory.get(key, Memory(None, False))
        outcome = entry.get("outcome")
        created = entry if outcome == "created" else previous.created
        # `sending` with no outcome after it: the run stopped mid-request. An outcome line
        # already carries any doubt it inherited, so it replaces what came before.
        uncertain = outcome in ("sending", "uncertain") or (outcome == "failed" and bool(entry.get("uncertain")))
        sent_hash = entry.get("hash") if outcome == "sending" else previous.sent_hash
        self._memory[key] = Memory(created, uncertain, sent_hash)

    def record(self, entry: dict) -> None:
        """Add an entry and make it durable before returning. A journal that cannot be written
        (disk full, file too large, permission lost) raises `SubmitError`: going on would send
        requests whose outcome nobody could remember."""
        from ..secrets import json_file

        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **entry}
        self._remember(entry)
        if self.path is not None and isinstance(entry.get("file"), str):  # relative to the journal's folder
            from ..files import folder_of, written_from

            entry = {**entry, "file": written_from(entry["file"], folder_of(self.path))}
        self._write(json_file(entry).encode("utf-8") + b"\n")

    def _write(self, data: bytes) -> None:
        if self._handle is None:
            return
        if self._broken:
            raise SubmitError(self._broken, kind="journal")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._handle.fileno(), view):]
            os.fsync(self._handle.fileno())
        except OSError as exc:
            self._broken = f"cannot write the journal `{self.path}`: {exc.strerror or exc}"
            raise SubmitError(self._broken, kind="journal") from None

    def state(self, base_url: str, email: str) -> "Memory":
        """What earlier runs against `base_url` found for `email` (one dictionary look-up)."""
        return self._memory.get((base_url, email.lower()), Memory(None, False))

    def holidays_done(self, base_url: str, email: str) -> set[str]:
        """The holiday requests (`holiday_key`) an earlier run saw succeed for `email`."""
        found = self._holidays.get((base_url, email.lower()), {})
        return {key for key, entry in found.items() if entry.get("outcome") == "done"}

    def sent_since(self, base_url: str, since: float) -> list[float]:
        """The wall-clock times of requests sent to `base_url` after `since`."""
        return [t for t in self._sent.get(base_url, ()) if t >= since]


def holiday_key(body) -> str:
    """One holiday request as journal and plan name it: `2026 DE-BY`."""
    if not isinstance(body, dict):
        return ""
    return f"{body.get('year')} {holiday_region(body)}"


def holiday_region(body: dict) -> str:
    """The region of a holiday request's body: `DE-BY`, `US`."""
    return "-".join(str(body[k]) for k in ("country", "germanState") if body.get(k))


@dataclass(frozen=True)
class Memory:
    created: Optional[dict]  # the last `created` entry
    uncertain: bool  # the last attempt may have created the user without our knowing
    sent_hash: Optional[str] = None  # the body hash of the last attempt (its `sending` line)


__all__ = ["Journal", "Memory", "holiday_key", "holiday_region"]
