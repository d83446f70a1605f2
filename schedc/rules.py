"""Every diagnostic code's documentation, for `schedc rule` and for deciding what may be silenced.

The text lives in `rules.md` beside this module: the `## SCnnn — title` sections of
docs/diagnostics.md, word for word (a test keeps the two equal; `python tests/test_rules.py
--update` copies the page's sections here after the page changed). It is read only when asked
for, so no command pays for it at start-up.
"""

from __future__ import annotations

import functools
import re

from .compiler.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 8% of a cold check with a suppression
    from typing import Collection, Optional

_HEADING = re.compile(r"^## (SC\d{3}) — (.*)$", re.M)
_SEVERITY = re.compile(r"^\*\*Severity:\*\* (.*)$", re.M)


class Rule(Record):
    code: str
    title: str
    severity: str  # as the page words it: `error`, `warning`, `warning in schedc check, error in …`
    text: str  # the whole section, from its `## ` heading to the line before the next one

    @property
    def silenceable(self) -> bool:
        """Only warnings may be silenced: an error means the request would be invalid."""
        return self.severity.startswith("warning")

    @property
    def anchor(self) -> str:
        """The section's anchor in docs/diagnostics.md, as GitHub makes it from the heading."""
        heading = f"{self.code} — {self.title}".lower()
        return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def sections(markdown: str) -> dict[str, str]:
    """The `## SCnnn — …` sections of a Markdown page, each up to the next `## ` heading."""
    found: dict[str, str] = {}
    starts = list(_HEADING.finditer(markdown))
    for match in starts:
        end = markdown.find("\n## ", match.end())
        body = markdown[match.start(): len(markdown) if end < 0 else end + 1]
        found[match.group(1)] = body.rstrip("\n") + "\n"
    return found


@functools.lru_cache(maxsize=None)
def rules() -> dict[str, Rule]:
    """Every documented code, in the page's order."""
    from .compiler.tzdb import read  # not importlib.resources: it imports typing, pathlib and zipfile

    text = read("rules.md", __package__).decode("utf-8")
    found = {}
    for code, section in sections(text).items():
        title = _HEADING.match(section).group(2)
        severity = _SEVERITY.search(section)
        found[code] = Rule(code, title, severity.group(1) if severity else "error", section)
    return found


def rule(code: str) -> Optional[Rule]:
    return rules().get(code.strip().upper())


def matching(prefix: str) -> list[str]:
    """The codes a `select`/`ignore` entry names: an exact code, or a prefix like `SC12`."""
    prefix = prefix.strip().upper()
    return [code for code in rules() if code.startswith(prefix)] if re.fullmatch(r"SC\d{0,3}", prefix) else []


def suggest(text: str, *, silenceable: bool = False, among: Optional[Collection[str]] = None) -> Optional[str]:
    """The code someone probably meant: letters typed for digits (`SC1O2`), else the nearest.
    With `silenceable`, only a warning's code: where a code is to be silenced (a suppression
    comment), suggesting an error's would only lead to the next warning, that it cannot be.
    With `among`, only one of those codes (a suppression's: the warnings it could silence, since
    any other would leave it unused, SC140)."""
    text = text.strip().upper()
    codes = [code for code, found in rules().items() if (found.silenceable or not silenceable)
             and (among is None or code in among)]
    fixed = text[:2] + text[2:].translate(str.maketrans("OILS", "0115"))
    if fixed in codes:
        return fixed
    if fixed in rules():
        return None  # clearly meant, but not to be suggested here: no other code is a better guess
    import difflib

    near = difflib.get_close_matches(text, codes, n=1, cutoff=0.6)
    return near[0] if near else None


__all__ = ["Rule", "matching", "rule", "rules", "sections", "suggest"]
