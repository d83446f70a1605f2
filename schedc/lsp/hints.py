"""The week, inline: after each day rule the hours its days have once the whole file is applied
(`Mon 7h · Tue 7h · Wed off`), after the meeting how many fit in the week, and on the first line
the week in one phrase (`7h/day · 28h/week · 56 meetings`) for a code lens that opens `explain`'s grid.

Hours are what the file gives (a day to midnight is 24h); meetings are counted as `explain` and
the meeting's hover count them, on the hours `compile` sends.
"""

from __future__ import annotations

from typing import Optional

from ..compiler import nodes
from ..compiler.checks import windows
from ..config import Settings
from ..compiler.records import Record
from ..compiler.resolve import resolve
from .features import DEFAULTS, rule_days, document_of, meetings_per_day
from .text import Text

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Hint(Record):
    offset: int  # where it is shown: after the statement
    label: str
    tooltip: str


def hints(text: Text, settings: Settings = DEFAULTS) -> list[Hint]:
    document = document_of(text)
    if document is None:
        return []
    schedule, _ = resolve(document)
    week = schedule.week
    found = []
    for statement in document.statements:
        end = text.span(statement.span)[1]
        if isinstance(statement, nodes.DayRule) and week is not None:
            days = set(rule_days(statement))
            days.update(d for d, pieces in enumerate(week) for p in pieces if p.origin in statement.times)
            if days:
                label = " · ".join(f"{DAYS[d]} {duration(minutes(week[d]))}" for d in sorted(days))
                found.append(Hint(end, label, "the hours of these days once every rule of the file is applied"))
        elif isinstance(statement, nodes.MeetingStatement) and statement is schedule.meeting:
            counts = meetings_per_day(schedule, settings["end-of-day"])
            if counts:
                total = sum(counts)
                per_day = ", ".join(f"{DAYS[d]} {c}" for d, c in enumerate(counts) if week[d])
                tooltip = f"{schedule.duration} min meetings back to back" + (f": {per_day}" if per_day else "")
                found.append(Hint(end, f"{total} meeting{' fits' if total == 1 else 's fit'} in the week", tooltip))
    return found


def summary(text: Text, settings: Settings = DEFAULTS) -> Optional[str]:
    """`7h/day · 28h/week · 56 meetings`, or None when the file gives no hours."""
    document = document_of(text)
    if document is None:
        return None
    schedule, _ = resolve(document)
    if schedule.week is None:
        return None
    per_day = [minutes(pieces) for pieces in schedule.week if pieces]
    if not per_day:
        return "no hours in the week"
    low, high = min(per_day), max(per_day)
    day = duration(low) if low == high else f"{duration(low)}-{duration(high)}"
    parts = [f"{day}/day", f"{duration(sum(per_day))}/week"]
    counts = meetings_per_day(schedule, settings["end-of-day"])
    if counts:
        total = sum(counts)
        parts.append(f"{total} meeting{'' if total == 1 else 's'}")
    return " · ".join(parts)


def minutes(pieces) -> int:
    """A day's hours in minutes, touching and overlapping ranges counted once."""
    return sum(end - start for start, end, _ in windows(pieces))


def duration(total: int) -> str:
    """`7h`, `7h30`, `45min`; `off` for none."""
    if total == 0:
        return "off"
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest}min"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"
