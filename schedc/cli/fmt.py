"""`schedc fmt PATH…`: rewrite .sched files in the canonical layout.

Streams follow black and ruff: formatted text and diffs go to stdout; diagnostics,
"reformatted x" lines and the summary go to stderr.
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
    show_diagnostics,
    source_text,
    write_atomically,
)
from .settings import settings_for


class Report:
    """Counts per outcome and the exit code, black-style."""

    def __init__(self, dry_run: bool, quiet: bool):
        self.dry_run, self.quiet = dry_run, quiet
        self.changed = self.same = self.invalid = self.failed = 0
        self.code = EXIT_OK

    def done(self, name: str, changed: bool) -> None:
        if changed:
            self.changed += 1
            self.note(f"would reformat {name}" if self.dry_run else f"reformatted {name}")
            if self.dry_run:
                self.code = max(self.code, EXIT_INPUT)
        else:
            self.same += 1

    def note(self, line: str) -> None:
        if not self.quiet:
            print(line, file=sys.stderr)

    def fail(self, code: int) -> None:
        if code == EXIT_INPUT:
            self.invalid += 1
        else:
            self.failed += 1
        self.code = max(self.code, code)

    def summary(self) -> str:
        def count(k: int, what: str) -> str:
            return f"{k} file{'' if k == 1 else 's'} {what}"

        would = "would be " if self.dry_run else ""
        parts = [count(self.changed, would + "reformatted")] if self.changed else []
        if self.same:
            parts.append(count(self.same, ("would be left" if self.dry_run else "left") + " unchanged"))
        if self.invalid:
            parts.append(count(self.invalid, "with errors, not formatted"))
        if self.failed:
            parts.append(count(self.failed, "failed to reformat"))
        return ", ".join(parts)


def unified_diff(source: str, result: str, name: str, after: str = "formatted") -> str:
    import difflib

    def lines(text: str) -> list[str]:
        # Split at `\n` only: a `\r\n` line keeps its `\r`, so a change of line ending shows.
        found = [line + "\n" for line in text.split("\n")]
        if found[-1] == "\n":
            found.pop()
        else:
            found[-1] = found[-1][:-1] + "\n\\ No newline at end of file\n"  # as diff(1) marks it
        return found

    return "".join(difflib.unified_diff(lines(source), lines(result), f"{name}\t(original)", f"{name}\t({after})"))


def _errors_line(name: str, diagnostics) -> str:
    """`--errors brief`: one line for a file left alone because it has errors."""
    errors = sum(d.is_error for d in diagnostics)
    return f"{name}: not formatted: {errors} error{'' if errors == 1 else 's'} (`schedc check` shows them)"


def write_stdout(text: str) -> None:
    """Text to stdout as UTF-8 bytes, exactly: no newline translation, so `\\r\\n` stays `\\r\\n`."""
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()


def run(args) -> int:
    from ..diagnostics import ScheduleError
    from ..fmt import FormatError, format_text
    from ..compiler.parser import decode
    from ..report import use_colour
    from ..compiler.words import visible

    settings = settings_for(args)
    colour = use_colour(sys.stderr, args.color)
    report = Report(dry_run=args.check or args.diff, quiet=args.quiet)
    for path, problem in expand_paths(args.paths, settings.excluded):
        if problem:
            if report_unusable(path, problem):
                report.fail(EXIT_TOOL)
            continue
        try:
            name, data = read_input(path, args.stdin_filename, settings["max-input-size"])
        except Stop as stop:
            report_unread(stop, colour)
            report.fail(stop.code)
            continue
        source, problems = decode(data, name)
        try:
            if problems:
                raise ScheduleError(problems)
            result = format_text(source, name, end_of_day=settings["end-of-day"])
        except ScheduleError as exc:
            if args.errors == "brief":
                print(visible(_errors_line(name, exc.diagnostics)), file=sys.stderr)
            else:
                show_diagnostics(exc.diagnostics, source_text(data), colour)
            report.fail(EXIT_INPUT)
            continue
        except FormatError as exc:
            print(f"schedc: error: cannot format `{name}`: {exc}", file=sys.stderr)
            report.fail(EXIT_TOOL)
            continue
        changed = result != source
        if args.diff and changed:
            write_stdout(unified_diff(source, result, name))
        elif path == "-" and not args.check and not args.diff:
            write_stdout(result)
        elif changed and not report.dry_run:
            try:
                write_atomically(os.path.realpath(path), result)  # a symlink stays a link
            except Stop as stop:
                print(f"schedc: {stop.message}", file=sys.stderr)
                report.fail(stop.code)
                continue
        report.done(name, changed)
    sys.stdout.flush()
    summary = report.summary()
    if summary:
        report.note(summary)
    return report.code
