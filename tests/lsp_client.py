"""A small Language Server Protocol client for the tests: `schedc lsp` as a subprocess, JSON-RPC on its pipes.

Messages are framed as the protocol says (`Content-Length` header, blank line, UTF-8 JSON). A
reader thread files responses by id and keeps notifications in arrival order, so a test can
send a request and wait for its answer, or wait for the diagnostics of a given version.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60  # seconds: a safety net so a broken server fails the test instead of hanging it


class ServerError(Exception):
    pass


class Client:
    def __init__(self, *, encodings: Optional[list[str]] = None, env: Optional[dict] = None,
                 args: tuple[str, ...] = (), cwd: Optional[Path] = None, workspace: Optional[dict] = None,
                 text_document: Optional[dict] = None):
        """`args` are added to `schedc lsp`; `workspace` is the client's workspace capabilities,
        `text_document` adds to its text document capabilities."""
        full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        full_env.update(env or {})
        self.process = subprocess.Popen([sys.executable, "-m", "schedc", "lsp", *args], cwd=cwd or ROOT,
                                        env=full_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self._next_id = 0
        self._versions: dict[str, int] = {}  # the last version `edit` sent of each document
        self._responses: dict[int, queue.Queue] = {}
        self._lock = threading.Lock()
        self.notifications: "queue.Queue[dict]" = queue.Queue()
        self.seen: list[dict] = []  # every notification taken from the queue so far
        self.asked: "queue.Queue[dict]" = queue.Queue()  # the server's requests (each answered with null)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        general = {"positionEncodings": encodings} if encodings else {}
        self.initialized = self.request("initialize", {
            "processId": os.getpid(), "rootUri": None, "capabilities": {
                "general": general, "workspace": workspace or {},
                "textDocument": {"publishDiagnostics": {"relatedInformation": True},
                                 "hover": {"contentFormat": ["markdown", "plaintext"]}, **(text_document or {})}}})
        self.notify("initialized", {})

    # ---- framing
    def _send(self, message: Any) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send_raw(self, data: bytes) -> None:
        """Bytes as they are: for messages framed wrong on purpose."""
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            message = json.loads(stream.read(int(headers["content-length"])).decode("utf-8"))
            if "id" in message and "method" not in message:
                with self._lock:
                    box = self._responses.setdefault(message["id"], queue.Queue())
                box.put(message)
            elif "id" in message:  # a request from the server (e.g. window/workDoneProgress/create)
                self.asked.put(message)
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            else:
                self.notifications.put(message)

    # ---- requests and notifications
    def request(self, method: str, params: Any) -> Any:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            box = self._responses.setdefault(ident, queue.Queue())
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        message = box.get(timeout=WAIT)
        if "error" in message:
            raise ServerError(f"{method}: {message['error']}")
        return message.get("result")

    def answer(self, ident: Any) -> dict:
        """The next answer (result or error) with id `ident` (None for the errors that have none)."""
        with self._lock:
            box = self._responses.setdefault(ident, queue.Queue())
        return box.get(timeout=WAIT)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method: str, accept: Callable[[dict], bool] = lambda params: True) -> dict:
        while True:
            message = self.notifications.get(timeout=WAIT)
            self.seen.append(message)
            if message.get("method") == method and accept(message.get("params")):
                return message["params"]

    # ---- documents
    def open(self, uri: str, text: str, version: int = 1) -> dict:
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "sched", "version": version, "text": text}})
        return self.diagnostics(uri, version)

    def change(self, uri: str, text: str, version: int) -> dict:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})
        return self.diagnostics(uri, version)

    def edit(self, uri: str, text: str) -> dict:
        """Send `text` as the document's next version (opening it the first time); its diagnostics."""
        self._versions[uri] = self._versions.get(uri, 0) + 1
        if self._versions[uri] == 1:
            return self.open(uri, text)
        return self.change(uri, text, self._versions[uri])

    def diagnostics(self, uri: str, version: int) -> dict:
        return self.wait_for("textDocument/publishDiagnostics",
                             lambda p: p["uri"] == uri and p.get("version") == version)

    def at(self, uri: str, line: int, character: int) -> dict:
        return {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}

    def close(self) -> int:
        """shutdown, exit, and the server's exit status."""
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            return self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                stream.close()
