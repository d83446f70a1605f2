"""`POST /v4/user` JSON → syntax tree → canonical `.sched` text: the inverse of `lower`.

`import_json` checks the body first and reports problems as diagnostics that name the JSON
path (`availability.schedule.monday.hours[1].end`) and point at its line and column in the
JSON text: invalid JSON (SC401), a body that is not the documented shape (SC402), and the
checks a `.sched` file gets (overlaps, an enabled day with no hours, zones, e-mail, ...).
Then it lifts the body into statements (days with equal hours grouped as `Mon-Fri`), prints
them, and proves the round trip: compiling the text gives the body back.
"""

from __future__ import annotations

import bisect
import copy
import json
import re
from dataclasses import dataclass
from typing import Any, Optional

from .compiler import nodes, terminals, words
from .compiler.checks import (
    duration_out_of_range,
    email_diagnostics,
    unknown_channel,
    unusable_slug,
    zone_diagnostics,
)
from .compiler.words import describe_character, find_hidden
from .diagnostics import Diagnostic, Label, Span, error, warning

JsonPath = tuple  # of str keys and int indexes
_NOWHERE = Span(0, 0, 0, 0)  # lifted nodes have no place in a .sched text yet
_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')  # a JSON string, once the text is known to be valid JSON


class RoundTripError(Exception):
    """The text `import_json` printed does not compile back to the body: a bug, not bad input."""


def dotted(path: JsonPath) -> str:
    """('availability', 'schedule', 'monday', 'hours', 1, 'end') → `availability.schedule.monday.hours[1].end`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the request"


# ---- where each value is in the JSON text
class _Places:
    """JSON path → span of its value (and of its key, for object members)."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.values: dict[JsonPath, Span] = {}
        self.keys: dict[JsonPath, Span] = {}
        if text.strip():
            self._value(0, ())

    def _span(self, start: int, end: int) -> Span:
        line = bisect.bisect_right(self.line_starts, start)
        end_line = bisect.bisect_right(self.line_starts, end)
        return Span(line, start - self.line_starts[line - 1] + 1, end_line, end - self.line_starts[end_line - 1] + 1)

    def _skip(self, i: int) -> int:
        return _WS.match(self.text, i).end()

    def _value(self, i: int, path: JsonPath) -> int:
        """Record the value starting at (or after whitespace from) `i`; return where it ends."""
        i = self._skip(i)
        opener = self.text[i]
        if opener in "{[":
            closer, j, index = ("}" if opener == "{" else "]"), self._skip(i + 1), 0
            while self.text[j] != closer:
                if opener == "{":
                    after = _STRING.match(self.text, j).end()
                    key = json.loads(self.text[j:after])
                    self.keys[path + (key,)] = self._span(j, after)
                    j = self._value(self._skip(after) + 1, path + (key,))
                else:
                    j = self._value(j, path + (index,))
                    index += 1
                j = self._skip(j)
                if self.text[j] == ",":
                    j = self._skip(j + 1)
            end = j + 1
        else:
            end = _SCALAR.raw_decode(self.text, i)[1]
        self.values[path] = self._span(i, end)
        return end

    def value(self, path: JsonPath) -> Optional[Span]:
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path)


# ---- checking the body
_KINDS = {"string_type": "a string", "int_type": "a whole number", "bool_type": "`true` or `false`",
          "list_type": "an array", "model_type": "an object", "dict_type": "an object"}
_TEXT_FIELDS = ("start", "end", "slug", "channel")  # the checks of these read their value as a string
_TIME_HELP = "times are `HH:MM`, from `00:00` to `23:59`, and `24:00` only as an end"


def _json_kind(value: Any) -> str:
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{json.dumps(value)}`"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "a number")


@dataclass
class _Report:
    places: _Places
    path: Optional[str]

    def __post_init__(self):
        self.found: list[Diagnostic] = []

    def add(self, make, code: str, at: JsonPath, message: str, *, key: bool = False, labels=(), **kw) -> None:
        """A diagnostic at the value (or with `key`, the key) of `at`, its message led by the path."""
        span = self.places.keys.get(at) if key else None
        span = span or self.places.value(at)
        message = f"`{dotted(at)}`: {message}" if at and not key else message
        self.found.append(make(code, message, span, path=self.path, labels=labels, **kw))

    def adopt(self, found: list[Diagnostic], at: JsonPath) -> None:
        """Diagnostics of a shared check (zones, e-mail), placed at `at`."""
        for d in found:
            self.add(error if d.is_error else warning, d.code, at, d.message, help=d.help)


def _nulls(data: Any, path: JsonPath = ()):
    if data is None:
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _nulls(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nulls(value, path + (index,))


def _at(data: Any, path: JsonPath) -> Any:
    for part in path:
        data = data[part]
    return data


def _shape(data: Any, report: _Report) -> None:
    """SC402 and friends: the body against the documented models (strict: no coercion)."""
    from pydantic import ValidationError

    from .compiler.models import UserRequest

    problems = []
    try:
        UserRequest.model_validate(data, strict=True)
    except ValidationError as exc:
        problems = exc.errors()
    for problem in problems:
        _shape_problem(problem, data, report)
    reported = {tuple(problem["loc"]) for problem in problems}
    for path in _nulls(data):  # optional fields accept None, but `compile` would leave them out
        if path not in reported:
            report.add(error, "SC402", path, "`null` is not a value of the request",
                       help="leave the field out instead")


def _shape_problem(problem: dict, data: Any, report: _Report) -> None:
    path, kind = tuple(problem["loc"]), problem["type"]
    field = path[-1] if path else None
    if kind == "missing":
        report.add(error, "SC402", path[:-1], f"missing field `{field}`",
                   help=f"the request needs `{dotted(path)}`")
        return
    if kind == "extra_forbidden":
        day = words.day_index(str(field)) if path[:-1] == ("availability", "schedule") else None
        report.add(error, "SC402", path, f"unknown field `{dotted(path)}`", key=True,
                   help=f"did you mean `{words.DAY_KEYS[day]}`? The days are written out in full, in lower case"
                   if day is not None else "`POST /v4/user` does not document this field: remove it")
        return
    value = _at(data, path)
    if kind not in _KINDS and field in _TEXT_FIELDS and not isinstance(value, str):
        kind = "string_type"  # a channel of `[1]` fails as "not one of the channels": say what it is instead
    if kind in _KINDS:
        report.add(error, "SC402", path, f"expected {_KINDS[kind]}, found {_json_kind(value)}",
                   help=f"`POST /v4/user` takes {_KINDS[kind]} here" + (", without quotes" if isinstance(value, str) else ""))
    elif field in ("start", "end"):
        report.add(error, "SC101", path, f"`{value}` is not a time", help=_TIME_HELP)
    elif field == "slug":
        report.adopt([unusable_slug(value, None)], path)
    elif field == "channel":
        report.adopt([unknown_channel(value, None)], path)
    elif field == "duration":
        report.adopt([duration_out_of_range(value, None)], path)
    else:
        report.add(error, "SC402", path, problem["msg"][0].lower() + problem["msg"][1:])


def _meaning(data: dict, report: _Report) -> None:
    """The checks a .sched file gets, on a body of the right shape."""
    report.adopt(email_diagnostics(data["email"], None), ("email",))
    for key in ("givenName", "familyName"):
        if not data[key].strip():
            report.add(error, "SC203", (key,), "the name is empty", help="give the user's name")
    zones = [("timezone",)]
    availability = data.get("availability")
    if availability is not None and "timezone" in availability:
        zones.append(("availability", "timezone"))
    for path in zones:
        report.adopt(zone_diagnostics(_at(data, path), None), path)
    if availability is not None:
        _week(availability["schedule"], report)
    meeting = data.get("meetingType")
    if meeting is not None and "duration" not in meeting:
        report.add(error, "SC405", ("meetingType",), "a meeting type without a `duration` cannot be written "
                   "in a .sched file", help="add `\"duration\": 30` (minutes)")
    for path in (("givenName",), ("familyName",), ("availability", "name"), ("meetingType", "name")):
        try:
            value = _at(data, path)
        except (KeyError, TypeError):
            continue
        if "\n" in value:
            report.add(error, "SC405", path, "a line break cannot be written in a .sched file",
                       help="put the name on one line")
    if not re.fullmatch(terminals.EXACT["EMAIL"], f"<{data['email']}>"):  # the grammar's own address
        report.add(error, "SC405", ("email",), "an address with spaces, `;`, `#`, `<` or `>` cannot be "
                   "written in a .sched file")


def _week(schedule: dict, report: _Report) -> None:
    enabled_any = False
    for key in words.DAY_KEYS:
        day, at = schedule[key], ("availability", "schedule", key)
        hours = day["hours"]
        enabled_any |= day["enabled"]
        if day["enabled"] and not hours:
            report.add(error, "SC104", at + ("enabled",), f"`{key}` is enabled but has no hours",
                       help='give it hours, or set `"enabled": false`')
        if not day["enabled"] and hours:
            report.add(error, "SC403", at + ("hours",), f"`{key}` is disabled but lists hours",
                       help='set `"enabled": true` to keep them, or empty the list')
        ranges = []
        for index, hour in enumerate(hours):
            where = at + ("hours", index)
            if hour["start"] == "24:00":
                report.add(error, "SC101", where + ("start",), "`24:00` can only end a range",
                           help="start the range at `00:00`")
                continue
            if hour["end"] == "24:00":
                report.add(warning, "SC406", where + ("end",), "midnight is written `24:00`",
                           help="the imported file compiles it back as `24:00` only with `--end-of-day 24:00`")
            start, stop = words.parse_time(hour["start"]), words.parse_time(hour["end"])
            if stop <= start:
                report.add(error, "SC103", where, f"`{hour['start']}-{hour['end']}` ends before it starts"
                           if stop < start else f"`{hour['start']}-{hour['end']}` is empty",
                           help="a range lies within one day; write midnight at the end of a day as `23:59`")
                continue
            ranges.append((start, stop, index))
        if [r[2] for r in ranges] != [r[2] for r in sorted(ranges)]:
            report.add(warning, "SC404", at + ("hours",), "the hours are not in order of their start",
                       help="the imported file lists them in order, as `compile` does")
        _clashes(ranges, hours, at, report)
    if not enabled_any:
        report.add(error, "SC105", ("availability", "schedule"), "the availability has no enabled day",
                   help="give at least one day hours, or leave `availability` out")


def _clashes(ranges: list, hours: list, at: JsonPath, report: _Report) -> None:
    from .compiler.overlaps import clashes

    def text(k: int) -> str:
        return f"{hours[k]['start']}-{hours[k]['end']}"

    def label(k: int, what: str) -> Label:
        return Label(report.places.value(at + ("hours", k)), what)

    found = clashes(ranges)
    for group in found.groups:
        first, second, *others = sorted(group)  # in the order the body lists them
        message = f"`{text(second)}` overlaps `{text(first)}`"
        if others:
            message += f"; {len(others)} more range{'s' if len(others) > 1 else ''} overlap them too"
        labels = (label(first, f"`{dotted(at + ('hours', first))}`"),
                  *(label(k, "overlaps too") for k in others[:3]))
        report.add(error, "SC102", at + ("hours", second), message, labels=labels,
                   help="merge them, or move one so they no longer share time")
    for i, j in found.touches:
        first, second = sorted((i, j))
        report.add(warning, "SC120", at + ("hours", second), f"`{text(second)}` touches `{text(first)}`",
                   labels=(label(first, f"`{dotted(at + ('hours', first))}`"),),
                   help=f"write them as one range: `{hours[i]['start']}-{hours[j]['end']}`")


# ---- inputs no request can be: numbers too long to convert, nesting too deep to read
MAX_DEPTH = 32
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class _HugeNumber:
    """A JSON number too long for Python to convert (and for any field to hold)."""

    def __init__(self, digits: str):
        self.digits = digits


def _decode_problem(source: str, exc: json.JSONDecodeError) -> tuple[int, str]:
    """Where the JSON goes wrong and why, the same on every Python: a comma before `}` or `]` is
    named as such at the comma, as Python 3.13 names it (earlier ones point at the bracket and
    say a name or a value was expected there)."""
    pos = exc.pos
    if pos < len(source) and source[pos] in "}]":
        back = pos - 1
        while back >= 0 and source[back] in " \t\r\n":
            back -= 1
        if back >= 0 and source[back] == ",":
            return back, f"Illegal trailing comma before end of {'object' if source[pos] == '}' else 'array'}"
    return pos, exc.msg


def _whole_number(digits: str):
    return int(digits) if len(digits) <= 18 else _HugeNumber(digits)


_SCALAR = json.JSONDecoder(parse_int=_whole_number)


def _too_deep(source: str) -> Optional[int]:
    """Where arrays and objects first nest deeper than MAX_DEPTH (strings skipped), or None.
    Checked before parsing, which would otherwise recurse once per level."""
    depth = 0
    for match in _NESTING.finditer(source):
        token = match[0]
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif token in "]}":
            depth -= 1
    return None


def _place(source: str, index: int) -> Span:
    line = source.count("\n", 0, index) + 1
    column = index - (source.rfind("\n", 0, index) + 1) + 1
    return Span(line, column, line, column + 1)


def _strings_and_numbers(data: Any, path: JsonPath = ()):
    """(path, value) for every string and every too-long number in the body, keys included."""
    if isinstance(data, (str, _HugeNumber)):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,), key
            yield from _strings_and_numbers(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings_and_numbers(value, path + (index,))


# ---- lifting
def _word(text: str) -> nodes.Word:
    return nodes.Word(text, _NOWHERE, quoted=True)


def _day_items(days: list[int]) -> tuple[nodes.DayItem, ...]:
    """Runs of consecutive days as ranges: [0, 1, 2, 4] → `Mon-Wed,Fri`."""
    items, i = [], 0
    while i < len(days):
        j = i
        while j + 1 < len(days) and days[j + 1] == days[j] + 1:
            j += 1
        last = _word(words.DAY_SHORT[days[j]]) if j > i else None
        items.append(nodes.DayItem(_word(words.DAY_SHORT[days[i]]), last, _NOWHERE))
        i = j + 1
    return tuple(items)


def lift(data: dict) -> nodes.Document:
    """A checked body → statements that compile back to it."""
    user_zone = data["timezone"]
    statements: list[nodes.Statement] = [nodes.UserStatement(
        _word(data["givenName"]), _word(data["familyName"]), _word(data["email"]), _word(user_zone), _NOWHERE)]
    availability = data.get("availability")
    if availability is not None:
        zone = availability.get("timezone", user_zone)
        other_zone = _word(zone) if zone != user_zone else None
        if "name" in availability:
            statements.append(nodes.AvailabilityStatement(_word(availability["name"]), other_zone, _NOWHERE))
        elif other_zone is not None:
            statements.append(nodes.TzStatement(other_zone, _NOWHERE))
        by_hours: dict[tuple, list[int]] = {}
        for index, key in enumerate(words.DAY_KEYS):
            hours = availability["schedule"][key]["hours"]
            ordered = sorted(hours, key=lambda h: words.parse_time(h["start"]))
            if hours:
                by_hours.setdefault(tuple((h["start"], h["end"]) for h in ordered), []).append(index)
        for hours, days in by_hours.items():
            times = tuple(nodes.TimeRange(_word(start), _word(end), _NOWHERE) for start, end in hours)
            statements.append(nodes.DayRule(_day_items(days), times, None, None, _NOWHERE))
    meeting = data.get("meetingType")
    if meeting is not None:
        statements.append(nodes.MeetingStatement(
            _word(meeting["name"]) if "name" in meeting else None,
            _word(words.format_duration(meeting["duration"])),
            _word(meeting["channel"]) if "channel" in meeting else None,
            _word(meeting["slug"]) if "slug" in meeting else None,
            _NOWHERE))
    return nodes.Document(tuple(statements))


def _expected(data: dict) -> dict:
    """The body `compile` gives for the lifted text: hours in order, the availability's zone filled in."""
    expected = copy.deepcopy(data)
    availability = expected.get("availability")
    if availability is not None:
        availability.setdefault("timezone", expected["timezone"])
        for day in availability["schedule"].values():
            day["hours"].sort(key=lambda h: words.parse_time(h["start"]))
    return expected


@dataclass(frozen=True)
class Imported:
    text: Optional[str]  # None when the body has errors
    diagnostics: list[Diagnostic]


def import_json(source: str, path: Optional[str] = None) -> Imported:
    """A `POST /v4/user` body (JSON text) → `.sched` text, with every problem found.

    Raises `RoundTripError` if the printed text would not compile back to the body.
    """
    places = _Places("")
    report = _Report(places, path)
    too_deep = _too_deep(source)
    if too_deep is not None:
        return Imported(None, [error("SC401", f"not a request: arrays and objects nest more than {MAX_DEPTH} deep",
                                     _place(source, too_deep), path=path,
                                     help="the body of `POST /v4/user` nests four levels deep")])
    try:
        data = json.loads(source, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        pos, message = _decode_problem(source, exc)
        line = source.count("\n", 0, pos) + 1
        column = pos - (source.rfind("\n", 0, pos) + 1) + 1
        # at the end of the text there is no character to point at: an empty span after the last one
        span = Span(line, column, line, column + (1 if pos < len(source) else 0))
        message = message[0].lower() + message[1:]
        return Imported(None, [error("SC401", f"not valid JSON: {message}", span, path=path,
                                     help="the input must be one JSON object, the body of `POST /v4/user`")])
    report.places = _Places(source)
    for where, value in _strings_and_numbers(data):
        if isinstance(value, _HugeNumber):
            report.add(error, "SC402", where, f"a number of {len(value.digits):,} digits is no value of the request",
                       help="no field of `POST /v4/user` takes a number this large")
        elif find_hidden(value):
            char = find_hidden(value).group()
            report.add(error, "SC405", where, f"the text holds {describe_character(char)}, which cannot be seen "
                       "or written in a .sched file", help="remove it from the JSON")
    if report.found:
        return Imported(None, sorted(report.found, key=Diagnostic.sort_key))
    if not isinstance(data, dict):
        report.add(error, "SC402", (), f"expected an object, found {_json_kind(data)}",
                   help="the input must be one JSON object, the body of `POST /v4/user`")
    else:
        _shape(data, report)
        if not report.found:
            _meaning(data, report)
    found = sorted(report.found, key=Diagnostic.sort_key)
    if any(d.is_error for d in found):
        return Imported(None, found)
    from .api import analyze
    from .compiler.printer import print_document

    text = print_document(lift(data))
    end_of_day = "24:00" if any(d.code == "SC406" for d in found) else "23:59"
    result = analyze(text, end_of_day=end_of_day)
    if result.request is None or result.request.to_dict() != _expected(data):
        raise RoundTripError("the imported text does not compile back to the same request:\n" + text)
    return Imported(text, found)
