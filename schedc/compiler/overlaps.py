"""The one overlap routine: which ranges of one day share time, and which touch.

Sort by start, then sweep once, so a day with n ranges costs O(n log n) and the answer has at
most n entries, however many ranges pile up on the same minutes. Used for `.sched` day rules
(`resolve`) and for imported JSON (`import_json`) alike.
"""

from __future__ import annotations

from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Any, Sequence



class Clashes(Record):
    groups: list[list[Any]]         # each: two or more ranges that overlap, chained, in order of start
    touches: list[tuple[Any, Any]]  # (earlier, later): later starts exactly where earlier ends


def clashes(ranges: Sequence[tuple[int, int, Any]]) -> Clashes:
    """`ranges` are (start, end, item) with start < end; items come back grouped."""
    ordered = sorted(range(len(ranges)), key=lambda i: (ranges[i][0], ranges[i][1], i))
    groups: list[list[Any]] = []
    touches: list[tuple[Any, Any]] = []
    group: list[int] = []
    reach, last = -1, -1  # the furthest end in the current group, and which range reaches it
    for i in ordered:
        start, end, _ = ranges[i]
        if group and start < reach:
            group.append(i)
        else:
            if len(group) > 1:
                groups.append([ranges[k][2] for k in group])
            if group and start == reach:
                touches.append((ranges[last][2], ranges[i][2]))
            group, reach = [i], -1
        if end > reach:
            reach, last = end, i
    if len(group) > 1:
        groups.append([ranges[k][2] for k in group])
    return Clashes(groups, touches)


__all__ = ["Clashes", "clashes"]
