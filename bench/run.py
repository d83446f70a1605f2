"""schedc benchmarks: ratios against baselines measured in the same run (see docs/performance.md).

    python bench/run.py                 # every section
    python bench/run.py cold scale      # some sections
    python bench/run.py --quick         # fewer repeats, smaller trees: a smoke run

Sections: cold (start-up of the CLI), scale (1,000 against 10,000 files), submit (a batch
against the local sandbox), throughput (in-process, on distinct expressions against peer
libraries, and a repo-like workload).
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import distinct, repo_like, write_tree  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []  # (measure, value, ratio, target)


def row(measure: str, value: str, ratio: float | None = None, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
    ROWS.append((measure, value, "" if ratio is None else f"{ratio:.2f}x", target + verdict))
    print(f"  {measure:<58} {value:>16} {ROWS[-1][2]:>8}  {ROWS[-1][3]}", flush=True)


def user_env() -> dict:
    """The environment of a developer's machine: bytecode is written and read as usual."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def schedc_command() -> list[str]:
    script = Path(sys.executable).with_name("schedc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "schedc"]


def timed(command: list[str], env: dict, cwd: Path) -> tuple[float, int, float]:
    """(wall seconds, peak resident KiB, CPU seconds: user + system) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def interleaved(commands: dict[str, list[str]], repeats: int, env: dict, cwd: Path) -> dict[str, float]:
    """Median wall time of each command, run round-robin so load spikes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(timed(command, env, cwd)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def cold(args, work: Path) -> None:
    print("cold start (median wall time of a whole process)")
    # The baseline is whichever lark this Python imports: osm-humanized-opening-hours (a peer
    # below) brings the older `lark-parser` 0.12, which installs the same `lark` package.
    found = subprocess.run([sys.executable, "-c", "import lark; print(lark.__version__)"],
                           capture_output=True, text=True)
    row("`import lark` imports lark", found.stdout.strip() or "not installed")
    one = work / "one.sched"
    one.write_text("user John Smith <john.smith@example.com> tz Europe/London\n"
                   "availability \"John's Business Hours\"\nMon-Fri 09:00-12:00, 13:00-17:00\nWed off\n"
                   "meeting \"45 Minute Discovery Call\" 45min connect slug john-smith-45min\n")
    # A developer's machine: Python writes bytecode on first import and reads it after.
    compileall.compile_dir(str(ROOT / "schedc"), quiet=1)
    developer = {**user_env(), "PYTHONPATH": str(ROOT)}
    # A container or CI image: PYTHONDONTWRITEBYTECODE=1, so only what the installer compiled
    # has bytecode. An installed copy of the package, compiled as pip compiles a wheel's files:
    site = work / "site"
    shutil.copytree(ROOT / "schedc", site / "schedc", ignore=shutil.ignore_patterns("__pycache__"))
    compileall.compile_dir(str(site / "schedc"), quiet=1)
    container = {**developer, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(site)}
    # The same without any bytecode for schedc (an install that skipped compiling): shown only.
    bare = work / "bare"
    shutil.copytree(ROOT / "schedc", bare / "schedc", ignore=shutil.ignore_patterns("__pycache__"))
    uncompiled = {**developer, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(bare)}
    schedc = [sys.executable, "-c", "import sys; from schedc.cli import main; sys.exit(main())"]
    for label, env in (("bytecode written (a developer's machine)", developer),
                       ("PYTHONDONTWRITEBYTECODE=1, installed bytecode (containers, CI)", container),
                       ("PYTHONDONTWRITEBYTECODE=1, no bytecode for schedc at all", uncompiled)):
        print(f"  -- {label}")
        medians = interleaved({
            "pass": [sys.executable, "-c", "pass"],
            "lark": [sys.executable, "-c", "import lark"],
            "check": [*schedc, "check", str(one)],
            "compile": [*schedc, "compile", str(one)],
        }, args.repeats, env, work)
        row("python -c pass", f"{medians['pass'] * 1000:.1f} ms", 1.0)
        row('python -c "import lark"', f"{medians['lark'] * 1000:.1f} ms", medians["lark"] / medians["pass"])
        targeted = env is not uncompiled
        for name in ("check", "compile"):
            row(f"schedc {name} one.sched  vs python -c pass", f"{medians[name] * 1000:.1f} ms",
                medians[name] / medians["pass"])
            ratio = medians[name] / medians["lark"]
            target = name == "check" and targeted
            row(f"schedc {name} one.sched  vs import lark", "", ratio, "<= 0.80x" if target else "",
                ratio <= 0.8 if target else None)


def _seconds(run, items: list) -> float:
    start = time.perf_counter()
    for item in items:
        run(item)
    return time.perf_counter() - start


def _slices(expressions: list, rounds: int, size: int):
    """`rounds` slices of `size` expressions each, none shared: no timed call sees a text twice."""
    return [expressions[k * size:(k + 1) * size] for k in range(rounds)]


def throughput(args, work: Path) -> None:
    print("throughput on distinct expressions (in-process, each text seen once, median of rounds)")
    import schedc

    size = 300 if args.quick else 2000
    rounds = max(3, args.repeats // 3)
    who = dict(email="ana@example.com", given_name="Ana", family_name="Lima", timezone="Europe/Berlin")
    # Four disjoint sets of slices: check, compile (against opening-hours-py), and both again on
    # the expressions osm-humanized-opening-hours can read (it rejects ranges past midnight).
    pool = distinct(size * rounds * 5 + 2)
    warm, pool = pool[:2], pool[2:]
    for expression in warm:  # build the parser and import pydantic before timing
        schedc.compile(expression.schedc, **who)
    mixed, rest = pool[: size * rounds * 2], pool[size * rounds * 2:]
    daytime = [e for e in rest if not e.overnight]
    check_slices = _slices(mixed, rounds, size)
    compile_slices = _slices(mixed[size * rounds:], rounds, size)
    humanized_slices = _slices(daytime, rounds, size)
    humanized_compile_slices = _slices(daytime[size * rounds:], rounds, size)

    def compile_one(expression) -> None:
        schedc.compile(expression.schedc, **who)

    monday = datetime.datetime(2026, 11, 30)
    days = [monday.date() + datetime.timedelta(days=k) for k in range(7)]
    peers = {}
    try:
        import opening_hours

        def ohpy(expression) -> None:
            list(opening_hours.OpeningHours(expression.peer).intervals(monday, monday + datetime.timedelta(days=7)))

        peers["opening-hours-py"] = ohpy
    except ImportError:
        row("opening-hours-py", "not installed (pip install -e '.[bench]')")
    try:
        import humanized_opening_hours as hoh

        def humanized(expression) -> None:
            parsed = hoh.OHParser(expression.peer)
            for day in days:
                parsed.get_day(day).periods

        peers["osm-humanized-opening-hours"] = humanized
    except ImportError:
        row("osm-humanized-opening-hours", "not installed (pip install -e '.[bench]')")

    rates: dict[str, list[float]] = {}
    for k in range(rounds):  # round-robin, so a load spike hits every library alike
        jobs = [("check", lambda e: schedc.check(e.schedc), check_slices[k]),
                ("compile", compile_one, compile_slices[k]),
                ("compile (no overnight)", compile_one, humanized_compile_slices[k])]
        if "opening-hours-py" in peers:
            jobs.append(("opening-hours-py", peers["opening-hours-py"], compile_slices[k]))
        if "osm-humanized-opening-hours" in peers:
            jobs.append(("osm-humanized-opening-hours", peers["osm-humanized-opening-hours"], humanized_slices[k]))
        for name, run, items in jobs:
            rates.setdefault(name, []).append(len(items) / _seconds(run, items))
    rate = {name: statistics.median(values) for name, values in rates.items()}
    overnight = sum(e.overnight for e in compile_slices[0])
    row(f"schedc.check ({size:,} distinct expressions a round)", f"{rate['check']:,.0f} /s")
    row(f"schedc.compile (same mix, {overnight} overnight)", f"{rate['compile']:,.0f} /s")
    if "opening-hours-py" in rate:
        ratio = rate["compile"] / rate["opening-hours-py"]
        row("opening-hours-py (parse + one week of intervals)", f"{rate['opening-hours-py']:,.0f} /s")
        row("schedc.compile vs opening-hours-py", "", ratio, ">= 0.50x", ratio >= 0.5)
    if "osm-humanized-opening-hours" in rate:
        ratio = rate["compile (no overnight)"] / rate["osm-humanized-opening-hours"]
        row("schedc.compile (no overnight ranges)", f"{rate['compile (no overnight)']:,.0f} /s")
        row("osm-humanized-opening-hours (parse + one week)", f"{rate['osm-humanized-opening-hours']:,.0f} /s")
        row("schedc.compile vs osm-humanized-opening-hours", "", ratio, ">= 3.00x", ratio >= 3)

    print("repo-like workload (whole files from a pool of 300 lines: a cache may help)")
    files = repo_like(500 if args.quick else 5000)
    samples = [len(files) / _seconds(schedc.check, files) for _ in range(rounds)]
    row(f"schedc.check over {len(files):,} files", f"{statistics.median(samples):,.0f} files/s")
    samples = [len(files) / _seconds(schedc.compile, files) for _ in range(rounds)]
    row(f"schedc.compile over {len(files):,} files", f"{statistics.median(samples):,.0f} files/s")


def scale(args, work: Path) -> None:
    print("scale (schedc check over a tree of generated files)")
    small, large = (100, 1000) if args.quick else (1000, 10000)
    env = user_env()
    schedc = schedc_command()
    results = {}
    for count in (small, large):
        tree = work / f"tree{count}"
        write_tree(tree, count)
        timed([*schedc, "check", "-q", str(tree)], env, work)  # warm the file-system cache
        runs = [timed([*schedc, "check", "-q", str(tree)], env, work) for _ in range(max(3, args.repeats // 3))]
        results[count] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs),
                          statistics.median(r[2] for r in runs))
        wall, memory, cpu = results[count]
        row(f"check {count:,} files", f"{wall:.2f} s ({cpu:.2f} s CPU), {memory / 1024:.0f} MiB")
    factor = large // small
    # The target is on CPU time: what the files cost schedc. Wall time on a shared machine also
    # measures the neighbours; it is shown beside it.
    wall_ratio = results[large][0] / results[small][0]
    cpu_ratio = results[large][2] / results[small][2]
    memory_ratio = results[large][1] / results[small][1]
    row(f"wall time {large:,} / {small:,} files", "", wall_ratio)
    row(f"CPU time {large:,} / {small:,} files", "", cpu_ratio, f"<= {factor * 1.1:.2f}x", cpu_ratio <= factor * 1.1)
    row(f"peak memory {large:,} / {small:,} files", "", memory_ratio, "<= 1.50x", memory_ratio <= 1.5)


def submit(args, work: Path) -> None:
    print("submit (a batch against the local sandbox)")
    try:
        from submit_bench import run as run_submit
    except ImportError:
        row("submit", "not available in this version")
        return
    run_submit(args, work, row)


# The in-process section runs last: a subprocess forked from a large benchmark process can report
# the parent's memory as its own peak.
SECTIONS = {"cold": cold, "scale": scale, "submit": submit, "throughput": throughput}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", choices=[*SECTIONS, []], metavar="SECTION",
                        help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and smaller inputs")
    parser.add_argument("--repeats", type=int, help="repeats per measurement (default 21, quick 5)")
    args = parser.parse_args()
    args.repeats = args.repeats or (5 if args.quick else 21)
    work = Path(tempfile.mkdtemp(prefix="schedc-bench-"))
    try:
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; ratios are against baselines of this run\n")
        for name in args.sections or list(SECTIONS):
            SECTIONS[name](args, work)
            print()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    missed = [r for r in ROWS if r[3].endswith("MISSED")]
    unmeasured = [r for r in ROWS if "not installed" in " ".join(map(str, r))]
    print(f"{len(missed)} target(s) missed" if missed else "all targets measured were met")
    if unmeasured:
        print(f"{len(unmeasured)} peer(s) not installed: their targets were not measured")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
