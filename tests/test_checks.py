"""Every check of DESIGN §4: exact code, severity, line, column, message and help."""

from __future__ import annotations

import pytest

import schedc
from schedc.diagnostics import CODES

TZ = "user Ana Lima <ana@example.com> tz Europe/London\n"


def checked(text: str, **options) -> list[schedc.Diagnostic]:
    """The diagnostics of `text`, less SC205 for a text with no `user` statement at all: most
    snippets here are about something else (SC205 has tests of its own)."""
    every = schedc.check(text, **options)
    return every if ("user" if isinstance(text, str) else b"user") in text else [d for d in every if d.code != "SC205"]


def found(text: str, **options) -> list[tuple]:
    return [(d.code, d.severity, d.line, d.column, d.message) for d in checked(text, **options)]


def one(text: str, **options) -> schedc.Diagnostic:
    diagnostics = checked(text, **options)
    assert len(diagnostics) == 1, diagnostics
    return diagnostics[0]


def test_syntax_error_names_what_was_found_and_expected():
    d = one(TZ + "Mon 09:00-10:00 Tue 10:00-11:00")
    assert (d.code, d.line, d.column, d.end_column) == ("SC001", 2, 17, 20)
    assert d.message == "unexpected `Tue`, expected `tz`, `,` or the end of the statement (`;` or a new line)"
    assert d.help == "end the statement with `;` or a new line before `Tue`"


@pytest.mark.parametrize("text, code, line, column, message", [
    ("Mon 09:00-", "SC003", 1, 11, "unexpected end of input, expected a time like `09:00`"),
    ("Mon 09:00-\n", "SC003", 1, 11, "unexpected end of line, expected a time like `09:00`"),
    ('availability "Open', "SC002", 1, 14, "unterminated string"),
    ("Mon 09:00-10:00 tz UTC @", "SC001", 1, 24,
     "unexpected `@`, expected the end of the statement (`;` or a new line)"),
    ("user Ana Maria Lima <a@example.com>", "SC001", 1, 16,
     "unexpected `Lima`, expected an e-mail address in angle brackets like `<ana@example.com>`"),
    ("45 min", "SC001", 1, 1,
     "unexpected `45`, expected a day like `Mon`, a duration like `45min`, `tz`, `user` or …"),
    ("user Ana Lima <ana@example.com", "SC002", 1, 15, "unterminated e-mail address"),
])
def test_syntax_errors(text, code, line, column, message):
    assert found(text)[:1] == [(code, "error", line, column, message)]


def test_a_syntax_error_stops_the_rest():
    assert [c for c, *_ in found("Mon 25:00-26:00\nTue 09:00-")] == ["SC003"]


def test_undecodable_bytes_point_at_the_byte():
    d = one(b"tz UTC\nMon 09:00-10:00 # caf\xe9\n")
    assert (d.code, d.line, d.column, d.message) == ("SC004", 2, 22, "byte 0xe9 is not valid UTF-8")


def test_nul_bytes_mean_a_binary_file():
    d = one(b"tz UTC\nab\x00cd")
    assert (d.code, d.line, d.column) == ("SC004", 2, 3)


@pytest.mark.parametrize("time, help", [
    ("25:00", "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"),
    ("12:60", "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"),
    ("9:5", "minutes have two digits: `09:05`"),
    ("123:00", "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"),
    ("24:30", "times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)"),
])
def test_bad_times(time, help):
    d = one(TZ + f"Mon {time}-23:00")
    assert (d.code, d.line, d.column, d.message, d.help) == ("SC101", 2, 5, f"`{time}` is not a time", help)


def test_24_00_only_ends_a_range():
    assert found(TZ + "Mon 24:00-02:00") == [("SC101", "error", 2, 5, "`24:00` can only end a range")]


def test_empty_range():
    assert found(TZ + "Mon 10:00-10:00; Tue 09:00-10:00") == [
        ("SC103", "error", 2, 5, "`10:00-10:00` is empty: it ends where it starts")]


def test_overlap_within_a_rule_names_both_places_and_the_days():
    d = one(TZ + "Mon-Fri 09:00-12:00,11:30-17:00")
    assert (d.code, d.line, d.column, d.end_column) == ("SC102", 2, 21, 32)
    assert d.message == "`11:30-17:00` overlaps `09:00-12:00` on Mon-Fri"
    assert [(label.span.line, label.span.column) for label in d.labels] == [(2, 9)]
    assert d.help == "merge them into `09:00-17:00`, or move one so they no longer share time"


def test_overlap_across_rules_says_where_the_first_one_is():
    d = one(TZ + "Mon 09:00-12:00\n\nMon 11:00-13:00")
    assert (d.line, d.column, d.message) == (4, 5, "`Mon 11:00-13:00` overlaps `Mon 09:00-12:00` from line 2")


def test_overlap_with_the_overnight_half_of_a_range_names_it_as_written():
    d = one(TZ + "Mon 22:00-02:00\nTue 01:00-03:00")
    assert (d.code, d.message) == ("SC102", "`Tue 01:00-03:00` overlaps `Mon 22:00-02:00` from line 2, "
                                            "whose part after midnight reaches into Tue")
    # no single range covers Mon 22:00 to Tue 03:00: a merge would drop Monday's hours
    assert d.help == "move one range so they no longer share time"


def test_overlap_across_rules_with_other_days_suggests_no_merge_that_adds_hours():
    d = one(TZ + "Mon-Fri 09:00-12:00\nMon 11:00-13:00")
    assert d.help == "change one so they no longer share time (together they cover `09:00-13:00` on Mon)"


def test_overlap_across_rules_of_the_same_days_suggests_the_merge():
    d = one(TZ + "Mon 09:00-12:00\nMon 11:00-13:00")
    assert d.help == "merge them into `09:00-13:00`, or move one so they no longer share time"


def test_many_ranges_on_the_same_hours_are_one_diagnostic():
    d = one(TZ + "Mon " + ",".join(["09:00-10:00"] * 500))
    assert (d.code, d.line, d.column) == ("SC102", 2, 17)
    assert d.message == "`Mon 09:00-10:00` overlaps `Mon 09:00-10:00`; 498 more ranges overlap them too"
    assert len(d.labels) == 4  # the first range and three of the others


def test_a_rule_undone_by_a_later_off_is_a_warning_naming_the_off():
    d = one(TZ + "Mon 09:00-12:00\nMon off\nTue 09:00-10:00")
    assert (d.code, d.severity, d.line, d.column) == ("SC127", "warning", 2, 1)
    assert d.message == "`Mon 09:00-12:00` has no effect: `Mon off` on line 3 clears every hour it adds"


def test_an_off_undone_by_a_later_rule_is_a_warning_naming_the_rule():
    d = one(TZ + "Wed off\nMon-Fri 09:00-17:00")
    assert (d.code, d.line, d.column) == ("SC127", 2, 1)
    assert d.message == "`Wed off` has no effect: rules apply in order, and line 3 gives Wed hours afterwards"
    assert d.help == "move `Wed off` after line 3 to keep Wed off, or remove it"


def test_an_off_that_partly_stands_or_clears_hours_is_fine():
    assert found(TZ + "Mon-Fri 09:00-17:00\nWed off") == []
    assert found(TZ + "Sat-Sun off\nSat 10:00-12:00\nMon 09:00-10:00") == []
    assert found(TZ + "Mon 22:00-02:00\nMon off") == []  # Tue 00:00-02:00 stays (DESIGN §8.3)


def test_no_overlap_after_off_clears_the_day():
    assert [d[0] for d in found(TZ + "Mon 09:00-12:00; Mon off; Mon 10:00-11:00")] == ["SC127"]


def test_touching_ranges_warn():
    d = one(TZ + "Mon 09:00-12:00, 12:00-13:00")
    assert (d.code, d.severity, d.column) == ("SC120", "warning", 18)
    assert d.help == "write them as one range: `09:00-13:00`"


def test_day_named_with_no_hours():
    d = one(TZ + "Mon-Fri 09:00-17:00\nSat")
    assert (d.code, d.line, d.column, d.message) == ("SC104", 3, 1, "`Sat` is named with no hours")
    assert d.help == "give hours, like `Sat 09:00-17:00`, or write `Sat off`"


def test_no_enabled_day():
    assert found(TZ + "Wed off") == [("SC105", "error", 2, 1, "the availability has no enabled day")]
    assert found(TZ + 'availability "Empty"') == [("SC105", "error", 2, 1, "the availability has no enabled day")]


def test_unknown_day_with_suggestion():
    d = one(TZ + "Mon-Fir 09:00-17:00")
    assert (d.code, d.line, d.column, d.message, d.help) == ("SC106", 2, 5, "unknown day `Fir`", "did you mean `Fri`?")


def test_alias_cannot_end_a_range():
    d = one(TZ + "Mon-weekends 09:00-17:00")
    assert (d.code, d.message) == ("SC106", "`weekends` cannot be one end of a day range")


@pytest.mark.parametrize("zone, message, help", [
    ("Europe/Londn", "unknown time zone `Europe/Londn`", "did you mean `Europe/London`?"),
    ("europe/london", "unknown time zone `europe/london` (zone names are case-sensitive)", "did you mean `Europe/London`?"),
    ("Berlin", "unknown time zone `Berlin`", "did you mean `Europe/Berlin`?"),
    ("Mars/Olympus", "unknown time zone `Mars/Olympus`",
     "use an IANA zone name like `Europe/London` or `America/New_York`"),
])
def test_unknown_zones(zone, message, help):
    d = one(f"Mon 09:00-10:00 tz {zone}")
    assert (d.code, d.severity, d.column, d.message, d.help) == ("SC107", "error", 20, message, help)


def test_legacy_zone_aliases_warn_but_utc_does_not():
    d = one("tz US/Eastern")
    assert (d.code, d.severity, d.message, d.help) == (
        "SC123", "warning", "`US/Eastern` is a legacy alias of `America/New_York`", "write `America/New_York`")
    assert found("tz UTC") == found("tz Etc/UTC") == []
    assert found("tz Europe/Amsterdam") == []  # still a country's zone, though tzdata links it


def test_etc_gmt_offset_zones_warn_with_the_real_offset():
    d = one("tz Etc/GMT+5")
    assert (d.code, d.severity) == ("SC124", "warning")
    assert d.message.startswith("`Etc/GMT+5` means UTC-05:00")


def test_two_zones_for_the_availability():
    d = one("tz Europe/Paris\nMon 09:00-10:00 tz Europe/Berlin")
    assert (d.code, d.line, d.column) == ("SC113", 2, 20)
    assert d.message == "time zone `Europe/Berlin` differs from `Europe/Paris` given on line 1"


def test_user_and_availability_zones_may_differ():
    assert found("user A B <a@example.com> tz Europe/London\ntz Europe/Paris\nMon 09:00-10:00") == []


@pytest.mark.parametrize("channel, help", [
    ("zom", "did you mean `zoom`?"),
    ("teams", "did you mean `teamsForBusiness2`?"),
    ("google_meet", "did you mean `google`?"),
])
def test_unknown_channels(channel, help):
    d = one(TZ + f"30min {channel}")
    assert (d.code, d.line, d.column, d.message, d.help) == ("SC108", 2, 7, f"unknown channel `{channel}`", help)


@pytest.mark.parametrize("duration, message", [
    ("4min", "a meeting of 4 min is outside 5-480 minutes"),
    ("8h1", "a meeting of 481 min is outside 5-480 minutes"),
    ("1h75", "`1h75`: minutes after the hours must be below 60"),
])
def test_durations_out_of_range(duration, message):
    d = one(TZ + f"{duration} zoom")
    assert (d.code, d.column, d.message) == ("SC109", 1, message)


def test_bad_slug_suggests_the_slugified_form():
    d = one(TZ + "30min zoom slug Intro_Call--2")
    assert (d.code, d.column, d.message) == ("SC110", 17, "slug `Intro_Call--2` is not URL-friendly")
    assert d.help == "did you mean `intro-call-2`? slugs are lowercase letters, digits and single hyphens"


@pytest.mark.parametrize("address, code", [
    ("ana.example.com", "SC111"), ("ana@", "SC111"), ("ana@@example.com", "SC111"), ("", "SC111"),
    ("an a@example.com", "SC002"),  # a space inside <> is a syntax error
])
def test_bad_email(address, code):
    assert [(c, line, column) for c, _, line, column, _ in found(f"user Ana Lima <{address}> tz UTC")] == [
        (code, 1, 15)]


def test_statement_twice_with_different_values():
    d = one(TZ + "30min zoom\n45min zoom")
    assert (d.code, d.line, d.message) == ("SC112", 3, "a second `meeting` statement with different values")
    assert found(TZ + "30min zoom\n30m ZOOM") == []  # the same meeting twice is fine


def test_meeting_longer_than_every_window():
    d = one(TZ + "Mon 09:00-10:00, 11:00-11:30\n2h")
    assert (d.code, d.severity, d.line, d.column) == ("SC121", "warning", 3, 1)
    assert d.message == "a 120 min meeting fits in no window: the longest is 60 min (`09:00-10:00` on Mon)"


def test_window_shorter_than_the_meeting():
    d = one(TZ + "Mon-Fri 09:00-12:00, 12:30-12:45\n30min")
    assert (d.code, d.line, d.column) == ("SC122", 2, 22)
    assert d.message == "`12:30-12:45` on Mon-Fri is 15 min, shorter than the 30 min meeting"


def test_touching_ranges_form_one_window_for_bookability():
    assert [c for c, *_ in found(TZ + "Mon 09:00-09:30, 09:30-10:00\n45min")] == ["SC120"]


def test_midnight_as_2359_can_empty_a_range():
    assert found(TZ + "Mon 23:59-24:00") == [
        ("SC201", "error", 2, 5, "`23:59-24:00` is empty once midnight is written as `23:59`")]
    assert found(TZ + "Mon 23:59-24:00", end_of_day="24:00") == []


def test_missing_zone_warns_when_checking():
    assert found("Mon 09:00-10:00") == [("SC202", "warning", None, None, "no time zone: compiling needs one")]


def test_all_diagnostics_of_a_file_are_collected_in_source_order():
    text = "tz Europe/Londn\nMnday 09:00-10:00\nTue 25:00-26:00\n30min zom slug A_B"
    assert [(c, line) for c, _, line, *_ in found(text)] == [
        ("SC107", 1), ("SC106", 2), ("SC101", 3), ("SC101", 3), ("SC108", 4), ("SC110", 4)]


def test_every_code_emitted_is_registered():
    texts = ["Mon 09:00-", "x \x00", "Mon 25:00-26:00; Mon 10:00-10:00; Sat; tz Europe/Londn; 3min zom slug A",
             "Mon-Mon,Mon 09:00-10:00, 10:00-11:00 tz US/Eastern; Tue 09:00-12:00; Tue 11:00-13:00; 2h"]
    for text in texts:
        for d in schedc.check(text):
            assert d.code in CODES


def test_invisible_characters_are_named():
    d = one("Mon\u00a009:00-10:00")
    assert (d.code, d.column, d.message) == ("SC002", 4, "unexpected character U+00A0 (no-break space)")


def test_duration_typos_get_a_duration_hint():
    d = one(TZ + "45mins zoom")
    assert (d.code, d.help) == ("SC001", "write `45min`: durations are written like `45min`, `90m`, `1h` or `1h30`")


def test_a_meeting_after_a_day_rule_on_the_same_statement_needs_a_separator():
    d = one(TZ + "Mon 09:00-17:00 45min")
    assert d.help == "end the statement with `;` or a new line before `45min`"


def test_email_messages_are_in_house_style():
    d = one("user Ana Lima <ana@example> tz UTC")
    assert d.message.startswith("`ana@example` is not an e-mail address: the part after the @-sign is not valid; ")
    assert "." not in d.message[-1] and "email" not in d.message.replace("e-mail", "")
    empty = one("user Ana Lima <> tz UTC")
    assert (empty.message, empty.help) == ("the e-mail address is empty", "write the address like `<ana@example.com>`")


def test_a_file_with_no_user_warns_that_compile_needs_flags_and_submit_cannot_send_it():
    (d,) = [d for d in schedc.check("tz UTC\nMon 09:00-10:00") if d.code == "SC205"]
    assert (d.severity, d.span) == ("warning", None)
    assert d.message == ("the file names no user: `compile` needs `--email`, `--given-name` and `--family-name`, "
                         "and `submit` cannot send it")


def test_a_user_with_one_name_warns_as_compile_and_submit_would_refuse():
    d = one("user Madonna <madonna@acme.example> tz UTC\nMon 09:00-10:00")
    assert (d.code, d.severity, d.line, d.column) == ("SC205", "warning", 1, 1)
    assert d.message == "the user has no family name: `compile` needs `--family-name`, and `submit` cannot send the file"
