"""The `POST /v4/user` request body as pydantic models, with the documented field names.

Field order is the documented key order, so dumping a model gives deterministic JSON. The
models know nothing about text or spans; they are the contract with the API.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from . import words

Time = Field(pattern=f"^(?:{words.API_TIME_PATTERN})$")
Channel = Literal[words.CHANNELS]  # type: ignore[valid-type]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeRange(_Model):
    start: str = Time
    end: str = Time


class Day(_Model):
    enabled: bool
    hours: list[TimeRange]


# `monday` … `sunday`, in that order: the order of the keys in the JSON.
Schedule = create_model("Schedule", __base__=_Model, **{day: (Day, ...) for day in words.DAY_KEYS})


class Availability(_Model):
    name: Optional[str] = None
    timezone: Optional[str] = None
    schedule: Schedule


class MeetingType(_Model):
    name: Optional[str] = None
    duration: Optional[int] = Field(default=None, ge=words.MIN_DURATION, le=words.MAX_DURATION)
    slug: Optional[str] = Field(default=None, pattern=f"^{words.SLUG_PATTERN}$")
    channel: Optional[Channel] = None


class UserRequest(_Model):
    """The body of `POST /v4/user`."""

    email: str
    givenName: str
    familyName: str
    timezone: str
    availability: Optional[Availability] = None
    meetingType: Optional[MeetingType] = None

    def to_json(self) -> str:
        """Deterministic JSON: documented key order, two-space indent, final newline."""
        return self.model_dump_json(indent=2, exclude_none=True) + "\n"

    def to_dict(self) -> dict:
        return self.model_dump(mode="json", exclude_none=True)
