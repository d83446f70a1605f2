"""The package's public functions stay functions, whatever ran before."""

from __future__ import annotations

import json
import subprocess
import sys

import pydantic
import pytest

import schedc


def test_schedc_parse_is_still_the_function_after_check_ran():
    # In a fresh interpreter, after the first check() has loaded every stage of the compiler.
    code = ("import schedc; schedc.check('Mon 09:00-10:00'); "
            "print(type(schedc.parse('Mon 09:00-10:00')).__name__)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Document\n"


def test_compiled_request_equals_validating_the_plain_body_and_shares_equal_days():
    from schedc.compiler.models import UserRequest

    text = "user Ana Lima <ana@example.com> tz Europe/Berlin\nMon-Fri 09:00-12:00, 13:00-17:00\nSat 10:00-12:00\n"
    request = schedc.compile(text)
    assert request == UserRequest.model_validate(json.loads(request.to_json()))
    days = request.availability.schedule
    assert days.monday is days.friday and days.saturday is not days.monday and days.sunday.enabled is False
    with pytest.raises(pydantic.ValidationError):
        days.monday.enabled = False  # frozen: a shared day cannot be changed through one of its days
