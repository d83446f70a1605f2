"""Reading the paths a command is given, and writing its output files safely."""

from __future__ import annotations

import os
import sys

from .exits import EXIT_TOOL, Stop

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Callable, Optional, Sequence


class TooLarge(Stop):
    """An input over the size limit: exit 2, said by an SC007 diagnostic (`.diagnostic`)."""

    def __init__(self, diagnostic):
        super().__init__(EXIT_TOOL, str(diagnostic))
        self.diagnostic = diagnostic


def read_input(path: str, stdin_name: Optional[str], limit: int) -> tuple[str, bytes]:
    """(display name, bytes): a regular file (or stdin, for `-`) of at most `limit` bytes, read
    in chunks so that an endless input costs no more. An unreadable path, or one that is no
    regular file (a device, a FIFO, a socket), stops with exit 2 and one clear line; an input
    over the limit stops with `TooLarge`. A key the bytes hold is never shown from here on
    (`secrets.notice`)."""
    from .. import files
    from ..secrets import notice

    name = (stdin_name or "<stdin>") if path == "-" else path
    try:
        data = files.read_stream(sys.stdin.buffer, limit) if path == "-" else files.read(path, limit)
    except files.TooLarge:
        from ..diagnostics import too_large

        raise TooLarge(too_large(name, limit, "input on stdin" if path == "-" else "file")) from None
    except OSError as exc:
        raise Stop(EXIT_TOOL, cannot_read(path, os_reason(exc))) from None
    notice(data)
    return name, data


def read_one(args) -> tuple:
    """For a command of one input (FILE, or stdin as `-`): its settings, whether stderr takes
    colour, and the input's name and bytes, read under the size limit. An input that cannot be
    read is reported here and ends the command (a `Stop` with its exit code and nothing to add)."""
    from ..report import use_colour
    from .settings import settings_for

    settings = settings_for(args)
    colour = use_colour(sys.stderr, args.color)
    try:
        name, data = read_input(args.file, args.stdin_filename, settings["max-input-size"])
    except Stop as stop:
        report_unread(stop, colour)
        raise Stop(stop.code) from None
    return settings, colour, name, data


def report_unread(stop: Stop, colour: bool, show: Optional[Callable] = None) -> None:
    """Say why a file was not read: SC007 through `show(diagnostics, source)` (the command's own
    way of showing diagnostics; by default as text), anything else in one line."""
    if isinstance(stop, TooLarge):
        (show or (lambda found, source: show_diagnostics(found, source, colour)))([stop.diagnostic], None)
    else:
        print(f"schedc: {stop.message}", file=sys.stderr)


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


def same_email(seen: dict, email: str, name: str, data: bytes):
    """SC304 when a file of this run already describes the user with `email` (one e-mail is one
    user: `submit`, `plan`, `apply` and `explain` say so alike), else None; `seen` maps the
    e-mails met so far (any case) to the first file of each."""
    first = seen.setdefault(email.lower(), name)
    if first == name:
        return None
    from ..diagnostics import error
    from ..meetergo.rejections import field_span

    return error("SC304", f"`{email}` is also the e-mail of `{first}`", field_span(data, "email"), path=name,
                 help="one e-mail is one user: give each file its own address")


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
