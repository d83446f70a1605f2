"""Reading the paths a command is given, and writing its output files safely."""

from __future__ import annotations

import os
import sys

from .exits import EXIT_TOOL, Stop

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: `typing` is not imported at run time
    from typing import Callable, Optional, Sequence


def read_input(path: str, stdin_name: Optional[str]) -> tuple[str, bytes]:
    """(display name, bytes); an unreadable path stops with exit 2 and one clear line. A key
    the bytes hold is never shown from here on (`secrets.notice`)."""
    from ..secrets import notice

    if path == "-":
        data = sys.stdin.buffer.read()
        notice(data)
        return stdin_name or "<stdin>", data
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Stop(EXIT_TOOL, cannot_read(path, os_reason(exc))) from None
    notice(data)
    return path, data


def cannot_read(path: str, reason: str) -> str:
    return f"error: cannot read `{path}`: {reason}"


def report_unusable(path: str, problem: str) -> bool:
    """Say why a PATH argument gives no file to work on; True when that is an error (exit 2)."""
    if problem.startswith("no .sched"):
        print(f"schedc: warning: `{path}`: {problem}", file=sys.stderr)
        return False
    print(f"schedc: {cannot_read(path, problem)}", file=sys.stderr)
    return True


def os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return reason[0].lower() + reason[1:]


def expand_paths(paths: Sequence[str], excluded: Optional[Callable[[str], bool]] = None
                 ) -> list[tuple[str, Optional[str]]]:
    """PATH arguments → [(file, problem)]: directories searched for *.sched, hidden ones skipped,
    and so are the files `excluded` says yes to (a file named on its own is always kept)."""
    found: list[tuple[str, Optional[str]]] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            matches = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                matches += [os.path.join(root, f) for f in files if f.endswith(".sched") and not f.startswith(".")]
            if excluded is not None:
                matches = [m for m in matches if not excluded(m)]
            if not matches:
                found.append((path, "no .sched files in this directory"))
            found += [(m, None) for m in sorted(matches)]
        elif path != "-" and not os.path.exists(path):
            found.append((path, "no such file or directory"))
        else:
            found.append((path, None))
    return found


def show_diagnostics(diagnostics, source: Optional[str], colour: bool) -> None:
    from ..report import print_text

    print_text(diagnostics, source, colour)


def source_text(data: bytes) -> Optional[str]:
    """The text to quote in excerpts, or None when `data` is not text (not UTF-8, or holding a
    NUL byte): the content of such a file is never echoed. A symlink to `/proc/self/environ`
    must not print the environment, key and all, into a CI log."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` whole or not at all (see `files.replace`); a device or FIFO such
    as `/dev/null` is written into, never replaced. Any failure stops with exit 2."""
    from ..files import replace

    try:
        replace(path, text, into_devices=True)
    except OSError as exc:
        raise Stop(EXIT_TOOL, f"error: cannot write `{path}`: {os_reason(exc)}") from None
