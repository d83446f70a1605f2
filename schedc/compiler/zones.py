"""Time zone names, from the tzdata package so that every OS gives the same answer: which
names exist, which are legacy aliases of another, and the near misses people type.

A suggestion is only ever a zone that draws no zone diagnostic of its own (no legacy alias, no
`Etc/GMT±N`, no abbreviation), and for a name that spells an offset (`GMT+1`, `UTC-0530`) a
place that keeps that very offset all year: following a suggestion never shifts the hours or
leads straight into the next warning."""

from __future__ import annotations

import functools
import re

from . import tzdb

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: no `typing` at run time saves 16% of a cold check (docs/performance.md)
    from typing import Optional


@functools.lru_cache(maxsize=None)
def country_zones() -> frozenset[str]:
    """The zones of `zone.tab`: one or more per country, the names people know (`Europe/London`)."""
    return frozenset(line.split("\t")[2] for line in tzdb.text("zone.tab").splitlines()
                     if line and not line.startswith("#"))


def zone_names() -> frozenset[str]:
    """Every zone name, from the same package as the offsets (never the operating system's copy)."""
    return tzdb.names()


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
    for line in tzdb.text("tzdata.zi").splitlines():
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


def quiet(name: str) -> bool:
    """Whether a zone draws no zone diagnostic: not an abbreviation, an `Etc/GMT±N` offset or a
    legacy alias. Only such zones are ever suggested."""
    return abbreviation(name) is None and etc_offset(name) is None and legacy_target(name) is None


@functools.lru_cache(maxsize=None)
def _lookup_tables() -> tuple[dict[str, str], dict[str, str]]:
    """Lower-cased zone name → the zone to suggest for it, and lower-cased last part (`london`)
    → the same. A legacy alias leads to its canonical zone (`Asia/Calcutta` → `Asia/Kolkata`);
    names whose suggestion would draw a diagnostic of its own are left out."""
    by_lower, tail = {}, {}
    for z in sorted(zone_names()):
        meant = legacy_target(z) or z
        if quiet(meant):
            by_lower[z.lower()] = meant
            if "/" in z:
                tail[z.rsplit("/", 1)[-1].lower()] = meant
    return by_lower, tail


@functools.lru_cache(maxsize=1024)
def suggest_zone(name: str) -> Optional[str]:
    """The zone a misspelt name most likely means, or None. For a name that spells an offset
    (`GMT+1`), a place that keeps that offset all year (see `fixed_offset_place`).

    Cached: a team's repository repeats one misspelling across many files, and each lookup
    compares the name with every zone (several milliseconds).
    """
    import difflib

    offset = written_offset(name)
    if offset is not None:
        return fixed_offset_place(offset)
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


def zone_help(name: str) -> str:
    """The help line for an unknown zone name: the suggestion (`did you mean `X`?`, which the
    language server offers as a quick fix), and for an offset what the suggestion keeps."""
    suggestion = suggest_zone(name)
    offset = written_offset(name)
    if offset is None:
        return f"did you mean `{suggestion}`?" if suggestion else \
            "use an IANA zone name like `Europe/London` or `America/New_York`"
    utc = offset_text(offset)
    etc = etc_name(offset)
    spelt_etc = _WRITTEN_ETC.fullmatch(name) is not None
    bare = f"`{etc}` is that offset too, but its sign reads backwards" if etc and not spelt_etc else ""
    if suggestion == "UTC":
        return "did you mean `UTC`?"
    if suggestion:
        says = f"`{name}` means in tzdata, where the sign is reversed" if spelt_etc else f"`{name}` says"
        return (f"did you mean `{suggestion}`? It keeps {utc} all year, as {says}"
                + (f" ({bare})" if bare else "") + "; where the clocks change for summer, write the zone of "
                "the city instead")
    if not -MAX_OFFSET <= offset <= MAX_OFFSET:
        return f"no zone is {utc}; write the zone of a place, like `Europe/London` or `America/New_York`"
    return (f"no place keeps {utc} all year" + (f"; tzdata names the bare offset `{etc}`, its sign reversed"
                                                 if etc else "")
            + "; write the zone of a place, like `Europe/London` or `America/New_York`")


# Offsets people write as a zone name: `GMT+1`, `UTC-5`, `UTC+0530`, `utc+5:30` (east positive, as
# ISO 8601 writes them), and `Etc/GMT+1` spelt in a way tzdata does not know (its sign reversed).
_WRITTEN_OFFSET = re.compile(r"(?:UTC|GMT|UT|Z)([+-])([0-9]{1,2})(?::?([0-9]{2}))?", re.I)
_WRITTEN_ETC = re.compile(r"Etc/GMT([+-])([0-9]{1,2})", re.I)
MAX_OFFSET = 14 * 60  # the farthest any place is from UTC (Kiribati's Line Islands)


_MINUS_SIGNS = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}  # dashes typed for `-`


def written_offset(name: str) -> Optional[int]:
    """The offset from UTC in minutes (east positive) that a name spelling one means, else None:
    `GMT+1` → 60, `UTC-0530` and `UTC\u221205:30` (a minus sign) → -330; `etc/gmt+1` → -60
    (tzdata's reversed sign)."""
    name = name.translate(_MINUS_SIGNS)
    match = _WRITTEN_OFFSET.fullmatch(name)
    if match and int(match[3] or 0) < 60:
        minutes = int(match[2]) * 60 + int(match[3] or 0)
        return minutes if match[1] == "+" else -minutes
    match = _WRITTEN_ETC.fullmatch(name)
    if match:
        return int(match[2]) * 60 * (-1 if match[1] == "+" else 1)
    return None


def offset_text(minutes: int) -> str:
    """60 → `UTC+01:00`, -330 → `UTC-05:30`."""
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def etc_name(minutes: int) -> Optional[str]:
    """tzdata's fixed-offset zone for a whole-hour offset: 60 → `Etc/GMT-1` (the sign reversed)."""
    if minutes == 0 or minutes % 60 or not -12 * 60 <= minutes <= MAX_OFFSET:
        return None
    return f"Etc/GMT{'-' if minutes > 0 else '+'}{abs(minutes) // 60}"


# For each offset, a well-known place that keeps it all year (no summer time), tried first; when
# a country changes its clocks, `fixed_offset_place` checks and falls back to any other such place.
_FIXED_PLACES = {
    -660: "Pacific/Pago_Pago", -600: "Pacific/Honolulu", -570: "Pacific/Marquesas", -540: "Pacific/Gambier",
    -480: "Pacific/Pitcairn", -420: "America/Phoenix", -360: "America/Costa_Rica", -300: "America/Bogota",
    -240: "America/Caracas", -180: "America/Sao_Paulo", -120: "America/Noronha", -60: "Atlantic/Cape_Verde",
    60: "Africa/Lagos", 120: "Africa/Johannesburg", 180: "Africa/Nairobi", 210: "Asia/Tehran", 240: "Asia/Dubai",
    270: "Asia/Kabul", 300: "Asia/Karachi", 330: "Asia/Kolkata", 345: "Asia/Kathmandu", 360: "Asia/Dhaka",
    390: "Asia/Yangon", 420: "Asia/Bangkok", 480: "Asia/Singapore", 525: "Australia/Eucla", 540: "Asia/Tokyo",
    570: "Australia/Darwin", 600: "Australia/Brisbane", 660: "Pacific/Noumea", 720: "Pacific/Tarawa",
    780: "Pacific/Apia", 840: "Pacific/Kiritimati",
}


@functools.lru_cache(maxsize=None)
def fixed_offset_place(minutes: int) -> Optional[str]:
    """A zone that is `minutes` from UTC throughout the coming twelve months and draws no zone
    diagnostic: `UTC` for 0, a well-known place where there is one, else the first such place of
    `zone.tab`; None when no place keeps that offset."""
    if minutes == 0:
        return "UTC"
    if not -MAX_OFFSET <= minutes <= MAX_OFFSET:
        return None
    preferred = _FIXED_PLACES.get(minutes)
    candidates = ([preferred] if preferred else []) + sorted(country_zones())
    return next((z for z in candidates if quiet(z) and _keeps(z, minutes)), None)


def _keeps(name: str, minutes: int) -> bool:
    """Whether zone `name` is `minutes` from UTC from today through the next twelve months."""
    from datetime import datetime, time, timedelta, timezone

    from .clock_changes import today, transitions, zone

    tz = zone(name)
    if tz is None:
        return False
    start = datetime.combine(today(), time(), tzinfo=timezone.utc)
    end = start + timedelta(days=366)
    return (start.astimezone(tz).utcoffset() == timedelta(minutes=minutes)
            and not transitions(name, start, end))


def etc_offset(name: str) -> Optional[str]:
    """`Etc/GMT+5` → `UTC-05:00` (the sign is reversed in these names), else None."""
    match = _ETC_OFFSET.fullmatch(name)
    if not match or int(match[2]) == 0:
        return None
    return offset_text(-int(match[2]) * 60 if match[1] == "+" else int(match[2]) * 60)


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
