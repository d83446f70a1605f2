"""What `schedc apply` would change: the compiled request against what was applied and what is live.

Pure: no I/O. A user's request body is seen as fields in three parts, each updated by its own
call: the availability (`name`, `timezone`, one field per day), the meeting type (`name`,
`duration`, `channel`, `slug`) and the user (`givenName`, `familyName`). The user's own
`timezone` cannot be changed through the API, so a change to it is a note, not a change; what
is recorded of it is always what the server has (given when created, or read from the server).

The shapes of the PATCH bodies are decided here and nowhere else (`patch_body`): where the API
documentation disagrees with itself (one page shows `schedule` as a legacy array), schedc sends
the object shape that `POST /v4/user` takes, so the same schedule reads the same both ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .words import DAY_KEYS as DAYS, DAY_SHORT

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


@dataclass(frozen=True)
class Change:
    """One field that differs. `before` is what the server has (as last applied, or as read
    with --refresh; None when unknown); `reason` is `file` (the file changed) or `server`
    (changed on the server since schedc applied it: drift)."""

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

    def describe(self) -> str:
        def show(value: Any) -> str:
            if value is None:
                return "(unknown)"
            return f'"{value}"' if self.name in ("name", "givenName", "familyName") else str(value)

        text = f"{self.label}: {show(self.before)} -> {show(self.after)}"
        return text + ("  (changed on the server)" if self.reason == "server" else "")

    def as_json(self) -> dict:
        return {"part": self.part, "field": self.name, "from": self.before, "to": self.after, "reason": self.reason}


@dataclass
class Entry:
    """One file's line of the plan."""

    file: str
    email: str
    action: str  # create, update, none
    changes: list[Change] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)  # changes the API cannot make (the user's zone)
    gone: bool = False  # in the state, but its file is no longer in the repo

    @property
    def reason(self) -> Optional[str]:
        if self.action != "update":
            return None
        return "server" if any(c.reason == "server" for c in self.changes) else "file"

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
            changes.append(Change(part, name, before, after, "server" if drifted else "file"))
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
    """The body of the PATCH that makes `part` match `desired`: only the changed fields, and the
    whole schedule (all seven days, object shape) when any day changed."""
    names = {c.name for c in changes if c.part == part}
    if part == AVAILABILITY:
        availability = desired["availability"]
        body = {f: availability[f] for f in ("name", "timezone") if f in names}
        if names & set(DAYS):
            body["schedule"] = availability["schedule"]
        return body
    if part == MEETING:
        meeting = desired["meetingType"]
        body: dict = {}
        info = {f: meeting[f] for f in ("name", "duration", "channel") if f in names}
        if info:
            body["meetingInfo"] = info
        if "slug" in names:
            body["slug"] = meeting["slug"]
        return body
    return {f: desired[f] for f in USER_FIELDS if f in names}


PATHS = {AVAILABILITY: ("/v4/availability/", "availabilityId"), MEETING: ("/v4/meeting-type/", "meetingTypeId"),
         USER: ("/v4/user/", "userId")}


def resource_path(part: str, record: dict) -> str:
    """Where `part` of a recorded user is read (GET) and changed (PATCH). The id is quoted, so an
    odd id in the state or in a server's answer cannot point the request elsewhere."""
    from urllib.parse import quote

    prefix, key = PATHS[part]
    return prefix + quote(str(record[key]), safe="")


def after_patch(part: str, applied: Optional[dict], desired: dict) -> dict:
    """The applied body once `part` was patched (or found equal) to `desired`."""
    applied = dict(applied or {"email": desired["email"]})
    if part == USER:
        applied.update({f: desired[f] for f in USER_FIELDS if f in desired})
    elif part in desired:
        applied[part] = desired[part]
    return applied


__all__ = ["AVAILABILITY", "Change", "DAYS", "Entry", "MEETING", "PARTS", "PATHS", "REQUEST_FIELD", "USER",
           "after_patch", "availability_fields", "diff", "drift", "hours_text", "meeting_fields", "patch_body",
           "request_fields", "resource_path", "server_zone", "user_fields"]
