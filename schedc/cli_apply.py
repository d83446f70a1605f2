"""The `plan` and `apply` subcommands: their options.

Building the `schedc` parser imports this module, so it stays small and imports nothing heavy;
what the commands do lives in `apply_command.py`, imported only when one of them runs.
"""

from __future__ import annotations

import argparse


def _at_least(kind: type, low: float):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {text}")
        return value
    return convert


def _rate(text: str) -> float:
    from .pacing import parse_rate

    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _shared(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="+", metavar="PATH", help="files, or directories searched for *.sched")
    command.add_argument("--refresh", action="store_true",
                         help="read each managed user's availability and meeting type from the server, "
                              "to notice changes made there (drift)")
    command.add_argument("--json", action="store_true", help="print one JSON object per file on stdout")
    command.add_argument("-q", "--quiet", action="store_true", help="no summary")
    command.add_argument("--state", metavar="PATH", default=None,
                         help="the state file (default .schedc-state.json in the current directory)")
    command.add_argument("--journal", metavar="PATH", default=None,
                         help="a submit journal whose created users are taken over (default .schedc-journal.jsonl)")
    command.add_argument("--base-url", metavar="URL",
                         help="the API (default: MEETERGO_BASE_URL, else https://api.meetergo.com)")
    command.add_argument("--api-key-file", metavar="PATH", help="read the key from this file instead of MEETERGO_API_KEY")
    command.add_argument("--concurrency", type=_at_least(int, 1), default=4, metavar="N",
                         help="users worked on at once (default 4)")
    command.add_argument("--rate", type=_rate, default="90/min", metavar="N/UNIT",
                         help="pace requests at this rate, like 90/min or 2/s (default 90/min)")
    command.add_argument("--burst", type=_at_least(int, 1), default=10, metavar="N",
                         help="requests that may go at once before pacing starts (default 10)")
    command.add_argument("--timeout", type=_at_least(float, 0.001), default=30.0, metavar="SECONDS",
                         help="give up on one attempt after this long (default 30)")
    command.add_argument("--attempts", type=_at_least(int, 1), default=5, metavar="N",
                         help="attempts per request for 429, 5xx and network errors (default 5)")
    command.add_argument("--backoff", type=_at_least(float, 0), default=0.5, metavar="SECONDS",
                         help="the longest first wait between attempts; it doubles each time (default 0.5)")
    command.add_argument("--timezone", metavar="Z", help="the user's IANA time zone where a file gives none")
    command.add_argument("--end-of-day", choices=("23:59", "24:00"), default="23:59",
                         help="write midnight at the end of a day as 23:59 (default) or 24:00")


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `plan` and `apply` on the `schedc` subparsers."""
    plan = commands.add_parser(
        "plan", parents=[common], help="show what apply would change on meetergo",
        description="Compile and check every file, then show per user what `schedc apply` would do: "
                    "create it, update it (and what changes), or nothing. Sends no request unless --refresh.")
    _shared(plan)
    plan.add_argument("--detailed-exitcode", action="store_true",
                      help="exit 4 when there are changes to apply (0 when there are none)")
    plan.set_defaults(run=_run("run_plan"))

    apply = commands.add_parser(
        "apply", parents=[common], help="create and update users on meetergo to match their files",
        description="Carry out the plan: POST /v4/user for new users, and for existing ones a PATCH of "
                    "only the parts that changed. The state file records what was done.")
    _shared(apply)
    apply.add_argument("--if-exists", choices=("error", "skip", "adopt"), default="error",
                       help="a new user whose e-mail exists already (409): an error (default), skipped, or "
                            "adopted: found with GET /v4/user, recorded and updated to match the file")
    apply.add_argument("--keep-going", action="store_true",
                       help="apply the files that compile even when others have errors")
    apply.set_defaults(run=_run("run_apply"))


def _run(name: str):
    def run(args) -> int:
        from . import apply_command

        return getattr(apply_command, name)(args)
    return run


__all__ = ["add_commands"]
