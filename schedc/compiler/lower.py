"""A checked `Schedule` plus command-line values → the `POST /v4/user` request (DESIGN §5).

`identity.identity` has merged the file with the caller's values and reported what is missing;
`lower` builds the request and assumes every check passed.
"""

from __future__ import annotations

import functools
import operator

from . import words
from .identity import Identity
from .resolve import Schedule

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Any, Callable, Optional


def request_body(schedule: Schedule, who: Identity, *, end_of_day: str = "23:59",
                 day: Optional[Callable[[dict], Any]] = None) -> dict:
    """The request as plain data in the documented key order, with only what the source gives.

    Days with the same hours share one entry; `day`, when given, turns each distinct entry into
    what the body holds instead (`lower` makes it a `Day` model). Call only when no check
    reported an error.
    """
    assert who.email and who.given_name and who.family_name and who.timezone
    body: dict = {"email": who.email, "givenName": who.given_name, "familyName": who.family_name,
                  "timezone": who.timezone}
    if schedule.week is not None:
        availability: dict = {"name": schedule.availability.name.text} if schedule.availability else {}
        availability["timezone"] = who.availability_timezone
        availability["schedule"] = _schedule_body(schedule.week, end_of_day, day)
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

    The body is built as plain data and validated by pydantic's core. Days with the same hours
    share one `Day` model, validated once: a week is mostly a few kinds of day. The models are
    frozen, and pydantic keeps a model given as a field as it is, as the request does here.
    """
    models = _models()
    # Each model's documented core validator, called straight: what `model_validate` calls,
    # without its keyword handling, a few times per request. It saves 3.3% of a compile
    # (bench/instructions.py compile); tests/test_speed_tricks.py holds it equal to `model_validate`.
    return models.UserRequest.__pydantic_validator__.validate_python(
        request_body(schedule, who, end_of_day=end_of_day, day=models.Day.__pydantic_validator__.validate_python))


def _schedule_body(week: list, end_of_day: str, day: Optional[Callable[[dict], Any]]) -> dict:
    """{day key: entry} from each day's pieces, Monday first; days with the same hours share
    one entry (it is only read), made by `day` when given."""
    clock = _clock(end_of_day)  # a start is never minute 1440
    schedule, made = {}, {}
    for key, pieces in zip(words.DAY_KEYS, week):
        ranges = tuple(map(_start_end, pieces))  # resolve leaves each day's pieces sorted by start
        entry = made.get(ranges)
        if entry is None:
            entry = {"enabled": bool(ranges), "hours": [{"start": clock[a], "end": clock[b]} for a, b in ranges]}
            entry = made[ranges] = entry if day is None else day(entry)
        schedule[key] = entry
    return schedule


_start_end = operator.itemgetter(0, 1)  # a piece's (start, end)


@functools.lru_cache(maxsize=None)
def _clock(midnight: str) -> tuple[str, ...]:
    """Every time of day as the API writes it, by minute (`[540]` is `09:00`), with the midnight
    that ends a day (minute 1440) written `midnight`."""
    return (*map(words.format_time, range(1440)), midnight)


@functools.lru_cache(maxsize=None)
def _models():
    from . import models  # pydantic is imported only when a request is built

    return models
