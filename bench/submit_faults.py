"""Submit under faults: a campaign of `schedc submit` runs against the sandbox, which drops
connections, loses answers, fails with 5xx and 429 and drips its answers, while the client is
killed with SIGKILL at random moments; then `schedc submit` is run again until it is done.

It checks, and prints:
- every user created exactly once on the server, and the last run done (exit 0);
- the journal's `created` entries equal to the server's records (user, availability and
  meeting type ids), and no user with two different sets of ids in the journal;
- every request within the rate limit schedc paces at, across all runs (the journal's `sent`
  lines and the sandbox's arrival times, each replayed through a token bucket), and no 429 from
  the server's own limiter;
- the API key in no output: stdout and stderr of every run, and the journal.

It exits 0 when every property holds, 1 when one is violated, 2 on a usage error. Everything it
writes goes under one temporary directory (or --work), and it talks to 127.0.0.1 only.

    python bench/submit_faults.py                      # 300 users, 10 kills, at 100/min (6 minutes)
    python bench/submit_faults.py --users 20 --kills 2 --quick
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_UUID = "7c4e2a1b-9d3f-4b6a-8e5c-2f1a0b9c8d7e"
SECRET = "faultCampaignSecret42xyz"
KEY = f"ak_live:{KEY_UUID}:{SECRET}"

# What the sandbox may do to a request, and how often each is drawn among the faults.
KINDS = ("drop-before", "drop-after", "lost-answer", "5xx", "429-retry-after", "429-bare", "drip")


def fault(kind: str, rng: random.Random, timeout: float) -> dict:
    """The sandbox's description of one fault of `kind`."""
    if kind == "drop-before":
        return {"kind": "drop", "when": "before"}
    if kind == "drop-after":
        return {"kind": "drop", "when": "after"}
    if kind == "lost-answer":  # the server acts, and answers only after the client gave up
        return {"kind": "delay", "when": "after", "seconds": timeout + 1.0}
    if kind == "5xx":
        return {"kind": "status", "status": rng.choice((500, 502, 503, 504))}
    if kind == "429-retry-after":
        return {"kind": "status", "status": 429, "retry_after": "1"}
    if kind == "429-bare":
        return {"kind": "status", "status": 429}
    if kind == "drip":  # headers at once, then the body a byte every half second
        return {"kind": "drip", "seconds": 0.5}
    return {"kind": "none"}


def plan_faults(count: int, share: float, rng: random.Random, timeout: float) -> list[tuple[str, dict]]:
    """`count` requests' worth of faults, each request faulty with probability `share`."""
    plan = []
    for _ in range(count):
        kind = rng.choice(KINDS) if rng.random() < share else "none"
        plan.append((kind, fault(kind, rng, timeout)))
    return plan


def write_files(folder: Path, users: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    emails = []
    for i in range(users):
        email = f"fault{i}@example.com"
        (folder / f"user{i:04d}.sched").write_text(
            f"user Fault{i} Person <{email}> tz Europe/Berlin\n"
            "Mon-Fri 09:00-12:00, 13:00-17:00\nmeeting 30min zoom\n", encoding="utf-8")
        emails.append(email)
    return emails


def over_limit(times: list[float], rate: float, burst: int, slack: float) -> int:
    """How many of `times` a token bucket of `rate`/s and `burst` (plus `slack` tokens of
    tolerance for clock and network jitter) would not have let through."""
    tokens, last, refused = burst + slack, None, 0
    for moment in sorted(times):
        if last is not None:
            tokens = min(burst + slack, tokens + (moment - last) * rate)
        last = moment
        if tokens >= 1 - 1e-9:
            tokens -= 1
        else:
            refused += 1
    return refused


def busiest_minute(times: list[float]) -> int:
    times, most, start = sorted(times), 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 60:
            start += 1
        most = max(most, end - start + 1)
    return most


def read_journal(path: Path) -> tuple[list[dict], int]:
    """The journal's entries, and the number of lines that are not JSON (a line cut by a kill)."""
    entries, cut = [], 0
    if not path.exists():
        return entries, cut
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except ValueError:
            cut += 1
    return entries, cut


class SandboxProcess:
    """`schedc sandbox` on a free port of 127.0.0.1, limiting to `per_minute` in bursts of `burst`;
    `url` says where, `control` is an HTTP client for its control endpoints, `stop()` ends it."""

    def __init__(self, work: Path, env: dict, per_minute: float, burst: int, log: Path):
        import httpx

        self.log = open(log, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "schedc", "sandbox", "--port", "0", "-q", "--rate", f"{per_minute:g}/min",
             "--burst", str(burst)],
            stdout=subprocess.PIPE, stderr=self.log, cwd=work, env=env, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"the sandbox did not start (it said {self.url!r})")
        self.control = httpx.Client(base_url=self.url, timeout=30, trust_env=False)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Campaign:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = Path(args.work)
        self.project = self.work / "project"
        self.logs = self.work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.journal = self.project / "journal.jsonl"
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("MEETERGO_API_KEY", "MEETERGO_BASE_URL", "NO_COLOR")}
        self.env.update(MEETERGO_API_KEY=KEY, NO_COLOR="1", PYTHONPATH=str(ROOT))
        self.runs: list[dict] = []
        self.deadline = time.monotonic() + args.time_limit

    # ---- the sandbox
    def start_sandbox(self) -> None:
        self.sandbox = SandboxProcess(self.work, self.env, self.args.server_rate * 60, self.args.server_burst,
                                      self.logs / "sandbox.stderr")
        self.url, self.control = self.sandbox.url, self.sandbox.control

    def stop_sandbox(self) -> None:
        self.sandbox.stop()

    # ---- the client
    def command(self) -> list[str]:
        a = self.args
        return [sys.executable, "-m", "schedc", "submit", "team", "--json", "--journal", str(self.journal),
                "--base-url", self.url, "--timeout", f"{a.timeout:g}", "--attempts", str(a.attempts),
                "--backoff", "0.05", "--concurrency", str(a.concurrency),
                "--rate", f"{a.client_rate * 60:g}/min", "--burst", str(a.client_burst)]

    def run_once(self, kill_at: int | None) -> dict:
        """One run of `schedc submit`; with `kill_at`, SIGKILLed once it has written that many more
        journal lines (so the kill lands while it works, wherever that happens to be)."""
        number = len(self.runs) + 1
        out, err = self.logs / f"run{number:03d}.stdout", self.logs / f"run{number:03d}.stderr"
        started = time.monotonic()
        before = self._journal_lines()
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen(self.command(), cwd=self.project, env=self.env, stdout=stdout, stderr=stderr)
            killed = False
            try:
                while process.poll() is None and time.monotonic() < self.deadline:
                    if kill_at is not None and self._journal_lines() - before >= kill_at:
                        killed = True
                        break
                    time.sleep(0.01)
            finally:  # also when the time is up or the campaign itself is stopped: leave no client behind
                if process.poll() is None:
                    process.kill()  # SIGKILL: no handler runs, no line is finished
                    process.wait()
        run = {"run": number, "exit": process.returncode, "killed": killed,
               "seconds": round(time.monotonic() - started, 2), "stdout": out, "stderr": err}
        self.runs.append(run)
        return run

    def _journal_lines(self) -> int:
        try:
            return self.journal.read_bytes().count(b"\n")
        except FileNotFoundError:
            return 0

    # ---- the campaign
    def go(self) -> dict:
        a = self.args
        emails = write_files(self.project / "team", a.users)
        self.start_sandbox()
        try:
            plan = plan_faults(int(a.users * a.fault_span), a.fault_share, self.rng, a.timeout)
            self.control.post("/_sandbox/faults", json=[f for _, f in plan]).raise_for_status()
            started = time.monotonic()
            kills = 0
            done = False
            while len(self.runs) < a.max_runs and time.monotonic() < self.deadline:
                # about three journal lines per user (sending, sent, the outcome): the kills together
                # take at most the share of the work that leaves the last run something to do
                most = max(1, 3 * a.users // (a.kills + 1))
                run = self.run_once(self.rng.randint(1, most) if kills < a.kills else None)
                kills += run["killed"]
                if not run["killed"] and run["exit"] == 0:
                    done = True
                    break
            elapsed = time.monotonic() - started
            left = self.control.post("/_sandbox/faults", json=[]).json()["queued"]
            applied = Counter(kind for kind, _ in plan[:len(plan) - left] if kind != "none")
            requests = self.control.get("/_sandbox/requests").json()
            server = self.control.get("/_sandbox/users").json()
            (self.logs / "requests.json").write_text(json.dumps(requests), encoding="utf-8")  # for a closer look
        finally:
            self.stop_sandbox()
        return self.judge(emails, requests, server, applied, kills, done, elapsed)

    def judge(self, emails, requests, server, applied, kills, done, elapsed) -> dict:
        a = self.args
        checks: dict[str, tuple[bool, str]] = {}

        # every user created exactly once
        on_server = Counter(u["email"].lower() for u in server)
        missing = sorted(set(emails) - set(on_server))
        extra = sorted(set(on_server) - set(emails))
        twice = sorted(e for e, n in on_server.items() if n > 1)
        checks["done"] = (done, f"{len(self.runs)} runs, the last " +
                          ("done (exit 0)" if done else f"exit {self.runs[-1]['exit'] if self.runs else '-'}"))
        checks["created exactly once"] = (not missing and not extra and not twice and len(server) == len(emails),
                                          f"{len(server)} on the server for {len(emails)} files; missing "
                                          f"{len(missing)}, unexpected {len(extra)}, twice {len(twice)}")

        # the journal equals the server's records
        entries, cut = read_journal(self.journal)
        ours = [e for e in entries if e.get("base") == self.url]
        created: dict[str, set] = {}
        for entry in ours:
            if entry.get("outcome") == "created":
                ids = (entry.get("userId"), entry.get("availabilityId"), entry.get("meetingTypeId"))
                created.setdefault(str(entry.get("email")).lower(), set()).add(ids)
        records = {u["email"].lower(): (u["userId"], u["availabilityId"], u["meetingTypeId"]) for u in server}
        unequal = sorted(e for e, ids in created.items() if ids != {records.get(e)})
        unrecorded = sorted(set(records) - set(created))
        checks["journal equals server"] = (not unequal and not unrecorded,
                                           f"{len(created)} users with `created` entries; {len(unequal)} differ from "
                                           f"the server, {len(unrecorded)} server users without one")

        # the rate limit, across every run
        sent = [float(e["sent"]) for e in ours if isinstance(e.get("sent"), (int, float))]
        arrived = [float(r["received"]) for r in requests if r.get("path", "").startswith("/v4/")]
        # schedc's own pace, from its journal (times rounded to the millisecond)
        journal_over = over_limit(sent, a.client_rate, a.client_burst, 0.01)
        # the server's limit, from the arrivals
        arrival_over = over_limit(arrived, a.server_rate, a.server_burst, 0.0)
        injected_429 = applied["429-retry-after"] + applied["429-bare"]
        limiter_429 = sum(r.get("status") == 429 for r in requests) - injected_429
        checks["within the rate limit"] = (
            journal_over == 0 and arrival_over == 0 and limiter_429 == 0,
            f"{len(sent)} `sent` lines, {journal_over} beyond schedc's pace ({a.client_rate * 60:g}/min, bursts of "
            f"{a.client_burst}); {len(arrived)} arrivals, {arrival_over} beyond the server's limit "
            f"({a.server_rate * 60:g}/min, bursts of {a.server_burst}); {limiter_429} refused by its limiter")

        # the key, nowhere
        leaks = []
        texts = [(f"run {r['run']} stdout", r["stdout"]) for r in self.runs]
        texts += [(f"run {r['run']} stderr", r["stderr"]) for r in self.runs]
        texts += [("journal", self.journal)]
        for name, path in texts:
            data = path.read_bytes() if path.exists() else b""
            if SECRET.encode() in data or KEY_UUID.encode() in data:
                leaks.append(name)
        checks["key in no output"] = (not leaks, f"{len(texts)} outputs read" + (f"; found in {', '.join(leaks)}"
                                                                                  if leaks else ""))

        posts = Counter()
        for r in requests:
            if r.get("method") == "POST":
                try:
                    posts[str(json.loads(r.get("body") or "{}").get("email", "")).lower()] += 1
                except ValueError:
                    posts["?"] += 1
        figures = {
            "users": len(emails), "runs": len(self.runs), "kills": kills,
            "killed runs": [r["run"] for r in self.runs if r["killed"]],
            "exits": dict(Counter(str(r["exit"]) for r in self.runs if not r["killed"])),
            "requests": len(requests), "POST": sum(posts.values()),
            "GET": sum(r.get("method") == "GET" for r in requests),
            "POSTs per user (max)": max(posts.values(), default=0),
            "409 answers": sum(r.get("status") == 409 for r in requests),
            "faults applied": dict(sorted(applied.items())), "faults in all": sum(applied.values()),
            "busiest minute (requests)": busiest_minute(arrived),
            # arrivals closer together than schedc's pace allows: requests let through on time that
            # reached the server bunched up (network, a busy machine); the server's limit still holds
            "arrivals closer than the pace": over_limit(arrived, a.client_rate, a.client_burst, 0.0),
            "journal lines": len(entries) + cut, "journal lines cut by a kill": cut,
            "seconds": round(elapsed, 1),
        }
        return {"ok": all(ok for ok, _ in checks.values()), "figures": figures,
                "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}}


def print_summary(result: dict) -> None:
    f = result["figures"]
    print(f"submit under faults: {f['users']} users, {f['runs']} runs ({f['kills']} killed with SIGKILL), "
          f"{f['seconds']} s")
    print(f"  requests: {f['requests']} ({f['POST']} POST, {f['GET']} GET), at most {f['POSTs per user (max)']} "
          f"POSTs for one user, {f['409 answers']} answered 409")
    faults = ", ".join(f"{n} {kind}" for kind, n in f["faults applied"].items()) or "none"
    print(f"  faults applied: {f['faults in all']} ({faults})")
    print(f"  busiest minute: {f['busiest minute (requests)']} requests; arrivals closer than schedc's pace: "
          f"{f['arrivals closer than the pace']}")
    print(f"  exits of the runs not killed: {f['exits']}; journal lines {f['journal lines']}, "
          f"{f['journal lines cut by a kill']} cut by a kill")
    for name, check in result["checks"].items():
        print(f"  {'ok  ' if check['ok'] else 'FAIL'} {name}: {check['detail']}")
    print("all properties hold" if result["ok"] else "a property was violated")


def stop_on_sigterm() -> None:
    """A SIGTERM ends the campaign through its `finally` blocks, so no sandbox or client is left."""
    import signal

    def stop(signum, frame):
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, stop)


def options(argv=None) -> argparse.Namespace:
    """The command line, checked (exits 2 on a usage error)."""
    parser = argparse.ArgumentParser(
        prog="submit_faults.py", allow_abbrev=False,
        description="Run `schedc submit` against the sandbox under injected faults and SIGKILLs, re-run it "
                    "until done, and check that every user was created exactly once, that the journal matches "
                    "the server, that every run kept to the rate limit and that the key was never printed.")
    parser.add_argument("--users", type=int, default=300, help="users (files) to create (default 300)")
    parser.add_argument("--kills", type=int, default=10, help="runs to kill with SIGKILL (default 10)")
    parser.add_argument("--seed", type=int, default=8, help="seed of the faults and kill moments (default 8)")
    parser.add_argument("--max-runs", type=int, default=40, help="give up after this many runs (default 40)")
    parser.add_argument("--time-limit", type=float, default=900, metavar="SECONDS",
                        help="give up after this long (default 900)")
    parser.add_argument("--timeout", type=float, default=2.0, metavar="SECONDS",
                        help="schedc submit --timeout: the deadline of one attempt (default 2)")
    parser.add_argument("--attempts", type=int, default=3, help="schedc submit --attempts (default 3)")
    parser.add_argument("--concurrency", type=int, default=4, help="schedc submit --concurrency (default 4)")
    parser.add_argument("--server-rate", type=float, default=100.0, metavar="PER_MINUTE",
                        help="the sandbox's rate limit, as the API documents it (default 100 a minute, in "
                             "bursts of --server-burst); schedc paces at 90%% of it")
    parser.add_argument("--server-burst", type=int, default=20, help="the sandbox's burst (default 20)")
    parser.add_argument("--fault-share", type=float, default=0.25,
                        help="the share of requests that meet a fault (default 0.25)")
    parser.add_argument("--fault-span", type=float, default=1.5,
                        help="faults are drawn for users x this many requests, then the sandbox behaves (default 1.5)")
    parser.add_argument("--quick", action="store_true",
                        help="a short campaign for the test suite: a faster sandbox and client, shorter timeouts")
    parser.add_argument("--work", metavar="DIR", help="keep the files, journal and outputs here (default: a "
                                                      "temporary directory, removed afterwards)")
    parser.add_argument("--json", action="store_true", help="print the figures and checks as one JSON object")
    args = parser.parse_args(argv)
    if args.quick:
        args.server_rate, args.server_burst, args.timeout = 6000.0, 40, 1.0
    args.server_rate /= 60  # per second from here on
    args.client_rate, args.client_burst = args.server_rate * 0.9, max(1, args.server_burst // 2)
    if args.users < 1 or args.kills < 0 or args.max_runs < 1 or args.kills >= args.max_runs:
        parser.error("need --users >= 1, --kills >= 0 and --max-runs above --kills")
    return args


def main(argv=None) -> int:
    args = options(argv)

    stop_on_sigterm()

    def campaign() -> dict:
        return Campaign(args).go()

    if args.work:
        result = campaign()
    else:
        with tempfile.TemporaryDirectory(prefix="schedc-faults-") as work:
            args.work = work
            result = campaign()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_summary(result)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
