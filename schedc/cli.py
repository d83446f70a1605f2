"""The `schedc` command: argv, files, streams and exit codes over the Python API.

Exit codes (DESIGN §6): 0 clean, 1 the input needs attention (an error, or a warning under
`--strict`), 2 the tool could not do its job (usage, unreadable file, internal error).
Only what a command produces goes to stdout; diagnostics and summaries go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

EXIT_OK, EXIT_INPUT, EXIT_TOOL = 0, 1, 2


class _Exit(Exception):
    """Raised deep in a command to stop with a code; only `main` turns it into a number."""

    def __init__(self, code: int, message: str = ""):
        super().__init__(message)
        self.code, self.message = code, message


def main(argv: Optional[Sequence[str]] = None) -> int:
    _reset_sigpipe()
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_TOOL
    try:
        return args.run(args)
    except _Exit as stop:
        if stop.message:
            print(f"schedc: {stop.message}", file=sys.stderr)
        return stop.code
    except KeyboardInterrupt:
        print("schedc: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in schedc, not in the input
        if args.verbose:
            raise
        print(f"schedc: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)",
              file=sys.stderr)
        return EXIT_TOOL


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without `shutil` (argparse builds one for every option it
    adds, and importing shutil for its terminal size cost about 4 ms of every start)."""

    def __init__(self, prog: str):
        try:
            width = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (ValueError, OSError, AttributeError):
            width = 80
        super().__init__(prog, width=max(width - 2, 40))


class _ArgumentParser(argparse.ArgumentParser):
    """Every parser and subparser of `schedc` uses `_HelpFormatter`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    # Options every command takes, before or after its name (`schedc -v check` = `schedc check -v`).
    # The subcommands' copies default to SUPPRESS so they never overwrite a value given before.
    def common(suppress: bool) -> argparse.ArgumentParser:
        options = _ArgumentParser(add_help=False)
        default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
        options.add_argument("-v", "--verbose", action="store_true", default=default(False),
                             help="show a traceback on internal errors")
        options.add_argument("--color", "--colour", choices=("auto", "always", "never"), default=default("auto"),
                             help="colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never")
        return options

    parser = _ArgumentParser(
        prog="schedc", parents=[common(False)],
        description="Compile .sched schedules into meetergo `POST /v4/user` requests.")
    parser.add_argument("--version", action="version", version=f"schedc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="schedc")  # prog: no terminal-size probe

    check = commands.add_parser("check", parents=[common(True)], help="check .sched files and report problems",
                                description="Check .sched files, directories (searched for *.sched) or - for stdin.")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only, no summary")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    check.add_argument("--end-of-day", choices=("23:59", "24:00"), default="23:59",
                       help="how midnight at the end of a day will be written (default 23:59)")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    check.set_defaults(run=run_check)

    compile_ = commands.add_parser("compile", parents=[common(True)], help="compile one .sched file to the request JSON",
                                   description="Compile one .sched file (or - for stdin) into the JSON body of "
                                               "POST /v4/user. Flags fill what the file leaves out.")
    compile_.add_argument("file", metavar="FILE")
    compile_.add_argument("-o", "--output", metavar="OUT", help="write the JSON to OUT instead of stdout")
    compile_.add_argument("--email", metavar="E")
    compile_.add_argument("--given-name", metavar="G")
    compile_.add_argument("--family-name", metavar="F")
    compile_.add_argument("--timezone", metavar="Z", help="the user's IANA time zone")
    compile_.add_argument("--end-of-day", choices=("23:59", "24:00"), default="23:59",
                          help="write midnight at the end of a day as 23:59 (default) or 24:00")
    compile_.add_argument("--stdin-filename", metavar="NAME", help="the name to show for - (stdin)")
    compile_.set_defaults(run=run_compile)

    from .cli_tooling import add_commands as add_tooling_commands  # fmt, import and check --format
    add_tooling_commands(commands, common, check)
    from .cli_submit import add_commands as add_submit_commands  # `submit` and `sandbox`
    add_submit_commands(commands, common(True))
    from .cli_explain import add_commands as add_explain_commands  # `explain`
    add_explain_commands(commands, common(True))

    return parser


# ---- reading inputs
def _read(path: str, stdin_name: Optional[str]) -> tuple[str, bytes]:
    """(display name, bytes); an unreadable path stops with exit 2 and one clear line."""
    if path == "-":
        return stdin_name or "<stdin>", sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as exc:
        raise _Exit(EXIT_TOOL, _cannot_read(path, _os_reason(exc))) from None


def _cannot_read(path: str, reason: str) -> str:
    return f"error: cannot read `{path}`: {reason}"


def report_unusable(path: str, problem: str) -> bool:
    """Say why a PATH argument gives no file to work on; True when that is an error (exit 2)."""
    if problem.startswith("no .sched"):
        print(f"schedc: warning: `{path}`: {problem}", file=sys.stderr)
        return False
    print(f"schedc: {_cannot_read(path, problem)}", file=sys.stderr)
    return True


def _os_reason(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return reason[0].lower() + reason[1:]


def expand_paths(paths: Sequence[str]) -> list[tuple[str, Optional[str]]]:
    """PATH arguments → [(file, problem)]: directories searched for *.sched, hidden ones skipped."""
    found: list[tuple[str, Optional[str]]] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            matches = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                matches += [os.path.join(root, f) for f in files if f.endswith(".sched") and not f.startswith(".")]
            if not matches:
                found.append((path, "no .sched files in this directory"))
            found += [(m, None) for m in sorted(matches)]
        elif path != "-" and not os.path.exists(path):
            found.append((path, "no such file or directory"))
        else:
            found.append((path, None))
    return found


def _show(diagnostics, source: Optional[str], colour: bool) -> None:
    from .render import render

    for diagnostic in diagnostics:
        print(render(diagnostic, source, colour=colour), file=sys.stderr, end="\n\n")


def _source_text(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


# ---- commands
def run_check(args) -> int:
    from .api import check
    from .cli_tooling import reporter
    from .render import summary, use_colour

    colour = use_colour(sys.stderr, args.color)
    show, finish = reporter(args.format, colour)
    worst, errors, warnings, files, unread = EXIT_OK, 0, 0, 0, 0
    for path, problem in expand_paths(args.paths):
        if problem:
            if report_unusable(path, problem):
                worst, unread = EXIT_TOOL, unread + 1
            continue
        try:
            name, data = _read(path, args.stdin_filename)
        except _Exit as stop:
            print(f"schedc: {stop.message}", file=sys.stderr)
            worst, unread = max(worst, stop.code), unread + 1
            continue
        files += 1
        diagnostics = check(data, name, end_of_day=args.end_of_day)
        show(diagnostics, _source_text(data))
        file_errors = sum(d.is_error for d in diagnostics)
        errors += file_errors
        warnings += len(diagnostics) - file_errors
        if file_errors or (args.strict and diagnostics):
            worst = max(worst, EXIT_INPUT)
    finish()
    if not args.quiet and (files or unread):
        print(summary(errors, warnings, files, unread), file=sys.stderr)
    return worst


def run_compile(args) -> int:
    from .api import analyze
    from .render import use_colour

    name, data = _read(args.file, args.stdin_filename)
    result = analyze(data, name, email=args.email, given_name=args.given_name,
                     family_name=args.family_name, timezone=args.timezone, end_of_day=args.end_of_day)
    _show(result.diagnostics, _source_text(data), use_colour(sys.stderr, args.color))
    if not result.ok:
        return EXIT_INPUT
    text = result.to_json()
    if args.output and args.output != "-":
        _write_atomically(args.output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_OK


def _write_atomically(path: str, text: str) -> None:
    """Write `text` to `path` so that a failure never leaves half a file.

    Only a regular file (or a path that does not exist yet) is replaced, by writing beside it
    and renaming. A symlink is followed and its target replaced, so the link stays a link.
    Anything else (`/dev/null`, a FIFO, a terminal) is written into directly: renaming over a
    device would turn it into a regular file, which as root breaks the whole machine.
    """
    import stat
    import tempfile

    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _Exit(EXIT_TOOL, f"error: cannot write `{path}`: {_os_reason(exc)}") from None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise _Exit(EXIT_TOOL, f"error: cannot write `{path}`: it is a directory")
        try:
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            raise _Exit(EXIT_TOOL, f"error: cannot write `{path}`: {_os_reason(exc)}") from None
        return
    directory = os.path.dirname(target)
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=".schedc-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, _mode_for(target))  # mkstemp makes 0600; keep what the file had
        os.replace(temporary, target)
    except OSError as exc:
        if temporary and os.path.exists(temporary):
            os.unlink(temporary)
        raise _Exit(EXIT_TOOL, f"error: cannot write `{path}`: {_os_reason(exc)}") from None


def _mode_for(path: str) -> int:
    """The permission bits of the file at `path`, or what a new file gets under the umask."""
    import stat

    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _reset_sigpipe() -> None:
    """`schedc compile x.sched | head` should end quietly, not with a BrokenPipeError."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
