"""`source.fixAll.schedc`: the whole document with every safe fix applied.

A safe fix is one the diagnostic's help names exactly and that is the fix to prefer (a
misspelt zone, day or channel, `9:0` for `09:00`, two touching ranges written as one); a fix
that leaves a choice (two overlapping ranges: merge, or move one?) is left to the person.
Fixes are applied a round at a time, edits that would touch each other waiting for the next
round, until none is left (a few rounds at most: a fix never makes another necessary).
"""

from __future__ import annotations

from ..config import Settings
from .features import DEFAULTS, diagnostics, document_of, fix
from .text import Text

ROUNDS = 5


def fix_all(text: Text, settings: Settings = DEFAULTS) -> str:
    """The text with every safe fix applied (the text itself when there is none)."""
    for _ in range(ROUNDS):
        edits = safe_edits(text, settings)
        if not edits:
            break
        source = text.source
        for edit in sorted(edits, key=lambda e: e.start, reverse=True):
            source = source[:edit.start] + edit.text + source[edit.end:]
        text = Text(source, text.encoding)
    return text.source


def safe_edits(text: Text, settings: Settings = DEFAULTS) -> list:
    """The edits of the preferred fixes, none of which touches another."""
    document = document_of(text)
    taken: list = []
    for diagnostic in diagnostics(text, settings):
        found = fix(text, diagnostic, document)
        if found is None or not found.preferred:
            continue
        if any(e.start <= other.end and other.start <= e.end for e in found.edits for other in taken):
            continue
        taken.extend(found.edits)
    return taken
