"""The speed tricks that earned their place (docs/performance.md, "Speed tricks: each one
measured") keep their saving, and give what the plain code would give.

- No `typing` on `check`'s path (`TYPE_CHECKING = False`, `Record`): a cold check imports
  neither `typing` nor `dataclasses` nor `inspect`, with a suppression comment too, and a
  `Record` is the named tuple `typing.NamedTuple` would make.
- `tuple.__new__` (the fast path's nodes, resolve's pieces): each node is the one its
  constructor builds.
- pydantic's core validators called straight (`lower`): the request is the one
  `model_validate` builds.
"""

from __future__ import annotations

import os
import subprocess
import sys
import typing

import pytest
from hypothesis import HealthCheck, given, settings

import schedc
from schedc.compiler import fastpath, resolve
from schedc.compiler.records import Record

from test_fastpath import line
from test_properties import rules

SETTINGS = settings(max_examples=int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
UNWANTED = ("typing", "dataclasses", "inspect")
FILES = {
    "utc": "user Ana Lima <ana@example.com> tz UTC\navailability \"Hours\"\nMon-Fri 09:00-17:00\n"
           "meeting \"Intro\" 45min zoom slug intro\n",
    "london": "user John Smith <john.smith@example.com> tz Europe/London\n"
              "availability \"John's Business Hours\"\nMon-Fri 09:00-12:00, 13:00-17:00\nWed off\n"
              "meeting \"45 Minute Discovery Call\" 45min connect slug john-smith-45min\n",
    # two ranges that meet: `resolve` imports the overlap finder
    "touching": "user Ana Lima <ana@example.com> tz America/New_York\nMon 09:00-12:00, 12:00-17:00\n",
    # a suppression comment: `check` reads the rule texts (schedc/rules.py)
    "suppressed": "user Ana Lima <ana@example.com> tz Europe/Berlin\nMon 09:00-17:00  # schedc: ignore[SC120]\n",
}


def imported(tmp_path, *args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The modules a `python -m schedc ARGS` process imports, as `-X importtime` lists them."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR")}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "schedc", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    names = {row.rsplit("|", 1)[1].strip() for row in done.stderr.splitlines() if row.startswith("import time:")}
    return names, done


# ---- no `typing` on check's path
@pytest.mark.parametrize("command", ["check", "compile"])
@pytest.mark.parametrize("name", sorted(FILES))
def test_a_cold_check_or_compile_imports_no_typing(tmp_path, command, name):
    (tmp_path / f"{name}.sched").write_text(FILES[name])
    modules, done = imported(tmp_path, command, f"{name}.sched")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "schedc.compiler.resolve" in modules and "schedc.compiler.records" in modules
    assert ("schedc.compiler.overlaps" in modules) == (name == "touching")
    assert ("schedc.rules" in modules) == (name == "suppressed")
    assert [m for m in UNWANTED if m in modules] == []


def _example(base):
    """The same class on `base`: `typing.NamedTuple` or `Record`."""

    class Example(base):
        """A record."""

        line: int
        column: int = 0
        labels: tuple = ()

        @property
        def where(self) -> str:
            return f"{self.line}:{self.column}"

        def moved(self, by: int):
            return self._replace(line=self.line + by)

    return Example


def test_a_record_is_the_named_tuple_typing_would_make():
    for cls in (_example(typing.NamedTuple), _example(Record)):
        one = cls(3, labels=("a",))
        assert one == (3, 0, ("a",)) and cls._fields == ("line", "column", "labels")
        assert cls._field_defaults == {"column": 0, "labels": ()} and cls.__doc__ == "A record."
        assert one.where == "3:0" and one.moved(2) == cls(5, 0, ("a",)) and type(one.moved(2)) is cls
        assert repr(one) == "Example(line=3, column=0, labels=('a',))"
        assert cls.__module__ == __name__ and cls._make([1, 2, 3]) == (1, 2, 3)
        with pytest.raises(AttributeError):
            one.line = 4
        with pytest.raises(AttributeError):
            one.extra = 1  # no instance dictionary: as small as the tuple
        with pytest.raises(TypeError):
            cls()


def test_a_record_refuses_a_field_without_a_default_after_one_with_a_default():
    for base in (typing.NamedTuple, Record):
        with pytest.raises(TypeError):
            type("Bad", (base,), {"__annotations__": {"a": "int", "b": "int"}, "a": 1})


# ---- tuple.__new__: each node as its constructor builds it
def _rebuilt(value):
    """`value` built again through the constructors: every record by its class, every tuple item."""
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        assert len(value) == len(type(value)._fields), value  # a record with no field missing
        return type(value)(*map(_rebuilt, value))
    if isinstance(value, (tuple, list)):
        return type(value)(map(_rebuilt, value))
    return value


@SETTINGS
@given(line())
def test_the_fast_paths_nodes_are_the_constructors_nodes(text):
    read = fastpath.line_nodes(text, 1)
    if read is not None:
        statements, comments = read
        assert (statements, comments) == (_rebuilt(statements), _rebuilt(comments))


@SETTINGS
@given(rules())
def test_resolves_pieces_are_the_constructors_pieces(generated):
    _, text = generated
    schedule, _ = resolve.resolve(schedc.parse(text))
    pieces = [piece for day in schedule.week for piece in day]
    assert all(type(piece) is resolve.Piece for piece in pieces)
    assert pieces == [resolve.Piece(*piece) for piece in pieces]


# ---- the core validators: the request model_validate builds
@SETTINGS
@given(rules())
def test_the_request_is_what_model_validate_builds(generated):
    from schedc.api import examine
    from schedc.compiler.identity import identity
    from schedc.compiler.lower import lower, request_body
    from schedc.compiler.models import Day, UserRequest

    _, text = generated
    source = f'user Ana Lima <ana@example.com> tz Europe/Madrid\navailability "Hours"\n{text}\nmeeting 30min zoom\n'
    schedule, _ = examine(schedc.parse(source))
    who, _ = identity(schedule)
    for end_of_day in ("23:59", "24:00"):
        fast = lower(schedule, who, end_of_day=end_of_day)
        plain = UserRequest.model_validate(request_body(schedule, who, end_of_day=end_of_day, day=Day.model_validate))
        assert type(fast) is UserRequest and fast == plain and fast.to_json() == plain.to_json()
        days = [getattr(fast.availability.schedule, key) for key in type(fast.availability.schedule).model_fields]
        assert all(type(day) is Day for day in days)
