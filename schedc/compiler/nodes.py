"""The syntax tree of a .sched file: one immutable node per statement, each with a `Span`.

Values are kept as written (`9:00`, `Mnday`, `1h30`); the checks decide what they mean.
Imports nothing from lark, pydantic or httpx. Nodes are NamedTuples rather than dataclasses:
they are as immutable and comparable, and defining them costs a fraction of the start-up time
(`schedc check` runs on every commit).
"""

from __future__ import annotations

from ..diagnostics import Span
from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional, Union


class Word(Record):
    """A piece of text as written, with where it stands. Quoted strings hold their unescaped value."""

    text: str
    span: Span
    quoted: bool = False


class DayItem(Record):
    """`Mon`, or a range `Mon-Fri` (`last` is None for a single day or an alias)."""

    first: Word
    last: Optional[Word]
    span: Span


class TimeRange(Record):
    start: Word
    end: Word
    span: Span


class DayRule(Record):
    """`DAYS TIMES [tz ZONE]`, `DAYS off`, or `DAYS` alone (an error the checks report)."""

    days: tuple[DayItem, ...]
    times: tuple[TimeRange, ...]
    off: Optional[Word]
    tz: Optional[Word]
    span: Span

    @property
    def days_span(self) -> Span:
        first, last = self.days[0].span, self.days[-1].span
        return Span(first.line, first.column, last.end_line, last.end_column)


class TzStatement(Record):
    zone: Word
    span: Span


class UserStatement(Record):
    given: Optional[Word]
    family: Optional[Word]
    email: Word  # without the angle brackets; its span covers them
    tz: Optional[Word]
    span: Span


class AvailabilityStatement(Record):
    name: Word
    tz: Optional[Word]
    span: Span


class MeetingStatement(Record):
    name: Optional[Word]
    duration: Word
    channel: Optional[Word]
    slug: Optional[Word]
    span: Span
    keyword: bool = True  # written with the `meeting` keyword


class HolidaysStatement(Record):
    """`holidays DE-BY`: the public holidays of a country (and a German state) close the day."""

    region: Word  # as written: `DE-BY`, `US`; the checks split and know the codes
    span: Span


if TYPE_CHECKING:
    Statement = Union[DayRule, TzStatement, UserStatement, AvailabilityStatement, MeetingStatement,
                      HolidaysStatement]


class Comment(Record):
    text: str  # with the leading `#`
    span: Span
    trailing: bool  # after a statement on the same line, not on a line of its own


class Document(Record):
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
    path: Optional[str] = None
