"""`schedc check PATH…`: every diagnostic of every file, and an exit code for hooks and CI."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop, epilog
from .inputs import expand_paths, read_input, report_unread, report_unusable, source_text
from .settings import add_code_options, add_show_settings, settings_for


def add_parser(commands, common) -> None:
    from ..report import FORMATS

    check = commands.add_parser("check", parents=[common], help="check .sched files and report problems",
                                description="Check .sched files, directories (searched for *.sched) or - for stdin.",
                                epilog=epilog("schedc check team/", "schedc check --strict --format github team/",
                                              "cat ana.sched | schedc check --stdin-filename ana.sched -"))
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="a .sched file, a directory (every *.sched below it, hidden ones skipped), or - for stdin")
    check.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only, no summary")
    check.add_argument("--strict", action="store_true", default=None, help="treat warnings as errors (exit 1)")
    check.add_argument("--no-strict", action="store_false", dest="strict",
                       help="do not treat warnings as errors, whatever the configuration says")
    check.add_argument("--end-of-day", choices=("23:59", "24:00"), default=None,
                       help="how midnight at the end of a day will be written (default 23:59)")
    add_code_options(check)
    check.add_argument("--exclude", action="append", metavar="GLOB",
                       help="skip files matching GLOB when searching directories (replaces the configuration's)")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text for people (stderr, the default); json or github annotations (stdout)")
    add_show_settings(check)
    check.set_defaults(run=run)


def run(args) -> int:
    settings = settings_for(args)
    if not args.paths:
        raise Stop(EXIT_TOOL, "error: the following arguments are required: PATH (a file, a directory, or - for "
                              "stdin), unless --show-settings is given")
    from ..api import check
    from ..report import reporter, summary, use_colour

    colour = use_colour(sys.stderr, args.color)
    show, finish = reporter(args.format, colour)
    worst, errors, warnings, files, unread = EXIT_OK, 0, 0, 0, 0
    for path, problem in expand_paths(args.paths, settings.excluded):
        if problem:
            if report_unusable(path, problem):
                worst, unread = EXIT_TOOL, unread + 1
            continue
        try:
            name, data = read_input(path, args.stdin_filename, settings["max-input-size"])
        except Stop as stop:
            report_unread(stop, colour, show)
            worst, unread = max(worst, stop.code), unread + 1
            continue
        files += 1
        text = source_text(data)
        found = check(data, name, end_of_day=settings["end-of-day"], timezone=settings.timezone_fill)
        diagnostics = settings.reported(found, text, name)
        show(diagnostics, text)
        file_errors = sum(d.is_error for d in diagnostics)
        errors += file_errors
        warnings += len(diagnostics) - file_errors
        if settings.fails(diagnostics):
            worst = max(worst, EXIT_INPUT)
    finish()
    if not args.quiet and (files or unread):
        print(summary(errors, warnings, files, unread), file=sys.stderr)
    return worst
