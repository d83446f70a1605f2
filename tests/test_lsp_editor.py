"""What an editor shows around the text, over stdio: semantic tokens, the outline, folding, same-day
highlights, inlay hints, the code lens and its command, richer and pulled diagnostics, range
formatting, `source.fixAll.schedc`, and hover on the user, the e-mail and the availability."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schedc
from lsp_client import Client
from test_editors import TOKENISER

ROOT = Path(__file__).resolve().parent.parent
URI = "file:///home/ana/editor.sched"
DOCS = "https://github.com/schedc/schedc/blob/main/docs/diagnostics.md"
JOHN = """user John Smith <john.smith@example.com> tz Europe/London
availability "John's Business Hours"
Mon-Fri 09:00-12:00, 13:00-17:00
Wed off
meeting "45 Minute Discovery Call" 45min connect slug john-smith-45min
"""
# the TextMate class of each token type and modifiers this server sends
CLASSES = {
    ("comment", ()): {"comment.line.number-sign"},
    ("keyword", ()): {"keyword.control.statement", "keyword.other.tz", "keyword.other.slug", "keyword.other.off"},
    ("string", ()): {"string.quoted.double", "string.unquoted.name", "string.other.email", "string.unquoted.slug"},
    ("number", ()): {"constant.numeric.time", "constant.numeric.duration"},
    ("enumMember", ()): {"constant.language.day"},
    ("enumMember", ("defaultLibrary",)): {"support.constant.channel"},
    ("type", ("defaultLibrary",)): {"support.constant.timezone"},
    ("enum", ("defaultLibrary",)): {"support.constant.region"},
    ("operator", ()): {"punctuation.terminator.statement", "punctuation.separator.list",
                       "punctuation.separator.range"},
}


@pytest.fixture(scope="module")
def server():
    client = Client()
    yield client
    assert client.close() == 0


def show(server, text: str, uri: str = URI) -> dict:
    """Send the text as the document's new version; its published diagnostics."""
    return server.edit(uri, text)


def ask(server, method: str, **params):
    return server.request(method, {"textDocument": {"uri": URI}, **params})


def rng(line, character, end_line, end_character) -> dict:
    return {"start": {"line": line, "character": character}, "end": {"line": end_line, "character": end_character}}


def pos(line, character) -> dict:
    return {"line": line, "character": character}


def decode(server, data: list[int], text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(text, type, modifiers) of each token, by the legend the server announced."""
    legend = server.initialized["capabilities"]["semanticTokensProvider"]["legend"]
    lines, found, line, start = text.split("\n"), [], 0, 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, bits = data[i:i + 5]
        line, start = line + delta_line, (start + delta_start if delta_line == 0 else delta_start)
        modifiers = tuple(m for k, m in enumerate(legend["tokenModifiers"]) if bits >> k & 1)
        found.append((lines[line][start:start + length], legend["tokenTypes"][kind], modifiers))
    return found


def tokens(server, text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    show(server, text)
    return decode(server, ask(server, "textDocument/semanticTokens/full")["data"], text)


# ---- semantic tokens
def test_the_server_announces_full_delta_and_range_semantic_tokens(server):
    provider = server.initialized["capabilities"]["semanticTokensProvider"]
    assert provider["full"] == {"delta": True} and provider["range"] is True


def test_semantic_tokens_give_each_word_its_class(server):
    assert tokens(server, 'user Tz Smith <tz@example.com> tz Europe/London # hi\nMon-Fri,Sat 9:00-12:00; Sun off\n'
                          'meeting "Intro" 45min zoom slug intro') == [
        ("user", "keyword", ()), ("Tz", "string", ()), ("Smith", "string", ()), ("<tz@example.com>", "string", ()),
        ("tz", "keyword", ()), ("Europe/London", "type", ("defaultLibrary",)), ("# hi", "comment", ()),
        ("Mon", "enumMember", ()), ("-", "operator", ()), ("Fri", "enumMember", ()), (",", "operator", ()),
        ("Sat", "enumMember", ()), ("9:00", "number", ()), ("-", "operator", ()), ("12:00", "number", ()),
        (";", "operator", ()), ("Sun", "enumMember", ()), ("off", "keyword", ()),
        ("meeting", "keyword", ()), ('"Intro"', "string", ()), ("45min", "number", ()),
        ("zoom", "enumMember", ("defaultLibrary",)), ("slug", "keyword", ()), ("intro", "string", ())]


def test_a_line_that_does_not_parse_keeps_its_colours(server):
    assert tokens(server, "Mon-Fri 09:00- tz Europe/London\n45min zoom") == [
        ("Mon", "enumMember", ()), ("-", "operator", ()), ("Fri", "enumMember", ()), ("09:00", "number", ()),
        ("-", "operator", ()), ("tz", "keyword", ()), ("Europe/London", "type", ("defaultLibrary",)),
        ("45min", "number", ()), ("zoom", "enumMember", ("defaultLibrary",))]


@pytest.mark.parametrize("path", [p for p in sorted((ROOT / "examples").rglob("*.sched"))
                                  if not any(d.code.startswith("SC00") for d in schedc.check(p.read_bytes()))],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_semantic_tokens_agree_with_the_textmate_grammar_on_every_example(server, path):
    text = path.read_text(encoding="utf-8")
    show(server, text)
    data = ask(server, "textDocument/semanticTokens/full")["data"]
    legend = server.initialized["capabilities"]["semanticTokensProvider"]["legend"]
    coloured = {}
    line = start = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length, kind, bits = data[i:i + 5]
        line, start = line + delta_line, (start + delta_start if delta_line == 0 else delta_start)
        modifiers = tuple(m for k, m in enumerate(legend["tokenModifiers"]) if bits >> k & 1)
        for column in range(start, start + length):
            coloured[line, column] = CLASSES[legend["tokenTypes"][kind], modifiers]
    for number, scoped in enumerate(TOKENISER.lines(text)):
        for first, end, scopes in scoped:
            name = scopes[-1].removesuffix(".sched")
            for column in range(first, end):
                if name != "source":
                    assert name in coloured.get((number, column), ()), (path.name, number, column, name)


def test_every_textmate_class_has_a_token_type():
    grammar = (ROOT / "editors" / "vscode" / "syntaxes" / "sched.tmLanguage.json").read_text(encoding="utf-8")
    names = {name.removesuffix(".sched") for name in re.findall(r'"name": "([^"]+\.sched)"', grammar)}
    assert names == set().union(*CLASSES.values())


def test_delta_semantic_tokens_send_only_what_changed(server):
    text = "Mon-Fri 09:00-17:00\ntz UTC\n"
    show(server, text)
    first = ask(server, "textDocument/semanticTokens/full")
    changed = text.replace("UTC", "Europe/London") + "Sat off\n"
    show(server, changed)
    delta = ask(server, "textDocument/semanticTokens/full/delta", previousResultId=first["resultId"])
    full = first["data"]
    for edit in delta["edits"]:
        full = full[:edit["start"]] + edit.get("data", []) + full[edit["start"] + edit["deleteCount"]:]
    assert decode(server, full, changed)[-3:] == [("Europe/London", "type", ("defaultLibrary",)),
                                                  ("Sat", "enumMember", ()), ("off", "keyword", ())]
    assert sum(len(e.get("data", [])) for e in delta["edits"]) < len(full)
    again = ask(server, "textDocument/semanticTokens/full/delta", previousResultId=delta["resultId"])
    assert again["edits"] == [] and again["resultId"] != delta["resultId"]
    stale = ask(server, "textDocument/semanticTokens/full/delta", previousResultId="no such result")
    assert stale["data"] == full  # an unknown previous result gets the whole list


# ---- outline, folding, highlights
def test_document_symbols_name_the_user_the_availability_each_rule_and_the_meeting(server):
    show(server, JOHN)
    found = ask(server, "textDocument/documentSymbol")
    assert [(s["name"], s.get("detail"), s["kind"]) for s in found] == [
        ("user John Smith", "john.smith@example.com, tz Europe/London", 19),
        ('availability "John\'s Business Hours"', None, 3),
        ("Mon-Fri 09:00-12:00, 13:00-17:00",
         "Mon 09:00-12:00, 13:00-17:00 · Tue 09:00-12:00, 13:00-17:00 · Wed off · "
         "Thu 09:00-12:00, 13:00-17:00 · Fri 09:00-12:00, 13:00-17:00", 24),
        ("Wed off", "Wed off", 24),
        ('meeting "45 Minute Discovery Call"', "45min connect slug john-smith-45min", 23)]
    assert found[2]["range"] == rng(2, 0, 2, 32) and found[2]["selectionRange"] == rng(2, 0, 2, 7)


def test_comment_blocks_and_the_availability_fold(server):
    show(server, "# Ana's hours\n# kept by the team\nuser Ana Lima <ana@example.com>\n"
                 'availability "Office"\nMon-Fri 09:00-17:00\n# lunch\nSat 10:00-12:00\ntz UTC\n')
    assert ask(server, "textDocument/foldingRange") == [
        {"startLine": 0, "endLine": 1, "kind": "comment"}, {"startLine": 3, "endLine": 6, "kind": "region"}]


def test_highlight_shows_every_range_on_the_same_day(server):
    show(server, "Mon-Fri 09:00-12:00\nWed 13:00-15:00\nSat 10:00-11:00\ntz UTC")
    found = ask(server, "textDocument/documentHighlight", position=pos(1, 6))
    assert [(h["range"], h["kind"]) for h in found] == [
        (rng(0, 0, 0, 7), 2), (rng(0, 8, 0, 19), 2), (rng(1, 0, 1, 3), 2), (rng(1, 4, 1, 15), 3)]
    on_saturday = ask(server, "textDocument/documentHighlight", position=pos(2, 1))
    assert [h["range"] for h in on_saturday] == [rng(2, 0, 2, 3), rng(2, 4, 2, 15)]
    assert ask(server, "textDocument/documentHighlight", position=pos(3, 4)) == []


# ---- the week inline
def test_inlay_hints_give_each_rules_days_their_hours_and_the_meetings_that_fit(server):
    show(server, JOHN)
    found = ask(server, "textDocument/inlayHint", range=rng(0, 0, 5, 0))
    assert [(h["position"], h["label"]) for h in found] == [
        (pos(2, 32), "Mon 7h · Tue 7h · Wed off · Thu 7h · Fri 7h"),
        (pos(3, 7), "Wed off"),
        (pos(4, 70), "36 meetings fit in the week")]
    assert found[2]["tooltip"] == "45 min meetings back to back: Mon 9, Tue 9, Thu 9, Fri 9"
    assert [h["label"] for h in ask(server, "textDocument/inlayHint", range=rng(3, 0, 3, 7))] == ["Wed off"]


def test_inlay_hints_count_half_hours_and_the_day_after_midnight(server):
    show(server, "Fri 22:00-01:30\nSat 10:00-10:45\ntz UTC")
    assert [h["label"] for h in ask(server, "textDocument/inlayHint", range=rng(0, 0, 3, 0))] == [
        "Fri 2h · Sat 2h15", "Sat 2h15"]


def test_the_code_lens_sums_up_the_week_and_opens_explains_grid(server, schedc, tmp_path):
    text = JOHN.replace("45min", "30min")
    show(server, text)
    [lens] = ask(server, "textDocument/codeLens")
    assert lens == {"range": rng(0, 0, 0, 0), "command": {
        "title": "7h/day · 28h/week · 56 meetings", "command": "schedc.explain", "arguments": [URI]}}
    assert server.initialized["capabilities"]["executeCommandProvider"]["commands"] == ["schedc.explain"]
    grid = server.request("workspace/executeCommand", {"command": "schedc.explain", "arguments": [URI]})
    path = tmp_path / "editor.sched"
    path.write_text(text, encoding="utf-8")
    done = schedc("explain", str(path), "--color", "never", cwd=tmp_path)
    assert grid.replace(str(path), "editor.sched") == done.stdout.replace(str(path), "editor.sched")
    shown = server.wait_for("window/showMessage")
    assert shown == {"type": 3, "message": grid}


def test_no_code_lens_for_a_file_without_hours(server):
    show(server, "user Ana Lima <ana@example.com>")
    assert ask(server, "textDocument/codeLens") == []


# ---- diagnostics
def test_diagnostics_link_their_section_and_mark_what_has_no_effect(server):
    published = show(server, "Mon 09:00-17:00 tz Europe/Londn\nWed off\nWed 10:00-11:00  # schedc: ignore[SC120]\n"
                             "user Ana Lima <ana@example.com>\n")
    by_code = {d["code"]: d for d in published["diagnostics"]}
    assert {code: d["codeDescription"]["href"] for code, d in by_code.items()} == {
        "SC107": DOCS + "#sc107--unknown-time-zone", "SC127": DOCS + "#sc127--a-rule-with-no-effect",
        "SC140": DOCS + "#sc140--unused-suppression"}
    assert {code: d.get("tags") for code, d in by_code.items()} == {"SC107": None, "SC127": [1], "SC140": [1]}
    assert by_code["SC127"]["relatedInformation"] == [
        {"location": {"uri": URI, "range": rng(2, 0, 2, 15)}, "message": "hours given here"}]
    pulled = ask(server, "textDocument/diagnostic")
    assert pulled == {"kind": "full", "items": published["diagnostics"]}


def test_every_code_links_a_section_that_the_page_has():
    page = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    from schedc.lsp import links
    from schedc.rules import rules

    anchors = set(re.findall(r"\(#(sc\d{3}--[^)]+)\)", page))
    assert {links.href(code).split("#")[1] for code in rules()} == anchors


def test_a_line_named_only_in_words_is_related_information(server):
    published = show(server, "Mon 09:00-17:00 tz UTC\n# schedc: ignore-file[SC120]\n")
    [found] = [d for d in published["diagnostics"] if d["code"] == "SC144"]
    assert found["relatedInformation"] == [{"location": {"uri": URI, "range": rng(0, 0, 0, 22)},
                                            "message": "line 1"}]


def test_pull_diagnostics_are_announced(server):
    assert server.initialized["capabilities"]["diagnosticProvider"] == {
        "identifier": "schedc", "interFileDependencies": False, "workspaceDiagnostics": False}


# ---- fixes and formatting
def test_fix_all_applies_every_safe_fix(server):
    text = "Mon 09:00-12:00, 12:00-13:00 tz Europe/Londn\nTue 9:0-10:00\n45min zom\nuser Ana Lima <ana@example.com>\n"
    show(server, text)
    [action] = ask(server, "textDocument/codeAction", range=rng(0, 0, 0, 0),
                   context={"diagnostics": [], "only": ["source.fixAll"]})
    assert action["kind"] == "source.fixAll.schedc"
    fixed = apply(text, action["edit"]["changes"][URI])
    assert fixed == ("Mon 09:00-13:00 tz Europe/London\nTue 09:00-10:00\n45min zoom\n"
                     "user Ana Lima <ana@example.com>\n")
    assert show(server, fixed)["diagnostics"] == []
    assert ask(server, "textDocument/codeAction", range=rng(0, 0, 0, 0),
               context={"diagnostics": [], "only": ["source.fixAll.schedc"]}) == []


@pytest.mark.parametrize("text", [
    "Mon 09:00-12:00, 11:00-13:00 tz Europe/Lisbn\nWed-Wed 10:00-11:00  # schedc: ignore[SC12O]\n",
    "\ufeffweekdayz 09:00-12:00, 12:00-13:00\ntz US/Eastern\nmeeting 30min Zooom slug Intro_Call\n",
])
def test_fix_all_changes_what_check_fix_changes(server, schedc, text):
    show(server, text)
    actions = ask(server, "textDocument/codeAction", range=rng(0, 0, 0, 0),
                  context={"diagnostics": [], "only": ["source.fixAll.schedc"]})
    done = schedc("check", "--fix", "-", stdin=text)
    fixed = apply(text, actions[0]["edit"]["changes"][URI]) if actions else text
    assert fixed.removeprefix("\ufeff") == done.stdout.removeprefix("\ufeff") and fixed != text


def test_fix_all_is_offered_only_when_asked_for(server):
    show(server, "Mon 09:00-17:00 tz Europe/Londn\n")
    every = ask(server, "textDocument/codeAction", range=rng(0, 0, 0, 31), context={"diagnostics": []})
    assert [a["kind"] for a in every] == ["quickfix"]
    only = ask(server, "textDocument/codeAction", range=rng(0, 0, 0, 0),
               context={"diagnostics": [], "only": ["source"]})
    assert [a["kind"] for a in only] == ["source.fixAll.schedc"]


def test_range_formatting_changes_only_the_lines_asked_for(server, schedc):
    text = "USER Ana Lima <ana@example.com>   TZ Europe/Lisbon\nmo-fr 9:00-12:00 ,13:00-17:00\nMEETING 1h30m Zoom\n"
    show(server, text)
    edits = ask(server, "textDocument/rangeFormatting", range=rng(1, 0, 1, 5),
                options={"tabSize": 2, "insertSpaces": True})
    whole = schedc("fmt", "-", stdin=text).stdout.split("\n")
    assert apply(text, edits) == "\n".join([text.split("\n")[0], whole[1], text.split("\n")[2], ""])
    everything = ask(server, "textDocument/rangeFormatting", range=rng(0, 0, 3, 0),
                     options={"tabSize": 2, "insertSpaces": True})
    assert apply(text, everything) == "\n".join(whole)


# ---- hover on who and what
def test_hover_on_the_user_shows_the_identity_the_request_creates(server):
    show(server, JOHN)
    found = ask(server, "textDocument/hover", position=pos(0, 7))
    assert found == {"range": rng(0, 0, 0, 57), "contents": {"kind": "markdown", "value": (
        "**John Smith** <john.smith@example.com>: the user this file creates (`POST /v4/user`)\n\n"
        "| field | value |\n|---|---|\n| `givenName` | John |\n| `familyName` | Smith |\n"
        "| `email` | john.smith@example.com |\n| `timezone` | `Europe/London` |")}}


def test_hover_on_the_user_says_where_a_missing_zone_comes_from(server):
    show(server, '"Ana" Lima <ana@example.com>\nMon 09:00-10:00 tz Europe/Lisbon'.join(["user ", ""]))
    value = ask(server, "textDocument/hover", position=pos(0, 2))["contents"]["value"]
    assert value.endswith("| `timezone` | `Europe/Lisbon` (the availability's: one zone stands for both) |")


def test_hover_on_the_email(server):
    show(server, JOHN)
    found = ask(server, "textDocument/hover", position=pos(0, 20))
    assert found["range"] == rng(0, 16, 0, 40)
    assert found["contents"]["value"].startswith("`email`: **john.smith@example.com**, the new user's address")
    show(server, "user Ana Lima <ana@@example>")
    assert "not an address" in ask(server, "textDocument/hover", position=pos(0, 18))["contents"]["value"]


def test_hover_on_the_availability_gives_its_zone_and_week(server):
    show(server, JOHN)
    assert ask(server, "textDocument/hover", position=pos(1, 3))["contents"]["value"] == (
        "`availability \"John's Business Hours\"`: the name of the weekly hours, in `Europe/London` "
        "(the user's: one zone stands for both)\n\n4 days, 28h a week (Mon, Tue, Thu, Fri)\n\n"
        "```text\nMon  7h\nTue  7h\nWed  off\nThu  7h\nFri  7h\nSat  off\nSun  off\n```")


def apply(text: str, edits: list[dict]) -> str:
    """Protocol edits applied to ASCII text, last first."""
    lines = re.split(r"(?<=\n)", text)

    def offset(position):
        return sum(len(x) for x in lines[:position["line"]]) + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[:offset(edit["range"]["start"])] + edit["newText"] + text[offset(edit["range"]["end"]):]
    return text


def test_the_legend_is_the_documented_one():
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    table = re.search(r"\| TextMate class \| token type \| modifiers \|\n\|[-| ]+\|\n((?:\|.*\|\n)+)", page)
    assert table, "docs/editors.md has the table of token types"
    rows = [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in table[1].strip().split("\n")]
    from schedc.lsp.tokens import CLASSES as SENT

    assert {name: (kind, tuple(m for m in modifiers.split(", ") if m)) for name, kind, modifiers in rows} == SENT


# ---- never a crash
FRAGMENTS = st.sampled_from([
    "Mon", "-", "Fri", ",", " ", "09:00", "17:00", "24:00", "22:00-02:00", "tz", "Europe/London", "Europe/Londn",
    "user", "Tz", "<a@b.co>", '"', '"x"', "availability", "meeting", "45min", "zoom", "slug", "off", ";", "\n",
    "\r\n", "\r", "#", "# schedc: ignore[SC120]", "東京", "😀", "\ufeff", "\t", "weekdays", "00:00", "\x00", "\\",
])


@settings(max_examples=int(os.environ.get("SCHEDC_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=60), st.lists(FRAGMENTS, max_size=30).map("".join)),
       where=st.tuples(st.integers(0, 4), st.integers(0, 60)))
def test_every_new_request_answers_on_any_text(server, text, where):
    show(server, text)
    rows = re.split(r"\r\n|\r|\n", text)
    whole = rng(0, 0, len(rows), 0)
    data = ask(server, "textDocument/semanticTokens/full")["data"]
    assert len(data) % 5 == 0 and all(n >= 0 for n in data)
    line = start = 0
    for i in range(0, len(data), 5):  # every token lies inside its line
        line, start = line + data[i], (start + data[i + 1] if data[i] == 0 else data[i + 1])
        assert start + data[i + 2] <= len(rows[line].encode("utf-16-le")) // 2, (text, data[i:i + 5])
    ranged = [s["range"] for s in ask(server, "textDocument/documentSymbol")]
    ranged += [h["range"] for h in ask(server, "textDocument/documentHighlight", position=pos(*where))]
    ranged += [{"start": h["position"], "end": h["position"]}
               for h in ask(server, "textDocument/inlayHint", range=whole)]
    ranged += [lens["range"] for lens in ask(server, "textDocument/codeLens")]
    ranged += [e["range"] for e in ask(server, "textDocument/rangeFormatting", range=rng(where[0], 0, where[0], 5),
                                       options={"tabSize": 2, "insertSpaces": True}) or ()]
    for action in ask(server, "textDocument/codeAction", range=whole,
                      context={"diagnostics": [], "only": ["source.fixAll"]}):
        ranged += [e["range"] for e in action["edit"]["changes"][URI]]
    for found in ranged:
        for end in ("start", "end"):
            point = found[end]
            assert point["line"] < len(rows) and point["character"] <= len(rows[point["line"]].encode("utf-16-le")) // 2
    for fold in ask(server, "textDocument/foldingRange"):
        assert 0 <= fold["startLine"] < fold["endLine"] < len(rows)
    assert ask(server, "textDocument/diagnostic")["kind"] == "full"


def test_an_editor_that_pulls_diagnostics_is_not_also_sent_them(tmp_path):
    """Neovim 0.11 and VS Code ask with `textDocument/diagnostic` when the server offers it; pushed
    as well, each diagnostic would show twice. A change to the configuration asks them to pull again."""
    client = Client(text_document={"diagnostic": {"dynamicRegistration": False}},
                    workspace={"diagnostics": {"refreshSupport": True}})
    try:
        uri = (tmp_path / "ana.sched").as_uri()
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "sched", "version": 1, "text": "Mon 09:00-12:00, 12:00-13:00 tz UTC\n"}})
        pulled = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert [d["code"] for d in pulled["items"]] == ["SC120", "SC205"]
        (tmp_path / "schedc.toml").write_text('ignore = ["SC120"]\n', encoding="utf-8")
        client.notify("workspace/didChangeConfiguration", {"settings": {}})
        assert client.asked.get(timeout=60)["method"] == "workspace/diagnostic/refresh"
        again = client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        assert [d["code"] for d in again["items"]] == ["SC205"]
        assert client.request("textDocument/hover", client.at(uri, 0, 1)) is not None  # every message so far read
        assert not [m for m in list(client.notifications.queue) if m["method"] == "textDocument/publishDiagnostics"]
    finally:
        assert client.close() == 0


def test_the_lens_command_says_why_there_is_no_grid(server):
    show(server, "Mon-Fri 09:00-17:00\n")
    [lens] = ask(server, "textDocument/codeLens")
    assert lens["command"]["title"] == "8h/day · 40h/week"
    said = server.request("workspace/executeCommand", {"command": "schedc.explain", "arguments": [URI]})
    assert said == "schedc explain: no time zone: explain needs one to place the week"
    assert server.wait_for("window/showMessage") == {"type": 3, "message": said}


def test_a_closed_document_has_no_tokens_to_send_a_delta_from(server):
    uri = "file:///home/ana/closed.sched"
    server.edit(uri, "Mon 09:00-17:00\n")
    first = server.request("textDocument/semanticTokens/full", {"textDocument": {"uri": uri}})
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    server.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri and p["diagnostics"] == [])
    again = server.request("textDocument/semanticTokens/full/delta",
                           {"textDocument": {"uri": uri}, "previousResultId": first["resultId"]})
    assert again["data"] == []  # whole (and empty: the document is gone), not a delta from what was forgotten
