"""Options shared by the commands that talk to the API (`submit`, `sandbox`, `plan`, `apply`, `doctor`)."""

from __future__ import annotations

import argparse

from ..config import KEYS

DEFAULT_RATE = KEYS["rate"].default  # "90/min": the defaults live with the configuration keys
DEFAULT_BURST = KEYS["burst"].default


class RefuseKey(argparse.Action):
    """`--api-key VALUE` is refused without echoing VALUE: a key on the command line lands in
    shell history and in `ps` output for every user of the machine."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error("`--api-key` is not accepted: a key on the command line is visible to every user "
                     "of the machine; set MEETERGO_API_KEY or pass --api-key-file PATH")


def count(kind: type, low: float):
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, not {text}")
        return value
    return convert


def rate(text: str) -> float:
    from ..submit.pacing import parse_rate

    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_key_options(command) -> None:
    """Where to send and with which key: `--base-url`, `--api-key-file`, and `--api-key` refused."""
    command.add_argument("--base-url", metavar="URL",
                         help="the API (default: MEETERGO_BASE_URL, else https://api.meetergo.com)")
    command.add_argument("--api-key-file", metavar="PATH", help="read the key from this file instead of MEETERGO_API_KEY")
    command.add_argument("--api-key", nargs="?", action=RefuseKey, help=argparse.SUPPRESS)


def add_api_options(command, *, what: str) -> None:
    """The options of every command that sends users to the API (`submit`, `plan`, `apply`):
    pacing, retries, the deadline per attempt, and what fills a file's gaps. `what` names one
    unit of work in the help ("requests", "users")."""
    command.add_argument("--concurrency", type=count(int, 1), default=None, metavar="N",
                         help=f"{what} worked on at once (default 4)")
    command.add_argument("--rate", type=rate, default=None, metavar="N/UNIT",
                         help=f"pace requests at this rate, like 90/min or 2/s (default {DEFAULT_RATE})")
    command.add_argument("--burst", type=count(int, 1), default=None, metavar="N",
                         help=f"requests that may go at once before pacing starts (default {DEFAULT_BURST})")
    add_retry_options(command)
    command.add_argument("--timezone", metavar="Z", help="the user's IANA time zone where a file gives none")
    command.add_argument("--end-of-day", choices=("23:59", "24:00"), default=None,
                         help="write midnight at the end of a day as 23:59 (default) or 24:00")
    command.add_argument("--exclude", action="append", metavar="GLOB",
                         help="skip files and directories matching GLOB when searching directories "
                              "(replaces the configuration's)")


def add_retry_options(command) -> None:
    """The deadline of one attempt, and how many attempts with what backoff."""
    command.add_argument("--timeout", type=count(float, 0.001), default=30.0, metavar="SECONDS",
                         help="the deadline for one attempt, answer included (default 30)")
    command.add_argument("--attempts", type=count(int, 1), default=5, metavar="N",
                         help="attempts per request for 429, 5xx and network errors (default 5)")
    command.add_argument("--backoff", type=count(float, 0), default=0.5, metavar="SECONDS",
                         help="the longest first wait between attempts; it doubles each time, up to 30 s "
                              "(default 0.5)")
