"""Language-server latency: every kind of request on a 100-line file, through the real `schedc lsp` on its pipes.

    python bench/lsp.py                 # 21 rounds
    python bench/lsp.py --quick         # 5 rounds: a smoke run
    python bench/lsp.py --repeats N

Each request's median round trip (request sent to answer read) must be under 50 ms. Beside it,
its ratio against a baseline measured in the same run on the same server: a request the server
answers without any work (a method it does not know), so the ratio is the request's own cost
over the price of a message on this machine. An edit is timed from the change sent to its
diagnostics received. Kinds are run round-robin, so a load spike hits all of them alike. A
2,000-rule file's edit is shown too, with no target. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from lsp_client import Client, ServerError  # noqa: E402

TARGET_MS = 50.0
URI = "file:///bench/hundred.sched"
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def hundred_lines() -> str:
    """A file of the kind people write, at 100 lines: a user, comments, day rules, a zone, a meeting."""
    lines = ["# the support team's hours", "user Ana Lima <ana.lima@example.com> tz Europe/London",
             'availability "Support rota"']
    for k in range(92):
        day, hour = DAYS[k % 7], 6 + k // 7
        lines.append(f"{day} {hour:02d}:00-{hour:02d}:45" + ("  # early shift" if hour < 8 else ""))
    lines += ["Sat-Sun off", "Sun 10:00-10:30", "tz Europe/London", "# bookings",
              'meeting "Support call" 30min zoom slug support-call']
    return "\n".join(lines) + "\n"


def large(rules: int = 2000) -> str:
    return "".join(f"{DAYS[k % 7]} {k // 7 % 24:02d}:{k % 7 * 8:02d}-{k // 7 % 24:02d}:{k % 7 * 8 + 5:02d}\n"
                   for k in range(rules)) + "tz UTC\n"


def requests(text: str) -> dict[str, tuple[str, dict]]:
    lines = text.split("\n")
    meeting = next(i for i, line in enumerate(lines) if line.startswith("meeting"))
    zone = lines.index("tz Europe/London")
    doc = {"textDocument": {"uri": URI}}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    at = {**doc, "position": {"line": 5, "character": 6}}
    return {
        "completion (after `tz Europe/Lo`)": ("textDocument/completion", {
            **doc, "position": {"line": zone, "character": 12}}),
        "hover (a day rule)": ("textDocument/hover", at),
        "semantic tokens, full": ("textDocument/semanticTokens/full", doc),
        "document symbols": ("textDocument/documentSymbol", doc),
        "folding ranges": ("textDocument/foldingRange", doc),
        "document highlight": ("textDocument/documentHighlight", at),
        "inlay hints": ("textDocument/inlayHint", {**doc, "range": whole}),
        "code lens": ("textDocument/codeLens", doc),
        "pull diagnostics": ("textDocument/diagnostic", doc),
        "formatting": ("textDocument/formatting", {**doc, "options": {"tabSize": 2, "insertSpaces": True}}),
        "range formatting": ("textDocument/rangeFormatting", {**doc, "range": whole, "options": {
            "tabSize": 2, "insertSpaces": True}}),
        "quick fixes": ("textDocument/codeAction", {**doc, "range": whole, "context": {"diagnostics": []}}),
        "fix all": ("textDocument/codeAction", {**doc, "range": whole, "context": {
            "diagnostics": [], "only": ["source.fixAll"]}}),
        "meeting hover": ("textDocument/hover", {**doc, "position": {"line": meeting, "character": 2}}),
    }


def baseline(client: Client) -> float:
    start = time.perf_counter()
    try:
        client.request("schedc/nothing", {})
    except ServerError:
        pass  # "method not found": answered, and that is all
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 rounds")
    parser.add_argument("--repeats", type=int, help="rounds (default 21, 5 with --quick)")
    args = parser.parse_args(argv)
    rounds = args.repeats or (5 if args.quick else 21)
    text = hundred_lines()
    assert text.count("\n") == 100
    client = Client()
    try:
        client.edit(URI, text)
        asked = requests(text)
        times: dict[str, list[float]] = {name: [] for name in ["baseline (an unknown method)", "edit to diagnostics",
                                                               *asked]}
        delta = None
        for round_ in range(rounds + 1):  # the first round warms the caches and is not counted
            found = {"baseline (an unknown method)": baseline(client)}
            start = time.perf_counter()
            client.edit(URI, text)
            found["edit to diagnostics"] = time.perf_counter() - start
            for name, (method, params) in asked.items():
                start = time.perf_counter()
                answer = client.request(method, params)
                found[name] = time.perf_counter() - start
                if method.endswith("semanticTokens/full"):
                    delta = answer["resultId"]
            start = time.perf_counter()
            client.request("textDocument/semanticTokens/full/delta", {"textDocument": {"uri": URI},
                                                                      "previousResultId": delta})
            found["semantic tokens, delta"] = time.perf_counter() - start
            if round_ == 0:
                continue
            for name, seconds in found.items():
                times.setdefault(name, []).append(seconds)
        big = large()
        client.edit("file:///bench/large.sched", big)
        large_times = []
        for _ in range(max(3, rounds // 3)):
            start = time.perf_counter()
            client.edit("file:///bench/large.sched", big)
            large_times.append(time.perf_counter() - start)
    finally:
        client.close()
    base = statistics.median(times.pop("baseline (an unknown method)"))
    print(f"language server on a 100-line file, {rounds} rounds (median round trip; target < {TARGET_MS:.0f} ms)")
    print(f"  {'baseline: a request answered with no work':<44} {base * 1000:8.2f} ms")
    missed = 0
    for name, seconds in times.items():
        median = statistics.median(seconds)
        ok = median * 1000 < TARGET_MS
        missed += not ok
        print(f"  {name:<44} {median * 1000:8.2f} ms {median / base:8.2f}x  {'ok' if ok else 'MISSED'}")
    print(f"  {'edit to diagnostics, 2,000 rules (shown)':<44} {statistics.median(large_times) * 1000:8.2f} ms "
          f"{statistics.median(large_times) / base:8.2f}x")
    print(f"{missed} target(s) missed" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
