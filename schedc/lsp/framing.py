"""The protocol's messages read off a byte stream under bounds, and answered when they are wrong.

A message is a header block (`Content-Length: N`, other headers, a blank line) and N bytes of
JSON. pygls reads them with `readline` and `read(N)`, which trusts the editor: a header line
with no end, or `Content-Length: 1000000000000`, takes memory until the process dies; a length
that is missing, negative or not a number leaves it waiting for headers that never come, and a
message it cannot make sense of gets no answer. Here, instead:

- a header line is at most `LINE` bytes and a header block at most `HEADERS`; a body at most
  the frame limit, which is read in chunks;
- a message whose framing is wrong (no length, a length that is no number, a body over the
  limit, a line too long) is answered with a JSON-RPC error, and reading resumes at the next
  header in the stream (`Content-Length:` or `Content-Type:`), so the server keeps serving;
- a body that is not JSON, a batch (an array: the protocol has none), or an object that is no
  JSON-RPC message gets an error answer with id null; a request whose params do not fit the
  method (a negative position, null params) gets an "invalid params" answer with its id.

pygls still does everything else: it turns each message into its types and runs the handlers.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Optional, Union

LINE = 8 * 1024  # a header line; real ones are under 100 bytes
HEADERS = 64 * 1024  # a whole header block
HEAD = 64 * 1024  # of a body over the limit, what is looked at to tell whose it was
CHUNK = 64 * 1024
PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS, INTERNAL_ERROR = -32700, -32600, -32602, -32603
_NEXT = re.compile(rb"content-(?:length|type)[ \t]*:", re.IGNORECASE)  # the headers the protocol has


class Malformed:
    """A message that could not be read whole: why, and for a body over the limit its first bytes."""

    def __init__(self, reason: str, head: bytes = b""):
        self.reason, self.head = reason, head


class Frames:
    """The bodies of the messages on `stream` (a binary file), one by one, within bounds."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit = stream, limit
        self.buffer = bytearray()
        self.ended = False
        self.lost = False  # after a malformed message: what follows it, up to the next one, is skipped

    def next(self) -> Union[bytes, Malformed, None]:
        """The next body, a `Malformed` for a message that could not be read, or None at the end.
        A malformed message is told at once; what is left of it is skipped on the next call, so
        that its answer does not wait for the message after it."""
        if self.lost:
            self.lost = False
            self._resync()
        headers = self._headers()
        if headers is None or isinstance(headers, Malformed):
            self.lost = headers is not None
            return headers
        length = self._length(headers)
        if isinstance(length, Malformed):
            self.lost = True
            return length
        if length > self.limit:
            self.lost = True
            return Malformed(f"the message is larger than the limit of {_size(self.limit)}", self._head(length))
        return self._take(length)

    # ---- the header block
    def _headers(self) -> Union[list[bytes], Malformed, None]:
        lines, total = [], 0
        while True:
            line = self._line()
            if line is None:
                return None
            if isinstance(line, Malformed):
                return line
            total += len(line)
            if total > HEADERS:
                return Malformed(f"the headers are longer than {_size(HEADERS)}")
            line = line.rstrip(b"\r\n")
            if not line:
                if lines:
                    return lines
                continue  # blank lines between messages are let pass
            lines.append(line)

    def _line(self) -> Union[bytes, Malformed, None]:
        while True:
            end = self.buffer.find(b"\n")
            if end >= 0:
                line = bytes(self.buffer[:end + 1])
                del self.buffer[:end + 1]
                return line
            if len(self.buffer) > LINE:
                self.buffer.clear()  # what there is of the line; the rest is skipped by the resync
                return Malformed(f"a header line is longer than {_size(LINE)}")
            if not self._fill():
                return None

    def _length(self, headers: list[bytes]) -> Union[int, Malformed]:
        found = None
        for line in headers:
            name, colon, value = line.partition(b":")
            if not colon:
                return Malformed(f"`{_shown(line)}` is not a header")
            if name.strip().lower() == b"content-length":
                value = value.strip()
                if not value.isdigit() or len(value) > 18:
                    return Malformed(f"the Content-Length `{_shown(value)}` is not a number of bytes")
                found = int(value)
        if found is None:
            return Malformed("the message has no Content-Length header")
        return found

    # ---- the body
    def _take(self, length: int) -> Optional[bytes]:
        """`length` bytes, read in chunks; None when the stream ends first."""
        while len(self.buffer) < length and self._fill():
            pass
        if len(self.buffer) < length:
            return None
        taken = bytes(self.buffer[:length])
        del self.buffer[:length]
        return taken

    def _head(self, length: int) -> bytes:
        """The first bytes of a body to be skipped, to tell whose it was: what has come of it
        already (up to `HEAD`), and never past the next header, which may well start the next
        message if this one's length was a lie."""
        if not self.buffer:
            self._fill()
        following = _NEXT.search(self.buffer, 1)
        end = min(length, HEAD, following.start() if following else len(self.buffer))
        head = bytes(self.buffer[:end])
        del self.buffer[:end]
        return head

    def _resync(self) -> None:
        """Skip to the next header, holding no more than a chunk meanwhile."""
        while True:
            match = _NEXT.search(self.buffer)
            if match:
                del self.buffer[:match.start()]
                return
            keep = len("content-length :") + 2  # a header cut between two chunks is found whole
            if len(self.buffer) > keep:
                del self.buffer[:-keep]
            if not self._fill():
                self.buffer.clear()
                return

    def _fill(self) -> bool:
        if self.ended:
            return False
        read = getattr(self.stream, "read1", None) or self.stream.read
        chunk = read(CHUNK)
        if not chunk:
            self.ended = True
            return False
        self.buffer += chunk
        return True


def _shown(data: bytes) -> str:
    text = data[:40].decode("ascii", "backslashreplace")
    return text + ("…" if len(data) > 40 else "")


def _size(size: int) -> str:
    from ..files import size_text

    return size_text(size)


# ---- what is done with each body
_STRING = rb'"(?:[^"\\]|\\.){0,2000}"'
_ID = re.compile(rb'"id"\s*:\s*(' + _STRING + rb'|-?\d{1,18})')
_METHOD = re.compile(rb'"method"\s*:\s*(' + _STRING + rb')')
_URI = re.compile(rb'"uri"\s*:\s*(' + _STRING + rb')')


def sniffed(head: bytes) -> tuple:
    """(method, id, document URI), each None where the first bytes of a body over the limit do
    not tell it: enough to answer a request by its id, or to say which document was too large."""
    def first(pattern: re.Pattern):
        match = pattern.search(head)
        try:
            return json.loads(match.group(1)) if match else None
        except ValueError:  # not UTF-8, or a broken escape
            return None

    return first(_METHOD), first(_ID), first(_URI)


def valid_id(value) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def handle(protocol, body: Union[bytes, Malformed], too_large: Optional[Callable[[str], None]] = None) -> None:
    """Pass one body to pygls, or answer it with an error. `too_large(uri)` is told of a document
    sent whole in a message over the limit (the server shows a diagnostic for it)."""
    if isinstance(body, Malformed):
        method, ident, uri = sniffed(body.head)
        if isinstance(uri, str) and too_large is not None and method in ("textDocument/didOpen",
                                                                         "textDocument/didChange"):
            too_large(uri)
        answer(protocol, ident if valid_id(ident) else None, INVALID_REQUEST if body.head else PARSE_ERROR,
               body.reason)
        return
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested past Python's stack
        answer(protocol, None, PARSE_ERROR, "the message is not JSON")
        return
    if isinstance(data, list):
        answer(protocol, None, INVALID_REQUEST, "batches of messages are not part of the Language Server Protocol: "
                                                "send each message on its own")
        return
    if not isinstance(data, dict) or data.get("jsonrpc") != "2.0" or not valid_id(data.get("id")) or (
            "method" in data and not isinstance(data["method"], str)):
        ident = data.get("id") if isinstance(data, dict) and valid_id(data.get("id")) else None
        answer(protocol, ident, INVALID_REQUEST, "not a JSON-RPC 2.0 message")
        return
    request = "method" in data and "id" in data
    try:
        message = protocol.structure_message(data)
    except Exception:  # pygls's JsonRpcInvalidParams, or anything its converter raises
        if request:
            answer(protocol, data["id"], INVALID_PARAMS, f"the params do not fit `{data['method'][:100]}`")
        return  # a notification or a response: nothing to answer
    try:
        protocol.handle_message(message)
    except Exception:
        if request:
            answer(protocol, data["id"], INTERNAL_ERROR, "the server failed on this request")
    _forget_finished(protocol)


def _forget_finished(protocol) -> None:
    """pygls files a future under a fresh id for every notification its own handlers take
    (didOpen, didChange, didClose) and never takes it out again: about 2 KB a message, 40 MB
    after 10,000 edits and 10,000 open/close pairs. A future that is done is waited on by no one."""
    futures = getattr(protocol, "_request_futures", None)
    if futures:
        for ident in [ident for ident, future in futures.items() if future.done()]:
            del futures[ident]


def answer(protocol, ident, code: int, message: str) -> None:
    protocol._send_data({"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}})


def run(server, stdin, stdout, limit: int, too_large: Optional[Callable[[str], None]] = None) -> None:
    """Serve on `stdin`/`stdout` until the editor says exit or closes stdin, as pygls's
    `start_io` does, but with the framing above. `limit` bounds one message; `too_large` as for
    `handle`."""
    import asyncio

    from pygls.io_ import StdoutWriter

    frames = Frames(stdin, limit)
    server.protocol.set_writer(StdoutWriter(stdout))

    async def loop() -> None:
        running = asyncio.get_running_loop()
        while True:
            body = await running.run_in_executor(server.thread_pool, frames.next)
            if body is None:
                return
            handle(server.protocol, body, too_large)

    try:
        asyncio.run(loop())
    except (BrokenPipeError, KeyboardInterrupt, SystemExit):  # exit: the editor said so, or went away
        pass
    finally:
        server.shutdown()


__all__ = ["Frames", "Malformed", "handle", "run"]
