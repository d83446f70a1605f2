"""Creating users on meetergo: the key, the request, retries, pacing and the journal.

`submit` sends one compiled request and returns a typed outcome; `submit_async` is its twin
for code that already runs an event loop, and `submit_batch` sends many, paced and bounded,
recording every outcome in a `Journal` so that a re-run sends only what is not done yet.
Nothing here prints or exits. Problems that stop the tool before anything is sent (a refused
key, an unsafe base URL, an unusable journal) raise `SubmitError`. The key lives in an
`ApiKey`, whose repr and str are redacted; it never enters an outcome, a message or the journal.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional, Sequence, Union
from urllib.parse import urlsplit

import httpx

from ..secrets import remember

from .pacing import Backoff, TokenBucket, parse_retry_after

DEFAULT_BASE_URL = "https://api.meetergo.com"
DEFAULT_JOURNAL = ".schedc-journal.jsonl"
PATH = "/v4/user"
REDACTED = "Bearer <redacted>"
PAT_REFUSED = ("this is a personal access token (`rgo-…`), and personal tokens cannot create users: "
               "use a Platform API Key (`ak_live:<uuid>:<secret>`), created by a company owner or admin "
               "under Settings → API")


class SubmitError(Exception):
    """The tool cannot do its job: no usable key, an unsafe base URL, an unusable journal."""

    def __init__(self, message: str, kind: str = "tool"):
        super().__init__(message)
        self.kind = kind


# ---- the key
class ApiKey:
    """An API key that never shows itself: repr and str are redacted, and it does not pickle."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str):
        secret = secret.strip()
        if not secret:
            raise SubmitError("the API key is empty", kind="key")
        remember(secret)  # whatever happens next, no printed line shows it
        if secret.lower().startswith("rgo-"):
            raise SubmitError(PAT_REFUSED, kind="key")
        if any(not 33 <= ord(c) <= 126 for c in secret):
            raise SubmitError("the API key contains spaces, control or non-ASCII characters", kind="key")
        object.__setattr__(self, "_secret", secret)

    def __setattr__(self, name, value):
        raise AttributeError("an ApiKey cannot be changed")

    def __repr__(self) -> str:
        return "ApiKey(<redacted>)"

    __str__ = __repr__

    def __reduce__(self):
        raise TypeError("an ApiKey is not pickled")

    def authorization(self) -> str:
        """The value of the Authorization header. The only way to read the secret."""
        return f"Bearer {self._secret}"


def as_key(key: Union[str, ApiKey]) -> ApiKey:
    return key if isinstance(key, ApiKey) else ApiKey(key)


def key_from_environment(environ=os.environ, path: Optional[str] = None) -> ApiKey:
    """The key from a file (when `path` is given) or from MEETERGO_API_KEY."""
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                return ApiKey(handle.read())
        except OSError as exc:
            raise SubmitError(f"cannot read the API key file `{path}`: {exc.strerror or exc}", kind="key") from None
        except UnicodeDecodeError:
            raise SubmitError(f"the API key file `{path}` is not UTF-8 text", kind="key") from None
    value = environ.get("MEETERGO_API_KEY")
    if not value or not value.strip():
        raise SubmitError("no API key: set MEETERGO_API_KEY or pass --api-key-file PATH", kind="key")
    return ApiKey(value)


# ---- where to send
def check_base_url(url: str) -> str:
    """The base URL without a trailing slash; refuses plain http except to a loopback host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SubmitError(f"`{url}` is not an http(s) URL", kind="url")
    if parts.username or parts.password:
        raise SubmitError("the base URL must not carry a user name or password", kind="url")
    if parts.query or parts.fragment:
        raise SubmitError(f"the base URL `{url}` must not have a query or fragment", kind="url")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise SubmitError(f"refusing plain http to `{parts.hostname}`: the key would cross the network "
                          "unencrypted (http is allowed only to localhost)", kind="url")
    return url.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---- the request
def user_agent() -> str:
    from .. import __version__

    return f"schedc/{__version__} python-httpx/{httpx.__version__}"


def request_body(request: Any) -> bytes:
    """The bytes sent: exactly what `schedc compile` prints for the same request."""
    if hasattr(request, "to_json"):
        return request.to_json().encode("utf-8")
    if isinstance(request, dict):
        return (json.dumps(request, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if isinstance(request, str):
        return request.encode("utf-8")
    return bytes(request)


def body_hash(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def headers(key: Optional[ApiKey]) -> dict[str, str]:
    """The request headers; with no key (a dry run) the Authorization value is redacted."""
    return {
        "Authorization": key.authorization() if key is not None else REDACTED,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": user_agent(),
    }


def describe_request(body: bytes, base_url: str, *, key_set: bool = True) -> dict:
    """The request as data for a dry run: method, URL, headers and body. The Authorization
    header shows `<redacted>` when a key is set, and is left out when none is (DESIGN §8)."""
    shown = headers(None)
    if not key_set:
        del shown["Authorization"]
    return {"method": "POST", "url": check_base_url(base_url) + PATH, "headers": shown, "body": json.loads(body)}


# ---- outcomes
@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Created:
    user_id: Optional[str]
    availability_id: Optional[str]
    meeting_type_id: Optional[str]
    booking_url: Optional[str]
    company_id: Optional[str]
    attempts: int = 1
    kind = "created"


@dataclass(frozen=True)
class AlreadyExists:
    """409. `probably_ours` when an earlier attempt may have reached the server (a lost answer)."""

    message: str
    probably_ours: bool = False
    attempts: int = 1
    kind = "exists"


@dataclass(frozen=True)
class Rejected:
    """A 4xx other than 409 and 429: the request or the credential was refused."""

    status: int
    message: str
    errors: tuple[FieldError, ...] = ()
    attempts: int = 1
    kind = "rejected"

    @property
    def credential(self) -> bool:
        return self.status in (401, 403)


@dataclass(frozen=True)
class Failed:
    """Still failing after every attempt (network, timeouts, 429, 5xx). `uncertain`: the server
    may have acted on one of the attempts."""

    reason: str
    status: Optional[int] = None
    attempts: int = 1
    uncertain: bool = False
    kind = "failed"


Outcome = Union[Created, AlreadyExists, Rejected, Failed]
Pace = Callable[[], Awaitable[None]]
# Told what a batch is waiting for, for a progress display: `watch("pacing", wait=0.6)` before
# a paced request, `watch("retry", reason="HTTP 503", attempt=2, wait=3.0)` before a retry.
Watch = Callable[..., None]


class Pacer:
    """An async token bucket shared by every request of a batch (retries included).

    Waiters queue one at a time, so the next reservation is made when the previous waiter
    actually woke: an event loop that stalls cannot release a backlog of requests at once.
    """

    def __init__(self, rate: float, burst: int = 1, watch: Optional[Watch] = None,
                 history: Sequence[float] = (), on_send: Optional[Callable[[float], None]] = None):
        """`history` holds the wall-clock times of requests an earlier run sent (from the
        journal), so a restarted run spends what is left of the window instead of a fresh
        burst; `on_send` hears the wall-clock time of each request let through."""
        self.rate, self.burst, self.watch = rate, burst, watch
        self.history, self.on_send = sorted(history), on_send
        self._bucket: Optional[TokenBucket] = None
        self._queue: Optional[asyncio.Lock] = None

    def _start(self, now: float) -> TokenBucket:
        """A bucket as it stands after the earlier requests, in the loop's clock."""
        offset = now - time.time()  # wall clock → loop clock
        bucket = TokenBucket(self.rate, self.burst, (self.history[0] + offset) if self.history else now)
        for sent in self.history:
            bucket.reserve(sent + offset)
        return bucket

    async def __call__(self) -> None:
        loop = asyncio.get_running_loop()
        if self._bucket is None or self._queue is None:
            self._bucket, self._queue = self._start(loop.time()), asyncio.Lock()
        async with self._queue:
            wait = self._bucket.reserve(loop.time())
            if wait > 0:
                if self.watch is not None:
                    self.watch("pacing", wait=wait)
                await asyncio.sleep(wait)
            if self.on_send is not None:
                self.on_send(time.time())


RATE_MEMORY = 120.0  # seconds of earlier runs' requests the pacer remembers
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


def submit(request: Any, *, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
           timeout: float = 30.0, backoff: Backoff = Backoff(), pace: Optional[Pace] = None) -> Outcome:
    """Create one user: POST the compiled request and return what happened.

    Retries 429, 5xx, timeouts and connection errors (see `Backoff`). Raises `SubmitError`
    for a refused key or base URL, before sending anything. Runs its own event loop; inside a
    running loop use `submit_async`.
    """
    return asyncio.run(submit_async(request, api_key=api_key, base_url=base_url, timeout=timeout,
                                    backoff=backoff, pace=pace))


async def submit_async(request: Any, *, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
                       timeout: float = 30.0, backoff: Backoff = Backoff(), pace: Optional[Pace] = None,
                       client: Optional[httpx.AsyncClient] = None, uncertain: bool = False,
                       watch: Optional[Watch] = None) -> Outcome:
    """The async twin of `submit`. `uncertain` says an earlier run may already have created
    this user, so that a 409 is reported as probably ours; `watch` hears of each retry."""
    url = check_base_url(base_url) + PATH
    body, sent_headers = request_body(request), headers(as_key(api_key))
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
                response = await exchange(client, "POST", url, content=body, headers=sent_headers, deadline=timeout)
            except NoAnswer as exc:
                reason, uncertain = str(exc), True
            except httpx.TransportError as exc:
                reason = _transport_reason(exc)
                uncertain |= not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
            else:
                outcome = _answer(response, attempt, uncertain)
                if outcome is not None:
                    return outcome
                status, reason = response.status_code, f"HTTP {response.status_code} {_message(response)}".rstrip()
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


def _answer(response: httpx.Response, attempt: int, uncertain: bool) -> Optional[Outcome]:
    """The outcome a response settles, or None when it is worth another attempt."""
    status = response.status_code
    if status == 429 or status >= 500:
        return None
    data = _json(response)
    if 200 <= status < 300:
        return Created(*(_text(data.get(k)) for k in ("userId", "availabilityId", "meetingTypeId",
                                                      "bookingUrl", "companyId")), attempts=attempt)
    if status == 409:
        return AlreadyExists(_message(response) or "already exists", uncertain, attempt)
    errors = tuple(FieldError(str(e.get("field", "")), str(e.get("message", "")))
                   for e in data.get("errors") or () if isinstance(e, dict))
    return Rejected(status, _message(response) or response.reason_phrase, errors, attempt)


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _message(response: httpx.Response) -> str:
    message = _json(response).get("message", "")
    if isinstance(message, list):  # some frameworks send a list of messages
        message = "; ".join(map(str, message))
    return str(message)


def _text(value) -> Optional[str]:
    return None if value is None else str(value)


def _transport_reason(exc: httpx.TransportError) -> str:
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


# ---- the journal
class Journal:
    """An append-only JSON-lines record of every outcome, flushed and fsynced line by line.

    Entries are keyed by base URL, e-mail and the hash of the body sent. A `sending` line is
    written before the first attempt, so a run killed mid-request leaves a trace that the
    next run treats as "this user may exist already".
    """

    def __init__(self, path: Optional[str]):
        self.path = path  # None: remember this run only, write nothing
        self._handle = None
        self.entries: list[dict] = []
        self._memory: dict[tuple[str, str], Memory] = {}  # (base, e-mail) → what the entries say
        self._sent: dict[str, list[float]] = {}  # base → times requests were sent
        self._broken: Optional[str] = None  # why the journal stopped taking lines

    @staticmethod
    def parse(data: bytes) -> list[dict]:
        """The entries of a journal's bytes; a line cut short by a crash is left out."""
        entries = []
        for line in data.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def _regular_file_or_none(self) -> None:
        """A journal is a regular file (or none yet): reading a device such as /dev/zero never
        ends, and appending to a pipe keeps nothing."""
        import stat

        try:
            mode = os.stat(self.path).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise SubmitError(f"cannot open the journal `{self.path}`: {exc.strerror or exc}", kind="journal") from None
        if not stat.S_ISREG(mode):
            raise SubmitError(f"the journal `{self.path}` is not a regular file", kind="journal")

    def read(self) -> "Journal":
        """Load the entries without opening the journal for writing (for a dry run)."""
        self._regular_file_or_none()
        try:
            with open(self.path, "rb") as handle:
                self._load(self.parse(handle.read()))
        except FileNotFoundError:
            self._load([])
        except (OSError, TypeError) as exc:
            raise SubmitError(f"cannot read the journal `{self.path}`: {getattr(exc, 'strerror', None) or exc}",
                              kind="journal") from None
        return self

    def __enter__(self) -> "Journal":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        if self.path is None:
            return
        self._regular_file_or_none()
        try:
            handle = open(self.path, "a+b", buffering=0)  # unbuffered: a failed write stays failed
        except OSError as exc:
            raise SubmitError(f"cannot open the journal `{self.path}`: {exc.strerror or exc}", kind="journal") from None
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # no advisory locks on this platform
            pass
        except OSError:
            handle.close()
            raise SubmitError(f"the journal `{self.path}` is in use by another schedc run", kind="journal") from None
        handle.seek(0)
        data = handle.read()
        self._load(self.parse(data))
        self._handle = handle
        if data and not data.endswith(b"\n"):
            self._write(b"\n")  # finish a cut line so the next one starts clean

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _load(self, entries: list[dict]) -> None:
        self.entries, self._memory, self._sent = [], {}, {}
        for entry in entries:
            self._remember(entry)

    def _remember(self, entry: dict) -> None:
        self.entries.append(entry)
        base = str(entry.get("base", ""))
        if "sent" in entry:
            if isinstance(entry["sent"], (int, float)):
                self._sent.setdefault(base, []).append(float(entry["sent"]))
            return
        if "email" not in entry:
            return
        key = (base, str(entry["email"]).lower())
        previous = self._memory.get(key, Memory(None, False))
        outcome = entry.get("outcome")
        created = entry if outcome == "created" else previous.created
        # `sending` with no outcome after it: the run stopped mid-request. An outcome line
        # already carries any doubt it inherited, so it replaces what came before.
        uncertain = outcome in ("sending", "uncertain") or (outcome == "failed" and bool(entry.get("uncertain")))
        self._memory[key] = Memory(created, uncertain)

    def record(self, entry: dict) -> None:
        """Add an entry and make it durable before returning. A journal that cannot be written
        (disk full, file too large, permission lost) raises `SubmitError`: going on would send
        requests whose outcome nobody could remember."""
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **entry}
        self._remember(entry)
        self._write(json.dumps(entry, ensure_ascii=False).encode("utf-8") + b"\n")

    def _write(self, data: bytes) -> None:
        if self._handle is None:
            return
        if self._broken:
            raise SubmitError(self._broken, kind="journal")
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._handle.fileno(), view):]
            os.fsync(self._handle.fileno())
        except OSError as exc:
            self._broken = f"cannot write the journal `{self.path}`: {exc.strerror or exc}"
            raise SubmitError(self._broken, kind="journal") from None

    def state(self, base_url: str, email: str) -> "Memory":
        """What earlier runs against `base_url` found for `email` (one dictionary look-up)."""
        return self._memory.get((base_url, email.lower()), Memory(None, False))

    def sent_since(self, base_url: str, since: float) -> list[float]:
        """The wall-clock times of requests sent to `base_url` after `since`."""
        return [t for t in self._sent.get(base_url, ()) if t >= since]


@dataclass(frozen=True)
class Memory:
    created: Optional[dict]  # the last `created` entry
    uncertain: bool  # the last attempt may have created the user without our knowing


# ---- batches
@dataclass(frozen=True)
class Item:
    """One compiled file ready to send."""

    file: str
    email: str
    body: bytes

    @property
    def hash(self) -> str:
        return body_hash(self.body)


@dataclass(frozen=True)
class Skipped:
    """Not sent: the journal says an earlier run created this user from the same request."""

    entry: dict
    kind = "skipped"


@dataclass(frozen=True)
class Changed:
    """Not sent: an earlier run created this user from a different request (the file changed)."""

    entry: dict
    kind = "changed"


@dataclass(frozen=True)
class NotSent:
    """Not sent because the batch stopped (the credential was refused)."""

    reason: str
    kind = "not-sent"


Result = Union[Outcome, Skipped, Changed, NotSent]


@dataclass
class BatchOptions:
    base_url: str = DEFAULT_BASE_URL
    concurrency: int = 4
    rate: float = 100 / 60
    burst: int = 5
    timeout: float = 30.0
    backoff: Backoff = field(default_factory=Backoff)


async def submit_batch(items: Sequence[Item], *, api_key: Union[str, ApiKey], journal: Journal,
                       options: Optional[BatchOptions] = None,
                       on_result: Callable[[Item, Result], None] = lambda item, result: None,
                       watch: Optional[Watch] = None) -> list[Result]:
    """Send every item not already done, at most `concurrency` at once, paced by a token bucket.

    `watch` hears what the batch waits for (see `Watch`); events about one user carry `email`.

    Every outcome is written to the journal before `on_result` hears of it. A refused
    credential (401/403) stops the batch: the items not yet sent come back as `NotSent`.
    """
    options = options or BatchOptions()
    key, base = as_key(api_key), check_base_url(options.base_url)
    pace = Pacer(options.rate, options.burst, watch, history=journal.sent_since(base, time.time() - RATE_MEMORY),
                 on_send=lambda moment: journal.record({"base": base, "sent": round(moment, 3)}))
    gate = asyncio.Semaphore(max(1, options.concurrency))
    stop: list[str] = []
    limits = httpx.Limits(max_connections=max(1, options.concurrency))

    async with httpx.AsyncClient(timeout=options.timeout, limits=limits, follow_redirects=False,
                                 trust_env=False) as client:
        async def one(item: Item) -> Result:
            async with gate:
                result = await _one(item)
            on_result(item, result)
            return result

        async def _one(item: Item) -> Result:
            memory = journal.state(base, item.email)
            if memory.created is not None:
                return Skipped(memory.created) if memory.created.get("hash") == item.hash else Changed(memory.created)
            if stop:
                return NotSent(stop[0])
            where = {"base": base, "file": item.file, "email": item.email, "hash": item.hash}
            journal.record({**where, "outcome": "sending"})
            told = None if watch is None else (lambda event, **fields: watch(event, email=item.email, **fields))
            outcome = await submit_async(item.body, api_key=key, base_url=base, backoff=options.backoff,
                                         timeout=options.timeout, pace=pace, client=client,
                                         uncertain=memory.uncertain, watch=told)
            fields = journal_fields(outcome)
            try:
                journal.record({**where, **fields})
            except SubmitError as exc:  # say what the server did, so it is not lost with the line
                said = ", ".join(f"{k}={v}" for k, v in fields.items() if v not in (None, "", [], ()))
                raise SubmitError(f"{exc}. The server's answer for {item.email} ({item.file}) was: {said}",
                                  kind="journal") from None
            if isinstance(outcome, Rejected) and outcome.credential:
                stop.append(f"the credential was refused (HTTP {outcome.status})")
            return outcome

        return list(await asyncio.gather(*(one(item) for item in items)))


def journal_fields(outcome: Outcome) -> dict:
    """An outcome as journal / JSON-lines fields (never the key: outcomes do not hold it)."""
    if isinstance(outcome, Created):
        return {"outcome": "created", "userId": outcome.user_id, "availabilityId": outcome.availability_id,
                "meetingTypeId": outcome.meeting_type_id, "bookingUrl": outcome.booking_url,
                "companyId": outcome.company_id, "attempts": outcome.attempts}
    if isinstance(outcome, AlreadyExists):
        return {"outcome": "uncertain" if outcome.probably_ours else "exists", "status": 409,
                "message": outcome.message, "attempts": outcome.attempts}
    if isinstance(outcome, Rejected):
        return {"outcome": "rejected", "status": outcome.status, "message": outcome.message,
                "errors": [{"field": e.field, "message": e.message} for e in outcome.errors],
                "attempts": outcome.attempts}
    return {"outcome": "failed", "status": outcome.status, "message": outcome.reason,
            "attempts": outcome.attempts, "uncertain": outcome.uncertain}


__all__ = [
    "DEFAULT_BASE_URL", "DEFAULT_JOURNAL", "AlreadyExists", "ApiKey", "BatchOptions", "Changed",
    "Created", "Failed", "FieldError", "Item", "Journal", "NotSent", "Outcome", "Pacer", "Rejected",
    "Result", "Skipped", "SubmitError", "body_hash", "check_base_url", "describe_request",
    "key_from_environment", "request_body", "submit", "submit_async", "submit_batch",
]
