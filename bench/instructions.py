"""CPU instructions, counted by valgrind: figures that do not move with the machine's load.

Wall and CPU time on a shared machine move by several per cent between runs, which hides
changes of a few per cent. `valgrind --tool=callgrind` counts the instructions a process
executes, the same on every run, so a change can be judged on its own. Two measures:

- `compile`: instructions per `schedc.compile` on distinct expressions (bench/corpus.py), the
  difference between a run that compiles N texts and one that only prepares them, divided by N;
- `cold`: a whole `schedc check one.sched` process (bytecode written beforehand), beside
  `python -c pass` and `python -c "import lark"`, the baselines of `bench/run.py cold`; and
  the same file with a suppression comment, which makes `check` read the rule texts.

Needs valgrind on PATH; slow (about a minute for each measure). Not part of the test suite.

    python bench/instructions.py [compile] [cold] [--texts N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = ("user John Smith <john.smith@example.com> tz Europe/London\n"
       "availability \"John's Business Hours\"\nMon-Fri 09:00-12:00, 13:00-17:00\nWed off\n"
       "meeting \"45 Minute Discovery Call\" 45min connect slug john-smith-45min\n")
SUPPRESSED = ONE.replace("Wed off\n", "Wed off  # schedc: ignore[SC120]\n")
COMPILE = """
import sys
sys.path.insert(0, {bench!r})
import schedc
from corpus import distinct
who = dict(email="ana@example.com", given_name="Ana", family_name="Lima", timezone="Europe/Berlin")
texts = [e.schedc for e in distinct({count} + 50)]
for text in texts[:50]:
    schedc.compile(text, **who)
if {work}:
    for text in texts[50:]:
        schedc.compile(text, **who)
"""


def instructions(command: list[str], cwd: Path, env: dict) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        done = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={scratch}/out", *command],
                              cwd=cwd, env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode not in (0, 1) or found is None:
        raise SystemExit(f"valgrind failed on {' '.join(command)}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", metavar="{compile,cold}", help="what to count (default: both)")
    parser.add_argument("--texts", type=int, default=1000, help="expressions compiled (default 1000)")
    args = parser.parse_args()
    if set(args.sections) - {"compile", "cold"}:  # not `choices=`: with nargs="*", argparse refuses no section
        parser.error(f"no such section: {', '.join(sorted(set(args.sections) - {'compile', 'cold'}))}")
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # read bytecode, as users do
    python = sys.executable
    for section in args.sections or ["compile", "cold"]:
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            if section == "compile":
                script = {flag: COMPILE.format(bench=str(ROOT / "bench"), count=args.texts, work=flag)
                          for flag in (False, True)}
                subprocess.run([python, "-c", script[True]], env=env, check=True)  # write bytecode first
                base, full = (instructions([python, "-c", script[flag]], work, env) for flag in (False, True))
                print(f"schedc.compile, distinct expressions: {(full - base) // args.texts:,} instructions each "
                      f"({args.texts:,} texts)")
            else:
                (work / "one.sched").write_text(ONE)
                (work / "suppressed.sched").write_text(SUPPRESSED)
                check = [python, "-c", "import sys; from schedc.cli import main; sys.exit(main())", "check", "one.sched"]
                suppressed = [*check[:-1], "suppressed.sched"]
                for command in (check, suppressed):
                    subprocess.run(command, cwd=work, env=env, capture_output=True)  # write bytecode first
                counts = {name: instructions(command, work, env) for name, command in (
                    ("pass", [python, "-c", "pass"]), ("lark", [python, "-c", "import lark"]), ("check", check),
                    ("suppressed", suppressed))}
                print(f"python -c pass: {counts['pass']:,}; python -c \"import lark\": {counts['lark']:,}; "
                      f"schedc check one.sched: {counts['check']:,} instructions "
                      f"({counts['check'] / counts['lark']:.2f}x import lark, {counts['check'] / counts['pass']:.2f}x pass); "
                      f"with a suppression comment: {counts['suppressed']:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
