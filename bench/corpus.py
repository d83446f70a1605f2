"""Inputs for the benchmarks: distinct expressions, a repo-like workload, and a tree of files.

Everything is generated from a fixed seed, so every run (and every machine) times the same text.

- `distinct(count)`: `count` different opening-hours-style expressions, each as schedc writes it
  and as the peers write it. No text repeats, so no cache of any library can help.
- `repo_like(files, lines)`: whole `.sched` files assembled from a pool of a few hundred day-rule
  lines, the way a team's files repeat the same hours. A cache may help here, and is meant to.
- `write_tree(root, count)`: that kind of file on disk, 100 to a folder, for the scale section.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import NamedTuple

TWO_LETTER = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
FULL = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney",
         "Europe/Paris", "America/Chicago", "Asia/Kolkata"]
_RANGE = re.compile(r"\d\d:\d\d-\d\d:\d\d")
CHANNELS = ["zoom", "connect", "google", "phone", "teamsForBusiness2"]


class Expression(NamedTuple):
    schedc: str  # as schedc reads it: any day spelling, maybe `tz` clauses
    peer: str  # the same hours in OpenStreetMap syntax: two-letter days, no zone

    @property
    def overnight(self) -> bool:
        """Has a range that runs past midnight (osm-humanized-opening-hours cannot read those)."""
        return any(a > b for a, b in (r.split("-") for r in _RANGE.findall(self.peer)))


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _times(rng: random.Random, overnight: bool) -> list[tuple[int, int]]:
    """One to three ascending, separated ranges on a quarter-hour grid; maybe the last overnight."""
    count = rng.choice([1, 1, 2, 2, 2, 3])
    cuts = sorted(rng.sample(range(20, 92), count * 2))  # quarter hours from 05:00 to 22:45
    ranges = [(cuts[2 * k] * 15, cuts[2 * k + 1] * 15) for k in range(count)]
    if overnight and ranges[0][0] >= 60:  # the last range runs past midnight, ending before the first starts
        ranges[-1] = (ranges[-1][0], rng.randrange(1, ranges[0][0] // 15) * 15)
    return ranges


def _day_groups(rng: random.Random) -> list[list[int]]:
    """One to three disjoint groups of days (a rule each), each a single day, a range or a list."""
    free = list(range(7))
    groups = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        if not free:
            break
        shape = rng.choice(["range", "range", "single", "list"])
        if shape == "range":
            runs = [(a, b) for a in free for b in free if b > a and all(d in free for d in range(a, b + 1))]
            if not runs:
                shape = "single"
            else:
                a, b = rng.choice(runs)
                group = list(range(a, b + 1))
        if shape == "list" and len(free) >= 2:
            group = sorted(rng.sample(free, rng.randint(2, min(3, len(free)))))
        elif shape != "range":
            group = [rng.choice(free)]
        groups.append(group)
        free = [d for d in free if d not in group]
    return groups


def _days_text(group: list[int], names: list[str]) -> str:
    if len(group) > 2 and group == list(range(group[0], group[-1] + 1)):
        return f"{names[group[0]]}-{names[group[-1]]}"
    return ",".join(names[d] for d in group)


def _expression(rng: random.Random) -> Expression:
    names = rng.choice([TWO_LETTER, TWO_LETTER, SHORT, FULL])
    zone = rng.choice(ZONES) if rng.random() < 0.35 else None
    ours, theirs = [], []
    groups = _day_groups(rng)
    for index, group in enumerate(groups):
        if rng.random() < 0.12 and index:  # `off` for a group of its own
            ours.append(f"{_days_text(group, names)} off")
            theirs.append(f"{_days_text(group, TWO_LETTER)} off")
            continue
        # an overnight range must not run into a day of another group
        overnight = rng.random() < 0.12 and all((d + 1) % 7 not in g for g in groups if g is not group for d in group)
        ranges = ", ".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in _times(rng, overnight))
        ranges_compact = ranges.replace(", ", ",")
        tz = f" tz {zone}" if zone and index == 0 else ""
        ours.append(f"{_days_text(group, names)} {rng.choice([ranges, ranges_compact])}{tz}")
        theirs.append(f"{_days_text(group, TWO_LETTER)} {ranges_compact}")
    return Expression("; ".join(ours), "; ".join(theirs))


def distinct(count: int, seed: int = 11) -> list[Expression]:
    """`count` expressions, no two alike (in schedc's text or the peers')."""
    rng = random.Random(seed)
    seen: set[str] = set()
    found: list[Expression] = []
    while len(found) < count:
        expression = _expression(rng)
        if expression.schedc in seen or expression.peer in seen:
            continue
        seen.update(expression)
        found.append(expression)
    return found


def repo_like(files: int, lines: int = 300, seed: int = 5) -> list[str]:
    """`files` whole files built from a pool of `lines` day-rule lines (a team's repeated hours)."""
    rng = random.Random(seed)
    pool = sorted({e.schedc.split(";")[0].split(" tz ")[0] for e in distinct(lines * 2, seed=seed)})[:lines]
    texts = []
    for i in range(files):
        texts.append(
            f"# generated user {i}\n"
            f"user Person{i} Example <person{i}@example.com> tz {rng.choice(ZONES)}\n"
            f'availability "Hours of person {i}"\n'
            f"{rng.choice(pool)}\n"
            f"meeting \"Intro call\" {rng.choice(['30min', '45min', '1h'])} {rng.choice(CHANNELS)} slug intro-{i}\n")
    return texts


def write_tree(root: Path, count: int, seed: int = 7) -> None:
    """`count` realistic team files, 100 to a folder, each a little different."""
    rng = random.Random(seed)
    for i in range(count):
        folder = root / f"team{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        start = rng.choice(["07:00", "08:00", "08:30", "09:00"])
        lunch = rng.choice(["12:00-13:00", "12:30-13:30", "13:00-14:00"])
        lunch_start, lunch_end = lunch.split("-")
        (folder / f"user{i:05d}.sched").write_text(
            f"# generated user {i}\n"
            f"user Person{i} Example <person{i}@example.com> tz {rng.choice(ZONES)}\n"
            f'availability "Hours of person {i}"\n'
            f"Mon-Fri {start}-{lunch_start}, {lunch_end}-17:00\n"
            f"{rng.choice(['Wed', 'Fri', 'Mon'])} off\n"
            f"meeting \"Intro call\" {rng.choice(['30min', '45min', '1h'])} {rng.choice(CHANNELS)} slug intro-{i}\n",
            encoding="utf-8")
