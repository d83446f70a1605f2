"""Server rejections → diagnostics at the source line of the statement that made the field.

The API names a field (`email`, `timezone`, `meetingType.slug`, ...). The file that produced
the request is parsed again and the field is traced back to the words it came from; a value
that came from a command-line flag has no place in the file and gets a diagnostic with no span.
Pure: no httpx, no I/O.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence, Union

from ..compiler import words
from ..diagnostics import Diagnostic, ScheduleError, Span, error


def field_span(text: Union[str, bytes], field: str) -> Optional[Span]:
    """Where in `text` the request field `field` (dotted, `a.b[0].c` or `a[b]`) came from; None
    when it came from no place in the file."""
    return _trace(text, field)[0]


def _trace(text: Union[str, bytes], field: str, flags: Optional[dict] = None) -> tuple[Optional[Span], Optional[str]]:
    """(span in the file, or None; the command-line flag the value came from, or None)."""
    flags = flags or {}
    from ..api import parse
    from ..compiler.resolve import resolve

    try:
        schedule, _ = resolve(parse(text))
    except ScheduleError:
        return None, None
    if field.split(".")[-1] == "timezone" and flags.get("--timezone"):
        user_zone = schedule.user.tz if schedule.user else None
        own = user_zone if field == "timezone" else schedule.availability_zone
        if own is None and (field == "timezone" or user_zone is None):
            return None, "--timezone"  # the file gives no such zone: the flag filled it in
    return _field_span(schedule, field), None


def _field_span(schedule, field: str) -> Optional[Span]:
    parts = [p for p in re.split(r"[.\[\]]+", field) if p and not p.isdigit()]
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    user, meeting = schedule.user, schedule.meeting
    if head == "email":
        return _span(user and user.email)
    if head == "givenName":
        return _span(user and user.given) or _span(user)
    if head == "familyName":
        return _span(user and user.family) or _span(user)
    if head == "timezone":  # the user's zone, or the availability's when it was defaulted from it
        return _span(user and user.tz) or _span(schedule.availability_zone)
    if head == "availability":
        return _availability_span(schedule, rest)
    if head == "meetingType" and meeting is not None:
        word = {"name": meeting.name, "duration": meeting.duration, "channel": meeting.channel,
                "slug": meeting.slug}.get(rest[0]) if rest else None
        return _span(word) or meeting.span
    return None


def _availability_span(schedule, rest: Sequence[str]) -> Optional[Span]:
    statement = schedule.availability
    if rest and rest[0] == "timezone":  # its own zone, or the user's when it was defaulted from it
        return _span(schedule.availability_zone) or _span(schedule.user and schedule.user.tz)
    if rest and rest[0] == "name":
        return _span(statement and statement.name)
    if rest and rest[0] == "schedule" and len(rest) > 1 and rest[1] in words.DAY_KEYS and schedule.week:
        pieces = schedule.week[words.DAY_KEYS.index(rest[1])]
        if pieces:
            return pieces[0].origin.span
    if schedule.day_rules:
        return schedule.day_rules[0].span
    return _span(statement)


def _span(thing) -> Optional[Span]:
    return thing.span if thing is not None else None


def rejection_diagnostics(text: Union[str, bytes], path: Optional[str], status: int, message: str,
                          errors: Sequence, flags: Optional[dict] = None) -> list[Diagnostic]:
    """SC301 per field the server named (SC302 for a refused zone); SC300 when it named none.

    `flags` are the command-line values that filled the request (`{"--timezone": "…"}`): a
    field that came from one is reported as coming from it, not at an unrelated place in the file.
    """
    found = []
    for item in errors:
        field = item.field
        zone = field.split(".")[-1] == "timezone" or "timezone" in item.message.lower()
        code = "SC302" if zone else "SC301"
        what = "time zone" if zone else f"`{field}`" if field else "request"
        span, flag = _trace(text, field, flags)
        found.append(error(code, f"the server rejected the {what}: {item.message}"
                           + (f" (the value came from `{flag}`)" if flag else ""), span,
                           path=path, help=_help(field, zone)))
    if not found:
        zone = "timezone" in message.lower()
        span, flag = _trace(text, "timezone", flags) if zone else (None, None)
        found.append(error("SC302" if zone else "SC300", f"the server rejected the request (HTTP {status}): {message}"
                           + (f" (the zone came from `{flag}`)" if flag else ""),
                           span, path=path, help=_help("timezone", True) if zone else None))
    return found


def conflict_diagnostic(text: Union[str, bytes], path: Optional[str], email: str, message: str,
                        adopt: bool = False) -> Diagnostic:
    """SC303: the e-mail is already registered (409). `adopt`: the command can take the user over
    (`apply`), which is then the first way out its help names, as `apply`'s result line does."""
    help_ = ("pass --if-exists adopt to take the existing user over and update it to match the file, "
             "--if-exists skip to leave it as it is, or use another e-mail" if adopt else
             "pass --if-exists skip to count an existing user as done, or use another e-mail")
    return error("SC303", f"a user with the e-mail `{email}` already exists: {message}", field_span(text, "email"),
                 path=path, help=help_)


def _help(field: str, zone: bool) -> Optional[str]:
    if zone:
        return "use an IANA zone name the server knows, like `Europe/London`; `schedc check` accepts only those"
    if field == "email":
        return "check the address for typos; the server's rules can be stricter than `schedc check`"
    return None


__all__ = ["conflict_diagnostic", "field_span", "rejection_diagnostics"]
