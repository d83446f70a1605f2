"""The settings a command runs with: its options, over the configuration file, over the defaults.

They are resolved once per run, here, for every command alike: each option that is also a
configuration key (`--end-of-day` for `end-of-day`, `--timezone` for `timezone`...) is taken
from the command line when given; the file is found from the folder holding the paths the
command is given (or named with `--config`, or skipped with `--no-config`). A problem in the file
is shown as diagnostics, and the command stops with exit status 2 rather than run with settings
other than those written.
"""

from __future__ import annotations

import sys

from .exits import EXIT_OK, EXIT_TOOL, Stop

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional


def settings_for(args, given: Optional[dict] = None):
    """The `Settings` of this run. With `--show-settings`, print them and stop. `given` adds values
    for keys whose option is named otherwise (none is, today)."""
    from ..config import resolve, start_folder

    one = getattr(args, "file", None) or getattr(args, "planfile", None)  # compile, import; show
    paths = getattr(args, "paths", None) or ([one] if one else [])
    options = options_given(args)
    options.update({key: value for key, value in (given or {}).items() if value is not None})
    settings = resolve(start_folder(paths, getattr(args, "stdin_filename", None)),
                       path=getattr(args, "config", None), no_config=getattr(args, "no_config", False),
                       given=options)
    config = settings.config
    if config.diagnostics:
        from ..report import render, use_colour

        colour = use_colour(sys.stderr, args.color)
        for diagnostic in config.diagnostics:
            print(render(diagnostic, config.source_of(diagnostic), colour=colour), file=sys.stderr, end="\n\n")
        raise Stop(EXIT_TOOL, f"error: fix the configuration in `{config.name}` (or pass --no-config)")
    if getattr(args, "show_settings", False):
        sys.stdout.write(settings.show())
        raise Stop(EXIT_OK)
    return settings


def options_given(args) -> dict:
    """{key: the value of the command's option of the same name, or None when it was not given}."""
    from ..config import KEYS

    given = {}
    for key in KEYS:
        if key in ("select", "ignore"):
            given[key] = codes_option(args, key)
        else:
            given[key] = getattr(args, key.replace("-", "_"), None)
    return given


def codes_option(args, name: str):
    """The codes of `--select` or `--ignore`, or None when the option was not given."""
    from ..config import codes_from_option

    try:
        return codes_from_option(getattr(args, name, None), name)
    except ValueError as exc:
        raise Stop(EXIT_TOOL, f"error: --{name}: {exc}") from None

