"""`schedc explain PATH…`: one file's week as a grid, or a team's coverage.

Thin glue over `explain` (the weeks), `explain_grid` (text) and `explain_svg` (the chart); each
is imported when the command runs. The grid or the JSON goes to stdout, diagnostics to stderr.
"""

from __future__ import annotations

import os
import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop
from .inputs import (
    expand_paths,
    read_input,
    report_unread,
    report_unusable,
    same_email,
    show_diagnostics,
    source_text,
    write_atomically,
)
from .settings import settings_for


def run(args) -> int:
    import json

    from ..compiler import clock_changes, zones
    from ..explain import week as explain
    from ..report import use_colour

    settings = settings_for(args)

    if args.in_zone is not None and (clock_changes.zone(args.in_zone) is None or not zones.is_zone(args.in_zone)):
        print(f"schedc: error: --in: unknown time zone `{args.in_zone}`; {zones.zone_help(args.in_zone)}",
              file=sys.stderr)
        return EXIT_TOOL
    if args.in_zone is not None:  # shown all the same, but said as `--timezone` or `tz` would say it
        from ..compiler.checks import zone_diagnostics

        for found in zone_diagnostics(args.in_zone, None):
            print(f"schedc: warning: --in: {found.message}; {found.help}", file=sys.stderr)
    if args.svg == "-" and args.json:
        print("schedc: error: --svg - and --json both want standard output: write the chart to a file",
              file=sys.stderr)
        return EXIT_TOOL
    if args.week is not None:
        day = clock_changes.parse_date(args.week)
        if day is None:
            print(f"schedc: error: --week: `{args.week}` is not a date like 2026-03-23 (years 1900-2999)",
                  file=sys.stderr)
            return EXIT_TOOL
    else:
        value = os.environ.get(clock_changes.TODAY_VARIABLE, "").strip()
        if value and clock_changes.parse_date(value) is None:
            print(f"schedc: error: {clock_changes.TODAY_VARIABLE}: `{value}` is not a date like 2026-03-23 "
                  "(years 1900-2999)",
                  file=sys.stderr)
            return EXIT_TOOL
        day = clock_changes.today()
    monday = explain.monday_of(day)

    colour_err = use_colour(sys.stderr, args.color)
    status, people, files, seen, emails = EXIT_OK, [], [], set(), {}
    for path, problem in expand_paths(args.paths, settings.excluded):
        if problem:
            if report_unusable(path, problem):
                status = EXIT_TOOL
            continue
        same = path if path == "-" else os.path.realpath(path)
        if same in seen:  # one file named twice (or found twice) is one person
            continue
        seen.add(same)
        files.append(path)
        name, data = _read(path, args.stdin_filename, settings["max-input-size"], colour_err)
        if name is None:
            status = EXIT_TOOL
            continue
        person, found = explain.load(data, name, timezone=settings.timezone_fill, end_of_day=settings["end-of-day"])
        twice = same_email(emails, person.email, name, data) if person is not None and person.email else None
        if twice is not None:  # two files of one user: `submit` refuses the second, so it is not counted
            found, person = [*found, twice], None
        text = source_text(data)
        diagnostics = settings.reported(found, text, name, report_unused=False)  # unused ones are for `check`
        show_diagnostics(diagnostics, text, colour_err)
        if person is None or settings.fails(diagnostics):
            status = max(status, EXIT_INPUT)
        if person is not None:
            people.append(person)
    if status != EXIT_OK and (status == EXIT_TOOL or len(people) < len(files)):
        return status
    if not people:
        return status or EXIT_TOOL

    single = len(files) == 1 and not any(os.path.isdir(path) for path in args.paths)
    if single:
        week = explain.week(people[0], monday, args.in_zone)
        data_json = explain.week_json(week, args.in_zone) if args.json else None
    else:
        shown = args.in_zone or (people[0].zone if len({p.zone for p in people}) == 1 else "UTC")
        team = explain.team(people, monday, shown)
        data_json = explain.team_json(team) if args.json else None

    if args.svg:
        from ..explain import svg as explain_svg

        svg = explain_svg.person(week, in_zone=args.in_zone) if single else explain_svg.team(team)
        if args.svg == "-":
            sys.stdout.write(svg)
        else:
            write_atomically(args.svg, svg)  # a path it cannot write stops with exit 2
    if data_json is not None:
        sys.stdout.write(json.dumps(data_json, indent=2, ensure_ascii=False) + "\n")
    elif args.svg != "-":
        from ..explain import grid

        colour = use_colour(sys.stdout, args.color)
        unicode = _can_encode(sys.stdout, "█▐▌▒·")
        text = (grid.person(week, in_zone=args.in_zone, colour=colour, unicode=unicode) if single
                else grid.team(team, colour=colour, unicode=unicode))
        sys.stdout.write(text)
    sys.stdout.flush()
    return status


def _read(path: str, stdin_name, limit: int, colour: bool):
    try:
        return read_input(path, stdin_name, limit)
    except Stop as stop:
        report_unread(stop, colour)
        return None, b""


def _can_encode(stream, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
