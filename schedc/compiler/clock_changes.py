"""Clock changes: when a zone's offset changes, what local times they skip or repeat, and the
lints SC130 (a window starts or ends at a time that does not exist), SC131 (a window spans a
repeated hour) and SC132 (a window spans a skipped hour) over the coming twelve months.

The lints fire exactly when, on some date of those months, a window's real start or real length
differs from what it reads, with the windows as `compile` sends them (midnight as `23:59` by
default) and placed in time as `explain` places them (`instant`): a start skipped over is moved
to the jump, a window ending where the clocks jump (`00:00-02:00` in Berlin) is not.

Transitions are found by sampling a zone's offset once a week and narrowing each change down
to the second; a year of one zone is computed once per process. Depends on nothing but the standard
library, `diagnostics` and `tzdb`, so `checks` can run the lints without loading anything heavier.
"""

from __future__ import annotations

import functools
import math
import os
from datetime import date, datetime, timedelta, timezone

from ..diagnostics import Diagnostic, warning
from .records import Record
from .tzdb import zone  # a zone's offsets, from the tzdata package as its name is

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Iterable, Optional, Sequence

UTC = timezone.utc
DAY = timedelta(days=1)
# How far apart the offset is sampled before a change is narrowed down to the second. No zone
# changes its clocks twice within a week (tests/test_explain.py compares this with sampling
# daily, for every zone over years to come), and a week costs a seventh of a cold check's work.
SAMPLE = timedelta(days=7)
MINUTE = timedelta(minutes=1)
TODAY_VARIABLE = "SCHEDC_TODAY"  # YYYY-MM-DD: the "today" of the lints and of `explain` (tests, reproducible runs)


class Transition(Record):
    """The moment a zone's offset changes: `at` (UTC), the offset before and the offset after."""

    at: datetime
    before: timedelta
    after: timedelta

    @property
    def wall_before(self) -> datetime:
        """The local time (naive) the clocks show just before the change: where they jump from."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def wall_after(self) -> datetime:
        """The local time (naive) the clocks show right after the change: where they jump to."""
        return (self.at + self.after).replace(tzinfo=None)

    @property
    def skipped(self) -> Optional[tuple[datetime, datetime]]:
        """The local times that do not exist, [from, to), when the clocks go forward."""
        return (self.wall_before, self.wall_after) if self.after > self.before else None

    @property
    def repeated(self) -> Optional[tuple[datetime, datetime]]:
        """The local times that happen twice, [from, to), when the clocks go back."""
        return (self.wall_after, self.wall_before) if self.after < self.before else None


@functools.lru_cache(maxsize=None)
def _year_transitions(name: str, year: int, step: timedelta = SAMPLE) -> tuple[Transition, ...]:
    tz = zone(name)
    if tz is None:
        return ()
    found = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        following = min(moment + step, end)
        next_offset = following.astimezone(tz).utcoffset()
        if next_offset != offset:
            low, high = moment, following  # offset(low) == offset, offset(high) != offset
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            found.append(Transition(high, offset, high.astimezone(tz).utcoffset()))
            offset = high.astimezone(tz).utcoffset()
            if offset != next_offset:  # another change within the same step: go on from there
                moment = high
                continue
        moment, offset = following, next_offset
    return tuple(found)


def transitions(name: str, start: datetime, end: datetime) -> list[Transition]:
    """The changes of offset in zone `name` at moments in [start, end) (aware datetimes)."""
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    found = []
    for year in range(start.year, end.year + 1):
        found += [t for t in _year_transitions(name, year) if start <= t.at < end]
    return found


def instant(name: str, wall: datetime, *, end: bool = False) -> datetime:
    """The UTC moment of a local time `wall` (naive) in zone `name`.

    A start is the first moment the clocks show `wall` (or pass it, when the clocks jump over
    it); an end is the last moment they show it (or the moment they jump past it). So a repeated
    time gives the earlier moment as a start and the later one as an end, and a window is always
    one unbroken stretch of time.
    """
    tz = zone(name)
    moments = []
    for fold in (0, 1):
        moment = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if moment.astimezone(tz).replace(tzinfo=None) == wall:
            moments.append(moment)
    if moments:
        return max(moments) if end else min(moments)
    # Skipped: the clocks jump from before `wall` to after it; the jump is the moment.
    around = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    for change in transitions(name, around - 2 * DAY, around + 2 * DAY):
        skipped = change.skipped
        if skipped and skipped[0] <= wall < skipped[1]:
            return change.at
    return around  # not reached for a real zone


def today() -> date:
    """`SCHEDC_TODAY` when set to a date (YYYY-MM-DD), else the local date."""
    value = os.environ.get(TODAY_VARIABLE, "").strip()
    if value:
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
    return date.today()


def parse_date(value: str) -> Optional[date]:
    """A `YYYY-MM-DD` date of the years 1900-2999, or None."""
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
    return day if day is not None and 1900 <= day.year <= 2999 else None


def minutes_text(minutes: int) -> str:
    """`90` → `1h30`, `45` → `45 min`, `120` → `2h`."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def clock(wall: datetime) -> str:
    return wall.strftime("%H:%M")


# ---- the lints
class _Window(Record):
    start: int
    end: int
    first: object  # the piece that starts the window
    last: object  # the piece that ends it


def _windows(pieces: Sequence, midnight: int = 1439) -> list[_Window]:
    """A day's ranges with touching ones merged (as the bookability checks and `explain` merge
    them), ending at `midnight` at the latest: 1439 when the end of day is sent as `23:59`."""
    merged: list[list] = []
    for piece in sorted(pieces, key=lambda p: (p.start, p.end)):
        if merged and piece.start <= merged[-1][1]:
            if piece.end > merged[-1][1]:
                merged[-1][1], merged[-1][3] = piece.end, piece
        else:
            merged.append([piece.start, piece.end, piece, piece])
    return [_Window(start, min(end, midnight), first, last) for start, end, first, last in merged
            if min(end, midnight) > start]


def lint(week: Optional[Sequence[Sequence]], zone_name: Optional[str], *, on: Optional[date] = None,
         end_of_day: str = "23:59") -> list[Diagnostic]:
    """SC130, SC131 and SC132 for a resolved week (`week[day]` = pieces with start/end minutes and
    the source range as `origin`) in zone `zone_name`, over the twelve months from `on` (today),
    with midnight at the end of a day sent as `end_of_day`."""
    if not week or not any(week) or not zone_name or zone(zone_name) is None:
        return []
    first_day = on or today()
    if not _near_a_change(week, _risky_minutes(zone_name, first_day)):
        return []  # the common case, decided in whole minutes: no datetime arithmetic per window
    return _lint(week, zone_name, first_day, end_of_day)


def _lint(week: Sequence[Sequence], zone_name: str, first_day: date, end_of_day: str = "23:59") -> list[Diagnostic]:
    changes = _changes(zone_name, first_day)
    days = [_windows(pieces, 1439 if end_of_day == "23:59" else 1440) for pieces in week]
    found: dict[tuple, list] = {}  # key → [diagnostic parts, dates]
    for change in changes:
        around = (change.skipped or change.repeated)[0].date()
        for when in (around - DAY, around, around + DAY):
            midnight = datetime.combine(when, datetime.min.time())
            for window in days[when.weekday()]:
                begin, finish = midnight + timedelta(minutes=window.start), midnight + timedelta(minutes=window.end)
                key, parts = _finding(window, begin, finish, change, zone_name)
                if key is not None:
                    found.setdefault(key, [parts, []])[1].append(begin.date())
    return [_diagnostic(key, parts, len(dates) - 1) for key, (parts, dates) in found.items()]


def _finding(window: _Window, begin: datetime, finish: datetime, change: Transition, name: str):
    """(key, parts) of the lint a window gets on the date `begin` falls on, or (None, None) when
    it starts when it reads and lasts as long as it reads (the change passes it by)."""
    real_begin, real_end = instant(name, begin), instant(name, finish, end=True)
    lasts = max(0, int((real_end - real_begin).total_seconds() // 60))
    usual = window.end - window.start
    skipped = change.skipped
    begin_skipped = skipped is not None and skipped[0] <= begin < skipped[1]
    if not begin_skipped and lasts == usual:
        return None, None
    if skipped is None:
        return ("SC131", id(window.first.origin), window.start, window.end), (window, begin, change, name, lasts)
    for wall, piece, side, moved in ((begin, window.first, "start", begin_skipped),
                                     (finish, window.last, "end", skipped[0] < finish < skipped[1])):
        if moved and not _split_at_midnight(piece, side):
            return ("SC130", id(piece.origin), side, wall.time()), (piece, side, wall, change, name)
    return ("SC132", id(window.first.origin), window.start, window.end), (window, begin, change, name, lasts)


def _diagnostic(key: tuple, parts: tuple, more: int) -> Diagnostic:
    also = f" (and {more} more date{'s' if more > 1 else ''} in the next 12 months)" if more else ""
    if key[0] == "SC130":
        piece, side, wall, change, name = parts
        word = piece.origin.start if side == "start" else piece.origin.end
        skipped = change.skipped
        return warning(
            "SC130", f"{clock(wall)} does not exist in {name} on {_day_text(wall.date())}: clocks jump from "
            f"{clock(skipped[0])} to {clock(skipped[1])}{also}", word.span,
            help=f"that day the window {'starts' if side == 'start' else 'ends'} at {clock(skipped[1])}; "
            f"{side} outside {clock(skipped[0])}-{clock(skipped[1])} to keep it the same all year")
    window, begin, change, name, lasts = parts
    low, high = change.repeated or change.skipped
    what, moves, after = {
        "SC131": ("repeated", f"go back from {clock(high)} to {clock(low)}",
                  "happens twice that day; keep the window outside it if bookings must not shift or double"),
        "SC132": ("skipped", f"jump from {clock(low)} to {clock(high)}",
                  "does not happen that day; keep the window outside it if it must last as long every week"),
    }[key[0]]
    return warning(
        key[0], f"{clock(begin)}-{_end_text(window.end)} spans the {what} hour in {name} on "
        f"{_day_text(begin.date())}: clocks {moves}, so that day it lasts {minutes_text(lasts)} instead of "
        f"{minutes_text(window.end - window.start)}{also}", window.first.origin.span,
        help=f"{clock(low)}-{clock(high)} {after}")


def _changes(zone_name: str, first_day: date) -> list[Transition]:
    """The zone's changes in the twelve months from `first_day`."""
    tz = zone(zone_name)
    start = datetime.combine(first_day, datetime.min.time(), tzinfo=tz)
    return transitions(zone_name, start, datetime.combine(_add_year(first_day), datetime.min.time(), tzinfo=tz))


@functools.lru_cache(maxsize=64)
def _risky_minutes(zone_name: str, first_day: date) -> tuple[tuple[int, int, int, bool], ...]:
    """The minutes `lint` looks at: (weekday, low, high, repeated) for each skipped or repeated
    stretch of local time it would test that weekday's windows against, in minutes from that
    day's midnight, widened to whole minutes. A window that touches none of them cannot be linted."""
    risky = []
    for change in _changes(zone_name, first_day):
        low, high = change.skipped or change.repeated
        around = low.date()
        for when in (around - DAY, around, around + DAY):
            midnight = datetime.combine(when, datetime.min.time())
            first, last = (low - midnight) / MINUTE, (high - midnight) / MINUTE
            risky.append((when.weekday(), math.floor(first), math.ceil(last), change.repeated is not None))
    return tuple(risky)


def _near_a_change(week: Sequence[Sequence], risky: tuple) -> bool:
    """False only when no piece of the week overlaps or touches a skipped or repeated stretch:
    then `lint` finds nothing (a window starts and ends where its pieces do, and covers only what
    they cover). A true answer only means `lint` must look."""
    for day, low, high, _ in risky:
        for piece in week[day]:
            if piece.start <= high and low <= piece.end:  # in it, across it, or touching it
                return True
    return False


def _split_at_midnight(piece, side: str) -> bool:
    """True when this side of the piece is the midnight where an overnight range was split (not
    a time anyone wrote: the range goes on across it)."""
    if side == "start":
        return piece.start == 0 and _minutes(piece.origin.start.text) not in (0, None)
    return piece.end == 1440 and _minutes(piece.origin.end.text) not in (0, 1440, None)


def _minutes(text: str) -> Optional[int]:
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes) if hours.isdigit() and minutes.isdigit() else None


def _end_text(minutes: int) -> str:
    return "24:00" if minutes == 1440 else f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_text(day: date) -> str:
    return f"{day.isoformat()} ({day.strftime('%a')})"


def _add_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check(schedule, options=None) -> list[Diagnostic]:
    """The lints as one of the checks run over every file: the week in its availability zone,
    from today (or `SCHEDC_TODAY`)."""
    zone_word = schedule.availability_zone or schedule.user_zone
    if schedule.week is None or zone_word is None or schedule.week_has_errors:
        return []
    return lint(schedule.week, zone_word.text, end_of_day=getattr(options, "end_of_day", "23:59"))


def schedule_zone(schedule) -> Optional[str]:
    word = schedule.availability_zone or schedule.user_zone
    return word.text if word is not None else None


__all__: Iterable[str] = ("Transition", "transitions", "instant", "today", "lint", "check", "zone",
                          "parse_date", "minutes_text", "TODAY_VARIABLE")
