"""What schedules mean: the weekly hours a file compiles to (DESIGN §2, §3, §5, §8)."""

from __future__ import annotations

import pytest

import schedc

WHO = dict(email="ana@example.com", given_name="Ana", family_name="Lima", timezone="Europe/Lisbon")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def week(text: str, **options) -> dict[str, list[str]]:
    """The compiled schedule as {day: ["09:00-17:00", ...]} for enabled days only."""
    request = schedc.compile(text, **{**WHO, **options})
    schedule = request.to_dict()["availability"]["schedule"]
    assert list(schedule) == list(DAYS)
    for day in schedule.values():
        assert day["enabled"] == bool(day["hours"])
    return {d: [f"{h['start']}-{h['end']}" for h in v["hours"]] for d, v in schedule.items() if v["enabled"]}


def codes(text: str, **options) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in schedc.check(text, **options)]


@pytest.mark.parametrize("days, expected", [
    ("Mon", ["monday"]),
    ("mo", ["monday"]),
    ("MONDAY", ["monday"]),
    ("Mon-Wed", ["monday", "tuesday", "wednesday"]),
    ("Fri-Mon", ["friday", "saturday", "sunday", "monday"]),
    ("Mon,Wed,Fri", ["monday", "wednesday", "friday"]),
    ("Mon-Wed,Fri", ["monday", "tuesday", "wednesday", "friday"]),
    ("weekdays", ["monday", "tuesday", "wednesday", "thursday", "friday"]),
    ("Weekends", ["saturday", "sunday"]),
    ("daily", list(DAYS)),
    ("Su-Tu", ["sunday", "monday", "tuesday"]),
    ("thursday-Saturday", ["thursday", "friday", "saturday"]),
])
def test_day_spellings(days, expected):
    assert set(week(f"{days} 09:00-10:00")) == set(expected)


def test_the_design_one_liner():
    text = "Mon-Tue 09:00-12:00,13:00-17:00 tz Europe/London; 45min connect"
    request = schedc.compile(text, email="j@example.com", given_name="J", family_name="S")
    assert request.to_dict() == {
        "email": "j@example.com", "givenName": "J", "familyName": "S", "timezone": "Europe/London",
        "availability": {"timezone": "Europe/London", "schedule": {
            d: ({"enabled": True, "hours": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]}
                if d in ("monday", "tuesday") else {"enabled": False, "hours": []}) for d in DAYS}},
        "meetingType": {"duration": 45, "channel": "connect"},
    }


def test_rules_apply_in_order_times_add_and_off_clears():
    assert week("Mon-Fri 09:00-17:00; Wed off") == {d: ["09:00-17:00"] for d in DAYS[:5] if d != "wednesday"}
    assert week("Wed off; Mon-Fri 09:00-17:00") == {d: ["09:00-17:00"] for d in DAYS[:5]}
    assert week("Mon 13:00-17:00\nMon 09:00-12:00\nSat closed") == {"monday": ["09:00-12:00", "13:00-17:00"]}


def test_ranges_are_sorted_and_h_mm_is_padded():
    assert week("Mon 14:00-15:00, 9:00-9:30") == {"monday": ["09:00-09:30", "14:00-15:00"]}


def test_midnight_ends():
    assert week("Mon 18:00-24:00") == {"monday": ["18:00-23:59"]}
    assert week("Mon 18:00-00:00") == {"monday": ["18:00-23:59"]}
    assert week("Mon 00:00-00:00") == {"monday": ["00:00-23:59"]}
    assert week("Mon 18:00-00:00", end_of_day="24:00") == {"monday": ["18:00-24:00"]}


def test_overnight_ranges_split_at_midnight_and_sunday_wraps_to_monday():
    assert week("Mon 22:00-02:00") == {"monday": ["22:00-23:59"], "tuesday": ["00:00-02:00"]}
    assert week("Sun 23:00-01:30", end_of_day="24:00") == {"sunday": ["23:00-24:00"], "monday": ["00:00-01:30"]}


def test_off_clears_what_lies_on_its_days_at_that_point():
    # DESIGN §8.3: the overnight half on Tuesday survives `Mon off`.
    assert week("Mon 22:00-02:00; Mon off") == {"tuesday": ["00:00-02:00"]}


def test_day_repeated_in_one_rule_counts_once_with_a_warning():
    assert week("Mon-Fri,Wed 09:00-10:00") == {d: ["09:00-10:00"] for d in DAYS[:5]}
    assert codes("Mon-Fri,Wed 09:00-10:00 tz UTC\nuser Ana Lima <ana@example.com>") == [("SC126", 1, 9)]


def test_mon_mon_is_one_day_with_a_warning():
    assert week("Mon-Mon 09:00-10:00") == {"monday": ["09:00-10:00"]}
    assert codes("Mon-Mon 09:00-10:00 tz UTC\nuser Ana Lima <ana@example.com>") == [("SC125", 1, 1)]


def test_zones_default_each_other():
    user_only = schedc.compile("user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon 09:00-10:00")
    assert (user_only.timezone, user_only.availability.timezone) == ("Europe/Lisbon", "Europe/Lisbon")
    availability_only = schedc.compile("user Ana Lima <ana@example.com>\nMon 09:00-10:00 tz Asia/Tokyo")
    assert (availability_only.timezone, availability_only.availability.timezone) == ("Asia/Tokyo", "Asia/Tokyo")
    both = schedc.compile("user Ana Lima <ana@example.com> tz Europe/London\ntz Europe/Paris\nMon 09:00-10:00")
    assert (both.timezone, both.availability.timezone) == ("Europe/London", "Europe/Paris")


def test_only_what_the_source_gives_is_emitted():
    body = schedc.compile("user Ana Lima <ana@example.com> tz UTC").to_dict()
    assert body == {"email": "ana@example.com", "givenName": "Ana", "familyName": "Lima", "timezone": "UTC"}
    body = schedc.compile("user Ana Lima <ana@example.com> tz UTC; 30min").to_dict()
    assert body["meetingType"] == {"duration": 30}
    assert "availability" not in body


@pytest.mark.parametrize("written, minutes", [
    ("45min", 45), ("45m", 45), ("1h", 60), ("1h30", 90), ("1h30m", 90), ("90min", 90), ("2H", 120), ("1h05min", 65),
])
def test_duration_forms(written, minutes):
    assert schedc.compile(f"user A B <a@example.com> tz UTC; {written}").meetingType.duration == minutes


def test_meeting_statement_with_every_part():
    body = schedc.compile('user A B <a@example.com> tz UTC\nMeeting "Intro Call" 30min TEAMSFORBUSINESS2 SLUG intro-call')
    assert body.to_dict()["meetingType"] == {"name": "Intro Call", "duration": 30, "slug": "intro-call",
                                             "channel": "teamsForBusiness2"}


def test_quoted_names_with_escapes_and_separators_inside():
    body = schedc.compile('user "Anna Maria" "van der Berg" <anna@example.com> tz UTC\n'
                          'availability "Anna\'s \\"Best\\" hours; # not a comment"\nMon 09:00-10:00')
    assert (body.givenName, body.familyName) == ("Anna Maria", "van der Berg")
    assert body.availability.name == 'Anna\'s "Best" hours; # not a comment'


def test_crlf_bom_tabs_comments_and_blank_lines():
    text = "\ufeff# header\r\n\r\nuser\tAna Lima <ana@example.com>  tz UTC   # trailing\r\n\tMon\t09:00-10:00 ;; \r\n"
    request = schedc.compile(text)
    assert request.availability.schedule.monday.hours[0].end == "10:00"
    assert (request.givenName, request.timezone) == ("Ana", "UTC")
    assert schedc.check(text) == []


def test_command_line_values_fill_gaps_and_equal_ones_are_fine():
    request = schedc.compile("Mon 09:00-10:00 tz UTC", email="x@example.com", given_name="X", family_name="Y")
    assert (request.email, request.givenName, request.familyName, request.timezone) == ("x@example.com", "X", "Y", "UTC")
    same = schedc.compile("user Ana Lima <ana@example.com> tz UTC", email="ana@example.com", timezone="UTC")
    assert same.email == "ana@example.com"


def test_contradicting_command_line_values_are_errors_naming_both():
    with pytest.raises(schedc.ScheduleError) as caught:
        schedc.compile("user Ana Lima <ana@example.com> tz UTC", email="bob@example.com", timezone="Asia/Tokyo")
    found = [(d.code, d.line, d.column, d.message) for d in caught.value.diagnostics]
    assert found == [
        ("SC204", 1, 15, "`--email` value `bob@example.com` contradicts `ana@example.com` in the file"),
        ("SC204", 1, 36, "`--timezone` value `Asia/Tokyo` contradicts `UTC` in the file"),
    ]


def test_compile_without_a_zone_fails_but_check_only_warns():
    assert [(d.code, d.severity) for d in schedc.check("user A B <a@example.com>")] == [("SC202", "warning")]
    with pytest.raises(schedc.ScheduleError) as caught:
        schedc.compile("user A B <a@example.com>")
    assert [(d.code, d.severity) for d in caught.value.diagnostics] == [("SC202", "error")]


def test_bad_command_line_zone_and_email_are_reported():
    with pytest.raises(schedc.ScheduleError) as caught:
        schedc.compile("Mon 09:00-10:00", email="nope", given_name="A", family_name="B", timezone="Mars/Base")
    assert sorted(d.code for d in caught.value.diagnostics) == ["SC107", "SC111"]
    assert all(d.line is None for d in caught.value.diagnostics)


def test_missing_identity_is_reported_per_field():
    with pytest.raises(schedc.ScheduleError) as caught:
        schedc.compile("Mon 09:00-10:00 tz UTC")
    assert [d.message for d in caught.value.diagnostics] == [
        "the user has no e-mail address", "the user has no given name", "the user has no family name"]


def test_end_of_day_option_is_validated():
    with pytest.raises(ValueError):
        schedc.compile("Mon 09:00-10:00", end_of_day="23:58", **WHO)


def test_json_is_deterministic_two_space_indented_with_final_newline():
    closed = '{\n        "enabled": false,\n        "hours": []\n      }'
    days = ",\n".join(f'      "{day}": {closed}' for day in ("tuesday", "wednesday", "thursday", "friday",
                                                               "saturday", "sunday"))
    golden = ('{\n  "email": "ana@example.com",\n  "givenName": "Ana",\n  "familyName": "Lima",\n'
              '  "timezone": "Europe/Lisbon",\n  "availability": {\n    "timezone": "Europe/Lisbon",\n'
              '    "schedule": {\n      "monday": {\n        "enabled": true,\n        "hours": [\n'
              '          {\n            "start": "09:00",\n            "end": "10:00"\n          }\n'
              f'        ]\n      }},\n{days}\n    }}\n  }}\n}}\n')
    compiled = schedc.compile("Mon 09:00-10:00", **WHO)
    assert compiled.to_json() == golden
    assert schedc.analyze("Mon 09:00-10:00", **WHO).to_json() == golden  # the path without pydantic
