"""What the language server answers, worked out from the text alone, without the protocol.

Every answer is plain data placed by offsets into the document (`text.Text`); `server.py`
turns it into protocol messages. Nothing here raises on bad text: a file that does not parse
still gets its diagnostics, and simply no hover or quick fix where the syntax tree is needed.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

from .. import fixes
from ..api import check, examine, parse
from ..compiler import nodes, words, zones
from ..compiler.checks import windows
from ..compiler.records import Record
from ..config import Settings
from ..diagnostics import Diagnostic, ScheduleError, Span
from ..fixes import Edit, Fix  # noqa: F401 (the server's names for them)
from .text import Text

KEYWORDS = ("user", "availability", "meeting", "tz", "holidays")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_ALIASES = ("weekdays", "weekends", "daily")


class Hover(Record):
    markdown: str
    start: int
    end: int


class Item(Record):
    label: str
    kind: str  # keyword, day, zone, channel, region
    detail: str
    start: int  # the text the item replaces
    end: int


DEFAULTS = Settings()  # no configuration file


# ---- diagnostics and formatting
def diagnostics(text: Text, settings: Settings = DEFAULTS, path: Optional[str] = None) -> list[Diagnostic]:
    """What `schedc check` reports under `settings` for the file at `path` (None: a document with
    no file), with its `# schedc: ignore[…]` comments and the `per-file-ignores` for it applied;
    nothing for a file `exclude` leaves out (as ruff's server does: the editor shows what
    `schedc check .` says of the project)."""
    if excluded(settings, path):
        return []
    # check drops one leading BOM itself, as for a file: not twice
    found = check(text.source, end_of_day=settings["end-of-day"], timezone=settings.timezone_fill)
    return settings.reported(found, text.body, path)


def excluded(settings: Settings, path: Optional[str]) -> bool:
    """Whether the document's file is one `exclude` leaves out of the project (never one with no file)."""
    return path is not None and settings.excluded(path)


def formatted(text: Text, settings: Settings = DEFAULTS, path: Optional[str] = None) -> Optional[str]:
    """`schedc fmt`'s text for the document, or None when the file has errors (or cannot be proved
    unchanged), or `exclude` leaves it out (`schedc fmt .` does not format it either)."""
    from ..fmt import FormatError, format_text

    if excluded(settings, path):
        return None
    try:
        return format_text(text.source, end_of_day=settings["end-of-day"])
    except (ScheduleError, FormatError):
        return None


def document_of(text: Text) -> Optional[nodes.Document]:
    try:
        return parse(text.body)
    except ScheduleError:
        return None


def inside(span: Span, where: tuple[int, int]) -> bool:
    return (span.line, span.column) <= where <= (span.end_line, span.end_column)


def statement_at(text: Text, offset: int):
    """(the document, the statement at `offset`, schedc's (line, column) of it); the statement is
    None where there is none, and so is the document when the text does not parse."""
    document = document_of(text)
    where = text.line_column(offset)
    if document is None:
        return None, None, where
    return document, next((s for s in document.statements if inside(s.span, where)), None), where


# ---- hover
def hover(text: Text, offset: int, settings: Settings = DEFAULTS) -> Optional[Hover]:
    document, statement, where = statement_at(text, offset)
    if statement is None:
        return None
    zone = next((w for w in _zone_words(statement) if inside(w.span, where)), None)
    if zone is not None:
        return Hover(zone_hover(zone.text), *text.span(zone.span))
    schedule, _ = examine(document)
    filled = settings.timezone_fill
    if isinstance(statement, nodes.DayRule):
        item = next((i for i in statement.days if inside(i.span, where)), None)
        if item is not None:
            return Hover(_week_hover(schedule, item_days(item), _item_text(item), filled), *text.span(item.span))
        days = set(rule_days(statement))
        days.update(d for d, pieces in enumerate(schedule.week or ())
                    for p in pieces if p.origin in statement.times)
        return Hover(_week_hover(schedule, days, text.source[slice(*text.span(statement.span))].strip(), filled),
                     *text.span(statement.span))
    if isinstance(statement, nodes.MeetingStatement):
        return Hover(_meeting_hover(schedule, settings["end-of-day"]), *text.span(statement.span))
    if isinstance(statement, nodes.HolidaysStatement):
        found = holidays_hover(statement.region.text)
        return Hover(found, *text.span(statement.span)) if found else None
    return None


def holidays_hover(code: str, today=None) -> Optional[str]:
    """The region's name and its next five public holidays (from today), or None for a code
    the API does not take (its diagnostic says why)."""
    from ..compiler.clock_changes import today as today_of
    from ..compiler.public_holidays import region, upcoming

    where = region(code)
    if where is None:
        return None
    day = today or today_of()
    coming = upcoming(where, day, 5)
    lines = "\n".join(f"{when:%a %d %b %Y}  {name}" for when, name in coming) or "(no dates known)"
    return (f"`holidays {where.code}`: {region_name(where)}; each public holiday closes the day. "
            f"The next {len(coming)}:\n\n```text\n{lines}\n```")


def region_name(where) -> str:
    from ..compiler.public_holidays import COUNTRY_NAMES, STATE_NAMES

    country = COUNTRY_NAMES[where.country][0].replace("NewZealand", "New Zealand").replace(
        "UnitedStates", "United States")
    if where.state is None:
        return country
    return f"{country}, {_spaced(STATE_NAMES[where.state][0])}"


def _spaced(name: str) -> str:
    """`BadenWuerttemberg` → `Baden-Wuerttemberg`: a state's name as it is written."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "-", name)


def _zone_words(statement) -> list[nodes.Word]:
    if isinstance(statement, nodes.TzStatement):
        return [statement.zone]
    tz = getattr(statement, "tz", None)
    return [tz] if tz is not None else []


def _item_text(item: nodes.DayItem) -> str:
    return f"{item.first.text}-{item.last.text}" if item.last else item.first.text


def item_days(item: nodes.DayItem) -> list[int]:
    if item.last is None:
        aliased = words.alias_days(item.first.text)
        if aliased is not None:
            return list(aliased)
    first = words.day_index(item.first.text)
    last = words.day_index(item.last.text) if item.last else first
    if first is None or last is None:
        return []
    return [(first + k) % 7 for k in range((last - first) % 7 + 1)]


def rule_days(rule: nodes.DayRule) -> list[int]:
    return [d for item in rule.days for d in item_days(item)]


def day_hours(pieces) -> str:
    ranges = sorted((p.start, p.end) for p in pieces)
    return ", ".join(f"{words.format_time(s)}-{words.format_time(e)}" for s, e in ranges) or "off"


def _week_hover(schedule, days, title: str, filled: Optional[str] = None) -> str:
    zone = schedule.availability_zone.text if schedule.availability_zone else (
        schedule.user_zone.text if schedule.user_zone else None)
    where = f", in {zone}" if zone else f", in {filled} (the configuration's `timezone`)" if filled else ""
    head = f"`{title}`: the hours once every rule of the file is applied{where}"
    if not days:
        return head + "\n\nno day of the week (the day names are not known)"
    week = schedule.week or [[] for _ in range(7)]
    rows = [f"{words.DAY_SHORT[d]}  {day_hours(week[d])}" for d in sorted(set(days))]
    return head + "\n\n```text\n" + "\n".join(rows) + "\n```"


def _meeting_hover(schedule, end_of_day: str = "23:59") -> str:
    """How many meetings fit, counted on the hours `compile` sends (as `explain` counts them): with
    the end of day `23:59`, a window that runs to midnight ends a minute before it."""
    duration = schedule.duration
    if duration is None or not words.MIN_DURATION <= duration <= words.MAX_DURATION:
        return "this meeting's duration is not valid, so nothing can be booked"
    if schedule.week is None:
        return f"{duration} min meeting: the file has no hours, so the week comes from elsewhere"
    counts = meetings_per_day(schedule, end_of_day)
    total = sum(counts)
    per_day = ", ".join(f"{words.DAY_SHORT[d]} {c}" for d, c in enumerate(counts) if schedule.week[d])
    plural = "meeting fits" if total == 1 else "meetings fit"
    return (f"{duration} min meeting: {total} {plural} in the week, back to back"
            + (f" ({per_day})" if per_day else ""))


def meetings_per_day(schedule, end_of_day: str = "23:59") -> list[int]:
    """How many of the file's meetings fit back to back on each day, Monday first, on the hours
    `compile` sends; empty when there is no valid duration or no week."""
    duration = schedule.duration
    if duration is None or not words.MIN_DURATION <= duration <= words.MAX_DURATION or schedule.week is None:
        return []
    midnight = 1439 if end_of_day == "23:59" else 1440
    return [sum((min(end, midnight) - start) // duration for start, end, _ in windows(pieces))
            for pieces in schedule.week]


def zone_hover(name: str, now=None) -> str:
    """A zone's offset now and its next clock change, from the tzdata the checks use too."""
    if not zones.is_zone(name):
        return f"unknown time zone `{name}`: {zones.zone_help(name)}"
    from datetime import datetime, timezone

    from ..compiler.tzdb import zone as tz

    zone = tz(name)
    now = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    offset = now.astimezone(zone).utcoffset()
    lines = [f"**{name}**: now {_offset(offset)} ({now.astimezone(zone).tzname()})"]
    change = next_change(zone, now)
    if change is None:
        lines.append("no clock change in the next three years")
    else:
        after = change.astimezone(zone)
        before_wall = (change + offset).replace(tzinfo=None)
        after_wall = after.replace(tzinfo=None)
        direction = "forward" if after.utcoffset() > offset else "back"
        lines.append(f"next clock change: {before_wall:%a %Y-%m-%d %H:%M} local time, clocks go {direction} "
                     f"to {after_wall:%H:%M} ({_offset(after.utcoffset())}, {after.tzname()})")
    return "\n\n".join(lines)


def next_change(zone, now):
    """The first instant after `now` at which the zone's offset from UTC changes, to the second."""
    from datetime import timedelta

    offset = now.astimezone(zone).utcoffset()
    step, low = timedelta(days=1), now
    for _ in range(3 * 366):
        high = low + step
        if high.astimezone(zone).utcoffset() != offset:
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            return high.replace(microsecond=0)
        low = high
    return None


def _offset(delta) -> str:
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# ---- completion
_TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"?|<[^<>\s]*>?|,|[^\s,"<;#]+')
_DURATION = re.compile(r"[0-9]+(h([0-9]+(min|m)?)?|min|m)", re.IGNORECASE)
_DAY_ITEM = re.compile(r"[A-Za-z]+(-[A-Za-z]+)?")
_TIME_RANGE = re.compile(r"[0-9]+:[0-9]+-[0-9]+:[0-9]+")


def completions(text: Text, offset: int) -> list[Item]:
    """What may be typed at `offset`, as the grammar allows it there (keywords, days, zones, channels)."""
    line_start = text.line_start(offset)
    before = text.source[line_start:offset]
    statement_start = _statement_start(before)
    if statement_start is None:  # inside a comment or a string
        return []
    prefix = before[statement_start:]
    tokens = _TOKEN.findall(prefix)
    partial = ""
    if tokens and prefix and not prefix[-1].isspace() and tokens[-1] != ",":
        partial = tokens.pop()
    start = offset - len(partial)
    lowered = [t.lower() for t in tokens]

    def items(kind: str, labels, detail=lambda label: "", at: int = start) -> list[Item]:
        return [Item(label, kind, detail(label), at, offset) for label in labels]

    def days(at: int) -> list[Item]:
        """The day names that may stand at `at`: after a `-`, only a single day other than the
        range's first (an alias ends no range, and `Mon-Mon` is SC125)."""
        dash = text.source[at - 1:at] == "-"
        if dash:
            written = re.search(r"[A-Za-z]*$", text.source[line_start:at - 1])[0]
            first = words.day_index(written) if written else None
            names = [d for i, d in enumerate(DAY_NAMES) if i != first]
            return items("day", names, lambda d: words.DAY_KEYS[DAY_NAMES.index(d)].capitalize(), at)
        return (items("day", DAY_NAMES, lambda d: words.DAY_KEYS[DAY_NAMES.index(d)].capitalize(), at)
                + items("day", DAY_ALIASES, lambda a: words.format_days(words.DAY_ALIASES[a]), at))

    if lowered and lowered[-1] == "tz":
        if partial.startswith('"') or partial.startswith("<"):
            return []
        return items("zone", quiet_zones(), lambda z: "time zone")
    if not tokens:
        if "-" in partial and _DAY_ITEM.fullmatch(partial.split("-")[0]) and not partial[0].isdigit():
            return days(offset - len(partial.rsplit("-", 1)[1]))
        if partial[:1].isdigit() or partial[:1] in ('"', "<"):
            return []
        return items("keyword", KEYWORDS, lambda k: "statement") + days(start)
    first = lowered[0]
    if first == "tz":
        return []
    if first == "holidays":
        return _regions(items) if len(tokens) == 1 else []
    if first == "user":
        if any(t.startswith("<") and t.endswith(">") for t in tokens) and "tz" not in lowered:
            return items("keyword", ["tz"], lambda k: "the user's time zone")
        return []
    if first == "availability":
        if len(tokens) == 2 and len(tokens[1]) > 1 and tokens[1].startswith('"') and tokens[1].endswith('"'):
            return items("keyword", ["tz"], lambda k: "the availability's time zone")
        return []
    durations = [i for i, t in enumerate(tokens) if _DURATION.fullmatch(t)]
    if first == "meeting" or _DURATION.fullmatch(tokens[0]):
        if not durations:
            return []
        after = lowered[durations[0] + 1:]
        if not after:
            return (items("channel", words.CHANNELS, lambda c: "channel")
                    + items("keyword", ["slug"], lambda k: "the booking page's address"))
        if len(after) == 1 and after[0] != "slug":
            return items("keyword", ["slug"], lambda k: "the booking page's address")
        return []
    # a day rule: DAYS [TIMES] [tz ZONE] | DAYS off
    if all(t == "," or _DAY_ITEM.fullmatch(t) for t in tokens):
        if tokens[-1] == "," or tokens[-1].endswith("-"):
            return days(offset - len(partial.rsplit("-", 1)[-1]))
        if partial[:1].isdigit():
            return []
        return items("keyword", ["off", "closed"], lambda k: "clear these days") + items(
            "keyword", ["tz"], lambda k: "the availability's time zone")
    if ("off" in lowered or "closed" in lowered or "tz" in lowered or tokens[-1] == ","
            or not _TIME_RANGE.fullmatch(tokens[-1]) or partial[:1].isdigit()):
        return []
    return items("keyword", ["tz"], lambda k: "the availability's time zone")


def _regions(items) -> list[Item]:
    """The codes a `holidays` statement takes: each country, then each German state."""
    from ..compiler.public_holidays import Region
    from ..meetergo import contract

    codes = [Region(c) for c in contract.HOLIDAY_COUNTRIES]
    codes += [Region(contract.STATE_COUNTRY, st) for st in contract.GERMAN_STATES]
    names = {r.code: region_name(r) for r in codes}
    return items("region", list(names), lambda code: f"public holidays of {names[code]}")


@functools.lru_cache(maxsize=None)
def quiet_zones() -> tuple[str, ...]:
    """The zones `check` takes without a word: no legacy alias, abbreviation or `Etc/GMT±N`."""
    return tuple(sorted(z for z in zones.zone_names() if zones.quiet(z)))


def _statement_start(before: str) -> Optional[int]:
    """Where the statement at the end of `before` starts (after the last `;`), or None in a comment or string."""
    start, quoted, escaped, angled = 0, False, False, False
    for index, ch in enumerate(before):
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
        elif angled:
            angled = ch != ">"
        elif ch == '"':
            quoted = True
        elif ch == "<":
            angled = True
        elif ch == "#":
            return None
        elif ch == ";":
            start = index + 1
    return None if quoted else start


# ---- quick fixes: schedc.fixes, shared with `schedc check --fix`
def fix(text: Text, diagnostic: Diagnostic, document: Optional[nodes.Document] = None) -> Optional[Fix]:
    """The edit a diagnostic's help names exactly, or None when the help leaves a choice."""
    return fixes.fix(text.source, diagnostic, document)
