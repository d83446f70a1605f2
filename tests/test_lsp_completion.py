"""Completion over stdio: the server sends only what matches the word being typed (an editor takes items with a
text edit as already filtered), with kinds and documentation, and only what `schedc check` accepts there."""

from __future__ import annotations

import re

import pytest

from lsp_client import Client

URI = "file:///home/ana/completion.sched"
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@pytest.fixture(scope="module")
def server():
    client = Client()
    yield client
    assert client.close() == 0


def complete(server, text: str) -> list[dict]:
    """The items offered at the end of `text`."""
    server.edit(URI, text)
    lines = text.split("\n")
    return server.request("textDocument/completion", server.at(URI, len(lines) - 1, len(lines[-1])))["items"]


def rng(line, character, end_line, end_character) -> dict:
    return {"start": {"line": line, "character": character}, "end": {"line": end_line, "character": end_character}}


def test_a_zone_is_completed_from_what_is_typed_not_from_the_start_of_the_list(server):
    items = complete(server, "Mon 09:00-17:00 tz Europe/Lo")
    assert [i["label"] for i in items] == ["Europe/London"]
    [london] = items
    assert london["textEdit"] == {"range": rng(0, 19, 0, 28), "newText": "Europe/London"}
    assert london["kind"] == 12  # Value
    assert re.fullmatch(r"UTC\+0[01]:00 \((GMT|BST)\) now", london["documentation"]["value"])


def test_a_zone_is_found_by_its_city_too(server):
    assert [i["label"] for i in complete(server, "tz Lond")] == ["Europe/London"]
    assert [i["label"] for i in complete(server, "tz america/new_")] == ["America/New_York"]


def test_legacy_zone_names_are_not_offered(server):
    labels = {i["label"] for i in complete(server, "tz ")}
    assert {"UTC", "Europe/London", "Asia/Kolkata"} <= labels
    assert not {"US/Eastern", "Asia/Calcutta", "EST", "Etc/GMT+5"} & labels


def test_a_channel_is_completed_from_what_is_typed_with_its_meaning(server):
    items = complete(server, "30min zo")
    assert [(i["label"], i["kind"], i["documentation"]["value"]) for i in items] == [("zoom", 20, "Zoom")]
    assert items[0]["textEdit"] == {"range": rng(0, 6, 0, 8), "newText": "zoom"}
    assert [i["label"] for i in complete(server, 'meeting "Intro" 45min TEAMS')] == ["teamsForBusiness2"]


def test_after_a_dash_only_a_single_other_day_may_end_the_range(server):
    assert [i["label"] for i in complete(server, "Mon-")] == DAYS[1:]
    assert [i["label"] for i in complete(server, "Mon-Fri 09:00-17:00\nsat-")] == ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                                                    "Sun"]
    assert [i["label"] for i in complete(server, "Mon-T")] == ["Tue", "Thu"]
    assert [i["label"] for i in complete(server, "Mon-M")] == []


def test_statements_the_file_already_has_are_not_offered_again(server):
    labels = [i["label"] for i in complete(server, "user Ana Lima <ana@example.com>\n45min zoom\n")]
    assert labels == ["availability", "tz", "holidays", *DAYS, "weekdays", "weekends", "daily"]
    labels = [i["label"] for i in complete(server, "holidays DE-BY\n45min zoom\n")]
    assert "holidays" not in labels and "user" in labels
    assert [i["label"] for i in complete(server, "w")] == ["Wed", "weekdays", "weekends"]


def test_items_keep_the_servers_order_and_say_what_they_are(server):
    items = complete(server, "")
    assert [i["sortText"] for i in items] == sorted(i["sortText"] for i in items)
    assert {i["label"]: i["kind"] for i in items}["user"] == 14  # Keyword
    assert {i["label"]: i["documentation"]["value"] for i in items}["weekends"] == "Sat, Sun"
