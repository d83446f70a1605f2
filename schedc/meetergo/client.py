"""Creating users on meetergo, and reading and changing what exists: the requests and their outcomes.

`submit` sends one compiled request and returns a typed outcome; `submit_async` is its twin
for code that already runs an event loop, and `submit_batch` sends many, paced and bounded,
recording every outcome in a `Journal` so that a re-run sends only what is not done yet.
Nothing here prints or exits. Problems that stop the tool before anything is sent (a refused
key, an unsafe base URL, an unusable journal) raise `SubmitError`. The key lives in an
`ApiKey`, whose repr and str are redacted; it never enters an outcome, a message or the journal.

The jobs around the requests have their own modules: the key and the base URL (`key`), what
became of a request (`outcomes`), attempts, deadlines and backoff (`retries`), pacing across a
batch and across runs (`pacer`, over `pacing`'s arithmetic), and the journal (`journal`).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence, Union

import httpx

from ..secrets import redact, untrusted
from . import contract
from .errors import SubmitError
from .journal import Journal
from .key import DEFAULT_BASE_URL, ApiKey, as_key, check_base_url
from .outcomes import AlreadyExists, Created, Failed, Outcome, Pace, Rejected, Watch
from .pacer import journal_pacer
from .pacing import Backoff
from .retries import answer_data, answer_message, answer_phrase, field_errors, retrying


DEFAULT_JOURNAL = ".schedc-journal.jsonl"


REDACTED = "Bearer <redacted>"


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


def headers(key: Optional[ApiKey], endpoint: contract.Endpoint = contract.CREATE_USER, *,
            acting_user: Optional[str] = None, body: bool = True) -> dict[str, str]:
    """The headers of a request to `endpoint`: those the contract names, then `Accept` and
    `User-Agent`. With no key (a dry run) the Authorization value is redacted."""
    sent = contract.send_headers(endpoint, key.authorization() if key is not None else REDACTED,
                                 acting_user=acting_user, body=body)
    return {**sent, "Accept": "application/json", "User-Agent": user_agent()}


def checked(endpoint: contract.Endpoint, body: Any) -> None:
    """Raise `SubmitError` before sending a body the contract does not allow (a field it does not
    name, a value of the wrong type): that is a mistake in the caller, not the server's to find."""
    found = contract.problems(endpoint, body)
    if found:
        said = "; ".join(f"{message} (`{field}`)" if field else message for field, message in found)
        raise SubmitError(f"the {endpoint.method} {endpoint.path} request does not fit the API contract: {said}",
                          kind="contract")


def _request_data(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None  # not JSON: `checked` says the body must be a JSON object


def describe_request(body: bytes, base_url: str, *, key_set: bool = True) -> dict:
    """The request as data for a dry run: method, URL, headers and body. The Authorization
    header shows `<redacted>` when a key is set, and is left out when none is (DESIGN §8)."""
    shown = headers(None)
    if not key_set:
        del shown["Authorization"]
    return {"method": contract.CREATE_USER.method, "url": check_base_url(base_url) + contract.CREATE_USER.path,
            "headers": shown, "body": json.loads(body)}


def describe_holiday(body: dict, base_url: str, created: Optional[dict] = None, *, key_set: bool = True) -> dict:
    """A holiday request as data for a dry run. Before the user exists its ids are the 201
    answer's, shown as the contract's placeholders (`{availabilityId}`, `{userId}`)."""
    endpoint = contract.HOLIDAY_EXCEPTIONS
    created = created or {}
    availability, user = created.get("availabilityId"), created.get("userId")
    path = (contract.path(endpoint, {"availabilityId": availability}) if availability else endpoint.path)
    shown = headers(None, endpoint, acting_user=user or "{userId}")
    if not key_set:
        del shown["Authorization"]
    return {"method": endpoint.method, "url": check_base_url(base_url) + path, "headers": shown, "body": body}


def submit(request: Any, *, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
           timeout: float = 30.0, backoff: Backoff = Backoff(), pace: Optional[Pace] = None) -> Outcome:
    """Create one user: POST the compiled request and return what happened.

    Retries 429, 5xx, timeouts and connection errors (see `Backoff`). Raises `SubmitError`
    for a refused key or base URL, before sending anything. Runs its own event loop; inside a
    running loop use `submit_async`.
    """
    from .event_loop import run

    return run(submit_async(request, api_key=api_key, base_url=base_url, timeout=timeout, backoff=backoff,
                            pace=pace))


async def submit_async(request: Any, *, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
                       timeout: float = 30.0, backoff: Backoff = Backoff(), pace: Optional[Pace] = None,
                       client: Optional[httpx.AsyncClient] = None, uncertain: bool = False,
                       watch: Optional[Watch] = None) -> Outcome:
    """The async twin of `submit`. `uncertain` says an earlier run may already have created
    this user, so that a 409 is reported as probably ours; `watch` hears of each retry."""
    endpoint = contract.CREATE_USER
    url = check_base_url(base_url) + endpoint.path
    body, sent_headers = request_body(request), headers(as_key(api_key), endpoint)
    checked(endpoint, _request_data(body))
    return await retrying(endpoint.method, url, _answer, content=body, headers=sent_headers, timeout=timeout,
                           backoff=backoff, pace=pace, client=client, uncertain=uncertain, watch=watch)


def _answer(response: httpx.Response, attempt: int, uncertain: bool) -> Optional[Outcome]:
    """The outcome a response settles, or None when it is worth another attempt."""
    status = response.status_code
    if status == 429 or status >= 500:
        return None
    if 200 <= status < 300:
        return _created(response, attempt)
    if status == 409:
        return AlreadyExists(answer_message(response) or "already exists", uncertain, attempt)
    return Rejected(status, answer_message(response) or answer_phrase(response), field_errors(response), attempt)


def _created(response: httpx.Response, attempt: int) -> Outcome:
    """A 2xx answer to `POST /v4/user`. The server acted; when its answer names no usable user
    id (not JSON, cut short, an id that cannot be one) schedc cannot know what it made, so the
    outcome is uncertain, as after a lost answer: the next run looks the user up before sending."""
    status, data = response.status_code, answer_data(response)
    if not isinstance(data, dict):
        return Failed(f"the server answered HTTP {status} without the new user's ids (its answer is not a JSON "
                      "object)", status, attempt, uncertain=True)
    user_id = server_id(data.get("userId"))
    if user_id is None:
        return Failed(f"the server answered HTTP {status} without a usable id for the new user", status, attempt,
                      uncertain=True)
    booking = data.get("bookingUrl")
    return Created(user_id, server_id(data.get("availabilityId")), server_id(data.get("meetingTypeId")),
                   untrusted(booking, limit=2000) if isinstance(booking, str) else None,
                   server_id(data.get("companyId")), attempts=attempt)


def server_id(value: Any) -> Optional[str]:
    """An id from a server's answer as text, or None when the value cannot be an id: not a
    string or number, empty, over 128 characters, holding anything but letters, digits, `-`,
    `_` and `.`, or holding what looks like a key (a server echoing the request's header)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    if not contract.ID.fullmatch(text) or redact(text, shapes=True) != text:
        return None
    return text


# ---- batches
@dataclass(frozen=True)
class Item:
    """One compiled file ready to send."""

    file: str
    email: str
    body: bytes
    holidays: tuple = ()  # bodies of `PATCH /availability/{id}/holiday-exceptions`, sent after the user

    @property
    def hash(self) -> str:
        return body_hash(self.body)


@dataclass(frozen=True)
class HolidayStep:
    """What became of one holiday request of an item: `done`, `rejected`, `failed` or `not-sent`."""

    year: int
    region: str  # `DE-BY`
    outcome: str
    status: Optional[int] = None
    message: str = ""
    uncertain: bool = False

    @classmethod
    def of(cls, body: dict, outcome: str, **fields) -> "HolidayStep":
        from .journal import holiday_region

        return cls(body["year"], holiday_region(body), outcome, **fields)


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
                       watch: Optional[Watch] = None,
                       on_holidays: Callable[[Item, list], None] = lambda item, steps: None) -> list[Result]:
    """Send every item not already done, at most `concurrency` at once, paced by a token bucket.

    `watch` hears what the batch waits for (see `Watch`); events about one user carry `email`.

    Every outcome is written to the journal before `on_result` hears of it. A refused
    credential (401/403) stops the batch: the items not yet sent come back as `NotSent`.

    Once a user exists (created now, or by an earlier run from the same request), the item's
    holiday requests that the journal does not show done are sent, one after the other, each
    recorded before it leaves and when it is answered; `on_holidays` hears their `HolidayStep`s.
    """
    options = options or BatchOptions()
    key, base = as_key(api_key), check_base_url(options.base_url)
    pace = journal_pacer(options.rate, options.burst, base, journal, watch)
    gate = asyncio.Semaphore(max(1, options.concurrency))
    stop: list[str] = []
    limits = httpx.Limits(max_connections=max(1, options.concurrency))

    async with httpx.AsyncClient(timeout=options.timeout, limits=limits, follow_redirects=False,
                                 trust_env=False) as client:
        async def one(item: Item) -> Result:
            async with gate:
                result = await _one(item)
                on_result(item, result)
                if item.holidays and isinstance(result, (Created, Skipped)):
                    entry = result.entry if isinstance(result, Skipped) else journal_fields(result)
                    steps = await _holidays(item, entry)
                    if steps:
                        on_holidays(item, steps)
            return result

        async def _holidays(item: Item, created: dict) -> list[HolidayStep]:
            from .journal import holiday_key

            done = journal.holidays_done(base, item.email)
            waiting = [body for body in item.holidays if holiday_key(body) not in done]
            user, availability = created.get("userId"), created.get("availabilityId")
            if not waiting:
                return []
            if stop or not user or not availability:
                why = stop[0] if stop else "the server named no availability for this user"
                return [HolidayStep.of(body, "not-sent", message=why) for body in waiting]
            steps = []
            for body in waiting:
                where = {"base": base, "file": item.file, "email": item.email, "step": "holidays",
                         "availabilityId": availability, "body": body}
                journal.record({**where, "outcome": "sending"})
                answer = await call_async(contract.HOLIDAY_EXCEPTIONS, api_key=key, base_url=base,
                                          ids={"availabilityId": availability}, acting_user=user, body=body,
                                          timeout=options.timeout, backoff=options.backoff, pace=pace, client=client)
                if isinstance(answer, Reply):
                    step = HolidayStep.of(body, "done", status=answer.status)
                elif isinstance(answer, Rejected):
                    step = HolidayStep.of(body, "rejected", status=answer.status, message=answer.message)
                    if answer.credential:
                        stop.append(f"the credential was refused (HTTP {answer.status})")
                else:
                    step = HolidayStep.of(body, "failed", status=answer.status, message=answer.reason,
                                          uncertain=answer.uncertain)
                journal.record({**where, "outcome": step.outcome, "status": step.status, "message": step.message})
                steps.append(step)
                if step.outcome != "done":  # the later years wait for the next run, as this one does
                    break
            return steps

        async def _one(item: Item) -> Result:
            memory = journal.state(base, item.email)
            if memory.created is not None:
                return Skipped(memory.created) if memory.created.get("hash") == item.hash else Changed(memory.created)
            if stop:
                return NotSent(stop[0])
            where = {"base": base, "file": item.file, "email": item.email, "hash": item.hash}
            if memory.uncertain:  # an earlier attempt may have created this user: look before sending
                found = await settle(item.email, api_key=key, base_url=base, pace=pace, client=client,
                                     backoff=options.backoff, timeout=options.timeout)
                if found is not None:
                    sent_with = memory.sent_hash or item.hash
                    entry = {**where, "hash": sent_with, **journal_fields(found)}
                    journal.record(entry)
                    return found if sent_with == item.hash else Changed(entry)
            journal.record({**where, "outcome": "sending"})
            told = None if watch is None else (lambda event, **fields: watch(event, email=item.email, **fields))
            outcome = await submit_async(item.body, api_key=key, base_url=base, backoff=options.backoff,
                                         timeout=options.timeout, pace=pace, client=client,
                                         uncertain=memory.uncertain, watch=told)
            if isinstance(outcome, AlreadyExists) and outcome.probably_ours:  # settle it the same way
                found = await settle(item.email, api_key=key, base_url=base, pace=pace, client=client,
                                     backoff=options.backoff, timeout=options.timeout)
                outcome = found if found is not None else outcome
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
        fields = {"outcome": "created", "userId": outcome.user_id, "availabilityId": outcome.availability_id,
                  "meetingTypeId": outcome.meeting_type_id, "bookingUrl": outcome.booking_url,
                  "companyId": outcome.company_id, "attempts": outcome.attempts}
        return {**fields, "found": True} if outcome.found else fields
    if isinstance(outcome, AlreadyExists):
        return {"outcome": "uncertain" if outcome.probably_ours else "exists", "status": 409,
                "message": outcome.message, "attempts": outcome.attempts}
    if isinstance(outcome, Rejected):
        return {"outcome": "rejected", "status": outcome.status, "message": outcome.message,
                "errors": [{"field": e.field, "message": e.message} for e in outcome.errors],
                "attempts": outcome.attempts}
    return {"outcome": "failed", "status": outcome.status, "message": outcome.reason,
            "attempts": outcome.attempts, "uncertain": outcome.uncertain}


# ---- reading and changing what exists: GET and PATCH (used by `plan --refresh` and `apply`)
USER_HEADER = contract.USER_HEADER


@dataclass(frozen=True)
class Reply:
    """A 2xx answer to a GET or PATCH, with its JSON (None when the body was not JSON)."""

    status: int
    data: Any
    attempts: int = 1
    kind = "ok"


Answer = Union[Reply, Rejected, Failed]


async def call_async(endpoint: contract.Endpoint, *, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
                     ids: Optional[dict] = None, body: Any = None, acting_user: Optional[str] = None,
                     params: Optional[dict] = None, timeout: float = 30.0, backoff: Backoff = Backoff(),
                     pace: Optional[Pace] = None, client: Optional[httpx.AsyncClient] = None) -> Answer:
    """One GET or PATCH of a `contract` endpoint, with the same retries, pacing and error shapes
    as `submit_async`.

    The path's placeholders are filled from `ids` (a state record will do); the headers are the
    endpoint's, `acting_user` going in `x-meetergo-api-user-id` where it names the owner; the
    body and the query are checked against the endpoint's fields before anything is sent. Any
    4xx other than 429 is a `Rejected` (404 included); 429, 5xx and network errors are retried.
    GET and PATCH are idempotent, so a retry after a lost answer is harmless.
    """
    url = check_base_url(base_url) + contract.path(endpoint, ids or {})
    sent_headers = headers(as_key(api_key), endpoint, acting_user=acting_user, body=body is not None)
    content = None
    if body is not None:
        checked(endpoint, body)
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    wrong = contract.query_problems(endpoint, {k: str(v) for k, v in (params or {}).items()})
    if wrong:
        raise SubmitError(f"{endpoint.method} {endpoint.path} takes no query parameter `{wrong[0][0]}`", kind="contract")
    result = await retrying(endpoint.method, url, _reply, content=content, headers=sent_headers, params=params,
                             timeout=timeout, backoff=backoff, pace=pace, client=client)
    if isinstance(result, Failed):  # GET and PATCH are idempotent: doubt matters only for what changes
        return Failed(result.reason, result.status, result.attempts, uncertain=endpoint.method != "GET")
    return result


def _reply(response: httpx.Response, attempt: int, uncertain: bool) -> Optional[Answer]:
    """What a GET or PATCH answer settles: any 2xx a `Reply`, any other 4xx but 429 a
    `Rejected` (404 included); None for 429 and 5xx, which are worth another attempt."""
    status = response.status_code
    if 200 <= status < 300:
        return Reply(status, answer_data(response) if response.content else None, attempt)
    if status != 429 and status < 500:
        return Rejected(status, answer_message(response) or answer_phrase(response), field_errors(response), attempt)
    return None


MAX_LISTED = 20_000  # users read from `GET /v4/user` at most: some hundred MB, whatever each page holds


async def list_users_async(*, api_key: Union[str, ApiKey], base_url: str = DEFAULT_BASE_URL,
                           page_size: int = 100, until: Optional[Callable[[dict], bool]] = None,
                           **options) -> Union[list[dict], Rejected, Failed]:
    """The users `GET /v4/user` lists, page by page, or the answer that stopped the listing.

    Pages are asked for with `limit` and `skip`. The reading is lenient about the paging fields,
    whose names the documentation does not show: it reads the documented `users` array and
    stops at a short or empty page, at a total the answer states (`total`, `totalCount` or
    `count` when it exceeds the page), or at a page that repeats the first one (a server that
    ignores `skip`). `until(user)`, when given, ends the listing at the first user it accepts;
    the list then ends with that user. `options` go to `call_async` (pace, backoff, client...).
    A listing that goes on past `MAX_LISTED` users is given up as `Failed`: each answer is
    bounded, but a server that always sends another full page would be read for ever.
    """
    found: list[dict] = []
    first_ids: Optional[tuple] = None
    while True:
        answer = await call_async(contract.LIST_USERS, api_key=api_key, base_url=base_url,
                                  params={"limit": page_size, "skip": len(found)}, **options)
        if not isinstance(answer, Reply):
            return answer
        data = answer.data
        page = data if isinstance(data, list) else (data or {}).get("users") if isinstance(data, dict) else None
        page = [u for u in page or () if isinstance(u, dict)]
        ids = tuple(str(u.get("id", u.get("userId", ""))) for u in page)
        if not page or (first_ids is not None and ids == first_ids):
            return found
        first_ids = first_ids or ids
        for user in page:
            found.append(user)
            if until is not None and until(user):
                return found
        if len(found) > MAX_LISTED:
            return Failed(f"`GET /v4/user` listed more than {MAX_LISTED:,} users without coming to an end; schedc "
                          "reads no further", answer.status, answer.attempts)
        total = _total(data)
        if len(page) < page_size or (total is not None and len(found) >= total):
            return found


async def settle(email: str, **options) -> Optional[Created]:
    """The user with `email` as `GET /v4/user` lists it, as a `Created` read back from the server
    (`found`), or None when it is not listed or the listing cannot be had. For a user whose
    earlier attempt may have reached the server: found, it is done; not found, it is sent."""
    wanted = email.lower()
    listed = await list_users_async(until=lambda user: str(user.get("email", "")).lower() == wanted, **options)
    if not isinstance(listed, list):
        return None
    user = next((u for u in listed if str(u.get("email", "")).lower() == wanted), None)
    if user is None:
        return None
    ids = found_ids(user, {})
    if ids["userId"] is None:  # listed, but with no id schedc could use: not settled
        return None
    return Created(ids["userId"], ids["availabilityId"], ids["meetingTypeId"], None,
                   server_id(user.get("companyId")), attempts=0, found=True)


def found_ids(user: dict, body: dict) -> dict:
    """The ids of a listed user, read leniently: the documentation names the user's default
    availability and `personalPage.meetingTypes[]` but not their exact field names."""
    availability = (user.get("defaultAvailabilityId") or user.get("availabilityId")
                    or _nested(user, "defaultAvailability", "id") or _nested(user, "availability", "id"))
    meetings = [m for m in (_nested(user, "personalPage", "meetingTypes") or user.get("meetingTypes") or ())
                if isinstance(m, dict)]
    slug = (body.get("meetingType") or {}).get("slug")
    chosen = next((m for m in meetings if slug and m.get("slug") == slug), None)
    if chosen is None and len(meetings) == 1:
        chosen = meetings[0]
    return {"userId": server_id(user.get("id") or user.get("userId")), "availabilityId": server_id(availability),
            "meetingTypeId": server_id(chosen and (chosen.get("id") or chosen.get("meetingTypeId")))}


def _nested(data: dict, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _total(data: Any) -> Optional[int]:
    if not isinstance(data, dict):
        return None
    for name in ("total", "totalCount", "count"):
        value = data.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            if name == "count" and value <= len(data.get("users") or ()):
                continue  # `count` may be the number on this page, which says nothing of the total
            return value
    return None


__all__ = [
    "DEFAULT_JOURNAL", "Answer", "BatchOptions", "Changed", "HolidayStep", "Item", "NotSent", "Reply", "Result",
    "Skipped", "USER_HEADER", "body_hash", "call_async", "describe_holiday", "describe_request", "found_ids",
    "journal_fields", "list_users_async", "request_body", "server_id", "settle", "submit", "submit_async",
    "submit_batch",
]
