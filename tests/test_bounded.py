"""Every input is bounded (issue 24): endless streams, giant files, devices, FIFOs, sockets and
symlinks to them, through the real commands, each run under a 1 GiB address-space limit so that
reading an input whole would end in a MemoryError instead of passing."""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from submit_support import sandbox, sandbox_process  # noqa: F401 - fixtures

MEMORY = 1 << 30
GOOD = "user Ana Lima <ana@example.com> tz Europe/London\nMon-Fri 09:00-17:00\n45min connect\n"
HELP = ("help: if it is meant to be this large, raise the limit with --max-input-size or `max-input-size` in "
        "the configuration\n\n")
COMMANDS = ["check", "fmt", "compile", "import", "explain"]
AFTER = {"check": "0 files checked: no problems; 1 path could not be read\n", "fmt": "1 file failed to reformat\n"}


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def limited(*args: str, cwd: Path, stdin=None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m schedc ARGS` under the memory limit; `stdin` is a file object or None (nothing)."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    done = subprocess.run([sys.executable, "-m", "schedc", *args], cwd=cwd, env=full_env, capture_output=True,
                          stdin=stdin if stdin is not None else subprocess.DEVNULL, preexec_fn=_cap_memory,
                          timeout=120)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def endless(line: bytes = b"Mon 09:00-17:00\n") -> subprocess.Popen:
    """A process writing `line` for ever (`yes`), its stdout a pipe to hand to schedc."""
    code = f"import sys\nchunk = {line!r} * 4096\nwhile True:\n    sys.stdout.buffer.write(chunk)\n"
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)


def giant(path: Path, size: int = 1 << 30) -> Path:
    with open(path, "wb") as handle:  # sparse: a gigabyte that takes no disk
        handle.truncate(size)
    return path


def too_large(name: str, what: str = "file", limit: str = "2 MiB") -> str:
    return f"{name}: error[SC007]: the {what} is larger than the limit of {limit}, so it was not checked\n" + HELP


@pytest.mark.parametrize("command", COMMANDS)
def test_an_endless_stdin_is_read_up_to_the_limit_and_refused(tmp_path, command):
    writer = endless()
    try:
        done = limited(command, "-", cwd=tmp_path, stdin=writer.stdout)
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == too_large("<stdin>", "input on stdin") + AFTER.get(command, "")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_giant_file_is_refused_before_it_is_read(tmp_path, command):
    giant(tmp_path / "big.sched")
    done = limited(command, "big.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == too_large("big.sched") + AFTER.get(command, "")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_to_a_device_is_refused_by_name(tmp_path, command):
    (tmp_path / "zero.sched").symlink_to("/dev/zero")
    done = limited(command, "zero.sched", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("schedc: error: cannot read `zero.sched`: it is a character device, not a regular file\n"
                           + AFTER.get(command, ""))


def test_fifos_sockets_and_devices_are_refused_and_the_other_files_still_checked(tmp_path):
    os.mkfifo(tmp_path / "fifo.sched")  # opening it would wait for a writer for ever
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "socket.sched"))
    (tmp_path / "random.sched").symlink_to("/dev/urandom")
    (tmp_path / "good.sched").write_text(GOOD)
    (tmp_path / "bad.sched").write_text(GOOD.replace("Europe/London", "Europe/Londn"))
    giant(tmp_path / "big.sched", (2 << 20) + 1)  # one byte over
    try:
        done = limited("check", ".", cwd=tmp_path)
    finally:
        listener.close()
    assert done.returncode == 2
    assert done.stderr.startswith("./bad.sched:1:36: error[SC107]: unknown time zone `Europe/Londn`\n")
    assert done.stderr.endswith(
        too_large("./big.sched") +
        "schedc: error: cannot read `./fifo.sched`: it is a FIFO (a named pipe), not a regular file\n"
        "schedc: error: cannot read `./random.sched`: it is a character device, not a regular file\n"
        "schedc: error: cannot read `./socket.sched`: it is a socket, not a regular file\n"
        "2 files checked: 1 error, 0 warnings; 4 paths could not be read\n")


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path):
    body = GOOD + "#" * 100 + "\n"
    (tmp_path / "exact.sched").write_text(body)
    size = len(body.encode())
    assert limited("--max-input-size", str(size), "check", "exact.sched", cwd=tmp_path).returncode == 0
    done = limited("check", "--max-input-size", str(size - 1), "exact.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (too_large("exact.sched", limit=f"{size - 1} bytes")
                           + "0 files checked: no problems; 1 path could not be read\n")


def test_the_limit_is_a_configuration_key_and_the_flag_wins(tmp_path):
    (tmp_path / "schedc.toml").write_text('max-input-size = "1KiB"\n')
    (tmp_path / "ana.sched").write_text(GOOD + "# padding\n" * 200)
    done = limited("compile", "ana.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, too_large("ana.sched", limit="1 KiB"))
    assert limited("compile", "--max-input-size", "1MB", "ana.sched", cwd=tmp_path).returncode == 0
    shown = limited("check", "--show-settings", cwd=tmp_path).stdout.splitlines()
    assert 'max-input-size = "1KiB"            # schedc.toml:1:1' in shown


@pytest.mark.parametrize("value, message", [
    ('"2 parsecs"', '`max-input-size`: `2 parsecs` is not a size'),
    ("0", "`max-input-size`: the size must be at least 1 byte"),
    ("true", '`max-input-size`: expected a size like "2MiB", not a boolean'),
])
def test_a_bad_limit_in_the_configuration_is_a_diagnostic(tmp_path, value, message):
    (tmp_path / "schedc.toml").write_text(f"max-input-size = {value}\n")
    done = limited("check", "-", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"schedc.toml:1:18: error[SC50")
    assert message in done.stderr.splitlines()[0]


def test_a_bad_limit_on_the_command_line_is_a_usage_error(tmp_path):
    done = limited("check", "--max-input-size", "lots", "-", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.endswith("schedc check: error: argument --max-input-size: `lots` is not a size: write it "
                                "like 2MiB, 512KiB or a number of bytes\n")


def test_a_configuration_file_that_is_a_device_is_refused_by_name(tmp_path):
    (tmp_path / "schedc.toml").symlink_to("/dev/zero")
    (tmp_path / "ana.sched").write_text(GOOD)
    done = limited("check", "ana.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ("schedc.toml: error[SC500]: cannot read the configuration file: it is a character "
                           "device, not a regular file\n\n"
                           "schedc: error: fix the configuration in `schedc.toml` (or pass --no-config)\n")


def test_a_giant_pyproject_is_reported_rather_than_passed_over(tmp_path):
    giant(tmp_path / "pyproject.toml", 3 << 20)
    done = limited("check", "-", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("pyproject.toml: error[SC500]: cannot read the configuration file: it is larger "
                                  "than the limit of 2 MiB\n")


# ---- JSON to import: giant, deep and wide, within the limit
@pytest.mark.parametrize("text, first", [
    ("[" * 400_000 + "]" * 400_000,
     "stdin.json:1:33: error[SC401]: not a request: arrays and objects nest more than 32 deep\n"),
    ('{"a":' * 150_000 + "1" + "}" * 150_000,
     "stdin.json:1:161: error[SC401]: not a request: arrays and objects nest more than 32 deep\n"),
    ("[" + ",".join(["{}"] * 100_000) + "]", "stdin.json:1:1: error[SC402]: expected an object, found an array\n"),
])
def test_deep_and_wide_json_gets_a_diagnostic(tmp_path, text, first):
    path = tmp_path / "stdin.json"
    path.write_text(text)
    with open(path, "rb") as stdin:
        done = limited("import", "--stdin-filename", "stdin.json", "-", cwd=tmp_path, stdin=stdin)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(first) and "Traceback" not in done.stderr


# ---- the state, the journal and the key file
def api(command: str, *args: str, cwd: Path, key_file: bool = False) -> subprocess.CompletedProcess:
    """`schedc COMMAND` against a port nobody listens on: each case stops before any request."""
    from submit_support import submit_env

    env = submit_env(None if key_file else "ak_live:3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b:Zx9secretQq7wholeKEY")
    return limited(command, "--base-url", "http://127.0.0.1:9", *args, cwd=cwd, env=env)


@pytest.fixture
def team(tmp_path) -> Path:
    from submit_support import write_team

    return write_team(tmp_path, 1)


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_state_that_is_a_device_is_refused_and_nothing_is_made_beside_it(tmp_path, team, command):
    (tmp_path / "state.json").symlink_to("/dev/null")
    for state in ("/dev/null", "state.json"):
        done = api(command, "--state", state, "team", cwd=tmp_path)
        assert (done.returncode, done.stdout) == (2, "")
        verb = "use" if command == "apply" else "read"
        assert done.stderr == (f"schedc: error: cannot {verb} the state `{state}`: it is a character device, not "
                               "a regular file\n")
    # no lock file and no temporary file beside the state; apply has opened the journal it paces
    # from before it reads the state, as it does on every run
    journal = [".schedc-journal.jsonl"] if command == "apply" else []
    assert sorted(p.name for p in tmp_path.iterdir()) == journal + ["state.json", "team"]
    assert not os.path.exists("/dev/null.lock")


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_a_giant_state_and_a_giant_journal_are_refused(tmp_path, team, command):
    giant(tmp_path / "state.json")
    done = api(command, "--state", "state.json", "team", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "schedc: error: cannot read the state `state.json`: it is larger than the limit of 32 MiB\n")
    giant(tmp_path / "journal.jsonl", 20 << 10)
    done = api(command, "--max-input-size", "1KiB", "--journal", "journal.jsonl", "team", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "schedc: error: cannot read the journal `journal.jsonl`: it is larger than the limit of 16 KiB\n")


@pytest.mark.parametrize("dry_run", [True, False])
def test_submit_refuses_a_giant_journal(tmp_path, team, dry_run):
    giant(tmp_path / "journal.jsonl")
    done = api("submit", *(["--dry-run"] if dry_run else []), "--journal", "journal.jsonl", "team", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("schedc: error: cannot read the journal `journal.jsonl`: it is larger than the limit of "
                           "32 MiB\n")


@pytest.mark.parametrize("command", ["submit", "apply"])
def test_a_key_file_that_is_a_device_or_giant_is_refused(tmp_path, team, command):
    (tmp_path / "key").symlink_to("/dev/zero")
    giant(tmp_path / "huge-key")
    for key, why in (("key", "it is a character device, not a regular file"),
                     ("huge-key", "it is larger than the limit of 2 MiB")):
        done = api(command, "--api-key-file", key, "team", cwd=tmp_path, key_file=True)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == f"schedc: error: cannot read the API key file `{key}`: {why}\n"


def test_a_symlinked_state_takes_the_lock_of_the_file_it_names(tmp_path, team):
    import fcntl

    (tmp_path / "real.json").write_text('{"format": "schedc-state", "version": 1, "servers": {}}\n')
    (tmp_path / "link.json").symlink_to("real.json")
    with open(tmp_path / "real.json.lock", "w") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        done = api("apply", "--auto-approve", "--state", "link.json", "team", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (f"schedc: error: the state `link.json` is in use by another schedc run (it holds "
                           f"`{tmp_path.resolve() / 'real.json.lock'}`); wait for it to finish\n")
    assert not (tmp_path / "link.json.lock").exists()


def test_stale_temporary_files_of_a_killed_run_are_cleaned_and_nothing_else(tmp_path):
    (tmp_path / "ana.sched").write_text(GOOD.replace("Mon-Fri", "Mon - Fri"))  # fmt rewrites it
    hour_ago = time.time() - 3600
    names = {".schedc-k1ll3d0n.tmp": "old", ".schedc-wr1t1ng0.tmp": "new", ".schedc-short.tmp": "old",
             "schedc-n0td0t00.tmp": "old"}
    for name, age in names.items():
        (tmp_path / name).write_text("half a file")
        if age == "old":
            os.utime(tmp_path / name, (hour_ago, hour_ago))
    (tmp_path / "victim").write_text("not ours")
    (tmp_path / ".schedc-l1nk0000.tmp").symlink_to("victim")
    os.utime(tmp_path / ".schedc-l1nk0000.tmp", (hour_ago, hour_ago), follow_symlinks=False)
    done = limited("fmt", "ana.sched", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".schedc-l1nk0000.tmp", ".schedc-short.tmp", ".schedc-wr1t1ng0.tmp", "ana.sched", "schedc-n0td0t00.tmp",
        "victim"]
    assert (tmp_path / "victim").read_text() == "not ours"


def test_a_state_and_a_journal_nested_past_the_stack_are_read_as_what_they_are(tmp_path, team):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "state.json").write_text('{"format": "schedc-state", "version": 1, "servers": ' + deep + "}")
    done = api("plan", "--state", "state.json", "team", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "schedc: error: the state `state.json` is damaged: it is nested too "
                                                 "deep to read; restore it from version control or a backup (see "
                                                 "docs/apply.md, \"Losing the state\")\n")
    (tmp_path / "journal.jsonl").write_text(deep + "\n")  # a line that is no entry of schedc's is passed over
    done = api("submit", "--dry-run", "--journal", "journal.jsonl", "team", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("# team/person00.sched\nPOST http://127.0.0.1:9/v4/user\n")
    assert done.stderr.endswith("dry run: 1 request would be sent to http://127.0.0.1:9; nothing was sent\n")


def test_the_sandbox_refuses_a_giant_request_body_unread_and_keeps_serving(sandbox):
    # it read whatever Content-Length promised: a client could make it hold any amount
    from urllib.parse import urlsplit

    address = urlsplit(sandbox.url)
    for length, status in (("10485760", 413), ("-5", 400), ("x1", 400)):
        with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
            connection.sendall(f"POST /v4/user HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n".encode())
            answer = b""
            while chunk := connection.recv(65536):  # the sandbox closes the connection after answering
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.split(b"\r\n")[0].split(b" ", 2)[1] == str(status).encode(), head
        assert json.loads(body)["statusCode"] == status
    assert sandbox.requests() == []  # nothing was taken for an API request
    assert sandbox.http.get("/_sandbox/users").status_code == 200


# ---- the inputs and outputs added since: saved plans, `extend`, check --fix, outputs into FIFOs
@pytest.mark.parametrize("args", [["plan", "--state", "state.json", "-o", "out", "ana.sched"],
                                  ["compile", "-o", "out", "ana.sched"], ["explain", "--svg", "out", "ana.sched"]])
def test_an_output_that_is_a_fifo_nothing_reads_is_refused_rather_than_waited_on(tmp_path, args):
    # a plain open of a FIFO for writing waits for a reader: `plan -o` hung for ever
    (tmp_path / "ana.sched").write_text(GOOD)
    os.mkfifo(tmp_path / "out")
    done = limited(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.endswith("schedc: error: cannot write `out`: it is a FIFO (a named pipe) that nothing reads "
                                "from\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ana.sched", "out"]  # no temporary file, no state
    assert (tmp_path / "out").is_fifo()


def test_an_output_into_a_fifo_someone_reads_is_written(tmp_path):
    (tmp_path / "ana.sched").write_text(GOOD)
    os.mkfifo(tmp_path / "out")
    reader = subprocess.Popen(["cat", str(tmp_path / "out")], stdout=subprocess.PIPE)
    try:
        done = limited("compile", "-o", "out", "ana.sched", cwd=tmp_path)
        got = reader.communicate(timeout=120)[0]
    finally:
        reader.kill()
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(got)["email"] == "ana@example.com"
    assert (tmp_path / "out").is_fifo()


@pytest.mark.parametrize("kind", ["zero", "giant"])
def test_a_saved_plan_that_is_a_device_or_giant_is_refused_by_show_and_apply(tmp_path, kind):
    if kind == "zero":
        (tmp_path / "team.plan").symlink_to("/dev/zero")
        why = "it is a character device, not a regular file"
    else:
        giant(tmp_path / "team.plan")
        why = "it is larger than the limit of 32 MiB"
    done = limited("show", "team.plan", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"schedc: error: cannot read `team.plan`: {why}\n")
    done = api("apply", "--auto-approve", "team.plan", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"schedc: error: cannot read `team.plan`: {why}\n")


@pytest.mark.parametrize("command", [["check", "--fix"], ["fmt"]])
def test_rewriting_commands_leave_a_device_alone_and_rewrite_the_other_files(tmp_path, command):
    (tmp_path / "zero.sched").symlink_to("/dev/zero")
    giant(tmp_path / "big.sched")
    (tmp_path / "ana.sched").write_text(GOOD.replace("Europe/London", "Europe/Londn") if command[0] == "check"
                                        else GOOD.replace("Mon-Fri", "Mon - Fri"))
    done = limited(*command, "zero.sched", "big.sched", "ana.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert "schedc: error: cannot read `zero.sched`: it is a character device, not a regular file\n" in done.stderr
    assert too_large("big.sched") in done.stderr
    rewritten = (tmp_path / "ana.sched").read_text()  # the other file was rewritten
    assert "tz Europe/London\nMon-Fri 09:00-17:00\n" in rewritten
    assert os.readlink(tmp_path / "zero.sched") == "/dev/zero" and (tmp_path / "big.sched").stat().st_size == 1 << 30


@pytest.mark.parametrize("name", ["schedc.toml", "pyproject.toml"])
def test_a_configuration_file_that_is_a_directory_is_refused_by_name(tmp_path, name):
    # it was passed over, and the run went on without the settings the project meant to give
    (tmp_path / name).mkdir()
    (tmp_path / "ana.sched").write_text(GOOD)
    done = limited("check", "ana.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, f"{name}: error[SC500]: cannot read the configuration file: it is a directory, not a regular file\n\n"
           f"schedc: error: fix the configuration in `{name}` (or pass --no-config)\n")


@pytest.mark.parametrize("target, why", [
    ("/dev/zero", "it is a character device, not a regular file"),
    ("fifo.toml", "it is a FIFO (a named pipe), not a regular file"),
    ("folder", "it is a directory, not a regular file"),
    ("big.toml", "it is larger than the limit of 2 MiB"),
])
def test_extend_naming_what_is_no_regular_file_is_refused_by_name(tmp_path, target, why):
    # it said "there is no file `/dev/zero`" for a device that is there
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "folder").mkdir()
    giant(tmp_path / "big.toml")
    (tmp_path / "schedc.toml").write_text(f'extend = "{target}"\n')
    (tmp_path / "ana.sched").write_text(GOOD)
    done = limited("check", "ana.sched", cwd=tmp_path)
    shown = os.path.relpath(tmp_path / target, tmp_path)  # as the file is shown: relative to where schedc runs
    assert (done.returncode, done.stderr) == (
        2, f"{shown}: error[SC500]: cannot read the configuration file: {why}\n\n"
           "schedc: error: fix the configuration in `schedc.toml` (or pass --no-config)\n")


def test_a_chain_of_extend_is_read_to_a_bounded_depth(tmp_path):
    # a chain of 3,000 files ended in `internal error: RecursionError`
    for n in range(1, 3001):
        (tmp_path / f"c{n}.toml").write_text(f'extend = "c{n + 1}.toml"\n')
    (tmp_path / "c3001.toml").write_text("strict = true\n")
    (tmp_path / "schedc.toml").write_text('extend = "c1.toml"\n')
    (tmp_path / "ana.sched").write_text(GOOD)
    done = limited("check", "ana.sched", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        2, "c15.toml:1:10: error[SC503]: `extend`: `c16.toml` would be file 17 of a chain of `extend`, and at most "
           "16 are read\n"
           "  |\n"
           '1 | extend = "c16.toml"\n'
           "  |          ^^^^^^^^^^\n"
           "  |\n"
           "help: name a schedc.toml (or a pyproject.toml with a [tool.schedc] table), relative to this file\n\n"
           "schedc: error: fix the configuration in `schedc.toml` (or pass --no-config)\n")


def test_a_circle_of_extend_is_shown_in_the_file_that_closes_it(tmp_path):
    # the excerpt quoted the first file's line under the second file's name
    (tmp_path / "schedc.toml").write_text('extend = "b.toml"\n')
    (tmp_path / "b.toml").write_text('# shared\nextend = "schedc.toml"\n')
    (tmp_path / "ana.sched").write_text(GOOD)
    done = limited("check", "ana.sched", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("b.toml:2:10: error[SC503]: `extend`: `schedc.toml` extends this file again: the "
                                  "files extend each other in a circle\n"
                                  "  |\n"
                                  '2 | extend = "schedc.toml"\n')


@pytest.mark.parametrize("kind, why", [("zero", "it is a character device, not a regular file"),
                                       ("fifo", "it is a FIFO (a named pipe), not a regular file"),
                                       ("folder", "it is a directory, not a regular file")])
def test_the_language_server_refuses_a_configuration_that_is_no_regular_file_by_name(tmp_path, kind, why):
    # it said "no such file" of a device that is there
    {"zero": lambda p: p.symlink_to("/dev/zero"), "fifo": os.mkfifo, "folder": Path.mkdir}[kind](tmp_path / "c.toml")
    done = limited("--config", "c.toml", "lsp", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"schedc: error: --config: cannot read `c.toml`: {why}\n"


def test_a_user_listing_that_never_ends_is_given_up(tmp_path):
    # each answer is bounded, but a server that always sends another full page of new users was
    # read for ever (`apply --if-exists adopt`, submit's look-up of an uncertain user), memory growing
    import asyncio

    from submit_support import UserPages

    from schedc.meetergo import Failed, list_users_async

    server = UserPages(None)
    try:
        found = asyncio.run(list_users_async(api_key="ak_live:3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b:Zx9secretQq7",
                                             base_url=server.url, page_size=1000, until=lambda user: False))
    finally:
        server.close()
    assert isinstance(found, Failed)
    assert found.reason == ("`GET /v4/user` listed more than 20,000 users without coming to an end; schedc reads "
                            "no further")
    assert len(server.asked) == 21
