"""A checked `Schedule` plus command-line values → the `POST /v4/user` request (DESIGN §5).

`identity.identity` has merged the file with the caller's values and reported what is missing;
`lower` builds the request and assumes every check passed.
"""

from __future__ import annotations

import functools

from . import words as v
from .identity import Identity
from .resolve import Schedule


def request_body(schedule: Schedule, who: Identity, *, end_of_day: str = "23:59", days=None) -> dict:
    """The request as plain data in the documented key order, with only what the source gives.

    `days` turns the week into the `schedule` object (plain dicts by default). Call only when no
    check reported an error.
    """
    assert who.email and who.given_name and who.family_name and who.timezone
    body: dict = {"email": who.email, "givenName": who.given_name, "familyName": who.family_name,
                  "timezone": who.timezone}
    if schedule.week is not None:
        week = tuple(tuple(sorted((p.start, p.end) for p in pieces)) for pieces in schedule.week)
        availability: dict = {"name": schedule.availability.name.text} if schedule.availability else {}
        availability["timezone"] = who.availability_timezone
        availability["schedule"] = (days or _schedule_body)(week, end_of_day)
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

    The body is built as plain data and validated by pydantic in one call: a single pass through
    pydantic's core costs a fraction of constructing each nested model on its own.
    """
    body = request_body(schedule, who, end_of_day=end_of_day, days=_schedule_model)
    return _request_model().model_validate(body)


def _schedule_body(week: tuple, end_of_day: str) -> dict:
    """{day: {enabled, hours}} from (start, end) minutes per day, Monday first."""
    def end(minutes: int) -> str:
        return end_of_day if minutes == 1440 else v.format_time(minutes)

    return {key: {"enabled": bool(ranges), "hours": [{"start": v.format_time(a), "end": end(b)} for a, b in ranges]}
            for key, ranges in zip(v.DAY_KEYS, week)}


@functools.lru_cache(maxsize=1024)
def _schedule_model(week: tuple, end_of_day: str):
    """The weekly schedule model. Models are frozen, so the schedules a team shares are
    validated once and the instance reused."""
    from .models import Schedule

    return Schedule.model_validate(_schedule_body(week, end_of_day))


@functools.lru_cache(maxsize=None)
def _request_model():
    from .models import UserRequest  # pydantic is imported only when a request is built

    return UserRequest
