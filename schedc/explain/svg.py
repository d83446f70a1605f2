"""The SVG chart of `schedc explain --svg`: days as columns, hours as rows, written with the
standard library's ElementTree (so it is always well-formed XML, with text escaped).

Every block is a `<rect class="window">` (one person) or `<rect class="cover">` (a team) with
`data-start` and `data-end` (ISO 8601 in the zone shown) and a `<title>`, which browsers show on
hover: the window's times, or how many people are bookable and who. A minute is half a pixel,
so a block's `y` and `height` are exact for any offset (45-minute zones included).

The texts around the chart never run off it: each clock-change note has a line of its own
below the chart, which grows taller for them, and the chart widens when the title, subtitle
or a note would be wider than the grid (measured with a generous width per character).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from typing import Optional, Sequence

from ..compiler.clock_changes import minutes_text
from . import week

SVG = "http://www.w3.org/2000/svg"
SCALE = 0.5  # pixels per minute
LEFT, TOP, COLUMN, GAP = 48, 64, 96, 4
HEIGHT = TOP + 1440 * SCALE + 32
WIDTH = LEFT + 7 * COLUMN + 16
INK, FAINT, BLOCK, ACCENT = "#1f2328", "#d0d7de", "#2da44e", "#bf8700"
CHAR = 0.6  # the width of a character, in ems: wider than the average of a sans-serif font
LINE = 16  # the distance between two lines of notes


def _number(value: float) -> str:
    return f"{value:g}"


def text_width(text: str, size: float = 12) -> float:
    """How wide a line of text may be drawn, at most (in pixels)."""
    return len(text) * size * CHAR


def _root(title: str, subtitle: str, notes: Sequence[str] = ()) -> ET.Element:
    """The chart's canvas with its title, subtitle and notes (one line each, below the grid),
    as wide and as tall as they need."""
    width = max(WIDTH, math.ceil(16 + max(text_width(title, 14), text_width(subtitle),
                                          *(text_width(note) for note in notes))))
    height = HEIGHT + LINE * max(0, len(notes) - 1)
    root = ET.Element("svg", {
        "xmlns": SVG, "width": _number(width), "height": _number(height),
        "viewBox": f"0 0 {_number(width)} {_number(height)}",
        "font-family": "system-ui, -apple-system, 'Segoe UI', sans-serif", "font-size": "12"})
    ET.SubElement(root, "title").text = f"{title}: {subtitle}"
    ET.SubElement(root, "rect", {"width": "100%", "height": "100%", "fill": "#ffffff"})
    heading = ET.SubElement(root, "text", {"x": "8", "y": "20", "font-size": "14", "font-weight": "600",
                                            "fill": INK})
    heading.text = title
    ET.SubElement(root, "text", {"x": "8", "y": "38", "fill": INK}).text = subtitle
    if notes:
        lines = ET.SubElement(root, "g", {"class": "notes", "fill": ACCENT})
        for k, note in enumerate(notes):
            ET.SubElement(lines, "text", {"x": "8", "y": _number(HEIGHT - 10 + k * LINE)}).text = note
    return root


def _frame(root: ET.Element, days, marked: set) -> None:
    grid = ET.SubElement(root, "g", {"class": "grid", "stroke": FAINT, "stroke-width": "1"})
    for hour in range(25):
        y = TOP + hour * 60 * SCALE
        ET.SubElement(grid, "line", {"x1": _number(LEFT), "x2": _number(LEFT + 7 * COLUMN),
                                     "y1": _number(y), "y2": _number(y)})
    for index in range(8):
        x_at = LEFT + index * COLUMN
        ET.SubElement(grid, "line", {"x1": _number(x_at), "x2": _number(x_at),
                                     "y1": _number(TOP), "y2": _number(TOP + 1440 * SCALE)})
    labels = ET.SubElement(root, "g", {"class": "hours", "fill": INK, "text-anchor": "end"})
    for hour in range(0, 25, 3):
        ET.SubElement(labels, "text", {"x": _number(LEFT - 6), "y": _number(TOP + hour * 60 * SCALE + 4)}).text =\
            f"{hour:02d}:00"
    heads = ET.SubElement(root, "g", {"class": "days", "fill": INK, "text-anchor": "middle", "font-weight": "600"})
    for index, day in enumerate(days):
        text = day.date.strftime("%a %d %b") + (" *" if day.date in marked else "")
        ET.SubElement(heads, "text", {"x": _number(LEFT + index * COLUMN + COLUMN / 2),
                                      "y": _number(TOP - 8)}).text = text


def _rect(parent: ET.Element, index: int, span: tuple[int, int], attributes: dict, title: str) -> ET.Element:
    start, end = span
    rect = ET.SubElement(parent, "rect", {
        "x": _number(LEFT + index * COLUMN + GAP), "y": _number(TOP + start * SCALE),
        "width": _number(COLUMN - 2 * GAP), "height": _number((end - start) * SCALE), "rx": "3", **attributes})
    ET.SubElement(rect, "title").text = title
    return rect


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def person(w: week.Week, *, in_zone: Optional[str]) -> str:
    p = w.person
    subtitle = f"{p.zone}" + (f", seen from {in_zone}" if in_zone else "") + f"; week of {w.days[0].date:%d %b %Y}"
    subtitle += f"; {x_hours(w.minutes)} bookable"
    if p.duration:
        subtitle += f", {w.meetings} meetings of {minutes_text(p.duration)}"
    marked, notes = week.change_notes(w.days, [z for z in (p.zone, in_zone) if z], w.shown_in, arrow="→")
    root = _root(p.name, subtitle, notes)
    _frame(root, w.days, marked)
    _holidays(root, w)
    blocks = ET.SubElement(root, "g", {"class": "windows"})
    for index, day in enumerate(w.days):
        for interval in w.intervals:
            span = week.pieces(interval.start, interval.end, day, w.shown_in)
            if span is None:
                continue
            start, end = max(interval.start, day.start), min(interval.end, day.end)
            label = f"{_clock(span[0])}-{_clock(span[1])}"
            _rect(blocks, index, span, {"class": "window", "fill": BLOCK,
                                        "data-start": week.iso(start, w.shown_in), "data-end": week.iso(end, w.shown_in)},
                  label)
            if (span[1] - span[0]) * SCALE >= 16:
                ET.SubElement(blocks, "text", {
                    "x": _number(LEFT + index * COLUMN + COLUMN / 2), "y": _number(TOP + span[0] * SCALE + 13),
                    "fill": "#ffffff", "text-anchor": "middle", "font-size": "11"}).text = label
    return _serialise(root)


def _holidays(root: ET.Element, w: week.Week) -> None:
    """A shaded column, labelled with the holiday's name, for each public holiday of the week."""
    if not w.holidays:
        return
    shade = ET.SubElement(root, "g", {"class": "holidays"})
    for index, day in enumerate(w.days):
        name = w.holiday(day)
        if name is None:
            continue
        _rect(shade, index, (0, 1440), {"class": "holiday", "fill": ACCENT, "fill-opacity": "0.12",
                                        "data-date": day.date.isoformat()}, f"public holiday: {name}")
        room = COLUMN - 2 * GAP
        label = name if text_width(name, 11) <= room else name[:int(room / (11 * CHAR)) - 1] + "…"
        ET.SubElement(shade, "text", {"x": _number(LEFT + index * COLUMN + COLUMN / 2), "y": _number(TOP + 16),
                                      "fill": ACCENT, "text-anchor": "middle", "font-size": "11"}).text = label


def team(t: week.Team) -> str:
    names = week.team_names(t)
    marked, notes = week.change_notes(t.days, [t.shown_in, *(p.zone for p in t.people)], t.shown_in, arrow="→")
    root = _root(f"{len(names)} people", f"seen from {t.shown_in}; week of {t.days[0].date:%d %b %Y}; "
                                         "the number of people bookable in each block; hover for their names",
                 notes)
    _frame(root, t.days, marked)
    most = max((len(s.people) for s in t.slots), default=1) or 1
    blocks = ET.SubElement(root, "g", {"class": "coverage"})
    for index, day in enumerate(t.days):
        for slot in t.slots:
            if not (day.start <= slot.start < day.end):
                continue
            span = week.pieces(slot.start, slot.end, day, t.shown_in)
            if span is None:
                continue
            times = f"{_clock(span[0])}-{_clock(span[1])}"
            common = {"data-start": week.iso(slot.start, t.shown_in), "data-end": week.iso(slot.end, t.shown_in),
                      "data-count": str(len(slot.people))}
            if slot.people:
                opacity = 0.35 + 0.65 * len(slot.people) / most
                _rect(blocks, index, span, {"class": "cover", "fill": BLOCK, "fill-opacity": f"{opacity:.2f}",
                                            **common},
                      f"{times}: {len(slot.people)} bookable: " + ", ".join(slot.people))
                if (span[1] - span[0]) * SCALE >= 14:
                    ET.SubElement(blocks, "text", {
                        "x": _number(LEFT + index * COLUMN + GAP + 5), "y": _number(TOP + span[0] * SCALE + 12),
                        "fill": INK, "font-size": "11"}).text = str(len(slot.people))
            elif slot in t.gaps:
                _rect(blocks, index, span, {"class": "gap", "fill": "none", "stroke": ACCENT,
                                            "stroke-dasharray": "4 3", **common}, f"{times}: nobody bookable")
    return _serialise(root)


def x_hours(minutes: int) -> str:
    whole, rest = divmod(minutes, 60)
    return f"{whole}h{rest:02d}" if rest else f"{whole}h"


# Characters XML 1.0 does not allow at all, even escaped (a name may hold a control character).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: Optional[str]) -> Optional[str]:
    return _NOT_XML.sub("\ufffd", text) if text else text


def _serialise(root: ET.Element) -> str:
    for element in root.iter():
        element.text, element.tail = _clean(element.text), _clean(element.tail)
        for key, value in element.attrib.items():
            element.set(key, _clean(value))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
