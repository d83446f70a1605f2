"""`schedc lsp` under bad and heavy input (issues 24 and 25): malformed framing and messages get
an error answer and the server keeps serving; a document over the limit gets one diagnostic and
no analysis; storms of edits and of opened and closed documents leave its memory where it was."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from lsp_client import Client

GOOD = "user Ana Lima <ana@example.com> tz Europe/London\nMon-Fri 09:00-12:00, 13:00-17:00\n45min connect\n"
URI = "file:///home/ana/schedules/ana.sched"
LIMIT = ("--max-input-size", "1KiB")  # documents of over 1 KiB get SC007; messages of over 70 KiB are refused
SC007 = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
         "message": "the document is larger than the limit of 1 KiB, so it was not checked\nhelp: if it is meant to "
                    "be this large, raise the limit with --max-input-size or `max-input-size` in the configuration",
         "severity": 1, "code": "SC007", "source": "schedc",
         "codeDescription": {"href": "https://github.com/schedc/schedc/blob/main/docs/diagnostics.md"
                                     "#sc007--the-input-is-larger-than-the-limit"}}


@pytest.fixture(scope="module")
def server():
    client = Client(args=LIMIT)
    yield client
    assert client.close() == 0


def error(ident, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": ident, "error": {"code": code, "message": message}}


def still_serving(server) -> None:
    assert server.request("textDocument/hover", server.at("file:///nowhere.sched", 0, 0)) is None


def request(ident, method: str, params) -> dict:
    return {"jsonrpc": "2.0", "id": ident, "method": method, "params": params}


# ---- framing
def test_a_huge_length_is_answered_by_the_id_it_gives_and_the_server_keeps_serving(server):
    server.send_raw(b'Content-Length: 1000000000000\r\n\r\n{"jsonrpc": "2.0", "id": 9001, "method": "shutdown"}')
    assert server.answer(9001) == error(9001, -32600, "the message is larger than the limit of 70 KiB")
    still_serving(server)


@pytest.mark.parametrize("frame, message", [
    (b"Content-Length: -5\r\n\r\n{}", "the Content-Length `-5` is not a number of bytes"),
    (b"Content-Length: 12abc\r\n\r\n{}", "the Content-Length `12abc` is not a number of bytes"),
    (b"Content-Length: 99999999999999999999999\r\n\r\n{}",
     "the Content-Length `99999999999999999999999` is not a number of bytes"),
    (b"Content-Type: application/vscode-jsonrpc\r\n\r\n{}", "the message has no Content-Length header"),
    (b"hello there\r\n\r\n", "`hello there` is not a header"),
    (b"X-Long: " + b"x" * 20_000, "a header line is longer than 8 KiB"),
    (b"X-Many: x\r\n" * 7_000 + b"\r\n", "the headers are longer than 64 KiB"),
])
def test_malformed_framing_is_answered_and_the_server_keeps_serving(server, frame, message):
    server.send_raw(frame)
    assert server.answer(None) == error(None, -32700, message)
    still_serving(server)


@pytest.mark.parametrize("body, ident, code, message", [
    (b"not json", None, -32700, "the message is not JSON"),
    (b"\xff\xfe{}", None, -32700, "the message is not JSON"),
    (b"[" * 100_000 + b"]" * 100_000, None, -32600, "the message is larger than the limit of 70 KiB"),
    (b"[" * 30_000 + b"]" * 30_000, None, -32700, "the message is not JSON"),  # nested past Python's stack
    (json.dumps([request("in-a-batch", "shutdown", None)]).encode(), None, -32600,
     "batches of messages are not part of the Language Server Protocol: send each message on its own"),
    (b"5", None, -32600, "not a JSON-RPC 2.0 message"),
    (b'{"id": "no-version", "method": "shutdown"}', "no-version", -32600, "not a JSON-RPC 2.0 message"),
    (b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "shutdown"}', None, -32600, "not a JSON-RPC 2.0 message"),
    (b'{"jsonrpc": "2.0", "id": "number", "method": 5}', "number", -32600, "not a JSON-RPC 2.0 message"),
])
def test_a_body_that_is_no_message_is_answered(server, body, ident, code, message):
    server.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert server.answer(ident) == error(ident, code, message)
    still_serving(server)


@pytest.mark.parametrize("params", [
    {"textDocument": {"uri": URI}, "position": {"line": -1, "character": 0}},
    {"textDocument": {"uri": URI}, "position": {"line": 0, "character": -3}},
    {"textDocument": {"uri": URI}, "position": {"line": 2 ** 40, "character": 0}},
    {"textDocument": {"uri": URI}},
    None,
    "hover",
])
def test_a_request_whose_params_do_not_fit_gets_an_invalid_params_answer(server, params):
    ident = f"bad-{json.dumps(params)}"
    server._send(request(ident, "textDocument/hover", params))
    assert server.answer(ident) == error(ident, -32602, "the params do not fit `textDocument/hover`")
    still_serving(server)


def test_a_message_with_no_params_where_none_are_needed_is_served(server):
    server._send({"jsonrpc": "2.0", "id": "no-params", "method": "textDocument/hover"})
    assert server.answer("no-params")["error"]["code"] == -32602
    server._send({"jsonrpc": "2.0", "id": "unknown", "method": "schedc/nothing", "params": {}})
    assert server.answer("unknown")["error"]["code"] == -32601  # pygls: method not found


# ---- documents over the limit
def test_a_document_over_the_limit_gets_one_diagnostic_and_no_analysis(server):
    uri = "file:///home/ana/big.sched"
    big = GOOD + "# padding\n" * 200  # about 2 KiB
    assert server.open(uri, big) == {"uri": uri, "diagnostics": [SC007], "version": 1}
    assert server.request("textDocument/hover", server.at(uri, 1, 2)) is None
    assert server.request("textDocument/completion", server.at(uri, 1, 0)) == {"isIncomplete": False, "items": []}
    assert server.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                      "options": {"tabSize": 4, "insertSpaces": True}}) is None
    assert server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "context": {"diagnostics": []},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}}}) == []
    # the next change, back under the limit, is analysed again
    assert server.change(uri, GOOD.replace("London", "Londn"), 2)["diagnostics"][0]["code"] == "SC107"


def test_a_document_over_the_limit_gets_no_tokens_hints_lens_or_outline(server):
    uri = "file:///home/ana/big-views.sched"
    assert server.open(uri, GOOD + "# padding\n" * 200) == {"uri": uri, "diagnostics": [SC007], "version": 1}
    document = {"textDocument": {"uri": uri}}
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 300, "character": 0}}
    full = server.request("textDocument/semanticTokens/full", document)
    assert full["data"] == []
    assert server.request("textDocument/semanticTokens/full/delta", {**document, "previousResultId": full["resultId"]}
                          )["edits"] == []
    assert server.request("textDocument/semanticTokens/range", {**document, "range": whole}) == {"data": []}
    assert server.request("textDocument/inlayHint", {**document, "range": whole}) == []
    assert server.request("textDocument/codeLens", document) == []
    assert server.request("textDocument/foldingRange", document) == []
    assert server.request("textDocument/documentSymbol", document) == []
    assert server.request("textDocument/documentHighlight", server.at(uri, 1, 1)) == []
    assert server.request("textDocument/rangeFormatting", {**document, "range": whole,
                                                           "options": {"tabSize": 4, "insertSpaces": True}}) is None
    assert server.request("textDocument/codeAction", {**document, "range": whole, "context": {
        "diagnostics": [], "only": ["source.fixAll.schedc"]}}) == []
    assert server.request("workspace/executeCommand", {"command": "schedc.explain", "arguments": [uri]}) is None
    assert server.request("textDocument/diagnostic", document) == {"kind": "full", "items": [SC007]}
    server.notify("textDocument/didClose", document)


def test_semantic_tokens_are_kept_for_open_documents_only(server):
    # an answer about a document that is not open was kept for ever: an editor asking after each
    # close grew the server by about 600 bytes a document
    uri = "file:///home/ana/tokens-kept.sched"
    document = {"textDocument": {"uri": uri}}
    before_open = server.request("textDocument/semanticTokens/full", document)
    server.open(uri, GOOD)
    delta = server.request("textDocument/semanticTokens/full/delta", {**document,
                                                                      "previousResultId": before_open["resultId"]})
    assert "data" in delta and "edits" not in delta  # nothing was kept to take a delta from
    again = server.request("textDocument/semanticTokens/full/delta", {**document, "previousResultId": delta["resultId"]})
    assert again["edits"] == []  # while it is open, the last answer is kept
    server.notify("textDocument/didClose", document)
    server.open(uri, GOOD, version=2)
    after = server.request("textDocument/semanticTokens/full/delta", {**document, "previousResultId": again["resultId"]})
    assert after["data"] == delta["data"] and "edits" not in after  # dropped when it was closed
    server.notify("textDocument/didClose", document)


def test_a_document_too_large_for_one_message_is_named_by_its_uri(server):
    uri = "file:///home/ana/giant.sched"
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "sched", "version": 1,
                                                            "text": GOOD + "#" * 200_000}})
    assert server.answer(None) == error(None, -32600, "the message is larger than the limit of 70 KiB")
    assert server.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri) == {
        "uri": uri, "diagnostics": [SC007]}
    assert server.request("textDocument/hover", server.at(uri, 0, 2)) is None
    assert server.change(uri, GOOD, 2) == {"uri": uri, "diagnostics": [], "version": 2}


def test_messages_are_shortened_and_escaped_as_the_command_line_shows_them(server):
    uri = "file:///home/ana/long.sched"
    text = "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-10:00, " + "9" * 600 + ":00-23:00\n"
    found = server.open(uri, text)["diagnostics"]
    assert found[0]["message"] == ("`999999999999999999999999999999…99999999999999999:00` is not a time\n"
                                   "help: times run from `00:00` to `24:00` (hours 0-24, minutes 00-59)")


# ---- memory
def resident(client: Client) -> int:
    """The server's resident memory, in KiB."""
    with open(f"/proc/{client.process.pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_storms_of_edits_and_of_opened_and_closed_documents_leave_memory_where_it_was():
    client = Client()
    try:
        def storm(edits: int, pairs: int, tag: str) -> None:
            uri = f"file:///home/ana/storm-{tag}.sched"
            client.open(uri, GOOD)
            for version in range(2, edits + 2):
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                         "contentChanges": [{"text": GOOD + f"# edit {version}\n"}]})
            client.diagnostics(uri, edits + 1)
            for n in range(pairs):
                other = f"file:///home/ana/{tag}-{n}.sched"
                client.notify("textDocument/didOpen", {"textDocument": {"uri": other, "languageId": "sched",
                                                                        "version": 1, "text": GOOD}})
                client.notify("textDocument/didClose", {"textDocument": {"uri": other}})
            still_serving(client)
            client.notifications.queue.clear()

        storm(200, 200, "warm")  # imports, caches and the allocator's first arenas
        before = resident(client)
        storm(2_000, 2_000, "storm")
        grown = resident(client) - before
        assert grown < 2_048, f"the server grew by {grown} KiB"  # about 9,000 KiB before the fix
    finally:
        assert client.close() == 0


def test_a_message_it_cannot_read_is_logged_in_one_line():
    # pygls logged each one with its whole traceback, forty lines on stderr: the editor's log of
    # the server, and a pipe that a client which never reads it fills
    def frame(message: dict) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    messages = [request(1, "initialize", {"capabilities": {}}), {"jsonrpc": "2.0", "method": "initialized", "params": {}},
                request(2, "textDocument/hover", {"textDocument": 5}), request(3, "textDocument/hover", "x"),
                request(4, "shutdown", None), {"jsonrpc": "2.0", "method": "exit"}]
    done = subprocess.run([sys.executable, "-m", "schedc", "lsp"], input=b"".join(map(frame, messages)),
                          capture_output=True, timeout=120)
    assert done.returncode == 0
    assert done.stderr.decode().splitlines() == ["schedc lsp: Unable to deserialize message"] * 2
    assert b'"id": 2, "error": {"code": -32602' in done.stdout
