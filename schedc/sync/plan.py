"""What `schedc apply` would change: the compiled request against what was applied and what is live.

Pure: no I/O. A user's request body is seen as fields in three parts, each updated by its own
call: the availability (`name`, `timezone`, one field per day), the meeting type (`name`,
`duration`, `channel`, `slug`) and the user (`givenName`, `familyName`). The user's own
`timezone` cannot be changed through the API, so a change to it is a note, not a change; what
is recorded of it is always what the server has (given when created, or read from the server).

The PATCH bodies are built here and nowhere else (`patch_body`), each changed field going to the
field of its call that `PATCH_FIELD` names in the API contract (`submit/contract.py`). A change
whose field the documentation does not name (the availability's zone, the meeting's name and
channel) says so, with the contract's name for the assumption (`Change.assumption`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..compiler.words import DAY_KEYS as DAYS, DAY_SHORT
from ..meetergo import contract

AVAILABILITY, MEETING, USER = "availability", "meetingType", "user"
PARTS = (AVAILABILITY, MEETING, USER)
MEETING_FIELDS = ("name", "duration", "channel", "slug")
USER_FIELDS = ("givenName", "familyName")
UNKNOWN = None  # a value schedc does not know (no record of what was applied, nothing read)

# Where a changed field comes from in a request body, for pointing diagnostics at the file.
REQUEST_FIELD = {**{(AVAILABILITY, d): f"availability.schedule.{d}" for d in DAYS},
                 (AVAILABILITY, "name"): "availability.name", (AVAILABILITY, "timezone"): "availability.timezone",
                 **{(MEETING, f): f"meetingType.{f}" for f in MEETING_FIELDS},
                 **{(USER, f): f for f in USER_FIELDS}, (USER, "timezone"): "timezone"}
# The calls that read and change each part, and the field of its PATCH body that carries each
# changed field (a path of the contract: `meetingInfo.name` is `{"meetingInfo": {"name": …}}`).
READ = {AVAILABILITY: contract.READ_AVAILABILITY, MEETING: contract.READ_MEETING_TYPE, USER: contract.READ_USER}
UPDATE = {AVAILABILITY: contract.UPDATE_AVAILABILITY, MEETING: contract.UPDATE_MEETING_TYPE,
          USER: contract.UPDATE_USER}
PATCH_FIELD = {(AVAILABILITY, "name"): "name", (AVAILABILITY, "timezone"): "timezone",
               **{(AVAILABILITY, d): "schedule" for d in DAYS},
               (MEETING, "name"): "meetingInfo.name", (MEETING, "duration"): "duration",
               (MEETING, "channel"): "meetingInfo.channel", (MEETING, "slug"): "slug",
               **{(USER, f): f for f in USER_FIELDS}}


@dataclass(frozen=True)
class Change:
    """One field that differs. `before` is what the server has (as last applied, or as read
    with --refresh; None when unknown); `reason` says which side changed since schedc applied
    it: `file`, `server` (drift), or `both` (the file says one thing, the server another)."""

    part: str
    name: str
    before: Any
    after: Any
    reason: str = "file"

    @property
    def label(self) -> str:
        if self.part == AVAILABILITY and self.name in DAYS:
            return DAY_SHORT[DAYS.index(self.name)]
        return {(AVAILABILITY, "name"): "availability name", (AVAILABILITY, "timezone"): "availability zone",
                (USER, "givenName"): "given name", (USER, "familyName"): "family name",
                (USER, "timezone"): "user zone"}.get((self.part, self.name), f"meeting {self.name}")

    @property
    def assumption(self) -> str:
        """The name of the contract's assumption the PATCH of this change rests on, when the
        documentation names no field for it (else "")."""
        target = PATCH_FIELD.get((self.part, self.name))
        field = UPDATE[self.part].field(target) if target else None
        return field.assumption if field is not None else ""

    def describe(self) -> str:
        def show(value: Any) -> str:
            if value is None:
                return "(unknown)"
            return f'"{value}"' if self.name in ("name", "givenName", "familyName") else str(value)

        text = f"{self.label}: {show(self.before)} -> {show(self.after)}"
        if self.assumption:
            assumed = contract.ASSUMPTION[self.assumption]
            text += (f"  (no documented field: sent as `{PATCH_FIELD[(self.part, self.name)]}`, "
                     f"assumption {assumed.name}, {assumed.cites})")
        return text + {"server": "  (changed on the server)",
                       "both": "  (changed in the file and on the server)"}.get(self.reason, "")

    def as_json(self) -> dict:
        data = {"part": self.part, "field": self.name, "from": self.before, "to": self.after, "reason": self.reason}
        if self.assumption:
            data["assumption"] = self.assumption
        return data


@dataclass(frozen=True)
class HolidayPlan:
    """The holiday part of a user: what was added on the server (`before`, the recorded region),
    what the file names (`after`), and the years to send (`send`, one PATCH each). What the API
    cannot do is said, not done: a region the server keeps (`stays`: the file names another one,
    or none; no call removes holiday exceptions)."""

    before: Optional[str]
    after: Optional[str]
    send: tuple[int, ...] = ()
    reason: str = "file"  # `server`: a year recorded as added is missing on the server (drift)
    stays: Optional[str] = None

    def bodies(self) -> list[dict]:
        from ..compiler.public_holidays import split

        country, state = split(self.after or "")
        return [contract.holiday_body(year, country, state) for year in self.send]

    def describe(self) -> list[str]:
        lines = []
        if self.send:
            years = ", ".join(map(str, self.send))
            if self.before == self.after:
                lines.append(f"holidays {self.after}: add {years}")
            else:
                lines.append(f"holidays: {self.before or 'none'} -> {self.after} ({years})")
            if self.reason == "server":
                lines[-1] += "  (missing on the server)"
        if self.stays:
            lines.append(f"holidays: the {self.stays} holidays stay on the server: the API documents no way to remove "
                         "holiday exceptions; remove them by hand in meetergo (the availability's exceptions)")
        return lines

    def as_json(self) -> dict:
        data: dict = {"from": self.before, "to": self.after, "years": list(self.send), "send": self.bodies(),
                      "reason": self.reason}
        manual = [line for line in self.describe() if "by hand" in line]
        if manual:
            data["manual"] = manual
        return data


def holiday_plan(region: Optional[str], recorded: Any, years: tuple[int, ...],
                 live_years: Optional[set] = None) -> Optional[HolidayPlan]:
    """The holiday part of a plan, or None when there is nothing to do or say.

    `recorded` is the state's `{"region", "years"}` (what schedc added), `years` the API's years
    from this one on, `live_years` (with --refresh) the years the server has holiday exceptions in."""
    recorded = recorded if isinstance(recorded, dict) else {}
    before = recorded.get("region") if isinstance(recorded.get("region"), str) else None
    done = set(recorded.get("years") or ()) if before == region else set()
    send: list[int] = []
    drifted = False
    if region is not None:
        for year in years:
            missing_live = live_years is not None and year not in live_years
            if year not in done or missing_live:
                send.append(year)
                drifted |= year in done and missing_live
    gone = live_years is not None and not live_years  # read: the server has no exceptions left
    stays = before if before is not None and before != region and not gone else None
    if not send and not stays:
        return None
    return HolidayPlan(before, region, tuple(send), "server" if drifted and before == region else "file", stays)


def live_holiday_years(exceptions: Any) -> set[int]:
    """The years in which the server's exceptions (`availabilityExceptions`, §4) block time:
    read leniently (the format of `start` is not documented), from the first four digits."""
    years = set()
    for item in exceptions if isinstance(exceptions, list) else ():
        if isinstance(item, dict) and item.get("available") is False and not item.get("deletedAt"):
            text = str(item.get("start") or "")
            if text[:4].isdigit():
                years.add(int(text[:4]))
    return years


@dataclass
class Entry:
    """One file's line of the plan."""

    file: str
    email: str
    action: str  # create, update, none
    changes: list[Change] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)  # changes the API cannot make (the user's zone)
    gone: bool = False  # in the state, but its file is no longer in the repo
    holidays: Optional[HolidayPlan] = None  # the holiday part, sent after the other parts

    @property
    def reason(self) -> Optional[str]:
        if self.action != "update":
            return None
        reasons = {c.reason for c in self.changes}
        if self.holidays is not None and self.holidays.send and self.holidays.reason == "server":
            reasons.add("server")
        return "both" if "both" in reasons else "server" if "server" in reasons else "file"

    def parts(self) -> list[str]:
        """The parts an update sends, in the order they are sent."""
        return [p for p in PARTS if any(c.part == p for c in self.changes)]

    def as_json(self) -> dict:
        data = {"file": self.file, "email": self.email, "action": self.action, "reason": self.reason,
                "changes": [c.as_json() for c in self.changes]}
        if self.gone:
            data["reason"] = "not-in-repo"
        if self.notes:
            data["notes"] = [c.as_json() for c in self.notes]
        if self.holidays is not None:
            data["holidays"] = self.holidays.as_json()
        return data


# ---- bodies as fields
def hours_text(day: Any) -> str:
    """A day of a schedule as text: `09:00-12:00, 13:00-17:00`, or `off`. Reads the object shape
    (`{enabled, hours[{start, end}]}`) and, leniently, the legacy one (`{intervals[{from, to}]}`)."""
    if not isinstance(day, dict):
        return "off"
    if day.get("enabled") is False:
        return "off"
    ranges = day.get("hours")
    if ranges is None:
        ranges = [{"start": r.get("from"), "end": r.get("to")} for r in day.get("intervals") or ()
                  if isinstance(r, dict)]
    ranges = sorted(f"{r.get('start')}-{r.get('end')}" for r in ranges or () if isinstance(r, dict))
    return ", ".join(ranges) if ranges else "off"


def _schedule_days(schedule: Any) -> dict[str, dict]:
    if isinstance(schedule, list):  # the legacy shape: [{dayOfWeek, intervals}]
        return {str(d.get("dayOfWeek", "")).lower(): d for d in schedule if isinstance(d, dict)}
    return schedule if isinstance(schedule, dict) else {}


def request_fields(body: Optional[dict]) -> dict[tuple[str, str], Any]:
    """The fields of a `POST /v4/user` body (or of the parts of one known to be applied)."""
    found: dict[tuple[str, str], Any] = {}
    if not body:
        return found
    for name in USER_FIELDS + ("timezone",):
        if name in body:
            found[(USER, name)] = body[name]
    availability = body.get("availability")
    if isinstance(availability, dict):
        found.update(availability_fields(availability))
    meeting = body.get("meetingType")
    if isinstance(meeting, dict):
        found.update({(MEETING, f): meeting[f] for f in MEETING_FIELDS if f in meeting})
    return found


def availability_fields(availability: dict) -> dict[tuple[str, str], Any]:
    """An availability (as in a request, or as `GET /v4/availability/{id}` answers) as fields."""
    found = {(AVAILABILITY, f): availability[f] for f in ("name", "timezone") if availability.get(f) is not None}
    if "schedule" in availability:
        days = _schedule_days(availability["schedule"])
        found.update({(AVAILABILITY, d): hours_text(days.get(d)) for d in DAYS})
    return found


def meeting_fields(meeting: dict) -> dict[tuple[str, str], Any]:
    """A meeting type as `GET /v4/meeting-type/{id}` answers (`meetingInfo` and `slug`; the
    meeting's fields are also read at the top level, leniently)."""
    info = meeting.get("meetingInfo") if isinstance(meeting.get("meetingInfo"), dict) else {}
    found = {}
    for name in MEETING_FIELDS:
        value = meeting.get(name) if name == "slug" else info.get(name, meeting.get(name))
        if isinstance(value, dict):  # a name given per language
            value = next(iter(value.values()), None)
        if value is not None:
            found[(MEETING, name)] = value
    return found


def user_fields(user: dict) -> dict[tuple[str, str], Any]:
    """A user as `GET /v4/user/{id}` (or the listing) shows one: its names and its own zone."""
    return {(USER, f): user[f] for f in USER_FIELDS + ("timezone",) if isinstance(user.get(f), str)}


def server_zone(applied: Optional[dict], zone: Any) -> dict:
    """The applied body with the user's own zone as the server has it (`zone`, when read)."""
    applied = dict(applied or {})
    if isinstance(zone, str):
        applied["timezone"] = zone
    return applied


# ---- shapes: what a server's answer and a state's `applied` body must be for the above to read them
def answer_problem(part: str, data: Any) -> Optional[str]:
    """What makes a server's answer to `GET` of `part` unreadable ("`schedule.monday.hours` is
    not a list"), or None when every field schedc reads from it has the documented type."""
    if not isinstance(data, dict):
        return "it is not a JSON object"
    if part == AVAILABILITY:
        return _availability_problem(data, "")
    if part == MEETING:
        info = data.get("meetingInfo")
        if info is not None and not isinstance(info, dict):
            return "`meetingInfo` is not an object"
        return (_meeting_problem(info or {}, "meetingInfo.", named_per_language=True)
                or _meeting_problem(data, "", named_per_language=True))
    return _strings(data, USER_FIELDS + ("timezone",), "")


def body_problem(body: Any) -> Optional[str]:
    """What makes a request body (a state's `applied`) unreadable, or None: the types of every
    field that `request_fields` reads, as `POST /v4/user` takes them."""
    if not isinstance(body, dict):
        return "it is not an object"
    problem = _strings(body, ("email", "timezone") + USER_FIELDS, "")
    for name, check in (("availability", lambda v: _availability_problem(v, "availability.")),
                        ("meetingType", lambda v: _meeting_problem(v, "meetingType.", named_per_language=False))):
        if problem is None and body.get(name) is not None:
            problem = (f"`{name}` is not an object" if not isinstance(body[name], dict) else check(body[name]))
    return problem


def _strings(data: dict, names: tuple, prefix: str) -> Optional[str]:
    for name in names:
        if data.get(name) is not None and not isinstance(data[name], str):
            return f"`{prefix}{name}` is not a string"
    return None


def _availability_problem(availability: dict, prefix: str) -> Optional[str]:
    problem = _strings(availability, ("name", "timezone"), prefix)
    schedule = availability.get("schedule")
    if problem or schedule is None:
        return problem
    if isinstance(schedule, list):  # the legacy shape
        for index, day in enumerate(schedule):
            where = f"{prefix}schedule[{index}]"
            if not isinstance(day, dict):
                return f"`{where}` is not an object"
            problem = _strings(day, ("dayOfWeek",), where + ".") or _ranges(day, "intervals", where, "from", "to")
            if problem:
                return problem
        return None
    if not isinstance(schedule, dict):
        return f"`{prefix}schedule` is neither an object nor a list"
    for name in DAYS:
        day, where = schedule.get(name), f"{prefix}schedule.{name}"
        if day is None:
            continue
        if not isinstance(day, dict):
            return f"`{where}` is not an object"
        if day.get("enabled") is not None and not isinstance(day["enabled"], bool):
            return f"`{where}.enabled` is not true or false"
        problem = _ranges(day, "hours", where, "start", "end") or _ranges(day, "intervals", where, "from", "to")
        if problem:
            return problem
    return None


def _ranges(day: dict, name: str, where: str, start: str, end: str) -> Optional[str]:
    ranges = day.get(name)
    if ranges is None:
        return None
    if not isinstance(ranges, list):
        return f"`{where}.{name}` is not a list"
    for index, item in enumerate(ranges):
        if not isinstance(item, dict):
            return f"`{where}.{name}[{index}]` is not an object"
        problem = _strings(item, (start, end), f"{where}.{name}[{index}].")
        if problem:
            return problem
    return None


def _meeting_problem(meeting: dict, prefix: str, named_per_language: bool) -> Optional[str]:
    name = meeting.get("name")
    if named_per_language and isinstance(name, dict):  # a name per language: each one text
        if not all(isinstance(v, str) for v in name.values()):
            return f"`{prefix}name` is not text"
    elif name is not None and not isinstance(name, str):
        return f"`{prefix}name` is not a string"
    duration = meeting.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int)):
        return f"`{prefix}duration` is not a whole number"
    return _strings(meeting, ("channel", "slug"), prefix)


# ---- the diff
def diff(desired: dict, applied: Optional[dict], live: Optional[dict] = None) -> tuple[list[Change], list[Change]]:
    """(changes, notes) that bring the server from what it has to `desired`.

    `applied` is the body schedc last applied (None or partial when unknown); `live` the fields
    read from the server (`availability_fields` + `meeting_fields`) with --refresh, else None.
    A field is compared with its live value when one was read, else with the applied one.
    """
    wanted, was = request_fields(desired), request_fields(applied)
    changes, notes = [], []
    for (part, name), after in wanted.items():
        if (part, name) == (USER, "timezone"):
            before = live[(part, name)] if live and (part, name) in live else was.get((part, name))
            if before is not None and before != after:
                notes.append(Change(part, name, before, after))
            continue
        recorded = was.get((part, name), UNKNOWN)
        if live is not None and (part, name) in live:
            before = live[(part, name)]
            drifted = recorded is not UNKNOWN and before != recorded
        else:
            before, drifted = recorded, False
        if before != after:
            edited = recorded is UNKNOWN or after != recorded
            reason = "both" if drifted and edited else "server" if drifted else "file"
            changes.append(Change(part, name, before, after, reason))
    changes.sort(key=lambda c: PARTS.index(c.part))  # the order they are sent in
    return changes, notes


def drift(applied: Optional[dict], live: dict) -> list[Change]:
    """Fields the server changed since schedc applied them (whatever the file says now)."""
    was = request_fields(applied)
    return [Change(part, name, was[(part, name)], value, "server")
            for (part, name), value in live.items()
            if (part, name) in was and was[(part, name)] != value and (part, name) != (USER, "timezone")]


# ---- what is sent
def patch_body(part: str, desired: dict, changes: list[Change]) -> dict:
    """The body of the PATCH that makes `part` match `desired`: each changed field at the place
    `PATCH_FIELD` gives it, and the whole schedule (all seven days, object shape) when any day
    changed."""
    names = {c.name for c in changes if c.part == part}
    source = desired if part == USER else desired[part]
    body: dict = {}
    for (of, name), target in PATCH_FIELD.items():
        if of != part or name not in names:
            continue
        *outer, last = target.split(".")
        place = body
        for key in outer:
            place = place.setdefault(key, {})
        place[last] = source[target if target == "schedule" else name]
    return body


def after_patch(part: str, applied: Optional[dict], desired: dict) -> dict:
    """The applied body once `part` was patched (or found equal) to `desired`."""
    applied = dict(applied or {"email": desired["email"]})
    if part == USER:
        applied.update({f: desired[f] for f in USER_FIELDS if f in desired})
    elif part in desired:
        applied[part] = desired[part]
    return applied


__all__ = ["AVAILABILITY", "Change", "DAYS", "Entry", "HolidayPlan", "holiday_plan", "live_holiday_years",
           "MEETING", "PARTS", "PATCH_FIELD", "READ", "REQUEST_FIELD",
           "UPDATE", "USER", "after_patch", "answer_problem", "availability_fields", "body_problem", "diff", "drift",
           "hours_text", "meeting_fields", "patch_body", "request_fields", "server_zone", "user_fields"]
