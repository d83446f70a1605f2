"""The clock-change lints against an independent oracle: SC130/SC132 fire exactly when, on a date
of the coming twelve months, a window `compile` sends starts later or lasts less than it reads,
and SC131 exactly when it lasts longer. The oracle reads the windows from `schedc compile`'s
JSON and places them with zoneinfo alone, built from the tzdata package's files (the database
schedc reads), minute by minute around each date whose offset moves: a window starts at the
first moment the clocks show its start or pass it, and ends at the last moment they show its end
(or the jump past it), as docs/explain.md says."""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime, time, timedelta, timezone
from importlib.resources import files
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import run_schedc

UTC = timezone.utc
TODAY = date(2026, 6, 15)  # no zone below changes its clocks within days of it, or of a year later
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
         "America/Santiago", "Asia/Beirut", "Pacific/Chatham", "America/St_Johns", "Europe/Dublin",
         "Antarctica/Troll", "Africa/Casablanca", "Asia/Tokyo"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SHORTER, LONGER = "starts later or lasts less", "lasts longer"
FAMILY = {"SC130": SHORTER, "SC132": SHORTER, "SC131": LONGER}
MINUTE = timedelta(minutes=1)


@functools.lru_cache(maxsize=None)
def tz(name: str) -> ZoneInfo:
    with files("tzdata.zoneinfo").joinpath(*name.split("/")).open("rb") as handle:
        return ZoneInfo.from_file(handle, key=name)


def local(moment: datetime, name: str) -> datetime:
    return moment.astimezone(tz(name)).replace(tzinfo=None)


def moves(name: str, day: date) -> bool:
    """Whether the offset changes anywhere from the day before `day` to the day after it."""
    start = datetime.combine(day - timedelta(days=1), time(), tzinfo=tz(name)).astimezone(UTC)
    return len({(start + timedelta(hours=h)).astimezone(tz(name)).utcoffset() for h in range(0, 80)}) > 1


def placed(name: str, begin: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The real (start, end) of the wall-clock window [begin, end], found minute by minute."""
    guess = begin.replace(tzinfo=tz(name)).astimezone(UTC).replace(second=0, microsecond=0)
    moments = [guess - timedelta(hours=6) + k * MINUTE for k in range(int((end - begin) / MINUTE) + 12 * 60 + 1)]
    walls = [local(m, name) for m in moments]
    start = next(m for m, w in zip(moments, walls) if w >= begin)
    shown = [m for m, w in zip(moments, walls) if w == end]
    finish = shown[-1] if shown else next(m for m, w in zip(moments, walls) if w > end)
    return start, max(start, finish)


def oracle(name: str, week: list[list[tuple[int, int]]]) -> dict[str, set[date]]:
    """For each kind of change, the dates on which some window has it."""
    found: dict[str, set[date]] = {SHORTER: set(), LONGER: set()}
    day = TODAY
    while day < TODAY.replace(year=TODAY.year + 1):
        if moves(name, day):
            for start, end in week[day.weekday()]:
                midnight = datetime.combine(day, time())
                begin, finish = midnight + start * MINUTE, midnight + end * MINUTE
                real_start, real_end = placed(name, begin, finish)
                lasts, reads = (real_end - real_start) / MINUTE, end - start
                if local(real_start, name) != begin or lasts < reads:
                    found[SHORTER].add(day)
                elif lasts > reads:
                    found[LONGER].add(day)
        day += timedelta(days=1)
    return found


def windows(body: dict) -> list[list[tuple[int, int]]]:
    """Each day's windows of a compiled request, touching ranges merged (as explain merges them)."""
    def minutes(text: str) -> int:
        return int(text[:2]) * 60 + int(text[3:])

    week = []
    for key in KEYS:
        merged: list[list[int]] = []
        for hours in sorted((minutes(h["start"]), minutes(h["end"])) for h in body["availability"]["schedule"][key]["hours"]):
            if merged and hours[0] <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hours[1])
            else:
                merged.append(list(hours))
        week.append([(a, b) for a, b in merged])
    return week


def lints(tmp_path, name: str, rules: list[str], end_of_day: str) -> tuple[dict, list[list[tuple[int, int]]]]:
    (tmp_path / "a.sched").write_text(f"user Ana Lima <ana@example.com> tz {name}\n" + "\n".join(rules) + "\n")
    env = {"SCHEDC_TODAY": TODAY.isoformat()}
    checked = run_schedc("check", "--format", "json", "-q", "--end-of-day", end_of_day, "a.sched", cwd=tmp_path,
                         env=env)
    compiled = run_schedc("compile", "--end-of-day", end_of_day, "a.sched", cwd=tmp_path, env=env)
    assume(compiled.returncode == 0)  # ranges that overlap (an overnight one and the next day's)
    found: dict[str, set[date]] = {SHORTER: set(), LONGER: set()}
    for d in json.loads(checked.stdout):
        if d["code"] in FAMILY:
            found[FAMILY[d["code"]]].add(date.fromisoformat(re.search(r" on (\d{4}-\d\d-\d\d) ", d["message"])[1]))
    return found, windows(json.loads(compiled.stdout))


_MINUTES = st.one_of(st.sampled_from([0, 30, 60, 75, 90, 120, 135, 150, 165, 180, 210, 225, 240, 1380, 1410, 1440]),
                     st.integers(0, 96).map(lambda k: 15 * k))
_RULE = st.tuples(st.integers(0, 6), _MINUTES, _MINUTES).filter(lambda r: r[1] != r[2] and r[1] < 1440 and r[2] > 0)


def _text(rule: tuple[int, int, int]) -> str:
    day, start, end = rule
    return f"{DAYS[day]} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(ZONES), rules=st.lists(_RULE, min_size=1, max_size=3, unique_by=lambda r: r[0]), end_of_day=st.sampled_from(["23:59", "24:00"]))
@example(name="Europe/London", rules=[(6, 30, 60)], end_of_day="23:59")  # ends where the repeated hour begins
@example(name="Europe/Berlin", rules=[(6, 60, 240)], end_of_day="23:59")  # spans the skipped hour
@example(name="Europe/Berlin", rules=[(6, 0, 120)], end_of_day="23:59")  # ends where the jump begins: no change
@example(name="Europe/London", rules=[(6, 30, 60), (6, 75, 105)], end_of_day="23:59")  # overlapping that night
@example(name="America/Santiago", rules=[(5, 1320, 1440)], end_of_day="24:00")  # to midnight, which repeats
@example(name="America/Santiago", rules=[(5, 1320, 1440)], end_of_day="23:59")
@example(name="Asia/Beirut", rules=[(5, 1320, 180)], end_of_day="23:59")  # through a jump at midnight
@example(name="Antarctica/Troll", rules=[(6, 0, 150)], end_of_day="23:59")  # a two-hour jump
@example(name="Pacific/Chatham", rules=[(6, 165, 240)], end_of_day="23:59")  # 02:45 jumps to 03:45
def test_the_lints_fire_exactly_when_a_window_changes(tmp_path, name, rules, end_of_day):
    found, week = lints(tmp_path, name, [_text(r) for r in rules], end_of_day)
    expected = oracle(name, week)
    assert {kind for kind, dates in found.items() if dates} == {kind for kind, dates in expected.items() if dates}
    for kind, dates in found.items():  # each message names a date on which its window really changes
        assert dates <= expected[kind], (kind, dates, expected[kind])
