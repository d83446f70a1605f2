"""`schedc check PATH…`: every diagnostic of every file, and an exit code for hooks and CI."""

from __future__ import annotations

import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop
from .inputs import expand_paths, read_input, report_unread, report_unusable, source_text
from .settings import settings_for


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
