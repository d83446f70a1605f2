"""Time zone names, from the tzdata package so that every OS gives the same answer: which
names exist, which are legacy aliases of another, and the near misses people type."""

from __future__ import annotations

import functools
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: `typing` is not imported at run time
    from typing import Optional


def _tzdata_text(package: str, name: str) -> str:
    """A data file of the tzdata package, read through its loader's documented `get_data`, as
    `pkgutil.get_data` does (works from a zip too). (`importlib.resources` imports pathlib,
    tempfile, zipfile and their compression modules first: a third of a cold `schedc check`;
    pkgutil itself costs as much as the rest of this module's work.)"""
    import importlib

    module = importlib.import_module(package)
    loader = module.__spec__.loader
    if module.__file__ is None or not hasattr(loader, "get_data"):
        raise FileNotFoundError(f"{package}/{name}")
    return loader.get_data(os.path.join(os.path.dirname(module.__file__), name)).decode("utf-8")


@functools.lru_cache(maxsize=None)
def country_zones() -> frozenset[str]:
    """The zones of `zone.tab`: one or more per country, the names people know (`Europe/London`)."""
    return frozenset(line.split("\t")[2] for line in _tzdata_text("tzdata.zoneinfo", "zone.tab").splitlines()
                     if line and not line.startswith("#"))


@functools.lru_cache(maxsize=None)
def zone_names() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def is_zone(name: str) -> bool:
    return name in country_zones() or name in zone_names()  # the small file answers the common case


@functools.lru_cache(maxsize=None)
def zone_links() -> dict[str, str]:
    """Legacy alias → canonical zone (`US/Eastern` → `America/New_York`, `Asia/Calcutta` →
    `Asia/Kolkata`), from tzdata's links.

    A link that is still a country's zone in `zone.tab` (`Europe/Amsterdam`, merged into
    `Europe/Brussels` only because the two agree since 1970) is a place name people should keep
    using, so it is not counted as legacy.
    """
    links = {}
    for line in _tzdata_text("tzdata.zoneinfo", "tzdata.zi").splitlines():
        if line.startswith("L "):
            _, target, alias = line.split()
            if alias not in country_zones():
                links[alias] = target
    return links


def legacy_target(name: str) -> Optional[str]:
    """What a legacy alias stands for, or None (without reading the link table for country zones)."""
    if name in country_zones() or name in ALLOWED_LINKS:
        return None
    return zone_links().get(name)


ALLOWED_LINKS = frozenset({"UTC", "Etc/UTC"})
_ETC_OFFSET = re.compile(r"Etc/GMT([+-])([0-9]{1,2})")


@functools.lru_cache(maxsize=None)
def _lookup_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased zone name → zone, and lower-cased last part (`london`) → zone."""
    zones = zone_names()
    by_lower = {z.lower(): z for z in zones}
    tail = {z.rsplit("/", 1)[-1].lower(): z for z in sorted(zones) if "/" in z}
    return by_lower, tail


@functools.lru_cache(maxsize=1024)
def suggest_zone(name: str) -> Optional[str]:
    """The zone a misspelt name most likely means, or None.

    Cached: a team's repository repeats one misspelling across many files, and each lookup
    compares the name with every zone (several milliseconds).
    """
    import difflib

    by_lower, tail = _lookup_tables()
    if name.lower() in by_lower:
        return by_lower[name.lower()]
    if name.lower() in tail:
        return tail[name.lower()]
    match = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.8)
    if match:
        return by_lower[match[0]]
    match = difflib.get_close_matches(name.rsplit("/", 1)[-1].lower(), list(tail), n=1, cutoff=0.75)
    return tail[match[0]] if match else None


def etc_offset(name: str) -> Optional[str]:
    """`Etc/GMT+5` → `UTC-05:00` (the sign is reversed in these names), else None."""
    match = _ETC_OFFSET.fullmatch(name)
    if not match or int(match[2]) == 0:
        return None
    sign = "-" if match[1] == "+" else "+"
    return f"UTC{sign}{int(match[2]):02d}:00"


# Abbreviations people write for a zone. tzdata keeps a few of them as fixed offsets or aliases
# (`EST` is America/Panama: UTC-5 all year), but whoever writes `EST` or `EDT` nearly always
# means New York time, daylight saving included. Each maps to the place people mean.
ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "EST": ("America/New_York", "US Eastern time"), "EDT": ("America/New_York", "US Eastern time"),
    "EST5EDT": ("America/New_York", "US Eastern time"),
    "CST": ("America/Chicago", "US Central time"), "CDT": ("America/Chicago", "US Central time"),
    "CST6CDT": ("America/Chicago", "US Central time"),
    "MST": ("America/Denver", "US Mountain time (Arizona, without daylight saving, is `America/Phoenix`)"),
    "MDT": ("America/Denver", "US Mountain time"), "MST7MDT": ("America/Denver", "US Mountain time"),
    "PST": ("America/Los_Angeles", "US Pacific time"), "PDT": ("America/Los_Angeles", "US Pacific time"),
    "PST8PDT": ("America/Los_Angeles", "US Pacific time"),
    "AKST": ("America/Anchorage", "Alaska time"), "AKDT": ("America/Anchorage", "Alaska time"),
    "HST": ("Pacific/Honolulu", "Hawaii time"),
    "GMT": ("Europe/London", "UK time, with summer time (for no offset at all, write `UTC`)"),
    "BST": ("Europe/London", "UK time"),
    "WET": ("Europe/Lisbon", "Western European time"), "WEST": ("Europe/Lisbon", "Western European time"),
    "CET": ("Europe/Berlin", "Central European time (or the zone of your city, like `Europe/Paris`)"),
    "CEST": ("Europe/Berlin", "Central European time (or the zone of your city, like `Europe/Paris`)"),
    "MET": ("Europe/Berlin", "Central European time (or the zone of your city, like `Europe/Paris`)"),
    "EET": ("Europe/Athens", "Eastern European time (or the zone of your city, like `Europe/Helsinki`)"),
    "EEST": ("Europe/Athens", "Eastern European time (or the zone of your city, like `Europe/Helsinki`)"),
    "IST": ("Asia/Kolkata", "India time (Irish time is `Europe/Dublin`, Israel time `Asia/Jerusalem`)"),
    "JST": ("Asia/Tokyo", "Japan time"), "KST": ("Asia/Seoul", "Korea time"),
    "AEST": ("Australia/Sydney", "Australian Eastern time (Queensland, without daylight saving, is "
                                 "`Australia/Brisbane`)"),
    "AEDT": ("Australia/Sydney", "Australian Eastern time"),
    "ACST": ("Australia/Adelaide", "Australian Central time"), "AWST": ("Australia/Perth", "Australian Western time"),
    "NZST": ("Pacific/Auckland", "New Zealand time"), "NZDT": ("Pacific/Auckland", "New Zealand time"),
}


def abbreviation(name: str) -> Optional[tuple[str, str]]:
    """(the zone people mean, what it is) for a zone abbreviation like `EST` or `cest`, else None."""
    return ABBREVIATIONS.get(name.upper())
