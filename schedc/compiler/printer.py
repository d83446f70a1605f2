"""Syntax tree plus comments → canonical `.sched` text, for `fmt` and `import`.

The layout: one statement per line in the order user, availability, bare `tz`, `holidays`, day
rules (in their written order, which carries meaning), meeting; keywords, day names and channels in their
canonical spelling; times as `HH:MM`; `, ` between time ranges. Comments keep their place: a
comment on a line of its own belongs to the statement below it, a trailing comment to the
statement on its line, and each moves with its statement. Comments above the first statement
are the file's header and stay at the top of the file (when blank lines part them, the last
group, right on the first statement, moves with it); comments after the last statement stay
at the end. At most one blank line is kept wherever the input had any.

Never reads the lark tree; works from `nodes` only, so it prints lifted JSON the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from . import nodes, terminals, words

# Statement kinds in canonical order. Day rules are stable-sorted among themselves.
_RANK = {nodes.UserStatement: 0, nodes.AvailabilityStatement: 1, nodes.TzStatement: 2, nodes.HolidaysStatement: 3, nodes.DayRule: 4,
         nodes.MeetingStatement: 5}
_BARE_NAME = re.compile(terminals.EXACT["NAME_WORD"])  # a name that needs no quotes


# ---- one statement
def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def day_name(text: str) -> str:
    """`monday`, `Mo`, `MON` → `Mon`; `Weekdays` → `weekdays`; anything else as written."""
    index = words.day_index(text)
    if index is not None:
        return words.DAY_SHORT[index]
    return text.lower() if words.alias_days(text) is not None else text


def time_text(text: str) -> str:
    """`9:00` → `09:00`; `24:00` and an end of `00:00` stay what they are."""
    minutes = words.parse_time(text)
    return text if minutes is None else words.format_time(minutes)


def duration_text(text: str) -> str:
    """`45m` → `45min`, `1H30M` → `1h30`, `1h5` → `1h05`: the unit chosen (hours or minutes) is kept."""
    minutes = words.parse_duration(text)
    if minutes is None:
        return text
    if "h" not in text.lower():
        return f"{minutes}min"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def region_text(text: str) -> str:
    """`de-by` → `DE-BY`: a code the API takes in its own case; anything else as written."""
    from .public_holidays import region

    found = region(text)
    return found.code if found is not None else text


def _name(word: nodes.Word) -> str:
    return word.text if _BARE_NAME.fullmatch(word.text) else quote(word.text)


def _tz(word: Optional[nodes.Word]) -> str:
    return f" tz {word.text}" if word is not None else ""


def statement_text(statement: nodes.Statement) -> str:
    if isinstance(statement, nodes.DayRule):
        days = ",".join(day_name(i.first.text) + (f"-{day_name(i.last.text)}" if i.last else "")
                        for i in statement.days)
        if statement.off is not None:
            return f"{days} off"
        times = ", ".join(f"{time_text(r.start.text)}-{time_text(r.end.text)}" for r in statement.times)
        return " ".join(filter(None, (days, times))) + _tz(statement.tz)
    if isinstance(statement, nodes.TzStatement):
        return f"tz {statement.zone.text}"
    if isinstance(statement, nodes.UserStatement):
        names = [_name(w) for w in (statement.given, statement.family) if w is not None]
        return " ".join(["user", *names, f"<{statement.email.text}>"]) + _tz(statement.tz)
    if isinstance(statement, nodes.AvailabilityStatement):
        return f"availability {quote(statement.name.text)}" + _tz(statement.tz)
    if isinstance(statement, nodes.HolidaysStatement):
        return f"holidays {region_text(statement.region.text)}"
    assert isinstance(statement, nodes.MeetingStatement), statement
    parts = ["meeting"]
    if statement.name is not None:
        parts.append(quote(statement.name.text))
    parts.append(duration_text(statement.duration.text))
    if statement.channel is not None:
        parts.append(words.channel(statement.channel.text) or statement.channel.text)
    if statement.slug is not None:
        parts += ["slug", statement.slug.text]
    return " ".join(parts)


# ---- a whole document
@dataclass
class _Block:
    """A statement with the comments that travel with it."""

    statement: nodes.Statement
    leading: list[tuple[bool, nodes.Comment]] = field(default_factory=list)  # (blank line before, comment)
    trailing: Optional[nodes.Comment] = None
    blank_before: bool = False  # a blank line right above the statement line itself


def print_document(document: nodes.Document) -> str:
    """The canonical text of a document, ending in one newline (or empty)."""
    from bisect import bisect_left, bisect_right

    blocks = [_Block(s) for s in document.statements]
    occupied = sorted({s.span.line for s in document.statements} | {c.span.line for c in document.comments})
    block_lines = [b.statement.span.line for b in blocks]  # in order: statements come as written
    # Each look-up below is a bisection, not a scan: a file of 20,000 comments took 16 s to format.

    def gap_before(line: int) -> bool:
        earlier = bisect_left(occupied, line)
        return earlier > 0 and line - occupied[earlier - 1] > 1

    footer: list[tuple[bool, nodes.Comment]] = []
    for comment in document.comments:
        line = comment.span.line
        if comment.trailing:
            same_line = blocks[bisect_left(block_lines, line):bisect_right(block_lines, line)]
            owner = max(same_line, key=lambda b: b.statement.span.column, default=None)
            if owner is not None and owner.trailing is None:
                owner.trailing = comment
                continue
        after = bisect_right(block_lines, line)
        below = blocks[after] if after < len(blocks) else None
        (below.leading if below else footer).append((gap_before(comment.span.line), comment))
    for previous, block in zip([None] + blocks, blocks):  # only the first statement of a line
        on_same_line = previous is not None and previous.statement.span.line == block.statement.span.line
        block.blank_before = not on_same_line and gap_before(block.statement.span.line)

    # Comments above the first statement are the file's header and stay at the top. Only when a
    # blank line parts them does the last group, sitting right on the first statement, go with it.
    header: list[tuple[bool, nodes.Comment]] = []
    header_gap = False  # a blank line between the header and what follows it
    if blocks:
        first = blocks[0]
        blanks = [i for i, (blank, _) in enumerate(first.leading) if blank]
        cut = len(first.leading) if first.blank_before or not blanks else blanks[-1]
        header, first.leading = first.leading[:cut], first.leading[cut:]
        header_gap = first.leading[0][0] if first.leading else first.blank_before
        # When the first statement moves down, a blank line keeps the header from reading as
        # the comment of the statement that takes its place.
        header_gap = header_gap or min(blocks, key=lambda b: _RANK[type(b.statement)]) is not first

    lines: list[str] = []

    def emit(blank: bool, text: str) -> None:
        if blank and lines and lines[-1] != "":
            lines.append("")
        lines.append(text)

    for blank, comment in header:
        emit(blank, comment.text.strip())
    if header and header_gap:
        lines.append("")
    for block in sorted(blocks, key=lambda b: _RANK[type(b.statement)]):
        for blank, comment in block.leading:
            emit(blank, comment.text.strip())
        text = statement_text(block.statement)
        if block.trailing is not None:
            text += "  " + block.trailing.text.strip()
        emit(block.blank_before, text)
    for blank, comment in footer:
        emit(blank, comment.text.strip())
    return "\n".join(lines) + "\n" if lines else ""
