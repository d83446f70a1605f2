"""The one time zone database schedc reads: the `tzdata` package it depends on, for the names of
the zones and for their offsets alike.

`zoneinfo.ZoneInfo(name)` looks in the operating system's copy first and falls back to the
package only where the system has none, so the offsets (and the names `available_timezones`
lists) would depend on the machine: a system a release or two behind the package disagrees
about the zones whose rules changed in between. Here every zone is built from the package's own
file with `ZoneInfo.from_file`, so every machine gives the same answers, and `version()` names
the release (printed by `schedc --version` and `explain --json`).

Depends on nothing but the standard library; the package is read through its loader's
`get_data`, as `pkgutil.get_data` does (works from a zip too), without `importlib.resources`
(which imports pathlib, tempfile and zipfile first: a third of a cold `schedc check`).
`schedc/rules.py` reads the rule texts through `read` for the same reason.
"""

from __future__ import annotations

import functools
import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional
    from zoneinfo import ZoneInfo


def read(name: str, package: str = "tzdata.zoneinfo") -> bytes:
    """A data file of a package: tzdata's (`zone.tab`, `tzdata.zi`, `Europe/London`) unless
    `package` names another."""
    import importlib

    module = importlib.import_module(package)
    loader = module.__spec__.loader
    if module.__file__ is None or not hasattr(loader, "get_data"):
        raise FileNotFoundError(f"{package}/{name}")
    return loader.get_data(os.path.join(os.path.dirname(module.__file__), *name.split("/")))


def text(name: str, package: str = "tzdata.zoneinfo") -> str:
    return read(name, package).decode("utf-8")


@functools.lru_cache(maxsize=None)
def names() -> frozenset[str]:
    """Every zone name of the package: its zones and their links (`zones`, one a line)."""
    return frozenset(text("zones", "tzdata").split())


@functools.lru_cache(maxsize=None)
def zone(name: str) -> Optional[ZoneInfo]:
    """The zone called `name`, built from the package's file, or None when there is no such zone.
    Cached: one object per name, so moments in the same zone compare by their wall clocks."""
    if name not in names():
        return None
    import io
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo.from_file(io.BytesIO(read(name)), key=name)
    except (OSError, ValueError):
        return None


def version() -> str:
    """The IANA release of the package's data, like `2026a`."""
    import tzdata

    return tzdata.IANA_VERSION


__all__ = ["names", "read", "text", "version", "zone"]
