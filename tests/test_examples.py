"""The seed's three documented requests, written as .sched files, compile to exactly the seed's JSON."""

from __future__ import annotations

import json
import re

import pytest

import schedc
from conftest import EXAMPLES, ROOT

SEED = ROOT.parent / "shared" / "seed" / "000_3b7abfd080e8204e.txt"
BASIC = {"email": "john.smith@example.com", "givenName": "John", "familyName": "Smith", "timezone": "Europe/London"}


def seed_bodies() -> dict:
    """The JSON bodies the seed documents (read from the seed when it is beside the repo)."""
    if not SEED.exists():
        pytest.skip("the seed documentation is not beside this checkout")
    blocks = re.findall(r"```json theme=\{null\}\n(.*?)```", SEED.read_text(encoding="utf-8"), re.S)
    return {"basic": BASIC, "custom": json.loads(blocks[0]), "lunch": json.loads(blocks[1])}


@pytest.mark.parametrize("name", ["basic", "custom", "lunch"])
def test_seed_example_compiles_to_the_seed_json(name):
    request = schedc.load(EXAMPLES / "seed" / f"{name}.sched")
    assert request.to_dict() == seed_bodies()[name]


VALID = sorted(p for p in EXAMPLES.glob("**/*.sched") if "invalid" not in p.parts)
INVALID = sorted((EXAMPLES / "invalid").glob("*.sched"))


@pytest.mark.parametrize("sched", VALID, ids=lambda p: p.name)
def test_golden_json_is_exactly_what_compile_prints(sched, schedc):
    golden = sched.with_suffix(".json")
    args = ["compile", str(sched.relative_to(ROOT))]
    if sched.name == "one-liner.sched":
        args += ["--email", "john.smith@example.com", "--given-name", "John", "--family-name", "Smith"]
    done = schedc(*args)
    assert done.returncode == 0, done.stderr
    assert done.stdout == golden.read_text(encoding="utf-8")
    assert done.stderr == ""


def test_every_valid_example_checks_clean(schedc):
    complete = [p for p in VALID if p.name != "one-liner.sched"]
    done = schedc("check", "--strict", *[str(p.relative_to(ROOT)) for p in complete])
    assert (done.returncode, done.stdout, done.stderr) == (0, "", f"{len(complete)} files checked: no problems\n")


def test_the_one_liner_warns_that_it_compiles_only_with_flags(schedc):
    done = schedc("check", "-q", "examples/one-liner.sched")
    assert done.returncode == 0
    assert done.stderr.splitlines()[0] == (
        "examples/one-liner.sched: warning[SC205]: the file names no user: `compile` needs `--email`, "
        "`--given-name` and `--family-name`, and `submit` cannot send it")
    assert schedc("check", "--strict", "-q", "examples/one-liner.sched").returncode == 1


@pytest.mark.parametrize("sched", INVALID, ids=lambda p: p.name)
def test_invalid_example_gives_its_expected_diagnostics(sched, schedc):
    done = schedc("check", "-q", "--color", "never", str(sched.relative_to(ROOT)))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == sched.with_suffix(".stderr").read_text(encoding="utf-8")


@pytest.mark.parametrize("sched", VALID, ids=lambda p: p.name)
def test_compile_output_is_the_models_json(sched):
    options = {}
    if sched.name == "one-liner.sched":
        options = dict(email="john.smith@example.com", given_name="John", family_name="Smith")
    assert schedc.load(sched, **options).to_json() == sched.with_suffix(".json").read_text(encoding="utf-8")
