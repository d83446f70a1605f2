"""Opening-hours-style expressions that schedc and both peers accept, and a file generator."""

from __future__ import annotations

import random
from pathlib import Path

# Two-letter day names and `;`-separated rules are valid schedc as well as OpenStreetMap syntax.
EXPRESSIONS = [
    "Mo-Fr 09:00-17:00",
    "Mo-Fr 08:00-12:00,13:00-17:30; Sa 08:00-12:00",
    "Mo-Sa 07:30-19:00; Su 09:00-13:00",
    "Tu-Th 08:00-11:30,12:30-16:00",
    "Mo-Fr 06:00-14:00; Sa-Su 10:00-16:00",
    "Mo 09:00-12:00; Tu 13:00-17:00; We 09:00-12:00; Th 13:00-17:00; Fr 09:00-11:00",
    "Mo-Su 08:00-20:00",
    "Mo-We 10:00-18:00; Th-Fr 10:00-20:00; Sa 10:00-14:00",
    "Mo-Fr 07:00-09:00,11:00-13:00,15:00-19:00",
    "Sa-Su 11:00-15:00",
    "Mo-Fr 08:30-12:30,13:30-17:00; Sa 09:00-12:00",
    "Mo 08:00-16:00; We 08:00-16:00; Fr 08:00-12:00",
]


def corpus(size: int) -> list[str]:
    return [EXPRESSIONS[i % len(EXPRESSIONS)] for i in range(size)]


ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
CHANNELS = ["zoom", "connect", "google", "phone", "teamsForBusiness2"]


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
