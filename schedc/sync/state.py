"""The state file of `schedc plan` and `schedc apply`: what schedc made on the server, per e-mail.

One JSON document, versioned, rewritten whole and atomically (a temporary file beside it,
fsynced, then renamed over it), so a crash leaves either the old state or the new one. While
`apply` works it holds an advisory lock on a `.lock` file beside the state (beside the file a
symlinked state points at: every way of naming one state takes the same lock), so two runs on
the same state cannot interleave. Only a regular file (or none yet) is a state: a device such as
`/dev/null` is refused before anything is created beside it, and the state is read under a size
limit (`files.read`). The state holds ids, the request body last applied and times;
never a key.

```json
{"format": "schedc-state", "version": 1, "serial": 7,
 "servers": {"https://api.meetergo.com": {"users": {"ana@example.com": {
     "file": "team/ana.sched", "userId": "…", "availabilityId": "…", "meetingTypeId": "…",
     "bookingUrl": "…", "companyId": "…", "createdAt": "…", "appliedAt": "…",
     "applied": {…the request body, or the parts of it known to be on the server…},
     "holidays": {"region": "DE-BY", "years": [2026, 2027]}}}}}}
```

Each `file` is relative to the state file's folder (as the paths in the configuration are to
the configuration file's), so a run from any directory reads the state alike; in memory it is
relative to the current directory, as the paths a command is given are.

`serial` counts the writes of the state (a state without one is at 0): a plan saved with
`schedc plan -o` names the serial it was made from, and `schedc apply PLANFILE` refuses a state
written since. An entry may also carry `"creating": {"hash": …, "since": …}` while its `POST /v4/user` is in
flight: a run killed then leaves the trace that the user may exist. Standard library only.

A state whose entries are not as schedc writes them (an entry that is not an object, an id that
is not one, an `applied` body of the wrong shape) is refused as damaged, as a whole: guessing
what a damaged entry meant could send the wrong change.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any, Iterable, Optional

from ..meetergo.contract import ID

FORMAT = "schedc-state"
VERSION = 1
DEFAULT_STATE = ".schedc-state.json"


class StateError(Exception):
    """The state file cannot be used: unreadable, not schedc's, newer, or locked by another run."""


RESTORE = "restore it from version control or a backup (see docs/apply.md, \"Losing the state\")"
_IDS = ("userId", "availabilityId", "meetingTypeId", "companyId")
_TEXTS = ("file", "bookingUrl", "createdAt", "appliedAt", "from")


def entry_problem(entry: Any) -> Optional[str]:
    """What makes one user's entry unusable ("has `userId` that is not an id"), or None when it
    is as schedc writes it: ids, texts, the `applied` body (`plan.body_problem`), `creating`."""
    from .plan import body_problem

    if not isinstance(entry, dict):
        return "is not an object"
    for name in _IDS:
        value = entry.get(name)
        if value is not None and not (isinstance(value, str) and ID.fullmatch(value)):
            return f"has `{name}` that is not an id"
    for name in _TEXTS:
        if entry.get(name) is not None and not isinstance(entry[name], str):
            return f"has `{name}` that is not a string"
    creating = entry.get("creating")
    if creating is not None and (not isinstance(creating, dict) or any(
            creating.get(k) is not None and not isinstance(creating[k], str) for k in ("hash", "since"))):
        return "has `creating` that is not as schedc writes it"
    holidays = entry.get("holidays")
    if holidays is not None and (not isinstance(holidays, dict) or not isinstance(holidays.get("region"), str)
                                 or not isinstance(holidays.get("years"), list)
                                 or not all(type(y) is int for y in holidays["years"])):
        return "has `holidays` that is not as schedc writes it"
    problem = body_problem(entry["applied"]) if entry.get("applied") is not None else None
    return f"has an `applied` body that is not as schedc writes it ({problem})" if problem else None


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class State:
    """The state file at `path`: `load()` it, read and change `users(base)`, `save()` it.

    `with state:` holds the lock (and reloads, so what another run wrote is seen).
    """

    def __init__(self, path: str = DEFAULT_STATE, limit: Optional[int] = None):
        from ..files import DEFAULT_LIMIT, GROWING

        self.path = path
        self.limit = limit or DEFAULT_LIMIT * GROWING
        self.servers: dict[str, dict] = {}
        self.serial = 0  # how many times the state was written: a saved plan names the one it was made from
        self._lock = None

    # ---- reading
    def load(self) -> "State":
        from ..files import read

        try:
            data = read(self.path, self.limit)
        except FileNotFoundError:
            self.servers, self.serial = {}, 0
            return self
        except OSError as exc:
            raise StateError(f"cannot read the state `{self.path}`: {exc.strerror or exc}") from None
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise StateError(f"the state `{self.path}` is not valid JSON; {RESTORE}") from None
        except RecursionError:
            raise StateError(f"the state `{self.path}` is damaged: it is nested too deep to read; {RESTORE}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise StateError(f"`{self.path}` is not a schedc state file")
        version = document.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version > VERSION:
            raise StateError(f"the state `{self.path}` has version {version!r}, newer than this schedc "
                             f"understands ({VERSION}): upgrade schedc")
        servers = document.get("servers")
        if not isinstance(servers, dict) or not all(
                isinstance(s, dict) and isinstance(s.get("users"), dict) for s in servers.values()):
            raise StateError(f"the state `{self.path}` is damaged: `servers` is not as schedc writes it; {RESTORE}")
        for server in servers.values():
            for email, entry in server["users"].items():
                problem = entry_problem(entry)
                if problem:
                    raise StateError(f"the state `{self.path}` is damaged: the entry of `{email}` {problem}; "
                                     f"{RESTORE}")
        serial = document.get("serial", 0)
        if isinstance(serial, bool) or not isinstance(serial, int) or serial < 0:
            raise StateError(f"the state `{self.path}` is damaged: `serial` is not a whole number; {RESTORE}")
        from ..files import folder_of, read_from

        folder = folder_of(self.path)
        for server in servers.values():
            for entry in server["users"].values():
                if isinstance(entry.get("file"), str):
                    entry["file"] = read_from(entry["file"], folder)
        self.servers, self.serial = servers, serial
        return self

    def users(self, base: str) -> dict[str, dict]:
        """The users recorded for one base URL, by lower-case e-mail (a live view: change it)."""
        return self.servers.setdefault(base, {"users": {}})["users"]

    def user(self, base: str, email: str) -> Optional[dict]:
        return self.servers.get(base, {}).get("users", {}).get(email.lower())

    # ---- carrying over what `submit` did
    def carry_over(self, base: str, journal_entries: Iterable[dict], bodies: dict[str, tuple[str, dict]]) -> list[str]:
        """Take the users a `submit` journal records as created (for `base`) that the state does not
        know yet. `bodies` maps each e-mail to the (hash, body) its file compiles to now: when the
        journal's hash is the same, that body is what was sent, so it counts as applied; otherwise
        what is on the server is unknown. A `sending` line with no outcome after it becomes a
        `creating` trace. Returns the e-mails taken over."""
        known = self.users(base)
        last: dict[str, dict] = {}
        holidays: dict[str, dict] = {}  # e-mail → the region and years its holiday requests added
        for entry in journal_entries:
            if entry.get("base") != base or not isinstance(entry.get("email"), str):
                continue
            if entry.get("step") == "holidays":
                _holiday_done(holidays, entry)
                continue
            email = entry["email"].lower()
            if entry.get("outcome") == "created" or email not in last or last[email].get("outcome") != "created":
                last[email] = entry
        taken = []
        for email, entry in last.items():
            if email in known:
                continue
            if entry.get("outcome") == "created":
                current = bodies.get(email)
                applied = current[1] if current and current[0] == entry.get("hash") else None
                known[email] = {"file": _text(entry.get("file")), **{k: _id(entry.get(k)) for k in _IDS[:3]},
                                "bookingUrl": _text(entry.get("bookingUrl")), "companyId": _id(entry.get("companyId")),
                                "createdAt": _text(entry.get("time")), "appliedAt": _text(entry.get("time")),
                                "applied": applied, "from": "journal"}
                if email in holidays:
                    known[email]["holidays"] = holidays[email]
                taken.append(email)
            elif entry.get("outcome") in ("sending", "uncertain") or (
                    entry.get("outcome") == "failed" and entry.get("uncertain")):
                known[email] = {"file": _text(entry.get("file")),
                                "creating": {"hash": _text(entry.get("hash")), "since": _text(entry.get("time"))}}
                taken.append(email)
        return taken

    # ---- writing
    def __enter__(self) -> "State":
        self.lock()
        return self

    def __exit__(self, *exc) -> None:
        self.unlock()

    def lock(self) -> None:
        """Take the lock beside the state (without waiting) and reload the state under it."""
        from ..files import lock

        self._regular_or_none()
        target = os.path.realpath(self.path)  # a symlinked state takes the lock of the file it names
        lock_path = (target if target != os.path.abspath(self.path) else self.path) + ".lock"
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            raise StateError(f"cannot open the lock `{lock_path}`: {exc.strerror or exc}") from None
        if not lock(fd):
            os.close(fd)
            raise StateError(f"the state `{self.path}` is in use by another schedc run "
                             f"(it holds `{lock_path}`); wait for it to finish") from None
        self._lock = fd
        try:
            self.load()
        except StateError:
            self.unlock()
            raise

    def _regular_or_none(self) -> None:
        """Refuse a state that is not a regular file before a lock is made beside it."""
        import stat

        from ..files import not_a_file

        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise StateError(f"cannot read the state `{self.path}`: {exc.strerror or exc}") from None
        if not stat.S_ISREG(mode):
            raise StateError(f"cannot use the state `{self.path}`: {not_a_file(mode)}")

    def unlock(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor releases the lock
            self._lock = None

    def save(self) -> None:
        """Write the whole state atomically. Only a regular file (or nothing) is replaced; a
        symlink is followed and its target replaced."""
        from ..files import folder_of, replace, written_from
        from ..secrets import json_file

        folder = folder_of(self.path)
        servers = {base: {**server, "users": {
            email: {**entry, "file": written_from(entry["file"], folder)} if isinstance(entry.get("file"), str)
            else entry for email, entry in server["users"].items()}} for base, server in self.servers.items()}
        self.serial += 1
        document = {"format": FORMAT, "version": VERSION, "serial": self.serial, "servers": servers}
        text = json_file(document, indent=2) + "\n"

        try:
            replace(self.path, text)
        except OSError as exc:
            raise StateError(f"cannot write the state `{self.path}`: {exc.strerror or exc}") from None


def _holiday_done(found: dict, entry: dict) -> None:
    """Note a holiday request the journal shows done (`found`: e-mail → {region, years})."""
    body = entry.get("body")
    if entry.get("outcome") != "done" or not isinstance(body, dict) or type(body.get("year")) is not int:
        return
    from ..meetergo.journal import holiday_region

    region = holiday_region(body)
    email = entry["email"].lower()
    known = found.get(email)
    if known is None or known["region"] != region:
        known = found[email] = {"region": region, "years": []}
    if body["year"] not in known["years"]:
        known["years"] = sorted(known["years"] + [body["year"]])


def _id(value: Any) -> Optional[str]:
    """A journal's id as the state keeps it: the id, or None when it is none (see ID)."""
    return value if isinstance(value, str) and ID.fullmatch(value) else None


def _text(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


__all__ = ["DEFAULT_STATE", "FORMAT", "ID", "RESTORE", "State", "StateError", "VERSION", "entry_problem", "now"]
