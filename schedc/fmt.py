"""`schedc fmt` as a function: text → canonical text, refusing anything that changes meaning.

Like black's `assert_equivalent` + `assert_stable`: the printed text must parse to a document
that means exactly the same (`meaning`), keep every comment, and print to itself again.

The formatter owns the layout (spaces and tabs between words, blank lines, spaces at line
ends, the final newline, statement order, spellings). It does not own the file's conventions:
the line ending (`\\r\\n` or `\\n`, taken from the first line break) and a UTF-8 byte-order mark
are kept as the file has them.
"""

from __future__ import annotations

from typing import Optional

from .compiler import nodes
from .diagnostics import ScheduleError


class FormatError(Exception):
    """The formatter would change what the file means, or is not stable: the file is left alone."""


def meaning(document: nodes.Document, *, end_of_day: str = "23:59") -> tuple:
    """Everything the compiler reads from a document, as plain values, plus its diagnostic codes.

    `lower.identity` and `lower.lower` read only these fields, so two documents with the same
    meaning compile to the same request for any command-line values, also when the file lacks
    the user or the zone and cannot compile on its own.
    """
    from .api import examine

    schedule, found = examine(document, end_of_day=end_of_day)

    def text(word: Optional[nodes.Word]) -> Optional[str]:
        return word.text if word is not None else None

    week = None if schedule.week is None else tuple(
        tuple(sorted((p.start, p.end) for p in day)) for day in schedule.week)
    user = schedule.user
    meeting = schedule.meeting
    return (
        week,
        text(schedule.availability.name) if schedule.availability else None,
        text(schedule.availability_zone),
        (text(user.given), text(user.family), text(user.email), text(user.tz)) if user else None,
        (text(meeting.name), schedule.duration, schedule.channel, text(meeting.slug)) if meeting else None,
        text(schedule.holidays.region).upper() if schedule.holidays else None,
        sorted((d.code, d.severity) for d in found),
    )


def _comments(document: nodes.Document) -> list[str]:
    return sorted(c.text.strip() for c in document.comments)


BOM = "\ufeff"


def newline_of(text: str) -> str:
    """The file's line ending: `\\r\\n` when its first line break is one, else `\\n`."""
    end = text.find("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def format_text(text: str, path: Optional[str] = None, *, end_of_day: str = "23:59") -> str:
    """The canonical layout of `.sched` text, with the text's own line ending and byte-order mark.

    `end_of_day` is what `compile --end-of-day` would be given: with `"24:00"`, a range that
    only exists when midnight can be written `24:00` is not an error.
    Raises `ScheduleError` when the text has errors (it is not formatted), and `FormatError`
    when the result would not mean the same or would change on a second pass.
    """
    from .api import check, parse
    from .compiler.printer import print_document

    diagnostics = check(text, path, end_of_day=end_of_day)
    if any(d.is_error for d in diagnostics):
        raise ScheduleError(diagnostics)
    before = parse(text, path)
    result = print_document(before)
    try:
        after = parse(result, path)
    except ScheduleError as exc:
        raise FormatError(f"the formatted text does not parse: {exc}") from None
    if meaning(after, end_of_day=end_of_day) != meaning(before, end_of_day=end_of_day):
        raise FormatError("the formatted text would compile to a different request")
    if _comments(after) != _comments(before):
        raise FormatError("the formatted text would lose a comment")
    if print_document(after) != result:
        raise FormatError("formatting is not stable: a second pass would change the text again")
    newline = newline_of(text)
    if newline != "\n":
        result = result.replace("\n", newline)
    return BOM + result if text.startswith(BOM) else result
