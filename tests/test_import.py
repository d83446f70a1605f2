"""`schedc import`: a POST /v4/user body back to .sched text, and `compile(import(j)) == j`."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedc
from conftest import EXAMPLES

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def body(**days) -> dict:
    """A request whose schedule has the given days' hours (others disabled)."""
    schedule = {}
    for key in DAYS:
        hours = [{"start": s, "end": e} for s, e in days.get(key, [])]
        schedule[key] = {"enabled": bool(hours), "hours": hours}
    return {"email": "ana@example.com", "givenName": "Ana", "familyName": "Lima", "timezone": "Europe/Lisbon",
            "availability": {"name": "Hours", "timezone": "Europe/Lisbon", "schedule": schedule}}


def roundtrip(data: dict, **options) -> dict:
    imported = schedc.import_json(json.dumps(data))
    assert imported.text is not None, imported.diagnostics
    return schedc.compile(imported.text, **options).to_dict()


@pytest.mark.parametrize("golden", sorted(EXAMPLES.glob("**/*.json")), ids=lambda p: p.stem)
def test_every_example_request_survives_the_round_trip(golden):
    data = json.loads(golden.read_text(encoding="utf-8"))
    assert roundtrip(data) == data


def test_days_with_equal_hours_are_grouped(schedc):
    data = body(**{d: [("09:00", "12:00"), ("13:00", "17:00")] for d in DAYS[:5] if d != "wednesday"},
                saturday=[("10:00", "12:00")], sunday=[("10:00", "12:00")])
    done = schedc("import", "-", stdin=json.dumps(data, indent=2))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ('user Ana Lima <ana@example.com> tz Europe/Lisbon\n'
                           'availability "Hours"\n'
                           'Mon-Tue,Thu-Fri 09:00-12:00, 13:00-17:00\n'
                           'Sat-Sun 10:00-12:00\n')


def test_an_end_of_2359_is_kept_as_written():
    data = body(friday=[("18:00", "23:59")], saturday=[("00:00", "02:00")])
    assert "Fri 18:00-23:59\nSat 00:00-02:00\n" in schedc.import_json(json.dumps(data)).text
    assert roundtrip(data) == data


def test_an_end_of_2400_is_kept_and_needs_the_24_00_option():
    data = body(monday=[("20:00", "24:00")])
    imported = schedc.import_json(json.dumps(data))
    assert [d.code for d in imported.diagnostics] == ["SC406"]
    assert "Mon 20:00-24:00\n" in imported.text
    assert roundtrip(data, end_of_day="24:00") == data


def test_a_different_availability_zone_and_a_nameless_availability():
    data = body(monday=[("09:00", "17:00")])
    data["availability"]["timezone"] = "Europe/Paris"
    del data["availability"]["name"]
    data["meetingType"] = {"duration": 90, "channel": "teamsForBusiness2"}
    text = schedc.import_json(json.dumps(data)).text
    assert text == ("user Ana Lima <ana@example.com> tz Europe/Lisbon\ntz Europe/Paris\nMon 09:00-17:00\n"
                    "meeting 90min teamsForBusiness2\n")
    assert roundtrip(data) == data


def test_hours_out_of_order_are_sorted_with_a_warning():
    data = body(monday=[("13:00", "17:00"), ("09:00", "12:00")])
    imported = schedc.import_json(json.dumps(data))
    assert [(d.code, d.message) for d in imported.diagnostics] == [
        ("SC404", "`availability.schedule.monday.hours`: the hours are not in order of their start")]
    assert "Mon 09:00-12:00, 13:00-17:00\n" in imported.text


BAD = """{
  "email": "ana@example.com",
  "givenName": "Ana",
  "familyName": "Lima",
  "timezone": "Europe/Lisbon",
  "availability": {
    "timezone": "Europe/Londn",
    "schedule": {
      "monday": {"enabled": true, "hours": [{"start": "09:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]},
      "tuesday": {"enabled": true, "hours": []},
      "wednesday": {"enabled": false, "hours": [{"start": "09:00", "end": "10:00"}]},
      "thursday": {"enabled": false, "hours": []},
      "friday": {"enabled": true, "hours": [{"start": "18:00", "end": "00:00"}]},
      "saturday": {"enabled": false, "hours": []},
      "sunday": {"enabled": false, "hours": []}
    }
  }
}
"""


def test_semantic_problems_name_the_json_path_and_place(tmp_path, schedc):
    (tmp_path / "bad.json").write_text(BAD)
    done = schedc("import", "bad.json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    headers = [line for line in done.stderr.splitlines() if line.startswith("bad.json:")]
    assert headers == [
        "bad.json:7:17: error[SC107]: `availability.timezone`: unknown time zone `Europe/Londn`",
        "bad.json:9:81: error[SC102]: `availability.schedule.monday.hours[1]`: `11:00-13:00` overlaps `09:00-12:00`",
        "bad.json:10:30: error[SC104]: `availability.schedule.tuesday.enabled`: `tuesday` is enabled but has no hours",
        "bad.json:11:48: error[SC403]: `availability.schedule.wednesday.hours`: `wednesday` is disabled but lists hours",
        "bad.json:13:45: error[SC103]: `availability.schedule.friday.hours[0]`: `18:00-00:00` ends before it starts",
    ]
    assert done.stderr.startswith(
        "bad.json:7:17: error[SC107]: `availability.timezone`: unknown time zone `Europe/Londn`\n"
        "  |\n"
        '7 |     "timezone": "Europe/Londn",\n'
        "  |                 ^^^^^^^^^^^^^^\n"
        "  |\n"
        "help: did you mean `Europe/London`?\n\n")


def test_shape_problems_name_the_json_path():
    data = body(monday=[("09:00", "25:00")])
    data["email"] = 7
    data["availability"]["schedule"]["monday"]["hours"][0]["stop"] = "x"
    del data["availability"]["schedule"]["sunday"]
    data["meetingType"] = {"duration": "45", "channel": "teams", "slug": "Intro Call"}
    found = schedc.import_json(json.dumps(data, indent=2), "u.json").diagnostics
    assert [(d.code, d.message, d.line, d.column) for d in found] == [
        ("SC402", "`email`: expected a string, found a number", 2, 12),
        ("SC402", "`availability.schedule`: missing field `sunday`", 9, 17),
        ("SC101", "`availability.schedule.monday.hours[0].end`: `25:00` is not a time", 15, 20),
        ("SC402", "unknown field `availability.schedule.monday.hours[0].stop`", 16, 13),
        ("SC402", "`meetingType.duration`: expected a whole number, found a string", 43, 17),
        ("SC108", "`meetingType.channel`: unknown channel `teams`", 44, 16),
        ("SC110", "`meetingType.slug`: slug `Intro Call` is not URL-friendly", 45, 13),
    ]
    assert found[5].help == "did you mean `teamsForBusiness2`?"
    assert found[6].help.startswith("did you mean `intro-call`?")


def test_invalid_json_points_at_the_character(schedc):
    done = schedc("import", "-", stdin='{"email": "a@example.com",\n  }')
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("<stdin>:1:26: error[SC401]: not valid JSON: illegal trailing comma before "
                                  "end of object\n")  # the same words on every Python (3.13's)
    listed = schedc("import", "-", stdin='{"email": "a@example.com", "x": [1, 2 , ]}')
    assert listed.stderr.startswith("<stdin>:1:39: error[SC401]: not valid JSON: illegal trailing comma before "
                                    "end of array\n")
    missing = schedc("import", "-", stdin='{"email": "a@example.com" "givenName": "Ana"}')
    assert missing.stderr.startswith("<stdin>:1:27: error[SC401]: not valid JSON: expecting ',' delimiter\n")


def test_a_meeting_without_duration_cannot_be_written():
    data = body(monday=[("09:00", "12:00")])
    data["meetingType"] = {"name": "Intro"}
    found = schedc.import_json(json.dumps(data)).diagnostics
    assert [d.code for d in found] == ["SC405"]


def test_a_missing_file_exits_2(schedc):
    done = schedc("import", "nope.json")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "schedc: error: cannot read `nope.json`: no such file or directory\n"


# ---- generated requests
def _times(draw) -> list[tuple[str, str]]:
    cuts = sorted(draw(st.sets(st.integers(0, 1439), min_size=0, max_size=6)))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return [(f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}") for a, b in pairs]


NAMES = st.sampled_from(["Ana", "John", "Anna Maria", "van der Berg", 'O"Neil', "back\\slash", "Zoë", "Li-Na"])
ZONES = st.sampled_from(["Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC"])


@st.composite
def requests(draw) -> dict:
    data = {"email": draw(st.sampled_from(["ana@example.com", "j.smith+x@example.org"])),
            "givenName": draw(NAMES), "familyName": draw(NAMES), "timezone": draw(ZONES)}
    if draw(st.booleans()):
        schedule = {key: {"enabled": False, "hours": []} for key in DAYS}
        for key in draw(st.sets(st.sampled_from(DAYS), min_size=1)):
            hours = _times(draw) or [("09:00", "17:00")]
            schedule[key] = {"enabled": True, "hours": [{"start": s, "end": e} for s, e in hours]}
        availability = {"name": draw(NAMES)} if draw(st.booleans()) else {}
        availability.update(timezone=draw(st.sampled_from([data["timezone"], "Asia/Kolkata"])), schedule=schedule)
        data["availability"] = availability
    if draw(st.booleans()):
        meeting = {}
        if draw(st.booleans()):
            meeting["name"] = draw(NAMES)
        meeting["duration"] = draw(st.integers(5, 480))
        if draw(st.booleans()):
            meeting["slug"] = draw(st.sampled_from(["intro", "call-2", "a-b-c"]))
        if draw(st.booleans()):
            meeting["channel"] = draw(st.sampled_from(["zoom", "teamsForBusiness2", "phone-incoming", "local"]))
        data["meetingType"] = meeting
    return data


@settings(max_examples=150, deadline=None)
@given(requests())
def test_compile_of_import_gives_the_request_back(data):
    assert roundtrip(data) == data
