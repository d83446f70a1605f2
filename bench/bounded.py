#!/usr/bin/env python3
"""Bounded on every input: the real commands against endless streams, giant files, devices,
FIFOs, deep and wide JSON, files at the size limit, and the language server against a 10 MB
document, storms of edits and of opened and closed documents, and malformed messages.

Every command runs in a child under an address-space limit (`--memory`, 1 GiB by default), so
an input read whole ends in a MemoryError instead of in a slow machine. For each run it records
the exit status, the peak memory (the child's maxrss, from wait4; for the language server its
VmHWM and VmRSS from /proc) and the wall time, and checks:

- the exit status is the one expected, and stderr says the expected words (the limit, the kind
  of file refused, or a diagnostic);
- nothing prints a traceback, an internal error or a MemoryError, and nothing runs past
  `--timeout`;
- the language server answers every malformed message, still answers afterwards, gets SC007
  for a document over the limit, and after the storms its resident memory is within
  `--growth` of where it was before them.

It prints one line per run and exits 1 when any check fails. Everything it writes goes under
one temporary directory; nothing talks to the network.

    python bench/bounded.py                    # every case at full size (about five minutes)
    python bench/bounded.py --quick            # small sizes, for the test suite (seconds)
    python bench/bounded.py stdin lsp-edits    # some cases
    python bench/bounded.py --plant unbounded  # commands given a limit of 64 GiB: must fail
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = "user Ana Lima <ana@example.com> tz Europe/London\nMon-Fri 09:00-12:00, 13:00-17:00\n45min connect\n"
KEY = "ak_live:5d1c0e2f-3a4b-4c6d-8e9f-0a1b2c3d4e5f:boundedCampaignSecret7"
LIMIT = 2 << 20  # schedc's default input limit
READING = ("check", "fmt", "compile", "import", "explain")  # the commands that read PATH or stdin
BROKEN = ("Traceback", "internal error", "MemoryError")


class Run:
    """One child: what it was, how it ended, what it cost."""

    def __init__(self, case: str, label: str, code, peak: int, seconds: float, problem: str = "", note: str = ""):
        self.case, self.label, self.code, self.peak, self.seconds = case, label, code, peak, seconds
        self.problem, self.note = problem, note

    def line(self) -> str:
        peak = f"{self.peak / 2 ** 20:7.1f} MiB" if self.peak else " " * 11
        verdict = f"FAILED: {self.problem}" if self.problem else "ok"
        code = "-" if self.code is None else str(self.code)
        return f"{self.case:<14} {self.label:<38} {code:>4} {peak} {self.seconds:7.2f} s  {verdict}{self.note}"


# ---- running one command under the memory limit
def schedc(args: list, cwd: Path, options, stdin=None) -> tuple:
    """(exit status, peak bytes, seconds, stderr) of `python -m schedc ARGS` under the limit."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MEETERGO_API_KEY")}
    env["MEETERGO_API_KEY"] = KEY
    argv = [sys.executable, "-m", "schedc", *options.planted, *args]
    with tempfile.TemporaryFile() as err:
        began = time.monotonic()
        child = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=err, preexec_fn=limiter(options.memory))
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - began > options.timeout:
                child.kill()
                os.wait4(child.pid, 0)
                return None, 0, time.monotonic() - began, f"still running after {options.timeout:g} s"
            time.sleep(0.005)
        seconds = time.monotonic() - began
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, seconds, text


def limiter(memory: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    return limit


def judge(case: str, label: str, outcome: tuple, code: int, words: str) -> Run:
    exit_code, peak, seconds, text = outcome
    problem = ""
    if exit_code is None:
        problem = text
    elif any(b in text for b in BROKEN):
        problem = "stderr: " + next(line for line in text.splitlines() if any(b in line for b in BROKEN))[:150]
    elif exit_code != code:
        problem = f"exit {exit_code}, expected {code}: {text.strip()[-150:]!r}"
    elif words not in text:
        problem = f"stderr lacks {words!r}: {text.strip()[-150:]!r}"
    return Run(case, label, exit_code, peak, seconds, problem)


def endless(line: bytes) -> subprocess.Popen:
    """A writer of `line` for ever, as `yes` is; its stdout is handed to schedc."""
    code = f"import sys\nchunk = {line!r} * 4096\nwhile True:\n    sys.stdout.buffer.write(chunk)\n"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


# ---- the command-line cases
TOO_LARGE = "larger than the limit of"


def case_stdin(work: Path, options) -> list:
    runs = []
    for command in READING:
        line = b'{"email": "a@b.c", ' if command == "import" else b"Mon 09:00-17:00\n"
        writer = endless(line)
        try:
            outcome = schedc([command, "-"], work, options, stdin=writer.stdout)
        finally:
            writer.kill()
            writer.wait()
            writer.stdout.close()
        runs.append(judge("stdin", f"{command} - (endless)", outcome, 2, TOO_LARGE))
    return runs


def case_giant(work: Path, options) -> list:
    size = options.giant
    sparse(work / "giant.sched", size)
    sparse(work / "giant.json", size)
    runs = [judge("giant", f"{command} ({size >> 20:,} MiB file)",
                  schedc([command, "giant.json" if command == "import" else "giant.sched"], work, options),
                  2, TOO_LARGE) for command in READING]
    sparse(work / "pyproject.toml", size)
    runs.append(judge("giant", f"check (a {size >> 20:,} MiB pyproject.toml)",
                      schedc(["check", "-"], work, options), 2, TOO_LARGE))
    os.unlink(work / "pyproject.toml")
    return runs


def case_devices(work: Path, options) -> list:
    runs = []
    for device in ("/dev/zero", "/dev/urandom"):
        name = Path(device).name
        (work / f"{name}.sched").symlink_to(device)
        (work / f"{name}.json").symlink_to(device)
        for command in READING:
            path = f"{name}.json" if command == "import" else f"{name}.sched"
            runs.append(judge("devices", f"{command} {path} -> {device}", schedc([command, path], work, options),
                              2, "it is a character device, not a regular file"))
    os.mkfifo(work / "fifo.sched")
    runs.append(judge("devices", "check fifo.sched (a FIFO)", schedc(["check", "fifo.sched"], work, options), 2,
                      "it is a FIFO (a named pipe), not a regular file"))
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(work / "socket.sched"))
    try:
        runs.append(judge("devices", "check socket.sched (a socket)", schedc(["check", "socket.sched"], work, options),
                          2, "it is a socket, not a regular file"))
    finally:
        listener.close()
    config = work / "config"
    config.mkdir()
    (config / "schedc.toml").symlink_to("/dev/zero")
    runs.append(judge("devices", "check (schedc.toml -> /dev/zero)", schedc(["check", "-"], config, options), 2,
                      "it is a character device, not a regular file"))
    return runs


def case_state(work: Path, options) -> list:
    team = work / "team"
    team.mkdir(exist_ok=True)
    (team / "ana.sched").write_text(GOOD)
    sparse(work / "giant-state.json", options.giant)
    sparse(work / "giant-journal.jsonl", options.giant)
    (work / "zero-key").symlink_to("/dev/zero")
    base = ["--base-url", "http://127.0.0.1:9"]  # nothing listens there, and no case gets that far
    cases = [
        ("apply --state /dev/null", ["apply", *base, "--state", "/dev/null", "team"], "a character device"),
        ("plan --state (a giant file)", ["plan", *base, "--state", "giant-state.json", "team"], TOO_LARGE),
        ("apply --journal (a giant file)", ["apply", *base, "--journal", "giant-journal.jsonl", "team"], TOO_LARGE),
        ("submit --journal (a giant file)", ["submit", *base, "--journal", "giant-journal.jsonl", "team"], TOO_LARGE),
        ("submit --api-key-file -> /dev/zero", ["submit", *base, "--api-key-file", "zero-key", "team"],
         "a character device"),
    ]
    return [judge("state", label, schedc(args, work, options), 2, words) for label, args, words in cases]


def case_saved(work: Path, options) -> list:
    """The inputs and outputs added with saved plans, `extend` and `check --fix`."""
    (work / "ana.sched").write_text(GOOD)
    (work / "zero.plan").symlink_to("/dev/zero")
    sparse(work / "giant.plan", options.giant)
    os.mkfifo(work / "out.fifo")
    shared = work / "shared"
    shared.mkdir()
    (shared / "ana.sched").write_text(GOOD)
    (shared / "schedc.toml").write_text('extend = "/dev/zero"\n')
    chain = work / "chain"
    chain.mkdir()
    (chain / "ana.sched").write_text(GOOD)
    for n in range(options.chain):
        (chain / ("schedc.toml" if n == 0 else f"c{n}.toml")).write_text(f'extend = "c{n + 1}.toml"\n')
    (chain / f"c{options.chain}.toml").write_text("strict = true\n")
    folder = work / "folder"
    (folder / "schedc.toml").mkdir(parents=True)
    (folder / "ana.sched").write_text(GOOD)
    (work / "zero.sched").symlink_to("/dev/zero")
    device = "it is a character device, not a regular file"
    cases = [
        ("show zero.plan -> /dev/zero", ["show", "zero.plan"], work, device),
        ("show (a giant plan)", ["show", "giant.plan"], work, TOO_LARGE),
        ("apply (a giant plan)", ["apply", "--auto-approve", "giant.plan"], work, TOO_LARGE),
        ("plan -o (a FIFO nobody reads)", ["plan", "-o", "out.fifo", "ana.sched"], work, "nothing reads from"),
        ("compile -o (a FIFO nobody reads)", ["compile", "-o", "out.fifo", "ana.sched"], work, "nothing reads from"),
        ("check --fix zero.sched ana.sched", ["check", "--fix", "zero.sched", "ana.sched"], work, device),
        ("check (extend = /dev/zero)", ["check", "ana.sched"], shared, device),
        (f"check (extend, {options.chain:,} files)", ["check", "ana.sched"], chain, "at most 16 are read"),
        ("check (schedc.toml a directory)", ["check", "ana.sched"], folder, "it is a directory"),
    ]
    return [judge("saved", label, schedc(args, cwd, options), 2, words) for label, args, cwd, words in cases]


def at_limit(work: Path, size: int) -> dict:
    """Files of `size` bytes that cost the most memory per byte: short lines, each a node."""
    head = "user Ana Lima <ana@example.com> tz UTC\n"
    files = {"comments.sched": head + "#\n" * ((size - len(head)) // 2),
             "offs.sched": head + "Mon off\n" * ((size - len(head) - 30) // 8) + "Tue 09:00-17:00\n45min connect\n",
             "deep.json": "[" * (size // 2) + "]" * (size // 2),
             "wide.json": "[" + ",".join(["{}"] * ((size - 2) // 3)) + "]",
             "keys.json": "{" + ",".join(f'"k{n:07d}":1' for n in range((size - 2) // 13)) + "}"}
    for name, text in files.items():
        (work / name).write_text(text)
    return files


def case_limit(work: Path, options) -> list:
    at_limit(work, options.at_limit)
    runs = []
    for command, path, code, words in (
            ("check", "comments.sched", 0, ""), ("fmt", "comments.sched", 0, ""), ("check", "offs.sched", 0, ""),
            ("compile", "offs.sched", 0, ""), ("explain", "offs.sched", 0, ""),
            ("fmt", "offs.sched", 1, "would be reformatted"), ("import", "deep.json", 1, "error[SC401]"),
            ("import", "wide.json", 1, "error[SC402]"), ("import", "keys.json", 1, "error[SC40")):
        args = [command, "--check", path] if command == "fmt" else [command, path]
        runs.append(judge("at-limit", f"{command} {path} ({options.at_limit >> 10:,} KiB)",
                          schedc(args, work, options), code, words))
    return runs


# ---- the language server
class Server:
    """`schedc lsp` in a child under the memory limit, spoken to over its pipes."""

    def __init__(self, options):
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        self.process = subprocess.Popen([sys.executable, "-m", "schedc", "lsp", *options.planted], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        preexec_fn=limiter(options.memory))
        self.messages: list = []
        self.keep = True  # keep the diagnostics published (a storm only counts them)
        self.counted = 0  # diagnostics published so far
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.ident = 0
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if not line.strip():
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            with self.arrived:
                if message.get("method") != "textDocument/publishDiagnostics" or self.keep:
                    self.messages.append(message)
                self.counted += message.get("method") == "textDocument/publishDiagnostics"
                self.arrived.notify_all()

    def send(self, data: bytes) -> None:
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def message(self, body) -> None:
        self.send(framed(json.dumps(body).encode()))

    def notify(self, method: str, params) -> None:
        self.message({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params):
        self.ident += 1
        self.message({"jsonrpc": "2.0", "id": self.ident, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.ident and "method" not in m)

    def wait(self, accept, timeout: float = 300):
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for message in self.messages:
                    if accept(message):
                        self.messages.remove(message)
                        return message
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise RuntimeError("no answer" if left <= 0 else f"the server exited ({self.process.returncode})")
                self.arrived.wait(left)

    def published(self, count: int, timeout: float = 600) -> None:
        """Wait until `count` diagnostics have been published since the start."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while self.counted < count:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the diagnostics stopped coming")
                self.arrived.wait(1)

    def memory(self, field: str = "VmRSS") -> int:
        with open(f"/proc/{self.process.pid}/status") as status:
            return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field + ":"))

    def close(self) -> int:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()

    def open(self, uri: str, text: str) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sched", "version": 1,
                                                              "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})


def lsp_run(case: str, label: str, options, work) -> Run:
    """Start a server, run `work(server)` (which returns a note), and judge it."""
    began = time.monotonic()
    server = Server(options)
    problem, note = "", ""
    try:
        note = work(server) or ""
    except (RuntimeError, AssertionError, OSError) as failed:
        problem = str(failed) or type(failed).__name__
    peak = server.memory("VmHWM") if server.process.poll() is None else 0
    try:
        code = server.close()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as failed:
        code, problem = None, problem or f"did not exit: {failed}"
    if code not in (0, None) and not problem:
        problem = f"exit {code}"
    return Run(case, label, code, peak, time.monotonic() - began, problem, note)


def document_over_the_limit(size: int):
    def work(server: Server) -> str:
        uri = f"file:///bench/big-{size}.sched"
        before = server.memory()
        server.open(uri, GOOD + "#" * (size - len(GOOD)))
        found = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri)["params"]["diagnostics"]
        codes = [d["code"] for d in found]
        assert codes == ["SC007"], f"diagnostics {codes}, expected one SC007"
        assert server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                     "position": {"line": 0, "character": 1}})["result"] is None
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        after = server.memory()
        return f"; RSS {before / 2 ** 20:.1f} -> {after / 2 ** 20:.1f} MiB after it was closed"
    return work


def storm(edits: int, pairs: int, growth: int):
    def work(server: Server) -> str:
        def round_of(edit_count: int, pair_count: int, tag: str, published: int) -> int:
            uri = f"file:///bench/{tag}.sched"
            server.open(uri, GOOD)
            for version in range(2, edit_count + 2):
                server.change(uri, GOOD + f"# edit {version}\n", version)
            for n in range(pair_count):
                other = f"file:///bench/{tag}-{n}.sched"
                server.open(other, GOOD)
                server.notify("textDocument/didClose", {"textDocument": {"uri": other}})
            published += 1 + edit_count + 2 * pair_count
            server.published(published)
            return published

        server.keep = False  # count the diagnostics, keep none
        published = round_of(200, 200, "warm-up", 0)
        before = server.memory()
        round_of(edits, pairs, "storm", published)
        after = server.memory()
        grown = after - before
        assert grown <= growth, f"resident memory grew by {grown / 2 ** 20:.1f} MiB"
        return f"; RSS {before / 2 ** 20:.1f} -> {after / 2 ** 20:.1f} MiB ({grown / 2 ** 10:+,.0f} KiB)"
    return work


def features(server: Server, uri: str) -> None:
    """Every request the editor sends about a document: tokens (full, delta, range), hints, the
    lens, pulled diagnostics, hover, completion, folding, outline, range formatting, fix-all."""
    document = {"textDocument": {"uri": uri}}
    lines = {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}
    full = server.request("textDocument/semanticTokens/full", document)["result"] or {}
    for method, params in (
            ("textDocument/semanticTokens/full/delta", {"previousResultId": full.get("resultId") or "none"}),
            ("textDocument/semanticTokens/range", {"range": lines}), ("textDocument/inlayHint", {"range": lines}),
            ("textDocument/codeLens", {}), ("textDocument/diagnostic", {}),
            ("textDocument/hover", {"position": {"line": 0, "character": 2}}),
            ("textDocument/completion", {"position": {"line": 1, "character": 0}}),
            ("textDocument/foldingRange", {}), ("textDocument/documentSymbol", {}),
            ("textDocument/rangeFormatting", {"range": lines, "options": {"tabSize": 4, "insertSpaces": True}}),
            ("textDocument/codeAction", {"range": lines, "context": {"diagnostics": [],
                                                                     "only": ["source.fixAll.schedc"]}})):
        answer = server.request(method, {**document, **params})
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")


def feature_storm(count: int, growth: int):
    """Edits with every feature asked for after each tenth, and documents opened, asked about,
    closed, and asked about again (an editor's requests that arrive after the close)."""
    def work(server: Server) -> str:
        published = 0

        def round_of(n: int, tag: str) -> None:
            nonlocal published
            uri = f"file:///bench/{tag}.sched"
            server.open(uri, GOOD)
            for version in range(2, n + 2):
                server.change(uri, GOOD + f"# edit {version}\n", version)
                if version % 10 == 0:
                    features(server, uri)
            for k in range(n):
                other = f"file:///bench/{tag}-{k}/doc.sched"
                server.open(other, GOOD)
                features(server, other)
                server.notify("textDocument/didClose", {"textDocument": {"uri": other}})
                features(server, other)
            published += 1 + n + 2 * n
            server.published(published)

        server.keep = False
        round_of(200, "warm-up")
        before = server.memory()
        round_of(count, "storm")
        after = server.memory()
        grown = after - before
        assert grown <= growth, f"resident memory grew by {grown / 2 ** 20:.1f} MiB"
        return f"; RSS {before / 2 ** 20:.1f} -> {after / 2 ** 20:.1f} MiB ({grown / 2 ** 10:+,.0f} KiB)"
    return work


def framed(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


MALFORMED = [
    b'Content-Length: 1000000000000\r\n\r\n{"jsonrpc": "2.0", "id": "huge", "method": "shutdown"}',
    b"Content-Length: -5\r\n\r\n{}",
    b"Content-Length: many\r\n\r\n{}",
    b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}",
    b"X-Endless: " + b"x" * 100_000,
    framed(b"not json"),
    framed(b"[]"),
    framed(b"[" * 50_000 + b"]" * 50_000),
    framed(b'{"jsonrpc": "2.0", "id": "null", "method": "textDocument/hover", "params": null}'),
    framed(b'{"jsonrpc": "2.0", "id": "negative", "method": "textDocument/hover", "params": {"textDocument": '
           b'{"uri": "file:///x.sched"}, "position": {"line": -1, "character": -1}}}'),
]


def malformed(server: Server) -> str:
    """Each malformed message answered with an error, and a request after it served."""
    for data in MALFORMED:
        server.send(data)
        answer = server.wait(lambda m: "error" in m and "method" not in m, timeout=60)
        assert answer["error"]["code"] in (-32700, -32600, -32602), f"answer {answer}"
        hover = server.request("textDocument/hover", {"textDocument": {"uri": "file:///bench/none.sched"},
                                                      "position": {"line": 0, "character": 0}})
        assert "result" in hover, f"after {data[:40]!r}: {hover}"
    uri = "file:///bench/after.sched"
    server.open(uri, GOOD.replace("London", "Londn"))
    found = server.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]["diagnostics"]
    assert [d["code"] for d in found] == ["SC107"], "no diagnostics after the malformed messages"
    return f"; {len(MALFORMED)} malformed messages, each answered, then served"


def case_lsp_document(work: Path, options) -> list:
    return [lsp_run("lsp-document", f"lsp: a {size / 1e6:g} MB document", options, document_over_the_limit(size))
            for size in options.documents]


def case_lsp_edits(work: Path, options) -> list:
    return [lsp_run("lsp-edits", f"lsp: {options.storm:,} edits of one document", options,
                    storm(options.storm, 0, options.growth))]


def case_lsp_open_close(work: Path, options) -> list:
    return [lsp_run("lsp-open-close", f"lsp: {options.storm:,} open/close pairs", options,
                    storm(0, options.storm, options.growth))]


def case_lsp_features(work: Path, options) -> list:
    return [lsp_run("lsp-features", f"lsp: {options.storm:,} edits and pairs, asked", options,
                    feature_storm(options.storm, options.growth))]


def case_lsp_malformed(work: Path, options) -> list:
    return [lsp_run("lsp-malformed", "lsp: malformed messages", options, malformed)]


CASES = {"stdin": case_stdin, "giant": case_giant, "devices": case_devices, "state": case_state,
         "saved": case_saved, "at-limit": case_limit, "lsp-document": case_lsp_document, "lsp-edits": case_lsp_edits,
         "lsp-open-close": case_lsp_open_close, "lsp-features": case_lsp_features, "lsp-malformed": case_lsp_malformed}


def options(argv=None) -> argparse.Namespace:
    """The command line, checked: exits 2 with a message on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], allow_abbrev=False)
    parser.add_argument("cases", nargs="*", choices=[[], *CASES], metavar="CASE",
                        help=f"the cases to run (default: all): {', '.join(CASES)}")
    parser.add_argument("--quick", action="store_true", help="small sizes: a giant file of 64 MiB, files of "
                                                             "128 KiB at the limit, storms of 500")
    parser.add_argument("--memory", type=int, default=1 << 30, help="the address-space limit, bytes (1 GiB)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one command may take (600)")
    parser.add_argument("--storm", type=int, help="edits, and open/close pairs, per storm (10,000)")
    parser.add_argument("--growth", type=int, default=4 << 20,
                        help="how much the server's resident memory may grow over a storm, bytes (4 MiB)")
    parser.add_argument("--plant", choices=["unbounded"],
                        help="unbounded: give every command a limit of 64 GiB, as if there were none; the "
                             "endless and giant inputs must then fail the run")
    options = parser.parse_args(argv)
    options.giant = (64 if options.quick else 1024) << 20
    options.at_limit = (128 << 10) if options.quick else LIMIT
    options.storm = options.storm or (500 if options.quick else 10_000)
    options.documents = [300_000, 900_000] if options.quick else [10_000_000, 15_000_000]
    options.chain = 100 if options.quick else 3_000
    options.planted = ["--max-input-size", "64GiB"] if options.plant == "unbounded" else []
    if options.quick:  # the documents above are over a limit of 128 KiB (messages over 832 KiB)
        options.planted = options.planted or ["--max-input-size", "128KiB"]
    return options


def main(argv=None) -> int:
    chosen = options(argv)
    print(f"bounded: {chosen.memory / 2 ** 30:g} GiB of address space per command; "
          f"input limit {'64 GiB (planted)' if chosen.plant else ('128 KiB' if chosen.quick else '2 MiB')}")
    print(f"{'case':<14} {'run':<38} {'exit':>4} {'peak':>11} {'time':>9}  verdict")
    runs = []
    with tempfile.TemporaryDirectory(prefix="schedc-bounded-") as tmp:
        for name in chosen.cases or CASES:
            work = Path(tmp) / name
            work.mkdir()
            for run in CASES[name](work, chosen):
                print(run.line(), flush=True)
                runs.append(run)
    failed = [run for run in runs if run.problem]
    print(f"{len(runs)} runs, {len(failed)} failed" + ("" if failed else ": every input bounded"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
