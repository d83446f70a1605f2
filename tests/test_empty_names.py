"""An empty quoted name is reported (SC203) instead of failing an assertion in lowering."""

from __future__ import annotations

import pytest

import schedc


@pytest.mark.parametrize("names", ['"" Smith', 'John ""', '"  " Smith'])
def test_an_empty_name_is_a_diagnostic_not_a_crash(names):
    text = f"user {names} <john@example.com> tz Europe/London\nMon 09:00-17:00\n"
    with pytest.raises(schedc.ScheduleError) as caught:
        schedc.compile(text)
    assert [d.code for d in caught.value.diagnostics] == ["SC203"]
    assert caught.value.diagnostics[0].line == 1

