"""The meetergo API as schedc uses it, written down once: every endpoint schedc calls.

Each `Endpoint` gives the method, the path (its `{placeholders}` are the ids schedc records
under the same names), the headers schedc sends, the fields of the request with their JSON
types, and the fields of the answer that schedc reads. Each entry cites where the API's
documentation says so:

- `§N`: section N of the API reference notes (meetergo-api.md, compiled from meetergo's
  developer documentation, which the project keeps beside its design);
- `seed`: meetergo's "Create User" page (`POST /v4/user`), the source the reference defers to
  when the two disagree.

Where the documentation is silent and schedc had to choose, the choice is an `Assumption`
with a name, and every field or endpoint that rests on it names it. A field whose
`assumption` is set is *not documented*: `schedc sandbox --strict` refuses it as the real API
might, and `schedc plan` says so beside each change that needs it. An assumption may also
rest on a documented field (the shape of a schedule) or a whole endpoint.

The rest of schedc reads this module: the client builds each request's path and headers from
it and checks each body against it before sending; the sandbox routes and validates every
request with it; `schedc doctor` prints the assumptions; docs/apply.md lists them (a test holds
the list equal to `ASSUMPTIONS`). Plain data and the standard library only, so that importing
it costs a command nothing.

Field paths are dotted; `{day}` stands for each of the seven lowercase day names, and `[]` for
each item of an array (`availability.schedule.{day}.hours[].start`).
"""

from __future__ import annotations

import re
from typing import Any, Optional

from ..compiler.records import Record
from ..compiler.words import DAY_KEYS


class Assumption(Record):
    """A choice schedc made where the documentation is silent, with the section it leans on."""

    name: str
    cites: str
    text: str


class Field(Record):
    """One field of a request or an answer. `cites` says where it is documented; a field with an
    `assumption` is not documented (it is sent, or read, because of that assumption)."""

    path: str
    type: str  # the JSON type: string, number, integer, boolean, object, array
    cites: str
    assumption: str = ""
    required: bool = False

    @property
    def documented(self) -> bool:
        return not self.assumption


class Header(Record):
    """A header schedc sends. `value` is the text sent, or what fills it: `<key>`, `<acting user>`."""

    name: str
    value: str
    cites: str
    assumption: str = ""


class Endpoint(Record):
    name: str
    method: str
    path: str
    cites: str
    headers: tuple  # of Header
    request: tuple = ()  # of Field: the body (PATCH, POST)
    query: tuple = ()  # of Field: the query string (GET)
    response: tuple = ()  # of Field: what schedc reads from a 2xx answer
    status: int = 200
    assumption: str = ""  # set when the endpoint itself is not documented
    relies_on: tuple = ()  # names of further assumptions the call rests on (paths, shapes, headers)

    @property
    def documented(self) -> bool:
        return not self.assumption

    def field(self, path: str) -> Optional[Field]:
        """The request field at `path` (a contract path, with `{day}` and `[]`), or None."""
        return next((f for f in self.request if f.path == path), None)

    def placeholders(self) -> tuple[str, ...]:
        """The names in the path's braces, in order: `("availabilityId",)`."""
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))

    def assumptions(self) -> tuple[str, ...]:
        """Every assumption this call rests on, each once, in the order of `ASSUMPTIONS`."""
        named = {self.assumption, *self.relies_on}
        named.update(h.assumption for h in self.headers)
        named.update(f.assumption for f in self.request + self.query + self.response)
        return tuple(a.name for a in ASSUMPTIONS if a.name in named)


ASSUMPTIONS = (
    Assumption("availability-prefix", "§1, §9",
               "Availability paths are `/v4/availability/{id}`, as the guides show; the OpenAPI spec has "
               "`/availability` without `/v4` (open question 18)."),
    Assumption("owner-header", "§2, §9",
               "Reading or changing a user's availability, meeting type or profile carries "
               "`x-meetergo-api-user-id` with that user's own id; the reference names the owner's header "
               "for `GET /v4/availability/{id}` and `POST /v4/meeting-type`, not for every call."),
    Assumption("schedule-object-shape", "§4, §9",
               "`PATCH /v4/availability/{id}` takes `schedule` in the object shape `POST /v4/user` takes "
               "(keyed by day, `{enabled, hours[{start, end}]}`); one revision of the update page shows a "
               "legacy array (`dayOfWeek`, `intervals[{from, to}]`), which schedc accepts when reading."),
    Assumption("availability-timezone", "§9",
               "`PATCH /v4/availability/{id}` takes `timezone`; §9 documents only `{name?, schedule?}` "
               "(`POST /availability` takes `timezone`). A zone change has no documented field."),
    Assumption("meeting-info-nesting", "§5",
               "`PATCH /v4/meeting-type/{id}` takes `name` and `channel` under `meetingInfo`, as "
               "`POST /v4/meeting-type` nests them; the update page lists neither field."),
    Assumption("meeting-type-read", "§5",
               "`GET /v4/meeting-type/{id}` answers one meeting type (`slug`, `meetingInfo.{name, duration, "
               "channel}`); the reference documents only the list `GET /v4/meeting-type`. The meeting's "
               "fields are also read at the top level."),
    Assumption("user-read", "§8",
               "`GET /v4/user/{id}` answers one user with `givenName` and `familyName`; the reference "
               "documents `GET /v4/user/me` and the list `GET /v4/user`, not a read by id."),
    Assumption("user-list-paging", "§8",
               "`GET /v4/user` is paged with `limit` (1 to 100) and `skip`; the reference gives a count and an "
               "offset but not their names (open question 16)."),
    Assumption("user-list-total", "§8",
               "The list's total is read from `total` (or `totalCount`, or `count` when it exceeds the page); "
               "the listing also ends at a short or empty page, or a page that repeats the first."),
    Assumption("user-list-ids", "§8",
               "A listed user's default availability is `defaultAvailabilityId` (or `availabilityId`, "
               "`defaultAvailability.id`), and its meeting types are `personalPage.meetingTypes[]` with "
               "`id` and `slug`; the reference names both without their field names."),
)
ASSUMPTION = {a.name: a for a in ASSUMPTIONS}

# ---- headers
AUTHORIZATION = Header("Authorization", "Bearer <key>", "§2")
JSON_BODY = Header("Content-Type", "application/json", "§2, seed")
OWNER = Header("x-meetergo-api-user-id", "<acting user>", "§2", "owner-header")
OWNER_DOCUMENTED = Header("x-meetergo-api-user-id", "<acting user>", "§2, §9")
USER_HEADER = OWNER.name
# An id as schedc keeps one, and sends it in a path and in a header: letters, digits, `-`, `_`, `.`.
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}")


def _schedule(prefix: str) -> tuple[Field, ...]:
    """The fields of a weekly schedule in the object shape (§4), under `prefix`."""
    day = f"{prefix}.{{day}}"
    return (Field(day, "object", "§4"), Field(f"{day}.enabled", "boolean", "§4"),
            Field(f"{day}.hours", "array", "§4"), Field(f"{day}.hours[]", "object", "§4"),
            Field(f"{day}.hours[].start", "string", "§4"), Field(f"{day}.hours[].end", "string", "§4"))


# ---- the endpoints
CREATE_USER = Endpoint(
    "create-user", "POST", "/v4/user", "§3, seed", (AUTHORIZATION, JSON_BODY),
    request=(Field("email", "string", "seed", required=True), Field("givenName", "string", "seed"),
             Field("familyName", "string", "seed"), Field("timezone", "string", "seed"),
             Field("slug", "string", "§3"),
             Field("availability", "object", "seed"), Field("availability.name", "string", "seed"),
             Field("availability.timezone", "string", "seed"), Field("availability.schedule", "object", "seed, §4"),
             *_schedule("availability.schedule"),
             Field("meetingType", "object", "seed"), Field("meetingType.name", "string", "seed"),
             Field("meetingType.duration", "number", "seed"), Field("meetingType.slug", "string", "seed"),
             Field("meetingType.channel", "string", "seed")),
    response=tuple(Field(name, "string", "§3") for name in
                   ("userId", "availabilityId", "meetingTypeId", "bookingUrl", "companyId")),
    status=201)

ME = Endpoint(
    "me", "GET", "/v4/user/me", "§8, §2", (AUTHORIZATION,),
    response=(Field("id", "string", "§8"), Field("email", "string", "§8"), Field("isAdmin", "boolean", "§8"),
              Field("companyId", "string", "§8")))

LIST_USERS = Endpoint(
    "list-users", "GET", "/v4/user", "§8", (AUTHORIZATION,),
    query=(Field("limit", "integer", "§8", "user-list-paging"), Field("skip", "integer", "§8", "user-list-paging")),
    response=(Field("users", "array", "§8"), Field("users[].id", "string", "§8"),
              Field("users[].email", "string", "§8"), Field("users[].companyId", "string", "§8"),
              Field("users[].givenName", "string", "§8"), Field("users[].familyName", "string", "§8"),
              Field("users[].defaultAvailabilityId", "string", "§8", "user-list-ids"),
              Field("users[].personalPage.meetingTypes", "array", "§8"),
              Field("users[].personalPage.meetingTypes[].id", "string", "§8", "user-list-ids"),
              Field("users[].personalPage.meetingTypes[].slug", "string", "§8", "user-list-ids"),
              Field("total", "integer", "§8", "user-list-total")))

READ_USER = Endpoint(
    "read-user", "GET", "/v4/user/{userId}", "§8", (AUTHORIZATION, OWNER),
    response=(Field("givenName", "string", "§8"), Field("familyName", "string", "§8")),
    assumption="user-read")

UPDATE_USER = Endpoint(
    "update-user", "PATCH", "/v4/user/{userId}", "§8", (AUTHORIZATION, JSON_BODY, OWNER),
    request=(Field("givenName", "string", "§8"), Field("familyName", "string", "§8"), Field("slug", "string", "§8")))

READ_AVAILABILITY = Endpoint(
    "read-availability", "GET", "/v4/availability/{availabilityId}", "§9", (AUTHORIZATION, OWNER_DOCUMENTED),
    response=(Field("id", "string", "§9"), Field("name", "string", "§9"), Field("timezone", "string", "§9"),
              Field("schedule", "object", "§9")),
    relies_on=("availability-prefix", "schedule-object-shape"))

UPDATE_AVAILABILITY = Endpoint(
    "update-availability", "PATCH", "/v4/availability/{availabilityId}", "§9", (AUTHORIZATION, JSON_BODY, OWNER),
    request=(Field("name", "string", "§9"), Field("schedule", "object", "§9"), *_schedule("schedule"),
             Field("timezone", "string", "§9", "availability-timezone")),
    relies_on=("availability-prefix", "schedule-object-shape"))

READ_MEETING_TYPE = Endpoint(
    "read-meeting-type", "GET", "/v4/meeting-type/{meetingTypeId}", "§5", (AUTHORIZATION, OWNER),
    response=(Field("slug", "string", "§5"), Field("meetingInfo.name", "string", "§5"),
              Field("meetingInfo.duration", "number", "§5"), Field("meetingInfo.channel", "string", "§5")),
    assumption="meeting-type-read")

UPDATE_MEETING_TYPE = Endpoint(
    "update-meeting-type", "PATCH", "/v4/meeting-type/{meetingTypeId}", "§5", (AUTHORIZATION, JSON_BODY, OWNER),
    request=(Field("duration", "number", "§5"), Field("slug", "string", "§5"),
             Field("meetingInfo", "object", "§5", "meeting-info-nesting"),
             Field("meetingInfo.name", "string", "§5", "meeting-info-nesting"),
             Field("meetingInfo.channel", "string", "§5", "meeting-info-nesting")))

# ---- public holidays (§4 "Date-specific exceptions"): one PATCH per year adds a country's
# (and a German state's) public holidays to an availability as blocking exceptions. The path has
# no `/v4` in the spec (§1), and it is sent as the spec writes it.
HOLIDAY_YEARS = (2025, 2027)  # §4: the first and last `year` the endpoint takes; widen it here alone
HOLIDAY_COUNTRIES = ("DE", "AT", "BE", "CA", "DK", "NL", "EE", "FI", "FR", "IT", "NZ", "ES", "SE", "CH", "US")  # §4
GERMAN_STATES = ("BW", "BY", "ST", "MV", "BE", "BB", "HE", "NW", "RP", "SL", "SN", "TH", "SH", "HH", "NI", "HB")  # §4
STATE_COUNTRY = "DE"  # §4: `germanState` belongs to `country` DE

_EXCEPTION = ("id", "ownerId", "ownerType", "available", "start", "end", "title", "createdAt", "deletedAt")
_EXCEPTION_TYPE = {"id": "number", "available": "boolean"}

HOLIDAY_EXCEPTIONS = Endpoint(
    "holiday-exceptions", "PATCH", "/availability/{availabilityId}/holiday-exceptions", "§4, §1",
    (AUTHORIZATION, JSON_BODY, Header("x-meetergo-api-user-id", "<acting user>", "§2")),
    request=(Field("year", "integer", "§4", required=True), Field("country", "string", "§4", required=True),
             Field("germanState", "string", "§4")),
    response=tuple(Field(f"[].{name}", _EXCEPTION_TYPE.get(name, "string"), "§4")
                   for name in ("id", "available", "start", "end")))

LIST_AVAILABILITIES = Endpoint(
    "list-availabilities", "GET", "/availability", "§9, §4",
    (AUTHORIZATION, Header("x-meetergo-api-user-id", "<acting user>", "§2")),
    response=(Field("[].id", "string", "§9"), Field("[].availabilityExceptions", "array", "§9, §4")))

ENDPOINTS = (CREATE_USER, ME, LIST_USERS, READ_USER, UPDATE_USER, READ_AVAILABILITY, UPDATE_AVAILABILITY,
             READ_MEETING_TYPE, UPDATE_MEETING_TYPE, HOLIDAY_EXCEPTIONS, LIST_AVAILABILITIES)
ENDPOINT = {e.name: e for e in ENDPOINTS}

# Documented limits the sandbox and the compiler hold values to.
DURATION_RANGE = (5, 480)  # §5: the meeting-type PATCH; applied to POST /v4/user as well (open question 10)
KEY_PREFIX, TOKEN_PREFIX = "ak_live:", "rgo-"  # §2: a Platform API Key, a Personal Access Token


# ---- using it
def path(endpoint: Endpoint, ids: dict) -> str:
    """The endpoint's path with its placeholders filled from `ids` (a state record will do). Each
    id is quoted, so that an odd id cannot point the request elsewhere."""
    from urllib.parse import quote

    out = endpoint.path
    for name in endpoint.placeholders():
        out = out.replace("{" + name + "}", quote(str(ids[name]), safe=""))
    return out


def match(method: str, url_path: str) -> Optional[tuple[Endpoint, dict]]:
    """The endpoint `method url_path` calls and the ids in its path, or None. A literal segment
    wins over a placeholder (`/v4/user/me` is `me`, not `read-user`)."""
    segments = url_path.split("/")
    found = []
    for endpoint in ENDPOINTS:
        pattern = endpoint.path.split("/")
        if endpoint.method != method or len(pattern) != len(segments):
            continue
        ids, literal = {}, 0
        for want, got in zip(pattern, segments):
            if want.startswith("{"):
                if not got:
                    break
                ids[want[1:-1]] = got
            elif want != got:
                break
            else:
                literal += 1
        else:
            found.append((literal, endpoint, ids))
    if not found:
        return None
    _, endpoint, ids = max(found, key=lambda item: item[0])
    from urllib.parse import unquote

    return endpoint, {k: unquote(v) for k, v in ids.items()}


def holiday_years(this_year: int) -> tuple[int, ...]:
    """The years the holiday endpoint is sent for: from `this_year` to the end of its window."""
    first, last = HOLIDAY_YEARS
    return tuple(range(max(first, this_year), last + 1))


def holiday_body(year: int, country: str, state: Optional[str] = None) -> dict:
    """The body of one `PATCH /availability/{id}/holiday-exceptions` (§4)."""
    body: dict = {"year": year, "country": country}
    if state:
        body["germanState"] = state
    return body


def key_kind(key: str) -> str:
    """`platform` for `ak_live:<uuid>:<secret>`, `personal` for `rgo-…`, else `unknown` (§2)."""
    import re

    key = key.strip()
    if re.fullmatch(r"ak_live:[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}:\S+", key):
        return "platform"
    return "personal" if key.lower().startswith(TOKEN_PREFIX) else "unknown"


_TYPES = {"string": (str,), "number": (int, float), "integer": (int,), "boolean": (bool,), "object": (dict,),
          "array": (list,)}


def _typed(value: Any, kind: str) -> bool:
    if isinstance(value, bool) and kind != "boolean":
        return False
    return isinstance(value, _TYPES[kind])


def problems(endpoint: Endpoint, body: Any, *, strict: bool = False) -> list[tuple[str, str]]:
    """`(field, message)` for each part of a request body the contract does not allow: a field it
    does not name, a value of the wrong JSON type, a missing required field; with `strict`, also
    each field that is only assumed (not documented), and each field inside one. Messages read as
    the API's validation errors do (`property timezone should not exist`). No problems: it fits."""
    if not isinstance(body, dict):
        return [("", "the body must be a JSON object")]
    known = {f.path: f for f in endpoint.request}
    found: list[tuple[str, str]] = []

    def walk(value: Any, at: str, shown: str, assumed: bool) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                key, name = str(key), f"{shown}.{key}".lstrip(".")
                day = f"{at}.{{day}}".lstrip(".")
                inner = day if key in DAY_KEYS and day in known else f"{at}.{key}".lstrip(".")
                if any(c in key for c in ".[]{}") or inner not in known:
                    found.append((name, f"property {key} should not exist"))
                else:
                    check(item, known[inner], name, assumed)
        elif isinstance(value, list):
            item_field = known.get(f"{at}[]")
            for index, item in enumerate(value):
                if item_field is None:
                    found.append((f"{shown}[{index}]", "no items are expected here"))
                else:
                    check(item, item_field, f"{shown}[{index}]", assumed)

    def check(value: Any, field: Field, shown: str, assumed: bool) -> None:
        last = shown.rsplit(".", 1)[-1]
        if not _typed(value, field.type):
            found.append((shown, f"{last} must be {'an' if field.type[0] in 'aeiou' else 'a'} {field.type}"))
            return
        assumed = assumed or bool(field.assumption)  # what is inside an assumed field is assumed too
        if strict and assumed and not (isinstance(value, (dict, list)) and value):
            found.append((shown, f"property {last} should not exist"))  # the innermost: where a diagnostic points
            return
        walk(value, field.path, shown, assumed)

    walk(body, "", "", False)
    for field in endpoint.request:
        if field.required and field.path not in body:
            found.append((field.path, f"{field.path} should not be empty"))
    return found


def query_problems(endpoint: Endpoint, query: dict, *, strict: bool = False) -> list[tuple[str, str]]:
    """`(name, message)` for each query parameter the contract does not allow (`query` maps each
    name to its text, as in a URL)."""
    known = {f.path: f for f in endpoint.query}
    found = []
    for name, text in query.items():
        field = known.get(name)
        if field is None or (strict and field.assumption):
            found.append((name, f"property {name} should not exist"))
        elif field.type == "integer" and not text.lstrip("-").isdecimal():
            found.append((name, f"{name} must be an integer"))
    return found


def send_headers(endpoint: Endpoint, authorization: str, *, acting_user: Optional[str] = None,
                 body: bool = False) -> dict[str, str]:
    """The API headers of one request to `endpoint`: the Authorization value given, the JSON
    content type when there is a body, and the acting user's id where the endpoint names the
    owner header (which then must be given)."""
    sent = {}
    for header in endpoint.headers:
        if "<key>" in header.value:
            sent[header.name] = authorization
        elif header.value == "<acting user>":
            if acting_user is None:
                raise ValueError(f"{endpoint.method} {endpoint.path} needs the acting user's id")
            sent[header.name] = acting_user
        elif header.name == "Content-Type":
            if body:
                sent[header.name] = header.value
        else:
            sent[header.name] = header.value
    return sent


def describe(assumption: Assumption) -> str:
    """One assumption as a line: its name, the section it leans on, and what it says."""
    return f"{assumption.name} ({assumption.cites}): {assumption.text}"


__all__ = ["ASSUMPTION", "ASSUMPTIONS", "Assumption", "CREATE_USER", "DURATION_RANGE", "ENDPOINT", "ENDPOINTS",
           "Endpoint", "Field", "GERMAN_STATES", "HOLIDAY_COUNTRIES", "HOLIDAY_EXCEPTIONS", "HOLIDAY_YEARS",
           "Header", "LIST_AVAILABILITIES", "LIST_USERS", "STATE_COUNTRY", "holiday_body", "holiday_years",
           "ME", "READ_AVAILABILITY", "READ_MEETING_TYPE", "READ_USER",
           "UPDATE_AVAILABILITY", "UPDATE_MEETING_TYPE", "UPDATE_USER", "USER_HEADER", "describe", "key_kind",
           "match", "path", "problems", "query_problems", "send_headers"]
