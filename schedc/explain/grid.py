"""The terminal week grid of `schedc explain`: Monday first, a row per day, the 24 hours across
in half-hour cells, in at most 80 columns.

One person: windows are blocks, labelled with their times on the line below; each row ends with
the day's bookable hours and the number of meetings that fit back to back. A team: each cell
shows the fewest people bookable at any moment of its half hour, and the hours nobody covers
are listed after the grid. Colour only when asked (the caller decides: a terminal, no NO_COLOR).
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..compiler.clock_changes import minutes_text
from . import week

CELL = 30  # minutes per cell
CELLS = 1440 // CELL
LEFT = 12  # "Mon 23 Mar* "
_GLYPHS = {True: {"full": "█", "right": "▐", "left": "▌", "part": "▒", "dot": "·"},
           False: {"full": "#", "right": "]", "left": "[", "part": "+", "dot": "."}}
_COLOUR = {"block": "\x1b[32m", "dim": "\x1b[2m", "warn": "\x1b[33m", "bad": "\x1b[31m", "bold": "\x1b[1m",
           "reset": "\x1b[0m"}


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{_COLOUR[style]}{text}{_COLOUR['reset']}" if self.on and text else text


def printable(text: str) -> str:
    """`text` with control characters shown as escapes, so a name cannot drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def hours(minutes: int) -> str:
    """`450` → `7h30`, `0` → `0h`."""
    whole, rest = divmod(minutes, 60)
    return f"{whole}h{rest:02d}" if rest else f"{whole}h"


def _axis(title_right: str, paint: _Paint) -> str:
    line = [" "] * (LEFT + CELLS + 2)
    for hour in range(0, 25, 3):
        text = str(hour)
        at = LEFT + hour * 60 // CELL
        line[at:at + len(text)] = text
    return paint("dim", "".join(line).rstrip().ljust(LEFT + CELLS) + title_right)


def _cells(stretches: Sequence[tuple[int, int]]) -> list[tuple[bool, bool, int]]:
    """Per cell: (first minute covered, last minute covered, minutes covered)."""
    result = []
    for cell in range(CELLS):
        low, high = cell * CELL, (cell + 1) * CELL
        covered = sum(max(0, min(e, high) - max(s, low)) for s, e in stretches)
        first = any(s <= low < e for s, e in stretches)
        last = any(s < high <= e for s, e in stretches)
        result.append((first, last, min(covered, CELL)))
    return result


def _bar(stretches: Sequence[tuple[int, int]], glyphs: dict, paint: _Paint) -> str:
    out = []
    for index, (first, last, covered) in enumerate(_cells(stretches)):
        if covered == 0:
            out.append(paint("dim", glyphs["dot"]) if index % 2 == 0 else " ")
            continue
        if covered == CELL:
            glyph = glyphs["full"]
        elif last and not first:
            glyph = glyphs["right"]
        elif first and not last:
            glyph = glyphs["left"]
        else:
            glyph = glyphs["part"]
        out.append(paint("block", glyph))
    return "".join(out)


def _labels(stretches: Sequence[tuple[int, int, int]], width: int = 80, shorter_than: int = 0) -> list[str]:
    """The times of each stretch, under its block where there is room; `!` marks one whose
    interval is shorter than `shorter_than` minutes (no meeting fits in it)."""
    lines, line = [], ""
    for start, end, minutes in stretches:
        text = f"{_clock(start)}-{_clock(end)}" + ("!" if minutes < shorter_than else "")
        at = max(LEFT + start // CELL, len(line) + 1 if line else LEFT)
        if at + len(text) > width:
            lines.append(line)
            line, at = "", LEFT
        line = line.ljust(at) + text
    if line:
        lines.append(line)
    return lines


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_label(day: week.Day, marked: bool) -> str:
    return (day.date.strftime("%a %d %b") + ("*" if marked else "")).ljust(LEFT)


def _joined(stretches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, minutes) on one day, touching ones joined; `minutes` is the real length of
    the longest interval a joined stretch is part of (it may go on across midnight)."""
    joined: list[list[int]] = []
    for start, end, minutes in sorted(stretches):
        if joined and start <= joined[-1][1]:
            joined[-1][1], joined[-1][2] = max(joined[-1][1], end), max(joined[-1][2], minutes)
        else:
            joined.append([start, end, minutes])
    return [(s, e, m) for s, e, m in joined]


def _changes(days: Sequence[week.Day], zones: Sequence[str], shown: str, paint: _Paint) -> tuple[set, list[str]]:
    marked, notes = week.change_notes(days, zones, shown)
    return marked, [paint("warn", note) for note in notes]


def person(w: week.Week, *, in_zone: Optional[str], colour: bool = False, unicode: bool = True) -> str:
    """One person's week as text, ending with a newline."""
    paint, glyphs, p = _Paint(colour), _GLYPHS[unicode], w.person
    dot = " · " if unicode else " - "
    title = printable(p.path) + dot + printable(p.name) + dot + p.zone
    lines = [paint("bold", title)]
    seen = f"seen from {in_zone}, " if in_zone else ""
    lines.append(f"{seen}week of {w.days[0].date.strftime('%a %d %b %Y')}")
    if p.duration:
        lines.append(f"meetings of {minutes_text(p.duration)}, back to back")
    marked, notes = _changes(w.days, [z for z in (p.zone, in_zone) if z], w.shown_in, paint)
    lines.append(_axis("  hours" + ("  fit" if p.duration else ""), paint))
    short = False
    for day in w.days:
        stretches = _joined([(*s, i.window) for i in w.intervals if (s := week.pieces(i.start, i.end, day, w.shown_in))])
        stats = hours(w.day_minutes(day)).rjust(7)
        if p.duration:
            stats += str(w.day_meetings(day)).rjust(5)
        lines.append(_day_label(day, day.date in marked) + _bar([(a, b) for a, b, _ in stretches], glyphs, paint)
                     + stats)
        holiday = w.holiday(day)
        if holiday:
            lines.append(paint("warn", f"{' ' * LEFT}closed: {printable(holiday)} (public holiday, "
                                       f"{p.holidays.code})"))
        lines += [paint("dim", label) for label in _labels(stretches, shorter_than=p.duration or 0)]
        short |= any(m < (p.duration or 0) for _, _, m in stretches)
    total = f"week: {hours(w.minutes)} bookable"
    if p.duration:
        total += f", {w.meetings} meeting{'s' if w.meetings != 1 else ''} of {minutes_text(p.duration)}"
    lines.append(total)
    if short:
        lines.append(f"! shorter than the {minutes_text(p.duration)} meeting: none fits in it")
    lines += notes
    return "\n".join(lines) + "\n"


def team(t: week.Team, *, colour: bool = False, unicode: bool = True) -> str:
    """A team's coverage as text, ending with a newline."""
    paint, glyphs = _Paint(colour), _GLYPHS[unicode]
    names = [printable(name) for name in week.team_names(t)]
    lines = [paint("bold", f"{len(names)} {'person' if len(names) == 1 else 'people'}, seen from {t.shown_in}"),
             f"week of {t.days[0].date.strftime('%a %d %b %Y')}",
             "each cell: the fewest people bookable at any moment of its half hour"]
    marked, notes = _changes(t.days, [t.shown_in, *(p.zone for p in t.people)], t.shown_in, paint)
    lines.append(_axis("  cover   gap", paint))
    for day in t.days:
        slots = [(s, week.pieces(s.start, s.end, day, t.shown_in)) for s in t.slots if day.start <= s.start < day.end]
        cells = []
        for cell in range(CELLS):
            low, high = cell * CELL, (cell + 1) * CELL
            counts = [len(s.people) for s, span in slots if span and span[0] < high and low < span[1]]
            fewest = min(counts) if counts else 0
            if fewest == 0:
                most = max(counts) if counts else 0
                cells.append(paint("warn", glyphs["part"]) if most else
                             (paint("dim", glyphs["dot"]) if cell % 2 == 0 else " "))
            else:
                cells.append(paint("block" if fewest > 1 else "warn", str(fewest) if fewest < 10 else "+"))
        covered = sum(s.minutes for s, _ in slots if s.people)
        gap = sum(g.minutes for g in t.gaps if day.start <= g.start < day.end)
        lines.append(_day_label(day, day.date in marked) + "".join(cells) + hours(covered).rjust(7)
                     + hours(gap).rjust(6))
    lines.append(f"{glyphs['part']} somebody for part of the half hour, nobody for the rest")
    width = max(len(name) for name in names)
    lines.append("people, and their bookable hours this week:")
    lines += [(f"  {name.ljust(width)}  {hours(w.minutes).rjust(6)}  {w.person.zone}"
               + "".join(f", off {when:%a} ({printable(title)})" for when, title in w.holidays))[:80].rstrip()
              for name, w in zip(names, t.weeks)]
    if t.gaps:
        lines.append(paint("bad", "nobody is bookable (inside the hours the team covers each day):"))
        for day in t.days:
            gaps = [g for g in t.gaps if day.start <= g.start < day.end]
            if gaps:
                spans = [week.pieces(g.start, g.end, day, t.shown_in) for g in gaps]
                lines.append(f"  {day.date.strftime('%a %d %b')}  "
                             + ", ".join(f"{_clock(s)}-{_clock(e)}" for s, e in spans if (s, e) != (0, 0)))
    else:
        lines.append("every hour inside the hours the team covers each day has somebody bookable")
    lines += notes
    return "\n".join(lines) + "\n"
