"""Public holidays: the codes a `holidays` statement may name, and the dates they close.

The codes are the API's (`submit.contract`: the countries and German states the holiday
endpoint takes); this module reads them, suggests one for a near miss and names the zones a
country lies in. The dates come from the `holidays` package, imported only by `dates` (`explain`
and the language server's hover need it; `check` never does).
"""

from __future__ import annotations

import functools

from .records import Record
from ..meetergo import contract

TYPE_CHECKING = False
if TYPE_CHECKING:  # names for annotations only: `typing` is not imported at run time
    from datetime import date
    from typing import Optional

# Names people write for the API's codes: a near miss of one of these (or an ISO alpha-3 code)
# is suggested as the code. Plain data: a file with a mistake costs no library.
COUNTRY_NAMES = {
    "DE": ("Germany", "Deutschland", "DEU", "GER"), "AT": ("Austria", "Österreich", "AUT"),
    "BE": ("Belgium", "BEL"), "CA": ("Canada", "CAN"), "DK": ("Denmark", "DNK"), "NL": ("Netherlands", "NLD"),
    "EE": ("Estonia", "EST"), "FI": ("Finland", "FIN"), "FR": ("France", "FRA"), "IT": ("Italy", "ITA"),
    "NZ": ("NewZealand", "NZL"), "ES": ("Spain", "ESP"), "SE": ("Sweden", "SWE"),
    "CH": ("Switzerland", "Schweiz", "CHE"), "US": ("USA", "UnitedStates", "America")}
STATE_NAMES = {
    "BW": ("BadenWuerttemberg", "BadenWürttemberg"), "BY": ("Bayern", "Bavaria"), "ST": ("SachsenAnhalt",),
    "MV": ("MecklenburgVorpommern",), "BE": ("Berlin",), "BB": ("Brandenburg",), "HE": ("Hessen", "Hesse"),
    "NW": ("NordrheinWestfalen", "NRW"), "RP": ("RheinlandPfalz",), "SL": ("Saarland",),
    "SN": ("Sachsen", "Saxony"), "TH": ("Thueringen", "Thüringen", "Thuringia"), "SH": ("SchleswigHolstein",),
    "HH": ("Hamburg",), "NI": ("Niedersachsen", "LowerSaxony"), "HB": ("Bremen",)}


class Region(Record):
    """A country of the API's list and, for Germany, perhaps one of its states."""

    country: str
    state: Optional[str] = None

    @property
    def code(self) -> str:
        return f"{self.country}-{self.state}" if self.state else self.country


def split(text: str) -> tuple[str, Optional[str]]:
    """`de-by` → (`DE`, `BY`); `US` → (`US`, None). Codes are read in any case."""
    country, _, state = text.upper().partition("-")
    return country, state or None


def region(text: str) -> Optional[Region]:
    """The region a statement names, or None when it is not one the API takes."""
    country, state = split(text)
    if country not in contract.HOLIDAY_COUNTRIES:
        return None
    if state is not None and (country != contract.STATE_COUNTRY or state not in contract.GERMAN_STATES):
        return None
    return Region(country, state)


def suggest(text: str, codes: tuple[str, ...], names: dict) -> Optional[str]:
    """The code `text` probably means: a name of it (near enough), else None."""
    import difflib

    key = text.replace(" ", "").replace("-", "").replace("_", "").lower()
    by_name = {name.lower(): code for code, spelt in names.items() for name in spelt}
    if key in by_name:
        return by_name[key]
    close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.8) if len(key) > 3 else []
    return by_name[close[0]] if close else None


def country_zones(country: str) -> frozenset[str]:
    """The zones `zone.tab` lists for a country (ISO 3166 code)."""
    return _country_zones().get(country, frozenset())


@functools.lru_cache(maxsize=None)
def _country_zones() -> dict[str, frozenset[str]]:
    from . import tzdb

    found: dict[str, set[str]] = {}
    for line in tzdb.text("zone.tab").splitlines():
        if line and not line.startswith("#"):
            parts = line.split("\t")
            found.setdefault(parts[0], set()).add(parts[2])
    return {k: frozenset(v) for k, v in found.items()}


# ---- dates (the `holidays` package, loaded on first need)
def dates(where: Region, first: date, last: date) -> dict[date, str]:
    """The public holidays of `where` from `first` to `last` (both included): date → name."""
    found: dict = {}
    for year in range(first.year, last.year + 1):
        for day, name in _year(where, year):
            if first <= day <= last:
                found[day] = name
    return found


def upcoming(where: Region, after: date, count: int = 5) -> list[tuple[date, str]]:
    """The next `count` public holidays of `where` from `after` on (that day included)."""
    found: list = []
    year = after.year
    while len(found) < count and year <= after.year + 2:
        found += [(d, name) for d, name in _year(where, year) if d >= after]
        year += 1
    return found[:count]


@functools.lru_cache(maxsize=64)
def _year(where: Region, year: int) -> tuple[tuple[date, str], ...]:
    import holidays

    try:
        table = holidays.country_holidays(where.country, subdiv=where.state, years=year, language="en_US")
    except NotImplementedError:  # a country or state the package does not know: no dates to show
        return ()
    # One date may hold two holidays: the package joins their names with "; ".
    return tuple(sorted((day, str(name)) for day, name in table.items()))


__all__ = ["COUNTRY_NAMES", "Region", "STATE_NAMES", "country_zones", "dates", "region", "split", "suggest",
           "upcoming"]
