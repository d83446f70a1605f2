"""`schedc compile FILE [-o OUT]`: the request's JSON on stdout (or in OUT), diagnostics on stderr."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK
from .inputs import read_input, show_diagnostics, source_text, write_atomically
from .settings import codes_option, settings_for


def run(args) -> int:
    from ..api import analyze
    from ..report import use_colour

    from ..suppressions import apply

    settings = settings_for(args, {"end-of-day": args.end_of_day, "timezone": args.timezone,
                                   "select": codes_option(args, "select"), "ignore": codes_option(args, "ignore")})
    name, data = read_input(args.file, args.stdin_filename)
    result = analyze(data, name, email=args.email, given_name=args.given_name, family_name=args.family_name,
                     timezone=settings["timezone"], end_of_day=settings["end-of-day"])
    text = source_text(data)
    shown = apply(result.diagnostics, text, select=settings["select"], ignore=settings["ignore"], path=name,
                  report_unused=not any(d.code.startswith("SC0") for d in result.diagnostics))
    show_diagnostics(shown, text, use_colour(sys.stderr, args.color))
    if not result.ok:
        return EXIT_INPUT
    text = result.to_json()
    if args.output and args.output != "-":
        write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_OK
