"""The sandbox as a fixture, and helpers to run `schedc submit` against it.

The sandbox runs as its own process (`python -m schedc sandbox --port 0`), so the tests
exercise the real command and a real socket on 127.0.0.1. Every run of `schedc submit`
through `submit()` checks that the key appears nowhere: not in stdout, stderr or the journal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from conftest import ROOT

KEY_UUID = "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"
SECRET = "Zx9secretQq7wholeKEY"
KEY = f"ak_live:{KEY_UUID}:{SECRET}"
FAST = ("--backoff", "0.01", "--rate", "6000/min", "--burst", "100")  # no real waiting in tests
SANDBOX_RATE, SANDBOX_BURST = "6000/min", 1000


class Box:
    """A handle on the running sandbox: its URL and its control endpoints."""

    def __init__(self, url: str):
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10, trust_env=False)

    def reset(self, rate: str = SANDBOX_RATE, burst: int = SANDBOX_BURST, retry_after: bool = False) -> None:
        self.http.post("/_sandbox/reset", json={"rate": rate, "burst": burst, "retry_after": retry_after}
                       ).raise_for_status()

    def faults(self, *faults: dict) -> None:
        self.http.post("/_sandbox/faults", json=list(faults)).raise_for_status()

    def clear_faults(self) -> None:
        self.http.delete("/_sandbox/faults").raise_for_status()

    def requests(self) -> list[dict]:
        return self.http.get("/_sandbox/requests").json()

    def users(self) -> list[dict]:
        return self.http.get("/_sandbox/users").json()


def serve(*options: str):
    """`schedc sandbox --port 0 OPTIONS` as a process: yields its URL, then stops it."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    process = subprocess.Popen(
        [sys.executable, "-m", "schedc", "sandbox", "--port", "0", "--rate", SANDBOX_RATE,
         "--burst", str(SANDBOX_BURST), "-q", *options],
        stdout=subprocess.PIPE, stderr=None, cwd=ROOT, env=env, text=True)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), (url, process.stderr.read() if process.poll() is not None else "")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def sandbox_process():
    yield from serve()


@pytest.fixture(scope="session")
def strict_sandbox_process():
    """`schedc sandbox --strict`: what the API reference does not document is refused."""
    yield from serve("--strict")


def _box(url: str):
    box = Box(url)
    box.reset()
    yield box
    box.http.close()


@pytest.fixture
def sandbox(sandbox_process) -> Box:
    yield from _box(sandbox_process)


@pytest.fixture
def strict_sandbox(strict_sandbox_process) -> Box:
    yield from _box(strict_sandbox_process)


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    journal: str

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stdout.splitlines()]


def submit_env(key=KEY, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MEETERGO_API_KEY", "MEETERGO_BASE_URL")}
    if key is not None:
        env["MEETERGO_API_KEY"] = key
    env.update(extra)
    return env


def submit(cwd: Path, *args: str, key=KEY, base=None, env=None, fast=True) -> Run:
    """`schedc submit ARGS` in `cwd`; asserts the key never shows in what it printed or wrote."""
    argv = [sys.executable, "-m", "schedc", "submit", *(FAST if fast else ()), *args]  # later options win
    if base is not None:
        argv += ["--base-url", base]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env={**submit_env(key), **(env or {})},
                          timeout=60)
    journal_path = Path(cwd) / ".schedc-journal.jsonl"
    journal = journal_path.read_text(encoding="utf-8") if journal_path.exists() else ""
    assert_no_key(key, done.stdout, done.stderr, journal)
    return Run(done.returncode, done.stdout, done.stderr, journal)


def paced(monkeypatch, pacer, count: int, *, wall: float = 1000.0, together: bool = False) -> list[float]:
    """The moments, sorted, at which `pacer` (a `schedc.meetergo.Pacer`) lets `count` requests go,
    one after another or (`together`) all asking at once, on a fake clock: the event loop's clock
    starts at 0 and moves only when someone waits, and the wall clock reads `wall` plus it. No
    wall time passes, so a loaded machine cannot change the answer."""
    import asyncio

    from schedc.meetergo import pacer as pacer_module

    now = [0.0]

    async def sleep(seconds):
        now[0] += seconds

    monkeypatch.setattr(pacer_module.asyncio, "sleep", sleep)
    monkeypatch.setattr(pacer_module.time, "time", lambda: wall + now[0])

    async def main():
        asyncio.get_running_loop().time = lambda: now[0]
        times = []

        async def one():
            await pacer()
            times.append(round(now[0], 6))

        if together:
            await asyncio.gather(*(one() for _ in range(count)))
        else:
            for _ in range(count):
                await one()
        return sorted(times)

    return asyncio.run(main())


def assert_no_key(key, *texts: str) -> None:
    """Neither the key nor any part of it that identifies it appears in `texts`."""
    parts = [SECRET, KEY_UUID] + ([key] + [p for p in key.split(":")[1:] if len(p) >= 6] if key else [])
    for text in texts:
        for part in parts:
            assert part not in text, "the API key leaked into the output"


GIVEN = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo"]


def write_user(folder: Path, n: int, *, duration: str = "30min", zone: str = "Europe/London") -> Path:
    """A valid one-user file for person `n` (e-mail person{n}@example.com)."""
    given = GIVEN[n % len(GIVEN)]
    path = folder / f"person{n:02d}.sched"
    path.write_text(
        f"user {given} Tester{n:02d} <person{n:02d}@example.com> tz {zone}\n"
        f'availability "Office hours"\n'
        f"Mon-Fri 09:00-12:00, 13:00-17:00\n"
        f'meeting "Intro call" {duration} zoom slug intro-{n:02d}\n', encoding="utf-8")
    return path


def write_team(folder: Path, count: int) -> Path:
    team = folder / "team"
    team.mkdir(exist_ok=True)
    for n in range(count):
        write_user(team, n)
    return team


def read_terminal(terminal: int) -> bytes:
    """All a child wrote to the pseudo-terminal `terminal` until it closed its end; closes ours."""
    seen = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the other end is closed and drained
            break
        if not chunk:
            break
        seen += chunk
    os.close(terminal)
    return seen


def journal_lines(text: str) -> list[dict]:
    """Every line of a journal: outcomes, and the `sent` lines that time each request."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def journal_entries(text: str) -> list[dict]:
    """The journal's outcome lines (`sending`, `created`, ...), without the `sent` timings."""
    return [entry for entry in journal_lines(text) if "outcome" in entry]


def compiled(path: Path) -> str:
    """The body submit must send: what `schedc compile` prints (the golden tests hold the two equal)."""
    import schedc

    return schedc.load(path).to_json()


class UserPages:
    """A tiny `GET /v4/user` on 127.0.0.1 that pages as configured: `count` users (None: new
    users for ever, a full page each time), honouring `skip` or not, with or without a total."""

    def __init__(self, count: int | None, *, honour_skip: bool = True, total_field: str | None = None):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlsplit

        self.asked: list[dict] = []
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = {k: int(v[0]) for k, v in parse_qs(urlsplit(self.path).query).items()}
                pages.asked.append(query)
                skip = query.get("skip", 0) if honour_skip else 0
                end = skip + query.get("limit", 20)
                body = {"users": [{"id": f"u{n}", "email": f"p{n}@example.com"}
                                  for n in range(skip, end if count is None else min(end, count))]}
                if total_field:
                    body[total_field] = count
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()
