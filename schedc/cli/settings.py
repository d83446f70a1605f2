"""The settings a command runs with: its options, over the configuration file, over the defaults.

Each command names the keys it uses and the values its options were given (None when not
given); a problem in the configuration file is shown as diagnostics, and the command stops
with exit status 2 rather than run with settings other than those written.
"""

from __future__ import annotations

import sys

from .exits import EXIT_TOOL, Stop


def settings_for(args, given: dict):
    """`Settings` for this run: `--config FILE`, else none with `--no-config`, else the file
    found walking up from the current directory."""
    from ..config import Config, Settings, find, load

    from ..files import DEFAULT_LIMIT

    explicit = getattr(args, "config", None)
    given = {**given, "max-input-size": getattr(args, "max_input_size", None)}
    # the configuration is read under the default limit, or a larger one given: a limit lowered
    # for the schedules must not turn away the project's pyproject.toml
    limit = max(given["max-input-size"] or 0, DEFAULT_LIMIT)
    if getattr(args, "no_config", False):
        config = Config()
    else:
        path = explicit or find(limit=limit)
        config = load(path, limit) if path else Config()
    if config.diagnostics:
        from ..report import render, use_colour

        colour = use_colour(sys.stderr, args.color)
        for diagnostic in config.diagnostics:
            print(render(diagnostic, config.text, colour=colour), file=sys.stderr, end="\n\n")
        raise Stop(EXIT_TOOL, f"error: fix the configuration in `{config.name}` (or pass --no-config)")
    return Settings(config, given)


def codes_option(args, name: str):
    """The codes of `--select` or `--ignore`, or None when the option was not given."""
    from ..config import codes_from_option

    try:
        return codes_from_option(getattr(args, name, None), name)
    except ValueError as exc:
        raise Stop(EXIT_TOOL, f"error: --{name}: {exc}") from None


def add_code_options(parser) -> None:
    parser.add_argument("--select", action="append", metavar="CODES",
                        help="report only these warnings: codes or prefixes, comma-separated (errors always show)")
    parser.add_argument("--ignore", action="append", metavar="CODES",
                        help="never report these warnings: codes or prefixes, comma-separated")
