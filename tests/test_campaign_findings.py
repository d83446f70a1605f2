"""Bugs the reliability campaigns (bench/fuzz.py, bench/pathological.py) found, each pinned here."""

from __future__ import annotations

import pytest


from schedc import Span, import_json


@pytest.mark.parametrize("source, span", [
    ('{"email": ', Span(1, 11, 1, 11)),         # the text ends where a value should be
    ("", Span(1, 1, 1, 1)),                     # empty input
    ('{\n  "email": "a@b.c",\n', Span(3, 1, 3, 1)),  # ends after a newline
    ('{"email" 1}', Span(1, 10, 1, 11)),        # inside the text: one character wide
])
def test_invalid_json_is_reported_inside_the_text(source, span):
    found = import_json(source).diagnostics
    assert [(d.code, d.span) for d in found] == [("SC401", span)]


def test_invalid_json_at_the_end_is_drawn_under_the_end_of_the_line(schedc):
    done = schedc("import", "-", stdin='{"email": ')
    assert done.returncode == 1
    assert done.stderr.splitlines()[:4] == [
        "<stdin>:1:11: error[SC401]: not valid JSON: expecting value",
        "  |",
        '1 | {"email": ',
        "  |           ^",
    ]
