"""`schedc compile FILE [-o OUT]`: the request's JSON on stdout (or in OUT), diagnostics on stderr."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, Stop, epilog
from .inputs import read_input, report_unread, show_diagnostics, source_text, write_atomically
from .settings import add_code_options, add_show_settings, settings_for


def add_parser(commands, common) -> None:
    compile_ = commands.add_parser("compile", parents=[common], help="compile one .sched file to the request JSON",
                                   description="Compile one .sched file (or - for stdin) into the JSON body of "
                                               "POST /v4/user. Flags fill what the file leaves out; a flag "
                                               "that contradicts the file is an error.",
                                   epilog=epilog("schedc compile team/ana.sched > ana.json",
                                                 "schedc compile office.sched --email ana@example.com "
                                                 "--given-name Ana --family-name Lima -o ana.json"))
    compile_.add_argument("file", metavar="FILE", help="the .sched file, or - for stdin")
    compile_.add_argument("-o", "--output", metavar="OUT",
                          help="write the JSON to OUT instead of stdout (a regular file is replaced whole, "
                               "never left half-written)")
    compile_.add_argument("--email", metavar="E", help="the user's e-mail address, where the file gives none")
    compile_.add_argument("--given-name", metavar="G", help="the user's given name, where the file gives none")
    compile_.add_argument("--family-name", metavar="F", help="the user's family name, where the file gives none")
    compile_.add_argument("--timezone", metavar="Z", help="the user's IANA time zone, like Europe/London, "
                                                          "where the file gives none")
    compile_.add_argument("--end-of-day", choices=("23:59", "24:00"), default=None,
                          help="write midnight at the end of a day as 23:59 (default) or 24:00")
    add_code_options(compile_)
    compile_.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    add_show_settings(compile_)
    compile_.set_defaults(run=run)


def run(args) -> int:
    from ..api import analyze
    from ..report import use_colour

    settings = settings_for(args)
    colour = use_colour(sys.stderr, args.color)
    try:
        name, data = read_input(args.file, args.stdin_filename, settings["max-input-size"])
    except Stop as stop:
        report_unread(stop, colour)
        return stop.code
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
