"""Syntax tree → meaning: the week each day rule builds, the zones, the user and the meeting.

DESIGN §3: rules apply in order; times add ranges to their days, `off` clears them. Overnight
ranges are split at midnight first (§8.3). Building the week is also where overlaps show, so
this pass reports the diagnostics that belong to resolving names and times; `checks.py` runs
the rest over the result.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from . import nodes as n
from . import words as v
from .diagnostics import Diagnostic, Label, error, warning


class Piece(NamedTuple):
    """A range on one day, in minutes (end 1440 = midnight), and the source range it came from."""

    start: int
    end: int
    origin: n.TimeRange


class Schedule:
    """What a document means, before the command line fills in the gaps."""

    def __init__(self) -> None:
        self.week: Optional[list[list[Piece]]] = None  # None when the file has no day rules at all
        self.availability: Optional[n.AvailabilityStatement] = None
        self.availability_zone: Optional[n.Word] = None  # from a day rule, a bare `tz` or `availability`
        self.user: Optional[n.UserStatement] = None
        self.meeting: Optional[n.MeetingStatement] = None
        self.duration: Optional[int] = None
        self.channel: Optional[str] = None
        self.day_rules: list[n.DayRule] = []
        self.week_has_errors = False  # a day rule had an error, so an empty week proves nothing

    @property
    def user_zone(self) -> Optional[n.Word]:
        return self.user.tz if self.user else None


def resolve(doc: n.Document) -> tuple[Schedule, list[Diagnostic]]:
    schedule, found = Schedule(), []
    for statement in doc.statements:
        if isinstance(statement, n.DayRule):
            schedule.day_rules.append(statement)
            if schedule.week is None:
                schedule.week = [[] for _ in range(7)]
            before = len(found)
            _apply_rule(statement, schedule.week, found)
            schedule.week_has_errors |= any(d.is_error for d in found[before:])
            if statement.tz:
                _set_zone(schedule, statement.tz, found)
        elif isinstance(statement, n.TzStatement):
            _set_zone(schedule, statement.zone, found)
        elif isinstance(statement, n.AvailabilityStatement):
            if _once(schedule.availability, statement, _availability_key, "availability", found):
                schedule.availability = statement
            if schedule.week is None:
                schedule.week = [[] for _ in range(7)]
            if statement.tz:
                _set_zone(schedule, statement.tz, found)
        elif isinstance(statement, n.UserStatement):
            if _once(schedule.user, statement, _user_key, "user", found):
                schedule.user = statement
        elif isinstance(statement, n.MeetingStatement):
            if _once(schedule.meeting, statement, _meeting_key, "meeting", found):
                schedule.meeting = statement
                schedule.duration = v.parse_duration(statement.duration.text)
                schedule.channel = v.channel(statement.channel.text) if statement.channel else None
    return schedule, found


# ---- statements that may appear once (or again with the same value)
def _availability_key(s: n.AvailabilityStatement):
    return s.name.text


def _user_key(s: n.UserStatement):
    return tuple(w.text if w else None for w in (s.given, s.family, s.email, s.tz))


def _meeting_key(s: n.MeetingStatement):
    return (s.name.text if s.name else None, v.parse_duration(s.duration.text),
            v.channel(s.channel.text) if s.channel else None, s.slug.text if s.slug else None)


def _once(previous, statement, key, what: str, found: list[Diagnostic]) -> bool:
    if previous is None:
        return True
    if key(previous) != key(statement):
        found.append(error(
            "SC112", f"a second `{what}` statement with different values", statement.span,
            labels=(Label(previous.span, f"first `{what}` statement"),),
            help=f"a file describes one user: keep one `{what}` statement"))
    return False


def _set_zone(schedule: Schedule, zone: n.Word, found: list[Diagnostic]) -> None:
    first = schedule.availability_zone
    if first is None:
        schedule.availability_zone = zone
    elif first.text != zone.text:
        found.append(error(
            "SC113", f"time zone `{zone.text}` differs from `{first.text}` given on line {first.span.line}",
            zone.span, labels=(Label(first.span, "first zone"),),
            help="the availability has one zone: give it once, or give the same zone everywhere"))


# ---- day rules
def _apply_rule(rule: n.DayRule, week: list[list[Piece]], found: list[Diagnostic]) -> None:
    days = _rule_days(rule, found)
    if rule.off is not None:
        for day in days:
            week[day].clear()
        return
    if not rule.times:
        if days:
            named = " ".join(item_text(i) for i in rule.days)
            found.append(error(
                "SC104", f"`{named}` is named with no hours", rule.days_span,
                help=f"give hours, like `{named} 09:00-17:00`, or write `{named} off`"))
        return
    pieces_by_offset: list[tuple[int, Piece]] = []  # (0 = same day, 1 = next day, Piece)
    for time_range in rule.times:
        pieces_by_offset.extend(_range_pieces(time_range, found))
    clashes: dict[tuple, list[int]] = {}
    for day in days:
        for offset, piece in pieces_by_offset:
            target = (day + offset) % 7
            for other in week[target]:
                kind = _clash(piece, other)
                if kind:
                    clashes.setdefault((kind, piece.origin, other.origin), []).append(target)
            week[target].append(piece)
    for (kind, new, old), on_days in clashes.items():
        found.append(_clash_diagnostic(kind, new, old, on_days, week))


def item_text(item: n.DayItem) -> str:
    return f"{item.first.text}-{item.last.text}" if item.last else item.first.text


def _rule_days(rule: n.DayRule, found: list[Diagnostic]) -> list[int]:
    """The days a rule names, each once, in the order named."""
    days: list[int] = []
    named_by: dict[int, n.DayItem] = {}
    for item in rule.days:
        item_days = _item_days(item, found)
        for day in item_days:
            if day in named_by:
                if named_by[day] is not item:
                    fix = (f"remove `{item_text(item)}`" if item.last is None else
                           f"narrow `{item_text(item)}` or `{item_text(named_by[day])}` so they share no day")
                    found.append(warning(
                        "SC126", f"`{v.DAY_SHORT[day]}` is named twice in this rule", item.span,
                        labels=(Label(named_by[day].span, "named here first"),),
                        help=f"it counts once; {fix}"))
                continue
            named_by[day] = item
            days.append(day)
    return days


def _item_days(item: n.DayItem, found: list[Diagnostic]) -> tuple[int, ...]:
    if item.last is None:
        aliased = v.alias_days(item.first.text)
        if aliased is not None:
            return aliased
    first, last = _day(item.first, item, found), (_day(item.last, item, found) if item.last else None)
    if first is None or (item.last is not None and last is None):
        return ()
    if last is None:
        return (first,)
    if first == last:
        found.append(warning(
            "SC125", f"`{item_text(item)}` is a range of one day", item.span,
            help=f"write `{item.first.text}` alone"))
    return tuple((first + k) % 7 for k in range((last - first) % 7 + 1))


def _day(word: n.Word, item: n.DayItem, found: list[Diagnostic]) -> Optional[int]:
    index = v.day_index(word.text)
    if index is not None:
        return index
    if v.alias_days(word.text) is not None:
        found.append(error(
            "SC106", f"`{word.text}` cannot be one end of a day range", word.span,
            help=f"write `{word.text}` on its own, or name single days like `Mon-Fri`"))
        return None
    suggestion = v.suggest_day(word.text)
    found.append(error(
        "SC106", f"unknown day `{word.text}`", word.span,
        help=f"did you mean `{suggestion}`?" if suggestion else
        "days are written `Mon`, `Mo` or `Monday`, or `weekdays`, `weekends`, `daily`"))
    return None


def _range_pieces(time_range: n.TimeRange, found: list[Diagnostic]) -> list[tuple[int, Piece]]:
    start, end = v.parse_time(time_range.start.text), v.parse_time(time_range.end.text)
    ok = True
    for word, value in ((time_range.start, start), (time_range.end, end)):
        if value is None:
            ok = False
            found.append(error("SC101", f"`{word.text}` is not a time", word.span, help=_time_help(word.text)))
    if not ok:
        return []
    if start == 1440:
        found.append(error("SC101", "`24:00` can only end a range", time_range.start.span,
                           help="start the range at `00:00`"))
        return []
    if end == 0:
        end = 1440  # an end of 00:00 is midnight at the end of the day (DESIGN §8.1)
    if end == start:
        found.append(error(
            "SC103", f"`{time_range.start.text}-{time_range.end.text}` is empty: it ends where it starts",
            time_range.span, help="for the whole day write `00:00-24:00`"))
        return []
    if end > start:
        return [(0, Piece(start, end, time_range))]
    # Overnight: belongs to the day it starts on, split at midnight (DESIGN §2, §8.3).
    return [(0, Piece(start, 1440, time_range)), (1, Piece(0, end, time_range))]


def _time_help(text: str) -> str:
    hours, _, minutes = text.partition(":")
    if hours.isdigit() and minutes.isdigit() and int(hours) <= 24 and len(minutes) == 1:
        return f"minutes have two digits: `{hours.zfill(2)}:{minutes.zfill(2)}`"
    return "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"


def _clash(piece: Piece, other: Piece) -> Optional[str]:
    if piece.start < other.end and other.start < piece.end:
        return "overlap"
    if piece.start == other.end or piece.end == other.start:
        return "touch"
    return None


def _clash_diagnostic(kind: str, new: n.TimeRange, old: n.TimeRange, days: list[int], week) -> Diagnostic:
    new_text, old_text = _range_text(new), _range_text(old)
    where = f" from line {old.span.line}" if old.span.line != new.span.line else ""
    on = v.format_days(days)
    if len(set(days)) == 1:  # `Mon 11:00-13:00` overlaps `Mon 09:00-12:00` from line 3
        what = f"`{on} {new_text}` {{}} `{on} {old_text}`{where}"
    else:  # `11:30-17:00` overlaps `09:00-12:00` on Mon-Fri
        what = f"`{new_text}` {{}} `{old_text}`{where} on {on}"
    merged = _merged_text(new, old, days[0], week)
    if kind == "overlap":
        return error(
            "SC102", what.format("overlaps"), new.span,
            labels=(Label(old.span, "overlapped range"),), note="overlaps",
            help=f"merge them into `{merged}`, or move one so they no longer share time"
            if merged else "move one range so they no longer share time")
    return warning(
        "SC120", what.format("touches"), new.span,
        labels=(Label(old.span, "touching range"),),
        help=f"write them as one range: `{merged}`" if merged else "write them as one range")


def _range_text(time_range: n.TimeRange) -> str:
    return f"{time_range.start.text}-{time_range.end.text}"


def _merged_text(new: n.TimeRange, old: n.TimeRange, day: int, week) -> Optional[str]:
    pieces = [p for p in week[day] if p.origin is new or p.origin is old]
    if not pieces:
        return None
    end = max(p.end for p in pieces)
    return f"{v.format_time(min(p.start for p in pieces))}-{v.format_time(end)}"
