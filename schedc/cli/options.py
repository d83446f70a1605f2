"""What argparse needs beyond the table (table.py) for some kinds of value: numbers with a
least value, rates like `90/min`, and `--api-key`, refused without echoing its value."""

from __future__ import annotations

import argparse


class RefuseKey(argparse.Action):
    """`--api-key VALUE` is refused without echoing VALUE: a key on the command line lands in
    shell history and in `ps` output for every user of the machine."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error("`--api-key` is not accepted: a key on the command line is visible to every user "
                     "of the machine; set MEETERGO_API_KEY or pass --api-key-file PATH")


def count(kind: type, low: float):
    """An INTEGER (kind int) or NUMBER (kind float) of at least `low`."""
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
    """A RATE: N/UNIT, like 90/min or 2/s."""
    from ..meetergo.pacing import parse_rate

    try:
        return parse_rate(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
