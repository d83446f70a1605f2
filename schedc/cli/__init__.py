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
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional, Sequence


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
    from ..compiler.words import visible

    learn(getattr(args, "api_key_file", None))  # the key is known before any other file is read
    with guard_streams():  # from here on, nothing reaches stdout or stderr without redaction
        try:
            import importlib

            # the command's module (the table names it) is imported only now that it runs
            return importlib.import_module(f"{__name__}.{parser.modules[args.command]}").run(args)
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

    width = 0  # the terminal's, found once: argparse makes a formatter for every option it adds

    def __init__(self, prog: str):
        if not _HelpFormatter.width:
            width = 80
            try:
                width = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns
                except (OSError, AttributeError, ValueError):
                    pass
            _HelpFormatter.width = max(width - 2, 40)
        super().__init__(prog, width=_HelpFormatter.width)


class _ArgumentParser(argparse.ArgumentParser):
    """Every parser and subparser of `schedc` uses `_HelpFormatter`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs["allow_abbrev"] = False  # `--api-key` must never be taken for `--api-key-file`
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        """argparse's usage error, with any API key in the arguments it quotes blanked out."""
        from ..secrets import redact
        from ..compiler.words import visible

        self.print_usage(sys.stderr)
        self.exit(EXIT_TOOL, f"{self.prog}: error: {redact(visible(message), shapes=True)}\n")


class _Version(argparse.Action):
    """`--version`: schedc's, and the release of the time zone database every zone is read from
    (the tzdata package), looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from .. import __version__
        from ..compiler.tzdb import version

        print(f"schedc {__version__} (tzdata {version()})")
        parser.exit()


def build_parser(only: Optional[str] = None) -> argparse.ArgumentParser:
    """The `schedc` argument parser, built from the table (table.py). With `only` naming a
    command, only that command's parser is built: nothing shows the others while it runs, and
    argparse costs about a millisecond per ten options. Without one (`schedc --help`), or with
    a name that is no command, every command stands in as its name and summary (for the list,
    and for the suggestion after a mistyped name)."""
    from . import table

    parser = _ArgumentParser(prog="schedc", description=table.PROGRAM, add_help=False)
    for option in (table.HELP, *table.COMMON):
        _add_option(parser, option)
    _add_option(parser, table.VERSION)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="schedc")  # prog: no terminal-size probe
    parser.modules = {}
    known = table.command(only) is not None
    for command in table.COMMANDS:
        if command.name != only:
            if not known:  # a stand-in: its name and summary
                commands.add_parser(command.name, help=command.summary, add_help=False)
            continue
        parser.modules[command.name] = command.module
        sub = commands.add_parser(command.name, help=command.summary, description=command.description,
                                  epilog=table.epilog(command) or None, add_help=False)
        for operand in command.operands:
            sub.add_argument(operand.dest, nargs=operand.count, metavar=operand.metavar, help=operand.help,
                             choices=operand.words or None)
        _add_option(sub, table.HELP)
        # SUPPRESS: a value given before the command's name stays (a common option the command
        # restates too)
        common = {name for option in table.COMMON for name in option.names}
        for option in table.common_of(command):
            _add_option(sub, option, suppress=True)
        for option in command.options:
            _add_option(sub, option, suppress=not common.isdisjoint(option.names))
    parser.commands = dict(commands.choices)
    return parser


def _add_option(parser: argparse.ArgumentParser, option, suppress: bool = False) -> None:
    """One option of the table as argparse takes it."""
    from . import table

    if option.action == "help":
        parser.add_argument(*option.names, action="help", help=option.help)
        return
    if option.action == "version":
        parser.add_argument(*option.names, action=_Version, help=option.help)
        return
    if option.action == "refuse":
        from .options import RefuseKey

        parser.add_argument(*option.names, nargs="?", action=RefuseKey, help=argparse.SUPPRESS)
        return
    if option.setting is not None:
        default = None
    elif option.kind == table.FLAG and option.default is None:
        default = not option.store
    elif option.default == table.UNGIVEN:
        default = None
    else:
        default = option.default
    kwargs = {"default": argparse.SUPPRESS if suppress else default,
              "help": argparse.SUPPRESS if option.hidden else option.text()}
    if option.dest is not None:
        kwargs["dest"] = option.dest
    if option.kind == table.FLAG:
        kwargs["action"] = "store_true" if option.store else "store_false"
    else:
        if option.metavar is not None:
            kwargs["metavar"] = option.metavar
        if option.repeat:
            kwargs["action"] = "append"
        if option.words:
            kwargs["choices"] = option.words
        if option.kind in (table.INTEGER, table.NUMBER):
            from .options import count

            kwargs["type"] = count(int if option.kind == table.INTEGER else float, option.low)
        elif option.kind == table.RATE:
            from .options import rate

            kwargs["type"] = rate
        elif option.kind == table.SIZE:  # every command takes one: no import of options.py for it
            kwargs["type"] = _size
    parser.add_argument(*option.names, **kwargs)


def _size(text: str) -> int:
    """A SIZE: a number of bytes, like 2MiB, 512KiB or 65536."""
    from ..files import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}: write it like 2MiB, 512KiB or a number of bytes") from None


def _command_named(argv: list[str]) -> Optional[str]:
    """The command word of `argv` (the first word that is not a top-level option), or None."""
    from .table import COMMON, FLAG

    valued = {name for option in COMMON if option.kind != FLAG for name in option.names}
    words = iter(argv)
    for word in words:
        if word in valued:  # an option before the command that takes a value
            next(words, None)
            continue
        if word.startswith("-"):
            continue
        return word
    return None


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
