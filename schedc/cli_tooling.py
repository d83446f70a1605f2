"""The repository-tooling commands: `fmt`, `import`, and `check --format`.

Kept apart from `cli.py` so each command imports only what it needs when it runs (`check`
never loads pydantic). Streams follow black and ruff: formatted text, diffs, imported text and
machine-readable reports go to stdout; diagnostics, "reformatted x" lines and summaries to stderr.
"""

from __future__ import annotations

import os
import sys
from typing import Callable

from . import cli
from .cli import EXIT_INPUT, EXIT_OK, EXIT_TOOL

FORMATS = ("text", "json", "github")


def add_commands(commands, common, check) -> None:
    """Add `--format` to `check`, and the `fmt` and `import` subcommands.

    `common` is the parent parser of the options every command takes, or a function that makes
    it for a subcommand (`common(True)`); `-q` is added to `fmt` unless `common` has it.
    """
    if callable(common):
        common = common(True)
    check.add_argument("--format", choices=FORMATS, default="text",
                       help="text for people (stderr, the default); json or github annotations (stdout)")

    fmt = commands.add_parser(
        "fmt", parents=[common], help="rewrite .sched files in the canonical layout",
        description="Rewrite .sched files (directories are searched for *.sched) in the canonical layout, "
                    "keeping every comment. - formats stdin to stdout. A file with errors, or one the "
                    "formatter cannot prove unchanged in meaning, is left alone.")
    fmt.add_argument("paths", nargs="+", metavar="PATH")
    if not any("--quiet" in action.option_strings for action in common._actions):
        fmt.add_argument("-q", "--quiet", action="store_true", help="no `reformatted` lines and no summary")
    fmt.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    fmt.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the changes")
    fmt.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    fmt.set_defaults(run=run_fmt)

    import_ = commands.add_parser(
        "import", parents=[common], help="turn a POST /v4/user JSON body into .sched text",
        description="Read a POST /v4/user JSON body (FILE.json or - for stdin) and print the .sched text "
                    "that compiles back to it.")
    import_.add_argument("file", metavar="FILE.json")
    import_.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    import_.set_defaults(run=run_import)


# ---- check --format
def reporter(kind: str, colour: bool) -> tuple[Callable, Callable[[], None]]:
    """(show(diagnostics, source), finish()) for one `check` run in the given format."""
    if kind == "text":
        return (lambda diagnostics, source: cli._show(diagnostics, source, colour)), (lambda: None)
    from . import formats

    if kind == "github":
        def show(diagnostics, source):
            sys.stdout.writelines(formats.to_github(d) for d in diagnostics)

        return show, sys.stdout.flush
    collected: list = []

    def finish():
        sys.stdout.write(formats.to_json(collected))
        sys.stdout.flush()

    return (lambda diagnostics, source: collected.extend(diagnostics)), finish


# ---- fmt
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


def _diff(source: str, result: str, name: str) -> str:
    import difflib

    def lines(text: str) -> list[str]:
        found = text.splitlines(keepends=True)
        if found and not found[-1].endswith("\n"):
            found[-1] += "\n\\ No newline at end of file\n"  # as diff(1) marks it
        return found

    return "".join(difflib.unified_diff(lines(source), lines(result), f"{name}\t(original)", f"{name}\t(formatted)"))


def run_fmt(args) -> int:
    from .diagnostics import ScheduleError
    from .formatting import FormatError, format_text
    from .parser import decode
    from .render import use_colour

    colour = use_colour(sys.stderr, args.color)
    report = Report(dry_run=args.check or args.diff, quiet=args.quiet)
    for path, problem in cli.expand_paths(args.paths):
        if problem:
            if cli.report_unusable(path, problem):
                report.fail(EXIT_TOOL)
            continue
        try:
            name, data = cli._read(path, args.stdin_filename)
        except cli._Exit as stop:
            print(f"schedc: {stop.message}", file=sys.stderr)
            report.fail(stop.code)
            continue
        source, problems = decode(data, name)
        try:
            if problems:
                raise ScheduleError(problems)
            result = format_text(source, name)
        except ScheduleError as exc:
            cli._show(exc.diagnostics, cli._source_text(data), colour)
            report.fail(EXIT_INPUT)
            continue
        except FormatError as exc:
            print(f"schedc: error: cannot format `{name}`: {exc}", file=sys.stderr)
            report.fail(EXIT_TOOL)
            continue
        changed = result != source
        if args.diff and changed:
            sys.stdout.write(_diff(source, result, name))
        elif path == "-" and not args.check and not args.diff:
            sys.stdout.write(result)
        elif changed and not report.dry_run:
            try:
                cli._write_atomically(os.path.realpath(path), result)  # a symlink stays a link
            except cli._Exit as stop:
                print(f"schedc: {stop.message}", file=sys.stderr)
                report.fail(stop.code)
                continue
        report.done(name, changed)
    sys.stdout.flush()
    summary = report.summary()
    if summary:
        report.note(summary)
    return report.code


# ---- import
def run_import(args) -> int:
    from .lift import RoundTripError, import_json
    from .parser import decode
    from .render import use_colour

    colour = use_colour(sys.stderr, args.color)
    name, data = cli._read(args.file, args.stdin_filename)
    source, problems = decode(data, name)
    if problems:
        cli._show(problems, None, colour)
        return EXIT_INPUT
    source = source[1:] if source.startswith("\ufeff") else source
    try:
        imported = import_json(source, name)
    except RoundTripError as exc:
        raise cli._Exit(EXIT_TOOL, f"internal error: {exc}") from None
    cli._show(imported.diagnostics, source, colour)
    if imported.text is None:
        return EXIT_INPUT
    sys.stdout.write(imported.text)
    sys.stdout.flush()
    return EXIT_OK

