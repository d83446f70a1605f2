"""Where two parts of schedc used to say different things: hints, summaries, help texts, and
what `explain` counts and draws against what `compile` sends."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET

import httpx
import pytest

from conftest import ROOT, run_schedc
from submit_support import KEY, sandbox, sandbox_process, submit, submit_env, write_team, write_user  # noqa: F401
from test_apply import edit_tuesday, run

SVG = "{http://www.w3.org/2000/svg}"
# every command `schedc --help` lists
COMMANDS = re.findall(r"^    (\w+) ", run_schedc("--help").stdout.split("positional arguments:")[1], re.M)


# ---- apply after a 409: one way out, said the same way twice
def test_an_existing_user_gets_one_consistent_hint_from_apply(tmp_path, sandbox):
    write_user(tmp_path, 0)
    assert submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url).code == 0
    refused = run(tmp_path, "apply", "--auto-approve", "person00.sched", base=sandbox.url)
    assert refused.code == 1
    assert refused.stdout == ("exists    person00@example.com  already exists (pass --if-exists adopt to take it "
                              "over)  (person00.sched)\n")
    assert refused.stderr == (
        "create    person00@example.com  (person00.sched)\nplan: 1 to create, 0 to update, 0 unchanged\n"
        "person00.sched:1:19: error[SC303]: a user with the e-mail `person00@example.com` already exists: "
        "A user with this email already exists\n  |\n"
        "1 | user Ana Tester00 <person00@example.com> tz Europe/London\n"
        "  |                   ^^^^^^^^^^^^^^^^^^^^^^\n  |\n"
        "help: pass --if-exists adopt to take the existing user over and update it to match the file, "
        "--if-exists skip to leave it as it is, or use another e-mail\n\n"
        "1 user applied: 1 exists\n")
    sent = submit(tmp_path, "person00.sched", "--no-journal", base=sandbox.url)  # submit cannot adopt
    assert "help: pass --if-exists skip to count an existing user as done, or use another e-mail\n" in sent.stderr


# ---- submit --keep-going counts the file it left out
def test_keep_going_names_the_files_it_did_not_send_in_its_summary(tmp_path, sandbox):
    team = write_team(tmp_path, 2)
    (team / "bad.sched").write_text("user Bad File <bad@example.com> tz Europe/Londn\nMon 09:00-10:00\n")
    kept = submit(tmp_path, "team", "--keep-going", base=sandbox.url)
    assert kept.code == 1
    assert kept.stderr.endswith("2 files submitted: 2 created, 0 skipped, 0 failed; 1 file was not sent: errors "
                                "in the file\n")
    (team / "worse.sched").write_text("user Bad Too <bad2@example.com> tz Europe/Londn\nMon 09:00-10:00\n")
    again = submit(tmp_path, "team", "--keep-going", base=sandbox.url)
    assert again.stderr.endswith("2 files submitted: 0 created, 2 skipped, 0 failed; 2 files were not sent: "
                                 "errors in the file\n")


# ---- the sandbox's -q and -v do what its help says
def test_sandbox_help_says_what_q_and_v_do_and_they_do_it(tmp_path):
    done = run_schedc("sandbox", "--help", env={"COLUMNS": "200"})
    lines = done.stdout.splitlines()
    assert [line.split(None, 2)[2] for line in lines if line.startswith(("  -v, ", "  -q, "))] == [
        "log each request line on stderr (never a header, so never a key), and show a traceback on "
        "internal errors",
        "do not print the line that says where it serves on stderr"]

    def serve(*flags: str) -> list[str]:
        process = subprocess.Popen([sys.executable, "-m", "schedc", "sandbox", "--port", "0", *flags], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            url = process.stdout.readline().strip()
            httpx.get(f"{url}/v4/user/me", headers={"Authorization": f"Bearer {KEY}"}, timeout=10)
        finally:
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=10)
        return [re.sub(r"127\.0\.0\.1:\d+|\[.*?\] ", "", line) for line in err.splitlines()]

    assert serve("-q") == []
    assert serve() == ["schedc sandbox: serving POST http:///v4/user; Ctrl-C stops it"]
    verbose = serve("-v", "-q")
    assert len(verbose) == 1 and verbose[0].startswith("sandbox: 127.0.0.1 \"GET /v4/user/me HTTP/1.1\" ")
    assert KEY.split(":")[2] not in "".join(verbose)


# ---- explain counts what compile sends
def test_explain_counts_the_week_compile_sends(tmp_path):
    (tmp_path / "f.sched").write_text("user Ana Lima <ana@example.com> tz UTC\nFri 22:00-02:00\nmeeting 30min\n")
    sent = json.loads(run_schedc("compile", "f.sched", cwd=tmp_path).stdout)["availability"]["schedule"]
    assert (sent["friday"]["hours"], sent["saturday"]["hours"]) == (
        [{"start": "22:00", "end": "23:59"}], [{"start": "00:00", "end": "02:00"}])

    def counted(*flags: str) -> tuple:
        shown = json.loads(run_schedc("explain", "f.sched", "--week", "2026-06-01", "--json", *flags,
                                      cwd=tmp_path).stdout)
        return shown["total"], [(d["day"], d["minutes"], d["meetings"]) for d in shown["days"] if d["minutes"]]

    assert counted() == ({"minutes": 239, "meetings": 7}, [("Fri", 119, 3), ("Sat", 120, 4)])
    assert counted("--end-of-day", "24:00") == ({"minutes": 240, "meetings": 8}, [("Fri", 120, 4), ("Sat", 120, 4)])
    (tmp_path / "schedc.toml").write_text('end-of-day = "24:00"\n')
    assert counted()[0] == {"minutes": 240, "meetings": 8}  # as `compile` reads the configuration too
    assert json.loads(run_schedc("compile", "f.sched", cwd=tmp_path).stdout)["availability"]["schedule"][
        "friday"]["hours"] == [{"start": "22:00", "end": "24:00"}]


# ---- a clock change is dated in its own zone
def test_a_clock_change_seen_from_far_away_is_dated_where_it_happens(tmp_path):
    (tmp_path / "l.sched").write_text("user Ana Lima <ana@example.com> tz Europe/London\nMon 09:00-10:00\n")
    args = ["explain", "l.sched", "--in", "America/Los_Angeles", "--week", "2026-03-28"]
    grid = run_schedc(*args, cwd=tmp_path).stdout.splitlines()
    assert grid[-1] == ("* Sun 29 Mar: clocks go forward in Europe/London, 01:00 -> 02:00 "
                        "(Sat 28 Mar in America/Los_Angeles)")
    assert [line[:12] for line in grid if line.startswith("Sat")] == ["Sat 28 Mar* "]  # the view's day is marked
    shown = json.loads(run_schedc(*args, "--json", cwd=tmp_path).stdout)
    assert shown["clock_changes"] == [{"zone": "Europe/London", "date": "2026-03-29", "utc": "2026-03-29T01:00:00Z",
                                       "from": "01:00", "to": "02:00"}]
    at_home = run_schedc("explain", "l.sched", "--week", "2026-03-28", cwd=tmp_path).stdout.splitlines()
    assert at_home[-1] == "* Sun 29 Mar: clocks go forward in Europe/London, 01:00 -> 02:00"


# ---- one file named twice is one person
def test_a_file_named_twice_is_one_person(tmp_path):
    (tmp_path / "a.sched").write_text("user Ana Lima <ana@example.com> tz UTC\nMon 09:00-10:00\n")
    (tmp_path / "b.sched").write_text("user Ben Ode <ben@example.com> tz UTC\nTue 09:00-10:00\n")
    once = run_schedc("explain", "a.sched", "--week", "2026-06-01", cwd=tmp_path)
    twice = run_schedc("explain", "a.sched", "./a.sched", "a.sched", "--week", "2026-06-01", cwd=tmp_path)
    assert (twice.returncode, twice.stdout) == (0, once.stdout)
    team = json.loads(run_schedc("explain", "a.sched", "b.sched", "a.sched", "--week", "2026-06-01", "--json",
                                 cwd=tmp_path).stdout)
    assert [p["name"] for p in team["people"]] == ["Ana Lima", "Ben Ode"]
    grid = run_schedc("explain", "a.sched", "b.sched", "./a.sched", "--week", "2026-06-01", cwd=tmp_path).stdout
    assert grid.startswith("2 people, seen from UTC\n")


# ---- apply reports in the files' order
def test_apply_prints_its_results_in_the_files_order_whatever_finishes_first(tmp_path, sandbox):
    team = write_team(tmp_path, 3)
    assert run(tmp_path, "apply", "--auto-approve", "team", base=sandbox.url).code == 0
    for n in range(3):
        edit_tuesday(team / f"person{n:02d}.sched")
    # the first request to arrive is answered last, the last first
    sandbox.faults({"kind": "delay", "seconds": 1.0}, {"kind": "delay", "seconds": 0.5}, {"kind": "delay", "seconds": 0})
    applied = run(tmp_path, "apply", "--auto-approve", "--concurrency", "3", "team", base=sandbox.url)
    assert applied.code == 0
    assert [line.split()[1] for line in applied.stdout.splitlines()] == [
        "person00@example.com", "person01@example.com", "person02@example.com"]
    arrived = [r["path"] for r in sandbox.requests() if r["method"] == "PATCH"]
    assert len(arrived) == 3


# ---- the team chart keeps every note on the canvas
def test_the_team_chart_widens_and_grows_for_three_clock_change_notes(tmp_path):
    for name, zone in (("a", "Europe/London"), ("b", "Europe/Chisinau"), ("c", "Asia/Beirut")):
        (tmp_path / f"{name}.sched").write_text(f"user {name.upper()} Lima <{name}@example.com> tz {zone}\n"
                                                "Mon-Fri 09:00-17:00\n")
    done = run_schedc("explain", "a.sched", "b.sched", "c.sched", "--week", "2026-03-25", "--svg", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(done.stdout.encode())
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    notes = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith("* ")]
    assert notes == ["* Sun 29 Mar: clocks go forward in Europe/London, 01:00 → 02:00",
                     "* Sun 29 Mar: clocks go forward in Europe/Chisinau, 03:00 → 04:00",
                     "* Sun 29 Mar: clocks go forward in Asia/Beirut, 00:00 → 01:00 (Sat 28 Mar in UTC)"]
    texts = [t for t in root.iter(f"{SVG}text") if t.text and t.get("x") == "8"]
    ys = [float(t.get("y")) for t in texts]
    assert len(set(ys)) == len(ys) and max(ys) < height  # one line each, all inside the canvas
    # 12 px characters of a sans-serif font average under 7 px: every line fits the width at that
    for text in texts:
        size = 14 if text.get("font-size") == "14" else 12
        assert 8 + len(text.text) * size * 0.58 <= width, text.text
    one = run_schedc("explain", "a.sched", "--week", "2026-06-03", "--svg", "-", cwd=tmp_path).stdout
    assert ET.fromstring(one.encode()).get("width") == "736"  # a chart with short texts keeps its size


# ---- every command's help: its options explained, examples and exit codes at the end
@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_explains_every_option_and_ends_with_examples_and_exit_codes(command):
    done = run_schedc(command, "--help", env={"COLUMNS": "100"})
    assert done.returncode == 0
    tail = done.stdout.rstrip().split("\n\n")[-2:]
    assert tail[0].startswith("examples:\n  ") and tail[1].startswith("exit codes:\n  0  ")
    for heading in ("positional arguments:", "options:"):
        if heading not in done.stdout:
            continue
        block = done.stdout.split(heading)[1].split("\n\n")[0].splitlines()[1:]
        # an entry is a line indented by two; its help follows on it, or on the next line, further in
        bare = [line.strip() for k, line in enumerate(block)
                if re.match(r"  \S", line) and not re.search(r"\S {2,}\S", line.strip())
                and not (k + 1 < len(block) and re.match(r" {5,}\S", block[k + 1]))]
        assert bare == [], (heading, bare)
    if command in ("check", "compile", "explain", "fmt", "import"):
        assert re.search(r"--stdin-filename NAME\s+the (file )?name to show for - \(stdin\)", done.stdout)


# ---- --stdin-filename does what its help says on every command that has it
def test_stdin_filename_names_the_input_and_finds_its_configuration_as_its_help_says(tmp_path):
    (tmp_path / "team" / "drafts").mkdir(parents=True)
    (tmp_path / "team" / "schedc.toml").write_text('[per-file-ignores]\n"drafts/*.sched" = ["SC120"]\n')
    text = "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-12:00, 12:00-13:00\n"
    for command in ("check", "compile", "explain", "fmt"):
        helped = " ".join(run_schedc(command, "--help").stdout.split())
        assert re.search(r"--stdin-filename NAME the (file )?name to show for - \(stdin\)[^;]*; the configuration, "
                         r"and its per-file-ignores, apply as to a file of that name ", helped), command
    for command in ("check", "compile", "explain"):
        named = run_schedc(command, "--stdin-filename", "team/drafts/ana.sched", "-", stdin=text, cwd=tmp_path)
        assert named.returncode == 0 and "SC120" not in named.stderr, command
        elsewhere = run_schedc(command, "--stdin-filename", "ana.sched", "-", stdin=text, cwd=tmp_path)
        assert "ana.sched:2:18: warning[SC120]" in elsewhere.stderr, command


# ---- two files of one user: explain says what submit says, and counts nobody twice
def test_explain_refuses_a_second_file_of_one_user_as_submit_does(tmp_path):
    text = "user Ana Lima <ana@example.com> tz UTC\nMon 09:00-10:00\n"
    (tmp_path / "a.sched").write_text(text)
    (tmp_path / "b.sched").write_text(text.replace("ana@", "ANA@"))
    said = ("b.sched:1:15: error[SC304]: `ANA@example.com` is also the e-mail of `a.sched`\n  |\n"
            "1 | user Ana Lima <ANA@example.com> tz UTC\n  |               ^^^^^^^^^^^^^^^^^\n  |\n"
            "help: one e-mail is one user: give each file its own address\n\n")
    explained = run_schedc("explain", "a.sched", "b.sched", "--week", "2026-06-01", cwd=tmp_path)
    assert (explained.returncode, explained.stdout, explained.stderr) == (1, "", said)
    sent = run_schedc("submit", "--dry-run", "--no-journal", "a.sched", "b.sched", cwd=tmp_path)
    assert sent.returncode == 1 and sent.stderr.startswith(said)
    (tmp_path / "b.sched").write_text(text.replace("ana@", "bea@"))
    team = json.loads(run_schedc("explain", "a.sched", "b.sched", "--week", "2026-06-01", "--json",
                                 cwd=tmp_path).stdout)
    assert len(team["people"]) == 2
