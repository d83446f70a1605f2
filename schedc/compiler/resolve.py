"""Syntax tree → meaning: the week each day rule builds, the zones, the user and the meeting.

DESIGN §3: rules apply in order; times add ranges to their days, `off` clears them. Overnight
ranges are split at midnight first (§8.3). Building the week is also where overlaps show, so
this pass reports the diagnostics that belong to resolving names and times; `checks.py` runs
the rest over the result.
"""

from __future__ import annotations

import operator

from ..diagnostics import Diagnostic, Label, error, warning
from . import nodes, words
from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional


class Piece(Record):
    """A range on one day, in minutes (end 1440 = midnight), the source range it came from, and
    the day that range was written for (the day before, for the part of an overnight range that
    lies after midnight)."""

    start: int
    end: int
    origin: nodes.TimeRange
    written_on: int = -1


class Schedule:
    """What a document means, before the command line fills in the gaps."""

    # Values that most files leave as they are live on the class: a Schedule is made per file.
    week: Optional[list[list[Piece]]] = None  # None when the file has no day rules at all
    availability: Optional[nodes.AvailabilityStatement] = None
    availability_zone: Optional[nodes.Word] = None  # from a day rule, a bare `tz` or `availability`
    user: Optional[nodes.UserStatement] = None
    meeting: Optional[nodes.MeetingStatement] = None
    holidays: Optional[nodes.HolidaysStatement] = None  # the first `holidays` statement
    duration: Optional[int] = None
    channel: Optional[str] = None
    week_has_errors = False  # a day rule had an error, so an empty week proves nothing

    def __init__(self) -> None:
        self.zone_words: list[nodes.Word] = []  # every place the file gives the availability's zone, in order
        self.day_rules: list[nodes.DayRule] = []

    @property
    def user_zone(self) -> Optional[nodes.Word]:
        return self.user.tz if self.user else None


def resolve(doc: nodes.Document) -> tuple[Schedule, list[Diagnostic]]:
    schedule, found = Schedule(), []
    builder = _WeekBuilder()
    for statement in doc.statements:
        if isinstance(statement, nodes.DayRule):
            schedule.day_rules.append(statement)
            if schedule.week is None:
                schedule.week = builder.week
            before = len(found)
            builder.apply(statement, found)
            if len(found) > before:
                schedule.week_has_errors |= any(d.is_error for d in found[before:])
            if statement.tz:
                _set_zone(schedule, statement.tz, found)
        elif isinstance(statement, nodes.TzStatement):
            _set_zone(schedule, statement.zone, found)
        elif isinstance(statement, nodes.AvailabilityStatement):
            if _once(schedule.availability, statement, _availability_key, "availability", found):
                schedule.availability = statement
            if schedule.week is None:
                schedule.week = builder.week
            if statement.tz:
                _set_zone(schedule, statement.tz, found)
        elif isinstance(statement, nodes.UserStatement):
            if _once(schedule.user, statement, _user_key, "user", found):
                schedule.user = statement
        elif isinstance(statement, nodes.MeetingStatement):
            if _once(schedule.meeting, statement, _meeting_key, "meeting", found):
                schedule.meeting = statement
                schedule.duration = words.parse_duration(statement.duration.text)
                schedule.channel = words.channel(statement.channel.text) if statement.channel else None
        elif isinstance(statement, nodes.HolidaysStatement):
            if schedule.holidays is None:
                schedule.holidays = statement
            else:
                first = schedule.holidays
                found.append(error(
                    "SC152", "a second `holidays` statement", statement.span,
                    labels=(Label(first.span, "first `holidays` statement"),),
                    help=f"a file follows one holiday calendar: keep `holidays {first.region.text}` on line "
                         f"{first.span.line} and remove this one"))
    builder.finish(found)
    return schedule, found


# ---- statements that may appear once (or again with the same value)
def _availability_key(s: nodes.AvailabilityStatement):
    return s.name.text


def _user_key(s: nodes.UserStatement):
    return tuple(w.text if w else None for w in (s.given, s.family, s.email, s.tz))


def _meeting_key(s: nodes.MeetingStatement):
    return (s.name.text if s.name else None, words.parse_duration(s.duration.text),
            words.channel(s.channel.text) if s.channel else None, s.slug.text if s.slug else None)


def _once(previous, statement, key, what: str, found: list[Diagnostic]) -> bool:
    if previous is None:
        return True
    if key(previous) != key(statement):
        found.append(error(
            "SC112", f"a second `{what}` statement with different values", statement.span,
            labels=(Label(previous.span, f"first `{what}` statement"),),
            help=f"a file describes one user: keep one `{what}` statement"))
    return False


def _set_zone(schedule: Schedule, zone: nodes.Word, found: list[Diagnostic]) -> None:
    schedule.zone_words.append(zone)
    first = schedule.availability_zone
    if first is None:
        schedule.availability_zone = zone
    elif first.text != zone.text:
        found.append(error(
            "SC113", f"time zone `{zone.text}` differs from `{first.text}` given on line {first.span.line}",
            zone.span, labels=(Label(first.span, "first zone"),),
            help="the availability has one zone: give it once, or give the same zone everywhere"))


# ---- day rules
# What the week builder remembers about rules, by name rather than by position. Plain classes
# with slots, not dataclasses: `dataclasses` imports `inspect`, which would add about a fifth
# to the start-up of `schedc check` (python -X importtime).
class _Named:
    """A rule and the days it names."""
    __slots__ = ("rule", "days")

    def __init__(self, rule: nodes.DayRule, days: list[int]) -> None:
        self.rule, self.days = rule, days


class _Cleared:
    """A rule whose pieces later `off`s cleared: how many, and the last `off` that did."""
    __slots__ = ("rule", "pieces", "by")

    def __init__(self, rule: nodes.DayRule, by: nodes.DayRule) -> None:
        self.rule, self.pieces, self.by = rule, 0, by


class _Clash:
    """One overlap or touch (the pieces in the order applied) and the days it happens on."""
    __slots__ = ("pieces", "days")

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces, self.days = pieces, []


class _WeekBuilder:
    """Applies day rules in order (DESIGN §3) and reports what clashes or has no effect.

    Pieces on a day live together from one `off` of that day to the next, so overlaps are
    looked for once per day and stretch (when `off` clears it, and at the end), with one sort
    and sweep each: O(n log n) however the ranges are spread over rules. What only a diagnostic
    needs (which rule a range came from, the days a rule names) is looked up when one is due.
    """

    def __init__(self) -> None:
        self.week: list[list[Piece]] = [[], [], [], [], [], [], []]
        self.cleared: dict[int, _Cleared] = {}  # id(rule) → what later `off`s cleared of it
        self.waiting: list[list[nodes.DayRule]] = [[], [], [], [], [], [], []]  # `off`s that cleared nothing, by day
        self.undone: dict[int, dict[int, nodes.DayRule]] = {}  # id(off) → {day: the later rule that gave it hours}
        self.offs: list[_Named] = []
        self.applied: list[_Named] = []  # every rule with the days it names
        self._rule_of: Optional[dict[int, nodes.DayRule]] = None  # id(TimeRange) → its rule, made on first need
        self._days_of: Optional[dict[int, frozenset[int]]] = None  # id(rule) → the days it names, made on first need
        self.clashes: dict[tuple, _Clash] = {}

    def apply(self, rule: nodes.DayRule, found: list[Diagnostic]) -> None:
        days = _rule_days(rule, found)
        named = _Named(rule, days)
        self.applied.append(named)
        if self._rule_of is not None:  # kept up to date once something needed it
            self._rule_of.update((id(t), rule) for t in rule.times)
        week, waiting = self.week, self.waiting
        if rule.off is not None:
            self.offs.append(named)
            for day in days:
                pieces = week[day]
                if pieces:
                    if len(pieces) > 1 and not _apart(sorted(pieces, key=_by_start)):
                        self._look_for_clashes(day)
                    rule_of = self.rule_of()
                    for piece in pieces:
                        earlier = rule_of[id(piece.origin)]
                        entry = self.cleared.get(id(earlier))
                        if entry is None:
                            entry = self.cleared[id(earlier)] = _Cleared(earlier, rule)
                        entry.pieces += 1
                        entry.by = rule
                    week[day] = []
                else:
                    waiting[day].append(rule)
            return
        if not rule.times:
            if days:
                named = " ".join(item_text(i) for i in rule.days)
                found.append(error(
                    "SC104", f"`{named}` is named with no hours", rule.days_span,
                    help=f"give hours, like `{named} 09:00-17:00`, or write `{named} off`"))
            return
        pieces = _rule_pieces(rule, found)
        for day in days:
            for offset, start, end, origin in pieces:
                target = (day + 1) % 7 if offset else day
                week[target].append(_new(Piece, (start, end, origin, day)))
                if waiting[target]:
                    for off in waiting[target]:
                        self.undone.setdefault(id(off), {})[target] = rule
                    waiting[target] = []

    def rule_of(self) -> dict[int, nodes.DayRule]:
        """id(TimeRange) → the rule it belongs to."""
        if self._rule_of is None:
            self._rule_of = {id(t): named.rule for named in self.applied for t in named.rule.times}
        return self._rule_of

    def finish(self, found: list[Diagnostic]) -> None:
        week = self.week
        for day, pieces in enumerate(week):
            if len(pieces) > 1:
                # Keep the week readable for the checks and lowering: each day's pieces by start.
                ordered = sorted(pieces, key=_by_start)
                if not _apart(ordered):
                    self._look_for_clashes(day)  # in the order the pieces were applied
                week[day] = ordered
        for (kind, *_), clash in self.clashes.items():
            found.append(_clash_diagnostic(kind, clash.pieces, clash.days, self._one_place(clash.pieces)))
        self._no_effect(found)

    def _look_for_clashes(self, day: int) -> None:
        from .overlaps import clashes

        pieces = self.week[day]
        order = {id(p): i for i, p in enumerate(pieces)}  # the order they were applied in
        found = clashes([(p.start, p.end, p) for p in pieces])
        for group in found.groups:
            group = sorted(group, key=lambda p: order[id(p)])
            key = ("overlap", *(id(p.origin) for p in group[:2]), group[1].written_on - day, len(group))
            self._clash(key, group).days.append(day)
        for earlier, later in found.touches:
            first, second = sorted((earlier, later), key=lambda p: order[id(p)])
            key = ("touch", id(second.origin), id(first.origin), second.written_on - day, 2)
            self._clash(key, [first, second]).days.append(day)

    def _clash(self, key: tuple, pieces: list[Piece]) -> _Clash:
        clash = self.clashes.get(key)
        if clash is None:
            clash = self.clashes[key] = _Clash(pieces)
        return clash

    def _one_place(self, pieces: list[Piece]) -> bool:
        """Whether one range could replace these without changing any day: they come from one
        rule, or from rules that name the same days."""
        if self._days_of is None:  # made once, after the last rule
            self._days_of = {id(named.rule): frozenset(named.days) for named in self.applied}
        rule_of, days_of = self.rule_of(), self._days_of
        return len({days_of[id(rule_of[id(p.origin)])] for p in pieces}) == 1

    def _no_effect(self, found: list[Diagnostic]) -> None:
        """SC127: a rule that a later one undoes entirely (DESIGN §3: rules apply in order)."""
        days_of = {id(named.rule): named.days for named in self.applied} if self.cleared else {}
        for rule_id, cleared in self.cleared.items():
            rule, off = cleared.rule, cleared.by
            if cleared.pieces == len(days_of[rule_id]) * len(_rule_pieces(rule, [])):  # every piece it added
                found.append(warning(
                    "SC127", f"`{_rule_text(rule)}` has no effect: `{_rule_text(off)}` on line "
                    f"{off.span.line} clears every hour it adds", rule.span,
                    labels=(Label(off.span, "cleared here"),),
                    help=f"remove it, or move `{_rule_text(off)}` before it if only some of its days are off"))
        for named in self.offs:
            off, days = named.rule, named.days
            undone = self.undone.get(id(off), {})
            if days and all(day in undone for day in days):
                later = max(undone.values(), key=lambda r: (r.span.line, r.span.column))
                found.append(warning(
                    "SC127", f"`{_rule_text(off)}` has no effect: rules apply in order, and line "
                    f"{later.span.line} gives {words.format_days(days)} hours afterwards", off.span,
                    labels=(Label(later.span, "hours given here"),),
                    help=f"move `{_rule_text(off)}` after line {later.span.line} to keep "
                         f"{words.format_days(days)} off, or remove it"))


_by_start = operator.itemgetter(0, 1)  # a Piece's (start, end)
# A Piece without the Python-level NamedTuple constructor: 2.4% of a compile (bench/instructions.py
# compile, docs/performance.md); tests/test_speed_tricks.py holds it equal to `Piece(...)`.
_new = tuple.__new__


def _apart(ordered: list[Piece]) -> bool:
    """True when no two pieces (sorted by start) overlap or touch: then `overlaps.clashes` would
    find nothing."""
    reach = -1
    for piece in ordered:
        if piece.start <= reach:
            return False
        reach = piece.end  # sorted by start, each ends after it starts: the latest end so far
    return True


def _rule_text(rule: nodes.DayRule) -> str:
    days = ",".join(item_text(i) for i in rule.days)
    if rule.off is not None:
        return f"{days} {rule.off.text}"
    return f"{days} " + ",".join(_range_text(t) for t in rule.times)


def item_text(item: nodes.DayItem) -> str:
    return f"{item.first.text}-{item.last.text}" if item.last else item.first.text


def _rule_days(rule: nodes.DayRule, found: list[Diagnostic]) -> list[int]:
    """The days a rule names, each once, in the order named."""
    days: list[int] = []
    numbers = words.DAY_NUMBERS
    for item in rule.days:  # the common case first: day names, no range of one day
        first = numbers.get(item.first.text.lower())
        if item.last is None:
            if first is not None:
                days.append(first)
                continue
            aliased = words.DAY_ALIASES.get(item.first.text.lower())
            if aliased is None:
                return _rule_days_in_full(rule, found)
            days.extend(aliased)
            continue
        last = numbers.get(item.last.text.lower())
        if first is None or last is None or first == last:
            return _rule_days_in_full(rule, found)
        days.extend(range(first, last + 1) if first < last else (*range(first, 7), *range(last + 1)))
    if len(rule.days) == 1 or len(set(days)) == len(days):
        return days
    return _rule_days_in_full(rule, found)


def _rule_days_in_full(rule: nodes.DayRule, found: list[Diagnostic]) -> list[int]:
    """`_rule_days` for any rule, with the diagnostics of its day names."""
    named = [(item, _item_days(item, found)) for item in rule.days]
    days = []
    named_by: dict[int, nodes.DayItem] = {}
    for item, item_days in named:
        for day in item_days:
            if day in named_by:
                if named_by[day] is not item:
                    fix = (f"remove `{item_text(item)}`" if item.last is None else
                           f"narrow `{item_text(item)}` or `{item_text(named_by[day])}` so they share no day")
                    found.append(warning(
                        "SC126", f"`{words.DAY_SHORT[day]}` is named twice in this rule", item.span,
                        labels=(Label(named_by[day].span, "named here first"),),
                        help=f"it counts once; {fix}"))
                continue
            named_by[day] = item
            days.append(day)
    return days


def _item_days(item: nodes.DayItem, found: list[Diagnostic]) -> tuple[int, ...]:
    if item.last is None:
        index = words.day_index(item.first.text)
        if index is not None:
            return (index,)
        aliased = words.alias_days(item.first.text)
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


def _day(word: nodes.Word, item: nodes.DayItem, found: list[Diagnostic]) -> Optional[int]:
    index = words.day_index(word.text)
    if index is not None:
        return index
    if words.alias_days(word.text) is not None:
        found.append(error(
            "SC106", f"`{word.text}` cannot be one end of a day range", word.span,
            help=f"write `{word.text}` on its own, or name single days like `Mon-Fri`"))
        return None
    suggestion = words.suggest_day(word.text)
    found.append(error(
        "SC106", f"unknown day `{word.text}`", word.span,
        help=f"did you mean `{suggestion}`?" if suggestion else
        "days are written `Mon`, `Mo` or `Monday`, or `weekdays`, `weekends`, `daily`"))
    return None


def _rule_pieces(rule: nodes.DayRule, found: list[Diagnostic]) -> list[tuple[int, int, int, nodes.TimeRange]]:
    """(0 = same day, 1 = next day, start, end, the range) for each part of each of the rule's ranges."""
    pieces = []
    parse_time = words.parse_time
    for time_range in rule.times:
        start, end = parse_time(time_range.start.text), parse_time(time_range.end.text)
        if start is not None and end is not None and 0 < end != start < 1440:  # the common cases, checked at once
            if start < end:
                pieces.append((0, start, end, time_range))
            else:  # overnight: split at midnight (DESIGN §2, §8.3)
                pieces += ((0, start, 1440, time_range), (1, 0, end, time_range))
        else:
            pieces.extend(_range_pieces(time_range, found))
    return pieces


def _range_pieces(time_range: nodes.TimeRange, found: list[Diagnostic]) -> list[tuple[int, int, int, nodes.TimeRange]]:
    """(0 = same day, 1 = next day, start, end, the range) for each part of the range."""
    start, end = words.parse_time(time_range.start.text), words.parse_time(time_range.end.text)
    if start is not None and end is not None and 0 < end != start < 1440:  # the common case, checked at once
        if end > start:
            return [(0, start, end, time_range)]
        return [(0, start, 1440, time_range), (1, 0, end, time_range)]
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
        return [(0, start, end, time_range)]
    # Overnight: belongs to the day it starts on, split at midnight (DESIGN §2, §8.3).
    return [(0, start, 1440, time_range), (1, 0, end, time_range)]


def _time_help(text: str) -> str:
    hours, _, minutes = text.partition(":")
    if hours.isdigit() and len(hours) <= 2 and minutes.isdigit() and int(hours) <= 24 and len(minutes) == 1:
        return f"minutes have two digits: `{hours.zfill(2)}:{minutes.zfill(2)}`"
    return "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"


def _clash_diagnostic(kind: str, pieces: list[Piece], days: list[int], one_place: bool) -> Diagnostic:
    """SC102 (overlap) or SC120 (touch), at the range applied second, naming each range as written.

    `pieces` is one clash on one day in the order applied: the first two clash, and for an
    overlap any others pile onto the same hours; `days` are the days it happens on.
    """
    old, new, others = pieces[0], pieces[1], pieces[2:]
    single = len(set(days)) == 1
    spilled = old.written_on != days[0] or new.written_on != days[0]
    where = f" from line {old.origin.span.line}" if old.origin.span.line != new.origin.span.line else ""
    if single:  # `Mon 11:00-13:00` overlaps `Mon 09:00-12:00` from line 3
        what = f"`{_named(new)}` {{}} `{_named(old)}`{where}"
        day = words.DAY_SHORT[days[0]]
        if old.written_on != days[0] and new.written_on != days[0]:
            what += f", in their parts after midnight, on {day}"
        elif old.written_on != days[0]:
            what += f", whose part after midnight reaches into {day}"
        elif new.written_on != days[0]:
            what += f": its part after midnight reaches into {day}"
    elif not spilled:  # `11:30-17:00` overlaps `09:00-12:00` on Mon-Fri
        what = f"`{_range_text(new.origin)}` {{}} `{_range_text(old.origin)}`{where} on {words.format_days(days)}"
    else:
        what = (f"`{_range_text(new.origin)}` {{}} `{_range_text(old.origin)}`{where} on {words.format_days(days)}, "
                "where one of them has reached past midnight from the day before")
    if others:
        what += f"; {len(others)} more range{'s' if len(others) > 1 else ''} overlap{'' if len(others) > 1 else 's'} them too"
    labels = [Label(old.origin.span, "overlapped range" if kind == "overlap" else "touching range")]
    labels += [Label(p.origin.span, "overlaps too") for p in others[:3]]
    merged = _merged_text(pieces)
    if kind == "overlap":
        if merged and one_place:
            help_ = f"merge them into `{merged}`, or move one so they no longer share time"
        elif merged:
            help_ = (f"change one so they no longer share time (together they cover `{merged}` "
                     f"on {words.format_days(days)})")
        else:
            help_ = "move one range so they no longer share time"
        return error("SC102", what.format("overlaps"), new.origin.span, labels=tuple(labels), note="overlaps",
                     help=help_)
    if merged and one_place:
        help_ = f"write them as one range: `{merged}`"
    elif merged:
        help_ = f"to write them as one range, give {words.format_days(days)} a rule of its own with `{merged}`"
    else:
        help_ = "nothing is lost; to write them as one range, move the hours onto one day's rule"
    return warning("SC120", what.format("touches"), new.origin.span, labels=tuple(labels), help=help_)


def _named(piece: Piece) -> str:
    """A range as written, with the day it was written for: `Fri 22:00-02:00`."""
    return f"{words.DAY_SHORT[piece.written_on]} {_range_text(piece.origin)}"


def _range_text(time_range: nodes.TimeRange) -> str:
    return f"{time_range.start.text}-{time_range.end.text}"


def _merged_text(pieces: list[Piece]) -> Optional[str]:
    """One range covering them all, written for the day they were all written for; None when no
    single range does so without dropping a minute (different days, or a gap between them)."""
    if len({p.written_on for p in pieces}) != 1:
        return None
    spans = sorted(_minutes(p.origin) or (-1, -1) for p in pieces)
    if spans[0][0] < 0:
        return None
    start, end = spans[0]
    for s, e in spans[1:]:
        if s > end:
            return None
        end = max(end, e)
    if end - start >= 1440:
        return None
    return f"{words.format_time(start)}-{words.format_time(end if end <= 1440 else end - 1440)}"


def _minutes(time_range: nodes.TimeRange) -> Optional[tuple[int, int]]:
    """(start, end) in minutes, an overnight end counted on past 1440."""
    start, end = words.parse_time(time_range.start.text), words.parse_time(time_range.end.text)
    if start is None or end is None:
        return None
    if end == 0:
        end = 1440
    return (start, end) if end > start else (start, end + 1440)
