#!/usr/bin/env python3
"""Pathological inputs at sizes n, 2n, 4n, 8n through `schedc check`: time, memory and output.

Each case writes its input into a temporary directory and runs the real command in a child
process, once per size. For every run it records the child's CPU time (user + system, which a
busy machine disturbs far less than wall time), its peak memory (maxrss of that child alone,
from wait4) and the bytes it printed. A run with less than a quarter of a second of CPU time
is repeated and its fastest time kept. The growth from n to 8n is measured above a baseline
(the same command on a one-line file), so the start-up cost does not hide super-linear growth.

Verdict per measure: `linear` when what grows above the baseline grows at most 2.6× from 4n to
8n (2× is exactly linear, 4× quadratic), `flat` when it barely grows at all, else `SUPER-LINEAR`.
The command exits 1 when any measure is super-linear, a run crashes or prints a traceback,
or a run exceeds `--timeout`.

    python bench/pathological.py                   # every case at the sizes named in its table
    python bench/pathological.py --scale 0.01      # a smoke run at 1% of those sizes
    python bench/pathological.py ranges files      # only some cases

The sizes named by each case are its 8n: the largest run of a case is that size.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINEAR_LIMIT = 2.6  # growth from 4n to 8n above baseline; exactly linear is 2, quadratic 4
FLAT = {"cpu": 0.15, "memory": 4 * 1024 * 1024, "output": 4096}  # growth below this is noise, not a trend


# ---- the inputs: each writes the input of size `size` into `where` and returns the path to check
def many_lines(where: Path, size: int) -> Path:
    """`size` lines: hours added and cleared again, and a distinct comment, so the file stays valid."""
    lines = ["user Ana Lima <ana@example.com> tz Europe/London"]
    cycle = ["Mon-Fri 09:00-12:00, 13:00-17:00", "Mon-Fri off", None]
    for i in range(size - 3):
        lines.append(cycle[i % 3] or f"# line {i}")
    lines += ["Mon-Fri off", "Mon-Fri 09:00-17:00", "45min connect"]
    return _write(where / "lines.sched", "\n".join(lines) + "\n")


def long_line(where: Path, size: int) -> Path:
    """One line of `size` bytes: a range whose hour is a number of that many digits."""
    head = "Mon 09:00-10:00, "
    digits = max(1, size - len(head) - len(":00-23:00"))
    return _write(where / "line.sched", "user Ana Lima <ana@example.com> tz UTC\n"
                  + head + "9" * digits + ":00-23:00\n45min connect\n")


def ranges_on_a_day(where: Path, size: int) -> Path:
    """`size` ranges on Monday, one per line, at seeded random times: most overlap some other."""
    rng = random.Random(size)
    lines = ["user Ana Lima <ana@example.com> tz UTC"]
    for _ in range(size):
        start = rng.randrange(0, 23 * 60)
        end = start + rng.randrange(1, 60)
        lines.append(f"Mon {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    lines.append("45min connect")
    return _write(where / "ranges.sched", "\n".join(lines) + "\n")


def many_days(where: Path, size: int) -> Path:
    """One rule whose day list names `size` days (every day many times over)."""
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    days = ",".join(names[i % 7] for i in range(size))
    return _write(where / "days.sched", f"user Ana Lima <ana@example.com> tz UTC\n{days} 09:00-17:00\n45min connect\n")


def only_comments(where: Path, size: int) -> Path:
    return _write(where / "comments.sched", "".join(f"# comment {i}: nothing but words here\n" for i in range(size)))


def many_files(where: Path, size: int) -> Path:
    """A directory of `size` small files, one in twenty with a mistake (so some output grows too)."""
    folder = where / "team"
    for i in range(size):
        sub = folder / f"group{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        hours = f"{8 + i % 3:02d}:00-{12 + i % 5:02d}:00"
        zone = "Europe/Londn" if i % 20 == 0 else "Europe/London"
        _write(sub / f"user{i}.sched", f"user User{i} Smith <user{i}@example.com> tz {zone}\n"
               f"Mon-Fri {hours}\nWed off\nmeeting \"Intro\" 30min connect slug user-{i}\n")
    return folder


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CASES = {
    # name: (make, size named by the issue = 8n, what it is)
    "lines": (many_lines, 100_000, "100,000 lines"),
    "line": (long_line, 1_000_000, "a 1 MB line"),
    "ranges": (ranges_on_a_day, 10_000, "10,000 ranges on a day"),
    "days": (many_days, 5_000, "5,000 days"),
    "comments": (only_comments, 100_000, "only comments (100,000 lines)"),
    "files": (many_files, 10_000, "10,000 files"),
}


# ---- running one child and measuring it alone
class RunFailed(Exception):
    pass


def measure(path: Path, timeout: float, scratch: Path) -> dict:
    """CPU seconds, peak memory (bytes) and output bytes of `schedc check PATH` in a child."""
    out, err = scratch / "stdout", scratch / "stderr"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        # growth is measured past the default input limit (the `comments` case is 4 MB at 8n)
        proc = subprocess.Popen([sys.executable, "-m", "schedc", "--max-input-size", "1GiB", "check", str(path)],
                                cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
        began = time.monotonic()
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - began > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise RunFailed(f"still running after {timeout:g} s")
            time.sleep(0.005)
        proc.returncode = os.waitstatus_to_exitcode(status)
    error_text = err.read_bytes()
    if proc.returncode not in (0, 1) or b"Traceback" in error_text or b"internal error" in error_text:
        raise RunFailed(f"exit {proc.returncode}: {error_text[-400:].decode('utf-8', 'replace')}")
    maxrss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB elsewhere
    return {"cpu": usage.ru_utime + usage.ru_stime, "memory": maxrss,
            "output": out.stat().st_size + err.stat().st_size, "exit": proc.returncode}


def best_of(path: Path, timeout: float, scratch: Path, repeats: int) -> dict:
    first = measure(path, timeout, scratch)
    if first["cpu"] < 0.25:  # short runs are noisy: keep the fastest of a few
        for _ in range(repeats - 1):
            again = measure(path, timeout, scratch)
            first["cpu"] = min(first["cpu"], again["cpu"])
            first["memory"] = min(first["memory"], again["memory"])
    return first


def verdict(values: list, base: float, measure_name: str) -> tuple[float, str]:
    """(growth of the last doubling, word): what a measure did from 4n to 8n, above the baseline.

    The last doubling decides: at small sizes a fixed cost or a cap being reached distorts the
    ratios, while a super-linear cost shows most at the largest size (4× per doubling when
    quadratic, about 2.1× for n log n).
    """
    grown = [v - base for v in values]
    if grown[-1] <= FLAT[measure_name]:
        return 0.0, "flat"
    ratio = grown[-1] / grown[-2] if grown[-2] > 0 else float("inf")
    if ratio <= LINEAR_LIMIT or grown[-2] <= 0 and grown[-1] <= 2 * FLAT[measure_name]:
        return ratio, "linear"
    return ratio, "SUPER-LINEAR"


def _size(value: float, name: str) -> str:
    if name == "cpu":
        return f"{value:.2f} s"
    if name == "memory":
        return f"{value / 2 ** 20:.1f} MiB"
    return f"{int(value):,} B"


def run(cases: list, scale: float, timeout: float, repeats: int = 3) -> tuple[str, bool]:
    lines, ok = [], True
    with tempfile.TemporaryDirectory(prefix="schedc-pathological-") as tmp:
        scratch = Path(tmp)
        tiny = _write(scratch / "tiny.sched", "Mon 09:00-17:00\n")
        base = best_of(tiny, timeout, scratch, repeats)
        lines.append(f"baseline `schedc check` of a one-line file: {_size(base['cpu'], 'cpu')} CPU, "
                     f"{_size(base['memory'], 'memory')}, {base['output']:,} B of output")
        for name in cases:
            make, named, title = CASES[name]
            eight_n = max(8, int(named * scale))
            sizes = [eight_n // 8, eight_n // 4, eight_n // 2, eight_n]
            results = []
            try:
                for size in sizes:
                    where = scratch / f"{name}-{size}"
                    where.mkdir()
                    path = make(where, size)
                    results.append(best_of(path, timeout, scratch, repeats))
                    shutil.rmtree(where)
            except RunFailed as failed:
                ok = False
                lines.append(f"\n{name}: {title}: FAILED at size {sizes[len(results)]:,}: {failed}")
                continue
            lines.append(f"\n{name}: {title}, sizes {', '.join(f'{s:,}' for s in sizes)}; "
                         f"exit {'/'.join(str(r['exit']) for r in results)}")
            for measured in ("cpu", "memory", "output"):
                values = [r[measured] for r in results]
                base_value = base[measured] if measured != "output" else 0
                ratio, word = verdict(values, base_value, measured)
                ok = ok and word != "SUPER-LINEAR"
                shown = " → ".join(_size(v, measured) for v in values)
                growth = f"4n→8n growth {ratio:.2f}×" if word != "flat" else "no growth to speak of"
                lines.append(f"  {measured:<7} {shown}   {growth}: {word}")
    lines.append("\nall cases linear" if ok else "\nFAILED: a case is super-linear or a run failed")
    return "\n".join(lines), ok


def options(argv=None) -> argparse.Namespace:
    """The command line, checked: exits 2 with a message on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="cases: " + ", ".join(f"{k} ({v[2]})" for k, v in CASES.items()))
    parser.add_argument("cases", nargs="*", metavar="CASE", help="cases to run (default: all)")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every case's size by this (default 1: 8n is the size named)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one run may take (default 300)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of a short measurement, the fastest kept (default 3)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.cases if c not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; choose from {', '.join(CASES)}")
    if args.scale <= 0 or args.timeout <= 0 or args.repeats < 1:
        parser.error("--scale, --timeout and --repeats must be positive")
    return args


def main(argv=None) -> int:
    args = options(argv)
    text, ok = run(args.cases or list(CASES), args.scale, args.timeout, args.repeats)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
