"""`schedc fmt`: formatter cases (black style), the identity file, and the safety checks."""

from __future__ import annotations

from pathlib import Path

import pytest

import schedc
from schedc import fmt as formatting
from schedc.compiler import printer
from schedc.fmt import FormatError, format_text

CASES = Path(__file__).parent / "fmt"


def read_case(path: Path) -> tuple[str, str]:
    """A case file holds the input, a line `# output`, then the expected text."""
    source, marker, expected = path.read_text(encoding="utf-8").partition("# output\n")
    assert marker, f"{path.name} has no `# output` line"
    return source, expected


@pytest.mark.parametrize("case", sorted(p for p in CASES.glob("*.sched") if p.name != "identity.sched"),
                         ids=lambda p: p.stem)
def test_case_formats_to_its_expected_text(case):
    source, expected = read_case(case)
    assert format_text(source) == expected
    assert format_text(expected) == expected


IDENTITY = [line for line in (CASES / "identity.sched").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("line", IDENTITY)
def test_every_canonical_statement_prints_as_itself(line):
    (statement,) = schedc.parse(line).statements
    assert printer.statement_text(statement) == line
    if not any(d.is_error for d in schedc.check(line)):
        assert format_text(line + "\n") == line + "\n"


def test_a_file_with_errors_is_not_formatted():
    with pytest.raises(schedc.ScheduleError) as caught:
        format_text("Mon 09:00-12:00, 11:00-13:00\n")
    assert [d.code for d in caught.value.diagnostics if d.is_error] == ["SC102"]


def test_warnings_do_not_stop_formatting():
    assert format_text("mon-mon 9:00-12:00,12:00-13:00\n") == "Mon-Mon 09:00-12:00, 12:00-13:00\n"


def test_empty_and_comment_only_files():
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""
    assert format_text("  # only a note  \n\n\n# and another\n") == "# only a note\n\n# and another\n"


def test_day_rules_keep_their_order_because_it_carries_meaning():
    source = "Mon-Fri 09:00-17:00\nmeeting 30min\nWed off\nuser A B <a@example.com> tz UTC\n"
    expected = "user A B <a@example.com> tz UTC\nMon-Fri 09:00-17:00\nWed off\nmeeting 30min\n"
    assert format_text(source) == expected
    in_order, swapped = "Mon-Fri 09:00-17:00\nWed off\n", "Wed off\nMon-Fri 09:00-17:00\n"
    assert formatting.meaning(schedc.parse(swapped)) != formatting.meaning(schedc.parse(in_order))


def test_crlf_and_a_byte_order_mark_are_kept():
    assert format_text("\ufeffMon 09:00-17:00\r\nTue 09:00-17:00 # x\r\n") == "\ufeffMon 09:00-17:00\r\nTue 09:00-17:00  # x\r\n"
    assert format_text("\ufeff") == "\ufeff"
    assert format_text("Mon 09:00-17:00\r\nTue 09:00-17:00") == "Mon 09:00-17:00\r\nTue 09:00-17:00\r\n"
    assert format_text("Mon 09:00-17:00\nTue 09:00-17:00\r\n") == "Mon 09:00-17:00\nTue 09:00-17:00\n"


def test_end_of_day_is_the_one_compile_would_use():
    with pytest.raises(schedc.ScheduleError) as caught:
        format_text("tz UTC\nMon 23:59-24:00\n")
    assert [d.code for d in caught.value.diagnostics if d.is_error] == ["SC201"]
    assert format_text("tz UTC\nMon 23:59-24:00\n", end_of_day="24:00") == "tz UTC\nMon 23:59-24:00\n"


def test_refuses_output_that_changes_meaning(monkeypatch):
    real = printer.print_document

    def drop_last_rule(document):
        return real(type(document)(document.statements[:-1], document.comments))

    monkeypatch.setattr(printer, "print_document", drop_last_rule)
    with pytest.raises(FormatError, match="different request"):
        format_text("Mon 09:00-12:00\nTue 09:00-12:00\n")


def test_refuses_output_that_loses_a_comment(monkeypatch):
    real = printer.print_document
    monkeypatch.setattr(printer, "print_document", lambda d: real(type(d)(d.statements, ())))
    with pytest.raises(FormatError, match="lose a comment"):
        format_text("Mon 09:00-12:00  # keep me\n")


def test_refuses_output_that_is_not_stable(monkeypatch):
    real = printer.print_document
    passes = []

    def one_more_blank_line_each_time(document):
        passes.append(document)
        return real(document) + "\n" * len(passes)

    monkeypatch.setattr(printer, "print_document", one_more_blank_line_each_time)
    with pytest.raises(FormatError, match="not stable"):
        format_text("Mon 09:00-12:00\n")


def test_refuses_output_that_does_not_parse(monkeypatch):
    monkeypatch.setattr(printer, "print_document", lambda d: "Mon 09:00-\n")
    with pytest.raises(FormatError, match="does not parse"):
        format_text("Mon 09:00-12:00\n")


def test_meaning_sees_every_field_the_compiler_reads():
    base = 'user A B <a@example.com> tz UTC\navailability "N"\nMon 09:00-12:00\nmeeting "M" 30min zoom slug m\n'
    variants = [base.replace("tz UTC", "tz Europe/London"), base.replace('"N"', '"O"'),
                base.replace("12:00", "12:30"), base.replace("Mon", "Tue"), base.replace("30min", "45min"),
                base.replace("zoom", "phone"), base.replace("slug m", "slug n"), base.replace('"M"', '"P"'),
                base.replace("A B", "A C"), base.replace("a@", "b@")]
    before = formatting.meaning(schedc.parse(base))
    for variant in variants:
        assert formatting.meaning(schedc.parse(variant)) != before, variant


@pytest.mark.parametrize("written, canonical", [
    ("45m", "45min"), ("45MIN", "45min"), ("90min", "90min"), ("1H30M", "1h30"), ("1h30min", "1h30"),
    ("1h5", "1h05"), ("1h", "1h"), ("2H", "2h"), ("1h0", "1h")])
def test_duration_spelling_keeps_the_unit(written, canonical):
    assert printer.duration_text(written) == canonical
    assert format_text(f"{written} zoom\n") == f"meeting {canonical} zoom\n"
