"""Fixes: the edit a diagnostic's help names exactly, for `schedc check --fix` and the
language server's quick fixes (one implementation for both).

A fix is offered only where the help leaves no choice: a misspelt zone, day or channel with one
clear suggestion, a legacy zone alias, `Tue-Tue`, `9:5`, a code misspelt in a suppression, a
slug made URL-friendly, and two ranges of one rule written as one. A fix is *safe* when the
file means the same after it, or meant nothing before (it had an error there): all of these but
the merge of two overlapping ranges (SC102), which drops the overlap's double booking and so is
offered only as an unsafe fix (`--unsafe-fixes`), and never as the editor's preferred one.

Edits are offsets into the text as given (a leading byte-order mark counted), so the language
server and the command line apply them the same way. `fix_all` applies every fix it can, checks
again, and goes on until nothing more is fixable: `check --fix` writes its text, and an
editor's `source.fixAll` is one edit of the whole document to it, as in

    fixed = fix_all(text.source, lambda source: features.diagnostics(Text(source), settings))
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from .compiler import nodes
from .compiler import words
from .diagnostics import Diagnostic, ScheduleError, Span
from .lsp.text import Text
from .compiler.records import Record


class Edit(Record):
    start: int
    end: int
    text: str


class Fix(Record):
    title: str
    edits: tuple[Edit, ...]
    preferred: bool = True  # safe: `check --fix` applies it, and the editor prefers it


class Fixed(Record):
    """What `fix_all` made of a text: the new text, and the diagnostics its fixes took away."""

    text: str
    fixed: tuple[Diagnostic, ...]


_REPLACEMENT = {
    "SC101": re.compile(r"minutes have two digits: `([^`]+)`$"),
    "SC106": re.compile(r"did you mean `([^`]+)`\?$"),
    "SC107": re.compile(r"did you mean `([^`]+)`\?"),  # for an offset, an explanation follows
    "SC108": re.compile(r"did you mean `([^`]+)`\?$"),
    "SC110": re.compile(r"did you mean `([^`]+)`\?"),
    "SC141": re.compile(r"did you mean `([^`]+)`\?$"),  # only ever a code that can be silenced
    "SC150": re.compile(r"did you mean `([^`]+)`\?"),  # the list of codes follows
    "SC123": re.compile(r"write `([^`]+)`$"),
    "SC125": re.compile(r"write `([^`]+)` alone$"),
}
_MERGE = {
    "SC102": re.compile(r"merge them into `([^`]+)`"),
    "SC120": re.compile(r"write them as one range: `([^`]+)`$"),
}
FIXABLE = tuple(sorted(set(_REPLACEMENT) | set(_MERGE)))  # the codes a fix may exist for
UNSAFE = ("SC102",)  # the codes whose fix changes what the file means
SUPPRESSING = ("SC141",)  # the codes whose fix changes which diagnostics a suppression silences


def document_of(source: str) -> Optional[nodes.Document]:
    from .api import parse

    try:
        return parse(source[1:] if source.startswith("\ufeff") else source)
    except ScheduleError:
        return None


def fix(source: str, diagnostic: Diagnostic, document: Optional[nodes.Document] = None) -> Optional[Fix]:
    """The fix of one diagnostic of `source`, or None when its help leaves a choice. `document`
    is the parsed text, when the caller has it (a merge needs it)."""
    if diagnostic.span is None or not diagnostic.help:
        return None
    lines = Text(source)  # schedc's lines and columns as offsets into the text, as the editor's are
    pattern = _REPLACEMENT.get(diagnostic.code)
    if pattern is not None:
        match = pattern.match(diagnostic.help)
        if not match:
            return None
        start, end = lines.span(diagnostic.span)
        return Fix(f"Replace `{source[start:end]}` with `{match[1]}`", (Edit(start, end, match[1]),))
    pattern = _MERGE.get(diagnostic.code)
    if pattern is None or not diagnostic.labels:
        return None
    match = pattern.match(diagnostic.help)
    document = document or document_of(source)
    if not match or document is None:
        return None
    return _merge(lines, document, diagnostic.span, diagnostic.labels[0].span, match[1],
                  preferred=diagnostic.code not in UNSAFE)


def _merge(lines: Text, document: nodes.Document, new: Span, old: Span, merged: str, preferred: bool) -> Optional[Fix]:
    """Two ranges of one rule written as one: the earlier becomes the merged range, the later goes."""
    for statement in document.statements:
        if not isinstance(statement, nodes.DayRule):
            continue
        spans = [r.span for r in statement.times]
        if new not in spans or old not in spans:
            continue
        if not all(_same_day(r) for r in statement.times if r.span in (new, old)):
            return None  # a range past midnight spans two days; one merged range cannot say that
        i, j = sorted((spans.index(new), spans.index(old)))
        keep_start, keep_end = lines.span(spans[i])
        gone_start, gone_end = lines.span(spans[j - 1])[1], lines.span(spans[j])[1]
        edits = (Edit(keep_start, keep_end, merged), Edit(gone_start, gone_end, "")) if j - 1 != i else (
            Edit(keep_start, gone_end, merged),)
        return Fix(f"Merge into `{merged}`", edits, preferred)
    return None


def _same_day(time_range: nodes.TimeRange) -> bool:
    start, end = words.parse_time(time_range.start.text), words.parse_time(time_range.end.text)
    if start is None or end is None:
        return False
    return start < (1440 if end == 0 else end)


def fixes(source: str, diagnostics: Sequence[Diagnostic], unsafe: bool = False) -> list[tuple[Diagnostic, Fix]]:
    """The fixes of `diagnostics` that may be applied together (no two touch the same text), in
    the order of the text: the safe ones, and with `unsafe` the others too."""
    document = document_of(source) if any(d.code in _MERGE for d in diagnostics) else None
    found = []
    for diagnostic in diagnostics:
        made = fix(source, diagnostic, document)
        if made is not None and (made.preferred or unsafe):
            found.append((diagnostic, made))
    found.sort(key=lambda pair: min(e.start for e in pair[1].edits))
    if any(d.code in SUPPRESSING for d, _ in found):
        # A code fixed in a suppression silences what it names: the fix of that diagnostic would
        # leave the suppression unused (SC140). Fix the codes alone; the next round sees the rest.
        found = [(d, made) for d, made in found if d.code in SUPPRESSING]
    taken, used = [], []
    for diagnostic, made in found:
        if any(e.start <= u_end and u_start <= e.end for e in made.edits for u_start, u_end in used):
            continue  # touches an edit already taken: the next round sees it again
        taken.append((diagnostic, made))
        used += [(e.start, e.end) for e in made.edits]
    return taken


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        source = source[:edit.start] + edit.text + source[edit.end:]
    return source


def fix_all(source: str, diagnose: Callable[[str], Sequence[Diagnostic]], unsafe: bool = False,
            rounds: int = 10) -> Fixed:
    """`source` with every fix applied that `diagnose(text)` (the diagnostics shown of a text)
    leads to, round after round until none is left (a fix can show another: `tz Europe/Lisbn`
    fixed, the hours are checked in its zone), or `rounds` is spent."""
    fixed: list[Diagnostic] = []
    seen = {source}
    for _ in range(rounds):
        found = fixes(source, diagnose(source), unsafe)
        if not found:
            break
        changed = apply_edits(source, [e for _, made in found for e in made.edits])
        if changed in seen:  # a fix that undoes another: stop rather than go round
            break
        seen.add(changed)
        source = changed
        fixed += [diagnostic for diagnostic, _ in found]
    return Fixed(source, tuple(fixed))


__all__ = ["Edit", "FIXABLE", "Fix", "Fixed", "UNSAFE", "apply_edits", "document_of", "fix", "fix_all", "fixes"]
