"""Properties of the plan: applying the planned PATCH bodies brings what the server has to the
file, and nothing the server answers makes the diff crash."""

from __future__ import annotations

import copy
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from schedc.sync import plan
from schedc.meetergo.sandbox import edit_availability, edit_meeting_type, edit_user

# A short run in the suite; SCHEDC_FUZZ_EXAMPLES=20000 for a long campaign (as in test_properties).
SETTINGS = settings(max_examples=int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]


@st.composite
def days(draw):
    if draw(st.booleans()):
        return {"enabled": False, "hours": []}
    points = sorted(draw(st.sets(st.sampled_from(TIMES), min_size=2, max_size=6)))
    points = points[:len(points) - len(points) % 2]
    return {"enabled": True, "hours": [{"start": a, "end": b} for a, b in zip(points[::2], points[1::2])]}


@st.composite
def bodies(draw):
    return {
        "email": "ana@example.com",
        "givenName": draw(st.sampled_from(["Ana", "Ana Maria", "Bo"])),
        "familyName": draw(st.sampled_from(["Lima", "", "de Souza"])),
        "timezone": "Europe/London",
        "availability": {"name": draw(st.sampled_from(["Office hours", "Hours"])),
                         "timezone": draw(st.sampled_from(["Europe/London", "Europe/Paris", "UTC"])),
                         "schedule": {d: draw(days()) for d in plan.DAYS}},
        "meetingType": {"name": draw(st.sampled_from(["Intro", "Chat"])), "duration": draw(st.sampled_from([15, 30, 45])),
                        "slug": draw(st.sampled_from(["intro", "ana-chat"])),
                        "channel": draw(st.sampled_from(["zoom", "connect", "phone"]))},
    }


def server_from(body: dict) -> dict:
    """The three things the server keeps, as the sandbox keeps them."""
    meeting = body["meetingType"]
    return {"availability": {**copy.deepcopy(body["availability"])},
            "meetingType": {"slug": meeting["slug"], "meetingInfo": {k: meeting[k] for k in ("name", "duration", "channel")}},
            "user": {"givenName": body["givenName"], "familyName": body["familyName"]}}


def live_fields(server: dict) -> dict:
    return {**plan.availability_fields(server["availability"]), **plan.meeting_fields(server["meetingType"])}


@SETTINGS
@given(bodies(), bodies(), st.booleans())
def test_the_planned_patches_bring_the_server_to_the_file(old, new, refresh):
    server = server_from(old)
    live = live_fields(server) if refresh else None
    changes, _ = plan.diff(new, old, live)
    assert (changes == []) == ({k: v for k, v in plan.request_fields(old).items() if k != (plan.USER, "timezone")}
                               == {k: v for k, v in plan.request_fields(new).items() if k != (plan.USER, "timezone")})
    for part, edit in (("availability", edit_availability), ("meetingType", edit_meeting_type), ("user", edit_user)):
        body = plan.patch_body(part, new, changes)
        assert bool(body) == any(c.part == part for c in changes)  # a part is sent only when it changed
        if body:
            assert edit(server[part], body) == []
    assert live_fields(server) == live_fields(server_from(new))
    assert server["user"] == server_from(new)["user"]
    applied = old
    for part in plan.PARTS:
        applied = plan.after_patch(part, applied, new)
    assert plan.diff(new, applied, live_fields(server))[0] == []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["name", "timezone", "schedule", "meetingInfo", "slug", "duration"]), JSON),
       bodies())
def test_whatever_the_server_answers_the_diff_does_not_crash(answer, body):
    live = {**plan.availability_fields(answer), **plan.meeting_fields(answer)}
    changes, _ = plan.diff(body, None, live)
    for change in changes:
        assert change.describe()
        assert change.as_json()["part"] in plan.PARTS


def test_the_legacy_schedule_shape_reads_the_same():
    legacy = {"schedule": [{"dayOfWeek": "monday", "intervals": [{"from": "13:00", "to": "17:00"},
                                                                  {"from": "09:00", "to": "12:00"}]}]}
    fields = plan.availability_fields(legacy)
    assert fields[(plan.AVAILABILITY, "monday")] == "09:00-12:00, 13:00-17:00"
    assert fields[(plan.AVAILABILITY, "tuesday")] == "off"
