"""A local stand-in for meetergo's user API (`POST /v4/user` and the calls that read and update
what it made), for rehearsing scripts and for the tests.

It answers like the documented API: 201 with generated ids and a booking URL, 400 with field
errors, 401 for a missing or malformed key, 403 for a personal token or a company without the
API Platform subscription, 409 for an e-mail it has seen, 429 past its rate limit. It keeps
everything in memory and listens on 127.0.0.1 only. Standard library only, but for the
holiday dates.

Keys: any `ak_live:<uuid>:<secret>` is accepted, except that a secret starting with `expired`
gets 401 "API key has expired" and one starting with `nosub` gets 403 (no subscription).

Control endpoints (not part of the real API):
- `POST /_sandbox/faults` with a fault or a list of them, used by the next requests in order:
  `{"kind": "status", "status": 503, "retry_after": "1"}` answers with that status;
  `{"kind": "drop", "when": "before"|"after"}` closes the connection without an answer,
  before or after the user is created; `{"kind": "delay", "seconds": 2, "when": "before"|"after"}`
  waits before handling, or after creating and before answering; `{"kind": "drip", "seconds": 0.5}`
  acts, sends the status line and headers at once, then the body one byte every `seconds` (an
  answer that never quite arrives). `"times": N` repeats one;
  a status fault may carry the `"body"` to answer with (any JSON), or `"raw"` text to answer
  with instead of JSON, and a `"reason"` phrase for the status line; in all three the text
  `{authorization}` is replaced by the request's `Authorization` header, as a hostile or careless
  server would echo it (the campaign in `bench/hostile_server.py` uses this; nothing else does).
  `DELETE /_sandbox/faults` drops them all.
- `POST /_sandbox/reset` forgets users, requests and faults; its optional body sets
  `{"rate": "100/min", "burst": 200, "retry_after": false}`.
- `GET /_sandbox/requests`: every request received on `/v4/...`: headers and body as sent, the
  time it arrived (`received`, Unix seconds) and the status answered (`status`; `dropped`).
- `GET /_sandbox/users`: the users created.
- `POST /_sandbox/edit` changes a user as someone in the web app would (no key, not logged), to
  rehearse drift: `{"email": E, "availability": {"schedule": {...}}, "meetingType": {...}}`.

It serves exactly the endpoints of the API contract (`contract.py`), routed and validated by
it: `POST /v4/user`, `GET /v4/user/me` (the company's owner, or the user the header names),
`GET /v4/user` (paged with `limit` and `skip`, `{users, total, count, skip}`), `GET`/`PATCH`
on `/v4/availability/{id}`, `/v4/meeting-type/{id}` and `/v4/user/{id}`,
`PATCH /availability/{id}/holiday-exceptions` (the public holidays of a year as blocking
exceptions, dated by the `holidays` package) and `GET /availability` (the acting user's
availabilities with their `availabilityExceptions`); those need
`x-meetergo-api-user-id` naming the owner (400 without it, 404 for a resource of another user).
A body or query field the contract does not name is a 400 `property X should not exist`.
Faults apply to every `/v4/...` request alike.

Strict (`Sandbox(strict=True)`, `schedc sandbox --strict`): only what the reference documents
is accepted. A field the contract marks as an assumption gets the same 400, and an endpoint it
marks as one gets 404, as from a server where the assumption is wrong.
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

from ..compiler import words
from . import contract
from .pacing import TokenBucket, parse_rate

HOST = "127.0.0.1"
KEY = re.compile(r"^ak_live:([0-9a-fA-F-]{36}):(\S+)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
SLUG = re.compile(f"^{words.SLUG_PATTERN}$")
TIME = re.compile(f"^(?:{words.API_TIME_PATTERN})$")
DAYS = words.DAY_KEYS
PHRASES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 413: "Payload Too Large",
           429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


def problem(status: int, message: str, errors: Optional[list] = None) -> dict:
    body = {"statusCode": status, "message": message, "error": PHRASES.get(status, "Error")}
    if errors:
        body["errors"] = errors
    return body


class State:
    """Everything the sandbox remembers, behind one lock."""

    def __init__(self, rate: float, burst: int, retry_after: bool, strict: bool = False):
        self.lock = threading.RLock()
        self.strict = strict  # refuse what the API contract only assumes (kept across resets)
        self.configure(rate, burst, retry_after)

    def configure(self, rate: float, burst: int, retry_after: bool) -> None:
        self.rate, self.burst, self.retry_after = rate, burst, retry_after
        self.users: dict[str, dict] = {}
        self.slugs: set[str] = set()
        self.availabilities: dict[str, dict] = {}  # id → {id, name, timezone, schedule, ownerId}
        self.meeting_types: dict[str, dict] = {}  # id → {id, slug, meetingInfo{name, duration, channel}, ownerId}
        self.exceptions: dict[str, list[tuple[int, dict]]] = {}  # availability id → (year, exception object §4)
        self.exception_ids = 0
        self.requests: list[dict] = []
        self.faults: list[dict] = []
        self.buckets: dict[str, TokenBucket] = {}

    def owner(self, company: str) -> dict:
        """The company's owner, as `GET /v4/user/me` shows it to a key without the user header."""
        ident = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{company}/owner"))
        return {"id": ident, "email": f"owner-{company[:8]}@example.com", "givenName": "Company",
                "familyName": "Owner", "fullName": "Company Owner", "slug": f"owner-{company[:8]}",
                "timezone": "Europe/Berlin", "userType": "standard", "isAdmin": True, "companyId": company}

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
    from ..compiler.zones import is_zone as known

    return known(name)


def _fits(endpoint: contract.Endpoint, body, strict: bool) -> list[dict]:
    """The contract's problems with a body, as the API's `{field, message}` errors."""
    return [{"field": field, "message": message} for field, message in contract.problems(endpoint, body, strict=strict)]


def validate(body, strict: bool = False) -> list[dict]:
    """Field errors for a `POST /v4/user` body, in the documented `{field, message}` form: first
    what the contract does not allow (with `strict`, also what it only assumes), then the values."""
    errors = _fits(contract.CREATE_USER, body, strict)
    if errors:
        return errors

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    def zone(field: str, value) -> None:
        if value is not None and not is_zone(value):
            bad(field, f"Invalid timezone: {value}")

    if not EMAIL.match(body["email"]):
        bad("email", "Invalid email format")
    zone("timezone", body.get("timezone"))
    availability = body.get("availability")
    if availability is not None:
        zone("availability.timezone", availability.get("timezone"))
        schedule = availability.get("schedule")
        for day in DAYS:
            if not _day_ok(schedule.get(day) if isinstance(schedule, dict) else None):
                bad(f"availability.schedule.{day}", "Invalid schedule day")
    meeting = body.get("meetingType")
    if meeting is not None:
        duration = meeting.get("duration")
        if duration is not None and not _duration_ok(duration):
            bad("meetingType.duration", f"duration must be between {words.MIN_DURATION} and {words.MAX_DURATION}")
        slug = meeting.get("slug")
        if slug is not None and not SLUG.match(slug):
            bad("meetingType.slug", "slug must be URL-friendly")
        channel = meeting.get("channel")
        if channel is not None and channel not in words.CHANNELS:
            bad("meetingType.channel", f"channel must be one of: {', '.join(words.CHANNELS)}")
    return errors


def _duration_ok(duration) -> bool:
    return isinstance(duration, int) and words.MIN_DURATION <= duration <= words.MAX_DURATION


def default_schedule() -> dict:
    """What the server makes when a request gives no availability: Mon–Fri 09:00–17:00."""
    return {day: {"enabled": day not in ("saturday", "sunday"),
                  "hours": [] if day in ("saturday", "sunday") else [{"start": "09:00", "end": "17:00"}]}
            for day in DAYS}


def _day_ok(value) -> bool:
    hours = value.get("hours") if isinstance(value, dict) else None
    return isinstance(hours, list) and all(
        isinstance(h, dict) and TIME.match(str(h.get("start"))) and TIME.match(str(h.get("end"))) for h in hours)


def _patch_errors(endpoint: contract.Endpoint, body, strict: bool) -> list[dict]:
    if not isinstance(body, dict) or not body:
        return [{"field": "", "message": "the body must be a non-empty JSON object"}]
    return _fits(endpoint, body, strict)


def edit_availability(thing: dict, body, strict: bool = False) -> list[dict]:
    """`PATCH /v4/availability/{id}`: `name`, `schedule` (the days given replace those days) and,
    unless `strict`, `timezone`. Changes nothing when there is an error."""
    errors = _patch_errors(contract.UPDATE_AVAILABILITY, body, strict)
    if errors:
        return errors
    if "timezone" in body and not is_zone(body["timezone"]):
        errors.append({"field": "timezone", "message": f"Invalid timezone: {body['timezone']}"})
    schedule = body.get("schedule", {})
    errors += [{"field": f"schedule.{day}", "message": "Invalid schedule day"} for day, value in schedule.items()
               if not _day_ok(value)]
    if not errors:
        for name in ("name", "timezone"):
            if name in body:
                thing[name] = body[name]
        thing["schedule"] = {**thing["schedule"], **schedule}
    return errors


def edit_meeting_type(thing: dict, body, strict: bool = False) -> list[dict]:
    """`PATCH /v4/meeting-type/{id}`: `duration` and `slug`, and unless `strict`
    `meetingInfo.{name, channel}`; kept as `meetingInfo{name, duration, channel}` and `slug`."""
    errors = _patch_errors(contract.UPDATE_MEETING_TYPE, body, strict)
    if errors:
        return errors
    info = dict(body.get("meetingInfo", {}))
    if "duration" in body:
        if _duration_ok(body["duration"]):
            info["duration"] = body["duration"]
        else:
            errors.append({"field": "duration",
                           "message": f"duration must be between {words.MIN_DURATION} and {words.MAX_DURATION}"})
    if "slug" in body and not SLUG.match(body["slug"]):
        errors.append({"field": "slug", "message": "slug must be URL-friendly"})
    if "channel" in info and info["channel"] not in words.CHANNELS:
        errors.append({"field": "meetingInfo.channel", "message": f"channel must be one of: {', '.join(words.CHANNELS)}"})
    if not errors:
        thing["meetingInfo"] = {**thing["meetingInfo"], **info}
        if "slug" in body:
            thing["slug"] = body["slug"]
    return errors


def edit_user(user: dict, body, strict: bool = False) -> list[dict]:
    """`PATCH /v4/user/{id}`: `givenName`, `familyName`, `slug` (the e-mail cannot be changed)."""
    errors = _patch_errors(contract.UPDATE_USER, body, strict)
    if not errors:
        user.update({name: body[name] for name in ("givenName", "familyName", "slug") if name in body})
    return errors


MAX_BODY = 1024 * 1024  # bytes: the bound the client puts on an answer, put on a request


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle's algorithm on, the second waits
    # for the client's delayed ACK (about 40 ms on Linux), which capped a batch's throughput.
    disable_nagle_algorithm = True
    server: "Sandbox"
    _entry: Optional[dict] = None  # this request's line in the request log

    # ---- plumbing
    def _body(self) -> Optional[bytes]:
        """The request's body; None when it was refused unread (413 or 400 answered, the
        connection closed), so no client can make the sandbox hold more than MAX_BODY."""
        text = self.headers.get("Content-Length") or "0"
        length = int(text) if text.isdigit() else -1
        if 0 <= length <= MAX_BODY:
            return self.rfile.read(length) if length else b""
        self.close_connection = True
        status = 400 if length < 0 else 413
        self._send(status, problem(status, f"Content-Length `{text[:20]}` is not a size" if length < 0
                                   else f"a request body may hold at most {MAX_BODY} bytes"))
        return None

    def _send(self, status: int, data, extra: Optional[dict] = None, *, raw: Optional[bytes] = None,
              reason: Optional[str] = None) -> None:
        """Answer with `data` as JSON (or the bytes `raw`, as text) and an optional reason phrase."""
        payload = raw if raw is not None else json.dumps(data).encode()
        self._note(status=status)
        self._head(status, payload, extra, "text/plain" if raw is not None else "application/json", reason)
        self.wfile.write(payload)

    def _head(self, status: int, payload: bytes, extra: Optional[dict], kind: str = "application/json",
              reason: Optional[str] = None) -> None:
        """The status line and headers of an answer of `payload`."""
        self.send_response(status, reason)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()

    def _drip(self, status: int, data, extra: Optional[dict], pause: float) -> None:
        """Answer with the headers at once and the body a byte at a time, `pause` seconds apart,
        until it is all sent or the client hangs up."""
        payload = json.dumps(data).encode()
        self._note(status=status, dripped=True)
        self.close_connection = True
        try:
            self._head(status, payload, extra)
            for i in range(len(payload)):
                time.sleep(pause)
                self.wfile.write(payload[i:i + 1])
        except OSError:  # the client gave up waiting, as it should
            pass

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
        if self._body() is None:  # a GET with a body: read it, or it would be taken for the next request
            return
        state = self.server.state
        with state.lock:
            if self.path == "/_sandbox/requests":
                return self._send(200, list(state.requests))
            if self.path == "/_sandbox/users":
                return self._send(200, list(state.users.values()))
        if _api_path(self.path):
            return self._api("GET", b"")
        self._send(404, problem(404, f"Cannot GET {self.path}"))

    def do_PATCH(self) -> None:
        self._entry = None
        raw = self._body()
        if raw is None:
            return
        if _api_path(self.path):
            return self._api("PATCH", raw)
        self._send(404, problem(404, f"Cannot PATCH {self.path}"))

    def do_DELETE(self) -> None:
        self._entry = None
        if self._body() is None:
            return
        if self.path != "/_sandbox/faults":
            return self._send(404, problem(404, f"Cannot DELETE {self.path}"))
        with self.server.state.lock:
            self.server.state.faults.clear()
        self._send(200, {"queued": 0})

    def do_POST(self) -> None:
        self._entry = None
        raw = self._body()
        if raw is None:
            return
        if self.path.startswith("/_sandbox/"):
            return self._control(raw)
        self._api("POST", raw)

    def _api(self, method: str, raw: bytes) -> None:
        """Every `/v4/...` request: logged, then the next fault, then the route."""
        state = self.server.state
        self._entry = {"method": method, "path": self.path, "headers": dict(self.headers.items()),
                       "body": raw.decode("utf-8", errors="replace"), "received": time.time()}
        with state.lock:
            state.requests.append(self._entry)
        route = self._route(method)
        if route is None:
            return self._send(404, problem(404, f"Cannot {method} {self.path.split('?')[0]}"))
        fault = state.next_fault() or {}
        kind, after = fault.get("kind"), fault.get("when") == "after"
        if kind == "status":
            status = int(fault.get("status", 503))
            extra = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else None
            message = "Too Many Requests" if status == 429 else PHRASES.get(status, "Error")
            echo = _echoing(self.headers.get("Authorization") or "")
            raw = echo(fault["raw"]).encode() if "raw" in fault else None
            return self._send(status, echo(fault.get("body")) or problem(status, message), extra, raw=raw,
                              reason=echo(fault["reason"]) if "reason" in fault else None)
        if kind == "delay" and not after:
            time.sleep(float(fault.get("seconds", 1)))
        if kind == "drop" and not after:
            return self._drop()
        status, data, extra = route(raw)
        if kind == "delay" and after:
            time.sleep(float(fault.get("seconds", 1)))
        if kind == "drop" and after:
            return self._drop()
        if kind == "drip":
            return self._drip(status, data, extra, float(fault.get("seconds", 0.5)))
        try:
            self._send(status, data, extra)
        except OSError:  # the client gave up waiting
            self.close_connection = True

    # The handler of each endpoint of the API contract: the sandbox serves exactly these
    # (tests/test_contract.py holds the two equal), and answers 404 to any other `/v4/...` call.
    HANDLERS = {"create-user": "_create", "me": "_me", "list-users": "_list", "read-user": "_owned",
                "update-user": "_owned", "read-availability": "_owned", "update-availability": "_owned",
                "read-meeting-type": "_owned", "update-meeting-type": "_owned",
                "holiday-exceptions": "_holidays", "list-availabilities": "_availabilities"}

    def _route(self, method: str):
        """The call to answer `method` and this path with, from the contract; None for a call it
        does not name, and, in strict mode, for one it only assumes exists."""
        path, _, query = self.path.partition("?")
        found = contract.match(method, path)
        if found is None or (self.server.state.strict and not found[0].documented):
            return None
        endpoint, ids = found
        return lambda raw: self._serve(endpoint, ids, query, raw)

    def _serve(self, endpoint: contract.Endpoint, ids: dict, query: str, raw: bytes):
        """What every call goes through: the key, the owner header where the contract names
        one, the query, a JSON body where it takes one; then the endpoint's own handler."""
        from urllib.parse import parse_qs

        company, refused = self._authorize()
        if refused is not None:
            return refused
        if contract.OWNER.name in (h.name for h in endpoint.headers) and not self.headers.get(contract.USER_HEADER):
            return 400, problem(400, "Missing required header 'x-meetergo-api-user-id' for API key authentication"), None
        asked = {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}
        wrong = contract.query_problems(endpoint, asked, strict=self.server.state.strict)
        if wrong:
            return 400, problem(400, "Validation failed", [{"field": f, "message": m} for f, m in wrong]), None
        body = None
        if endpoint.request:
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                return 400, problem(400, "Content-Type must be application/json"), None
            try:
                body = json.loads(raw)
            except ValueError:
                return 400, problem(400, "Invalid JSON body"), None
        return getattr(self, self.HANDLERS[endpoint.name])(endpoint, ids, asked, body, company)

    def _authorize(self):
        """(company id, key) for an accepted key, or the (status, body, headers) refusing it."""
        state = self.server.state
        auth = self.headers.get("Authorization")
        if not auth:
            return None, (401, problem(401, "Missing authorization header"), None)
        scheme, _, token = auth.partition(" ")
        if scheme != "Bearer" or not token:
            return None, (401, problem(401, "Invalid authorization header"), None)
        if token.startswith("rgo-"):
            return None, (403, problem(403, "Personal access tokens cannot create users"), None)
        match = KEY.match(token)
        if not match:
            return None, (401, problem(401, "Invalid API key"), None)
        if match.group(2).startswith("expired"):
            return None, (401, problem(401, "API key has expired"), None)
        if match.group(2).startswith("nosub"):
            return None, (403, problem(403, "The API Platform subscription is not active for this company"), None)
        wait = state.admit(token)
        if wait is not None:
            extra = {"Retry-After": str(max(1, round(wait + 0.5)))} if state.retry_after else None
            return None, (429, problem(429, "Too Many Requests"), extra)
        return str(uuid.uuid5(uuid.NAMESPACE_URL, match.group(1).lower())), None

    def _list(self, endpoint, ids, asked: dict, body, company: str) -> tuple[int, dict, None]:
        """`GET /v4/user`: the company's users, paged with `limit` (1–100, default 20) and `skip`."""
        limit, skip = int(asked.get("limit", 20)), int(asked.get("skip", 0))
        if not 1 <= limit <= 100 or skip < 0:
            return 400, problem(400, "Validation failed", [{"field": "limit", "message": "limit must be 1 to 100"}]), None
        with self.server.state.lock:
            mine = [self._profile(u) for u in self.server.state.users.values() if u["companyId"] == company]
        page = mine[skip:skip + limit]
        return 200, {"users": page, "total": len(mine), "count": len(page), "skip": skip}, None

    def _profile(self, user: dict) -> dict:
        """A user as `GET /v4/user` shows one."""
        meeting = self.server.state.meeting_types.get(user["meetingTypeId"], {})
        return {"id": user["userId"], "email": user["email"], "givenName": user.get("givenName", ""),
                "familyName": user.get("familyName", ""),
                "fullName": f"{user.get('givenName', '')} {user.get('familyName', '')}".strip(),
                "slug": user["slug"], "timezone": user.get("timezone"), "userType": "api-platform",
                "isAdmin": False, "companyId": user["companyId"], "defaultAvailabilityId": user["availabilityId"],
                "personalPage": {"meetingTypes": [{"id": meeting.get("id"), "slug": meeting.get("slug")}]}}

    def _me(self, endpoint, ids, asked, body, company: str) -> tuple[int, dict, None]:
        """`GET /v4/user/me`: the company's owner, or the user `x-meetergo-api-user-id` names."""
        state = self.server.state
        acting = self.headers.get(contract.USER_HEADER)
        with state.lock:
            if not acting:
                return 200, state.owner(company), None
            actor = next((u for u in state.users.values() if u["userId"] == acting and u["companyId"] == company), None)
            return (404, problem(404, "User not found"), None) if actor is None else (200, self._profile(actor), None)

    def _owned(self, endpoint, ids, asked, body, company: str) -> tuple[int, dict, None]:
        """GET or PATCH one availability, meeting type or user, acting as the user the header names."""
        state = self.server.state
        method, (kind, ident) = endpoint.method, next(iter(ids.items()))
        kind = {"userId": "user", "availabilityId": "availability", "meetingTypeId": "meeting-type"}[kind]
        acting = self.headers.get(contract.USER_HEADER)
        with state.lock:
            actor = next((u for u in state.users.values() if u["userId"] == acting and u["companyId"] == company), None)
            if actor is None:
                return 404, problem(404, "User not found"), None
            if kind == "user":
                target = next((u for u in state.users.values() if u["userId"] == ident), None)
                if target is None or target["companyId"] != company:
                    return 404, problem(404, "User not found"), None
                if target is not actor:
                    return 403, problem(403, "Only admins may update other users"), None
                if method == "GET":
                    return 200, self._profile(target), None
                errors = edit_user(target, body, state.strict)
                return (400, problem(400, "Validation failed", errors), None) if errors else (200, self._profile(target), None)
            store, name = ((state.availabilities, "Availability") if kind == "availability"
                           else (state.meeting_types, "Meeting type"))
            thing = store.get(ident)
            if thing is None or thing["ownerId"] != acting:
                return 404, problem(404, f"{name} not found"), None
            if method == "PATCH":
                errors = (edit_availability if kind == "availability" else edit_meeting_type)(thing, body, state.strict)
                if errors:
                    return 400, problem(400, "Validation failed", errors), None
            return 200, {k: v for k, v in thing.items() if k != "ownerId"}, None

    def _actor(self, company: str) -> Optional[dict]:
        acting = self.headers.get(contract.USER_HEADER)
        state = self.server.state
        return next((u for u in state.users.values() if u["userId"] == acting and u["companyId"] == company), None)

    def _holidays(self, endpoint, ids, asked, body, company: str):
        """`PATCH /availability/{id}/holiday-exceptions` (§4): the public holidays of `country`
        (and `germanState`) in `year` become blocking, all-day exceptions of the availability,
        replacing the holiday exceptions it had for that year. Answers them as an array."""
        state = self.server.state
        errors = holiday_errors(body, state.strict)
        if errors:
            return 400, problem(400, "Validation failed", errors), None
        with state.lock:
            actor = self._actor(company)
            if actor is None:
                return 404, problem(404, "User not found"), None
            thing = state.availabilities.get(ids["availabilityId"])
            if thing is None or thing["ownerId"] != actor["userId"]:
                return 404, problem(404, "Availability not found"), None
            made = []
            for day, name in holiday_dates(body["country"], body.get("germanState"), body["year"]):
                state.exception_ids += 1
                made.append(exception_object(state.exception_ids, actor["userId"], thing["timezone"], day, name))
            kept = [(year, e) for year, e in state.exceptions.get(thing["id"], []) if year != body["year"]]
            state.exceptions[thing["id"]] = kept + [(body["year"], e) for e in made]
        return 200, made, None

    def _availabilities(self, endpoint, ids, asked, body, company: str):
        """`GET /availability` (§9): the acting user's availabilities, each with its exceptions."""
        state = self.server.state
        with state.lock:
            actor = self._actor(company)
            if actor is None:
                return 404, problem(404, "User not found"), None
            return 200, [{**{k: v for k, v in a.items() if k != "ownerId"},
                          "availabilityExceptions": [e for _, e in state.exceptions.get(a["id"], [])],
                          "isDefault": a["id"] == actor["availabilityId"], "useExplicitAvailability": False}
                         for a in state.availabilities.values() if a["ownerId"] == actor["userId"]], None

    def _create(self, endpoint, ids, asked, body, company: str) -> tuple[int, dict, Optional[dict]]:
        state = self.server.state
        errors = validate(body, state.strict)
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
                "companyId": company,
            }
            state.users[email] = {**created, "email": body["email"], "slug": user_slug,
                                  "givenName": body.get("givenName") or body["email"].split("@")[0],
                                  "familyName": body.get("familyName") or "",
                                  "timezone": body.get("timezone") or "Europe/Berlin"}
            availability = body.get("availability") or {}
            state.availabilities[created["availabilityId"]] = {
                "id": created["availabilityId"], "name": availability.get("name") or "Working hours",
                "timezone": availability.get("timezone") or body.get("timezone") or "Europe/Berlin",
                "schedule": availability.get("schedule") or default_schedule(), "ownerId": created["userId"]}
            state.meeting_types[created["meetingTypeId"]] = {
                "id": created["meetingTypeId"], "slug": meeting_slug,
                "meetingInfo": {"name": meeting.get("name") or "30min Meeting",
                                "duration": meeting.get("duration") or 30, "channel": meeting.get("channel") or "phone"},
                "ownerId": created["userId"]}
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
        if self.path == "/_sandbox/edit":
            return self._send(*self._edit(data))
        self._send(404, problem(404, f"Cannot POST {self.path}"))

    def _edit(self, data) -> tuple[int, dict]:
        """`POST /_sandbox/edit`: change a user as someone in meetergo's web app would, with no
        key and no log line: `{"email": E, "availability": {...}, "meetingType": {...}, "user": {...}}`,
        each part shaped like the body of its PATCH."""
        state = self.server.state
        if not isinstance(data, dict):
            return 400, problem(400, "the body must be a JSON object")
        with state.lock:
            user = state.users.get(str(data.get("email", "")).lower())
            if user is None:
                return 404, problem(404, "User not found")
            errors = []
            for part, edit, thing in (
                    ("availability", edit_availability, state.availabilities[user["availabilityId"]]),
                    ("meetingType", edit_meeting_type, state.meeting_types[user["meetingTypeId"]]),
                    ("user", edit_user, user)):
                if part in data:
                    errors += [{**e, "field": f"{part}.{e['field']}"} for e in edit(thing, data[part])]
            if errors:
                return 400, problem(400, "Validation failed", errors)
            return 200, {"edited": user["email"]}


def _api_path(path: str) -> bool:
    """A path of the API rather than of the sandbox's own controls: `/v4/...`, and the
    availability paths the spec gives without `/v4` (§1)."""
    bare = path.split("?")[0]
    return path.startswith("/v4/") or bare == "/availability" or bare.startswith("/availability/")


def holiday_errors(body, strict: bool = False) -> list[dict]:
    """The field errors of a holiday-exceptions body (§4): the contract's fields, `year` in the
    window, `country` and `germanState` from their lists."""
    errors = _fits(contract.HOLIDAY_EXCEPTIONS, body, strict)
    if errors or not isinstance(body, dict):
        return errors
    first, last = contract.HOLIDAY_YEARS
    if not first <= body["year"] <= last:
        errors.append({"field": "year", "message": f"year must not be less than {first} and not greater than {last}"})
    if body["country"] not in contract.HOLIDAY_COUNTRIES:
        errors.append({"field": "country", "message": "country must be one of the following values: "
                                                      + ", ".join(contract.HOLIDAY_COUNTRIES)})
    state = body.get("germanState")
    if state is not None and state not in contract.GERMAN_STATES:
        errors.append({"field": "germanState", "message": "germanState must be one of the following values: "
                                                          + ", ".join(contract.GERMAN_STATES)})
    elif state is not None and body["country"] != contract.STATE_COUNTRY:
        errors.append({"field": "germanState", "message": "germanState is only allowed with country DE"})
    return errors


def holiday_dates(country: str, state: Optional[str], year: int) -> list:
    """The public holidays the sandbox's calendar has for a region and year: (date, name)."""
    import datetime

    from ..compiler.public_holidays import Region, dates

    return sorted(dates(Region(country, state), datetime.date(year, 1, 1), datetime.date(year, 12, 31)).items())


def exception_object(ident: int, owner: str, zone_name: str, day, title: str) -> dict:
    """A blocking, all-day exception in the documented shape (§4); `start` and `end` are the
    day's midnights in the availability's zone, as UTC timestamps (the format is not documented)."""
    import datetime

    from ..compiler.tzdb import zone

    where = zone(zone_name) or datetime.timezone.utc

    def stamp(d) -> str:
        moment = datetime.datetime.combine(d, datetime.time(), tzinfo=where).astimezone(datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    return {"id": ident, "ownerId": owner, "ownerType": "user", "available": False, "start": stamp(day),
            "end": stamp(day + datetime.timedelta(days=1)), "title": title, "note": "public holiday",
            "createdAt": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()), "deletedAt": None}


def _echoing(authorization: str):
    """A function that copies a fault's body with `{authorization}` replaced in every string."""
    def echo(value):
        if isinstance(value, str):
            return value.replace("{authorization}", authorization)
        if isinstance(value, list):
            return [echo(item) for item in value]
        if isinstance(value, dict):
            return {echo(key): echo(item) for key, item in value.items()}
        return value
    return echo


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
                 retry_after: bool = False, verbose: bool = False, strict: bool = False):
        self.defaults = (rate, burst, retry_after)
        self.state = State(rate, burst, retry_after, strict)
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


__all__ = ["Sandbox", "default_schedule", "edit_availability", "edit_meeting_type", "edit_user", "validate"]
