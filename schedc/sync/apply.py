"""Planning and applying: compiled files + the state (+ the live server) → a plan → calls.

`make_plan` is pure. `refresh` reads the live availability, meeting type and user of every
managed user; `apply` carries a plan out: `POST /v4/user` for new users, one PATCH per changed part for
the others, each step recorded in the state before the next begins, so that a run that stops
anywhere resumes where it stopped. Both use `schedc.meetergo`'s client (key, retries, pacing).
Nothing here prints or exits; results come back as `Step`s.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from ..secrets import untrusted, untrusted_value
from . import plan
from .state import State, now


@dataclass(frozen=True)
class Target:
    """One compiled file: its name, source bytes, e-mail and request body."""

    file: str
    data: bytes
    email: str
    body: dict
    raw: bytes  # the body exactly as `schedc compile` prints it (what POST sends)
    holidays: Optional[str] = None  # the region of the file's `holidays` statement (`DE-BY`)


def make_plan(targets: Sequence[Target], users: dict[str, dict], scope: Sequence[str],
              live: Optional[dict[str, dict]] = None, broken: Sequence[str] = ()) -> list[plan.Entry]:
    """One entry per file, then one per recorded user no file under `scope` names any more.
    A user whose recorded file is among `broken` (files with errors) is not called gone, and with
    `live` a managed user missing from it (reading it failed) gets no entry."""
    entries = []
    years = _holiday_years()
    for target in targets:
        record = users.get(target.email.lower())
        if record is None or not record.get("userId"):
            entries.append(plan.Entry(target.file, target.email, "create",
                                   holidays=plan.holiday_plan(target.holidays, None, years)))
            continue
        fields = live.get(target.email.lower()) if live is not None else None
        if live is not None and fields is None:
            continue  # reading it failed (and was reported): nothing can be said of this user
        changes, notes = plan.diff(target.body, record.get("applied"), fields)
        holidays = plan.holiday_plan(target.holidays, record.get("holidays"), years,
                                  (fields or {}).get(HOLIDAY_YEARS))
        action = "update" if changes or (holidays is not None and holidays.send) else "none"
        entries.append(plan.Entry(target.file, target.email, action, changes, notes, holidays=holidays))
    present = {t.email.lower() for t in targets}
    broken = {_absolute(file) for file in broken}
    for email, record in sorted(users.items()):
        if (email not in present and record.get("userId") and _within(record.get("file"), scope)
                and _absolute(record["file"]) not in broken):
            entries.append(plan.Entry(str(record.get("file")), email, "none", gone=True))
    return entries


HOLIDAY_YEARS = ("holidays", "years")  # where the live fields keep the years the server has holiday exceptions in


def _holiday_years() -> tuple[int, ...]:
    """The years holidays are sent for: this one (`SCHEDC_TODAY`, else the date) to the API's last."""
    from ..compiler.clock_changes import today
    from ..meetergo import contract

    return contract.holiday_years(today().year)


def _within(file: Any, scope: Sequence[str]) -> bool:
    """Whether a recorded file lies in what this run looks at (a PATH given, or below one)."""
    if not isinstance(file, str):
        return False
    path = _absolute(file)
    for root in scope:
        root = _absolute(root)
        if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def _absolute(path: str) -> str:
    """A path named relative to the current directory (as the state names files once read), made
    absolute: `.` from `team/` and `team` from above are the same folder."""
    return os.path.normcase(os.path.abspath(path))


@dataclass(frozen=True)
class Unreadable:
    """A 2xx answer to a GET whose content is not as the API documents it (`plan.answer_problem`):
    nothing can be read from it, so nothing is compared or changed for that user."""

    status: int
    reason: str
    attempts: int = 1


# ---- what happened to one user
@dataclass
class Step:
    """The result for one user. `label` is one of: created, adopted, updated, unchanged,
    skipped, exists, uncertain, rejected, missing, unlisted, refused, failed, not-sent."""

    email: str
    file: str
    label: str
    sent: list[str] = field(default_factory=list)  # the parts patched
    record: Optional[dict] = None
    answer: Any = None  # the Rejected / Failed / AlreadyExists that settled it
    part: Optional[str] = None  # the part whose call settled it
    detail: str = ""
    notes: list = field(default_factory=list)  # SC313 notes found only now (the user's zone was unknown)
    holidays: list = field(default_factory=list)  # the years whose holidays were added


class Session:
    """What every call of one run shares: the key, base URL, pacing, retries, the deadline of an
    attempt (`options.timeout`), the HTTP client. With a `journal`, the pacer starts from the
    requests earlier runs sent (of `submit`, `plan --refresh` or `apply`) and records its own
    there, as `submit` does (`client.journal_pacer`)."""

    def __init__(self, api_key, base: str, options, client=None, journal=None):
        from .. import meetergo

        self.meetergo, self.key, self.base, self.options = meetergo, api_key, base, options
        self.journal = journal if journal is not None else meetergo.Journal(None)
        self.pace = meetergo.journal_pacer(options.rate, options.burst, base, self.journal)
        self._gates: dict = {}  # one semaphore per event loop: refreshing and applying run one loop each
        self.client = client
        self.stop: list[str] = []  # set when the credential was refused: nothing more is sent

    @property
    def gate(self):
        """What keeps `options.concurrency` users in work at once, in the running event loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        if loop not in self._gates:
            self._gates = {loop: asyncio.Semaphore(max(1, self.options.concurrency))}
        return self._gates[loop]

    def _shared(self) -> dict:
        return {"api_key": self.key, "base_url": self.base, "pace": self.pace, "backoff": self.options.backoff,
                "timeout": self.options.timeout, "client": self.client}

    async def call(self, endpoint, record: dict, **kw):
        """One call of a contract endpoint about a recorded user: its ids fill the path, and it
        acts as that user (the owner of what is read or changed)."""
        return await self.meetergo.call_async(endpoint, ids=record, acting_user=record["userId"], **self._shared(), **kw)

    async def create(self, body: bytes, uncertain: bool):
        return await self.meetergo.submit_async(body, **self._shared(), uncertain=uncertain)

    async def list_users(self, until: Callable[[dict], bool]):
        return await self.meetergo.list_users_async(**self._shared(), until=until)

    def close(self) -> None:
        self.journal.close()

    def refused(self, answer) -> bool:
        if isinstance(answer, self.meetergo.Rejected) and answer.credential:
            self.stop.append(f"the credential was refused (HTTP {answer.status})")
            return True
        return False


async def read_live(session: Session, record: dict, body: dict,
                    holidays: bool = False) -> tuple[Optional[dict], Any, Optional[str]]:
    """(fields read, None, None), or (None, the answer that stopped the reading, its part).

    Reads the availability and the meeting type the file gives, and the user itself (its names
    and its own zone): every field schedc manages is compared with what the server has. With
    `holidays` (the file names some) or holidays in the record, the availability's exceptions
    too (`GET /availability`)."""
    fields: dict = {}
    if (holidays or record.get("holidays")) and record.get("availabilityId"):
        years, answer = await _exception_years(session, record)
        if years is None:
            return None, answer, "holidays"
        fields[HOLIDAY_YEARS] = years
    parts = [(plan.AVAILABILITY, "availabilityId", plan.availability_fields),
             (plan.MEETING, "meetingTypeId", plan.meeting_fields), (plan.USER, "userId", plan.user_fields)]
    for part, key, read in parts:
        if part not in body and part != plan.USER:
            continue
        if not record.get(key):
            return None, f"no {key} is recorded for this user", part
        found, answer = await _read(session, record, part, read)
        if found is None:
            return None, answer, part
        fields.update(found)
    return fields, None, None


async def _read(session: Session, record: dict, part: str, read: Callable[[dict], dict]) -> tuple[Optional[dict], Any]:
    """(the fields of `part` as the server has them, None), or (None, what stopped the reading)."""
    answer = await session.call(plan.READ[part], record)
    if not isinstance(answer, session.meetergo.Reply):
        return None, answer
    wrong = plan.answer_problem(part, answer.data)
    if wrong:
        return None, Unreadable(answer.status, wrong, answer.attempts)
    return {name: untrusted_value(value) for name, value in read(answer.data).items()}, None


async def _exception_years(session: Session, record: dict) -> tuple[Optional[set], Any]:
    """The years the recorded availability has blocking exceptions in, read from `GET
    /availability` (§9: the acting user's availabilities, each with `availabilityExceptions`)."""
    from ..meetergo import contract

    answer = await session.call(contract.LIST_AVAILABILITIES, record)
    if not isinstance(answer, session.meetergo.Reply):
        return None, answer
    listed = answer.data if isinstance(answer.data, list) else None
    if listed is None:
        return None, Unreadable(answer.status, "it is not a JSON array", answer.attempts)
    mine = next((a for a in listed if isinstance(a, dict) and str(a.get("id")) == record["availabilityId"]), None)
    return plan.live_holiday_years((mine or {}).get("availabilityExceptions")), None


async def _holidays(session: Session, target: Target, step: Step, plan: plan.HolidayPlan, state: State) -> Step:
    """One `PATCH /availability/{id}/holiday-exceptions` per year of `plan`, each recorded in the
    state (`holidays`: the region and the years added) before the next is sent."""
    from ..meetergo import contract

    record = step.record
    if not record.get("availabilityId"):
        step.label, step.part, step.detail = "missing", "holidays", "no availabilityId is recorded for this user"
        return step
    for body in plan.bodies():
        answer = await session.call(contract.HOLIDAY_EXCEPTIONS, record, body=body)
        if not isinstance(answer, session.meetergo.Reply):
            session.refused(answer)
            state.save()
            step.label, step.answer, step.part = _failure(answer), answer, "holidays"
            step.detail = f"holidays {plan.after} {body['year']}"
            return step
        known = record.get("holidays") if isinstance(record.get("holidays"), dict) else {}
        years = set(known.get("years") or ()) if known.get("region") == plan.after else set()
        record["holidays"] = {"region": plan.after, "years": sorted(years | {body["year"]})}
        record["appliedAt"] = now()
        state.save()
        step.holidays.append(body["year"])
    if step.label == "unchanged":
        step.label = "updated"
    return step


def _user_unknown(record: dict, body: dict) -> bool:
    """Whether the names or the own zone of a recorded user were never applied or read."""
    applied = record.get("applied") or {}
    return any(f in body and f not in applied for f in plan.USER_FIELDS + ("timezone",))


async def refresh(session: Session, targets: Sequence[Target], users: dict[str, dict],
                  on_problem: Callable[[Target, Any, str], None]) -> dict[str, dict]:
    """The live fields of every managed user among `targets`; problems go to `on_problem`, in
    the order of `targets` (the files' order), whichever answer came first."""
    live: dict[str, dict] = {}
    problems: dict[int, tuple] = {}

    async def one(index: int, target: Target) -> None:
        record = users.get(target.email.lower())
        if not record or not record.get("userId"):
            return
        async with session.gate:
            if session.stop:
                return
            fields, answer, part = await read_live(session, record, target.body, target.holidays is not None)
        if fields is not None:
            live[target.email.lower()] = fields
        else:
            session.refused(answer)
            problems[index] = (target, answer, part)

    import asyncio

    try:
        await asyncio.gather(*(one(k, t) for k, t in enumerate(targets)))
    finally:
        for index in sorted(problems):
            on_problem(*problems[index])
    return live


async def apply(session: Session, entries: Sequence[plan.Entry], targets: dict[str, Target], state: State,
                if_exists: str = "error", on_step: Callable[[Step], None] = lambda step: None,
                live: Optional[dict[str, dict]] = None) -> list[Step]:
    """Carry out `entries` (those of `make_plan`); every finished call is saved in `state`.
    `live` (from `refresh`) lets a part found equal on the server count as applied too.

    The users are worked on concurrently, but `on_step` hears of them in the entries' order (the
    files' order), each as soon as it and every one before it are done: the same output on
    every run, whichever answer comes first."""
    users = state.users(session.base)
    finished: dict[int, Step] = {}
    told = 0

    def tell(index: int, step: Step) -> None:
        nonlocal told
        finished[index] = step
        while told in finished:
            on_step(finished.pop(told))
            told += 1

    async def one(index: int, entry: plan.Entry) -> Step:
        target = targets.get(entry.file)
        async with session.gate:
            if session.stop and entry.action != "none":
                step = Step(entry.email, entry.file, "not-sent", detail=session.stop[0])
            elif entry.action == "create":
                step = await _create(session, target, users, state, if_exists)
            elif entry.action == "update":
                step = await _update(session, target, users[entry.email.lower()], entry.changes, state,
                                     live=(live or {}).get(entry.email.lower()))
            elif live and entry.email.lower() in live:
                step = await _update(session, target, users[entry.email.lower()], [], state,
                                     live=live[entry.email.lower()])
            else:
                step = Step(entry.email, entry.file, "unchanged", record=users.get(entry.email.lower()))
            plan = entry.holidays
            if (plan is not None and plan.send and not session.stop and step.record
                    and step.label in ("created", "updated", "unchanged", "adopted")):
                step = await _holidays(session, target, step, plan, state)
        tell(index, step)
        return step

    import asyncio

    try:
        return list(await asyncio.gather(*(one(k, e) for k, e in enumerate(e for e in entries if not e.gone))))
    finally:  # interrupted: what did finish is still told, in order, past the ones that did not
        for index in sorted(finished):
            on_step(finished.pop(index))


async def _create(session: Session, target: Target, users: dict, state: State, if_exists: str) -> Step:
    meetergo, email = session.meetergo, target.email.lower()
    earlier = users.get(email) or {}
    users[email] = {"file": target.file, "creating": {"hash": meetergo.body_hash(target.raw), "since": now()}}
    state.save()  # the trace a killed run leaves: this user may exist already
    outcome = await session.create(target.raw, uncertain=bool(earlier.get("creating")))
    if isinstance(outcome, meetergo.Created):
        users[email] = {"file": target.file, "userId": outcome.user_id, "availabilityId": outcome.availability_id,
                        "meetingTypeId": outcome.meeting_type_id, "bookingUrl": outcome.booking_url,
                        "companyId": outcome.company_id, "createdAt": now(), "appliedAt": now(),
                        "applied": target.body}
        state.save()
        return Step(target.email, target.file, "created", record=users[email], answer=outcome)
    if isinstance(outcome, meetergo.AlreadyExists):
        if if_exists == "adopt":
            return await _adopt(session, target, users, state)
        if not outcome.probably_ours:
            _forget(users, email, state)  # someone else's user: nothing of ours to remember
        if if_exists == "skip":
            return Step(target.email, target.file, "skipped", answer=outcome)
        return Step(target.email, target.file, "uncertain" if outcome.probably_ours else "exists", answer=outcome)
    if isinstance(outcome, meetergo.Rejected):
        _forget(users, email, state)  # refused: the server made nothing
        session.refused(outcome)
        return Step(target.email, target.file, "refused" if outcome.credential else "rejected", answer=outcome)
    if not outcome.uncertain:
        _forget(users, email, state)
    return Step(target.email, target.file, "failed", answer=outcome)


def _forget(users: dict, email: str, state: State) -> None:
    users.pop(email, None)
    state.save()


async def _adopt(session: Session, target: Target, users: dict, state: State) -> Step:
    """409 with --if-exists adopt: find the user in `GET /v4/user`, record its ids, then update
    it to match the file (after reading what it has now)."""
    email = target.email.lower()
    listed = await session.list_users(until=lambda u: str(u.get("email", "")).lower() == email)
    if not isinstance(listed, list):
        session.refused(listed)
        return Step(target.email, target.file, _failure(listed), answer=listed)
    user = next((u for u in listed if str(u.get("email", "")).lower() == email), None)
    if user is None:
        _forget(users, email, state)
        return Step(target.email, target.file, "unlisted", detail="the server says this e-mail exists, "
                    f"but `GET /v4/user` does not list it among {len(listed)} users")
    ids = session.meetergo.found_ids(user, target.body)
    if ids["userId"] is None:
        _forget(users, email, state)
        return Step(target.email, target.file, "unlisted", detail="`GET /v4/user` lists this e-mail without an "
                    "id schedc can use")
    created = user.get("createdAt")
    record = {"file": target.file, **ids, "bookingUrl": None, "companyId": session.meetergo.server_id(user.get("companyId")),
              "createdAt": untrusted(created, 64) if isinstance(created, str) else None, "appliedAt": None,
              "applied": None, "from": "adopt"}
    users[email] = record
    state.save()
    missing = [k for k, part in (("availabilityId", plan.AVAILABILITY), ("meetingTypeId", plan.MEETING))
               if part in target.body and not record.get(k)]
    if missing:
        return Step(target.email, target.file, "unlisted", record=record,
                    detail=f"adopted as userId={record['userId']}, but its {' and '.join(missing)} "
                           "could not be found in the listing")
    fields, answer, part = await read_live(session, record, target.body, target.holidays is not None)
    if fields is None:
        session.refused(answer)
        return Step(target.email, target.file, _failure(answer), record=record, answer=answer, part=part)
    changes, notes = plan.diff(target.body, None, fields)
    step = await _update(session, target, record, changes, state, live=fields)
    if step.label in ("updated", "unchanged"):
        step.label = "adopted"
    step.notes = notes
    return step


def _failure(answer: Any) -> str:
    from .. import meetergo

    if isinstance(answer, meetergo.Rejected):
        return "refused" if answer.credential else "missing" if answer.status == 404 else "rejected"
    return "failed" if isinstance(answer, (meetergo.Failed, Unreadable)) else "missing"


async def _update(session: Session, target: Target, record: dict, changes: list[plan.Change], state: State,
                  live: Optional[dict] = None) -> Step:
    """One PATCH per changed part, in order; each success is saved before the next is sent.
    The user's own zone is recorded as the server has it: read first when it is not known."""
    sent, notes = [], []
    if live is None and _user_unknown(record, target.body) and record.get("userId"):
        read, answer = await _read(session, record, plan.USER, plan.user_fields)
        if read is None:
            session.refused(answer)
            return Step(target.email, target.file, _failure(answer), sent, record, answer=answer, part=plan.USER)
        _, notes = plan.diff({"timezone": target.body.get("timezone")}, None, read)
        live_zone = read.get((plan.USER, "timezone"))
    else:
        live_zone = (live or {}).get((plan.USER, "timezone"))
    if live_zone is not None:
        record["applied"] = plan.server_zone(record.get("applied") or {"email": target.body["email"]}, live_zone)
    for part in plan.PARTS:
        mine = [c for c in changes if c.part == part]
        if not mine:
            if live is not None and (part in target.body or part == plan.USER):
                record["applied"] = plan.after_patch(part, record.get("applied"), target.body)  # read equal
            continue
        key = {plan.AVAILABILITY: "availabilityId", plan.MEETING: "meetingTypeId", plan.USER: "userId"}[part]
        if not record.get(key):
            return Step(target.email, target.file, "missing", sent, record, part=part,
                        detail=f"no {key} is recorded for this user")
        body = plan.patch_body(part, target.body, mine)
        answer = await session.call(plan.UPDATE[part], record, body=body)
        if not isinstance(answer, session.meetergo.Reply):
            session.refused(answer)
            state.save()
            return Step(target.email, target.file, _failure(answer), sent, record, answer=answer, part=part)
        record["applied"] = plan.after_patch(part, record.get("applied"), target.body)
        record["appliedAt"], record["file"] = now(), target.file
        state.save()
        sent.append(part)
    if live is not None or live_zone is not None:
        state.save()
    return Step(target.email, target.file, "updated" if sent else "unchanged", sent, record, notes=notes)


__all__ = ["Session", "Step", "Target", "Unreadable", "apply", "make_plan", "read_live", "refresh"]
