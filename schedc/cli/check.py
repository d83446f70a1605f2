"""`schedc check PATH…`: every diagnostic of every file, and an exit code for hooks and CI.

With `--fix` it first applies the safe fixes (`schedc.fixes`, the language server's quick fixes)
and writes each changed file atomically, as `fmt` does; then what is left is reported, and
decides the exit code. `--diff` prints the fixes as a diff instead, reports nothing else, and
exits 1 when a file would change. `--statistics` counts the diagnostics per code
instead of showing each; `--exit-zero` exits 0 whatever is found (2 still means schedc could not
do its job).
"""

from __future__ import annotations

import os
import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_TOOL, Stop
from .inputs import expand_paths, read_input, report_unread, report_unusable, source_text, write_atomically
from .settings import settings_for


def run(args) -> int:
    settings = settings_for(args)
    if not args.paths:
        raise Stop(EXIT_TOOL, "error: the following arguments are required: PATH (a file, a directory, or - for "
                              "stdin), unless --show-settings is given")
    from ..api import check
    from ..report import reporter, summary, use_colour

    fixing = args.fix or args.diff or args.unsafe_fixes
    colour = use_colour(sys.stderr, args.color)
    show, finish = reporter("text" if args.statistics else args.format, colour)
    counted: dict[str, list] = {}  # --statistics: the diagnostics of each code
    worst, errors, warnings, files, unread = EXIT_OK, 0, 0, 0, 0
    fixed_files, fixed_count = 0, 0
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

        def diagnose(source, name=name):
            """The diagnostics shown of a file's bytes, or of its text once fixed."""
            found = check(source, name, end_of_day=settings["end-of-day"], timezone=settings.timezone_fill)
            body = source_text(source) if isinstance(source, bytes) else source.removeprefix("\ufeff")
            return settings.reported(found, body, name)

        if fixing:
            outcome = _fix(args, path, name, data, diagnose)
            if outcome is None:
                worst = max(worst, EXIT_TOOL)
                continue
            fixed_text, fixed = outcome
            if fixed:
                fixed_files += 1
                fixed_count += fixed
                if args.diff:
                    worst = max(worst, EXIT_INPUT)
            if args.diff:  # the fixes only, as ruff's --diff: nothing is reported
                continue
            if fixed:
                text = fixed_text.removeprefix("\ufeff")
                diagnostics = diagnose(fixed_text)
            else:
                diagnostics = diagnose(data)
        else:
            diagnostics = diagnose(data)
        if args.statistics:
            for diagnostic in diagnostics:
                counted.setdefault(diagnostic.code, []).append((diagnostic, text))
        else:
            show(diagnostics, text)
        file_errors = sum(d.is_error for d in diagnostics)
        errors += file_errors
        warnings += len(diagnostics) - file_errors
        if settings.fails(diagnostics):
            worst = max(worst, EXIT_INPUT)
    finish()
    if args.statistics:
        _statistics(counted, args.format)
    if not args.quiet and fixing and fixed_count:
        would = "would fix" if args.diff else "fixed"
        print(f"{would} {_count(fixed_count, 'problem')} in {_count(fixed_files, 'file')}", file=sys.stderr)
    if not args.quiet and (files or unread) and not args.diff:
        print(summary(errors, warnings, files, unread) + (" left" if fixing and (errors or warnings) else ""),
              file=sys.stderr)
    if args.exit_zero and worst == EXIT_INPUT:
        return EXIT_OK
    return worst


def _count(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"


def _fix(args, path: str, name: str, data: bytes, diagnose):
    """(the text once fixed, how many problems the fixes took away), with the file written (or,
    with --diff, the diff printed; for stdin, the fixed text printed); None when it could not be
    written."""
    from ..fixes import fix_all
    from ..compiler.parser import decode
    from .fmt import unified_diff, write_stdout

    source, problems = decode(data, name)
    if problems:  # not UTF-8, or the like: nothing to fix by editing text
        return "", 0
    result = fix_all(source, diagnose, unsafe=args.unsafe_fixes)
    changed = result.text != source
    if args.diff:
        if changed:
            write_stdout(unified_diff(source, result.text, name, "fixed"))
    elif path == "-":
        write_stdout(result.text)
    elif changed:
        try:
            write_atomically(os.path.realpath(path), result.text)  # a symlink stays a link
        except Stop as stop:
            print(f"schedc: {stop.message}", file=sys.stderr)
            return None
    if changed and not args.quiet and not args.diff:
        codes = ", ".join(sorted({d.code for d in result.fixed}))
        print(f"fixed {name}: {_count(len(result.fixed), 'problem')} ({codes})", file=sys.stderr)
    return result.text, len(result.fixed) if changed else 0


def _statistics(counted: dict, kind: str) -> None:
    """`--statistics`: one line per code, the most frequent first, on stdout; `[*]` marks a code
    whose every diagnostic has a safe fix (`check --fix` would take them all away)."""
    import json

    from ..fixes import fix
    from ..rules import rule

    rows = []
    for code, found in counted.items():
        known = rule(code)
        fixable = all(getattr(fix(text, d), "preferred", False) for d, text in found)
        rows.append((code, len(found), known.title if known else "", fixable))
    rows.sort(key=lambda row: (-row[1], row[0]))
    if kind == "json":
        print(json.dumps([{"code": c, "count": k, "title": t, "fixable": f} for c, k, t, f in rows], indent=2))
        return
    width = max((len(str(k)) for _, k, _, _ in rows), default=1)
    for code, count, title, fixable in rows:
        print(f"{count:>{width}}  {code}  {'[*] ' if fixable else ''}{title}")
