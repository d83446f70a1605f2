"""`schedc explain`: concrete weeks across clock changes, the grid, the SVG, the team view and
the clock-change lints SC130/SC131. Expected moments are computed here with zoneinfo, apart
from schedc's own arithmetic."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

import schedc
from schedc.explain import week as explain, grid as explain_grid, svg as explain_svg

UTC = timezone.utc
SNAPSHOTS = Path(__file__).parent / "explain"
SVG = "{http://www.w3.org/2000/svg}"

# The windows of WEEK below, per weekday, with the overnight Saturday range already split, as
# `compile` sends them: with the default end of day, midnight that ends a day is 23:59.
WEEK = """user Ana Lima <ana@example.com> tz {zone}
Mon-Fri 08:00-12:00, 13:00-18:30
Sat 21:00-00:30
Sun 10:00-11:15
meeting 45min
"""
WINDOWS = {0: [(480, 720), (780, 1110)], 1: [(480, 720), (780, 1110)], 2: [(480, 720), (780, 1110)],
           3: [(480, 720), (780, 1110)], 4: [(480, 720), (780, 1110)], 5: [(1260, 1439)],
           6: [(0, 30), (600, 675)]}


def expected_intervals(zone: str, view: str, day: date) -> list[tuple[datetime, datetime]]:
    """The week containing `day` in zone `view`, independently: wall times of `zone` made aware,
    then cut to the viewer's Monday-to-Monday."""
    z, v = ZoneInfo(zone), ZoneInfo(view)
    monday = day - timedelta(days=day.weekday())
    low = datetime.combine(monday, time(), tzinfo=v).astimezone(UTC)
    high = datetime.combine(monday + timedelta(days=7), time(), tzinfo=v).astimezone(UTC)
    found = []
    for k in range(-2, 9):
        d = monday + timedelta(days=k)
        for start, end in WINDOWS[d.weekday()]:
            a = datetime.combine(d, time(start // 60, start % 60), tzinfo=z).astimezone(UTC)
            e_day, e_min = (d + timedelta(days=1), 0) if end == 1440 else (d, end)
            b = datetime.combine(e_day, time(e_min // 60, e_min % 60), tzinfo=z).astimezone(UTC)
            a, b = max(a, low), min(b, high)
            if a < b:
                found.append((a, b))
    return sorted(found)


def iso(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


CASES = [  # (schedule zone, viewer zone, a day of the week shown)
    ("Europe/London", "America/New_York", date(2026, 3, 9)),  # New York has moved, London not yet
    ("Europe/London", "America/New_York", date(2026, 3, 29)),  # London moves on this Sunday
    ("Europe/London", "America/New_York", date(2026, 10, 28)),  # London is back, New York not yet
    ("America/New_York", "Europe/London", date(2026, 11, 1)),  # New York goes back on this Sunday
    ("Europe/Berlin", "Australia/Sydney", date(2026, 4, 1)),  # Sydney leaves summer time on Apr 5
    ("Australia/Sydney", "Europe/Berlin", date(2026, 10, 4)),  # Sydney starts summer time
    ("Europe/Berlin", "Asia/Kolkata", date(2027, 3, 28)),
    ("Australia/Sydney", "Asia/Kathmandu", date(2027, 4, 4)),
    ("Asia/Kathmandu", "Europe/London", date(2026, 10, 25)),
    ("Asia/Kolkata", "America/New_York", date(2027, 3, 14)),
    ("America/New_York", "Australia/Sydney", date(2027, 11, 7)),
    ("Asia/Kathmandu", None, date(2027, 1, 6)),
    ("Europe/London", None, date(2026, 10, 25)),
]


@pytest.mark.parametrize("zone, view, day", CASES, ids=lambda c: str(c))
def test_json_gives_the_exact_intervals_of_a_concrete_week(schedc, tmp_path, zone, view, day):
    (tmp_path / "ana.sched").write_text(WEEK.format(zone=zone))
    args = ["explain", "ana.sched", "--week", day.isoformat(), "--json"] + (["--in", view] if view else [])
    done = schedc(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "SC130" not in done.stderr and "SC131" not in done.stderr  # no window touches a clock change
    shown = json.loads(done.stdout)
    monday = day - timedelta(days=day.weekday())
    assert shown["week"] == {"from": monday.isoformat(), "to": (monday + timedelta(days=6)).isoformat()}
    assert shown["zone"] == zone and shown.get("in") == view
    expected = expected_intervals(zone, view or zone, day)
    got = [(i["utc"]["start"], i["utc"]["end"]) for i in shown["intervals"]]
    assert got == [(a.isoformat().replace("+00:00", "Z"), b.isoformat().replace("+00:00", "Z")) for a, b in expected]
    assert [(i["zone"]["start"], i["zone"]["end"]) for i in shown["intervals"]] == \
        [(iso(a, zone), iso(b, zone)) for a, b in expected]
    if view:
        assert [(i["in"]["start"], i["in"]["end"]) for i in shown["intervals"]] == \
            [(iso(a, view), iso(b, view)) for a, b in expected]
    else:
        assert all("in" not in i for i in shown["intervals"])
    assert [i["minutes"] for i in shown["intervals"]] == [int((b - a).total_seconds()) // 60 for a, b in expected]
    # Each day's bookable minutes: the intervals' time inside that day of the zone shown.
    v = ZoneInfo(view or zone)
    for k, entry in enumerate(shown["days"]):
        d = monday + timedelta(days=k)
        lo = datetime.combine(d, time(), tzinfo=v).astimezone(UTC)
        hi = datetime.combine(d + timedelta(days=1), time(), tzinfo=v).astimezone(UTC)
        minutes = sum(max(0, int((min(b, hi) - max(a, lo)).total_seconds()) // 60) for a, b in expected)
        assert (entry["date"], entry["minutes"]) == (d.isoformat(), minutes)
    assert shown["total"]["minutes"] == sum(i["minutes"] for i in shown["intervals"])


def test_meetings_fit_back_to_back_and_count_on_the_day_they_start(schedc, tmp_path):
    (tmp_path / "ana.sched").write_text(WEEK.format(zone="Europe/London"))
    shown = json.loads(schedc("explain", "ana.sched", "--week", "2026-06-10", "--json", cwd=tmp_path).stdout)
    # 08:00-12:00 holds 5 of 45 min, 13:00-18:30 holds 7; Sat 21:00-23:59 (as compile sends it) 3,
    # Sun 00:00-00:30 none, 10:00-11:15 one.
    assert [d["meetings"] for d in shown["days"]] == [12, 12, 12, 12, 12, 3, 1]
    assert shown["total"] == {"minutes": 5 * 570 + 179 + 30 + 75, "meetings": 64}
    assert shown["meeting_minutes"] == 45


def test_a_window_crossing_the_viewers_midnight_moves_to_the_right_day(schedc, tmp_path):
    (tmp_path / "ana.sched").write_text("tz Europe/London\nMon 20:00-23:00\nmeeting 1h\n")
    shown = json.loads(schedc("explain", "ana.sched", "--in", "Asia/Tokyo", "--week", "2026-07-01", "--json",
                              cwd=tmp_path).stdout)
    # 20:00-23:00 BST is 04:00-07:00 in Tokyo, on Tuesday.
    assert [i["in"] for i in shown["intervals"]] == [
        {"start": "2026-06-30T04:00:00+09:00", "end": "2026-06-30T07:00:00+09:00"}]
    assert [(d["day"], d["minutes"], d["meetings"]) for d in shown["days"] if d["minutes"]] == [("Tue", 180, 3)]
    grid = schedc("explain", "ana.sched", "--in", "Asia/Tokyo", "--week", "2026-07-01", cwd=tmp_path).stdout
    assert grid.splitlines()[5] == "Tue 30 Jun  · · · · ██████" + "· " * 17 + "     3h    3"
    assert grid.splitlines()[6] == " " * 20 + "04:00-07:00"


def test_skipped_and_repeated_times_follow_the_documented_rule(schedc, tmp_path):
    # Berlin, 2027-03-28: 02:00 jumps to 03:00. London, 2026-10-25: 01:00-02:00 happens twice.
    (tmp_path / "b.sched").write_text("tz Europe/Berlin\nSun 02:30-05:00\n")
    (tmp_path / "l.sched").write_text("tz Europe/London\nSun 00:30-01:30\n")
    b = json.loads(schedc("explain", "b.sched", "--week", "2027-03-28", "--json", cwd=tmp_path,
                          env={"SCHEDC_TODAY": "2027-01-01"}).stdout)
    assert [(i["zone"]["start"], i["zone"]["end"], i["minutes"]) for i in b["intervals"]] == [
        ("2027-03-28T03:00:00+02:00", "2027-03-28T05:00:00+02:00", 120)]
    assert b["clock_changes"] == [{"zone": "Europe/Berlin", "date": "2027-03-28", "utc": "2027-03-28T01:00:00Z",
                                   "from": "02:00", "to": "03:00"}]
    london = json.loads(schedc("explain", "l.sched", "--week", "2026-10-25", "--json", cwd=tmp_path,
                               env={"SCHEDC_TODAY": "2026-01-01"}).stdout)
    # The start is the first 00:30 (BST), the end the last 01:30 (GMT): two hours that day.
    assert [(i["zone"]["start"], i["zone"]["end"], i["minutes"]) for i in london["intervals"]] == [
        ("2026-10-25T00:30:00+01:00", "2026-10-25T01:30:00+00:00", 120)]


def test_svg_is_xml_and_its_blocks_are_the_intervals(schedc, tmp_path):
    (tmp_path / "ana.sched").write_text(WEEK.format(zone="Europe/London"))
    out = tmp_path / "week.svg"
    done = schedc("explain", "ana.sched", "--in", "Asia/Kathmandu", "--week", "2026-10-21", "--svg", str(out),
                  cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "window"]
    kathmandu = ZoneInfo("Asia/Kathmandu")
    pieces = []  # the expected intervals cut at Kathmandu's midnights
    for a, b in expected_intervals("Europe/London", "Asia/Kathmandu", date(2026, 10, 21)):
        a, b = a.astimezone(kathmandu), b.astimezone(kathmandu)
        while a < b:
            midnight = datetime.combine(a.date() + timedelta(days=1), time(), tzinfo=kathmandu)
            pieces.append((a, min(b, midnight)))
            a = min(b, midnight)
    assert [(r.get("data-start"), r.get("data-end")) for r in rects] == \
        [(a.isoformat(timespec="seconds"), b.isoformat(timespec="seconds")) for a, b in pieces]
    monday = date(2026, 10, 19)
    for rect, (a, b) in zip(rects, pieces):
        column = (a.date() - monday).days
        start = a.hour * 60 + a.minute
        end = 1440 if b.time() == time() and b.date() != a.date() else b.hour * 60 + b.minute
        assert float(rect.get("x")) == 48 + column * 96 + 4
        assert float(rect.get("y")) == 64 + start / 2
        assert float(rect.get("height")) == (end - start) / 2
        assert rect.find(f"{SVG}title").text == f"{start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


def _snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SCHEDC_UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"run with SCHEDC_UPDATE_SNAPSHOTS=1 and review {path}"


def team_files(directory: Path) -> Path:
    team = directory / "team"
    team.mkdir()
    (team / "ana.sched").write_text("user Ana Lima <ana@example.com> tz Europe/London\n"
                                    "Mon-Fri 09:00-12:00, 13:00-17:30\nWed off\nmeeting 30min\n")
    (team / "raj.sched").write_text("user Raj Patel <raj@example.com> tz Asia/Kolkata\nMon-Fri 10:00-16:00\n"
                                    "meeting 30min\n")
    (team / "sam.sched").write_text("user Sam Ortiz <sam@example.com> tz America/New_York\n"
                                    "Mon-Thu 10:00-16:00\nmeeting 30min\n")
    return team


@pytest.mark.parametrize("name, args", [
    ("london-autumn.txt", ["ana.sched", "--week", "2026-10-25"]),
    ("london-from-new-york.txt", ["ana.sched", "--week", "2026-10-28", "--in", "America/New_York"]),
    ("london-from-kathmandu.txt", ["ana.sched", "--week", "2026-03-25", "--in", "Asia/Kathmandu"]),
])
def test_grid_snapshot(schedc, tmp_path, name, args):
    (tmp_path / "ana.sched").write_text(WEEK.format(zone="Europe/London"))
    done = schedc("explain", *args, cwd=tmp_path, env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout  # no colour when stdout is not a terminal
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    _snapshot(name, done.stdout)


def test_team_view_snapshot_and_gaps(schedc, tmp_path):
    team_files(tmp_path)
    done = schedc("explain", "team", "--week", "2026-03-25", "--in", "Europe/London", cwd=tmp_path,
                  env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    _snapshot("team.txt", done.stdout)
    assert "  Wed 25 Mar  10:30-14:00\n" in done.stdout  # Ana is off, Raj has left, Sam (EDT) starts at 14:00


def test_team_json_names_who_is_bookable_and_the_gaps(schedc, tmp_path):
    team_files(tmp_path)
    shown = json.loads(schedc("explain", "team", "--week", "2026-03-25", "--in", "Europe/London", "--json",
                              cwd=tmp_path).stdout)
    assert shown["zone"] == "Europe/London"
    assert [p["name"] for p in shown["people"]] == ["Ana Lima", "Raj Patel", "Sam Ortiz"]
    wednesday = [s for s in shown["slots"] if s["start"].startswith("2026-03-25")]
    assert [(s["start"][11:16], s["end"][11:16], s["people"]) for s in wednesday] == [
        ("00:00", "04:30", []), ("04:30", "10:30", ["Raj Patel"]), ("10:30", "14:00", []),
        ("14:00", "20:00", ["Sam Ortiz"]), ("20:00", "00:00", [])]
    assert all(s["count"] == len(s["people"]) for s in shown["slots"])
    # Raj (IST) leaves at 10:30, Sam (already on summer time) starts at 14:00; Ana lunches 12:00-13:00.
    assert [(g["start"][:16], g["end"][11:16]) for g in shown["gaps"]] == [
        ("2026-03-23T12:00", "13:00"), ("2026-03-24T12:00", "13:00"), ("2026-03-25T10:30", "14:00"),
        ("2026-03-26T12:00", "13:00"), ("2026-03-27T12:00", "13:00")]
    svg = ET.fromstring(schedc("explain", "team", "--week", "2026-03-25", "--svg", "-", cwd=tmp_path).stdout)
    titles = [r.find(f"{SVG}title").text for r in svg.iter(f"{SVG}rect") if r.get("class") == "cover"]
    assert titles[:6] == ["04:30-09:00: 1 bookable: Raj Patel", "09:00-10:30: 2 bookable: Ana Lima, Raj Patel",
                          "10:30-12:00: 1 bookable: Ana Lima", "13:00-14:00: 1 bookable: Ana Lima",
                          "14:00-17:30: 2 bookable: Ana Lima, Sam Ortiz", "17:30-20:00: 1 bookable: Sam Ortiz"]


DST_FILE = """tz Europe/Berlin
Mon-Sat 09:00-17:00
Sun 01:00-02:30
meeting 30min
"""


def test_clock_change_lints_name_the_date(schedc, tmp_path):
    (tmp_path / "b.sched").write_text(DST_FILE)
    done = schedc("check", "--format", "json", "b.sched", cwd=tmp_path, env={"SCHEDC_TODAY": "2026-11-30"})
    assert done.returncode == 0
    assert [(d["code"], d["severity"], d["line"], d["column"], d["message"]) for d in json.loads(done.stdout)
            if d["code"] in ("SC130", "SC131")] == [
        ("SC131", "warning", 3, 5, "01:00-02:30 spans the repeated hour in Europe/Berlin on 2027-10-31 (Sun): clocks "
                                   "go back from 03:00 to 02:00, so that day it lasts 2h30 instead of 1h30"),
        ("SC130", "warning", 3, 11, "02:30 does not exist in Europe/Berlin on 2027-03-28 (Sun): clocks jump from "
                                    "02:00 to 03:00"),
    ]
    strict = schedc("check", "--strict", "b.sched", cwd=tmp_path, env={"SCHEDC_TODAY": "2026-11-30"})
    assert strict.returncode == 1
    earlier = schedc("check", "--format", "json", "b.sched", cwd=tmp_path, env={"SCHEDC_TODAY": "2026-03-01"})
    assert [d["message"][:47] for d in json.loads(earlier.stdout) if d["code"] in ("SC130", "SC131")] == [
        "01:00-02:30 spans the repeated hour in Europe/B", "02:30 does not exist in Europe/Berlin on 2026-0"]
    assert "2026-10-25" in earlier.stdout and "2026-03-29" in earlier.stdout


@pytest.mark.parametrize("zone, text, today, found", [
    ("America/New_York", "Sun 02:15-06:00", "2026-11-30", [("SC130", 2, 5, "02:15 does not exist in America/New_York on 2027-03-14")]),
    ("America/New_York", "Sun 00:00-01:30", "2026-11-30", [("SC131", 2, 5, "00:00-01:30 spans the repeated hour in America/New_York on 2027-11-07")]),
    ("Australia/Sydney", "Sun 01:00-02:30", "2026-11-30", [("SC131", 2, 5, "01:00-02:30 spans the repeated hour in Australia/Sydney on 2027-04-04"),
                                                           ("SC130", 2, 11, "02:30 does not exist in Australia/Sydney on 2027-10-03")]),
    ("Australia/Sydney", "Sun 02:30-03:00", "2026-11-30", [("SC130", 2, 5, "02:30 does not exist in Australia/Sydney on 2027-10-03"),
                                                           ("SC131", 2, 5, "02:30-03:00 spans the repeated hour in Australia/Sydney on 2027-04-04")]),
    ("Asia/Kolkata", "daily 00:00-24:00", "2026-11-30", []),
    ("Asia/Kathmandu", "daily 01:30-03:00", "2026-11-30", []),
    ("Europe/London", "Mon-Fri 09:00-17:00", "2026-11-30", []),
])
def test_clock_change_lints_per_zone(monkeypatch, zone, text, today, found):
    monkeypatch.setenv("SCHEDC_TODAY", today)  # the lints run with the other checks
    got = [(d.code, d.line, d.column, d.message) for d in schedc.check(f"tz {zone}\n{text}\n")
           if d.code in ("SC130", "SC131")]
    assert [(c, l, col, m[:len(expected)]) for (c, l, col, m), (_, _, _, expected) in zip(got, found)] == found
    assert len(got) == len(found)


def test_explain_shows_the_bookability_and_clock_change_warnings(schedc, tmp_path):
    (tmp_path / "b.sched").write_text("tz Europe/Berlin\nSun 01:00-02:30, 04:00-04:20\nmeeting 30min\n")
    done = schedc("explain", "b.sched", "--week", "2027-03-28", cwd=tmp_path,
                  env={"SCHEDC_TODAY": "2026-11-30", "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0
    assert "warning[SC122]: `04:00-04:20` on Sun is 20 min, shorter than the 30 min meeting" in done.stderr
    assert "warning[SC130]: 02:30 does not exist in Europe/Berlin on 2027-03-28 (Sun)" in done.stderr
    assert "Sun 28 Mar*" in done.stdout and "clocks go forward in Europe/Berlin, 02:00 -> 03:00" in done.stdout
    # That day 01:00-02:30 ends when the clocks jump, at 03:00 (one real hour: two meetings).
    assert done.stdout.splitlines()[-5:] == [
        "Sun 28 Mar* · ████· ▌ " + "· " * 19 + "   1h20    2",
        "              01:00-03:00 04:00-04:20!",
        "week: 1h20 bookable, 2 meetings of 30 min",
        "! shorter than the 30 min meeting: none fits in it",
        "* Sun 28 Mar: clocks go forward in Europe/Berlin, 02:00 -> 03:00"]
    strict = schedc("explain", "b.sched", "--strict", "--week", "2027-03-28", cwd=tmp_path,
                    env={"SCHEDC_TODAY": "2026-11-30"})
    assert strict.returncode == 1


@pytest.mark.parametrize("args, code, message", [
    (["x.sched", "--in", "Europe/Londn"], 2, "schedc: error: --in: unknown time zone `Europe/Londn`; did you mean `Europe/London`?\n"),
    (["x.sched", "--week", "next"], 2, "schedc: error: --week: `next` is not a date like 2026-03-23 (years 1900-2999)\n"),
    (["x.sched", "--week", "9999-12-31"], 2, "schedc: error: --week: `9999-12-31` is not a date like 2026-03-23 (years 1900-2999)\n"),
    (["missing.sched"], 2, "schedc: error: cannot read `missing.sched`: no such file or directory\n"),
])
def test_usage_errors_exit_2(schedc, tmp_path, args, code, message):
    (tmp_path / "x.sched").write_text("tz UTC\nMon 09:00-10:00\n")
    done = schedc("explain", *args, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (code, "", message)


def test_a_file_with_errors_or_no_zone_is_a_diagnostic(schedc, tmp_path):
    (tmp_path / "bad.sched").write_text("tz Europe/London\nMon 09:00-25:00\n")
    (tmp_path / "nozone.sched").write_text("Mon 09:00-10:00\n")
    bad = schedc("explain", "bad.sched", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("bad.sched:2:11: error[SC101]: `25:00` is not a time")
    nozone = schedc("explain", "nozone.sched", cwd=tmp_path)
    assert nozone.returncode == 1 and nozone.stdout == ""
    assert nozone.stderr.startswith("nozone.sched: error[SC202]: no time zone: explain needs one to place the week")


def test_colour_only_when_asked_and_never_with_no_color(schedc, tmp_path):
    (tmp_path / "a.sched").write_text("tz UTC\nMon 09:00-10:00\n")
    assert "\x1b[32m" in schedc("explain", "a.sched", "--color", "always", cwd=tmp_path).stdout
    assert "\x1b[" not in schedc("explain", "a.sched", cwd=tmp_path, env={"NO_COLOR": "1"}).stdout


def test_the_week_defaults_to_today(schedc, tmp_path):
    (tmp_path / "a.sched").write_text("tz UTC\nMon 09:00-10:00\n")
    # A "today" that is not a usable date: check ignores it, explain says so.
    assert schedc("check", "a.sched", cwd=tmp_path, env={"SCHEDC_TODAY": "9999-12-31"}).returncode == 0
    refused = schedc("explain", "a.sched", cwd=tmp_path, env={"SCHEDC_TODAY": "soon"})
    assert (refused.returncode, refused.stderr) == (
        2, "schedc: error: SCHEDC_TODAY: `soon` is not a date like 2026-03-23 (years 1900-2999)\n")
    shown = json.loads(schedc("explain", "a.sched", "--json", cwd=tmp_path, env={"SCHEDC_TODAY": "2027-02-04"}).stdout)
    assert shown["week"] == {"from": "2027-02-01", "to": "2027-02-07"}


ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
         "Asia/Kathmandu", "Australia/Lord_Howe", "America/Santiago"]


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=80), zone=st.sampled_from(ZONES), day=st.dates(date(2025, 1, 1), date(2028, 12, 31)))
def test_explain_never_crashes_on_arbitrary_text(text, zone, day):
    person, diagnostics = explain.load(text, "fuzz.sched")
    assert person is not None or any(d.is_error for d in diagnostics)
    if person is not None:
        w = explain.week(person, explain.monday_of(day), zone)
        assert explain_grid.person(w, in_zone=zone).endswith("\n")
        json.dumps(explain.week_json(w, zone))
        ET.fromstring(explain_svg.person(w, in_zone=zone).encode())


@settings(max_examples=60, deadline=None)
@given(given_name=st.text(min_size=1, max_size=12), family=st.text(min_size=1, max_size=12))
def test_any_name_gives_valid_xml_and_a_grid_that_cannot_drive_the_terminal(given_name, family):
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    text = f"user {quote(given_name)} {quote(family)} <ana@example.com> tz Europe/London\nMon 09:00-10:00\n"
    person, diagnostics = explain.load(text, "name.sched")
    if person is None:  # a name the language does not take (a line break, say) is a diagnostic
        assert any(d.is_error for d in diagnostics)
        return
    w = explain.week(person, date(2026, 3, 23))
    ET.fromstring(explain_svg.person(w, in_zone=None).encode())
    t = explain.team([person, person], date(2026, 3, 23), "UTC")
    ET.fromstring(explain_svg.team(t).encode())
    for grid in (explain_grid.person(w, in_zone=None), explain_grid.team(t)):
        assert all(c.isprintable() for line in grid.splitlines() for c in line)


@settings(max_examples=60, deadline=None)
@given(zone=st.sampled_from(ZONES), view=st.sampled_from(ZONES), day=st.dates(date(2025, 1, 1), date(2028, 12, 31)),
       start=st.integers(0, 47), length=st.integers(1, 20))
def test_a_week_seen_from_anywhere_keeps_its_length(zone, view, day, start, length):
    """Seen from any zone, the windows of the days strictly inside the week keep their moments."""
    end = min(48, start + length)
    text = f"tz {zone}\ndaily {start // 2:02d}:{start % 2 * 30:02d}-{end // 2 % 24:02d}:{end % 2 * 30:02d}\n"
    person, _ = explain.load(text, "p.sched")
    monday = explain.monday_of(day)
    mine, theirs = explain.week(person, monday, None), explain.week(person, monday, view)
    inner = lambda w: {(i.start, i.end) for i in w.intervals if i.start > theirs.days[0].end and i.end < theirs.days[-1].start and i.start > mine.days[0].end and i.end < mine.days[-1].start}  # noqa: E731
    assert inner(mine) == inner(theirs)


# ---- docs/explain.md: its sessions and its pictures are what the tool gives
DOCS = Path(__file__).resolve().parent.parent / "docs"
ROOT = DOCS.parent
PICTURES = {  # picture → the explain arguments that draw it, run from the repository's root
    "explain-week.svg": ["examples/team/maria-garcia.sched", "--week", "2026-03-25"],
    "explain-team.svg": ["examples/team", "--in", "Europe/London", "--week", "2026-10-28"],
}


def _page_sessions() -> list[tuple[int, int, list[tuple[str, str]]]]:
    """(body start, body end, [(command, shown output)]) of each ```console block of docs/explain.md."""
    import re

    text = (DOCS / "explain.md").read_text(encoding="utf-8")
    found = []
    for match in re.finditer(r"^```console\n(.*?)^```$", text, re.M | re.S):
        pairs: list[tuple[str, list[str]]] = []
        for line in match[1].splitlines():
            if line.startswith("$ "):
                pairs.append((line[2:], []))
            else:
                pairs[-1][1].append(line)
        found.append((match.start(1), match.end(1), [(c, "\n".join(lines)) for c, lines in pairs]))
    return found


def _run_page_command(command: str, directory: Path) -> str:
    import shutil
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"SCHEDC_PYTHON": sys.executable, "PYTHONPATH": str(ROOT), "TERM": "dumb", "COLUMNS": "80",
                "PYTHONIOENCODING": "utf-8", "SCHEDC_TODAY": "2026-11-30"})
    script = f'schedc() {{ "$SCHEDC_PYTHON" -m schedc "$@"; }}\n{command}\n'
    done = subprocess.run([shutil.which("bash") or "bash", "-c", script], cwd=directory, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return done.stdout.decode("utf-8", errors="replace").rstrip("\n")


def test_explain_page_sessions_are_what_the_tool_prints(tmp_path):
    """Each `$ ` line runs in a fresh directory holding a copy of examples/, with "today" fixed at
    2026-11-30; set SCHEDC_UPDATE_SNAPSHOTS=1 to rewrite the page from the tool and review the diff."""
    import shutil

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    page = (DOCS / "explain.md").read_text(encoding="utf-8")
    updated, last = [], 0
    for start, end, pairs in _page_sessions():
        outputs = [_run_page_command(command, tmp_path) for command, _ in pairs]
        body = "".join(f"$ {command}\n" + (output + "\n" if output else "") for (command, _), output in
                       zip(pairs, outputs))
        updated += [page[last:start], body]
        last = end
        if not os.environ.get("SCHEDC_UPDATE_SNAPSHOTS"):
            assert [shown for _, shown in pairs] == outputs
    if os.environ.get("SCHEDC_UPDATE_SNAPSHOTS"):
        (DOCS / "explain.md").write_text("".join(updated) + page[last:], encoding="utf-8")


@pytest.mark.parametrize("picture", sorted(PICTURES))
def test_explain_page_pictures_are_what_the_tool_draws(schedc, picture):
    done = schedc("explain", *PICTURES[picture], "--svg", "-", cwd=ROOT, env={"SCHEDC_TODAY": "2026-11-30"})
    assert done.returncode == 0, done.stderr
    ET.fromstring(done.stdout.encode())
    if os.environ.get("SCHEDC_UPDATE_SNAPSHOTS"):
        (DOCS / picture).write_text(done.stdout, encoding="utf-8")
    assert done.stdout == (DOCS / picture).read_text(encoding="utf-8")
    assert f"]({picture})" in (DOCS / "explain.md").read_text(encoding="utf-8")


def test_stdin_a_directory_as_svg_target_and_the_team_zone(schedc, tmp_path):
    text = "user Ana Lima <ana@example.com> tz Asia/Kolkata\nMon 09:00-10:00\n"
    done = schedc("explain", "-", "--stdin-filename", "ana.sched", "--week", "2026-05-06", "--json", stdin=text,
                  cwd=tmp_path)
    shown = json.loads(done.stdout)
    assert (shown["file"], shown["intervals"][0]["utc"]) == (
        "ana.sched", {"start": "2026-05-04T03:30:00Z", "end": "2026-05-04T04:30:00Z"})
    (tmp_path / "ana.sched").write_text(text)
    (tmp_path / "out").mkdir()
    refused = schedc("explain", "ana.sched", "--svg", "out", cwd=tmp_path)
    assert (refused.returncode, refused.stderr) == (2, "schedc: error: cannot write `out`: it is a directory\n")
    both = schedc("explain", "ana.sched", "--svg", "-", "--json", cwd=tmp_path)
    assert both.returncode == 2 and both.stdout == ""
    # A team in one zone is shown in it; a team across zones in UTC unless --in says otherwise.
    (tmp_path / "raj.sched").write_text("user Raj Patel <raj@example.com> tz Asia/Kolkata\nTue 09:00-10:00\n")
    same = json.loads(schedc("explain", "ana.sched", "raj.sched", "--json", cwd=tmp_path).stdout)
    assert same["zone"] == "Asia/Kolkata"
    (tmp_path / "sam.sched").write_text("user Sam Ortiz <sam@example.com> tz America/New_York\nTue 09:00-10:00\n")
    mixed = json.loads(schedc("explain", "ana.sched", "raj.sched", "sam.sched", "--json", cwd=tmp_path).stdout)
    assert mixed["zone"] == "UTC"


def test_a_midnight_that_only_splits_an_overnight_range_is_not_a_boundary(monkeypatch):
    # In Asia/Beirut the clocks jump from 00:00 to 01:00 in March: a range written to start at
    # midnight starts at a time that does not exist, one running through midnight does not (it
    # spans the skipped hour instead, and is an hour shorter that night).
    monkeypatch.setenv("SCHEDC_TODAY", "2026-11-30")
    written = [d.message[:49] for d in schedc.check("tz Asia/Beirut\nSun 00:00-03:00\n") if d.code == "SC130"]
    assert written == ["00:00 does not exist in Asia/Beirut on 2027-03-28"]
    through = [(d.code, d.column, d.message) for d in schedc.check("tz Asia/Beirut\nSat 22:00-03:00\n")
               if d.code in ("SC130", "SC132")]
    assert through == [("SC132", 5, "00:00-03:00 spans the skipped hour in Asia/Beirut on 2027-03-28 (Sun): clocks "
                                    "jump from 00:00 to 01:00, so that day it lasts 2h instead of 3h")]


def test_a_window_cut_by_the_week_is_not_marked_short():
    # Sunday 18:00-20:00 in London (BST) is 22:45-00:45 in Kathmandu: seen from there, the week of
    # Monday 6 July starts inside the window of Sunday 5 July, which is still two hours long.
    person, _ = explain.load("tz Europe/London\nSun 18:00-20:00\nmeeting 1h\n", "p.sched")
    w = explain.week(person, date(2026, 7, 6), "Asia/Kathmandu")
    first = w.intervals[0]
    assert (explain.iso(first.start, "Asia/Kathmandu"), first.minutes, first.window, first.meetings) == (
        "2026-07-06T00:00:00+05:45", 45, 120, ())  # both meetings start on Sunday, before the week
    grid = explain_grid.person(w, in_zone="Asia/Kathmandu")
    assert "00:00-00:45 " in grid.splitlines()[5] + " " and "!" not in grid
    person, _ = explain.load("tz Europe/London\nSun 18:00-18:45\nmeeting 1h\n", "p.sched")
    w = explain.week(person, date(2026, 7, 6), "Asia/Kathmandu")
    assert "22:45-23:30!" in explain_grid.person(w, in_zone="Asia/Kathmandu")


def test_explain_honours_suppressions_select_ignore_and_strict(schedc, tmp_path):
    (tmp_path / "b.sched").write_text("tz Europe/Berlin\nSun 01:00-02:30  # schedc: ignore[SC131]\nmeeting 30min\n")
    env = {"SCHEDC_TODAY": "2026-11-30"}
    done = schedc("explain", "b.sched", "--no-config", "--week", "2027-03-28", cwd=tmp_path, env=env)
    assert done.returncode == 0
    assert [line for line in done.stderr.splitlines() if "warning[" in line] == [
        "b.sched:2:11: warning[SC130]: 02:30 does not exist in Europe/Berlin on 2027-03-28 (Sun): clocks jump "
        "from 02:00 to 03:00"]
    assert schedc("explain", "b.sched", "--no-config", "--strict", cwd=tmp_path, env=env).returncode == 1
    quiet = schedc("explain", "b.sched", "--no-config", "--strict", "--ignore", "SC130", cwd=tmp_path, env=env)
    assert (quiet.returncode, quiet.stderr) == (0, "")
    (tmp_path / "schedc.toml").write_text("strict = true\nignore = [\"SC130\"]\n")
    assert schedc("explain", "b.sched", cwd=tmp_path, env=env).stderr == ""


# The lints first ask, in whole minutes, whether any piece comes near a clock change; only then
# do they work in datetimes. That shortcut must never hide a lint the full pass would give.
_LINT_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
               "America/Santiago", "Asia/Tokyo", "Pacific/Chatham", "America/St_Johns"]
_minute = st.integers(0, 1440)


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(_LINT_ZONES), today=st.dates(date(2024, 1, 1), date(2031, 12, 31)),
       ranges=st.lists(st.tuples(st.integers(0, 6), _minute, _minute).filter(lambda r: r[1] != r[2]),
                       min_size=1, max_size=6))
def test_clock_change_shortcut_hides_no_lint(zone, today, ranges):
    from schedc.compiler import clock_changes, parser, resolve

    clock = lambda m: f"{m // 60:02d}:{m % 60:02d}"
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    text = "\n".join(f"{days[d]} {clock(a)}-{clock(b)}" for d, a, b in ranges)
    week = resolve.resolve(parser.parse(text))[0].week
    everything = clock_changes._lint(week, zone, today)
    assert clock_changes.lint(week, zone, on=today) == everything
    if everything:
        assert clock_changes._near_a_change(week, clock_changes._risky_minutes(zone, today))


def test_weekly_sampling_finds_every_clock_change_daily_sampling_finds():
    """The lints sample a zone's offset once a week: no zone changes twice within a week in the
    years the lints look at (this one and the next). For a longer look, set
    SCHEDC_ZONE_YEARS=2024-2040 (every zone agrees there too; about 6 s)."""
    import zoneinfo

    from schedc.compiler import clock_changes

    this_year = date.today().year
    first, _, last = os.environ.get("SCHEDC_ZONE_YEARS", f"{this_year}-{this_year + 1}").partition("-")
    for name in sorted(zoneinfo.available_timezones()):
        for year in range(int(first), int(last or first) + 1):
            assert clock_changes._year_transitions(name, year) == \
                clock_changes._year_transitions(name, year, timedelta(days=1)), (name, year)
