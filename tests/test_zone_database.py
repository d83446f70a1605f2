"""One zone database: names and offsets from the tzdata package, whatever the machine has, and
its release named; and `explain` counting a person once on the night the clocks go back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import tzdata

import schedc
from conftest import run_schedc
from lsp_client import Client


def fake_system_zones(tmp_path) -> dict:
    """An environment whose zone search path holds wrong data: `Europe/London` with Tokyo's
    rules, and a `Mars/Olympus` no release of tzdata has."""
    from importlib.resources import files

    root = tmp_path / "system-zoneinfo"
    (root / "Europe").mkdir(parents=True)
    (root / "Mars").mkdir()
    tokyo = files("tzdata.zoneinfo").joinpath("Asia", "Tokyo").read_bytes()
    (root / "Europe" / "London").write_bytes(tokyo)
    (root / "Mars" / "Olympus").write_bytes(tokyo)
    return {"PYTHONTZPATH": str(root)}


def test_offsets_and_names_come_from_the_package_not_the_system(tmp_path):
    env = fake_system_zones(tmp_path)
    (tmp_path / "l.sched").write_text("user Ana Lima <ana@example.com> tz Europe/London\nMon 09:00-10:00\n")
    for extra in ({}, env):  # the same hours with and without the machine's (here wrong) copy
        shown = json.loads(run_schedc("explain", "l.sched", "--week", "2026-07-06", "--json", cwd=tmp_path,
                                      env=extra).stdout)
        assert shown["intervals"][0]["utc"] == {"start": "2026-07-06T08:00:00Z", "end": "2026-07-06T09:00:00Z"}
        assert shown["tzdata"] == tzdata.IANA_VERSION
    (tmp_path / "m.sched").write_text("user Ana Lima <ana@example.com> tz Mars/Olympus\nMon 09:00-10:00\n")
    done = run_schedc("check", "--format", "json", "m.sched", cwd=tmp_path, env=env)
    assert [(d["code"], d["message"]) for d in json.loads(done.stdout)] == [
        ("SC107", "unknown time zone `Mars/Olympus`")]
    refused = run_schedc("explain", "l.sched", "--in", "Mars/Olympus", cwd=tmp_path, env=env)
    assert refused.returncode == 2 and refused.stderr.startswith("schedc: error: --in: unknown time zone `Mars/Olympus`")


def test_the_editor_hovers_the_packages_offsets_too(tmp_path):
    server = Client(env=fake_system_zones(tmp_path))
    try:
        uri = "file:///home/ana/l.sched"
        server.open(uri, "tz Europe/London\nMon 09:00-10:00\n", 1)
        value = server.request("textDocument/hover", server.at(uri, 0, 5))["contents"]["value"]
        assert value.startswith("**Europe/London**: now UTC+0") and "JST" not in value
    finally:
        assert server.close() == 0


def test_the_database_release_is_printed_with_the_version_and_in_the_team_json(tmp_path):
    done = run_schedc("--version")
    assert done.stdout == f"schedc {schedc.__version__} (tzdata {tzdata.IANA_VERSION})\n"
    for name in ("a", "b"):
        (tmp_path / f"{name}.sched").write_text(f"user {name.upper()} Lima <{name}@example.com> tz UTC\n"
                                                "Mon 09:00-10:00\n")
    team = json.loads(run_schedc("explain", "a.sched", "b.sched", "--json", "--week", "2026-07-06",
                                 cwd=tmp_path).stdout)
    assert (team["zone"], team["tzdata"]) == ("UTC", tzdata.IANA_VERSION)


NIGHT = "user Ana Lima <ana@example.com> tz Europe/London\nSun 00:30-01:00, 01:15-01:45\nmeeting 30min\n"


def test_windows_that_overlap_the_night_the_clocks_go_back_count_once(tmp_path):
    # 00:30-01:00 ends at the second 01:00 (01:00Z), 01:15-01:45 starts at the first 01:15 (00:15Z):
    # bookable from 23:30Z to 01:45Z, 2h15, in which four meetings of 30 minutes fit back to back.
    (tmp_path / "a.sched").write_text(NIGHT)
    shown = json.loads(run_schedc("explain", "a.sched", "--week", "2026-10-25", "--json", cwd=tmp_path).stdout)
    assert [(i["utc"], i["minutes"], i["meetings"]) for i in shown["intervals"]] == [
        ({"start": "2026-10-24T23:30:00Z", "end": "2026-10-25T01:45:00Z"}, 135, 4)]
    assert [(d["day"], d["minutes"], d["meetings"]) for d in shown["days"] if d["minutes"]] == [("Sun", 135, 4)]
    assert shown["total"] == {"minutes": 135, "meetings": 4}
    grid = run_schedc("explain", "a.sched", "--week", "2026-10-25", cwd=tmp_path).stdout
    assert "week: 2h15 bookable, 4 meetings of 30 min" in grid
    (tmp_path / "b.sched").write_text("user Ben Ode <ben@example.com> tz UTC\nSun 01:00-02:00\n")
    team = run_schedc("explain", "a.sched", "b.sched", "--week", "2026-10-25", cwd=tmp_path).stdout
    assert "  Ana Lima    2h15  Europe/London" in team.splitlines()
    slots = json.loads(run_schedc("explain", "a.sched", "b.sched", "--week", "2026-10-25", "--json",
                                  cwd=tmp_path).stdout)["slots"]
    assert [(s["utc"]["start"], s["utc"]["end"], s["people"]) for s in slots if s["people"]] == [
        ("2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z", ["Ana Lima"]),  # cut at midnight in the zone shown
        ("2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", ["Ana Lima"]),
        ("2026-10-25T01:00:00Z", "2026-10-25T01:45:00Z", ["Ana Lima", "Ben Ode"]),
        ("2026-10-25T01:45:00Z", "2026-10-25T02:00:00Z", ["Ben Ode"])]


# ---- no command reads the machine's zone files, whatever the search path says
WATCH = '''
import os, sys, zoneinfo
_log, _roots = os.environ["ZONE_OPENS"], tuple({*zoneinfo.TZPATH, "/usr/share/zoneinfo", "/etc/localtime"})
def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)) and os.fsdecode(args[0]).startswith(_roots):
        with open(_log, "a") as f:
            f.write(os.fsdecode(args[0]) + "\\n")
sys.addaudithook(_hook)
'''


def watched(tmp_path, extra: dict) -> tuple[dict, object]:
    """An environment whose Python notes every file it opens under a zone search path."""
    (tmp_path / "hook").mkdir(exist_ok=True)
    (tmp_path / "hook" / "sitecustomize.py").write_text(WATCH)
    log = tmp_path / "opened.txt"
    return {"PYTHONPATH": str(tmp_path / "hook"), "ZONE_OPENS": str(log), **extra}, log


def test_no_command_and_no_editor_feature_opens_the_systems_zone_files(tmp_path):
    for extra in ({}, {"PYTHONTZPATH": ""}, fake_system_zones(tmp_path)):
        env, log = watched(tmp_path, extra)
        # the watch works: the standard library's own lookup reads the search path first, and is seen
        subprocess.run([sys.executable, "-c", "import zoneinfo; zoneinfo.ZoneInfo('Europe/London')"],
                       env={**os.environ, **env}, check=True)
        if extra.get("PYTHONTZPATH"):  # the fake copy, which is there on every machine
            assert log.read_text() == f"{extra['PYTHONTZPATH']}/Europe/London\n"
        log.write_text("")
        (tmp_path / "b.sched").write_text("user Jonas Weber <jonas@example.com> tz Europe/Berlin\nholidays DE-BE\n"
                                          "Mon-Fri 09:00-17:00\nmeeting 30min\n")
        (tmp_path / "l.sched").write_text("user Ana Lima <ana@example.com> tz Europe/London\nSun 00:30-01:00\n")
        for args in (("check", "b.sched", "l.sched"), ("compile", "b.sched"),
                     ("explain", "b.sched", "--week", "2026-12-21"), ("explain", "--json", "l.sched", "--week",
                                                                      "2026-10-25"),
                     ("explain", "b.sched", "l.sched", "--in", "America/New_York", "--week", "2026-03-09"),
                     ("explain", "b.sched", "--svg", "-", "--week", "2026-03-25"), ("--version",)):
            assert run_schedc(*args, cwd=tmp_path, env=env).returncode == 0, args
        server = Client(env=env, cwd=tmp_path)
        try:
            uri = (tmp_path / "b.sched").as_uri()
            text = (tmp_path / "b.sched").read_text()
            server.open(uri, text, 1)
            for line, character in ((0, 50), (1, 10), (2, 2), (3, 9)):  # the zone, holidays, days, the meeting
                assert server.request("textDocument/hover", server.at(uri, line, character)) is not None
            server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 0, "character": 52}})
        finally:
            assert server.close() == 0
        assert log.read_text() == "", extra
