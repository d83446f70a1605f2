"""Every consumer of the settings sees the same settings: each configuration key, written in a
`schedc.toml`, changes what each command (and the language server) that reads it does, exactly
as the key's option would, and `--no-config` shows what happens without it.

The pairs come from the table of keys (`KEYS[key].used_by`), so a new key, or a new consumer,
fails `test_every_pair_of_key_and_consumer_has_a_case` until it has a case here; a new command
fails `test_every_command_reads_the_settings_or_is_known_not_to` until it says which it is.

Unless a case says otherwise, the project is `proj/` (with `schedc.toml`) holding `proj/team/`,
and the commands run from the folder *above* the project with paths into it: the configuration
is found from the paths a command is given, not from where it runs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

import pytest

from conftest import run_schedc
from lsp_client import Client
from schedc.cli.table import COMMANDS, SHOW_SETTINGS
from schedc.config import CONSUMERS, KEYS
from submit_support import KEY, sandbox, sandbox_process, submit_env, write_user  # noqa: F401 (fixtures)

LISBON = "user Ana Lima <ana@example.com> tz Europe/Lisbon\n"
TOUCHING = LISBON + "Mon 09:00-12:00, 12:00-13:00\n"  # SC120, a warning
MIDNIGHT = LISBON + "Mon 09:00-12:00, 23:59-24:00\n"  # SC201, an error unless midnight is written 24:00
NO_ZONE = "user Ana Lima <ana@example.com>\nMon 09:00-17:00\n"  # SC202: a warning, an error when compiling
OWN_ZONE = "user Bo Lima <bo@example.com> tz America/New_York\nMon 09:00-17:00\n"
LONG = LISBON + "Mon 09:00-17:00\n" + "# a comment to make the file long\n" * 40  # 1,425 bytes, over 1 KiB
DRAFT = "user Cy Lima <cy@example.com> tz Europe/Lisbon\nMon 09:0-17:00\n"  # SC101, an error

TOUCH_WARNING = ("proj/team/a.sched:2:18: warning[SC120]: `Mon 12:00-13:00` touches `Mon 09:00-12:00`\n"
                 "  |\n2 | Mon 09:00-12:00, 12:00-13:00\n  |     -----------  ^^^^^^^^^^^\n  |\n"
                 "help: write them as one range: `09:00-13:00`\n\n")
MIDNIGHT_ERROR = ("proj/team/a.sched:2:18: error[SC201]: `23:59-24:00` is empty once midnight is written as "
                  "`23:59`\n  |\n2 | Mon 09:00-12:00, 23:59-24:00\n  |                  ^^^^^^^^^^^\n  |\n"
                  "help: start it earlier, or pass `--end-of-day 24:00`\n\n")
TOO_LARGE = ("proj/team/{}: error[SC007]: the file is larger than the limit of 1 KiB, so it was not checked\n"
             "help: if it is meant to be this large, raise the limit with --max-input-size or `max-input-size` in "
             "the configuration\n\n")
NO_ZONE_WARNING = ("proj/team/a.sched: warning[SC202]: no time zone: compiling needs one\n"
                   "help: add `tz Europe/London` (or your zone), or pass `--timezone` when compiling\n\n")

# the values each key is set to in the cases (none of them a default)
VALUES = {"end-of-day": '"24:00"', "strict": "true", "exclude": '["drafts"]', "select": '["SC125"]',
          "ignore": '["SC120"]', "timezone": '"Asia/Tokyo"', "rate": '"6000/min"', "burst": "7",
          "concurrency": "3", "journal": '"records/journal.jsonl"', "state": '"records/state.json"',
          "max-input-size": '"1KiB"', "per-file-ignores": '{"team/*.sched" = ["SC120"]}',
          "extend": '"../shared/schedc.toml"'}
# commands that read no configuration at all
NO_SETTINGS = {"sandbox", "rule", "completion"}

PAIRS = [(key, consumer) for key, spec in KEYS.items() for consumer in spec.used_by]
CASES: dict[tuple[str, str], Callable] = {}


def case(key: str, *consumers: str):
    """Register a function(consumer, tmp_path, request) as the case of `key` for each consumer."""
    def register(function):
        for consumer in consumers:
            assert (key, consumer) not in CASES, (key, consumer)
            CASES[(key, consumer)] = function
        return function
    return register


EXTENDING: list = []  # non-empty while a case of `extend` runs: the setting is then made in the shared file


def project(tmp_path: Path, key: str, files: dict[str, str]) -> Path:
    """proj/schedc.toml setting `key` to VALUES[key], and `files` in proj/team/. In a case of
    `extend`, proj/schedc.toml only extends shared/schedc.toml, which sets `key`."""
    proj = tmp_path / "proj"
    (proj / "team").mkdir(parents=True)
    if EXTENDING:
        (tmp_path / "shared").mkdir()
        (tmp_path / "shared" / "schedc.toml").write_text(f"{key} = {VALUES[key]}\n")
        (proj / "schedc.toml").write_text(f"extend = {VALUES['extend']}\n")
    else:
        (proj / "schedc.toml").write_text(f"{key} = {VALUES[key]}\n")
    for name, text in files.items():
        path = proj / "team" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return proj


def both(tmp_path: Path, *argv: str, request=None, sent: Callable = lambda box: None) -> tuple:
    """The run with the configuration, and the same run with --no-config: (code, stdout, stderr) each.
    With `request`, each run talks to the sandbox, emptied in between; `sent(sandbox)` is called
    after the first run, to look at what it sent."""
    env, box = None, None
    if argv[0] == "apply" and "--auto-approve" not in argv:
        argv = (argv[0], "--auto-approve", *argv[1:])  # no terminal here to ask on
    if request is not None:
        box = request.getfixturevalue("sandbox")
        env, argv = submit_env(), (*argv, "--base-url", box.url)
    runs = []
    for extra in ((), ("--no-config",)):
        if box is not None and runs:
            sent(box)
            box.reset()
        runs.append(run_schedc(*argv, *extra, cwd=tmp_path, env=env))
    return tuple((r.returncode, r.stdout, r.stderr) for r in runs)


def api_env() -> dict:
    return submit_env()


# ---- the table itself
def test_every_pair_of_key_and_consumer_has_a_case():
    assert sorted(set(PAIRS) - set(CASES)) == []  # a key or a consumer without a case
    assert sorted(set(CASES) - set(PAIRS)) == []  # a case the table does not list: add it there
    assert set(VALUES) == set(KEYS)


def test_every_command_reads_the_settings_or_is_known_not_to():
    commands = {command.name for command in COMMANDS}
    assert set(CONSUMERS) == (commands - NO_SETTINGS) | {"lsp"}
    # and each command that reads them can show them: --show-settings is in its table entry
    assert {command.name for command in COMMANDS if SHOW_SETTINGS in command.options} == commands - NO_SETTINGS - {"lsp"}
    assert all(any(consumer in spec.used_by for spec in KEYS.values()) for consumer in CONSUMERS)


def test_the_table_of_keys_in_the_docs_is_the_table_in_the_code():
    page = (Path(__file__).resolve().parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = {}
    for line in page.split("## Keys", 1)[1].split("\n\n", 2)[1].splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = tuple(c.strip("`") for c in cells[3].split(", "))
    assert rows == {key: spec.used_by for key, spec in KEYS.items()}


@pytest.mark.parametrize("key, consumer", PAIRS, ids=[f"{k}-{c}" for k, c in PAIRS])
def test_the_key_changes_what_the_consumer_does(key, consumer, tmp_path, request):
    CASES[(key, consumer)](consumer, tmp_path, request)


@pytest.mark.parametrize("consumer", sorted(set(CONSUMERS) - {"lsp"}))
def test_every_command_shows_the_settings_it_runs_with(consumer, tmp_path):
    """`--show-settings` on every command: each key from the file found from the paths given."""
    proj = tmp_path / "proj"
    (proj / "team").mkdir(parents=True)
    (proj / "schedc.toml").write_text("".join(f"{key} = {value}\n" for key, value in VALUES.items()))
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "schedc.toml").write_text("")  # what `extend` names
    (proj / "team" / "a.sched").write_text(TOUCHING)
    (proj / "team" / "a.json").write_text("{}")
    path = {"import": "proj/team/a.json", "show": "proj/team/a.plan"}.get(consumer, "proj/team/a.sched")
    where = ("--config", "proj/schedc.toml") if consumer == "doctor" else (path,)  # doctor takes no path
    done = run_schedc(consumer, "--show-settings", *where, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert lines[0] == "# configuration file: proj/schedc.toml"
    for number, (key, value) in enumerate(VALUES.items(), 1):
        if key in ("journal", "state"):
            value = f'"proj/{json.loads(value)}"'  # relative to the configuration file
        written, _, source = lines[number].partition("  # ")
        assert (written.rstrip(), source) == (f"{key} = {value}", f"proj/schedc.toml:{number}:1")


# ---- end-of-day
@case("end-of-day", "check", "explain")
def _end_of_day_checked(consumer, tmp_path, request):
    project(tmp_path, "end-of-day", {"a.sched": MIDNIGHT})
    argv = ["check", "proj/team"] if consumer == "check" else ["explain", "--week", "2026-03-23", "--json",
                                                               "proj/team/a.sched"]
    (code, out, err), (plain_code, _, plain_err) = both(tmp_path, *argv)
    assert code == 0
    assert err == ("1 file checked: no problems\n" if consumer == "check" else "")
    if consumer == "explain":
        assert json.loads(out)["days"][0]["minutes"] == 3 * 60 + 1
    assert plain_code == 1
    assert plain_err == MIDNIGHT_ERROR + ("1 file checked: 1 error, 0 warnings\n" if consumer == "check" else "")


@case("end-of-day", "compile", "submit")
def _end_of_day_compiled(consumer, tmp_path, request):
    project(tmp_path, "end-of-day", {"a.sched": MIDNIGHT})
    argv = ["compile", "proj/team/a.sched"] if consumer == "compile" else ["submit", "--dry-run", "--json",
                                                                             "proj/team"]
    (code, out, err), (plain_code, plain_out, plain_err) = both(tmp_path, *argv)
    body = json.loads(out) if consumer == "compile" else json.loads(out)["body"]
    assert code == 0 and body["availability"]["schedule"]["monday"]["hours"] == [
        {"start": "09:00", "end": "12:00"}, {"start": "23:59", "end": "24:00"}]
    assert (plain_code, plain_out) == (1, "") and plain_err.startswith(MIDNIGHT_ERROR)


@case("end-of-day", "fmt")
def _end_of_day_formatted(consumer, tmp_path, request):
    proj = project(tmp_path, "end-of-day", {"a.sched": MIDNIGHT.replace("09:00", "9:00")})
    (code, _, err), (plain_code, _, plain_err) = both(tmp_path, "fmt", "--check", "proj/team")
    assert (code, err) == (1, "would reformat proj/team/a.sched\n1 file would be reformatted\n")
    assert plain_code == 1 and plain_err.endswith("1 file with errors, not formatted\n")
    assert run_schedc("fmt", "proj/team", cwd=tmp_path).returncode == 0
    assert (proj / "team" / "a.sched").read_text() == MIDNIGHT


@case("end-of-day", "import")
def _end_of_day_imported(consumer, tmp_path, request):
    proj = project(tmp_path, "end-of-day", {"late.sched": LISBON + "Mon 18:00-24:00\n"})
    body = run_schedc("compile", "--end-of-day", "24:00", "proj/team/late.sched", cwd=tmp_path).stdout
    (proj / "team" / "late.json").write_text(body)
    (code, out, err), (plain_code, plain_out, plain_err) = both(tmp_path, "import", "proj/team/late.json")
    assert (code, out, err) == (0, LISBON + "Mon 18:00-24:00\n", "")
    assert (plain_code, plain_out) == (0, out)
    assert plain_err.startswith("proj/team/late.json:14:20: warning[SC406]: "
                                "`availability.schedule.monday.hours[0].end`: midnight is written `24:00`\n")


@case("end-of-day", "plan", "apply")
def _end_of_day_planned(consumer, tmp_path, request):
    project(tmp_path, "end-of-day", {"a.sched": MIDNIGHT})
    bodies = []
    (code, out, err), (plain_code, plain_out, plain_err) = both(
        tmp_path, consumer, "proj/team", request=request,
        sent=lambda box: bodies.extend(json.loads(r["body"]) for r in box.requests()))
    assert code == 0, err
    assert out.split()[:2] == ["create" if consumer == "plan" else "created", "ana@example.com"]
    assert [b["availability"]["schedule"]["monday"]["hours"][1]["end"] for b in bodies] == (
        ["24:00"] if consumer == "apply" else [])
    assert (plain_code, plain_out) == (1, "") and plain_err.startswith(MIDNIGHT_ERROR)


@case("end-of-day", "lsp")
def _end_of_day_in_the_editor(consumer, tmp_path, request):
    editor = Editor(request, tmp_path, "end-of-day")
    assert editor.codes(MIDNIGHT) == []
    assert editor.codes(MIDNIGHT, configured=False) == [("SC201", 1, 1, 17)]
    assert editor.formatted(MIDNIGHT.replace("09:00", "9:00")) == MIDNIGHT
    assert editor.formatted(MIDNIGHT.replace("09:00", "9:00"), configured=False) is None


# ---- strict
@case("strict", "check", "explain")
def _strict(consumer, tmp_path, request):
    project(tmp_path, "strict", {"a.sched": TOUCHING})
    argv = ["check", "proj/team"] if consumer == "check" else ["explain", "--json", "proj/team/a.sched"]
    (code, _, err), (plain_code, _, plain_err) = both(tmp_path, *argv)
    summary = "1 file checked: 0 errors, 1 warning\n" if consumer == "check" else ""
    assert (code, err) == (1, TOUCH_WARNING + summary)
    assert (plain_code, plain_err) == (0, err)


@case("strict", "lsp")
def _strict_in_the_editor(consumer, tmp_path, request):
    editor = Editor(request, tmp_path, "strict")
    assert editor.codes(TOUCHING) == [("SC120", 1, 1, 17)]  # fails `check`, so shown as an error
    assert editor.codes(TOUCHING, configured=False) == [("SC120", 2, 1, 17)]


# ---- exclude: explain, check, fmt, submit, plan and apply search directories the same way
@case("exclude", "check", "fmt", "submit", "plan", "apply", "explain")
def _exclude(consumer, tmp_path, request):
    proj = project(tmp_path, "exclude", {"a.sched": LISBON + "Mon 09:00-17:00\n", "drafts/c.sched": DRAFT})
    argv = {"check": ["check", "proj/team"], "fmt": ["fmt", "--check", "proj/team"],
            "submit": ["submit", "--dry-run", "--json", "proj/team"], "plan": ["plan", "proj/team"],
            "apply": ["apply", "--auto-approve", "proj/team"], "explain": ["explain", "--json", "proj/team"]}[consumer]
    (code, out, err), (plain_code, _, plain_err) = both(tmp_path, *argv,
                                                        request=request if consumer in ("plan", "apply") else None)
    assert code == 0, err
    assert "drafts" not in out + err
    assert plain_code == 1 and "proj/team/drafts/c.sched:2:5: error[SC101]" in plain_err
    if consumer == "explain":
        assert [p["file"] for p in json.loads(out)["people"]] == ["proj/team/a.sched"]
    assert (proj / "team" / "drafts" / "c.sched").read_text() == DRAFT


@case("exclude", "lsp")
def _exclude_in_the_editor(consumer, tmp_path, request):
    """A document `exclude` leaves out of the project is left alone, as `check` and `fmt` leave it
    when they search the project: no diagnostics (pushed or pulled), no formatting."""
    editor = Editor(request, tmp_path, "exclude")
    client = editor.client
    untidy = TOUCHING.replace("09:00", "9:00")
    for folder, shown, formatted in (("drafts", [], None), ("kept", ["SC120"], TOUCHING)):
        uri = (tmp_path / "proj" / "team" / folder / "a.sched").as_uri()
        assert codes(client.open(uri, TOUCHING, 1)) == shown
        client.change(uri, untidy, 2)
        edits = client.request("textDocument/formatting", {
            "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
        assert (edits and edits[0]["newText"]) == formatted
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                    "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}})
        assert len(actions) == (0 if folder == "drafts" else 1)


# ---- select and ignore
@case("per-file-ignores", "check", "compile", "submit", "plan", "apply", "explain")
@case("select", "check", "compile", "submit", "plan", "apply", "explain")
@case("ignore", "check", "compile", "submit", "plan", "apply", "explain")
def _chosen_warnings(consumer, tmp_path, request):
    key = request.node.callspec.params["key"]
    project(tmp_path, key, {"a.sched": TOUCHING})
    argv = {"check": ["check", "-q", "proj/team"], "compile": ["compile", "proj/team/a.sched"],
            "submit": ["submit", "--dry-run", "--json", "proj/team"], "plan": ["plan", "-q", "proj/team"],
            "apply": ["apply", "--auto-approve", "-q", "proj/team"], "explain": ["explain", "--json", "proj/team/a.sched"]}[consumer]
    (code, _, err), (plain_code, _, plain_err) = both(tmp_path, *argv,
                                                      request=request if consumer in ("plan", "apply") else None)
    assert (code, plain_code) == (0, 0)
    assert "SC120" not in err and plain_err.startswith(TOUCH_WARNING)


@case("per-file-ignores", "import")
@case("select", "import")
@case("ignore", "import")
def _chosen_warnings_of_an_import(consumer, tmp_path, request):
    key = request.node.callspec.params["key"]
    proj = project(tmp_path, key, {"late.sched": LISBON + "Mon 18:00-24:00\n"})
    value = {"select": '["SC12"]', "ignore": '["SC40"]', "per-file-ignores": '{"team/*.json" = ["SC40"]}'}[key]
    (proj / "schedc.toml").write_text(f"{key} = {value}\n")
    body = run_schedc("compile", "--end-of-day", "24:00", "proj/team/late.sched", cwd=tmp_path).stdout
    (proj / "team" / "late.json").write_text(body)
    (code, _, err), (plain_code, _, plain_err) = both(tmp_path, "import", "proj/team/late.json")
    assert (code, err) == (0, "")
    assert plain_code == 0 and "warning[SC406]" in plain_err


@case("per-file-ignores", "lsp")
@case("select", "lsp")
@case("ignore", "lsp")
def _chosen_warnings_in_the_editor(consumer, tmp_path, request):
    editor = Editor(request, tmp_path, request.node.callspec.params["key"])
    assert editor.codes(TOUCHING) == []
    assert editor.codes(TOUCHING, configured=False) == [("SC120", 2, 1, 17)]


# ---- timezone: fills in for a file that names none, and never contradicts one that does
@case("timezone", "check")
def _timezone_checked(consumer, tmp_path, request):
    project(tmp_path, "timezone", {"a.sched": NO_ZONE, "b.sched": OWN_ZONE})
    (code, _, err), (plain_code, _, plain_err) = both(tmp_path, "check", "--strict", "proj/team")
    assert (code, err) == (0, "2 files checked: no problems\n")
    assert (plain_code, plain_err) == (1, NO_ZONE_WARNING + "2 files checked: 0 errors, 1 warning\n")


@case("timezone", "compile", "submit")
def _timezone_compiled(consumer, tmp_path, request):
    project(tmp_path, "timezone", {"a.sched": NO_ZONE, "b.sched": OWN_ZONE})
    if consumer == "compile":
        zones = []
        for name in ("a", "b"):
            done = run_schedc("compile", f"proj/team/{name}.sched", cwd=tmp_path)
            assert (done.returncode, done.stderr) == (0, "")
            zones.append(json.loads(done.stdout)["timezone"])
        plain = run_schedc("compile", "--no-config", "proj/team/a.sched", cwd=tmp_path)
    else:
        done = run_schedc("submit", "--dry-run", "--json", "proj/team", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        zones = [json.loads(line)["body"]["timezone"] for line in done.stdout.splitlines()]
        plain = run_schedc("submit", "--dry-run", "--no-config", "proj/team", cwd=tmp_path)
    assert zones == ["Asia/Tokyo", "America/New_York"]  # the file's own zone stands
    assert plain.returncode == 1 and "error[SC202]: no time zone" in plain.stderr


@case("timezone", "plan", "apply")
def _timezone_planned(consumer, tmp_path, request):
    project(tmp_path, "timezone", {"a.sched": NO_ZONE, "b.sched": OWN_ZONE})
    zones = {}
    (code, out, err), (plain_code, _, plain_err) = both(
        tmp_path, consumer, "--json", "proj/team", request=request,
        sent=lambda box: zones.update((u["email"], u["timezone"]) for u in box.users()))
    assert code == 0, err
    assert sorted(json.loads(line)["email"] for line in out.splitlines()) == ["ana@example.com", "bo@example.com"]
    assert zones == ({"ana@example.com": "Asia/Tokyo", "bo@example.com": "America/New_York"}
                     if consumer == "apply" else {})
    assert plain_code == 1 and "error[SC202]: no time zone" in plain_err and "SC204" not in plain_err + err


@case("timezone", "explain")
def _timezone_explained(consumer, tmp_path, request):
    project(tmp_path, "timezone", {"a.sched": NO_ZONE})
    (code, out, err), (plain_code, plain_out, plain_err) = both(tmp_path, "explain", "--json", "--week",
                                                                "2026-03-23", "proj/team/a.sched")
    assert (code, err) == (0, "")
    week = json.loads(out)
    assert week["zone"] == "Asia/Tokyo" and week["intervals"][0]["utc"] == {"start": "2026-03-23T00:00:00Z",
                                                                             "end": "2026-03-23T08:00:00Z"}
    assert (plain_code, plain_out) == (1, "")
    assert plain_err == ("proj/team/a.sched: error[SC202]: no time zone: explain needs one to place the week\n"
                         "help: add `tz Europe/London` (or your zone) to the file\n\n")


@case("timezone", "lsp")
def _timezone_in_the_editor(consumer, tmp_path, request):
    editor = Editor(request, tmp_path, "timezone")
    assert editor.codes(NO_ZONE) == []
    assert editor.codes(NO_ZONE, configured=False) == [("SC202", 2, 0, 0)]
    assert editor.hover(NO_ZONE).split("\n")[0] == ("`Mon`: the hours once every rule of the file is applied, "
                                                    "in Asia/Tokyo (the configuration's `timezone`)")
    assert editor.hover(NO_ZONE, configured=False).split("\n")[0] == (
        "`Mon`: the hours once every rule of the file is applied")


# ---- pacing: what `submit`, `plan --refresh` and `apply` send with
# Each case sets its key slower (or narrower) than the default, the other two keys fast on the
# command line, and looks at what the pacer let through: the moments it recorded in the journal
# (`sent` lines), or when the sandbox received each request. Every bound is one the setting
# makes certain (a request cannot leave before its token, nor before a slot is free), and one
# the default breaks by far.
PACED = {"rate": ('"30/min"', ("--burst", "1", "--concurrency", "8")),  # a request every 2 s; by default every 0.67 s
         "burst": ("2", ("--rate", "40/min", "--concurrency", "8")),  # the 3rd waits 1.5 s; by default none waits
         "concurrency": ("2", ("--rate", "6000/min", "--burst", "100"))}  # 2 in flight; by default 4
FAST = ("--rate", "6000/min", "--burst", "100", "--concurrency", "8")


@case("rate", "submit", "plan", "apply")
@case("burst", "submit", "plan", "apply")
@case("concurrency", "submit", "plan", "apply")
def _pacing(consumer, tmp_path, request):
    key = request.node.callspec.params["key"]
    box = request.getfixturevalue("sandbox")
    proj = project(tmp_path, key, {})
    done = run_schedc(consumer, "--show-settings", f"--{key}", "5/s" if key == "rate" else "5", "proj/team",
                      cwd=tmp_path)
    assert done.stdout.splitlines()[list(KEYS).index(key) + 1].endswith("# command line")  # the option wins
    done = run_schedc(consumer, "--show-settings", "proj/team", cwd=tmp_path)
    assert done.stdout.splitlines()[list(KEYS).index(key) + 1].startswith(f"{key} = {VALUES[key]}  ")
    value, others = PACED[key]
    (proj / "schedc.toml").write_text(f"{key} = {value}\n")
    for n in range(4 if key == "concurrency" else 1 if consumer == "plan" else 3 if key == "burst" else 2):
        write_user(proj / "team", n)
    url, env = ("--base-url", box.url), api_env()
    if consumer == "plan":  # plan paces only the reading of the users the state has: make them first
        made = run_schedc("apply", "--auto-approve", "-q", "proj/team", *url, *FAST, cwd=tmp_path, env=env)
        assert made.returncode == 0, made.stderr
    journal = proj / ".schedc-journal.jsonl"
    before = journal.read_text().count("\n") if journal.exists() else 0
    earlier = len(box.requests())
    if key == "concurrency":
        box.faults({"kind": "delay", "seconds": 0.6, "when": "before", "times": 100})
    argv = {"submit": ["submit"], "plan": ["plan", "--refresh"], "apply": ["apply", "--auto-approve"]}[consumer]
    ran = run_schedc(*argv, "proj/team", *url, *others, cwd=tmp_path, env=env)
    assert ran.returncode == 0, ran.stderr
    sent = [json.loads(line)["sent"] for line in journal.read_text().splitlines()[before:] if '"sent"' in line]
    received = sorted(r["received"] for r in box.requests()[earlier:])
    assert len(sent) == len(received) >= (2 if key == "rate" else 3)
    if key == "rate":  # every request waits for its token: 2 s apart
        assert min(later - earlier for earlier, later in zip(sent, sent[1:])) >= 1.9
    elif key == "burst":  # two go at once, the third waits for a token
        assert sent[2] - sent[0] >= 1.4
    else:  # a third request leaves only once one of the first two is answered, 0.6 s after it arrived
        assert received[2] - received[0] >= 0.6


# ---- journal and state: relative to the configuration file, wherever the command runs
@case("journal", "submit", "plan", "apply")
def _journal(consumer, tmp_path, request):
    box = request.getfixturevalue("sandbox")
    proj = project(tmp_path, "journal", {"a.sched": LISBON + "Mon 09:00-17:00\n"})
    (proj / "records").mkdir()
    team = proj / "team"
    created = run_schedc("submit", "--json", ".", "--base-url", box.url, cwd=team, env=api_env())
    assert created.returncode == 0, created.stderr
    assert '"outcome": "created"' in (proj / "records" / "journal.jsonl").read_text()
    assert not (team / ".schedc-journal.jsonl").exists()
    if consumer == "submit":
        again = run_schedc("submit", "--json", "proj/team", "--base-url", box.url, cwd=tmp_path, env=api_env())
        assert [json.loads(line)["outcome"] for line in again.stdout.splitlines()] == ["skipped"]
    else:
        again = run_schedc(consumer, *(("--auto-approve",) if consumer == "apply" else ()), "proj/team", "--base-url", box.url, cwd=tmp_path, env=api_env())
        assert again.stderr.startswith("schedc: took over 1 user from the submit journal\n")
        assert again.stdout.split()[:2] == ["unchanged", "ana@example.com"]
    reads = ["GET", "GET"] if consumer == "apply" else []  # apply reads the user and availability back first
    assert [r["method"] for r in box.requests()] == ["POST", *reads]  # nothing sent twice


@case("state", "plan", "apply")
def _state(consumer, tmp_path, request):
    box = request.getfixturevalue("sandbox")
    proj = project(tmp_path, "state", {"a.sched": LISBON + "Mon 09:00-17:00\n"})
    (proj / "records").mkdir()
    applied = run_schedc("apply", "--auto-approve", "proj/team", "--base-url", box.url, cwd=tmp_path, env=api_env())
    assert applied.returncode == 0, applied.stderr
    assert "ana@example.com" in (proj / "records" / "state.json").read_text()
    again = run_schedc(consumer, ".", "--base-url", box.url, cwd=proj / "team", env=api_env())
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[:2] == ["unchanged", "ana@example.com"]
    assert not (proj / "team" / ".schedc-state.json").exists()


# ---- max-input-size: a file over the configured limit is not read; without the file, it is
@case("max-input-size", "check", "compile", "fmt", "explain", "submit")
def _max_input_size(consumer, tmp_path, request):
    project(tmp_path, "max-input-size", {"a.sched": LONG})
    argv, after = {
        "check": (["check", "proj/team"], "0 files checked: no problems; 1 path could not be read\n"),
        "compile": (["compile", "proj/team/a.sched"], ""),
        "fmt": (["fmt", "--check", "proj/team"], "1 file failed to reformat\n"),
        "explain": (["explain", "--json", "--week", "2026-03-23", "proj/team/a.sched"], ""),
        "submit": (["submit", "--dry-run", "--json", "proj/team"],
                   "schedc: error: nothing was sent: fix the files above, or pass --keep-going to send the others\n"),
    }[consumer]
    (code, out, err), (plain_code, plain_out, plain_err) = both(tmp_path, *argv)
    assert (code, out, err) == (2, "", TOO_LARGE.format("a.sched") + after)
    assert plain_code == 0, plain_err
    if consumer == "check":
        assert plain_err == "1 file checked: no problems\n"
    elif consumer == "compile":
        assert json.loads(plain_out)["email"] == "ana@example.com"
    elif consumer == "explain":
        assert json.loads(plain_out)["days"][0]["minutes"] == 8 * 60
    elif consumer == "submit":
        assert json.loads(plain_out)["body"]["email"] == "ana@example.com"


@case("max-input-size", "import")
def _max_input_size_of_an_import(consumer, tmp_path, request):
    proj = project(tmp_path, "max-input-size", {"a.sched": LISBON + "Mon 09:00-17:00\n"})
    body = run_schedc("compile", "--no-config", "proj/team/a.sched", cwd=tmp_path).stdout
    (proj / "team" / "a.json").write_text(body + " " * 1024)
    (code, out, err), (plain_code, plain_out, plain_err) = both(tmp_path, "import", "proj/team/a.json")
    assert (code, out, err) == (2, "", TOO_LARGE.format("a.json"))
    assert (plain_code, plain_out, plain_err) == (0, LISBON + "Mon 09:00-17:00\n", "")


@case("max-input-size", "plan", "apply")
def _max_input_size_planned(consumer, tmp_path, request):
    project(tmp_path, "max-input-size", {"a.sched": LONG})
    sent = []
    (code, out, err), (plain_code, plain_out, plain_err) = both(
        tmp_path, consumer, "proj/team", request=request, sent=lambda box: sent.extend(box.requests()))
    assert (code, out, sent) == (2, "", [])
    assert err.startswith(TOO_LARGE.format("a.sched"))
    assert plain_code == 0, plain_err
    assert plain_out.split()[:2] == ["create" if consumer == "plan" else "created", "ana@example.com"]


@case("max-input-size", "lsp")
def _max_input_size_in_the_editor(consumer, tmp_path, request):
    editor = Editor(request, tmp_path, "max-input-size")
    assert editor.codes(LONG) == [("SC007", 1, 0, 0)]
    assert editor.codes(LONG, configured=False) == []
    assert editor.formatted(LONG.replace("09:00", "9:00")) is None  # nothing is done with a document over the limit
    assert editor.formatted(LONG.replace("09:00", "9:00"), configured=False) == LONG


@case("max-input-size", "show")
def _max_input_size_of_a_saved_plan(consumer, tmp_path, request):
    """A saved plan is read under 16 times the limit, by `show` as by `apply PLANFILE`."""
    proj = project(tmp_path, "max-input-size", {"a.sched": LISBON + "Mon 09:00-17:00\n"})
    saved = run_schedc("plan", "--no-config", "-o", "proj/team.plan", "proj/team", cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    plan = proj / "team.plan"
    plan.write_text(plan.read_text() + " " * 16 * 1024)  # over 16 KiB
    (code, out, err), (plain_code, plain_out, _) = both(tmp_path, "show", "proj/team.plan")
    assert (code, out, err) == (2, "", "schedc: error: cannot read `proj/team.plan`: it is larger than the limit of "
                                       "16 KiB\n")
    assert (plain_code, plain_out) == (0, "create    ana@example.com  (proj/team/a.sched)\n")


@case("max-input-size", "doctor")
def _max_input_size_of_the_key_file(consumer, tmp_path, request):
    """The key file is read under the limit, by `doctor` as by `submit`, `plan` and `apply`."""
    box = request.getfixturevalue("sandbox")
    proj = project(tmp_path, "max-input-size", {})
    (proj / "team" / "meetergo.key").write_text(KEY + "\n" + " " * 1100)  # over 1 KiB, a valid key within
    env = {k: v for k, v in api_env().items() if k != "MEETERGO_API_KEY"}
    argv = ("doctor", "--api-key-file", "meetergo.key", "--base-url", box.url)
    done = run_schedc(*argv, cwd=proj / "team", env=env)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("schedc: error: ") and "larger than the limit of 1 KiB" in done.stderr
    plain = run_schedc(*argv, "--no-config", cwd=proj / "team", env=env)
    assert plain.returncode == 0, plain.stderr + plain.stdout


# ---- extend: a shared file's setting applies as if written in the project's own (here `end-of-day`,
# or `max-input-size` for a command that reads no schedule)
@case("extend", *CONSUMERS)
def _extend(consumer, tmp_path, request):
    EXTENDING.append(consumer)
    try:
        CASES[("end-of-day" if ("end-of-day", consumer) in CASES else "max-input-size", consumer)](
            consumer, tmp_path, request)
    finally:
        EXTENDING.clear()


# ---- the language server, one for all the cases
@pytest.fixture(scope="module")
def language_server():
    client = Client()
    yield client
    assert client.close() == 0


class Editor:
    """Documents opened in the shared server: in proj/team (under proj/schedc.toml setting `key`)
    or, with `configured=False`, in a folder no configuration file applies to."""

    versions = iter(range(1, 10 ** 9))

    def __init__(self, request, tmp_path: Path, key: str):
        self.client = request.getfixturevalue("language_server")
        project(tmp_path, key, {})
        (tmp_path / "bare").mkdir()
        self.tmp_path = tmp_path

    def uri(self, configured: bool) -> str:
        folder = self.tmp_path / ("proj/team" if configured else "bare")
        return (folder / f"doc{next(self.versions)}.sched").as_uri()

    def codes(self, text: str, configured: bool = True) -> list[tuple]:
        uri = self.uri(configured)
        published = self.client.open(uri, text, 1)
        return [(d["code"], d["severity"], d["range"]["start"]["line"], d["range"]["start"]["character"])
                for d in published["diagnostics"]]

    def hover(self, text: str, configured: bool = True) -> str:
        """What hovering over the start of the second line shows."""
        uri = self.uri(configured)
        self.client.open(uri, text, 1)
        return self.client.request("textDocument/hover", self.client.at(uri, 1, 0))["contents"]["value"]

    def formatted(self, text: str, configured: bool = True):
        uri = self.uri(configured)
        self.client.open(uri, text, 1)
        edits = self.client.request("textDocument/formatting", {
            "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
        if edits is None:
            return None
        assert len(edits) == 1 and edits[0]["range"]["start"] == {"line": 0, "character": 0}
        return edits[0]["newText"]


# ---- the commands agree (issue 23, items 1, 3 and 4)
def test_a_configured_timezone_fills_in_and_no_command_disagrees(tmp_path, sandbox):
    proj = tmp_path / "proj"
    (proj / "team").mkdir(parents=True)
    (proj / "schedc.toml").write_text('timezone = "Europe/Berlin"\nstrict = true\n')
    (proj / "team" / "a.sched").write_text(NO_ZONE)
    (proj / "team" / "b.sched").write_text(OWN_ZONE)
    env, url = api_env(), ("--base-url", sandbox.url)
    runs = {"check": ["check", "proj/team"], "compile": ["compile", "proj/team/b.sched"],
            "submit": ["submit", "--dry-run", "proj/team"], "plan": ["plan", "proj/team", *url],
            "explain": ["explain", "proj/team"], "apply": ["apply", "--auto-approve", "proj/team", *url]}
    for name, argv in runs.items():
        done = run_schedc(*argv, cwd=tmp_path, env=env)
        assert done.returncode == 0, (name, done.stderr)
        assert "SC20" not in done.stderr, name  # neither SC202 (no zone) nor SC204 (a contradiction)
    assert {u["email"]: u["timezone"] for u in sandbox.users()} == {"ana@example.com": "Europe/Berlin",
                                                                      "bo@example.com": "America/New_York"}
    flag = run_schedc("compile", "--timezone", "Europe/Berlin", "proj/team/b.sched", cwd=tmp_path)
    assert flag.returncode == 1 and "error[SC204]: `--timezone` value `Europe/Berlin` contradicts" in flag.stderr


def test_the_default_state_sits_beside_the_configuration_file(tmp_path, sandbox):
    proj = tmp_path / "proj"
    team = proj / "team"
    team.mkdir(parents=True)
    (proj / "schedc.toml").write_text('rate = "6000/min"\n')  # names no state
    write_user(team, 0)
    write_user(team, 1)
    env, url = api_env(), ("--base-url", sandbox.url)
    assert run_schedc("apply", "--auto-approve", "team", *url, cwd=proj, env=env).returncode == 0
    assert (proj / ".schedc-state.json").exists()
    planned = run_schedc("plan", ".", *url, cwd=team, env=env)
    assert (planned.returncode, planned.stdout) == (0, "unchanged person00@example.com  (./person00.sched)\n"
                                                       "unchanged person01@example.com  (./person01.sched)\n")
    assert not (team / ".schedc-state.json").exists()
    shown = run_schedc("plan", "--show-settings", ".", cwd=team)
    assert 'state = "../.schedc-state.json"       # default' in shown.stdout.splitlines()


def test_a_plan_from_a_subdirectory_leaves_the_users_of_other_folders_alone(tmp_path, sandbox):
    """The state names each file relative to its own folder, so `cd team && schedc plan .` knows
    where the users of `other/` live: they are neither planned nor called gone from the repo."""
    proj = tmp_path / "proj"
    for folder in ("team", "other"):
        (proj / folder).mkdir(parents=True)
    (proj / "schedc.toml").write_text('rate = "6000/min"\n')
    write_user(proj / "team", 0)
    write_user(proj / "other", 1)
    env, url = api_env(), ("--base-url", sandbox.url)
    assert run_schedc("apply", "--auto-approve", "-q", "proj", *url, cwd=tmp_path, env=env).returncode == 0
    state = json.loads((proj / ".schedc-state.json").read_text())
    assert {email: user["file"] for email, user in state["servers"][sandbox.url]["users"].items()} == {
        "person00@example.com": "team/person00.sched", "person01@example.com": "other/person01.sched"}
    planned = run_schedc("plan", ".", *url, cwd=proj / "team", env=env)
    assert (planned.returncode, planned.stdout) == (0, "unchanged person00@example.com  (./person00.sched)\n")
    assert planned.stderr == "plan: 0 to create, 0 to update, 1 unchanged (compared with the state; --refresh " \
                             "compares with the server)\n"
    (proj / "other" / "person01.sched").unlink()  # now it is gone, and a plan from anywhere says so alike
    for cwd, path, shown in ((proj / "team", "..", "../other/person01.sched"), (tmp_path, "proj", "proj/other/person01.sched")):
        gone = run_schedc("plan", path, *url, cwd=cwd, env=env)
        assert gone.stdout.splitlines()[-1] == ("untracked person01@example.com  no longer in the repo; left alone "
                                                f"(schedc never deletes users)  ({shown})")


def test_a_saved_plan_is_shown_and_applied_alike_from_any_directory(tmp_path, sandbox):
    proj = tmp_path / "proj"
    team = proj / "team"
    team.mkdir(parents=True)
    (proj / "schedc.toml").write_text('rate = "6000/min"\nstate = "records/state.json"\n')
    (proj / "records").mkdir()
    write_user(team, 0)
    env, url = api_env(), ("--base-url", sandbox.url)
    assert run_schedc("apply", "--auto-approve", "-q", ".", *url, cwd=team, env=env).returncode == 0
    write_user(team, 0, duration="45min")
    saved = run_schedc("plan", "-o", "../team.plan", ".", *url, cwd=team, env=env)
    assert saved.returncode == 0, saved.stderr
    plan = json.loads((proj / "team.plan").read_text())  # paths relative to the plan's own folder
    assert (plan["state"]["path"], plan["scope"], [f["path"] for f in plan["files"]]) == (
        "records/state.json", ["team"], ["team/person00.sched"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shown = run_schedc("show", "../proj/team.plan", cwd=elsewhere)
    assert (shown.returncode, shown.stdout) == (0, "update    person00@example.com  (../proj/team/person00.sched)\n"
                                                   "            meeting duration: 30 -> 45\n")
    assert "the state `../proj/records/state.json` (serial 2)" in shown.stderr
    applied = run_schedc("apply", "../proj/team.plan", *url, cwd=elsewhere, env=env)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.startswith("updated   person00@example.com  sent meetingType  (../proj/team/person00.sched)")
    assert not (elsewhere / "records").exists() and not (elsewhere / ".schedc-state.json").exists()


def test_explain_of_a_directory_leaves_out_what_is_excluded(tmp_path):
    proj = project(tmp_path, "exclude", {"a.sched": LISBON + "Mon 09:00-17:00\n",
                                         "drafts/b.sched": "user Bo Lima <bo@example.com> tz Europe/Lisbon\n"
                                                           "Tue 09:00-17:00\n"})
    done = run_schedc("explain", "--json", "--week", "2026-03-23", ".", cwd=proj / "team")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["people"] == [{"name": "Ana Lima", "file": "./a.sched", "zone": "Europe/Lisbon"}]


# ---- the language server (issue 23, item 2)
def lsp_project(tmp_path: Path, config: str) -> tuple[Path, str]:
    team = tmp_path / "proj" / "team"
    team.mkdir(parents=True)
    (tmp_path / "proj" / "schedc.toml").write_text(config)
    return tmp_path / "proj" / "schedc.toml", (team / "a.sched").as_uri()


def codes(published: dict) -> list[str]:
    return [d["code"] for d in published["diagnostics"]]


def published(client: Client, mark: int, uri: str) -> dict:
    """The first diagnostics published for `uri` since notification number `mark`, waited for if need be."""
    for message in client.seen[mark:]:
        if message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri:
            return message["params"]
    return client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)


BOTH = LISBON + "Mon 09:00-12:00, 12:00-13:00\nTue 23:59-24:00\n"  # SC120 and SC201


def test_the_editor_shows_what_check_says_and_formats_as_fmt_writes(tmp_path, language_server):
    config, uri = lsp_project(tmp_path, 'ignore = ["SC120"]\nend-of-day = "24:00"\n')
    (config.parent / "team" / "a.sched").write_text(BOTH)
    checked = run_schedc("check", "proj/team", cwd=tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "1 file checked: no problems\n")
    assert codes(language_server.open(uri, BOTH, 1)) == []
    untidy = BOTH.replace("09:00", "9:00")
    language_server.change(uri, untidy, 2)
    edits = language_server.request("textDocument/formatting", {
        "textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": True}})
    assert [e["newText"] for e in edits] == [BOTH]
    actions = language_server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                "end": {"line": 3, "character": 0}},
        "context": {"diagnostics": []}})
    assert actions == []  # no quick fix for a warning the configuration ignores


def test_lsp_config_names_the_file_for_every_document(tmp_path):
    _, uri = lsp_project(tmp_path, 'ignore = ["SC120"]\n')  # found from the folder, but --config wins
    (tmp_path / "elsewhere.toml").write_text('end-of-day = "24:00"\n')
    client = Client(args=("--config", str(tmp_path / "elsewhere.toml")))
    try:
        assert codes(client.open(uri, BOTH, 1)) == ["SC120"]
        assert codes(client.open((tmp_path / "loose.sched").as_uri(), BOTH, 1)) == ["SC120"]
    finally:
        assert client.close() == 0
    client = Client(args=("--no-config",))
    try:
        assert codes(client.open(uri, BOTH, 1)) == ["SC120", "SC201"]
    finally:
        assert client.close() == 0
    missing = run_schedc("lsp", "--config", "nope.toml", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "schedc: error: --config: cannot read `nope.toml`: "
                                                       "no such file\n")


def test_an_edit_to_the_configuration_applies_without_the_editor_saying_so(tmp_path, language_server):
    config, uri = lsp_project(tmp_path, "")
    assert codes(language_server.open(uri, BOTH, 1)) == ["SC120", "SC201"]
    config.write_text('ignore = ["SC120"]\n')
    assert codes(language_server.change(uri, BOTH, 2)) == ["SC201"]
    config.unlink()
    (tmp_path / "proj" / "team" / "schedc.toml").write_text('end-of-day = "24:00"\n')  # a nearer one, new
    assert codes(language_server.change(uri, BOTH, 3)) == ["SC120"]


def test_an_edit_that_keeps_the_size_and_the_time_of_the_file_applies_too(tmp_path, language_server):
    """Two writes within one step of the file system's clock leave the same modification time, and
    an edited code keeps the size: the file is read again while its time is that recent."""
    config, uri = lsp_project(tmp_path, 'ignore = ["SC121"]\n')
    assert codes(language_server.open(uri, BOTH, 1)) == ["SC120", "SC201"]
    before = os.stat(config)
    config.write_text('ignore = ["SC120"]\n')
    os.utime(config, ns=(before.st_atime_ns, before.st_mtime_ns))  # as if written in the same tick
    assert (os.stat(config).st_size, os.stat(config).st_ino) == (before.st_size, before.st_ino)
    assert codes(language_server.change(uri, BOTH, 2)) == ["SC201"]


def test_an_edit_to_a_file_the_configuration_extends_applies_too(tmp_path, language_server):
    (tmp_path / "shared.toml").write_text("")
    _, uri = lsp_project(tmp_path, 'extend = "../shared.toml"\n')
    assert codes(language_server.open(uri, BOTH, 1)) == ["SC120", "SC201"]
    (tmp_path / "shared.toml").write_text('ignore = ["SC120"]\n')
    assert codes(language_server.change(uri, BOTH, 2)) == ["SC201"]


@pytest.mark.parametrize("method, params", [
    ("workspace/didChangeConfiguration", {"settings": None}),
    ("workspace/didChangeWatchedFiles", {"changes": [{"uri": "", "type": 2}]}),
])
def test_a_change_the_editor_reports_checks_every_open_document_again(tmp_path, language_server, method, params):
    config, uri = lsp_project(tmp_path, "")
    other = (tmp_path / "proj" / "b.sched").as_uri()
    assert codes(language_server.open(uri, BOTH, 7)) == ["SC120", "SC201"]
    assert codes(language_server.open(other, TOUCHING, 4)) == ["SC120"]
    config.write_text('ignore = ["SC120"]\n')
    if method.endswith("WatchedFiles"):
        params = {"changes": [{"uri": config.as_uri(), "type": 2}]}
    mark = len(language_server.seen)
    language_server.notify(method, params)
    again = published(language_server, mark, uri)
    assert (again["version"], codes(again)) == (7, ["SC201"])  # the same version, published again
    again = published(language_server, mark, other)
    assert (again["version"], codes(again)) == (4, [])


def test_the_server_asks_to_watch_the_configuration_files_when_the_editor_allows_it(tmp_path):
    watching = {"didChangeWatchedFiles": {"dynamicRegistration": True}}
    client = Client(workspace=watching)
    try:
        asked = client.asked.get(timeout=60)
        assert asked["method"] == "client/registerCapability"
        assert asked["params"] == {"registrations": [{
            "id": "schedc-configuration", "method": "workspace/didChangeWatchedFiles",
            "registerOptions": {"watchers": [{"globPattern": "**/schedc.toml"}, {"globPattern": "**/pyproject.toml"}]}}]}
    finally:
        assert client.close() == 0
    (tmp_path / "team.toml").write_text("")
    client = Client(workspace=watching, args=("--config", str(tmp_path / "team.toml")))
    try:
        asked = client.asked.get(timeout=60)
        assert asked["params"]["registrations"][0]["registerOptions"] == {"watchers": [{"globPattern": {
            "baseUri": tmp_path.as_uri(), "pattern": "team.toml"}}]}
    finally:
        assert client.close() == 0



def test_an_editor_that_cannot_register_is_asked_nothing(language_server):
    language_server.request("textDocument/hover", language_server.at("file:///nowhere.sched", 0, 0))
    assert language_server.asked.empty()


def test_a_broken_configuration_is_shown_in_the_editor_and_its_valid_keys_still_apply(tmp_path, language_server):
    config, uri = lsp_project(tmp_path, 'ignore = ["SC120"]\nstrictt = true\n')
    mark = len(language_server.seen)
    assert codes(language_server.open(uri, BOTH, 1)) == ["SC201"]
    problems = published(language_server, mark, config.as_uri())
    assert [(d["code"], d["range"], d["severity"]) for d in problems["diagnostics"]] == [
        ("SC501", {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 7}}, 1)]
    assert problems["diagnostics"][0]["message"].startswith("unknown key `strictt`\nhelp: did you mean `strict`?")
    told = [m for m in language_server.seen[mark:] if m["method"] == "window/showMessage"]
    assert told and str(config) in told[-1]["params"]["message"]
    config.write_text('ignore = ["SC120"]\nstrict = true\n')
    mark = len(language_server.seen)
    language_server.change(uri, BOTH, 2)
    assert published(language_server, mark, config.as_uri())["diagnostics"] == []


def test_the_configuration_is_found_from_the_paths_else_from_the_current_directory(tmp_path):
    here, other, loose = tmp_path / "here", tmp_path / "other", tmp_path / "loose"
    for folder in (here, other, loose):
        folder.mkdir()
        (folder / "a.sched").write_text(TOUCHING)
    (here / "schedc.toml").write_text("strict = true\n")
    (other / "schedc.toml").write_text('ignore = ["SC120"]\n')
    assert run_schedc("check", "-q", "../other/a.sched", cwd=here).returncode == 0  # other's settings
    assert run_schedc("check", "-q", "../loose/a.sched", cwd=here).returncode == 1  # here's: strict
    assert run_schedc("check", "-q", "a.sched", cwd=loose).returncode == 0  # none
