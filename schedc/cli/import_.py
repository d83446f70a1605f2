"""`schedc import FILE.json`: a `POST /v4/user` body back into .sched text, on stdout."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop, epilog
from .inputs import read_input, report_unread, show_diagnostics
from .settings import settings_for


def add_parser(commands, common) -> None:
    import_ = commands.add_parser(
        "import", parents=[common], help="turn a POST /v4/user JSON body into .sched text",
        description="Read a POST /v4/user JSON body (FILE.json or - for stdin) and print the .sched text "
                    "that compiles back to it.",
        epilog=epilog("schedc import ana.json > team/ana.sched", "curl -s … | schedc import - > ana.sched"))
    import_.add_argument("file", metavar="FILE.json", help="the JSON body, or - for stdin")
    import_.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    import_.set_defaults(run=run)


def run(args) -> int:
    from ..import_json import RoundTripError, import_json
    from ..parser import decode
    from ..report import use_colour

    colour = use_colour(sys.stderr, args.color)
    try:
        name, data = read_input(args.file, args.stdin_filename, settings_for(args, {})["max-input-size"])
    except Stop as stop:
        report_unread(stop, colour)
        return stop.code
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
