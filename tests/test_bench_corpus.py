"""The benchmark's corpus is what docs/performance.md says: distinct, seeded, and valid for every library."""

from __future__ import annotations

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from corpus import distinct, repo_like  # noqa: E402

import schedc  # noqa: E402


def test_distinct_expressions_are_distinct_seeded_and_compile():
    expressions = distinct(2000)
    assert len({e.schedc for e in expressions}) == 2000 and len({e.peer for e in expressions}) == 2000
    assert expressions == distinct(2000)  # a fixed seed: every run times the same text
    shapes = {
        "full day names": any("Monday" in e.schedc or "Friday" in e.schedc for e in expressions),
        "two-letter names": any(e.schedc.startswith(("Mo", "Tu", "We")) and e.schedc[2] in " -," for e in expressions),
        "several rules": any(";" in e.schedc for e in expressions),
        "off": any(" off" in e.schedc for e in expressions),
        "tz": any(" tz " in e.schedc for e in expressions),
        "overnight": any(e.overnight for e in expressions),
        "several ranges": any(e.schedc.count(":") >= 4 and ";" not in e.schedc for e in expressions),
    }
    assert all(shapes.values()), shapes
    who = dict(email="ana@example.com", given_name="Ana", family_name="Lima", timezone="Europe/Berlin")
    for expression in expressions[:300]:
        schedc.compile(expression.schedc, **who)  # raises on any error
        assert " tz " not in expression.peer and "Monday" not in expression.peer


def test_repo_like_files_share_their_day_rules():
    files = repo_like(600)
    assert len(set(files)) == 600
    rules = {text.splitlines()[3] for text in files}
    assert len(rules) <= 300
    assert not any(d.is_error for text in files[:50] for d in schedc.check(text))
