"""Diagnostics: what the checks find, as plain data.

Nothing here formats, colours or prints; `report.py` draws diagnostics for people and machines.
Codes are stable: SC0xx the text itself (syntax, characters), SC1xx meaning (SC14x
suppressions), SC2xx compiling, SC3xx server rejections, SC4xx importing JSON, SC5xx the
configuration file. Never renumber one; every code has an entry in docs/diagnostics.md.
"""

from __future__ import annotations

from .compiler.records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Literal, Optional

    Severity = Literal["error", "warning"]


class Span(Record):
    """A stretch of source text. Lines and columns are 1-based; `end_column` is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.line}:{self.column}"


class Label(Record):
    """A secondary place a diagnostic points at (drawn with `-` under it)."""

    span: Span
    message: str = ""


class Diagnostic(Record):
    code: str
    severity: Severity
    message: str
    span: Optional[Span] = None
    help: Optional[str] = None
    labels: tuple[Label, ...] = ()
    note: Optional[str] = None  # a short label under the primary span
    path: Optional[str] = None

    @property
    def line(self) -> Optional[int]:
        return self.span.line if self.span else None

    @property
    def column(self) -> Optional[int]:
        return self.span.column if self.span else None

    @property
    def end_line(self) -> Optional[int]:
        return self.span.end_line if self.span else None

    @property
    def end_column(self) -> Optional[int]:
        return self.span.end_column if self.span else None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def sort_key(self) -> tuple:
        """Source order; diagnostics about the whole file (no span) come after the rest."""
        if self.span is None:
            return (1, 0, 0, self.code)
        return (0, self.span.line, self.span.column, self.code)

    def __str__(self) -> str:
        where = f"{self.path or '<string>'}:{self.span}" if self.span else (self.path or "<string>")
        return f"{where}: {self.severity}[{self.code}]: {self.message}"


class ScheduleError(Exception):
    """Raised by `parse`, `compile` and `load` when the schedule has errors.

    `.diagnostics` holds every diagnostic found (warnings too), in source order.
    """

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.is_error] or self.diagnostics
        text = str(errors[0]) if errors else "schedule error"
        if len(errors) > 1:
            text += f" (and {len(errors) - 1} more)"
        super().__init__(text)


def error(code: str, message: str, span: Optional[Span], **kw) -> Diagnostic:
    return Diagnostic(code, "error", message, span, **kw)


def warning(code: str, message: str, span: Optional[Span], **kw) -> Diagnostic:
    return Diagnostic(code, "warning", message, span, **kw)


def too_large(path: Optional[str], limit: int, what: str = "file") -> Diagnostic:
    """SC007: `what` (a file, the input on stdin, a document) holds more than `limit` bytes."""
    from .files import size_text

    return error("SC007", f"the {what} is larger than the limit of {size_text(limit)}, so it was not checked",
                 None, path=path, help="if it is meant to be this large, raise the limit with --max-input-size "
                                       "or `max-input-size` in the configuration")


# Every code, with a one-line title; docs/diagnostics.md explains each and tests keep the two in step.
CODES: dict[str, str] = {
    "SC001": "syntax error: unexpected text",
    "SC002": "syntax error: unexpected character",
    "SC003": "syntax error: the statement ends too early",
    "SC004": "the file is not UTF-8 text",
    "SC005": "a character that cannot be seen",
    "SC006": "a bidirectional control character",
    "SC007": "the input is larger than the limit",
    "SC101": "not a valid time",
    "SC102": "overlapping ranges on the same day",
    "SC103": "empty range (end equals start)",
    "SC104": "day named with no hours",
    "SC105": "availability with no enabled day",
    "SC106": "unknown day name",
    "SC107": "unknown time zone",
    "SC108": "unknown channel",
    "SC109": "duration out of range",
    "SC110": "slug is not URL-friendly",
    "SC111": "not an e-mail address",
    "SC112": "statement given twice with different values",
    "SC113": "two different time zones for the same thing",
    "SC120": "ranges that touch",
    "SC121": "meeting longer than every window",
    "SC122": "window shorter than the meeting",
    "SC123": "legacy time zone alias",
    "SC124": "Etc/GMT offset zone",
    "SC125": "single-day range",
    "SC126": "day repeated in one rule",
    "SC127": "a rule with no effect",
    "SC130": "a window starts or ends at a time that does not exist",
    "SC131": "a window spans a repeated hour",
    "SC132": "a window spans a skipped hour",
    # suppressions: `# schedc: ignore[…]` comments
    "SC140": "unused suppression",
    "SC141": "unknown code in a suppression",
    "SC142": "a suppression names an error",
    "SC143": "a suppression written wrong",
    "SC144": "`ignore-file` after the first statement",
    "SC150": "unknown holiday country or state",
    "SC151": "a state of a country other than Germany",
    "SC152": "a second `holidays` statement",
    "SC153": "holidays of a country the zone is not in",
    "SC201": "range empty once midnight is written as 23:59",
    "SC202": "no time zone",
    "SC203": "missing user field",
    "SC204": "command-line value contradicts the file",
    "SC205": "the user is not fully named",
    "SC300": "the server rejected the request",
    "SC301": "the server rejected a field",
    "SC302": "the server rejected the time zone",
    "SC303": "a user with this e-mail already exists",
    "SC304": "the same e-mail in two files of one batch",
    # plan and apply: keeping existing users in step with their files
    "SC310": "the server rejected an update",
    "SC311": "an existing user could not be adopted",
    "SC312": "a recorded user's part is gone from the server",
    "SC313": "the user's time zone cannot be changed",
    # import: a POST /v4/user JSON body read back into a .sched file
    "SC401": "not valid JSON",
    "SC402": "not the documented shape of the request",
    "SC403": "a disabled day lists hours",
    "SC404": "hours not in order of their start",
    "SC405": "a value a .sched file cannot express",
    "SC406": "midnight written as 24:00",
    # configuration: schedc.toml, or [tool.schedc] in pyproject.toml
    "SC500": "the configuration file cannot be read",
    "SC501": "unknown configuration key",
    "SC502": "configuration value of the wrong type",
    "SC503": "configuration value not allowed",
    "SC504": "unknown code in `select` or `ignore`",
    "SC505": "an error code in `ignore`",
}

__all__ = ["Diagnostic", "Label", "ScheduleError", "Span", "CODES", "error", "warning"]
