"""The file's outline (one symbol a statement: the user, the availability, each day rule, each zone, the
meeting), its folding ranges, and the ranges that share a day with the one under the cursor.

All of it is worked out from the syntax tree; a file that does not parse has no outline and no
highlights, but its comment blocks still fold.
"""

from __future__ import annotations

import re
from typing import Optional

from ..compiler import nodes
from ..compiler.records import Record
from .features import inside, item_days, rule_days, day_hours, document_of
from .text import Text


class Symbol(Record):
    name: str
    detail: str
    kind: str  # user, availability, rule, zone, meeting
    start: int  # the whole statement
    end: int
    name_start: int  # the part that names it
    name_end: int


class Fold(Record):
    first: int  # schedc's line numbers
    last: int
    kind: str  # comment, region


def symbols(text: Text) -> list[Symbol]:
    document = document_of(text)
    if document is None:
        return []
    week = _week(document)
    found = []
    for statement in document.statements:
        start, end = text.span(statement.span)
        written = " ".join(text.source[start:end].split())
        if isinstance(statement, nodes.UserStatement):
            names = " ".join(w.text for w in (statement.given, statement.family) if w is not None)
            name, detail, kind = f"user {names}".rstrip(), statement.email.text, "user"
            if statement.tz is not None:
                detail += f", tz {statement.tz.text}"
            head = statement.email.span if not names else (statement.given or statement.family).span
        elif isinstance(statement, nodes.AvailabilityStatement):
            name, kind, head = f'availability "{statement.name.text}"', "availability", statement.name.span
            detail = f"tz {statement.tz.text}" if statement.tz is not None else ""
        elif isinstance(statement, nodes.DayRule):
            name, kind, head = written, "rule", statement.days_span
            days = sorted(set(rule_days(statement)))
            detail = " · ".join(f"{_DAY[d]} {day_hours(week[d])}" for d in days) if week else ""
        elif isinstance(statement, nodes.TzStatement):
            name, detail, kind, head = f"tz {statement.zone.text}", "", "zone", statement.zone.span
        else:
            title = f' "{statement.name.text}"' if statement.name is not None else ""
            name, kind = f"meeting{title}", "meeting"
            parts = (statement.duration.text, statement.channel.text if statement.channel else "",
                     f"slug {statement.slug.text}" if statement.slug else "")
            detail = " ".join(part for part in parts if part)
            head = statement.duration.span
        found.append(Symbol(name, detail, kind, start, end, *text.span(head)))
    return found


_DAY = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_COMMENT_LINE = re.compile(r"[ \t]*#")


def folds(text: Text) -> list[Fold]:
    """Blocks of two or more comment lines, and the availability with its day rules."""
    found = []
    lines = text.body.split("\n")
    run = None
    for number, line in enumerate(lines + [""], 1):
        if _COMMENT_LINE.match(line) and number <= len(lines):
            run = run or number
            continue
        if run is not None and number - 1 > run:
            found.append(Fold(run, number - 1, "comment"))
        run = None
    document = document_of(text)
    if document is not None:
        starts = [s for s in document.statements if isinstance(s, (nodes.AvailabilityStatement, nodes.DayRule))]
        if starts and starts[-1].span.end_line > starts[0].span.line:
            found.append(Fold(starts[0].span.line, starts[-1].span.end_line, "region"))
    return sorted(found)


def same_day(text: Text, offset: int) -> list[tuple[int, int, bool]]:
    """(start, end, is it the one under the cursor) of every time range and day name that falls on a day of the
    time range or day name at `offset`, once the whole file is applied."""
    document = document_of(text)
    if document is None:
        return []
    where = text.line_column(offset)
    rules = [s for s in document.statements if isinstance(s, nodes.DayRule)]
    week = _week(document)
    if not week:
        return []
    days_of_range = {}
    for day, pieces in enumerate(week):
        for piece in pieces:
            days_of_range.setdefault(piece.origin.span, set()).add(day)
    under: Optional[tuple] = None
    days: set = set()
    for rule in rules:
        for time_range in rule.times:
            if inside(time_range.span, where):
                under, days = time_range.span, days_of_range.get(time_range.span, set())
        for item in rule.days:
            if inside(item.span, where):
                under, days = item.span, set(item_days(item))
    if under is None:
        return []
    found = []
    for rule in rules:
        for item in rule.days:
            if days & set(item_days(item)):
                found.append((*text.span(item.span), item.span == under))
        for time_range in rule.times:
            if days & days_of_range.get(time_range.span, set()) or time_range.span == under:
                found.append((*text.span(time_range.span), time_range.span == under))
    return sorted(set(found))


def _week(document: nodes.Document):
    from ..compiler.resolve import resolve

    return resolve(document)[0].week
