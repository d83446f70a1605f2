"""Hover on who and what the request is about: the user (the identity it creates), the e-mail, and the
availability (its name, zone and hours)."""

from __future__ import annotations

from typing import Optional

from ..compiler import nodes
from ..compiler import words
from ..config import Settings
from ..compiler.resolve import resolve
from .features import DEFAULTS, Hover, inside, statement_at
from .text import Text


def hover(text: Text, offset: int, settings: Settings = DEFAULTS) -> Optional[Hover]:
    """Hover on a `user` statement (its e-mail apart) or an `availability` statement; None elsewhere."""
    document, statement, where = statement_at(text, offset)
    if not isinstance(statement, (nodes.UserStatement, nodes.AvailabilityStatement)):
        return None
    schedule, _ = resolve(document)
    filled = settings.timezone_fill
    if isinstance(statement, nodes.AvailabilityStatement):
        return Hover(availability(statement, schedule, filled), *text.span(statement.span))
    if inside(statement.email.span, where):
        return Hover(email(statement.email.text), *text.span(statement.email.span))
    return Hover(user(statement, schedule, filled), *text.span(statement.span))


def _zone(filled: Optional[str], own: Optional[nodes.Word], other: Optional[nodes.Word], whose: str) -> str:
    """The zone as the request will have it: its own, else `whose` (the other one, which stands for both)."""
    if own is not None:
        return f"`{own.text}`"
    if other is not None:
        return f"`{other.text}` (the {whose}'s: one zone stands for both)"
    if filled:
        return f"`{filled}` (the configuration's `timezone`)"
    return "none yet: add `tz ZONE` (or give `--timezone`)"


def user(statement: nodes.UserStatement, schedule, filled: Optional[str]) -> str:
    given = statement.given.text if statement.given else ""
    family = statement.family.text if statement.family else ""
    rows = [("givenName", given or "(from `--given-name`)"), ("familyName", family or "(from `--family-name`)"),
            ("email", statement.email.text),
            ("timezone", _zone(filled, statement.tz, schedule.availability_zone, "availability"))]
    table = "\n".join(f"| `{field}` | {value} |" for field, value in rows)
    title = " ".join(part for part in (given, family) if part) or "the user"
    return (f"**{title}** <{statement.email.text}>: the user this file creates (`POST /v4/user`)\n\n"
            f"| field | value |\n|---|---|\n{table}")


def email(address: str) -> str:
    from ..compiler.checks import email_problem

    problem = email_problem(address)
    head = f"`email`: **{address}**, the new user's address and login"
    if problem:
        return f"{head}\n\nnot an address: {problem}"
    return (f"{head}\n\nmeetergo refuses it (409) when a user with this address exists already; "
            "`schedc apply --if-exists` says what to do then")


def availability(statement: nodes.AvailabilityStatement, schedule, filled: Optional[str]) -> str:
    from .hints import DAYS, duration, minutes

    head = (f'`availability "{statement.name.text}"`: the name of the weekly hours, in '
            f"{_zone(filled, schedule.availability_zone, schedule.user_zone, 'user')}")
    week = schedule.week or [[] for _ in range(7)]
    per_day = [minutes(pieces) for pieces in week]
    enabled = [d for d in range(7) if per_day[d]]
    if not enabled:
        return f"{head}\n\nno day has hours yet: add a day rule such as `Mon-Fri 09:00-17:00`"
    rows = "\n".join(f"{DAYS[d]}  {duration(per_day[d])}" for d in range(7))
    return (f"{head}\n\n{len(enabled)} day{'s' if len(enabled) != 1 else ''}, {duration(sum(per_day))} a week "
            f"({words.format_days(tuple(enabled))})\n\n```text\n{rows}\n```")
