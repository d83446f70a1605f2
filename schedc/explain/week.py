"""`schedc explain`: a schedule's week as concrete moments, and a team's coverage.

A `.sched` file describes a repeating week in wall-clock times of one zone. To show it, a
concrete week is chosen (Monday to Sunday in the zone it is shown in) and every window of every
day around it is turned into an exact stretch of time with that day's real offset; clock
changes are honoured as `clock_changes.instant` describes (a skipped start begins at the jump,
a repeated time starts at its first and ends at its last occurrence). The stretches are then
cut to the week shown and, for drawing, to its days.

Depends only on the public API (`api.parse`, `api.examine`), the syntax tree's nodes and the
diagnostics; drawing lives in `explain_grid` (terminal) and `explain_svg` (SVG).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from typing import Optional, Sequence, Union

from ..compiler import clock_changes
from ..compiler.clock_changes import instant, zone
from ..compiler.records import Record
from ..compiler.tzdb import version
from ..diagnostics import Diagnostic, error

UTC = timezone.utc
DAY = timedelta(days=1)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Person(Record):
    """One file's week: `windows[weekday]` = [(start, end)] in minutes, touching ranges merged."""

    name: str
    path: str
    zone: str
    windows: tuple[tuple[tuple[int, int], ...], ...]
    duration: Optional[int]  # the meeting's minutes, when the file has a meeting
    holidays: Optional[object] = None  # the `public_holidays.Region` whose public holidays close the day
    email: Optional[str] = None  # the user's, when the file names one: one e-mail is one person

    def closed(self, first: date, last: date) -> dict[date, str]:
        """The public holidays (date → name) from `first` to `last`, in the person's zone."""
        if self.holidays is None:
            return {}
        from ..compiler.public_holidays import dates

        return dates(self.holidays, first, last)


class Interval(Record):
    """A bookable stretch of the week shown (UTC), with the meetings that start in it."""

    start: datetime
    end: datetime
    meetings: tuple[datetime, ...]  # the start of each meeting that fits back to back
    window: int  # the minutes of the whole window, also where the week shown cuts it

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Day(Record):
    date: date
    start: datetime  # its midnight, UTC
    end: datetime  # the next midnight, UTC (23 or 25 hours later on a clock-change day)


class Week(Record):
    """One person's concrete week in the zone `shown_in`."""

    person: Person
    shown_in: str
    days: tuple[Day, ...]
    intervals: tuple[Interval, ...]
    holidays: tuple[tuple[date, str], ...] = ()  # the person's public holidays among the days shown

    def holiday(self, day: Day) -> Optional[str]:
        return next((name for when, name in self.holidays if when == day.date), None)

    def day_minutes(self, day: Day) -> int:
        return sum(_overlap(i.start, i.end, day.start, day.end) for i in self.intervals)

    def day_meetings(self, day: Day) -> int:
        return sum(day.start <= m < day.end for i in self.intervals for m in i.meetings)

    @property
    def minutes(self) -> int:
        return sum(i.minutes for i in self.intervals)

    @property
    def meetings(self) -> int:
        return sum(len(i.meetings) for i in self.intervals)


# ---- reading a file
def load(data: Union[str, bytes], path: str, *, timezone: Optional[str] = None,
         end_of_day: str = "23:59") -> tuple[Optional[Person], list[Diagnostic]]:
    """A file's `Person` and its diagnostics; no person when it has an error or no zone.

    `timezone` (the `timezone` setting) is the zone of a file that names none, as `compile`
    fills it in; `end_of_day` is checked as `check` checks it. The week is the one `compile`
    sends: with the default end of day `23:59`, a window that runs to midnight ends a minute
    before it (and a range past midnight is two windows a minute apart), so the minutes and
    meetings counted are the ones the server is given."""
    from ..api import examine, parse
    from ..diagnostics import ScheduleError

    try:
        document = parse(data, path)
    except ScheduleError as exc:
        return None, exc.diagnostics
    schedule, found = examine(document, end_of_day=end_of_day)
    # A file needs no user to be explained: the warning that compiling will need one is not news here.
    found = [d._replace(path=path) for d in found if d.code != "SC205"]
    zone_name = clock_changes.schedule_zone(schedule)
    if zone_name is None and timezone is not None:
        from ..compiler.identity import setting_zone_diagnostics

        zone_name = timezone
        found = [d for d in found if d.code != "SC202"]
        found += [d._replace(path=path) for d in setting_zone_diagnostics(timezone)]  # as `check` says
    if zone_name is None:
        found = [d for d in found if d.code != "SC202"]
        found.append(error("SC202", "no time zone: explain needs one to place the week", None, path=path,
                           help="add `tz Europe/London` (or your zone) to the file"))
    found.sort(key=Diagnostic.sort_key)
    if any(d.is_error for d in found) or zone(zone_name) is None:
        return None, found
    midnight = 1439 if end_of_day == "23:59" else 1440
    windows = tuple(tuple(_merge((p.start, min(p.end, midnight)) for p in pieces))
                    for pieces in (schedule.week or [[]] * 7))
    region = None
    if schedule.holidays is not None:
        from ..compiler.public_holidays import region as region_of

        region = region_of(schedule.holidays.region.text)
    email = schedule.user.email.text if schedule.user is not None else None
    return Person(_name(schedule, path), path, zone_name, windows, schedule.duration, region, email), found


def _merge(ranges) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _name(schedule, path: str) -> str:
    user = schedule.user
    if user is not None:
        words = [w.text for w in (user.given, user.family) if w is not None and w.text.strip()]
        if words:
            return " ".join(words)
    base = os.path.basename(path)
    return base[:-6] if base.endswith(".sched") else base


# ---- weeks
def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days_of(monday: date, zone_name: str) -> tuple[Day, ...]:
    midnights = [instant(zone_name, datetime.combine(monday + k * DAY, datetime.min.time())) for k in range(8)]
    return tuple(Day(monday + k * DAY, midnights[k], midnights[k + 1]) for k in range(7))


def concrete(person: Person, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Every window of the dates first..last (in the person's zone) as exact UTC stretches, in
    order. Windows that overlap (the night the clocks go back, one ending at the last 01:00 and
    the next starting at the first 01:15) are one stretch: the person is bookable once."""
    found: list[tuple[datetime, datetime]] = []
    closed = person.closed(first, last)  # a public holiday of the file's `holidays`: no window that day
    day = first
    while day <= last:
        if day in closed:
            day += DAY
            continue
        midnight = datetime.combine(day, datetime.min.time())
        for start, end in person.windows[day.weekday()]:
            begin = instant(person.zone, midnight + timedelta(minutes=start))
            finish = instant(person.zone, midnight + timedelta(minutes=end), end=True)
            if finish > begin:  # a window wholly inside a skipped hour is gone that day
                found.append((begin, finish))
        day += DAY
    union: list[tuple[datetime, datetime]] = []
    for begin, finish in sorted(found):
        if union and begin < union[-1][1]:  # overlapping, not merely touching
            union[-1] = (union[-1][0], max(union[-1][1], finish))
        else:
            union.append((begin, finish))
    return union


def week(person: Person, monday: date, shown_in: Optional[str] = None) -> Week:
    """The person's week Monday..Sunday as seen in `shown_in` (their own zone by default)."""
    shown = shown_in or person.zone
    days = days_of(monday, shown)
    start, end = days[0].start, days[-1].end
    intervals = []
    for begin, finish in concrete(person, monday - 2 * DAY, monday + 8 * DAY):
        if finish <= start or begin >= end:
            continue
        meetings: tuple[datetime, ...] = ()
        if person.duration:
            step, moment, starts = timedelta(minutes=person.duration), begin, []
            while moment + step <= finish:
                if start <= moment < end:
                    starts.append(moment)
                moment += step
            meetings = tuple(starts)
        intervals.append(Interval(max(begin, start), min(finish, end), meetings,
                                  int((finish - begin).total_seconds() // 60)))
    closed = person.closed(days[0].date, days[-1].date)
    return Week(person, shown, days, tuple(intervals), tuple(sorted(closed.items())))


def wall_minutes(moment: datetime, day: Day, zone_name: str) -> int:
    """Where `moment` stands on the wall clock of `day` in minutes (the next midnight is 1440)."""
    if moment >= day.end:
        return 1440
    local = moment.astimezone(zone(zone_name)).replace(tzinfo=None)
    return max(0, int((local - datetime.combine(day.date, datetime.min.time())).total_seconds() // 60))


def pieces(start: datetime, end: datetime, day: Day, zone_name: str) -> Optional[tuple[int, int]]:
    """The part of [start, end) on `day`, as wall-clock minutes, or None."""
    begin, finish = max(start, day.start), min(end, day.end)
    if finish <= begin:
        return None
    low, high = wall_minutes(begin, day, zone_name), wall_minutes(finish, day, zone_name)
    return low, max(low, high)


def _overlap(a: datetime, b: datetime, c: datetime, d: datetime) -> int:
    return max(0, int((min(b, d) - max(a, c)).total_seconds() // 60))


def clock_changes_in(days: Sequence[Day], zone_name: str) -> list[tuple[Day, clock_changes.Transition]]:
    """The clock changes of `zone_name` during the days shown, each with the day (shown) it falls on."""
    found = []
    for change in clock_changes.transitions(zone_name, days[0].start, days[-1].end):
        for day in days:
            if day.start <= change.at < day.end:
                found.append((day, change))
    return found


def change_day(change: clock_changes.Transition) -> date:
    """The date a clock change happens on in its own zone (the clocks' date just before it)."""
    return change.wall_before.date()


def change_notes(days: Sequence[Day], zones: Sequence[str], shown: str,
                 arrow: str = "->") -> tuple[set[date], list[str]]:
    """(the days shown that hold a clock change, one note per change). A note is dated in the
    changing zone's own calendar; when the view's day differs (`--in` from far away), it follows."""
    marked, notes = set(), []
    for name in dict.fromkeys(zones):
        for day, change in clock_changes_in(days, name):
            marked.add(day.date)
            way = "forward" if change.after > change.before else "back"
            local = change_day(change)
            note = (f"* {local:%a %d %b}: clocks go {way} in {name}, "
                    f"{change.wall_before:%H:%M} {arrow} {change.wall_after:%H:%M}")
            if local != day.date:
                note += f" ({day.date:%a %d %b} in {shown})"
            notes.append(note)
    return marked, notes


# ---- a team
class Slot(Record):
    """A stretch of the week in which the same people are bookable."""

    start: datetime
    end: datetime
    people: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class Team(Record):
    shown_in: str
    days: tuple[Day, ...]
    weeks: tuple[Week, ...]
    slots: tuple[Slot, ...]  # the whole week, split at the shown zone's midnights
    gaps: tuple[Slot, ...]  # nobody bookable, inside each day's first and last covered moment

    @property
    def people(self) -> tuple[Person, ...]:
        return tuple(w.person for w in self.weeks)


def team(people: Sequence[Person], monday: date, shown_in: str) -> Team:
    days = days_of(monday, shown_in)
    weeks = tuple(week(p, monday, shown_in) for p in people)
    cuts = {d.start for d in days} | {days[-1].end}
    for w in weeks:
        for i in w.intervals:
            cuts.update((i.start, i.end))
    ordered = sorted(cuts)
    names = _unique_names([w.person for w in weeks])
    slots: list[Slot] = []
    midnights = {d.start for d in days}
    for a, b in zip(ordered, ordered[1:]):
        present = tuple(name for name, w in zip(names, weeks)
                        if any(i.start <= a and b <= i.end for i in w.intervals))
        if slots and slots[-1].people == present and a not in midnights:
            slots[-1] = slots[-1]._replace(end=b)
        else:
            slots.append(Slot(a, b, present))
    gaps = []
    for day in days:
        covered = [s for s in slots if day.start <= s.start < day.end and s.people]
        if not covered:
            continue
        first, last = covered[0].start, covered[-1].end
        gaps += [s for s in slots if first <= s.start and s.end <= last and not s.people]
    return Team(shown_in, days, weeks, tuple(slots), tuple(gaps))


def _unique_names(people: Sequence[Person]) -> list[str]:
    """Each person's name, with the file added when two people share one."""
    counts: dict[str, int] = {}
    for p in people:
        counts[p.name] = counts.get(p.name, 0) + 1
    return [p.name if counts[p.name] == 1 else f"{p.name} ({p.path})" for p in people]


def team_names(t: Team) -> list[str]:
    return _unique_names(t.people)


# ---- JSON
def iso(moment: datetime, zone_name: Optional[str] = None) -> str:
    """ISO 8601 with the offset; UTC is written with `Z`."""
    if zone_name is None:
        return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    return moment.astimezone(zone(zone_name)).isoformat(timespec="seconds")


def week_json(w: Week, in_zone: Optional[str]) -> dict:
    person = w.person

    def both(start: datetime, end: datetime) -> dict:
        shown = {"zone": {"start": iso(start, person.zone), "end": iso(end, person.zone)},
                 "utc": {"start": iso(start), "end": iso(end)}}
        if in_zone:
            shown["in"] = {"start": iso(start, in_zone), "end": iso(end, in_zone)}
        return shown

    result = {
        "file": person.path,
        "name": person.name,
        "zone": person.zone,
        "tzdata": version(),
    }
    if in_zone:
        result["in"] = in_zone
    result.update({
        "week": {"from": w.days[0].date.isoformat(), "to": w.days[-1].date.isoformat()},
        "meeting_minutes": person.duration,
        "intervals": [{**both(i.start, i.end), "minutes": i.minutes, "meetings": len(i.meetings)}
                      for i in w.intervals],
        "days": [{"date": d.date.isoformat(), "day": DAY_NAMES[d.date.weekday()],
                  "minutes": w.day_minutes(d), "meetings": w.day_meetings(d),
                  **({"holiday": w.holiday(d)} if w.holiday(d) else {})} for d in w.days],
        "total": {"minutes": w.minutes, "meetings": w.meetings},
        **({} if person.holidays is None else {
            "holidays": [{"date": when.isoformat(), "name": name} for when, name in w.holidays]}),
        "clock_changes": [_change_json(day, change, name)
                          for name in dict.fromkeys(filter(None, (person.zone, in_zone)))
                          for day, change in clock_changes_in(w.days, name)],
    })
    return result


def team_json(t: Team) -> dict:
    names = team_names(t)

    def stretch(slot: Slot) -> dict:
        return {"start": iso(slot.start, t.shown_in), "end": iso(slot.end, t.shown_in),
                "utc": {"start": iso(slot.start), "end": iso(slot.end)},
                "minutes": slot.minutes}

    return {
        "zone": t.shown_in,
        "tzdata": version(),
        "week": {"from": t.days[0].date.isoformat(), "to": t.days[-1].date.isoformat()},
        "people": [{"name": name, "file": w.person.path, "zone": w.person.zone,
                    **({} if w.person.holidays is None else {
                        "holidays": [{"date": when.isoformat(), "name": title} for when, title in w.holidays]})}
                   for name, w in zip(names, t.weeks)],
        "slots": [{**stretch(s), "count": len(s.people), "people": list(s.people)} for s in t.slots],
        "gaps": [stretch(s) for s in t.gaps],
    }


def _change_json(day: Day, change: clock_changes.Transition, zone_name: str) -> dict:
    return {"zone": zone_name, "date": change_day(change).isoformat(), "utc": iso(change.at),
            "from": change.wall_before.strftime("%H:%M"), "to": change.wall_after.strftime("%H:%M")}
