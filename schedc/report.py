"""Diagnostics as output: text for people (rustc/ruff style, on stderr), and JSON or GitHub
annotations for machines (`check --format`, on stdout). Owns all layout and colour decisions.

    team/office.sched:1:21: error[SC102]: `11:30-17:00` overlaps `09:00-12:00` on Mon-Fri
      |
    1 | Mon-Fri 09:00-12:00,11:30-17:00 tz Europe/London; 45min connect
      |         ----------- ^^^^^^^^^^^ overlaps
      |
    help: merge them into `09:00-17:00`, or move one so they no longer share time
"""

from __future__ import annotations

import os
import re
import sys

from .compiler.words import visible
from .diagnostics import Diagnostic
from .secrets import COVER, REDACTED, cover, json_text, redact

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Callable, Iterable, Optional, TextIO

TAB = 4
_STYLE = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "bold": "\x1b[1m", "blue": "\x1b[1;34m",
          "help": "\x1b[1;36m", "reset": "\x1b[0m"}


def use_colour(stream: TextIO, choice: str = "auto") -> bool:
    """Colour only on a terminal and never under NO_COLOR (https://no-color.org); FORCE_COLOR
    (https://force-color.org) colours a pipe too, as `--color always` does, unless NO_COLOR is
    also set. An explicit `--color` wins over both."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_STYLE['reset']}" if self.on and text else text


def render(diagnostic: Diagnostic, source: Optional[str], *, colour: bool = False) -> str:
    """One diagnostic as text: the header, the source lines it points at, and help."""
    paint = _Paint(colour)
    d = diagnostic
    where = d.path or "<string>"
    if d.span is not None:
        where += f":{d.span.line}:{d.span.column}"
    header = (f"{paint('bold', _one_line(redact(where, shapes=True)) + ':')} "
              f"{paint(d.severity, f'{d.severity}[{d.code}]')}: {_bounded(d.message)}")
    out = [header]
    # Lines end at `\n` only, exactly as the parser counts them (`\x85` and U+2028 do not).
    lines = source.split("\n") if source is not None else []
    marks = []  # (span, char, label)
    if d.span is not None:
        marks.append((d.span, "^", d.note or ""))
    marks += [(label.span, "-", label.message) for label in d.labels]
    shown = sorted({span.line for span, _, _ in marks if 0 < span.line <= len(lines)})
    if shown:
        width = len(str(shown[-1]))
        bar = paint("blue", " " * width + " |")
        out.append(bar)
        previous = None
        for number in shown:
            if previous is not None and number > previous + 1:
                out.append(paint("blue", "." * (width + 2)))
            previous = number
            on_line = [(s, c, lbl) for s, c, lbl in marks if s.line == number]
            # secrets are covered before the window is cut, so that no part of one is left at a cut
            text, on_line = _uncover(*_window(cover(lines[number - 1].rstrip("\r")), on_line))
            text = _printable(text)
            out.append(f"{paint('blue', str(number).rjust(width) + ' |')} {text.expandtabs(TAB)}")
            underline = _underline(text, on_line, paint, d.severity)
            out.append(f"{bar} {underline}".rstrip())
        out.append(bar)
    if d.help:
        out.append(f"{paint('help', 'help')}: {_bounded(d.help)}")
    return redact("\n".join(out), shapes=True)


_QUOTED = re.compile(r"`([^`]*)`")  # each pair of backticks, from the left: the prose between two stays


def _bounded(text: str) -> str:
    """A message with hidden characters escaped and every quote of the source kept short: a
    6,000-digit "hour" is shown as its first and last digits. Any key in it is blanked out
    first, so that the cut leaves no part of one."""
    return _QUOTED.sub(lambda m: f"`{m[1][:30]}…{m[1][-20:]}`" if len(m[1]) > 60 else m[0],
                       _one_line(redact(text, shapes=True)))


shown_message = _bounded  # the language server shows messages as the command line does


_LINE_BREAKS = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _one_line(text: str) -> str:
    """`visible`, and tabs and line breaks escaped too: a value quoted in a message (a JSON string
    holding `\r`, a file name holding `\n`) must not move the cursor or start a line of its own."""
    return visible(text).translate(_LINE_BREAKS)


EXCERPT = 200  # characters of a source line shown around what a diagnostic points at


def _window(text: str, marks: list) -> tuple[str, list]:
    """A long line cut to about EXCERPT characters around its marks, with `…` where it was cut,
    and the marks moved to match: a 1 MB line is never printed whole."""
    if len(text) <= EXCERPT:
        return text, marks
    first = min(span.column for span, _, _ in marks) - 1
    last = max((span.end_column if span.end_line == span.line else len(text) + 1) - 1 for span, _, _ in marks)
    start = max(0, min(first - 20, len(text) - EXCERPT))
    end = min(len(text), max(start + EXCERPT, min(last + 20, start + 2 * EXCERPT)))
    head, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    shift = start - len(head)
    moved = []
    for span, char, label in marks:
        end_column = span.end_column if span.end_line == span.line else len(text) + 1
        end_column = min(end_column, end + 1) - shift
        moved.append((span._replace(column=max(span.column - shift, 1 + len(head)), end_column=end_column,
                                    end_line=span.line), char, label))
    return head + text[start:end] + tail, moved


def _uncover(text: str, marks: list) -> tuple[str, list]:
    """Each run of COVER (a secret, see `secrets.cover`) written as `<redacted>`, and the marks
    moved to match: a mark after the run moves by the difference, one inside it marks the word."""
    for run in reversed(list(re.finditer(f"{COVER}+", text))):
        start, end = run.span()  # 0-based; columns are 1-based
        text = text[:start] + REDACTED + text[end:]
        shift = len(REDACTED) - (end - start)

        def moved(column: int, inside: int) -> int:
            return column if column <= start + 1 else column + shift if column > end else inside

        marks = [(span._replace(column=moved(span.column, start + 1),
                                end_column=moved(span.end_column, start + len(REDACTED) + 1)), char, label)
                 for span, char, label in marks]
    return text, marks


def _underline(text: str, marks, paint: _Paint, severity: str) -> str:
    row, width, labels = "", 0, []  # `width` counts visible characters; `row` may hold colour codes
    for span, char, label in sorted(marks, key=lambda m: m[0].column):
        start = _display_column(text, span.column)
        end_col = span.end_column if span.end_line == span.line else len(text) + 1
        end = max(_display_column(text, end_col), start + 1)
        if width > start:  # overlapping marks: keep the earlier one
            continue
        style = severity if char == "^" else "blue"
        row += " " * (start - width) + paint(style, char * (end - start))
        width = end
        if label:
            labels.append((char, paint(style, _one_line(redact(label, shapes=True)))))
    if len(marks) > 1:  # several marks on one line: only the primary one may carry a label
        labels = [entry for entry in labels if entry[0] == "^"]
    return (row + " " + labels[0][1]) if labels else row


def _printable(text: str) -> str:
    """Control characters (a NUL in a binary file) would corrupt the terminal: show U+FFFD."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == "\t" else "\ufffd" for c in text)


def _display_column(text: str, column: int) -> int:
    """0-based screen column of a 1-based character column: tabs expanded, wide characters (CJK,
    most emoji) counted as two cells and combining marks as none, as a terminal draws them."""
    before = text[: column - 1].expandtabs(TAB)
    if before.isascii():
        return len(before)
    import unicodedata

    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in before)


def summary(errors: int, warnings: int, files: int, unread: int = 0) -> str:
    def count(k: int, word: str) -> str:
        return f"{k} {word}{'' if k == 1 else 's'}"

    checked = count(files, "file")
    text = (f"{checked} checked: no problems" if not errors and not warnings else
            f"{checked} checked: {count(errors, 'error')}, {count(warnings, 'warning')}")
    if unread:
        text += f"; {count(unread, 'path')} could not be read"
    return text


# ---- for machines: field names are stable, scripts depend on them
FIELDS = ("code", "severity", "message", "file", "line", "column", "end_line", "end_column", "help")


def as_record(d: Diagnostic) -> dict:
    """One diagnostic as a flat JSON object; absent values are `null`."""
    return {"code": d.code, "severity": d.severity, "message": d.message, "file": d.path,
            "line": d.line, "column": d.column, "end_line": d.end_line, "end_column": d.end_column,
            "help": d.help}


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """All diagnostics of a run as one JSON array, two-space indent, final newline; keys blanked
    out and hidden or bidirectional characters escaped (`secrets.json_text`)."""
    return json_text([as_record(d) for d in diagnostics], indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(d: Diagnostic) -> str:
    """One GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::message`."""
    properties = {"file": d.path or "<stdin>"}
    if d.span is not None:
        properties.update(line=d.line, col=d.column, endLine=d.end_line, endColumn=d.end_column)
    properties["title"] = f"schedc {d.code}"
    head = ",".join(f"{key}={_escape_property(visible(str(value)))}" for key, value in properties.items())
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    return redact(f"::{d.severity} {head}::{_escape_data(visible(message))}\n", shapes=True)


# ---- one file's diagnostics on stderr
SHOWN_PER_FILE = 50  # more would bury the first ones; a generated file can have thousands


def print_text(diagnostics: list, source: Optional[str], colour: bool) -> None:
    """A file's diagnostics for people, at most SHOWN_PER_FILE of them, then a count of the rest."""
    for diagnostic in diagnostics[:SHOWN_PER_FILE]:
        print(render(diagnostic, source, colour=colour), file=sys.stderr, end="\n\n")
    rest = len(diagnostics) - SHOWN_PER_FILE
    if rest > 0:
        where = _one_line(diagnostics[0].path or "<string>")
        print(f"{where}: … and {rest:,} more (`schedc check --format json` lists every one)\n", file=sys.stderr)


# ---- one `check` run in a chosen format (`--format`: the words are in cli/table.py)
def reporter(kind: str, colour: bool) -> tuple[Callable, Callable[[], None]]:
    """(show(diagnostics, source), finish()) for one `check` run: text goes to stderr as each
    file is checked, github annotations to stdout likewise, JSON to stdout as one array at the end."""
    if kind == "text":
        return (lambda diagnostics, source: print_text(diagnostics, source, colour)), lambda: None
    if kind == "github":
        def show_github(diagnostics, source):
            sys.stdout.writelines(to_github(d) for d in diagnostics)

        return show_github, sys.stdout.flush
    collected: list = []

    def finish():
        sys.stdout.write(to_json(collected))
        sys.stdout.flush()

    return (lambda diagnostics, source: collected.extend(diagnostics)), finish
