"""The submit section of bench/run.py: a batch against `schedc sandbox` on 127.0.0.1.

- pacing: the sandbox enforces a limit; schedc is configured to pace at 90% of it. Measured: the
  sustained rate (requests beyond the initial burst over the time from the first arrival to the
  last, from the sandbox's log) against the configured rate, and the 429 answers (target: none).
- concurrency: every request waits a fixed latency in the sandbox and pacing is off. Measured:
  requests per second against what the concurrency bound allows (bound / latency).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

KEY = "ak_live:5b1f8a9e-3c2d-4e7f-8a9b-0c1d2e3f4a5b:benchmarksecret"


def _files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"user{i:04d}.sched").write_text(
            f"user Bench{i} Person <bench{i}@example.com> tz Europe/Berlin\n"
            "Mon-Fri 09:00-12:00, 13:00-17:00\nmeeting 30min zoom\n", encoding="utf-8")


def _submit(env: dict, cwd: Path, *options: str) -> None:
    command = [sys.executable, "-m", "schedc", "submit", "--no-journal", "-q", *options, "team"]
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600, check=False)


def run(args, work: Path, row) -> None:
    import httpx

    count = 60 if args.quick else 200
    project = work / "submit"
    _files(project / "team", count)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(MEETERGO_API_KEY=KEY)
    sandbox = subprocess.Popen([sys.executable, "-m", "schedc", "sandbox", "--port", "0", "-q"],
                               stdout=subprocess.PIPE, text=True, env=env)
    try:
        url = sandbox.stdout.readline().strip()
        env["MEETERGO_BASE_URL"] = url
        control = httpx.Client(base_url=url, timeout=30, trust_env=False)

        # pacing: the sandbox allows 25/s with bursts of 20 (the real API: 100/min, bursts of 200);
        # schedc paces at 90% of the limit with bursts of 10, as its defaults do
        limit, server_burst, burst = 25.0, 20, 10
        configured = limit * 0.9
        control.post("/_sandbox/reset", json={"rate": f"{limit * 60:g}/min", "burst": server_burst}
                     ).raise_for_status()
        _submit(env, project, "--rate", f"{configured * 60:g}/min", "--burst", str(burst), "--concurrency", "8")
        records = control.get("/_sandbox/requests").json()
        arrivals = sorted(r["received"] for r in records)
        steady = (len(arrivals) - burst) / (arrivals[-1] - arrivals[0])  # what the bucket allows beyond its burst
        too_many = sum(r.get("status") == 429 for r in records)
        created = len(control.get("/_sandbox/users").json())
        row(f"paced at {configured:g}/s (server limit {limit:g}/s): steady rate", f"{steady:.1f} /s",
            steady / configured, ">= 0.90x", steady / configured >= 0.9)
        row("429 answers while paced", f"{too_many} (created {created}/{count})", None, "0",
            too_many == 0 and created == count)

        # concurrency: 8 in flight, 0.2 s per request, pacing off
        bound, latency = 8, 0.2
        control.post("/_sandbox/reset", json={"rate": "1000000/min", "burst": 100000}).raise_for_status()
        control.post("/_sandbox/faults", json={"kind": "delay", "seconds": latency, "when": "before",
                                                "times": count}).raise_for_status()
        started = time.time()
        _submit(env, project, "--rate", "1000000/min", "--burst", "100000", "--concurrency", str(bound))
        records = control.get("/_sandbox/requests").json()
        arrivals = sorted(r["received"] for r in records)
        achieved = len(arrivals) / (arrivals[-1] + latency - arrivals[0])
        ideal = bound / latency
        row(f"concurrency {bound}, {latency:g} s latency, no pacing", f"{achieved:.1f} /s",
            achieved / ideal, ">= 0.80x", achieved / ideal >= 0.8)
        row("  (whole command, with start-up and compiling)", f"{time.time() - started:.1f} s")
        control.close()
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
