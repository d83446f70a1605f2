"""Positions in one open document, as schedc counts them and as the protocol counts them.

schedc counts 1-based lines split at `\\n` and 1-based columns in code points, after dropping a
leading byte-order mark. The protocol counts 0-based lines split at `\\r\\n`, `\\n` or `\\r`, and
0-based columns in code units of the encoding agreed at start-up: UTF-16 unless the editor
offers another (so `東` is one unit and `😀` two). Both meet at an offset into the text as the
editor holds it; everything else in the server works with those offsets.
"""

from __future__ import annotations

import bisect
import re
from typing import Optional

from ..diagnostics import Span

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_BREAK = re.compile(r"\r\n|\r|\n")


class Text:
    def __init__(self, source: str, encoding: Optional[str] = UTF16):
        self.source = source
        self.encoding = encoding if encoding in (UTF8, UTF16, UTF32) else UTF16
        self.bom = 1 if source.startswith("\ufeff") else 0
        self.body = source[self.bom:]  # what schedc parses
        self._lines = [self.bom] + [m.end() + self.bom for m in re.finditer("\n", self.body)]
        self._rows = [0]  # where each of the protocol's lines starts
        self._row_ends = []  # where its text ends (before the line break)
        for match in _BREAK.finditer(source):
            self._row_ends.append(match.start())
            self._rows.append(match.end())
        self._row_ends.append(len(source))

    # ---- schedc's lines and columns
    def offset(self, line: int, column: int) -> int:
        """The offset of schedc's `line:column`, kept inside that line."""
        index = min(max(line, 1), len(self._lines)) - 1
        start = self._lines[index]
        end = self._lines[index + 1] - 1 if index + 1 < len(self._lines) else len(self.source)
        return min(start + max(column, 1) - 1, end)

    def span(self, span: Span) -> tuple[int, int]:
        start = self.offset(span.line, span.column)
        return start, max(start, self.offset(span.end_line, span.end_column))

    def line_column(self, offset: int) -> tuple[int, int]:
        """schedc's 1-based (line, column) of an offset."""
        offset = min(max(offset, self.bom), len(self.source))
        index = bisect.bisect_right(self._lines, offset) - 1
        return index + 1, offset - self._lines[index] + 1

    def line_start(self, offset: int) -> int:
        return self._lines[bisect.bisect_right(self._lines, offset) - 1]

    # ---- the protocol's lines and columns
    def position(self, offset: int) -> tuple[int, int]:
        offset = min(max(offset, 0), len(self.source))
        row = bisect.bisect_right(self._rows, offset) - 1
        start = self._rows[row]
        return row, self._units(self.source[start:min(offset, self._row_ends[row])])

    def offset_at(self, row: int, character: int) -> int:
        """The offset of a protocol position; past the end of a line is its end (as the protocol says)."""
        if row < 0:
            return 0
        if row >= len(self._rows):
            return len(self.source)
        offset, end, units = self._rows[row], self._row_ends[row], 0
        while offset < end and units < character:
            units += self._units(self.source[offset])
            offset += 1
        return offset

    def end(self) -> tuple[int, int]:
        return self.position(len(self.source))

    def _units(self, text: str) -> int:
        if self.encoding == UTF32:
            return len(text)
        if self.encoding == UTF8:
            return len(text.encode("utf-8", "surrogatepass"))
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
