"""Silencing warnings: `# schedc: ignore[SC120]` on a line, `# schedc: ignore-file[SC123]` for a file.

    Mon 09:00-12:00, 12:00-13:00   # schedc: ignore[SC120]
    # schedc: ignore-file[SC123, SC125]

A line's comment silences the named codes on that line (where a diagnostic starts); a file's
comment, on a line of its own before the first statement, silences them everywhere in the file.
Only warnings can be silenced: an error means the request would be invalid, so it always shows.
A suppression that silences nothing, names an unknown code, names an error, or is written wrong
is itself a warning (SC140–SC144), so suppressions cannot outlive the problem they were for.

Then `select` and `ignore` (from the command line or the configuration) choose which warnings
are reported at all; they never hide an error either.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Span, warning
from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional, Sequence

# compiled on first use (re caches them): a file with no `schedc:` comment never needs them
_DIRECTIVE = r"#\s*schedc\s*:\s*(?P<kind>ignore-file|ignore)\b(?P<rest>[^#]*)"
_LIST = r"\s*\[(?P<codes>[^\]]*)\]"
_CODE = r"[^\s,]+"


class Suppression(Record):
    kind: str  # "ignore" (this line) or "ignore-file"
    line: int
    codes: tuple[tuple[str, Span], ...]  # each code as written, and where
    span: Span  # the whole directive


def scan(text: str) -> tuple[list[Suppression], list[Diagnostic]]:
    """Every suppression comment of a file, and diagnostics for those written wrong.

    A `#` outside a double-quoted string starts a comment (nothing else in the language may
    hold one), so the comments are found without parsing the statements."""
    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    first_statement = None
    for number, line in enumerate(text.split("\n"), 1):
        hash_at = _comment_start(line)
        code_part = line if hash_at is None else line[:hash_at]
        if first_statement is None and code_part.strip(" \t\r\f\ufeff;"):
            first_statement = number
        if hash_at is None:
            continue
        comment = line[hash_at:]
        for match in re.finditer(_DIRECTIVE, comment):
            start = hash_at + match.start() + 1
            kind = match.group("kind")
            listed = re.match(_LIST, match.group("rest"))
            if not listed:
                end = hash_at + match.end("kind") + 1
                problems.append(warning(
                    "SC143", f"`schedc: {kind}` names no code", Span(number, start, number, end),
                    help=f"name the codes it is for, like `# schedc: {kind}[SC120]`"))
                continue
            offset = hash_at + match.start("rest") + listed.start("codes")
            codes = tuple((m.group(0), Span(number, offset + m.start() + 1, number, offset + m.end() + 1))
                          for m in re.finditer(_CODE, listed.group("codes")))
            span = Span(number, start, number, hash_at + match.start("rest") + listed.end() + 1)
            if not codes:
                problems.append(warning("SC143", f"`schedc: {kind}[]` names no code", span,
                                        help=f"name the codes it is for, like `# schedc: {kind}[SC120]`"))
                continue
            if kind == "ignore-file" and first_statement is not None:
                problems.append(warning(
                    "SC144", "`ignore-file` comes after the first statement, so it silences nothing", span,
                    help="move it to a line of its own at the top of the file",
                    note=f"the first statement is on line {first_statement}"))
                continue
            found.append(Suppression(kind, number, codes, span))
    return found, problems


def _comment_start(line: str) -> Optional[int]:
    from .words import outside_strings

    return next((index for index, char in outside_strings(line) if char == "#"), None)


def wanted(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Whether a warning with `code` is reported under `select` and `ignore` (codes or prefixes)."""
    if select and not any(code.startswith(s) for s in select):
        return False
    return not any(code.startswith(i) for i in ignore)
def checked_whole(diagnostics: Sequence[Diagnostic]) -> bool:
    """Whether every check ran over the file: no syntax error (an SC0xx error) stopped them.
    The `report_unused` of `apply`."""
    return not any(d.is_error and d.code.startswith("SC0") for d in diagnostics)


def apply(diagnostics: Sequence[Diagnostic], text: Optional[str], *, select: Sequence[str] = (),
          ignore: Sequence[str] = (), path: Optional[str] = None, report_unused: bool = True) -> list[Diagnostic]:
    """The diagnostics left once the file's suppressions and `select`/`ignore` are applied,
    with warnings about the suppressions themselves, in source order.

    `report_unused` is false when the checks did not all run (a syntax error stops them), since
    a suppression may then only seem unused."""
    if text is None or "schedc" not in text:
        kept = [d for d in diagnostics if d.is_error or wanted(d.code, select, ignore)]
        return kept
    from ..rules import rule, suggest

    suppressions, extra = scan(text)
    named = {(s.kind, s.line, code.upper()) for s in suppressions for code, _ in s.codes}
    used: set[tuple[int, int]] = set()  # (line, column) of each code that silenced something
    file_wide: dict[str, tuple[int, int]] = {}
    by_line: dict[tuple[int, str], tuple[int, int]] = {}
    for suppression in suppressions:
        for code, span in suppression.codes:
            upper = code.upper()
            known = rule(upper)
            if known is None:
                near = suggest(upper, silenceable=True, among=_silenceable_here(diagnostics, suppression, named))
                extra.append(warning("SC141", f"`{code}` is not a diagnostic code", span,
                                     help=f"did you mean `{near}`?" if near else
                                     "`schedc rule --all` lists the codes; remove this one"))
                used.add((span.line, span.column))
                continue
            if known is not None and not known.silenceable:
                extra.append(warning("SC142", f"`{upper}` is an error, and errors cannot be silenced", span,
                                     help="fix what the error points at; an error means the request would be "
                                          "invalid"))
                used.add((span.line, span.column))
                continue
            place = (span.line, span.column)
            if suppression.kind == "ignore-file":
                file_wide.setdefault(upper, place)
            else:
                by_line.setdefault((suppression.line, upper), place)
    kept = []
    for d in diagnostics:
        if not d.is_error:
            place = file_wide.get(d.code) or (by_line.get((d.line, d.code)) if d.span else None)
            if place is not None:
                used.add(place)
                continue
        kept.append(d)
    if report_unused:
        for suppression in suppressions:
            for code, span in suppression.codes:
                if (span.line, span.column) not in used:
                    where = "in this file" if suppression.kind == "ignore-file" else "on this line"
                    extra.append(warning("SC140", f"unused suppression: no `{code.upper()}` {where}", span,
                                         help="remove it: the warning it was for is gone"))
    kept += [d._replace(path=path) for d in extra]
    kept = [d for d in kept if d.is_error or wanted(d.code, select, ignore)]
    return sorted(kept, key=Diagnostic.sort_key)


def _silenceable_here(diagnostics: Sequence[Diagnostic], suppression: Suppression, named: set) -> set[str]:
    """The codes a suppression could silence that it does not name already: the warnings on its
    line (in the file, for `ignore-file`). A misspelt code is only ever taken for one of these:
    any other code would silence nothing (SC140), and one it names already would be named twice."""
    file_wide = suppression.kind == "ignore-file"
    return {d.code for d in diagnostics if not d.is_error and (file_wide or (d.span and d.line == suppression.line))
            and (suppression.kind, suppression.line, d.code) not in named}


__all__ = ["Suppression", "apply", "scan", "wanted"]
