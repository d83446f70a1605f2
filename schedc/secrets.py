"""The API key's value never reaches output: defence in depth for every printed line.

The key lives in `submit.client.ApiKey`, whose repr is redacted, and no code path prints it.
In case some path ever does (a file that happens to hold the key, echoed in an excerpt; an
exception from a library that quotes a header), the places that print pass their text through
`redact`, which blanks out the key from the environment and any key read from a file.
"""

from __future__ import annotations

import os

ENVIRONMENT_KEY = "MEETERGO_API_KEY"
REDACTED = "<redacted>"
_known: set[str] = set()


def remember(value: str) -> None:
    """Blank `value` out of everything printed from now on (a key read from a file)."""
    _known.update(_parts(value))


def _parts(value: str) -> set[str]:
    """The key and, for `ak_live:<uuid>:<secret>`, its secret part on its own too. Anything
    shorter than 8 characters is no key and would blank out ordinary words."""
    value = value.strip()
    found = {value, value.rsplit(":", 1)[-1]}
    return {part for part in found if len(part) >= 8}


def redact(text: str) -> str:
    secrets = _known | _parts(os.environ.get(ENVIRONMENT_KEY, ""))
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


__all__ = ["ENVIRONMENT_KEY", "REDACTED", "redact", "remember"]
