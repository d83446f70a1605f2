"""`schedc import FILE.json`: a `POST /v4/user` body back into .sched text, on stdout."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop
from .inputs import read_one, show_diagnostics


def run(args) -> int:
    from ..import_json import RoundTripError, import_json
    from ..compiler.parser import decode

    settings, colour, name, data = read_one(args)
    source, problems = decode(data, name)
    if problems:
        show_diagnostics(problems, None, colour)
        return EXIT_INPUT
    source = source[1:] if source.startswith("\ufeff") else source
    try:
        imported = import_json(source, name)
    except RoundTripError as exc:
        raise Stop(EXIT_TOOL, f"internal error: {exc}") from None
    # A NUL byte means this is no text file (`/proc/self/environ`, say): its content is never quoted.
    show_diagnostics(_reported(imported.diagnostics, settings, name), None if "\x00" in source else source, colour)
    if imported.text is None:
        return EXIT_INPUT
    sys.stdout.write(imported.text)
    sys.stdout.flush()
    return EXIT_OK


def _reported(diagnostics, settings, name: str) -> list:
    """The import's diagnostics under `select`, `ignore` and the `per-file-ignores` of the file
    `name`; the warning that `24:00` compiles back
    only with `--end-of-day 24:00` (SC406) is not news when that is the setting."""
    from ..compiler.suppressions import wanted

    if settings["end-of-day"] == "24:00":
        diagnostics = [d for d in diagnostics if d.code != "SC406"]
    ignore = settings["ignore"] + settings.ignored_in(name)
    return [d for d in diagnostics if d.is_error or wanted(d.code, settings["select"], ignore)]
