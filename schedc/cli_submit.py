"""The `submit` and `sandbox` subcommands: their options.

Building the `schedc` parser imports this module, so it stays small and imports nothing
heavy; what the commands do lives in `submit_command.py`, imported only when one runs.
"""

from __future__ import annotations

import argparse

DEFAULT_RATE = "90/min"
DEFAULT_BURST = 10


def _count(kind: type, low: float):
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


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    """Register `submit` and `sandbox` on the `schedc` subparsers."""
    submit = commands.add_parser(
        "submit", parents=[common], help="create users on meetergo from .sched files",
        description="Compile and check every file, then create one user per file with POST /v4/user. "
                    "The key comes from MEETERGO_API_KEY or --api-key-file, never from the command line.")
    submit.add_argument("paths", nargs="+", metavar="PATH", help="files, or directories searched for *.sched")
    submit.add_argument("-q", "--quiet", action="store_true", help="no progress line and no summary")
    submit.add_argument("--base-url", metavar="URL",
                        help="where to send (default: MEETERGO_BASE_URL, else https://api.meetergo.com)")
    submit.add_argument("--api-key-file", metavar="PATH", help="read the key from this file instead of MEETERGO_API_KEY")
    submit.add_argument("--if-exists", choices=("error", "skip"), default="error",
                        help="a user whose e-mail exists already (409) is an error (default) or skipped")
    submit.add_argument("--keep-going", action="store_true",
                        help="send the files that compile even when others have errors")
    submit.add_argument("--dry-run", action="store_true", help="print the requests instead of sending them")
    submit.add_argument("--json", action="store_true", help="print one JSON object per file on stdout")
    submit.add_argument("--journal", metavar="PATH", default=None,
                        help="the journal of outcomes (default .schedc-journal.jsonl in the current directory)")
    submit.add_argument("--no-journal", action="store_true", help="keep no journal (a re-run sends everything again)")
    submit.add_argument("--concurrency", type=_count(int, 1), default=4, metavar="N",
                        help="requests in flight at once (default 4)")
    submit.add_argument("--rate", type=_rate, default=DEFAULT_RATE, metavar="N/UNIT",
                        help=f"pace requests at this rate, like 90/min or 2/s (default {DEFAULT_RATE})")
    submit.add_argument("--burst", type=_count(int, 1), default=DEFAULT_BURST, metavar="N",
                        help=f"requests that may go at once before pacing starts (default {DEFAULT_BURST})")
    submit.add_argument("--timeout", type=_count(float, 0.001), default=30.0, metavar="SECONDS",
                        help="give up on one attempt after this long (default 30)")
    submit.add_argument("--attempts", type=_count(int, 1), default=5, metavar="N",
                        help="attempts per user for 429, 5xx and network errors (default 5)")
    submit.add_argument("--backoff", type=_count(float, 0), default=0.5, metavar="SECONDS",
                        help="the longest first wait between attempts; it doubles each time, up to 30 s (default 0.5)")
    submit.add_argument("--timezone", metavar="Z", help="the user's IANA time zone where a file gives none")
    submit.add_argument("--end-of-day", choices=("23:59", "24:00"), default="23:59",
                        help="write midnight at the end of a day as 23:59 (default) or 24:00")
    submit.set_defaults(run=_run("run_submit"))

    sandbox = commands.add_parser(
        "sandbox", parents=[common], help="run a local stand-in for the meetergo user API",
        description="Serve a local imitation of POST /v4/user on 127.0.0.1, to rehearse scripts. "
                    "Prints its URL on the first line of stdout.")
    sandbox.add_argument("-q", "--quiet", action="store_true", help="do not log requests on stderr")
    sandbox.add_argument("--port", type=_count(int, 0), default=8765, metavar="N",
                         help="the port (default 8765; 0 picks a free one)")
    sandbox.add_argument("--rate", type=_rate, default="100/min", metavar="N/UNIT",
                         help="answer 429 past this rate per key (default 100/min, as documented)")
    sandbox.add_argument("--burst", type=_count(int, 1), default=200, metavar="N",
                         help="requests a key may send at once (default 200, as documented)")
    sandbox.add_argument("--retry-after", action="store_true", help="send a Retry-After header with 429")
    sandbox.set_defaults(run=_run("run_sandbox"))


def _run(name: str):
    def run(args) -> int:
        from . import submit_command

        return getattr(submit_command, name)(args)
    return run


__all__ = ["add_commands"]
