"""`schedc import FILE.json`: a `POST /v4/user` body back into .sched text, on stdout."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop
from .inputs import read_input, show_diagnostics


def run(args) -> int:
    from ..import_json import RoundTripError, import_json
    from ..parser import decode
    from ..report import use_colour

    colour = use_colour(sys.stderr, args.color)
    name, data = read_input(args.file, args.stdin_filename)
    source, problems = decode(data, name)
    if problems:
        show_diagnostics(problems, None, colour)
        return EXIT_INPUT
    source = source[1:] if source.startswith("\ufeff") else source
    try:
        imported = import_json(source, name)
    except RoundTripError as exc:
        raise Stop(EXIT_TOOL, f"internal error: {exc}") from None
    show_diagnostics(imported.diagnostics, source, colour)
    if imported.text is None:
        return EXIT_INPUT
    sys.stdout.write(imported.text)
    sys.stdout.flush()
    return EXIT_OK
