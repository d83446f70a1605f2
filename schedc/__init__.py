"""schedc: a schedule specification language and its compiler to the `POST /v4/user` request.

    >>> import schedc
    >>> request = schedc.compile("Mon-Fri 09:00-17:00 tz Europe/London",
    ...                          email="ana@example.com", given_name="Ana", family_name="Lima")
    >>> request.availability.schedule.monday.hours[0].end
    '17:00'
"""

from __future__ import annotations

from .api import Compiled, analyze, check, compile, load, parse
from .diagnostics import Diagnostic, Label, ScheduleError, Span

# The formatter and the importer load on first use: `schedc check` runs on every commit and
# needs neither.
_LAZY = {"FormatError": "fmt", "format_text": "fmt",
         "Imported": "import_json", "RoundTripError": "import_json", "import_json": "import_json"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "Compiled", "Diagnostic", "FormatError", "Imported", "Label", "RoundTripError", "ScheduleError", "Span",
    "analyze", "check", "compile", "format_text", "import_json", "load", "parse", "__version__",
]
