"""One request, attempted until it is settled: each attempt bounded in time and in the size of
its answer, 429, 5xx, lost answers and network errors retried with backoff and Retry-After;
and the answer's message and field errors read as untrusted text."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Optional

import httpx

from ..secrets import untrusted
from .outcomes import Failed, FieldError, Pace, Watch
from .pacing import Backoff, parse_retry_after


MAX_ANSWER = 1 << 20  # bytes: the API answers with a few hundred; more is not an answer to read


class NoAnswer(Exception):
    """An attempt that got no usable answer in time: the deadline passed, or the answer was
    larger than MAX_ANSWER. Like a network error, the request may have reached the server."""


async def exchange(client: httpx.AsyncClient, method: str, url: str, *, deadline: float,
                   **request) -> httpx.Response:
    """One request and its whole answer within `deadline` seconds, the answer at most
    MAX_ANSWER bytes. httpx's timeouts bound each read, not the attempt: a server that drips
    a byte every half second would otherwise keep an attempt alive for ever."""
    async def whole() -> httpx.Response:
        async with client.stream(method, url, **request) as response:
            received = bytearray()
            async for chunk in response.aiter_raw():
                received += chunk
                if len(received) > MAX_ANSWER:
                    raise NoAnswer(f"the answer was larger than {MAX_ANSWER // 1024} KiB")
            return httpx.Response(response.status_code, headers=response.headers, content=bytes(received),
                                  request=response.request)

    try:
        return await asyncio.wait_for(whole(), deadline)
    except asyncio.TimeoutError:
        raise NoAnswer(f"no whole answer within {deadline:g} s") from None


async def retrying(method: str, url: str, answer: Callable[[httpx.Response, int, bool], Optional[Any]], *,
                    timeout: float, backoff: Backoff, pace: Optional[Pace], client: Optional[httpx.AsyncClient],
                    uncertain: bool = False, watch: Optional[Watch] = None, **request) -> Any:
    """Attempts of one request until `answer(response, attempt, uncertain)` settles it, or the
    attempts run out (then `Failed`). 429, 5xx, lost answers and network errors are retried
    with backoff and Retry-After; `uncertain` turns true once an attempt may have reached the
    server without its answer reaching us. The one retry loop of POST, GET and PATCH alike."""
    own = client is None
    if client is None:
        client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)
    try:
        attempt = 0
        while True:
            attempt += 1
            if pace is not None:
                await pace()
            status, retry_after = None, None
            try:
                response = await exchange(client, method, url, deadline=timeout, **request)
            except NoAnswer as exc:
                reason, uncertain = str(exc), True
            except httpx.TransportError as exc:
                reason = transport_reason(exc)
                uncertain |= not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
            else:
                outcome = answer(response, attempt, uncertain)
                if outcome is not None:
                    return outcome
                status, reason = response.status_code, f"HTTP {response.status_code} {answer_message(response)}".rstrip()
                uncertain |= status >= 500
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            wait = backoff.delay(attempt, retry_after)
            if wait is None:
                return Failed(reason, status, attempt, uncertain)
            if watch is not None:
                watch("retry", reason=reason if status is None else f"HTTP {status}", attempt=attempt + 1, wait=wait)
            await asyncio.sleep(wait)
    finally:
        if own:
            await client.aclose()


def answer_data(response: httpx.Response) -> Any:
    """The answer's JSON, or None when it is not JSON (or nested too deep to read)."""
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def answer_object(response: httpx.Response) -> dict:
    data = answer_data(response)
    return data if isinstance(data, dict) else {}


def answer_message(response: httpx.Response) -> str:
    """The answer's `message`, as untrusted text (see `secrets.untrusted`)."""
    message = answer_object(response).get("message", "")
    if isinstance(message, list):  # some frameworks send a list of messages
        message = "; ".join(map(str, message))
    return untrusted(message)


def answer_phrase(response: httpx.Response) -> str:
    return untrusted(response.reason_phrase)


def field_errors(response: httpx.Response) -> tuple[FieldError, ...]:
    return tuple(FieldError(untrusted(e.get("field", ""), 200), untrusted(e.get("message", "")))
                 for e in listed(answer_object(response).get("errors"))[:50] if isinstance(e, dict))


def listed(value: Any) -> list:
    return value if isinstance(value, list) else []


def transport_reason(exc: httpx.TransportError) -> str:
    names = {httpx.ConnectError: "could not connect", httpx.ConnectTimeout: "timed out connecting",
             httpx.ReadTimeout: "timed out waiting for the answer", httpx.WriteTimeout: "timed out sending",
             httpx.PoolTimeout: "timed out waiting for a connection",
             httpx.RemoteProtocolError: "the server closed the connection without an answer",
             httpx.ReadError: "the connection broke while reading the answer"}
    detail = ""
    if isinstance(exc, (httpx.ConnectError, httpx.ReadError)) and str(exc):
        detail = f" ({exc})"  # an OS error such as `[Errno 111] Connection refused`; never a header
    for kind, text in names.items():
        if isinstance(exc, kind):
            return text + detail
    return f"network error ({type(exc).__name__})"


def async_client(concurrency: int = 4, timeout: float = 30.0) -> httpx.AsyncClient:
    """An HTTP client for a run of calls: at most `concurrency` connections, no redirects, no
    proxy settings taken from the environment (as `submit_batch` uses)."""
    return httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=max(1, concurrency)),
                             follow_redirects=False, trust_env=False)


__all__ = ["MAX_ANSWER", "NoAnswer", "answer_data", "answer_message", "answer_object", "answer_phrase", "async_client", "exchange", "field_errors", "listed", "retrying", "transport_reason"]
