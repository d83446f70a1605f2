"""A hostile server and careless neighbours: `schedc submit`, `plan --refresh` and `apply` against
the sandbox playing a server that echoes the key back in every answer, with the key file linked
among the schedules, then applies run back to back (some killed with SIGKILL) against a server
that counts every request, answers that drip, and states that are damaged.

It checks, and prints:
- the key in no output: not the key, its uuid, nor six characters of its secret, in the stdout
  or stderr of any run, in the journal or in the state;
- nothing from the server raw on a terminal: no escape, bell or bidirectional control that a
  server put in its answer reaches any output as it was sent;
- no crash: no run says "internal error" or shows a traceback, and every exit is 0 to 3;
- within the rate limit across runs: the journal's `sent` lines of all the runs together never
  go faster than schedc's pace, the arrivals never faster than the server's limit, and the
  busiest minute of arrivals holds at most what the limit allows;
- the deadline: a run against a server that drips its answers ends within its attempts times
  `--timeout`, plus start-up;
- damaged states refused: every damaged state is refused with exit 2 and a message that says so.

It exits 0 when every property holds, 1 when one is violated, 2 on a usage error. Everything it
writes goes under one temporary directory (or --work), and it talks to 127.0.0.1 only.

    python bench/hostile_server.py              # the campaign in docs/reliability.md (about 5 minutes)
    python bench/hostile_server.py --quick      # the suite's short form (seconds)
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

from submit_faults import ROOT, SandboxProcess, busiest_minute, over_limit, stop_on_sigterm

KEY_UUID = "5d0c7b2e-8a41-4f3c-9e6d-7b1a2c3d4e5f"
SECRET = "qUietK3yWz9xP4mB"
KEY = f"ak_live:{KEY_UUID}:{SECRET}"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\u202e"  # a terminal title, a cleared screen, a right-to-left override
RAW = ("\x1b", "\x07", "\u202e")

# What the server answers, for each scenario: the status and body of a `status` fault; in them
# `{authorization}` is the request's Authorization header, echoed back (see the sandbox).
ECHO = {"message": "{authorization} " + ESCAPES, "error": "{authorization}",
        "errors": [{"field": "{authorization}", "message": "{authorization} " + ESCAPES}]}
ANSWERS = {
    "400": {"status": 400, "body": {"statusCode": 400, **ECHO}, "reason": "{authorization}"},
    "401": {"status": 401, "body": {"statusCode": 401, **ECHO}},
    "403": {"status": 403, "body": {"statusCode": 403, **ECHO}},
    "404": {"status": 404, "body": {"statusCode": 404, **ECHO}},
    "409": {"status": 409, "body": {"statusCode": 409, **ECHO}},
    "429": {"status": 429, "body": {"statusCode": 429, **ECHO}, "reason": "{authorization}"},
    "500": {"status": 500, "body": {"statusCode": 500, **ECHO}},
    "201 ids": {"status": 201, "body": {"userId": "{authorization}", "availabilityId": "ak_live:x:{authorization}",
                                        "meetingTypeId": "m-1", "bookingUrl": "https://x/{authorization}" + ESCAPES,
                                        "companyId": "{authorization}"}},
    "201 text": {"status": 201, "raw": "Created {authorization}" + ESCAPES},
    "200 odd": {"status": 200, "body": {"id": "{authorization}", "name": "{authorization}" + ESCAPES,
                                        "timezone": "{authorization}", "givenName": "{authorization}",
                                        "meetingInfo": {"name": "{authorization}", "duration": 30},
                                        "schedule": {"monday": {"enabled": True, "hours": True}}}},
}
# The commands each answer meets: `submit` and `apply` create (POST), `--refresh` reads (GET) (so does
# a plain `apply` of users it already made).
COMMANDS = ("submit", "submit --json", "apply", "apply --json", "plan --refresh", "apply --refresh --json")
# The short form: each command with the answer that matters most to it.
QUICK = (("submit --json", "400"), ("apply", "201 ids"), ("plan --refresh", "200 odd"))


def write_users(folder: Path, first: int, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + count):
        (folder / f"user{i:04d}.sched").write_text(
            f"user Hostile{i} Person <hostile{i}@example.com> tz Europe/Berlin\n"
            "Mon-Fri 09:00-12:00, 13:00-17:00\nmeeting 30min zoom\n", encoding="utf-8")


def fragments(text: str, size: int) -> set[str]:
    return {text[i:i + size] for i in range(len(text) - size + 1)}


LEAKS = fragments(SECRET, 6) | fragments(KEY_UUID, 12)


class Campaign:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = Path(args.work)
        self.logs = self.work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("MEETERGO_API_KEY", "MEETERGO_BASE_URL", "NO_COLOR", "FORCE_COLOR")}
        self.env.update(PYTHONPATH=str(ROOT))
        self.runs: list[dict] = []  # every run: its command, exit, seconds, and where its outputs are
        self.files: list[Path] = []  # journals and states to search too

    # ---- running schedc
    def run(self, project: Path, argv: list[str], *, key_file: bool, kill_after: float | None = None,
            label: str = "") -> dict:
        number = len(self.runs) + 1
        out, err = self.logs / f"run{number:04d}.stdout", self.logs / f"run{number:04d}.stderr"
        env = dict(self.env) if key_file else {**self.env, "MEETERGO_API_KEY": KEY}
        extra = ["--api-key-file", str(self.work / "secret" / "key")] if key_file else []
        extra += ["--auto-approve"] if argv[0] == "apply" else []  # no terminal here: apply asks otherwise
        started = time.monotonic()
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            process = subprocess.Popen([sys.executable, "-m", "schedc", *argv, *extra], cwd=project, env=env,
                                       stdout=stdout, stderr=stderr)
            try:
                process.wait(timeout=kill_after if kill_after is not None else self.args.run_limit)
                killed = False
            except subprocess.TimeoutExpired:
                process.kill()  # SIGKILL: no handler runs
                process.wait()
                killed = True
        run = {"run": number, "label": label or " ".join(argv[:2]), "exit": process.returncode, "killed": killed,
               "seconds": round(time.monotonic() - started, 2), "stdout": out, "stderr": err}
        self.runs.append(run)
        return run

    def project(self, name: str, users: int) -> Path:
        project = self.work / name
        write_users(project / "team", 0, users)
        return project

    # ---- 1. a server that echoes the key, the key file among the schedules
    def hostile(self, box: SandboxProcess) -> dict:
        pairs = QUICK if self.args.quick else tuple((c, a) for a in ANSWERS for c in COMMANDS)
        fast = ["--rate", "6000/min", "--burst", "100", "--backoff", "0.01", "--attempts", "2"]
        count = 0
        for command, answer in pairs:
            for key_file in (False, True):
                count += 1
                project = self.project(f"hostile{count:03d}", 2)
                if key_file:  # the key file linked among the schedules: its excerpt must not show the key
                    os.symlink(self.work / "secret" / "key", project / "team" / "zz-key.sched")
                self.files += [project / ".schedc-journal.jsonl", project / ".schedc-state.json"]
                words = command.split()
                box.control.post("/_sandbox/reset").raise_for_status()
                if "--refresh" in words:  # users to read back: made first, by a run the server answers well
                    self.run(project, ["apply", "team", "--keep-going", "--base-url", box.url, *fast],
                             key_file=key_file, label="apply (setup)")
                box.control.post("/_sandbox/faults", json={"kind": "status", "times": 20, **ANSWERS[answer]})
                going = [] if words[0] == "plan" else ["--keep-going"]  # plan goes on past a bad file anyway
                self.run(project, [*words, "team", *going, "--base-url", box.url, *fast],
                         key_file=key_file, label=f"{command} / {answer}")
        return {"hostile runs": count, "answers": sorted({a for _, a in pairs}),
                "commands": sorted({c for c, _ in pairs})}

    # ---- 2. applies back to back against a server that counts, some killed
    def back_to_back(self, box: SandboxProcess, per_minute: float, burst: int) -> dict:
        a = self.args
        project = self.project("rate", 0)
        journal = project / ".schedc-journal.jsonl"
        self.files += [journal, project / ".schedc-state.json"]
        box.control.post("/_sandbox/reset", json={"rate": f"{per_minute:g}/min", "burst": burst}).raise_for_status()
        pace = ["--rate", f"{a.client_rate:g}/min", "--burst", str(a.client_burst)]
        kills, started = 0, time.monotonic()
        for n in range(a.rate_runs):
            write_users(project / "team", n * a.per_run, a.per_run)
            kill = self.rng.uniform(0.5, 2.5) if kills < a.kills and self.rng.random() < 0.5 else None
            command = (["plan", "--refresh", "team/user0000.sched"] if n % 3 == 2 else
                       ["apply", "team", "--if-exists", "adopt"])
            run = self.run(project, [*command, "--base-url", box.url, "--timeout", "5", *pace], key_file=False,
                           kill_after=kill, label=" ".join(command[:2]) + (" (killed)" if kill else ""))
            kills += run["killed"]
        requests = box.control.get("/_sandbox/requests").json()
        arrived = [float(r["received"]) for r in requests if r.get("path", "").startswith("/v4/")]
        sent = [float(e["sent"]) for e in _lines(journal) if isinstance(e.get("sent"), (int, float))]
        return {"rate runs": a.rate_runs, "killed": kills, "requests": len(arrived), "sent lines": len(sent),
                "busiest minute": busiest_minute(arrived), "limit per minute": per_minute, "pace": pace,
                # the journal stamps `sent` to the millisecond: two stamps rounded apart move the
                # bucket by up to 2 ms of tokens, which is no pacing fault
                "sent beyond the pace": over_limit(sent, a.client_rate / 60, a.client_burst,
                                                   max(0.01, 0.002 * a.client_rate / 60)),
                "arrivals beyond the limit": over_limit(arrived, per_minute / 60, burst, 0.0),
                "refused by the limiter": sum(r.get("status") == 429 for r in requests),
                "seconds": round(time.monotonic() - started, 1)}

    # ---- 3. answers that drip: --timeout bounds every attempt
    def dripping(self, box: SandboxProcess) -> dict:
        timeout, attempts = self.args.drip_timeout, 2
        project = self.project("drip", 1)
        self.files += [project / ".schedc-journal.jsonl", project / ".schedc-state.json"]
        box.control.post("/_sandbox/reset").raise_for_status()
        self.run(project, ["apply", "team", "--base-url", box.url], key_file=False, label="apply (setup)")
        write_users(project / "team", 1, 1)
        took = {}
        for command in (["apply", "team"], ["plan", "--refresh", "team"], ["submit", "team", "--no-journal"]):
            box.control.post("/_sandbox/faults", json={"kind": "drip", "seconds": 0.5, "times": 10})
            run = self.run(project, [*command, "--base-url", box.url, "--timeout", f"{timeout:g}", "--attempts",
                                     str(attempts), "--backoff", "0.1"], key_file=False,
                           label=" ".join(command[:2]) + " (dripping)")
            took[" ".join(command[:2])] = run["seconds"]
            box.control.delete("/_sandbox/faults")
        return {"timeout": timeout, "attempts": attempts, "seconds": took}

    # ---- 4. damaged states
    def damaged(self) -> dict:
        project = self.project("damaged", 1)
        state = project / ".schedc-state.json"
        verdicts: Counter = Counter()
        for n in range(self.args.states):
            state.write_text(damage(self.rng, n), encoding="utf-8")
            for command in ("plan", "apply"):
                run = self.run(project, [command, "team", "--base-url", "http://127.0.0.1:9"], key_file=False,
                               label=f"{command} (damaged state {n})")
                said = run["stderr"].read_text(encoding="utf-8", errors="replace")
                verdicts["refused as damaged" if run["exit"] == 2 and (" is damaged: " in said or "not valid JSON"
                                                                          in said) else
                         f"exit {run['exit']}: {said.splitlines()[0] if said else ''}"] += 1
        return {"damaged states": self.args.states, "verdicts": dict(verdicts)}

    # ---- the campaign
    def go(self) -> dict:
        a = self.args
        (self.work / "secret").mkdir(exist_ok=True)
        (self.work / "secret" / "key").write_text(KEY + "\n", encoding="utf-8")
        box = SandboxProcess(self.work, self.env, 6000, 1000, self.logs / "sandbox.stderr")
        try:
            figures = {"hostile": self.hostile(box)}
            figures["rate"] = self.back_to_back(box, a.server_rate, a.server_burst)
            figures["drip"] = self.dripping(box)
        finally:
            box.stop()
        figures["damaged"] = self.damaged()
        return self.judge(figures)

    def judge(self, figures: dict) -> dict:
        a = self.args
        checks: dict[str, tuple[bool, str]] = {}
        outputs = [(f"run {r['run']} ({r['label']}) {kind}", r[kind])
                   for r in self.runs for kind in ("stdout", "stderr")]
        outputs += [(str(path.relative_to(self.work)), path) for path in self.files]
        leaks, raw, crashes = [], [], []
        for name, path in outputs:
            text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
            if KEY in text or any(part in text for part in LEAKS):
                leaks.append(name)
            if any(c in text for c in RAW):
                raw.append(name)
        for r in self.runs:
            said = r["stderr"].read_text(encoding="utf-8", errors="replace")
            if not r["killed"] and ("internal error" in said or "Traceback" in said or r["exit"] not in (0, 1, 2, 3)):
                crashes.append(f"run {r['run']} ({r['label']}): exit {r['exit']}")
        checks["key in no output"] = (not leaks, f"{len(outputs)} outputs, journals and states read"
                                      + (f"; found in {', '.join(leaks[:5])}" if leaks else ""))
        checks["nothing raw on a terminal"] = (not raw, f"{len(outputs)} read" + (f"; raw in {', '.join(raw[:5])}"
                                                                                   if raw else ""))
        checks["no crash"] = (not crashes,
                              f"{len(self.runs)} runs" + (f"; {'; '.join(crashes[:5])}" if crashes else ""))
        rate = figures["rate"]
        allowed = a.server_burst + a.server_rate  # any 60 s window: a full bucket and a minute of refill
        checks["within the rate limit"] = (
            rate["sent beyond the pace"] == 0 and rate["arrivals beyond the limit"] == 0
            and rate["refused by the limiter"] == 0 and rate["busiest minute"] <= min(allowed, a.client_burst
                                                                                       + a.client_rate),
            f"{rate['rate runs']} runs ({rate['killed']} killed), {rate['requests']} requests; the busiest minute "
            f"held {rate['busiest minute']}; {rate['sent beyond the pace']} sent beyond schedc's pace, "
            f"{rate['arrivals beyond the limit']} arrivals beyond the server's limit, {rate['refused by the limiter']} "
            "refused by it")
        drip = figures["drip"]
        bound = drip["timeout"] * drip["attempts"] + 0.1 + a.start_slack
        checks["the deadline"] = (all(s <= bound for s in drip["seconds"].values()),
                                  ", ".join(f"{c} {s:.1f} s" for c, s in drip["seconds"].items())
                                  + f" (bound {bound:.1f} s)")
        verdicts = figures["damaged"]["verdicts"]
        refused = verdicts.get("refused as damaged", 0)
        checks["damaged states refused"] = (refused == 2 * figures["damaged"]["damaged states"],
                                            f"{refused} of {2 * figures['damaged']['damaged states']} runs refused "
                                            "the state as damaged" + (f"; others: {verdicts}" if len(verdicts) > 1
                                                                      else ""))
        figures["runs"] = len(self.runs)
        figures["exits"] = dict(Counter(str(r["exit"]) for r in self.runs))
        return {"ok": all(ok for ok, _ in checks.values()), "figures": figures,
                "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}}


def damage(rng: random.Random, n: int) -> str:
    """The `n`th damaged state: a good one with one value replaced, cut short, or nested deep."""
    good = {"format": "schedc-state", "version": 1, "servers": {"http://127.0.0.1:9": {"users": {
        "hostile0@example.com": {"file": "team/user0000.sched", "userId": "u-1", "availabilityId": "a-1",
                                 "meetingTypeId": "m-1", "applied": {"email": "hostile0@example.com", "availability": {
                                     "schedule": {"monday": {"enabled": True, "hours": [
                                         {"start": "09:00", "end": "12:00"}]}}}}}}}}}
    users = good["servers"]["http://127.0.0.1:9"]["users"]
    entry = users["hostile0@example.com"]
    kind = n % 4
    if kind == 0:  # the entry itself
        users["hostile0@example.com"] = rng.choice(["x", 5, True, [], 1.5])
    elif kind == 1:  # one field, as something that is no string nor object
        entry[rng.choice(["userId", "availabilityId", "meetingTypeId", "file", "applied", "creating"])] = rng.choice(
            [5, True, [], [1], 1.5, -1])
    elif kind == 2:  # deep in `applied`
        day = entry["applied"]["availability"]["schedule"]["monday"]
        key = rng.choice(["hours", "enabled"])
        day[key] = rng.choice(["x", 5, True, 1.5, ""] if key == "hours" else ["yes", 1, [], {}])
    else:  # nested deeper than anything can read, or cut short
        return ("[" * 100_000 + "]" * 100_000) if n % 8 == 3 else json.dumps(good)[: rng.randint(10, 200)]
    return json.dumps(good)


def _lines(path: Path) -> list[dict]:
    entries = []
    for line in path.read_bytes().splitlines() if path.exists() else ():
        try:
            entries.append(json.loads(line))
        except ValueError:
            pass
    return entries


def print_summary(result: dict) -> None:
    f = result["figures"]
    h, r, d = f["hostile"], f["rate"], f["drip"]
    print(f"hostile server: {f['runs']} runs; exits {f['exits']}")
    print(f"  echoing the key: {h['hostile runs']} runs ({len(h['answers'])} answers, {len(h['commands'])} commands; "
          "the key from the environment, and from a file linked among the schedules)")
    print(f"  back to back: {r['rate runs']} runs ({r['killed']} killed), {r['requests']} requests, busiest minute "
          f"{r['busiest minute']} (limit {r['limit per minute']:g}), {r['seconds']} s")
    print(f"  dripping answers, --timeout {d['timeout']:g} x {d['attempts']} attempts: "
          + ", ".join(f"{c} {s:.1f} s" for c, s in d["seconds"].items()))
    print(f"  damaged states: {f['damaged']['damaged states']}, each through plan and apply")
    for name, check in result["checks"].items():
        print(f"  {'ok  ' if check['ok'] else 'FAIL'} {name}: {check['detail']}")
    print("all properties hold" if result["ok"] else "a property was violated")


def options(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="hostile_server.py", allow_abbrev=False,
        description="Run submit, plan --refresh and apply against a server that echoes the key in every answer "
                    "(and the key file linked among the schedules), then applies back to back against a server "
                    "that counts requests, answers that drip, and damaged states; check that the key is in no "
                    "output, journal or state, that nothing raw reaches a terminal, that the runs together keep "
                    "to the rate limit, that --timeout bounds a run, and that damaged states are refused.")
    parser.add_argument("--seed", type=int, default=25, help="seed of the kills and the damage (default 25)")
    parser.add_argument("--rate-runs", type=int, default=12, help="runs back to back (default 12)")
    parser.add_argument("--per-run", type=int, default=10, help="new users for each run back to back (default 10)")
    parser.add_argument("--kills", type=int, default=4, help="runs back to back killed with SIGKILL (default 4)")
    parser.add_argument("--states", type=int, default=40, help="damaged states tried (default 40)")
    parser.add_argument("--server-rate", type=float, default=100.0, metavar="PER_MINUTE",
                        help="the server's limit for the runs back to back (default 100 a minute, as the API's)")
    parser.add_argument("--server-burst", type=int, default=200, help="its burst (default 200, as the API's)")
    parser.add_argument("--drip-timeout", type=float, default=2.0, metavar="SECONDS",
                        help="--timeout of the runs against dripping answers (default 2)")
    parser.add_argument("--run-limit", type=float, default=300, metavar="SECONDS",
                        help="kill a run that takes longer (default 300)")
    parser.add_argument("--quick", action="store_true",
                        help="a short campaign for the test suite: fewer scenarios, runs and states, a faster pace")
    parser.add_argument("--work", metavar="DIR", help="keep the files and outputs here (default: a temporary "
                                                      "directory, removed afterwards)")
    parser.add_argument("--json", action="store_true", help="print the figures and checks as one JSON object")
    args = parser.parse_args(argv)
    if args.quick:
        args.rate_runs, args.per_run, args.kills, args.states = 4, 3, 1, 4
        args.server_rate, args.server_burst, args.drip_timeout = 3000.0, 20, 1.0
    # schedc's own pace: its defaults (90 a minute, bursts of 10), scaled with a faster server
    args.client_rate, args.client_burst = args.server_rate * 0.9, 10
    args.start_slack = 8.0  # seconds a run may take to start and end, beyond its deadlines
    if min(args.rate_runs, args.per_run, args.states) < 1 or args.kills < 0:
        parser.error("need --rate-runs, --per-run and --states of at least 1, and --kills of at least 0")
    return args


def main(argv=None) -> int:
    args = options(argv)
    stop_on_sigterm()
    if args.work:
        Path(args.work).mkdir(parents=True, exist_ok=True)
        result = Campaign(args).go()
    else:
        with tempfile.TemporaryDirectory(prefix="schedc-hostile-") as work:
            args.work = work
            result = Campaign(args).go()
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print_summary(result)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
