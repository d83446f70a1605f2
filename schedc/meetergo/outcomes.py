"""What became of a request: the typed outcomes the client returns, and the callbacks it takes
(`Pace` waits before each attempt, `Watch` hears what a batch waits for)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Awaitable, Callable, Optional, Union


# ---- outcomes
@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Created:
    user_id: Optional[str]
    availability_id: Optional[str]
    meeting_type_id: Optional[str]
    booking_url: Optional[str]
    company_id: Optional[str]
    attempts: int = 1
    found: bool = False  # read back from `GET /v4/user` after an answer was lost, not from a 201
    kind = "created"


@dataclass(frozen=True)
class AlreadyExists:
    """409. `probably_ours` when an earlier attempt may have reached the server (a lost answer)."""

    message: str
    probably_ours: bool = False
    attempts: int = 1
    kind = "exists"


@dataclass(frozen=True)
class Rejected:
    """A 4xx other than 409 and 429: the request or the credential was refused."""

    status: int
    message: str
    errors: tuple[FieldError, ...] = ()
    attempts: int = 1
    kind = "rejected"

    @property
    def credential(self) -> bool:
        return self.status in (401, 403)


@dataclass(frozen=True)
class Failed:
    """Still failing after every attempt (network, timeouts, 429, 5xx). `uncertain`: the server
    may have acted on one of the attempts."""

    reason: str
    status: Optional[int] = None
    attempts: int = 1
    uncertain: bool = False
    kind = "failed"


Outcome = Union[Created, AlreadyExists, Rejected, Failed]


Pace = Callable[[], Awaitable[None]]


# Told what a batch is waiting for, for a progress display: `watch("pacing", wait=0.6)` before
# a paced request, `watch("retry", reason="HTTP 503", attempt=2, wait=3.0)` before a retry.
Watch = Callable[..., None]


__all__ = ["AlreadyExists", "Created", "Failed", "FieldError", "Outcome", "Pace", "Rejected", "Watch"]
