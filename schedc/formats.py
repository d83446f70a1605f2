"""Diagnostics for machines: `check --format json` and `check --format github`.

`render.py` draws diagnostics for people (on stderr); these formats go to stdout so a CI step
can capture them. Field names are stable: scripts depend on them.
"""

from __future__ import annotations

import json
from typing import Iterable

from .diagnostics import Diagnostic

FIELDS = ("code", "severity", "message", "file", "line", "column", "end_line", "end_column", "help")


def as_record(d: Diagnostic) -> dict:
    """One diagnostic as a flat JSON object; absent values are `null`."""
    return {"code": d.code, "severity": d.severity, "message": d.message, "file": d.path,
            "line": d.line, "column": d.column, "end_line": d.end_line, "end_column": d.end_column,
            "help": d.help}


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """All diagnostics of a run as one JSON array, two-space indent, final newline."""
    return json.dumps([as_record(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(d: Diagnostic) -> str:
    """One GitHub Actions workflow command: `::error file=…,line=…,col=…,title=…::message`."""
    properties = {"file": d.path or "<stdin>"}
    if d.span is not None:
        properties.update(line=d.line, col=d.column, endLine=d.end_line, endColumn=d.end_column)
    properties["title"] = f"schedc {d.code}"
    head = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    return f"::{d.severity} {head}::{_escape_data(message)}\n"
