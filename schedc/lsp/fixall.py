"""`source.fixAll.schedc`: the document with every safe fix applied, exactly as `schedc check --fix`
applies them to a file (one implementation: `schedc.fixes`).

A safe fix is one the diagnostic's help names exactly and after which the file means the same
(or meant nothing before): a misspelt zone, day or channel, `9:5` for `09:05`, two touching
ranges written as one. Merging two overlapping ranges is not among them (the other way to fix
an overlap is to move one range). The diagnostics are the ones the editor shows: the document's
settings, its suppression comments, and nothing about the file that the editor does not show.
"""

from __future__ import annotations

from typing import Optional

from ..config import Settings
from ..fixes import fix_all as fix_text
from .features import DEFAULTS, diagnostics
from .text import Text


def fix_all(text: Text, settings: Settings = DEFAULTS, path: Optional[str] = None) -> str:
    """The text with every safe fix applied (the text itself when there is none); `path` is the
    document's file, for the `per-file-ignores` that apply to it."""
    return fix_text(text.source, lambda source: diagnostics(Text(source, text.encoding), settings, path)).text
