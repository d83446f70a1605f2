"""A checked `Schedule` plus command-line values → the `POST /v4/user` request (DESIGN §5).

`identity` merges what the file says with what the caller passes (`--email` and friends) and
reports gaps and contradictions as SC2xx diagnostics. `lower` then builds the request and
assumes every check passed.
"""

from __future__ import annotations

import functools
from typing import NamedTuple, Optional

from . import vocabulary as v
from .checks import email_diagnostics, zone_diagnostics
from .diagnostics import Diagnostic, error
from .semantics import Schedule


class Identity(NamedTuple):
    email: Optional[str]
    given_name: Optional[str]
    family_name: Optional[str]
    timezone: Optional[str]
    availability_timezone: Optional[str]


def identity(schedule: Schedule, *, email=None, given_name=None, family_name=None,
             timezone=None) -> tuple[Identity, list[Diagnostic]]:
    """Fill what the file leaves out from the caller's values; a contradiction is SC204."""
    found: list[Diagnostic] = []
    user = schedule.user

    def merge(flag: str, given: Optional[str], word) -> Optional[str]:
        if word is None or given is None or given == word.text:
            return word.text if word is not None else given
        found.append(error(
            "SC204", f"`{flag}` value `{given}` contradicts `{word.text}` in the file", word.span,
            help=f"drop `{flag}`, or change the file to say `{given}`"))
        return word.text

    merged_email = merge("--email", email, user.email if user else None)
    given = merge("--given-name", given_name, user.given if user else None)
    family = merge("--family-name", family_name, user.family if user else None)
    user_zone = merge("--timezone", timezone, schedule.user_zone)
    if email is not None and (user is None or user.email.text != email):
        found.extend(_flag_diagnostics("--email", email))
    if timezone is not None and user_zone == timezone:
        found.extend(_flag_diagnostics("--timezone", timezone))
    availability_zone = schedule.availability_zone.text if schedule.availability_zone else None
    user_zone = user_zone or availability_zone
    availability_zone = availability_zone or user_zone
    for value, what, flag in ((merged_email, "an e-mail address", "--email"),
                              (given, "a given name", "--given-name"),
                              (family, "a family name", "--family-name")):
        if value is None or not value.strip():  # `user "" Smith <…>` names no one
            anchor = user.span if user else None
            found.append(error(
                "SC203", f"the user has no {what[what.index(' ') + 1:]}", anchor,
                help=f"add `user GIVEN FAMILY <EMAIL>` to the file, or pass `{flag}`"))
    if user_zone is None:
        found.append(error(
            "SC202", "no time zone: neither the file nor `--timezone` gives one", None,
            help="add `tz Europe/London` (or your zone) to the file, or pass `--timezone`"))
    return Identity(merged_email, given, family, user_zone, availability_zone), found


@functools.lru_cache(maxsize=64)
def _flag_diagnostics(flag: str, value: str) -> tuple[Diagnostic, ...]:
    """What is wrong with a command-line value (the same for every file of a run: worked out once)."""
    found = email_diagnostics(value, None, flag=flag) if flag == "--email" else zone_diagnostics(value, None)
    return tuple(Diagnostic(d.code, d.severity, f"{d.message} (from `{flag}`)", None, d.help) for d in found)


def request_body(schedule: Schedule, who: Identity, *, end_of_day: str = "23:59") -> dict:
    """The request as plain data in the documented key order, with only what the source gives.

    Call only when no check reported an error.
    """
    assert who.email and who.given_name and who.family_name and who.timezone
    body: dict = {"email": who.email, "givenName": who.given_name, "familyName": who.family_name,
                  "timezone": who.timezone}
    if schedule.week is not None:
        availability: dict = {"name": schedule.availability.name.text} if schedule.availability else {}
        availability["timezone"] = who.availability_timezone
        availability["schedule"] = _schedule_body(schedule.week, end_of_day)
        body["availability"] = availability
    if schedule.meeting is not None:
        statement = schedule.meeting
        meeting = {"name": statement.name.text if statement.name else None, "duration": schedule.duration,
                   "slug": statement.slug.text if statement.slug else None, "channel": schedule.channel}
        body["meetingType"] = {key: value for key, value in meeting.items() if value is not None}
    return body


def request_json(schedule: Schedule, who: Identity, *, end_of_day: str = "23:59") -> str:
    """The request's JSON exactly as the model prints it (`UserRequest.to_json`), without pydantic.

    `schedc compile` prints this, so the command does not pay for importing pydantic and building
    its models (about 250 ms); the tests hold the two outputs equal.
    """
    import json

    return json.dumps(request_body(schedule, who, end_of_day=end_of_day), indent=2, ensure_ascii=False) + "\n"


def lower(schedule: Schedule, who: Identity, *, end_of_day: str = "23:59"):
    """Build the request model. Call only when no check reported an error.

    The body is built as plain data and validated by pydantic in one call, nested models and
    all: one pass through pydantic's core costs a fraction of validating each part on its own.
    """
    return _request_model().model_validate(request_body(schedule, who, end_of_day=end_of_day))


def _schedule_body(week: list, end_of_day: str) -> dict:
    """{day key: entry} from each day's pieces, Monday first; days with the same hours share
    one entry (it is only read)."""
    clock = v.format_time
    schedule, made = {}, {}
    for key, pieces in zip(v.DAY_KEYS, week):
        ranges = tuple(sorted([(p.start, p.end) for p in pieces]))
        entry = made.get(ranges)
        if entry is None:
            entry = made[ranges] = {"enabled": bool(ranges), "hours": [
                {"start": clock(a), "end": end_of_day if b == 1440 else clock(b)} for a, b in ranges]}
        schedule[key] = entry
    return schedule


@functools.lru_cache(maxsize=None)
def _request_model():
    from .models import UserRequest  # pydantic is imported only when a request is built

    return UserRequest
