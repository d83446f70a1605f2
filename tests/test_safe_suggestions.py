"""Every suggestion is safe to follow: it never shifts the hours and never leads straight into
another diagnostic. Checked through `schedc check` and the language server's quick fixes."""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from conftest import run_schedc
from lsp_client import Client
from schedc.compiler.zones import ABBREVIATIONS

TODAY = "2026-06-01"
ENV = {"SCHEDC_TODAY": TODAY}
ZONE_CODES = {"SC107", "SC123", "SC124"}
SUGGESTED = re.compile(r"^(?:did you mean|write) `([^`]+)`")


def check(tmp_path, text: str, *args: str):
    (tmp_path / "a.sched").write_text(text)
    return run_schedc("check", *args, "a.sched", cwd=tmp_path, env=ENV)


def zone_file(zone: str) -> str:
    return f"user Ana Lima <ana@example.com> tz {zone}\nMon 09:00-17:00\n"


def test_an_offset_written_as_a_zone_suggests_a_place_that_keeps_that_offset(tmp_path):
    done = check(tmp_path, zone_file("GMT+1"))
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "a.sched:1:36: error[SC107]: unknown time zone `GMT+1`: zone names are places, not offsets\n"
        "  |\n1 | user Ana Lima <ana@example.com> tz GMT+1\n  |                                    ^^^^^\n  |\n"
        "help: did you mean `Africa/Lagos`? It keeps UTC+01:00 all year, as `GMT+1` says (`Etc/GMT-1` is that "
        "offset too, but its sign reads backwards); where the clocks change for summer, write the zone of the "
        "city instead\n\n1 file checked: 1 error, 0 warnings\n")
    helps = {zone: json.loads(check(tmp_path, zone_file(zone), "--format", "json").stdout)[0]["help"]
             for zone in ("UTC+1", "utc-5", "UTC+0530", "GMT+0", "UTC-12", "UTC+15")}
    assert helps == {
        "UTC+1": "did you mean `Africa/Lagos`? It keeps UTC+01:00 all year, as `UTC+1` says (`Etc/GMT-1` is that "
                 "offset too, but its sign reads backwards); where the clocks change for summer, write the zone "
                 "of the city instead",
        "utc-5": "did you mean `America/Bogota`? It keeps UTC-05:00 all year, as `utc-5` says (`Etc/GMT+5` is "
                 "that offset too, but its sign reads backwards); where the clocks change for summer, write the "
                 "zone of the city instead",
        "UTC+0530": "did you mean `Asia/Kolkata`? It keeps UTC+05:30 all year, as `UTC+0530` says; where the "
                    "clocks change for summer, write the zone of the city instead",
        "GMT+0": "write `Etc/GMT`",  # a real (legacy) name: SC123, whose suggestion draws nothing more
        "UTC-12": "no place keeps UTC-12:00 all year; tzdata names the bare offset `Etc/GMT+12`, its sign "
                  "reversed; write the zone of a place, like `Europe/London` or `America/New_York`",
        "UTC+15": "no zone is UTC+15:00; write the zone of a place, like `Europe/London` or `America/New_York`",
    }


def test_a_misspelt_legacy_alias_suggests_the_canonical_zone(tmp_path):
    for written in ("Asia/Calcuta", "asia/calcutta", "Calcutta"):
        [found] = json.loads(check(tmp_path, zone_file(written), "--format", "json").stdout)
        assert (found["code"], found["message"], found["help"]) == (
            "SC107", f"unknown time zone `{written}`", "did you mean `Asia/Kolkata`?")


def test_an_unknown_code_in_a_suppression_suggests_only_a_code_that_can_be_silenced(tmp_path):
    text = zone_file("Europe/London") + "Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC999]\n"
    done = check(tmp_path, text, "--select", "SC141")
    assert done.stderr == (
        "a.sched:3:48: warning[SC141]: `SC999` is not a diagnostic code\n  |\n"
        "3 | Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC999]\n"
        "  |                                                ^^^^^\n  |\n"
        "help: `schedc rule --all` lists the codes; remove this one\n\n1 file checked: 0 errors, 1 warning\n")
    done = check(tmp_path, text.replace("SC999", "SC12O"), "--format", "json", "--select", "SC141")
    assert [(d["code"], d["help"]) for d in json.loads(done.stdout)] == [("SC141", "did you mean `SC120`?")]
    fixed = check(tmp_path, text.replace("SC999", "SC120"))
    assert (fixed.returncode, fixed.stderr) == (0, "1 file checked: no problems\n")


def test_the_language_server_offers_the_same_safe_replacements_as_quick_fixes():
    text = ("user Ana Lima <ana@example.com> tz GMT+1\nMon 09:00-17:00 tz Asia/Calcuta\n"
            "Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC12O, SC999]\n")
    uri = "file:///home/ana/ana.sched"
    server = Client(env=ENV)
    try:
        published = server.open(uri, text, 1)
        assert [(d["code"], d["range"]["start"]) for d in published["diagnostics"]] == [
            ("SC107", {"line": 0, "character": 35}), ("SC107", {"line": 1, "character": 19}),
            ("SC120", {"line": 2, "character": 17}), ("SC141", {"line": 2, "character": 47}),
            ("SC141", {"line": 2, "character": 54})]
        actions = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                     "end": {"line": 3, "character": 0}},
            "context": {"diagnostics": []}})
        assert [a["title"] for a in actions] == ["Replace `GMT+1` with `Africa/Lagos`",
                                                 "Replace `Asia/Calcuta` with `Asia/Kolkata`",
                                                 "Merge into `09:00-13:00`",
                                                 "Replace `SC12O` with `SC120`"]  # and none for SC999
        fixed = (text.replace("GMT+1", "Africa/Lagos").replace("Asia/Calcuta", "Asia/Kolkata")
                 .replace("SC12O, SC999", "SC120"))
        assert server.change(uri, fixed, 2)["diagnostics"] == []
    finally:
        assert server.close() == 0


# ---- the property, over a sweep of names people write
def _offset_names() -> dict[str, int]:
    """Offsets spelt as zone names, with the offset (minutes east) each means to its writer."""
    names = {}
    for minutes in range(-16 * 60, 16 * 60 + 1, 15):
        hours, rest = divmod(abs(minutes), 60)
        sign = "-" if minutes < 0 else "+"
        for prefix in ("UTC", "GMT", "utc", "Gmt"):
            if rest == 0:
                names[f"{prefix}{sign}{hours}"] = minutes
            names[f"{prefix}{sign}{hours:02d}{rest:02d}"] = minutes
        names[f"UTC{sign}{hours:02d}:{rest:02d}"] = minutes  # ISO 8601's own spelling
        names[f"GMT{sign}{hours}:{rest:02d}"] = minutes
        if rest == 0 and hours <= 16:  # tzdata's own spelling, in a case it does not know: its sign reversed
            names[f"etc/gmt{'-' if minutes > 0 else '+'}{hours}"] = minutes
    return names


def _misspellings() -> list[str]:
    """Every zone's name lower-cased, with its last letter dropped, and with two letters swapped."""
    found = set()
    for zone in sorted(available_timezones()):
        tail = zone.rsplit("/", 1)[-1]
        found.add(zone.lower())
        found.add(zone[:-1])
        if len(tail) > 3:
            at = len(zone) - 2
            found.add(zone[:at - 1] + zone[at] + zone[at - 1] + zone[at + 1:])
        found.add(tail)
    return sorted(found)


@functools.lru_cache(maxsize=None)
def _offsets(zone: str) -> frozenset[timedelta]:
    """The offsets a zone has over the twelve months from TODAY, sampled every six hours."""
    tz, start = ZoneInfo(zone), datetime.combine(date.fromisoformat(TODAY), datetime.min.time(), timezone.utc)
    return frozenset((start + timedelta(hours=6 * k)).astimezone(tz).utcoffset() for k in range(4 * 366))


def _diagnose(tmp_path, names: list[str], folder: str) -> dict[str, list[dict]]:
    """Each name's zone diagnostics, from one `schedc check --format json` over one file per name."""
    where = tmp_path / folder
    where.mkdir()
    for k, name in enumerate(names):
        (where / f"{k:05d}.sched").write_text(zone_file(name))
    done = run_schedc("check", "--format", "json", "-q", folder, cwd=tmp_path, env=ENV)
    found: dict[str, list[dict]] = {name: [] for name in names}
    for d in json.loads(done.stdout):
        if d["code"] in ZONE_CODES:
            found[names[int(d["file"].rsplit("/", 1)[-1][:5])]].append(d)
    return found


def test_every_zone_suggestion_draws_no_zone_diagnostic_and_keeps_the_offset_meant(tmp_path):
    offsets = _offset_names()
    # (an abbreviation like `EST` leads to the place people mean by it, summer time included: SC123)
    links = {alias: target for alias, target in _links().items() if alias.upper() not in ABBREVIATIONS}
    names = sorted(set(offsets) | set(_misspellings()) | set(links) | {"Asia/Calcuta"})
    first = _diagnose(tmp_path, names, "written")
    suggestions = {}
    for name, found in first.items():
        for d in found:
            match = SUGGESTED.match(d["help"])
            if match:
                suggestions[name] = match[1]
    assert len(suggestions) > 1500
    assert {name: suggestions.get(name) for name in ("GMT+1", "UTC+1", "Asia/Calcuta")} == {
        "GMT+1": "Africa/Lagos", "UTC+1": "Africa/Lagos", "Asia/Calcuta": "Asia/Kolkata"}
    targets = sorted(set(suggestions.values()))
    second = _diagnose(tmp_path, targets, "suggested")
    assert {zone: found for zone, found in second.items() if found} == {}
    for name, minutes in offsets.items():
        if name in suggestions:
            assert _offsets(suggestions[name]) == {timedelta(minutes=minutes)}, name
    for alias, target in links.items():
        if alias in suggestions:  # a legacy alias, or its misspelling, leads to a zone that keeps its hours
            assert _offsets(suggestions[alias]) == _offsets(target), alias
    # and no offset that some country's zone keeps all year goes without a suggestion
    fixed = {_offsets(z) for z in _country_zones()}
    kept = {minutes for minutes in offsets.values() if {timedelta(minutes=minutes)} in fixed}
    assert {name for name, minutes in offsets.items() if minutes in kept and name not in suggestions} == set()


def _tzdata_file(name: str) -> str:
    from importlib.resources import files

    return files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")


def _links() -> dict[str, str]:
    """tzdata's legacy aliases and what they stand for, read here from the package's own list."""
    return {line.split()[2]: line.split()[1] for line in _tzdata_file("tzdata.zi").splitlines()
            if line.startswith("L ")}


def _country_zones() -> list[str]:
    return [line.split("\t")[2] for line in _tzdata_file("zone.tab").splitlines() if line and line[0] != "#"]



def test_an_offset_written_with_a_colon_or_a_minus_sign_is_a_zone_with_a_suggestion_not_a_parse_error(tmp_path):
    helps = {}
    for written in ("UTC-05:00", "UTC+5:30", "UTC+01:00", "GMT+14", "GMT-3", "UTC\u22125", "GMT\u20133"):
        [found] = json.loads(check(tmp_path, zone_file(written), "--format", "json").stdout)
        assert (found["code"], found["column"], found["end_column"]) == ("SC107", 36, 36 + len(written)), written
        helps[written] = SUGGESTED.match(found["help"])[1]
    assert helps == {"UTC-05:00": "America/Bogota", "UTC+5:30": "Asia/Kolkata", "UTC+01:00": "Africa/Lagos",
                     "GMT+14": "Pacific/Kiritimati", "GMT-3": "America/Sao_Paulo", "UTC\u22125": "America/Bogota",
                     "GMT\u20133": "America/Sao_Paulo"}
    meant = {"UTC-05:00": -300, "UTC+5:30": 330, "UTC+01:00": 60, "GMT+14": 840, "GMT-3": -180, "UTC\u22125": -300,
             "GMT\u20133": -180}
    for written, zone in helps.items():  # each keeps the offset written, as the property above checks widely
        assert _offsets(zone) == {timedelta(minutes=meant[written])}, written
    # and `check --fix` writes it, after which the file has nothing left to say
    (tmp_path / "a.sched").write_text(zone_file("UTC+5:30"))
    fixed = run_schedc("check", "--fix", "a.sched", cwd=tmp_path, env=ENV)
    assert (fixed.returncode, (tmp_path / "a.sched").read_text()) == (0, zone_file("Asia/Kolkata"))


def test_legacy_names_and_their_misspellings_lead_to_the_current_name(tmp_path):
    for written, meant in (("US/Eastern", "America/New_York"), ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
                           ("Europe/Kiev", "Europe/Kyiv"), ("US/Eastrn", "America/New_York"),
                           ("Asia/Saigonn", "Asia/Ho_Chi_Minh"), ("Europe/Kief", "Europe/Kyiv")):
        [found] = json.loads(check(tmp_path, zone_file(written), "--format", "json").stdout)
        assert re.match(r"(?:did you mean|write) `([^`]+)`", found["help"])[1] == meant, written
        (tmp_path / "a.sched").write_text(zone_file(written))
        assert run_schedc("check", "--fix", "a.sched", cwd=tmp_path, env=ENV).returncode == 0
        assert (tmp_path / "a.sched").read_text() == zone_file(meant)


def test_a_misspelt_code_in_a_suppression_is_only_taken_for_a_warning_it_could_silence(tmp_path):
    line = zone_file("Europe/London") + "Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[{}]\n"

    def help_for(code: str) -> str:
        done = check(tmp_path, line.format(code), "--format", "json", "--select", "SC141")
        return [d["help"] for d in json.loads(done.stdout)][0]

    assert help_for("SC12O") == help_for("sc12o") == help_for("SC10O") == "did you mean `SC120`?"
    nothing = "`schedc rule --all` lists the codes; remove this one"
    # an error's code with letters for digits, a code far from the line's warnings, one named already
    assert help_for("SC1O9") == help_for("SC0O1") == help_for("SC5O5") == help_for("SC120, SC12O") == nothing
    quiet = zone_file("Europe/London") + "Tue 09:00-12:00  # schedc: ignore[SC12O]\n"  # no warning on the line
    done = check(tmp_path, quiet, "--format", "json")
    assert [(d["code"], d["help"]) for d in json.loads(done.stdout)] == [("SC141", nothing)]


def test_fixing_everything_fixes_a_suppressions_code_before_the_warning_it_was_meant_for(tmp_path):
    text = zone_file("Europe/London") + "Tue 09:00-12:00, 12:00-13:00  # schedc: ignore[SC12O]\n"
    meant = text.replace("SC12O", "SC120")
    (tmp_path / "a.sched").write_text(text)
    done = run_schedc("check", "--fix", "--unsafe-fixes", "a.sched", cwd=tmp_path, env=ENV)
    assert (done.returncode, done.stderr) == (0, "fixed a.sched: 1 problem (SC141)\nfixed 1 problem in 1 file\n"
                                                 "1 file checked: no problems\n")
    assert (tmp_path / "a.sched").read_text() == meant
    uri = "file:///home/ana/ana.sched"
    server = Client(env=ENV)
    try:
        server.open(uri, text, 1)
        [action] = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                     "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": [], "only": ["source.fixAll"]}})
        [edit] = action["edit"]["changes"][uri] if "changes" in action["edit"] else \
            action["edit"]["documentChanges"][0]["edits"]
        assert edit["newText"] == meant
        assert server.change(uri, meant, 2)["diagnostics"] == []
    finally:
        assert server.close() == 0


# ---- the configuration: the same names, the same answers
def test_the_timezone_setting_draws_what_the_same_zone_draws_in_the_file(tmp_path):
    (tmp_path / "a.sched").write_text("user Ana Lima <ana@example.com>\nMon 09:00-17:00\n")
    said = "a.sched: warning[SC123]: `EST` is an abbreviation that tzdata keeps as a fixed offset or an alias, " \
           "not a place that follows daylight saving (from the `timezone` setting)\nhelp: write `America/New_York`: " \
           "US Eastern time\n\n"
    (tmp_path / "schedc.toml").write_text('timezone = "EST"\n')
    checked = run_schedc("check", "a.sched", cwd=tmp_path, env=ENV)
    assert (checked.returncode, checked.stderr) == (0, said + "1 file checked: 0 errors, 1 warning\n")
    compiled = run_schedc("compile", "a.sched", cwd=tmp_path, env=ENV)
    assert (compiled.returncode, compiled.stderr) == (0, said)
    assert json.loads(compiled.stdout)["timezone"] == "EST"  # as written: the warning says what it means
    explained = run_schedc("explain", "a.sched", "--week", "2026-06-01", cwd=tmp_path, env=ENV)
    assert (explained.returncode, explained.stderr) == (0, said)
    assert run_schedc("check", "--strict", "a.sched", cwd=tmp_path, env=ENV).returncode == 1
    for zone, code in (("US/Eastern", "SC123"), ("Etc/GMT+1", "SC124")):
        (tmp_path / "schedc.toml").write_text(f'timezone = "{zone}"\n')
        done = json.loads(run_schedc("check", "--format", "json", "a.sched", cwd=tmp_path, env=ENV).stdout)
        assert [(d["code"], d["line"]) for d in done] == [(code, None)], zone
    (tmp_path / "b.sched").write_text("user Ben Ode <ben@example.com> tz Europe/Berlin\nMon 09:00-17:00\n")
    kept = run_schedc("check", "b.sched", cwd=tmp_path, env=ENV)  # a file with its own zone: the setting is unused
    assert kept.stderr == "1 file checked: no problems\n"
    server = Client(env=ENV, cwd=tmp_path)
    try:
        shown = server.open((tmp_path / "a.sched").as_uri(), (tmp_path / "a.sched").read_text(), 1)["diagnostics"]
        assert [(d["code"], d["message"].split("\n")[0]) for d in shown] == [
            ("SC124", "`Etc/GMT+1` means UTC-01:00: the sign of `Etc/GMT` zones is the reverse of what it looks like "
                      "(from the `timezone` setting)")]
        actions = server.request("textDocument/codeAction", {
            "textDocument": {"uri": (tmp_path / "a.sched").as_uri()},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}},
            "context": {"diagnostics": shown}})
        assert not actions  # nothing in the file to replace
    finally:
        assert server.close() == 0


def test_a_misspelt_code_in_the_configuration_suggests_only_a_code_it_may_name(tmp_path):
    (tmp_path / "a.sched").write_text(zone_file("Europe/London"))

    def help_for(toml: str) -> str:
        (tmp_path / "schedc.toml").write_text(toml)
        done = run_schedc("check", "--format", "json", "a.sched", cwd=tmp_path, env=ENV)
        assert done.returncode == 2
        return [line for line in done.stderr.splitlines() if line.startswith("help: ")][0]

    codes = "codes look like `SC120`; a prefix like `SC12` names every code that starts so (`schedc rule --all` " \
            "lists them)"
    assert help_for('ignore = ["SC12O"]\n') == f"help: did you mean `SC120`? {codes}"
    assert help_for('ignore = ["SC1O9"]\n') == f"help: {codes}"  # an error's: it could not be ignored
    assert help_for('ignore = ["SC999"]\n') == help_for('select = ["SC9"]\n') == f"help: {codes}"
    assert help_for('select = ["SC1O9"]\n') == f"help: did you mean `SC109`? {codes}"
    assert help_for('timezone = "UTC+5:30"\n') == (
        "help: did you mean `Asia/Kolkata`? It keeps UTC+05:30 all year, as `UTC+5:30` says; where the clocks "
        "change for summer, write the zone of the city instead")
    assert help_for('timezone = "Asia/Calcuta"\n') == "help: did you mean `Asia/Kolkata`?"


def test_a_slug_with_accented_letters_keeps_its_letters_in_the_suggestion(tmp_path):
    helps = {}
    for slug in ("Über_Call", "Straße-Termin", "Café_Øresund", "日本"):
        text = zone_file("UTC") + f'meeting "x" 30min zoom slug {slug}\n'
        [found] = json.loads(check(tmp_path, text, "--format", "json").stdout)
        helps[slug] = found["help"].split("?")[0] if found["help"].startswith("did you") else None
    assert helps == {"Über_Call": "did you mean `uber-call`", "Straße-Termin": "did you mean `strasse-termin`",
                     "Café_Øresund": "did you mean `cafe-oresund`", "日本": None}  # was `ber-call`, `stra-e-termin`
    (tmp_path / "a.sched").write_text(zone_file("UTC") + 'meeting "x" 30min zoom slug Über_Call\n')
    assert run_schedc("check", "--fix", "a.sched", cwd=tmp_path, env=ENV).returncode == 0
    assert (tmp_path / "a.sched").read_text().endswith("slug uber-call\n")


def test_explain_in_a_zone_the_checks_warn_about_says_so_and_still_shows_it(tmp_path):
    (tmp_path / "a.sched").write_text(zone_file("Europe/London"))
    for zone, said in (("EST", "`EST` is an abbreviation that tzdata keeps as a fixed offset or an alias, not a place "
                               "that follows daylight saving; write `America/New_York`: US Eastern time"),
                       ("US/Eastern", "`US/Eastern` is a legacy alias of `America/New_York`; write `America/New_York`"),
                       ("America/New_York", None)):
        done = run_schedc("explain", "a.sched", "--in", zone, "--week", "2026-06-01", cwd=tmp_path, env=ENV)
        assert done.returncode == 0 and done.stdout.splitlines()[1] == f"seen from {zone}, week of Mon 01 Jun 2026"
        assert done.stderr == (f"schedc: warning: --in: {said}\n" if said else "")
    refused = run_schedc("explain", "a.sched", "--in", "UTC+5:30", cwd=tmp_path, env=ENV)
    assert (refused.returncode, refused.stderr) == (2, "schedc: error: --in: unknown time zone `UTC+5:30`; did you "
                                                       "mean `Asia/Kolkata`? It keeps UTC+05:30 all year, as `UTC+5:30` "
                                                       "says; where the clocks change for summer, write the zone of "
                                                       "the city instead\n")
