"""Short runs of the reliability campaigns (bench/fuzz.py, bench/pathological.py) through their
command lines, and proof that each notices what it is there to find."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT


def bench(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, f"bench/{script}", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def figures(stdout: str) -> dict:
    """`exceptions        0` → {"exceptions": "0"}."""
    found = {}
    for line in stdout.splitlines():
        name, _, value = line.rpartition("  ")
        if name and not line.startswith(" "):
            found[name.strip()] = value.strip()
    return found


def test_a_short_fuzzing_run_finds_nothing():
    done = bench("fuzz.py", "--count", "400", "--workers", "1", "--seed", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    shown = figures(done.stdout)
    assert shown["exceptions"] == "0" and shown["spans outside"] == "0" and shown["hangs"] == "0"
    assert done.stdout.splitlines()[1] == "inputs run        400 of 400"
    kinds = dict(part.rsplit(" ", 1) for part in done.stdout.splitlines()[2].split(maxsplit=2)[2].split(", "))
    assert sum(int(n) for n in kinds.values()) == 400 and all(int(n) > 0 for n in kinds.values())
    assert done.stdout.rstrip().endswith("all inputs passed")


def test_the_fuzzer_reports_an_exception_a_span_outside_the_text_and_a_hang():
    done = bench("fuzz.py", "--count", "60", "--workers", "2", "--timeout", "3",
                 "--plant", "exception:3", "--plant", "span:41", "--plant", "hang:17")
    assert done.returncode == 1, done.stdout + done.stderr
    shown = figures(done.stdout)
    assert (shown["exceptions"], shown["spans outside"], shown["hangs"]) == ("1", "1", "1")
    assert "  input 3: exception: check: ValueError at planted:1: a planted exception" in done.stdout
    assert "  input 41: span outside the text: check: SC000 at (2, 1, 2, 2) in 1 lines" in done.stdout
    assert "  input 17: hang" in done.stdout
    # the inputs around the hang still ran: the worker was replaced, not the run abandoned
    assert done.stdout.splitlines()[1] == "inputs run        60 of 60"


def test_an_input_replays_from_its_index():
    done = bench("fuzz.py", "--replay", "12", "--seed", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("input 12 (") and done.stdout.rstrip().endswith("passed")
    again = bench("fuzz.py", "--replay", "12", "--seed", "3")
    assert again.stdout == done.stdout


@pytest.mark.parametrize("args, message", [
    (["--count", "0"], "--count, --workers and --timeout must be positive, --start not negative"),
    (["--plant", "boom:3"], "--plant takes exception:INDEX, span:INDEX or hang:INDEX, not 'boom:3'"),
    (["--cou", "5"], "unrecognized arguments: --cou 5"),
])
def test_fuzz_refuses_bad_options(args, message):
    done = bench("fuzz.py", *args)
    assert done.returncode == 2 and message in done.stderr


def test_a_short_pathological_run_measures_every_size_and_bounds_the_output():
    done = bench("pathological.py", "ranges", "days", "--scale", "0.02", "--repeats", "1")
    out = done.stdout
    # time and memory verdicts depend on the machine, so only the run itself and the (exact) output
    # sizes are asserted here; the full run's figures are in docs/reliability.md
    assert done.returncode in (0, 1) and "FAILED at size" not in out, out + done.stderr
    assert "ranges: 10,000 ranges on a day, sizes 25, 50, 100, 200; exit 1/1/1/1" in out
    assert "days: 5,000 days, sizes 12, 25, 50, 100; exit 0/0/0/0" in out
    rows = [line.split() for line in out.splitlines() if line.startswith(("  cpu", "  memory", "  output"))]
    assert [row[0] for row in rows] == ["cpu", "memory", "output"] * 2
    assert all(row[-1] in ("flat", "linear") for row in rows if row[0] == "output")
    assert out.rstrip().endswith(("all cases linear", "FAILED: a case is super-linear or a run failed"))


def test_the_verdict_calls_quadratic_growth_super_linear():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import pathological
        import submit_faults
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert pathological.verdict([1.1, 1.4, 2.3, 5.9], 1.0, "cpu") [1] == "SUPER-LINEAR"
    assert pathological.verdict([1.1, 1.2, 1.4, 1.8], 1.0, "cpu")[1] == "linear"
    assert pathological.verdict([1.0, 1.01, 1.02, 1.03], 1.0, "cpu") == (0.0, "flat")


def test_pathological_refuses_an_unknown_case():
    done = bench("pathological.py", "everything")
    assert done.returncode == 2
    assert "unknown case 'everything'; choose from lines, line, ranges, days, comments, files" in done.stderr


def test_every_campaign_command_in_the_docs_is_accepted():
    import re
    import shlex

    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    commands = [line.split("#")[0] for block in re.findall(r"```sh\n(.*?)```", page, re.S)
                for line in block.splitlines() if line.startswith("python bench/")]
    assert len(commands) >= 6
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import bounded
        import fuzz
        import hostile_server
        import pathological
        import submit_faults
    finally:
        sys.path.remove(str(ROOT / "bench"))
    for command in commands:
        words = shlex.split(command)
        module = {"bench/fuzz.py": fuzz, "bench/pathological.py": pathological,
                  "bench/submit_faults.py": submit_faults, "bench/hostile_server.py": hostile_server,
                  "bench/bounded.py": bounded}[words[1]]
        module.options(words[2:])  # exits (and fails the test) on an option the command lacks


def test_a_short_bounded_run_finds_every_input_bounded():
    done = bench("bounded.py", "--quick")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "bounded: 1 GiB of address space per command; input limit 128 KiB"
    assert lines[-1] == "53 runs, 0 failed: every input bounded"
    assert all(line.endswith("  ok") or "  ok; " in line for line in lines[2:-1])


def test_the_bounded_campaign_fails_when_inputs_are_read_whole():
    done = bench("bounded.py", "--quick", "--plant", "unbounded", "--memory", str(256 << 20), "stdin")
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[-1] == "5 runs, 5 failed"
    for line in lines[2:-1]:  # each read the endless stream until the memory ran out
        assert line.endswith("FAILED: stderr: schedc: internal error: MemoryError:  (run with -v for the traceback)")
