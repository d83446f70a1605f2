"""schedc benchmarks: ratios against baselines measured in the same run (see docs/performance.md).

    python bench/run.py                 # every section
    python bench/run.py cold scale      # some sections
    python bench/run.py --quick         # fewer repeats, smaller trees: a smoke run

Sections: cold (start-up of the CLI), throughput (in-process, against peer libraries),
scale (1,000 against 10,000 files), submit (a batch against the local sandbox).
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

from corpus import corpus, write_tree  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []  # (measure, value, ratio, target)


def row(measure: str, value: str, ratio: float | None = None, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("  ok" if ok else "  MISSED")
    ROWS.append((measure, value, "" if ratio is None else f"{ratio:.2f}x", target + verdict))
    print(f"  {measure:<58} {value:>16} {ROWS[-1][2]:>8}  {ROWS[-1][3]}", flush=True)


def user_env(cache: Path) -> dict:
    """The environment of a user's machine: bytecode is written and read as usual."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SCHEDC_CACHE_DIR"] = str(cache)
    return env


def schedc_command() -> list[str]:
    script = Path(sys.executable).with_name("schedc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "schedc"]


def timed(command: list[str], env: dict, cwd: Path) -> tuple[float, int]:
    """(wall seconds, peak resident KiB) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def interleaved(commands: dict[str, list[str]], repeats: int, env: dict, cwd: Path) -> dict[str, float]:
    """Median wall time of each command, run round-robin so load spikes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(timed(command, env, cwd)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def cold(args, work: Path) -> None:
    print("cold start (median wall time of a whole process)")
    compileall.compile_dir(str(ROOT / "schedc"), quiet=1)
    cache = work / "cache"
    env = user_env(cache)
    one = work / "one.sched"
    one.write_text("user John Smith <john.smith@example.com> tz Europe/London\n"
                   "availability \"John's Business Hours\"\nMon-Fri 09:00-12:00, 13:00-17:00\nWed off\n"
                   "meeting \"45 Minute Discovery Call\" 45min connect slug john-smith-45min\n")
    schedc = schedc_command()
    first, _ = timed([*schedc, "check", str(one)], env, work)  # writes the parser cache
    row("first run ever (writes the parser cache)", f"{first * 1000:.0f} ms")
    medians = interleaved({
        "pass": [sys.executable, "-c", "pass"],
        "lark": [sys.executable, "-c", "import lark"],
        "check": [*schedc, "check", str(one)],
        "compile": [*schedc, "compile", str(one)],
    }, args.repeats, env, work)
    row("python -c pass", f"{medians['pass'] * 1000:.1f} ms", 1.0)
    row('python -c "import lark"', f"{medians['lark'] * 1000:.1f} ms", medians["lark"] / medians["pass"])
    for name in ("check", "compile"):
        row(f"schedc {name} one.sched  vs python -c pass", f"{medians[name] * 1000:.1f} ms",
            medians[name] / medians["pass"])
        ratio = medians[name] / medians["lark"]
        target = "<= 1.30x" if name == "check" else ""
        row(f"schedc {name} one.sched  vs import lark", "", ratio, target, ratio <= 1.3 if name == "check" else None)


def _rate(run, items: list[str], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for item in items:
            run(item)
        samples.append(len(items) / (time.perf_counter() - start))
    return statistics.median(samples)


def throughput(args, work: Path) -> None:
    print("throughput (in-process, expressions per second, median of repeats)")
    import schedc

    items = corpus(300 if args.quick else 2000)
    who = dict(email="ana@example.com", given_name="Ana", family_name="Lima", timezone="Europe/Berlin")
    schedc.compile(items[0], **who)  # build the parser and import pydantic before timing
    check_rate = _rate(schedc.check, items, args.repeats)
    compile_rate = _rate(lambda text: schedc.compile(text, **who), items, args.repeats)
    row("schedc.check", f"{check_rate:,.0f} /s")
    row("schedc.compile", f"{compile_rate:,.0f} /s")
    monday = datetime.datetime(2026, 11, 30)
    try:
        import opening_hours

        def ohpy(text: str) -> None:
            list(opening_hours.OpeningHours(text).intervals(monday, monday + datetime.timedelta(days=7)))

        peer = _rate(ohpy, items, args.repeats)
        row("opening-hours-py (parse + one week of intervals)", f"{peer:,.0f} /s")
        row("schedc.compile vs opening-hours-py", "", compile_rate / peer, ">= 0.50x", compile_rate / peer >= 0.5)
    except ImportError:
        row("opening-hours-py", "not installed (pip install -e '.[bench]')")
    try:
        import humanized_opening_hours as hoh

        days = [monday.date() + datetime.timedelta(days=k) for k in range(7)]

        def humanized(text: str) -> None:
            parsed = hoh.OHParser(text)
            for day in days:
                parsed.get_day(day).periods

        peer = _rate(humanized, items, args.repeats)
        row("osm-humanized-opening-hours (parse + one week)", f"{peer:,.0f} /s")
        row("schedc.compile vs osm-humanized-opening-hours", "", compile_rate / peer, ">= 4.00x",
            compile_rate / peer >= 4)
    except ImportError:
        row("osm-humanized-opening-hours", "not installed (pip install -e '.[bench]')")


def scale(args, work: Path) -> None:
    print("scale (schedc check over a tree of generated files)")
    small, large = (100, 1000) if args.quick else (1000, 10000)
    env = user_env(work / "cache")
    schedc = schedc_command()
    results = {}
    for count in (small, large):
        tree = work / f"tree{count}"
        write_tree(tree, count)
        timed([*schedc, "check", "-q", str(tree)], env, work)  # warm the file-system cache
        runs = [timed([*schedc, "check", "-q", str(tree)], env, work) for _ in range(max(3, args.repeats // 3))]
        results[count] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
        row(f"check {count:,} files", f"{results[count][0]:.2f} s, {results[count][1] / 1024:.0f} MiB")
    time_ratio = results[large][0] / results[small][0]
    memory_ratio = results[large][1] / results[small][1]
    factor = large // small
    row(f"time {large:,} / {small:,} files", "", time_ratio, f"<= {factor * 1.1:.2f}x", time_ratio <= factor * 1.1)
    row(f"peak memory {large:,} / {small:,} files", "", memory_ratio, "<= 1.50x", memory_ratio <= 1.5)


def submit(args, work: Path) -> None:
    print("submit (a batch against the local sandbox)")
    try:
        from submit_bench import run as run_submit
    except ImportError:
        row("submit", "not available in this version")
        return
    run_submit(args, work, row)


SECTIONS = {"cold": cold, "throughput": throughput, "scale": scale, "submit": submit}


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
    print(f"{len(missed)} target(s) missed" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
