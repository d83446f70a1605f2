"""`schedc lsp`: the real server as a subprocess, spoken to in JSON-RPC over its stdin and stdout."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import schedc
from lsp_client import Client
from schedc import check as check_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").rglob("*.sched"))
URI = "file:///home/ana/schedules/ana.sched"
DOCS = "https://github.com/schedc/schedc/blob/main/docs/diagnostics.md"  # where each code's section is
CHANNELS = ["phone", "phone-incoming", "connect", "google", "zoom", "teamsForBusiness2", "webex", "whereby",
            "kmeet", "jitsi", "local", "local-attendee", "custom"]  # the documented channels, in their order

JOHN = """user John Smith <john.smith@example.com> tz Europe/London
availability "John's Business Hours"
Mon-Fri 09:00-12:00, 13:00-17:00
Wed off
meeting "45 Minute Discovery Call" 45min connect slug john-smith-45min
"""

# CJK and an emoji (two UTF-16 units) before the misspelt zone on line 2; an overlap on line 3.
CJK = """# 東京オフィス 😀
user "山田 😀" 太郎 <taro@example.com> tz Europe/Londn
Mon-Fri 09:00-12:00, 11:30-17:00
meeting "打ち合わせ" 45min zoom
"""


@pytest.fixture(scope="module")
def server():
    client = Client()
    yield client
    assert client.close() == 0


_versions = iter(range(1, 10**9))


def fresh(server, text: str, uri: str = URI) -> dict:
    """Open (or re-send) a document under a new version and return its published diagnostics."""
    return server.change(uri, text, next(_versions)) if uri in _opened else _open(server, uri, text)


_opened: set = set()


def _open(server, uri, text):
    _opened.add(uri)
    return server.open(uri, text, next(_versions))


def rng(line, character, end_line, end_character) -> dict:
    return {"start": {"line": line, "character": character}, "end": {"line": end_line, "character": end_character}}


def apply(text: str, edits: list[dict]) -> str:
    """Apply protocol edits (UTF-16 positions) to text, the way an editor does."""
    lines = re.split(r"(?<=\n)", text)

    def offset(position):
        line = lines[position["line"]] if position["line"] < len(lines) else ""
        before = sum(len(x) for x in lines[:position["line"]])
        units = line.encode("utf-16-le")[: 2 * position["character"]]
        return before + len(units.decode("utf-16-le", errors="ignore"))

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


# ---- start-up
def test_initialize_announces_what_the_server_does(server):
    capabilities = server.initialized["capabilities"]
    assert server.initialized["serverInfo"] == {"name": "schedc", "version": schedc.__version__}
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 1  # the whole text on every change
    assert capabilities["hoverProvider"] and capabilities["documentFormattingProvider"]
    assert capabilities["codeActionProvider"] == {"codeActionKinds": ["quickfix", "source.fixAll.schedc"]}
    assert set(capabilities["completionProvider"]["triggerCharacters"]) == {",", "-", " "}


def test_without_the_extra_lsp_says_how_to_install_it(schedc, tmp_path):
    (tmp_path / "pygls.py").write_text('raise ImportError("No module named \'pygls\'")\n')
    done = schedc("lsp", env={"PYTHONPATH": str(tmp_path)})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("schedc: error: `schedc lsp` needs pygls, which is not installed; "
                           "install it with: pip install 'schedc[lsp]'\n")


# ---- diagnostics
def test_diagnostics_have_check_codes_ranges_in_utf16_help_and_the_other_range(server):
    published = fresh(server, CJK)
    assert published["diagnostics"] == [
        {"range": rng(1, 38, 1, 50), "severity": 1, "code": "SC107", "source": "schedc",
         "codeDescription": {"href": DOCS + "#sc107--unknown-time-zone"},
         "message": "unknown time zone `Europe/Londn`\nhelp: did you mean `Europe/London`?"},
        {"range": rng(2, 21, 2, 32), "severity": 1, "code": "SC102", "source": "schedc",
         "codeDescription": {"href": DOCS + "#sc102--overlapping-ranges-on-the-same-day"},
         "message": "`11:30-17:00` overlaps `09:00-12:00` on Mon-Fri\n"
                    "help: merge them into `09:00-17:00`, or move one so they no longer share time",
         "relatedInformation": [{"location": {"uri": URI, "range": rng(2, 8, 2, 19)},
                                 "message": "overlapped range"}]},
    ]


def test_positions_are_in_utf8_bytes_when_the_editor_asks_for_them():
    client = Client(encodings=["utf-8", "utf-16"])
    try:
        assert client.initialized["capabilities"]["positionEncoding"] == "utf-8"
        published = client.open(URI, CJK)
        assert [(d["code"], d["range"]) for d in published["diagnostics"]] == [
            ("SC107", rng(1, 48, 1, 60)), ("SC102", rng(2, 21, 2, 32))]
    finally:
        assert client.close() == 0


def test_a_byte_order_mark_and_crlf_line_ends_are_counted_as_the_editor_counts_them(server):
    published = fresh(server, "\ufeffMon 09:00-17:00 tz Europe/Londn\r\nTue 9:0-17:00\r\n"
                              "user Ana Lima <ana@example.com>\r\n", "file:///bom.sched")
    assert [(d["code"], d["range"]) for d in published["diagnostics"]] == [
        ("SC107", rng(0, 20, 0, 32)), ("SC101", rng(1, 4, 1, 7))]


def test_every_example_gets_the_diagnostics_of_schedc_check(server, schedc):
    done = schedc("check", "--format", "json", "examples")
    expected: dict = {}
    for record in json.loads(done.stdout):
        expected.setdefault(record["file"], []).append(record)
    for path in EXAMPLES:
        name = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        published = fresh(server, text, path.as_uri())
        width = [len(line) for line in text.split("\n")]  # the protocol puts a column past the end at the end
        want = [{"code": r["code"], "severity": {"error": 1, "warning": 2}[r["severity"]],
                 "message": r["message"] + (f"\nhelp: {r['help']}" if r["help"] else ""),
                 "range": rng(r["line"] - 1, min(r["column"] - 1, width[r["line"] - 1]), r["end_line"] - 1,
                              min(r["end_column"] - 1, width[r["end_line"] - 1]))
                 if r["line"] else rng(0, 0, 0, 0)} for r in expected.get(name, [])]
        got = [{k: d[k] for k in ("code", "severity", "message", "range")} for d in published["diagnostics"]]
        assert got == want, name
    assert any(expected.values())


def test_each_change_publishes_fresh_diagnostics_and_closing_clears_them(server):
    uri = "file:///change.sched"
    first = fresh(server, "Mon 09:00-17:00 tz Europe/Londn\nuser Ana Lima <ana@example.com>", uri)
    assert [d["code"] for d in first["diagnostics"]] == ["SC107"]
    second = fresh(server, "Mon 09:00-17:00 tz Europe/London\nuser Ana Lima <ana@example.com>", uri)
    assert second["diagnostics"] == [] and second["version"] == first["version"] + 1
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)["diagnostics"] == []
    _opened.discard(uri)


# ---- formatting
MESSY = """# Ana's week
USER Ana Lima <ana@example.com>   TZ Europe/Lisbon
mo-fr 9:00-12:00 ,13:00-17:00 ;  wed CLOSED   # not Wednesdays
MEETING "Intro"   1h30m Zoom SLUG intro
"""


def test_formatting_gives_exactly_what_fmt_writes(server, schedc):
    fresh(server, MESSY)
    edits = server.request("textDocument/formatting", {
        "textDocument": {"uri": URI}, "options": {"tabSize": 4, "insertSpaces": True}})
    done = schedc("fmt", "-", stdin=MESSY)
    assert done.returncode == 0 and done.stdout != MESSY
    assert apply(MESSY, edits) == done.stdout


def test_formatting_every_example_agrees_with_fmt_and_leaves_files_with_errors_alone(server, schedc, tmp_path):
    copies = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", copies)
    schedc("fmt", "-q", str(copies))
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        fresh(server, text, path.as_uri())
        edits = server.request("textDocument/formatting", {
            "textDocument": {"uri": path.as_uri()}, "options": {"tabSize": 2, "insertSpaces": True}})
        after = (copies / path.relative_to(ROOT / "examples")).read_text(encoding="utf-8")
        if any(d.is_error for d in check_text(text)):  # the `schedc` fixture hides the module here
            assert edits is None and after == text, path.name
        else:
            assert apply(text, edits) == after, path.name


# ---- hover
def hover(server, text, line, character, uri=URI):
    fresh(server, text, uri)
    return server.request("textDocument/hover", server.at(uri, line, character))


def test_hover_on_mon_fri_lists_the_resolved_hours_of_those_days(server):
    assert hover(server, JOHN, 2, 3) == {
        "contents": {"kind": "markdown", "value": (
            "`Mon-Fri`: the hours once every rule of the file is applied, in Europe/London\n\n```text\n"
            "Mon  09:00-12:00, 13:00-17:00\nTue  09:00-12:00, 13:00-17:00\nWed  off\n"
            "Thu  09:00-12:00, 13:00-17:00\nFri  09:00-12:00, 13:00-17:00\n```")},
        "range": rng(2, 0, 2, 7)}


def test_hover_on_a_rule_shows_the_next_day_of_a_range_past_midnight(server):
    text = "Fri 22:00-02:00\nSat 10:00-12:00\ntz UTC"
    found = hover(server, text, 0, 10)
    assert found["range"] == rng(0, 0, 0, 15)
    assert found["contents"]["value"].endswith(
        "```text\nFri  22:00-24:00\nSat  00:00-02:00, 10:00-12:00\n```")


def test_hover_on_a_day_name_alias(server):
    found = hover(server, "weekends 10:00-14:00; Sun off; tz UTC", 0, 2)
    assert found["contents"]["value"].endswith("```text\nSat  10:00-14:00\nSun  off\n```")


def test_hover_on_a_meeting_counts_the_meetings_that_fit_in_the_week(server):
    found = hover(server, JOHN, 4, 40)
    assert found["contents"]["value"] == (
        "45 min meeting: 36 meetings fit in the week, back to back (Mon 9, Tue 9, Thu 9, Fri 9)")
    assert found["range"] == rng(4, 0, 4, 70)


def test_hover_on_a_zone_gives_its_offset_now_and_its_next_clock_change(server):
    before = datetime.now(timezone.utc)
    value = hover(server, JOHN, 0, 50)["contents"]["value"]
    zone = ZoneInfo("Europe/London")
    now = datetime.now(timezone.utc).astimezone(zone)
    head, change = value.split("\n\n")
    assert head == f"**Europe/London**: now {offset_text(now.utcoffset())} ({now.tzname()})"
    match = re.fullmatch(r"next clock change: \w{3} (\S+ \d\d:\d\d) local time, clocks go (forward|back) "
                         r"to (\d\d:\d\d) \((UTC[+-]\d\d:\d\d), (\w+)\)", change)
    assert match, change
    instant = datetime.strptime(match[1], "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc) - now.utcoffset()
    after = instant.astimezone(zone)
    assert before < instant < before + timedelta(days=366)
    assert (instant - timedelta(seconds=1)).astimezone(zone).utcoffset() == now.utcoffset()
    assert (offset_text(after.utcoffset()), after.tzname(), f"{after:%H:%M}") == (match[4], match[5], match[3])
    assert match[2] == ("forward" if after.utcoffset() > now.utcoffset() else "back")


def test_hover_on_utc_says_its_clocks_never_change(server):
    assert hover(server, "tz UTC", 0, 4)["contents"]["value"] == (
        "**UTC**: now UTC+00:00 (UTC)\n\nno clock change in the next three years")


def test_no_hover_where_there_is_nothing_to_say_or_the_file_does_not_parse(server):
    assert hover(server, "# only a comment\n\nMon 09:00-17:00", 0, 3) is None
    assert hover(server, "Mon-Fri 09:00-", 0, 2) is None


def test_a_document_the_editor_has_not_opened_gets_no_answers_and_is_not_read_from_disk(server, tmp_path):
    path = tmp_path / "on-disk.sched"
    path.write_text("Mon-Fri 09:00-17:00 tz UTC\n", encoding="utf-8")
    assert server.request("textDocument/hover", server.at(path.as_uri(), 0, 2)) is None
    assert server.request("textDocument/completion", server.at(path.as_uri(), 0, 0))["items"] != []  # an empty text
    assert server.request("textDocument/formatting", {"textDocument": {"uri": path.as_uri()},
                                                      "options": {"tabSize": 2, "insertSpaces": True}}) == []


def offset_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# ---- completion
def complete(server, text, line, character, uri=URI):
    fresh(server, text, uri)
    return server.request("textDocument/completion", server.at(uri, line, character))


def test_zone_completion_after_tz_offers_europe_london_in_place_of_what_is_typed(server):
    found = complete(server, "Mon 09:00-17:00 tz Eu", 0, 21)
    item = next(i for i in found["items"] if i["label"] == "Europe/London")
    assert item["textEdit"] == {"range": rng(0, 19, 0, 21), "newText": "Europe/London"}
    labels = {i["label"] for i in found["items"]}  # what is typed, filtered by the server: a region or a city
    assert {"Europe/Paris", "Australia/Eucla"} <= labels and not {"UTC", "Asia/Tokyo"} & labels
    assert all(i["kind"] == 12 for i in found["items"])  # Value


@pytest.mark.parametrize("text, expected", [
    ("", {"user", "availability", "meeting", "tz", "holidays", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
          "weekdays", "weekends", "daily"}),
    ("Mon,", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "weekdays", "weekends", "daily"}),
    ("Mon-Fri 09:00-17:00; Sat-S", {"Sun"}),  # what is typed, and no range that `check` refuses
    ("Mon-Fri ", {"off", "closed", "tz"}),
    ("Mon-Fri 09:00-17:00 ", {"tz"}),
    ("45min ", set(CHANNELS) | {"slug"}),
    ('meeting "Intro" 45min zoom ', {"slug"}),
    ("user Ana <ana@example.com> ", {"tz"}),
    ('availability "Office" ', {"tz"}),
    ("Mon 09:00-17:00 # a comment ", set()),
    ('user "Ana ', set()),
    ("Mon 09:00-", set()),
])
def test_completion_offers_what_the_grammar_expects_there(server, text, expected):
    found = complete(server, text, 0, len(text))
    assert {i["label"] for i in found["items"]} == expected


def test_channel_completion_lists_every_documented_channel(server):
    found = complete(server, "meeting 30min ", 0, 14)
    labels = [i["label"] for i in found["items"] if i["kind"] == 20]  # EnumMember
    assert labels == CHANNELS
    assert found["items"][0]["textEdit"]["range"] == rng(0, 14, 0, 14)


def test_day_completion_after_a_dash_replaces_only_the_second_day(server):
    found = complete(server, "Mon-F", 0, 5)
    friday = next(i for i in found["items"] if i["label"] == "Fri")
    assert friday["textEdit"] == {"range": rng(0, 4, 0, 5), "newText": "Fri"}
    assert friday["detail"] == "Friday"


# ---- quick fixes
FIXABLE = """Mon 09:00-12:00, 12:00-13:00 tz Europe/Londn
Tue-Tue 10:00-11:00
Wedday 10:00-11:00
45min zom
user Ana Lima <ana@example.com>
"""


def test_quick_fixes_apply_the_replacement_the_help_names(server):
    fresh(server, FIXABLE)
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": URI}, "range": rng(0, 0, 4, 0), "context": {"diagnostics": []}})
    assert [(a["title"], a["diagnostics"][0]["code"]) for a in actions] == [
        ("Merge into `09:00-13:00`", "SC120"),
        ("Replace `Europe/Londn` with `Europe/London`", "SC107"),
        ("Replace `Tue-Tue` with `Tue`", "SC125"),
        ("Replace `Wedday` with `Wednesday`", "SC106"),
        ("Replace `zom` with `zoom`", "SC108"),
    ]
    assert all(a["kind"] == "quickfix" for a in actions)
    edits = [e for a in actions for e in a["edit"]["changes"][URI]]
    fixed = apply(FIXABLE, edits)
    assert fixed == ("Mon 09:00-13:00 tz Europe/London\nTue 10:00-11:00\nWednesday 10:00-11:00\n45min zoom\n"
                     "user Ana Lima <ana@example.com>\n")
    assert fresh(server, fixed)["diagnostics"] == []


def test_quick_fixes_are_offered_only_for_the_diagnostics_in_the_range_asked_about(server):
    fresh(server, FIXABLE)
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": URI}, "range": rng(3, 6, 3, 6), "context": {"diagnostics": []}})
    assert [a["title"] for a in actions] == ["Replace `zom` with `zoom`"]


def test_merging_keeps_the_other_ranges_of_the_rule(server):
    text = "Mon 08:00-09:00, 10:00-12:00, 11:00-11:30, 12:00-12:30, 13:00-14:00 tz UTC\nuser Ana Lima <ana@example.com>"
    published = fresh(server, text)
    assert [d["code"] for d in published["diagnostics"]] == ["SC102", "SC120"]
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": URI}, "range": rng(0, 30, 0, 30), "context": {"diagnostics": []}})
    assert [a["title"] for a in actions] == ["Merge into `10:00-12:00`"]
    assert apply(text, actions[0]["edit"]["changes"][URI]) == (
        "Mon 08:00-09:00, 10:00-12:00, 12:00-12:30, 13:00-14:00 tz UTC\nuser Ana Lima <ana@example.com>")


def test_no_merge_is_offered_for_a_range_past_midnight(server):
    fresh(server, "Mon 22:00-02:00, 01:00-03:00 tz UTC")
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": URI}, "range": rng(0, 0, 0, 30), "context": {"diagnostics": []}})
    assert actions == []


# ---- never a crash
FRAGMENTS = st.sampled_from([
    "Mon", "-", "Fri", ",", " ", "09:00", "17:00", "24:00", "tz", "Europe/London", "Europe/Londn", "user",
    "<a@b.co>", '"', '"x"', "availability", "meeting", "45min", "1h30", "zoom", "slug", "off", ";", "\n",
    "\r\n", "\r", "#", "東京", "😀", "\ufeff", "\t", "weekdays", "00:00", "\x00", "\u2028", "\\",
])
TEXTS = st.one_of(st.text(max_size=80), st.lists(FRAGMENTS, max_size=30).map("".join))


@settings(max_examples=int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "100")), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=TEXTS, where=st.tuples(st.integers(0, 4), st.integers(0, 90)))
@example(text="\ufeff\ufeff", where=(0, 0))  # the server dropped both BOMs, check drops one
def test_the_server_answers_every_request_on_any_text(server, text, where):
    uri = "file:///fuzz.sched"
    published = fresh(server, text, uri)
    assert [d["code"] for d in published["diagnostics"]] == [d.code for d in schedc.check(text)]
    position = server.at(uri, *where)
    answers = [
        server.request("textDocument/hover", position),
        server.request("textDocument/completion", position),
        server.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                   "options": {"tabSize": 2, "insertSpaces": True}}),
        server.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(0, 0, *where),
                                                   "context": {"diagnostics": []}}),
    ]
    rows = re.split(r"\r\n|\r|\n", text)
    for found in [*published["diagnostics"], *_ranged(answers)]:
        for end in ("start", "end"):
            point = found["range"][end]
            assert point["line"] < len(rows), (text, found)
            assert point["character"] <= len(rows[point["line"]].encode("utf-16-le")) // 2, (text, found)


def _ranged(answers):
    hover, completion, formatting, actions = answers
    if hover:
        yield hover
    for item in completion["items"]:
        yield item["textEdit"]
    yield from formatting or ()
    for action in actions:
        yield from action["edit"]["changes"]["file:///fuzz.sched"]


# ---- docs/editors.md shows what the server says
def test_the_editors_page_shows_the_real_diagnostics_and_hover(server):
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    source, diagnostics, shown = re.search(
        r"```sched\n(.*?)```.*?```json\n(.*?)```.*?hovering over `Mon-Fri` shows:\n\n```text\n(.*?)```", page, re.S
    ).groups()
    uri = json.loads(diagnostics)[1]["relatedInformation"][0]["location"]["uri"]
    assert fresh(server, source, uri)["diagnostics"] == json.loads(diagnostics)
    value = server.request("textDocument/hover", server.at(uri, 1, 2))["contents"]["value"]
    assert value.replace("```text\n", "").replace("\n```", "\n") == shown
