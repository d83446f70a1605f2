"""`schedc compile FILE [-o OUT]`: the request's JSON on stdout (or in OUT), diagnostics on stderr."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK
from .inputs import read_one, show_diagnostics, source_text, write_atomically


def run(args) -> int:
    from ..api import analyze

    settings, colour, name, data = read_one(args)
    result = analyze(data, name, email=args.email, given_name=args.given_name, family_name=args.family_name,
                     timezone=settings.timezone_flag, default_timezone=settings.timezone_fill,
                     end_of_day=settings["end-of-day"])
    text = source_text(data)
    shown = settings.reported(result.diagnostics, text, name)
    show_diagnostics(shown, text, colour)
    if not result.ok:
        return EXIT_INPUT
    text = result.to_json()
    if args.output and args.output != "-":
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_OK
