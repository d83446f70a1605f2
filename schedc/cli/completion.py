"""`schedc completion bash|zsh|fish`: a shell completion script, printed on stdout.

The script is generated from the command's own argument parser, so it always knows every
subcommand and option; it completes `.sched` paths (and `.json` for `import`), the choices of an
option (`--color`, `--end-of-day`, …), time zone names for `--timezone`, channel names for an
option that takes a channel, and diagnostic codes for `--select`, `--ignore` and `rule`. The
names are written into the script, so completing never starts Python: a shell pays nothing
until TAB is pressed, and `schedc` itself starts exactly as fast as before.

    source <(schedc completion bash)                           # bash, in ~/.bashrc
    schedc completion zsh > "${fpath[1]}/_schedc"              # zsh
    schedc completion fish > ~/.config/fish/completions/schedc.fish
"""

from __future__ import annotations

import sys

from ..records import Record
from .exits import EXIT_OK, epilog

SHELLS = ("bash", "zsh", "fish")


def add_parser(commands, common) -> None:
    completion = commands.add_parser(
        "completion", parents=[common], help="print a shell completion script",
        description="Print a completion script for bash, zsh or fish on stdout. Install it with "
                    "`source <(schedc completion bash)` in ~/.bashrc, `schedc completion zsh > "
                    "\"${fpath[1]}/_schedc\"`, or `schedc completion fish > ~/.config/fish/completions/schedc.fish`.",
        epilog=epilog("source <(schedc completion bash)", "schedc completion fish > ~/.config/fish/completions/schedc.fish"))
    completion.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    completion.set_defaults(run=run)


def run(args) -> int:
    from . import build_parser

    spec = describe(build_parser())
    sys.stdout.write({"bash": bash, "zsh": zsh, "fish": fish}[args.shell](spec))
    return EXIT_OK


# ---- what to complete, read from the parser
class Option(Record):
    names: tuple[str, ...]
    kind: str  # "flag" (takes no value), "words", "zones", "channels", "codes", "files", "sched", "json", "any"
    words: tuple[str, ...]
    help: str


class Command(Record):
    name: str
    help: str
    options: tuple[Option, ...]
    positional: Option  # what the command's operands are (kind "none" if it takes none)


class Spec(Record):
    common: tuple[Option, ...]  # options every command takes, before or after its name
    commands: tuple[Command, ...]
    zones: tuple[str, ...]
    channels: tuple[str, ...]
    codes: tuple[str, ...]

    def options_of(self, command: Command) -> tuple[Option, ...]:
        """A command's own options, then the common ones it does not already have (`-h`)."""
        own = {name for option in command.options for name in option.names}
        return command.options + tuple(o for o in self.common
                                       if o.names[0] != "--version" and not own & set(o.names))


def _kind(action, command: str) -> tuple[str, tuple[str, ...]]:
    if action.nargs == 0:
        return "flag", ()
    if action.choices:
        return "words", tuple(str(c) for c in action.choices)
    dest = action.dest.replace("-", "_")
    if dest in ("timezone", "zone", "in_zone", "tz"):
        return "zones", ()
    if dest in ("channel", "channels"):
        return "channels", ()
    if dest in ("select", "ignore", "codes", "code"):
        return "codes", ()
    metavar = (action.metavar or "").upper()
    if not action.option_strings:  # an operand
        if command == "import":
            return "json", ()
        return "sched", ()
    if metavar in ("PATH", "FILE", "OUT", "NAME", "DIR") or "file" in dest or dest in ("journal", "output", "config"):
        return "files", ()
    return "any", ()


def describe(parser) -> Spec:
    import argparse

    from ..rules import rules
    from ..words import CHANNELS
    from ..zones import zone_names

    def options(sub, command: str, skip: set) -> tuple[Option, ...]:
        found = []
        for action in sub._actions:
            if not action.option_strings:
                continue
            names = tuple(action.option_strings)
            if set(names) & skip:
                continue
            kind, words = _kind(action, command)
            text = "" if action.help in (None, argparse.SUPPRESS) else " ".join(str(action.help).split())
            found.append(Option(names, kind, words, text))
        return tuple(found)

    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help or "" for choice in subparsers._choices_actions}
    common = options(parser, "", {"--version"}) + (Option(("--version",), "flag", (), "print the version"),)
    common_names = {name for option in common for name in option.names} - {"-h", "--help", "--version"}
    commands = []
    for name, sub in subparsers.choices.items():
        operands = [a for a in sub._actions if not a.option_strings]
        if operands:
            kind, words = _kind(operands[0], name)
            positional = Option((), kind, words, operands[0].help or "")
        else:
            positional = Option((), "none", (), "")
        commands.append(Command(name, " ".join(helps.get(name, "").split()), options(sub, name, common_names),
                                positional))
    zones = tuple(sorted(z for z in zone_names() if z not in ("localtime", "Factory")))
    return Spec(common, tuple(commands), zones, tuple(CHANNELS), tuple(rules()))


# ---- bash
def bash(spec: Spec) -> str:
    def value_options(options) -> list[str]:
        return [n for o in options for n in o.names if o.kind != "flag"]

    lines = [
        "# bash completion for schedc; generated by `schedc completion bash`.",
        "# Install: `source <(schedc completion bash)` in ~/.bashrc.",
        f"_schedc_zones='{' '.join(spec.zones)}'",
        f"_schedc_channels='{' '.join(spec.channels)}'",
        f"_schedc_codes='{' '.join(spec.codes)}'",
        "",
        "_schedc_values() {  # _schedc_values KIND WORDS: complete the current word as KIND",
        '    local cur="${COMP_WORDS[COMP_CWORD]}"',
        '    case "$1" in',
        '        words) COMPREPLY=($(compgen -W "$2" -- "$cur")) ;;',
        '        zones) COMPREPLY=($(compgen -W "$_schedc_zones" -- "$cur")) ;;',
        '        channels) COMPREPLY=($(compgen -W "$_schedc_channels" -- "$cur")) ;;',
        '        codes) COMPREPLY=($(compgen -W "$_schedc_codes" -- "${cur##*,}")) ;;',
        '        files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;',
        '        sched|json) compopt -o filenames 2>/dev/null',
        '            COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!*.$1" -- "$cur")) ;;',
        '        *) COMPREPLY=() ;;',
        "    esac",
        "}",
        "",
        "_schedc() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" command="" i word',
        '    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"',
        "    for (( i = 1; i < COMP_CWORD; i++ )); do  # the subcommand: the first word that is no option",
        '        word="${COMP_WORDS[i]}"',
        '        case "$word" in',
        f"            {'|'.join(value_options(spec.common)) or '--never'}) (( i++ )) ;;",
        '            -*) ;;',
        '            *) command="$word"; break ;;',
        "        esac",
        "    done",
        '    case "$prev" in',
    ]
    for option in spec.common:
        if option.kind != "flag":
            lines.append(f"        {'|'.join(option.names)}) _schedc_values {option.kind} '{' '.join(option.words)}'; return ;;")
    lines.append("    esac")
    lines.append('    case "$command" in')
    commands = " ".join(c.name for c in spec.commands)
    common_words = " ".join(n for o in spec.common for n in o.names)
    lines.append(f"        '') COMPREPLY=($(compgen -W '{commands} {common_words}' -- \"$cur\")); return ;;")
    for command in spec.commands:
        lines.append(f"        {command.name})")
        lines.append('            case "$prev" in')
        for option in command.options:
            if option.kind != "flag":
                lines.append(f"                {'|'.join(option.names)}) _schedc_values {option.kind} "
                             f"'{' '.join(option.words)}'; return ;;")
        lines.append("            esac")
        words = " ".join(n for o in spec.options_of(command) for n in o.names)
        lines.append('            if [[ "$cur" == -* ]]; then')
        lines.append(f"                COMPREPLY=($(compgen -W '{words}' -- \"$cur\"))")
        lines.append("            else")
        lines.append(f"                _schedc_values {command.positional.kind} '{' '.join(command.positional.words)}'")
        lines.append("            fi ;;")
    lines += ["    esac", "}", "", "complete -F _schedc schedc", ""]
    return "\n".join(lines)


# ---- zsh
def _zsh_text(text: str) -> str:
    """Help text safe inside a single-quoted `_arguments` spec's `[…]`."""
    return text.replace("'", "").replace("[", "(").replace("]", ")").replace(":", " ").replace("\\", "")


def _zsh_action(option: Option, spec: Spec) -> str:
    if option.kind == "words":
        return "(" + " ".join(w.replace(":", "\\:") for w in option.words) + ")"
    if option.kind in ("zones", "channels", "codes"):
        return f"{{compadd -a _schedc_{option.kind}}}"
    if option.kind == "files":
        return "_files"
    if option.kind == "sched":
        return '_files -g "*.sched(-.)"'
    if option.kind == "json":
        return '_files -g "*.json(-.)"'
    return " "


def _zsh_option(option: Option, spec: Spec) -> str:
    text = _zsh_text(option.help)
    names = option.names
    head = f"'({' '.join(names)})'{{{','.join(names)}}}" if len(names) > 1 else names[0]
    if option.kind == "flag":
        return f"{head}'[{text}]'"
    return f"{head}'[{text}]:value:{_zsh_action(option, spec)}'"


def zsh(spec: Spec) -> str:
    lines = [
        "#compdef schedc",
        "# zsh completion for schedc; generated by `schedc completion zsh`.",
        '# Install: `schedc completion zsh > "${fpath[1]}/_schedc"`, then start a new shell.',
        "",
        "_schedc() {",
        f"    local -a _schedc_zones=({' '.join(spec.zones)})",
        f"    local -a _schedc_channels=({' '.join(spec.channels)})",
        f"    local -a _schedc_codes=({' '.join(spec.codes)})",
        "    local -a commands=(",
    ]
    for command in spec.commands:
        lines.append(f"        '{command.name}:{_zsh_text(command.help)}'")
    lines += ["    )", "    local curcontext=\"$curcontext\" state line", "    typeset -A opt_args",
              "    _arguments -C \\"]
    for option in spec.common:
        lines.append(f"        {_zsh_option(option, spec)} \\")
    lines += ["        '1: :->command' \\", "        '*:: :->args'", '    case "$state" in',
              "        command) _describe -t commands 'schedc command' commands ;;",
              "        args)", '            case "$line[1]" in']
    for command in spec.commands:
        lines.append(f"                {command.name})")
        lines.append("                    _arguments \\")
        for option in spec.options_of(command):
            lines.append(f"                        {_zsh_option(option, spec)} \\")
        if command.positional.kind == "none":
            lines.append("                        ;;")
        else:
            lines.append(f"                        '*:operand:{_zsh_action(command.positional, spec)}' ;;")
    lines += ["            esac ;;", "    esac", "}", "", '_schedc "$@"', ""]
    return "\n".join(lines)


# ---- fish
def _fish_text(text: str) -> str:
    return text.replace("\\", "").replace("'", "\\'")


def _fish_values(option: Option, spec: Spec) -> str:
    if option.kind == "words":
        return f" -x -a '{' '.join(option.words)}'"
    if option.kind == "zones":
        return " -x -a '$__schedc_zones'"
    if option.kind == "channels":
        return " -x -a '$__schedc_channels'"
    if option.kind == "codes":
        return " -x -a '$__schedc_codes'"
    if option.kind == "sched":
        return " -r -a '(__fish_complete_suffix .sched)'"
    if option.kind == "json":
        return " -r -a '(__fish_complete_suffix .json)'"
    if option.kind == "files":
        return " -r -F"
    if option.kind == "any":
        return " -x"
    return ""


def _fish_names(option: Option) -> str:
    out = ""
    for name in option.names:
        out += f" -l {name[2:]}" if name.startswith("--") else f" -s {name[1:]}"
    return out


def fish(spec: Spec) -> str:
    names = " ".join(c.name for c in spec.commands)
    lines = [
        "# fish completion for schedc; generated by `schedc completion fish`.",
        "# Install: `schedc completion fish > ~/.config/fish/completions/schedc.fish`.",
        f"set -g __schedc_commands {names}",
        f"set -g __schedc_zones {' '.join(spec.zones)}",
        f"set -g __schedc_channels {' '.join(spec.channels)}",
        f"set -g __schedc_codes {' '.join(spec.codes)}",
        "complete -c schedc -f",
    ]
    for command in spec.commands:
        lines.append(f"complete -c schedc -n 'not __fish_seen_subcommand_from $__schedc_commands' -a {command.name} "
                     f"-d '{_fish_text(command.help)}'")
    for option in spec.common:
        lines.append(f"complete -c schedc{_fish_names(option)}{_fish_values(option, spec)} -d '{_fish_text(option.help)}'")
    for command in spec.commands:
        seen = f"-n '__fish_seen_subcommand_from {command.name}'"
        for option in command.options:
            lines.append(f"complete -c schedc {seen}{_fish_names(option)}{_fish_values(option, spec)} "
                         f"-d '{_fish_text(option.help)}'")
        if command.positional.kind != "none":
            lines.append(f"complete -c schedc {seen}{_fish_values(command.positional, spec)}")
    return "\n".join(lines) + "\n"


__all__ = ["SHELLS", "Spec", "bash", "describe", "fish", "zsh"]
