"""What a diagnostic points at beyond its own range: its documentation, the other places it names, and how an
editor should draw it.

Every code has a section in docs/diagnostics.md; `href` is that section on the project's pages.
The places a diagnostic names are its labels (`overlapped range`), and a line it only names in
words (`the first statement is on line 3`), which becomes that line's text. A rule with no
effect (SC127) and a suppression that silences nothing (SC140) are drawn as unneeded code
(faded), as editors draw an unused import.
"""

from __future__ import annotations

import re
from typing import Iterator

from ..diagnostics import Diagnostic
from .text import Text

DOCS = "https://github.com/schedc/schedc/blob/main/docs/diagnostics.md"
UNNECESSARY = frozenset({"SC127", "SC140"})  # the protocol's DiagnosticTag.Unnecessary
_LINE = re.compile(r"\bline ([0-9]+)\b")


def href(code: str) -> str:
    """The code's section of docs/diagnostics.md, or the page itself for a code it does not list."""
    from ..rules import rule

    found = rule(code)
    return f"{DOCS}#{found.anchor}" if found else DOCS


def tags(code: str) -> list[int]:
    return [1] if code in UNNECESSARY else []


def elsewhere(text: Text, diagnostic: Diagnostic) -> Iterator[tuple[int, int, str]]:
    """(start, end, what it is) of each other place the diagnostic names."""
    for label in diagnostic.labels:
        yield (*text.span(label.span), label.message)
    if diagnostic.labels or diagnostic.span is None:
        return
    said = " ".join(part for part in (diagnostic.message, diagnostic.note or "", diagnostic.help or "") if part)
    for number in dict.fromkeys(int(m[1]) for m in _LINE.finditer(said)):
        if number != diagnostic.span.line and 1 <= number <= text.line_column(len(text.source))[0]:
            start = text.offset(number, 1)
            end = text.source.find("\n", start)
            line = text.source[start:len(text.source) if end < 0 else end]
            lead = len(line) - len(line.lstrip())
            yield start + lead, start + len(line.rstrip()), f"line {number}"
