"""The `schedc` command: argv, files, streams and exit codes over the Python API.

Exit codes (DESIGN §6): 0 clean, 1 the input needs attention (an error, or a warning under
`--strict`), 2 the tool could not do its job (usage, unreadable file, internal error).
Only what a command produces goes to stdout; diagnostics and summaries go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from .exits import EXIT_INPUT, EXIT_OK, EXIT_RETRY, EXIT_TOOL, Stop

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: `typing` is not imported at run time
    from typing import Optional, Sequence

# The subcommands, in the order `schedc --help` lists them; each module has `add_parser`.
COMMANDS = ("check", "compile", "fmt", "import_", "submit", "sandbox", "plan", "apply", "doctor", "lsp", "rule",
            "completion", "explain")
# Each command's line in `schedc --help`. A run builds only its own command's parser (argparse
# costs about a millisecond per ten options, on every commit); the others stand in with this
# line. tests/test_layout.py holds it equal to the help each module gives its parser.
SUMMARIES = {
    "check": "check .sched files and report problems",
    "compile": "compile one .sched file to the request JSON",
    "fmt": "rewrite .sched files in the canonical layout",
    "import": "turn a POST /v4/user JSON body into .sched text",
    "submit": "create users on meetergo from .sched files",
    "sandbox": "run a local stand-in for the meetergo user API",
    "plan": "show what apply would change on meetergo",
    "apply": "create and update users on meetergo to match their files",
    "doctor": "check an API key against the API, changing nothing",
    "lsp": "run the language server for editors (needs schedc[lsp])",
    "rule": "explain a diagnostic code",
    "completion": "print a shell completion script",
    "explain": "show the week of a .sched file, or a team's coverage",
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    _reset_sigpipe()
    argv = list(sys.argv[1:] if argv is None else argv)
    command = _command_named(argv)
    parser = build_parser(only=command)
    _unknown_command(command, parser)
    args, extra = parser.parse_known_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_TOOL
    if extra:  # said by the command's own parser, so its usage is the one shown
        parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    from ..secrets import guard_streams, learn
    from ..words import visible

    learn(getattr(args, "api_key_file", None))  # the key is known before any other file is read
    with guard_streams():  # from here on, nothing reaches stdout or stderr without redaction
        try:
            return args.run(args)
        except Stop as stop:
            if stop.message:
                print(visible(f"schedc: {stop.message}"), file=sys.stderr)
            return stop.code
        except KeyboardInterrupt:
            print("schedc: interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # a bug in schedc, not in the input
            if args.verbose:  # the traceback, through the guarded stream like everything else
                import traceback

                traceback.print_exc(file=sys.stderr)
            else:
                print(visible(f"schedc: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)"),
                      file=sys.stderr)
            return EXIT_TOOL


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized without `shutil` (argparse builds one for every option it
    adds, and importing shutil for its terminal size cost about 4 ms of every start). Text is
    wrapped to the terminal, except indented lines (examples), which are kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks, out = text.split("\n\n"), []
        for block in blocks:
            lines = block.split("\n")
            if any(line.startswith(" ") for line in lines) or len(lines) > 1:
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(super()._fill_text(block, width, indent))
        return "\n\n".join(out)

    def __init__(self, prog: str):
        width = 80
        try:
            width = int(os.environ["COLUMNS"])
        except (KeyError, ValueError):
            try:
                width = os.get_terminal_size(sys.__stdout__.fileno()).columns
            except (OSError, AttributeError, ValueError):
                pass
        super().__init__(prog, width=max(width - 2, 40))


class _ArgumentParser(argparse.ArgumentParser):
    """Every parser and subparser of `schedc` uses `_HelpFormatter`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["allow_abbrev"] = False  # `--api-key` must never be taken for `--api-key-file`
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        """argparse's usage error, with any API key in the arguments it quotes blanked out."""
        from ..secrets import redact
        from ..words import visible

        self.print_usage(sys.stderr)
        self.exit(EXIT_TOOL, f"{self.prog}: error: {redact(visible(message), shapes=True)}\n")


class _Version(argparse.Action):
    """`--version`: schedc's, and the release of the time zone database every zone is read from
    (the tzdata package), looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__
        from ..tzdb import version

        print(f"schedc {__version__} (tzdata {version()})")
        parser.exit()


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The `schedc` argument parser; each command module adds its own subparser. With `only`
    naming a command, only that command's parser is built (nothing shows the others while it
    runs); with a name that is no command, the others stand in as names with their summaries
    (for the suggestion); with None, for `schedc --help`, every parser is built whole."""
    import importlib

    # Options every command takes, before or after its name (`schedc -v check` = `schedc check -v`).
    # The subcommands' copies default to SUPPRESS so they never overwrite a value given before.
    def common(suppress: bool) -> argparse.ArgumentParser:
        options = _ArgumentParser(add_help=False)
        default = (lambda value: argparse.SUPPRESS) if suppress else (lambda value: value)
        options.add_argument("-v", "--verbose", action="store_true", default=default(False),
                             help="show a traceback on internal errors")
        options.add_argument("--color", "--colour", choices=("auto", "always", "never"), default=default("auto"),
                             help="colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never")
        options.add_argument("--config", metavar="FILE", default=default(None),
                             help="read settings from FILE instead of the schedc.toml or pyproject.toml found "
                                  "walking up from the current directory")
        options.add_argument("--no-config", action="store_true", default=default(False),
                             help="read no configuration file")
        options.add_argument("--max-input-size", metavar="SIZE", type=_size, default=default(None),
                             help="the most any one input may hold, like 2MiB (the default) or 512KiB: a file, "
                                  "stdin, a document in the editor; the state and the journal may hold 16 times "
                                  "as much")
        return options

    parser = _ArgumentParser(
        prog="schedc", parents=[common(False)],
        description="Compile .sched schedules into meetergo `POST /v4/user` requests.")
    parser.add_argument("--version", action=_Version, help="show the version, and that of the time zone data, "
                                                           "and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="schedc")  # prog: no terminal-size probe

    known = only in SUMMARIES
    for module in COMMANDS:
        name = module.rstrip("_")
        if only is None or only == name:
            importlib.import_module(f"{__name__}.{module}").add_parser(commands, common(True))
        elif not known:
            commands.add_parser(name, help=SUMMARIES[name], add_help=False)
    parser.commands = dict(commands.choices)
    return parser


def _command_named(argv: list[str]) -> Optional[str]:
    """The command word of `argv` (the first word that is not a top-level option), or None."""
    words = iter(argv)
    for word in words:
        if word in ("--color", "--colour", "--config", "--max-input-size"):  # options before a command taking a value
            next(words, None)
            continue
        if word.startswith("-"):
            continue
        return word
    return None


def _size(text: str) -> int:
    from ..files import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}: write it like 2MiB, 512KiB or a number of bytes") from None


def _unknown_command(command: Optional[str], parser: argparse.ArgumentParser) -> None:
    """`schedc chek`: name the nearest command rather than list every one."""
    if command is not None and command not in parser.commands:
        import difflib

        near = difflib.get_close_matches(command, list(parser.commands), n=1, cutoff=0.6)
        parser.error(f"unknown command `{command}`" + (f": did you mean `{near[0]}`?" if near else
                                                         f"; the commands are {', '.join(parser.commands)}"))


def _reset_sigpipe() -> None:
    """`schedc compile x.sched | head` should end quietly, not with a BrokenPipeError."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)


__all__ = ["EXIT_INPUT", "EXIT_OK", "EXIT_RETRY", "EXIT_TOOL", "Stop", "build_parser", "main"]
