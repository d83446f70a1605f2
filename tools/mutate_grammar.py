"""Change one terminal of grammar.lark at a time, regenerate, and see whether the tests notice.

    python tools/mutate_grammar.py                 # every mutation below (a few minutes each)
    python tools/mutate_grammar.py --list          # their names
    python tools/mutate_grammar.py CHANNEL-no-underscore TZ-renamed
    python tools/mutate_grammar.py --examples 3000 # a longer agreement check (default 1000)

The fast path (schedc/compiler/fastpath.py) reads words with the patterns `tools/regenerate_parser.py`
writes from the grammar into schedc/compiler/terminals.py, and tests/test_fastpath.py draws its words from
the grammar's terminals. So after any change to a terminal, either the fast path still reads
every line as the parser does, or those tests fail. This script checks that claim. For each
mutation it copies the checkout's package, tests, tools, examples and pyproject.toml into a
temporary directory, edits the grammar there, regenerates, and runs tests/test_fastpath.py and
tests/test_parser_shipped.py in the copy:

- `caught`: the tests fail (the first failing test is named);
- `followed`: they pass, and a longer run of the differential tests (`--examples` hypothesis
  examples each) finds the fast path and the parsers still in agreement;
- `MISSED`: they pass, but the longer run finds a line the two read differently. The suite would
  have let a real disagreement through: the exit status is 1.

For a caught mutation the longer run says too whether the fast path still agrees with the parser
(the suite may fail for another reason: the examples no longer parse, say).

A mutation lark itself refuses (a grammar that does not build) is reported as `refused`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("schedc", "tests", "tools", "examples", "pyproject.toml")

# (name, the terminal's line in grammar.lark as it stands, the line after the change)
MUTATIONS = [
    ("CHANNEL-no-underscore", r"CHANNEL: /[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/",
     r"CHANNEL: /[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*/"),
    ("CHANNEL-dots", r"CHANNEL: /[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*/",
     r"CHANNEL: /[A-Za-z][A-Za-z0-9_.]*(-[A-Za-z0-9_]+)*/"),
    ("DAY-two-letters", r"DAY: /[A-Za-z]+/", r"DAY: /[A-Za-z]{2,}/"),
    ("DAY-hyphen", r"DAY: /[A-Za-z]+/", r"DAY: /[A-Za-z-]+/"),
    ("TIME-two-digit-minutes", r"TIME: /[0-9]+:[0-9]+/", r"TIME: /[0-9]+:[0-9][0-9]/"),
    ("TIME-dot", r"TIME: /[0-9]+:[0-9]+/", r"TIME: /[0-9]+[:.][0-9]+/"),
    ("DURATION-no-m", r"DURATION: /[0-9]+(h([0-9]+(min|m)?)?|min|m)(?![A-Za-z0-9])/i",
     r"DURATION: /[0-9]+(h([0-9]+min)?|min)(?![A-Za-z0-9])/i"),
    ("DURATION-case", r"DURATION: /[0-9]+(h([0-9]+(min|m)?)?|min|m)(?![A-Za-z0-9])/i",
     r"DURATION: /[0-9]+(h([0-9]+(min|m)?)?|min|m)(?![A-Za-z0-9])/"),
    ("DURATION-no-lookahead", r"DURATION: /[0-9]+(h([0-9]+(min|m)?)?|min|m)(?![A-Za-z0-9])/i",
     r"DURATION: /[0-9]+(h([0-9]+(min|m)?)?|min|m)/i"),
    ("ZONE-no-plus", r"ZONE: /[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*/",
     r"ZONE: /[A-Za-z][A-Za-z0-9_\-]*(\/[A-Za-z0-9_\-]+)*/"),
    ("TZ-renamed", r'TZ: "tz"i', r'TZ: "zone"i'),
    ("SLUG-case", r'SLUG: "slug"i', r'SLUG: "slug"'),
    ("MEETING-renamed", r'MEETING: "meeting"i', r'MEETING: "event"i'),
    ("OFF-no-closed", r'OFF: "off"i | "closed"i', r'OFF: "off"i'),
    ("OFF-shut", r'OFF: "off"i | "closed"i', r'OFF: "off"i | "closed"i | "shut"i'),
    ("SLUG_TEXT-narrow", r"SLUG_TEXT: /[^\s;#]+/", r"SLUG_TEXT: /[a-z0-9-]+/"),
    ("EMAIL-not-empty", r"EMAIL: /<[^<>\s;#]*>/", r"EMAIL: /<[^<>\s;#]+>/"),
    ("NAME_WORD-quotes", r'NAME_WORD: /[^\s;#<>"]+/', r"NAME_WORD: /[^\s;#<>]+/"),
    ("STRING-no-escapes", r'STRING: /"(\\["\\]|[^"\\\n])*"/', r'STRING: /"[^"\n]*"/'),
    ("WS-no-tab", r"WS: /[ \t\f\r\ufeff]+/", r"WS: /[ \f\r\ufeff]+/"),
    ("WS-no-feed", r"WS: /[ \t\f\r\ufeff]+/", r"WS: /[ \t\r\ufeff]+/"),
    ("WS-no-break-space", r"WS: /[ \t\f\r\ufeff]+/", r"WS: /[ \t\f\r\ufeff\u00a0]+/"),
    ("COMMENT-slashes", r"COMMENT: /#[^\n]*/", r"COMMENT: /\/\/[^\n]*/"),
    ("SEP-bar", r'_SEP: ";" | /\r?\n/', r'_SEP: ";" | "|" | /\r?\n/'),
]


def run(name: str, old: str, new: str, examples: int, workers: str, logs: Optional[Path]) -> tuple[str, str]:
    """(outcome, detail) of one mutation."""
    with tempfile.TemporaryDirectory(prefix="schedc-mutant-") as scratch:
        copy = Path(scratch)
        for item in COPIED:
            source = ROOT / item
            if source.is_dir():
                shutil.copytree(source, copy / item, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy / item)
        grammar = copy / "schedc" / "compiler" / "grammar.lark"
        text = grammar.read_text(encoding="utf-8")
        if text.count(old + "\n") != 1:
            return "stale", f"the grammar no longer has the line {old!r}: update this script"
        grammar.write_text(text.replace(old + "\n", new + "\n"), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(copy)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        done = subprocess.run([sys.executable, "tools/regenerate_parser.py"], cwd=copy, env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            return "refused", f"regeneration failed: {last}"
        tests = [sys.executable, "-m", "pytest", "-x", "-n", workers, "-p", "no:cacheprovider", "-rfE"]
        done = subprocess.run(tests + ["tests/test_fastpath.py", "tests/test_parser_shipped.py"], cwd=copy,
                              env=env, capture_output=True, text=True)
        caught = None if done.returncode == 0 else _first_failure(done.stdout)
        # However the suite fared: does the fast path still read every line as the parser does?
        done = subprocess.run(tests + ["tests/test_fastpath.py", "-k", "fast_path_gives or whole_document"],
                              cwd=copy, env={**env, "SCHEDC_FUZZ_EXAMPLES": str(examples)}, capture_output=True,
                              text=True)
        if done.returncode != 0 and logs is not None:  # the falsifying example, for a closer look
            logs.mkdir(parents=True, exist_ok=True)
            (logs / f"{name}.txt").write_text(done.stdout + done.stderr, encoding="utf-8")
        agreement = ("the fast path agrees with the parser" if done.returncode == 0 else
                     f"the fast path disagrees with the parser ({_first_failure(done.stdout)})")
        if caught:
            return "caught", f"{caught}; {agreement}"
        return ("followed" if done.returncode == 0 else "MISSED"), f"{agreement} ({examples} examples a test)"


def _first_failure(output: str) -> str:
    failed = re.findall(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    return failed[0] if failed else (output.strip().splitlines() or ["?"])[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--examples", type=int, default=1000, help="hypothesis examples for the agreement check")
    parser.add_argument("--workers", default="1", help="pytest-xdist workers for each test run (default 1)")
    parser.add_argument("--logs", type=Path, help="write the output of each failed agreement check here")
    args = parser.parse_args()
    if args.list:
        for name, old, new in MUTATIONS:
            print(f"{name}: {old}  ->  {new}")
        return 0
    chosen = [m for m in MUTATIONS if not args.names or m[0] in args.names]
    unknown = set(args.names) - {m[0] for m in MUTATIONS}
    if unknown:
        parser.error(f"no such mutation: {', '.join(sorted(unknown))}")
    missed = 0
    for name, old, new in chosen:
        started = time.monotonic()
        outcome, detail = run(name, old, new, args.examples, args.workers, args.logs)
        missed += outcome in ("MISSED", "stale")
        print(f"{name:<24} {outcome:<9} {detail} ({time.monotonic() - started:.0f} s)", flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
