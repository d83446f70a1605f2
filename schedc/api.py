"""The public Python API: parse, check, compile, load. The CLI is a thin layer over this."""

from __future__ import annotations

import os

from .compiler import nodes
from .compiler.checks import CHECKS, Options
from .compiler.identity import ALL_FLAGS, identity, setting_zone_diagnostics
from .compiler.lower import lower as build, request_json
from .compiler.parser import bidi_controls, parse as parse_text
from .compiler.resolve import resolve
from .diagnostics import Diagnostic, ScheduleError

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` (16% of a cold check, docs/performance.md) or pydantic at run time
    from typing import Optional, Union

    from .compiler.models import UserRequest

    PathLike = Union[str, "os.PathLike[str]"]

END_OF_DAY = ("23:59", "24:00")
_OPTIONS = {end: Options(end_of_day=end) for end in END_OF_DAY}


class Compiled:
    """What `analyze` found: every diagnostic and, when there is no error, the request.

    The pydantic model is built on first use of `.request`; `to_json()` gives the same JSON
    without it (pydantic costs about 250 ms to import and build, which `schedc compile` spares).
    """

    __slots__ = ("diagnostics", "_parts", "_request")

    def __init__(self, diagnostics: list[Diagnostic], parts: Optional[tuple] = None):
        self.diagnostics = diagnostics
        self._parts = parts  # (schedule, identity, end_of_day) when the request can be built
        self._request = None

    @property
    def ok(self) -> bool:
        """True when there is a request: no diagnostic is an error."""
        return self._parts is not None

    @property
    def request(self) -> Optional["UserRequest"]:
        if self._parts is not None and self._request is None:
            schedule, who, end_of_day = self._parts
            self._request = build(schedule, who, end_of_day=end_of_day)
        return self._request

    def to_json(self) -> Optional[str]:
        """The request's JSON exactly as `request.to_json()` gives it, or None."""
        if self._parts is None:
            return None
        schedule, who, end_of_day = self._parts
        return request_json(schedule, who, end_of_day=end_of_day)

    @property
    def holidays(self):
        """The `public_holidays.Region` of the file's `holidays` statement, or None (also when
        there is no request)."""
        if self._parts is None or self._parts[0].holidays is None:
            return None
        from .compiler.public_holidays import region

        return region(self._parts[0].holidays.region.text)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def parse(text: Union[str, bytes], path: Optional[PathLike] = None) -> nodes.Document:
    """Parse `.sched` text into its syntax tree; raises `ScheduleError` on a syntax error."""
    name = _name(path)
    try:
        return parse_text(text, name)
    except ScheduleError as exc:
        raise ScheduleError(_located(exc.diagnostics, name)) from None


def check(text: Union[str, bytes], path: Optional[PathLike] = None, *, end_of_day: str = "23:59",
          timezone: Optional[str] = None) -> list[Diagnostic]:
    """Every diagnostic of a file, in source order. Never raises on bad text.

    `timezone` is a zone that will fill in for a file that names none (the `timezone` setting):
    with it, such a file is not warned that compiling needs one (SC202)."""
    found = analyze(text, path, end_of_day=end_of_day, lower=False).diagnostics
    if timezone is not None and any(d.code == "SC202" for d in found):
        found = [d for d in found if d.code != "SC202"]
        found += _located(list(setting_zone_diagnostics(timezone)), _name(path))
    return found


def analyze(text: Union[str, bytes], path: Optional[PathLike] = None, *, email: Optional[str] = None,
            given_name: Optional[str] = None, family_name: Optional[str] = None,
            timezone: Optional[str] = None, end_of_day: str = "23:59", lower: bool = True,
            flags: tuple[str, ...] = ALL_FLAGS, default_timezone: Optional[str] = None) -> Compiled:
    """Check a file and, when it has no errors and `lower` is true, build its request.

    `flags` names the command-line options the caller offers for filling gaps, so that help
    never points at an option the running command does not have. `timezone` is `--timezone`:
    the file must agree with it (SC204); `default_timezone` (the `timezone` setting) only ever
    fills in for a file that names no zone.
    """
    if end_of_day not in END_OF_DAY:
        raise ValueError(f"end_of_day must be one of {END_OF_DAY}, not {end_of_day!r}")
    name = _name(path)
    try:
        document = parse(text, name)
    except ScheduleError as exc:
        return Compiled(exc.diagnostics)
    schedule, found = examine(document, end_of_day=end_of_day)
    found += bidi_controls(text)
    if not lower:
        return Compiled(_located(found, name))
    # Compiling reports a missing zone (SC202) and a missing name (SC205) as errors, or fills them in.
    found = [d for d in found if d.code not in _FILLED_IN]
    who, gaps = identity(schedule, email=email, given_name=given_name, family_name=family_name, timezone=timezone,
                         flags=flags, default_timezone=default_timezone)
    found += gaps
    for diagnostic in found:
        if diagnostic.is_error:
            return Compiled(_located(found, name))
    return Compiled(_located(found, name), (schedule, who, end_of_day))


_FILLED_IN = ("SC202", "SC205")


def examine(document: nodes.Document, *, end_of_day: str = "23:59"):
    """A parsed document's meaning (`resolve.Schedule`) and every diagnostic its checks find."""
    schedule, found = resolve(document)
    options = _OPTIONS.get(end_of_day) or Options(end_of_day=end_of_day)
    for run in CHECKS:
        found.extend(run(schedule, options))
    return schedule, found


def compile(text: Union[str, bytes], path: Optional[PathLike] = None, *, email: Optional[str] = None,
            given_name: Optional[str] = None, family_name: Optional[str] = None,
            timezone: Optional[str] = None, end_of_day: str = "23:59") -> "UserRequest":
    """Compile `.sched` text into the `POST /v4/user` request; raises `ScheduleError` on errors.

    The keyword values fill what the file leaves out; one that contradicts the file is an error.
    """
    result = analyze(text, path, email=email, given_name=given_name, family_name=family_name,
                     timezone=timezone, end_of_day=end_of_day)
    request = result.request
    if request is None:
        raise ScheduleError(result.diagnostics)
    return request


def load(path: PathLike, **options) -> "UserRequest":
    """Read and compile a `.sched` file (options as for `compile`). OSError if it can't be read,
    if it is no regular file, or if it holds more than `files.DEFAULT_LIMIT` bytes (`TooLarge`)."""
    from .files import DEFAULT_LIMIT, read

    return compile(read(os.fspath(path), DEFAULT_LIMIT), path, **options)


def _name(path: Optional[PathLike]) -> Optional[str]:
    return os.fspath(path) if path is not None else None


def _located(diagnostics: list[Diagnostic], path: Optional[str]) -> list[Diagnostic]:
    if not diagnostics:
        return diagnostics
    placed = [d if d.path == path else d._replace(path=path) for d in diagnostics]
    return sorted(placed, key=Diagnostic.sort_key)
