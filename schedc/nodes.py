"""The syntax tree of a .sched file: one frozen dataclass per statement, each with a `Span`.

Values are kept as written (`9:00`, `Mnday`, `1h30`); the checks decide what they mean.
Imports nothing from lark, pydantic or httpx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Union

from .diagnostics import Span


@dataclass(frozen=True)
class Word:
    """A piece of text as written, with where it stands. Quoted strings hold their unescaped value."""

    text: str
    span: Span
    quoted: bool = False


@dataclass(frozen=True)
class DayItem:
    """`Mon`, or a range `Mon-Fri` (`last` is None for a single day or an alias)."""

    first: Word
    last: Optional[Word]
    span: Span


@dataclass(frozen=True)
class TimeRange:
    start: Word
    end: Word
    span: Span


@dataclass(frozen=True)
class DayRule:
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


@dataclass(frozen=True)
class TzStatement:
    zone: Word
    span: Span


@dataclass(frozen=True)
class UserStatement:
    given: Optional[Word]
    family: Optional[Word]
    email: Word  # without the angle brackets; its span covers them
    tz: Optional[Word]
    span: Span


@dataclass(frozen=True)
class AvailabilityStatement:
    name: Word
    tz: Optional[Word]
    span: Span


@dataclass(frozen=True)
class MeetingStatement:
    name: Optional[Word]
    duration: Word
    channel: Optional[Word]
    slug: Optional[Word]
    span: Span
    keyword: bool = True  # written with the `meeting` keyword


Statement = Union[DayRule, TzStatement, UserStatement, AvailabilityStatement, MeetingStatement]


@dataclass(frozen=True)
class Comment:
    text: str  # with the leading `#`
    span: Span
    trailing: bool  # after a statement on the same line, not on a line of its own


@dataclass(frozen=True)
class Document:
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
    path: Optional[str] = None
