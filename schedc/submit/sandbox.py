"""A local stand-in for meetergo's `POST /v4/user`, for rehearsing scripts and for the tests.

It answers like the documented API: 201 with generated ids and a booking URL, 400 with field
errors, 401 for a missing or malformed key, 403 for a personal token or a company without the
API Platform subscription, 409 for an e-mail it has seen, 429 past its rate limit. It keeps
everything in memory and listens on 127.0.0.1 only. Standard library only.

Keys: any `ak_live:<uuid>:<secret>` is accepted, except that a secret starting with `expired`
gets 401 "API key has expired" and one starting with `nosub` gets 403 (no subscription).

Control endpoints (not part of the real API):
- `POST /_sandbox/faults` with a fault or a list of them, used by the next requests in order:
  `{"kind": "status", "status": 503, "retry_after": "1"}` answers with that status;
  `{"kind": "drop", "when": "before"|"after"}` closes the connection without an answer,
  before or after the user is created; `{"kind": "delay", "seconds": 2, "when": "before"|"after"}`
  waits before handling, or after creating and before answering. `"times": N` repeats one;
  a status fault may carry the `"body"` to answer with. `DELETE /_sandbox/faults` drops them all.
- `POST /_sandbox/reset` forgets users, requests and faults; its optional body sets
  `{"rate": "100/min", "burst": 200, "retry_after": false}`.
- `GET /_sandbox/requests`: every request received on `/v4/...`: headers and body as sent, the
  time it arrived (`received`, Unix seconds) and the status answered (`status`; `dropped`).
- `GET /_sandbox/users`: the users created.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from .. import words
from .pacing import TokenBucket, parse_rate

HOST = "127.0.0.1"
KEY = re.compile(r"^ak_live:([0-9a-fA-F-]{36}):(\S+)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
SLUG = re.compile(f"^{words.SLUG_PATTERN}$")
TIME = re.compile(f"^(?:{words.API_TIME_PATTERN})$")
DAYS = words.DAY_KEYS
PHRASES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


def problem(status: int, message: str, errors: Optional[list] = None) -> dict:
    body = {"statusCode": status, "message": message, "error": PHRASES.get(status, "Error")}
    if errors:
        body["errors"] = errors
    return body


class State:
    """Everything the sandbox remembers, behind one lock."""

    def __init__(self, rate: float, burst: int, retry_after: bool):
        self.lock = threading.RLock()
        self.configure(rate, burst, retry_after)

    def configure(self, rate: float, burst: int, retry_after: bool) -> None:
        self.rate, self.burst, self.retry_after = rate, burst, retry_after
        self.users: dict[str, dict] = {}
        self.slugs: set[str] = set()
        self.requests: list[dict] = []
        self.faults: list[dict] = []
        self.buckets: dict[str, TokenBucket] = {}

    def next_fault(self) -> Optional[dict]:
        with self.lock:
            return self.faults.pop(0) if self.faults else None

    def admit(self, key: str) -> Optional[float]:
        """None if the key may send now, else the seconds until it may."""
        now = time.monotonic()
        with self.lock:
            bucket = self.buckets.setdefault(key, TokenBucket(self.rate, self.burst, now))
            return None if bucket.take(now) else bucket.retry_after(now)


def is_zone(name: str) -> bool:
    # tzdata's list, read once: zoneinfo.available_timezones() walks the disk on every call,
    # which made each request take about 25 ms.
    from ..zones import is_zone as known

    return known(name)


def validate(body) -> list[dict]:
    """Field errors for a request body, in the documented `{field, message}` form."""
    if not isinstance(body, dict):
        return [{"field": "", "message": "the body must be a JSON object"}]
    errors = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    def zone(field: str, value) -> None:
        if value is not None and (not isinstance(value, str) or not is_zone(value)):
            bad(field, f"Invalid timezone: {value}")

    for name in body:
        if name not in ("email", "givenName", "familyName", "timezone", "slug", "availability", "meetingType"):
            bad(name, f"property {name} should not exist")
    email = body.get("email")
    if not isinstance(email, str) or not EMAIL.match(email):
        bad("email", "Invalid email format")
    for name in ("givenName", "familyName"):
        if name in body and not isinstance(body[name], str):
            bad(name, f"{name} must be a string")
    zone("timezone", body.get("timezone"))
    availability = body.get("availability")
    if availability is not None:
        zone("availability.timezone", availability.get("timezone") if isinstance(availability, dict) else None)
        schedule = availability.get("schedule") if isinstance(availability, dict) else None
        for day in DAYS:
            value = schedule.get(day) if isinstance(schedule, dict) else None
            hours = value.get("hours") if isinstance(value, dict) else None
            if not isinstance(hours, list) or not all(
                    isinstance(h, dict) and TIME.match(str(h.get("start"))) and TIME.match(str(h.get("end")))
                    for h in hours):
                bad(f"availability.schedule.{day}", "Invalid schedule day")
    meeting = body.get("meetingType")
    if meeting is not None:
        meeting = meeting if isinstance(meeting, dict) else {}
        duration = meeting.get("duration")
        if duration is not None and (not isinstance(duration, int)
                                     or not words.MIN_DURATION <= duration <= words.MAX_DURATION):
            bad("meetingType.duration", f"duration must be between {words.MIN_DURATION} and {words.MAX_DURATION}")
        slug = meeting.get("slug")
        if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug)):
            bad("meetingType.slug", "slug must be URL-friendly")
        channel = meeting.get("channel")
        if channel is not None and channel not in words.CHANNELS:
            bad("meetingType.channel", f"channel must be one of: {', '.join(words.CHANNELS)}")
    return errors


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle's algorithm on, the second waits
    # for the client's delayed ACK (about 40 ms on Linux), which capped a batch's throughput.
    disable_nagle_algorithm = True
    server: "Sandbox"
    _entry: Optional[dict] = None  # this request's line in the request log

    # ---- plumbing
    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, data, extra: Optional[dict] = None) -> None:
        payload = json.dumps(data).encode()
        self._note(status=status)
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _note(self, **what) -> None:
        if self._entry is not None:
            with self.server.state.lock:
                self._entry.update(what)

    def _drop(self) -> None:
        self._note(status=None, dropped=True)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:  # the request line only: never a header, so never a key
            sys.stderr.write(f"sandbox: {self.address_string()} {format % args}\n")

    # ---- routes
    def do_GET(self) -> None:
        self._entry = None
        state = self.server.state
        with state.lock:
            if self.path == "/_sandbox/requests":
                return self._send(200, list(state.requests))
            if self.path == "/_sandbox/users":
                return self._send(200, list(state.users.values()))
        self._send(404, problem(404, f"Cannot GET {self.path}"))

    def do_DELETE(self) -> None:
        self._entry = None
        if self.path != "/_sandbox/faults":
            return self._send(404, problem(404, f"Cannot DELETE {self.path}"))
        with self.server.state.lock:
            self.server.state.faults.clear()
        self._send(200, {"queued": 0})

    def do_POST(self) -> None:
        self._entry = None
        raw = self._body()
        if self.path.startswith("/_sandbox/"):
            return self._control(raw)
        state = self.server.state
        self._entry = {"method": "POST", "path": self.path, "headers": dict(self.headers.items()),
                       "body": raw.decode("utf-8", errors="replace"), "received": time.time()}
        with state.lock:
            state.requests.append(self._entry)
        if self.path != "/v4/user":
            return self._send(404, problem(404, f"Cannot POST {self.path}"))
        fault = state.next_fault() or {}
        kind, after = fault.get("kind"), fault.get("when") == "after"
        if kind == "status":
            status = int(fault.get("status", 503))
            extra = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else None
            message = "Too Many Requests" if status == 429 else PHRASES.get(status, "Error")
            return self._send(status, fault.get("body") or problem(status, message), extra)
        if kind == "delay" and not after:
            time.sleep(float(fault.get("seconds", 1)))
        if kind == "drop" and not after:
            return self._drop()
        status, data, extra = self._create(raw)
        if kind == "delay" and after:
            time.sleep(float(fault.get("seconds", 1)))
        if kind == "drop" and after:
            return self._drop()
        try:
            self._send(status, data, extra)
        except OSError:  # the client gave up waiting
            self.close_connection = True

    def _create(self, raw: bytes) -> tuple[int, dict, Optional[dict]]:
        state = self.server.state
        auth = self.headers.get("Authorization")
        if not auth:
            return 401, problem(401, "Missing authorization header"), None
        scheme, _, token = auth.partition(" ")
        if scheme != "Bearer" or not token:
            return 401, problem(401, "Invalid authorization header"), None
        if token.startswith("rgo-"):
            return 403, problem(403, "Personal access tokens cannot create users"), None
        match = KEY.match(token)
        if not match:
            return 401, problem(401, "Invalid API key"), None
        if match.group(2).startswith("expired"):
            return 401, problem(401, "API key has expired"), None
        if match.group(2).startswith("nosub"):
            return 403, problem(403, "The API Platform subscription is not active for this company"), None
        wait = state.admit(token)
        if wait is not None:
            extra = {"Retry-After": str(max(1, round(wait + 0.5)))} if state.retry_after else None
            return 429, problem(429, "Too Many Requests"), extra
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return 400, problem(400, "Content-Type must be application/json"), None
        try:
            body = json.loads(raw)
        except ValueError:
            return 400, problem(400, "Invalid JSON body"), None
        errors = validate(body)
        if errors:
            return 400, problem(400, "Validation failed", errors), None
        with state.lock:
            email = body["email"].lower()
            if email in state.users:
                return 409, problem(409, "A user with this email already exists"), None
            user_slug = _unique(_slug(body), state.slugs)
            meeting = body.get("meetingType") or {}
            meeting_slug = meeting.get("slug") or f"{meeting.get('duration', 30)}min-meeting"
            created = {
                "userId": str(uuid.uuid4()), "availabilityId": str(uuid.uuid4()),
                "meetingTypeId": str(uuid.uuid4()),
                "bookingUrl": f"https://cal.meetergo.com/{user_slug}/{meeting_slug}",
                "companyId": str(uuid.uuid5(uuid.NAMESPACE_URL, match.group(1).lower())),
            }
            state.users[email] = {**created, "email": body["email"], "slug": user_slug}
        return 201, created, None

    def _control(self, raw: bytes) -> None:
        state = self.server.state
        try:
            data = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return self._send(400, problem(400, "Invalid JSON body"))
        if self.path == "/_sandbox/faults":
            faults = data if isinstance(data, list) else [data]
            with state.lock:
                for fault in faults:
                    state.faults.extend([fault] * int(fault.get("times", 1)))
                return self._send(200, {"queued": len(state.faults)})
        if self.path == "/_sandbox/reset":
            try:
                rate = parse_rate(data["rate"]) if "rate" in data else self.server.defaults[0]
            except ValueError as exc:
                return self._send(400, problem(400, str(exc)))
            with state.lock:
                state.configure(rate, int(data.get("burst", self.server.defaults[1])),
                                bool(data.get("retry_after", self.server.defaults[2])))
            return self._send(200, {"reset": True})
        self._send(404, problem(404, f"Cannot POST {self.path}"))


def _slug(body: dict) -> str:
    name = f"{body.get('givenName', '')} {body.get('familyName', '')}".strip() or body["email"].split("@")[0]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "user"
    return slug if len(slug) >= 5 else f"{slug}-user"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


class Sandbox(ThreadingHTTPServer):
    """The server. `Sandbox(port=0)` picks a free port; `.url` says where it listens."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int = 0, *, rate: float = 100 / 60, burst: int = 200,
                 retry_after: bool = False, verbose: bool = False):
        self.defaults = (rate, burst, retry_after)
        self.state = State(rate, burst, retry_after)
        self.verbose = verbose
        super().__init__((HOST, port), Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}"

    def start(self) -> "Sandbox":
        """Serve on a background thread (for use from Python)."""
        threading.Thread(target=self.serve_forever, name="schedc-sandbox", daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


__all__ = ["Sandbox", "validate"]
