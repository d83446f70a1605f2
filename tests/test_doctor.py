"""`schedc doctor` as a subprocess against `schedc sandbox` (and `--strict`) on 127.0.0.1: every
check, each way it fails, and that it sends only GETs and never prints the key."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from conftest import ROOT
from schedc.meetergo import contract
from submit_support import (KEY, KEY_UUID, assert_no_key, sandbox, sandbox_process, strict_sandbox,  # noqa: F401
                            strict_sandbox_process, submit_env, write_user)

COMPANY = str(uuid.uuid5(uuid.NAMESPACE_URL, KEY_UUID))
OWNER = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{COMPANY}/owner"))
NOT_CHECKED = ("\nnot checked: what schedc assumes where the API reference is silent (doctor only reads)\n"
               + "".join(f"  {contract.describe(a)}\n" for a in contract.ASSUMPTIONS))


def doctor(cwd: Path, *args: str, key=KEY, base=None):
    argv = [sys.executable, "-m", "schedc", "doctor", "--backoff", "0.01", *args]
    if base is not None:
        argv += ["--base-url", base]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=submit_env(key), timeout=60)
    assert_no_key(key, done.stdout, done.stderr)
    return done


def checks(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines) + NOT_CHECKED


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_every_check_passes_with_a_platform_key_and_only_documented_gets_are_sent(tmp_path, sandbox, strict_sandbox,
                                                                                   strict):
    box = strict_sandbox if strict else sandbox
    from test_apply import run

    write_user(tmp_path, 0)
    assert run(tmp_path, "apply", "--auto-approve", "person00.sched", base=box.url).code == 0
    before = len(box.requests())
    done = doctor(tmp_path, base=box.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == checks(
        f"ok    base URL     {box.url}: plain http, allowed to a loopback address only  (§1)",
        "ok    key kind     a Platform API Key (`ak_live:…`), from MEETERGO_API_KEY  (§2)",
        f"ok    acting user  GET /v4/user/me: 200, the key acts as owner-{COMPANY[:8]}@example.com (id {OWNER}), "
        "a company admin  (§8, §2)",
        "ok    user list    GET /v4/user: 200, 1 user on the first page  (§8)")
    assert done.stderr == "doctor: all 4 checks passed; nothing was written\n"
    sent = box.requests()[before:]
    assert [(r["method"], r["path"], r["status"]) for r in sent] == [("GET", "/v4/user/me", 200), ("GET", "/v4/user", 200)]
    assert all("x-meetergo-api-user-id" not in {k.lower() for k in r["headers"]} for r in sent)


def test_a_personal_token_fails_the_kind_and_nothing_is_sent(tmp_path, sandbox):
    done = doctor(tmp_path, key="rgo-personal0token0value", base=sandbox.url)
    assert done.returncode == 1
    assert done.stdout == checks(
        f"ok    base URL     {sandbox.url}: plain http, allowed to a loopback address only  (§1)",
        "fail  key kind     a personal access token (`rgo-…`), from MEETERGO_API_KEY: it cannot create or update "
        "users; use a Platform API Key (`ak_live:<uuid>:<secret>`) made by a company owner or admin  (§2)",
        "skip  acting user  GET /v4/user/me: not sent (no key schedc would send)  (§8, §2)",
        "skip  user list    GET /v4/user: not sent (no key schedc would send)  (§8)")
    assert "personal0token0value" not in done.stdout + done.stderr
    assert done.stderr == "doctor: 1 of 2 checks failed; nothing was written\n"
    assert sandbox.requests() == []


@pytest.mark.parametrize("secret, acting, listing", [
    ("expiredKEY42", "HTTP 401 API key has expired: the key is not accepted (mistyped, expired, deactivated or revoked)",
     None),
    ("nosubKEY4242", "HTTP 403 The API Platform subscription is not active for this company: the key may not do this",
     "HTTP 403 The API Platform subscription is not active for this company: the key may not do this"),
])
def test_a_refused_key_fails_its_check(tmp_path, sandbox, secret, acting, listing):
    done = doctor(tmp_path, key=f"ak_live:{KEY_UUID}:{secret}", base=sandbox.url)
    assert done.returncode == 1
    lines = done.stdout.split("\n\n")[0].splitlines()
    assert lines[2] == f"fail  acting user  GET /v4/user/me: {acting}  (§8, §2)"
    assert lines[3] == (f"fail  user list    GET /v4/user: {listing}  (§8)" if listing else
                        "skip  user list    GET /v4/user: not sent (the key was refused)  (§8)")
    assert secret not in done.stdout + done.stderr
    assert len(sandbox.requests()) == (2 if listing else 1)


def test_an_unknown_key_form_fails_the_kind_but_is_still_asked_about(tmp_path, sandbox):
    done = doctor(tmp_path, key="some-other-token-1234", base=sandbox.url)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[1] == "fail  key kind     not a Platform API Key (`ak_live:<uuid>:<secret>`), from MEETERGO_API_KEY  (§2)"
    assert lines[2].startswith("fail  acting user  GET /v4/user/me: HTTP 401 Invalid API key")


def test_plain_http_to_another_host_fails_and_nothing_is_sent(tmp_path):
    done = doctor(tmp_path, base="http://api.example.com")
    assert done.returncode == 1
    assert done.stdout.splitlines()[:4] == [
        "fail  base URL     refusing plain http to `api.example.com`: the key would cross the network unencrypted "
        "(http is allowed only to localhost)  (§1)",
        "ok    key kind     a Platform API Key (`ak_live:…`), from MEETERGO_API_KEY  (§2)",
        "skip  acting user  GET /v4/user/me: not sent (no base URL to send to)  (§8, §2)",
        "skip  user list    GET /v4/user: not sent (no base URL to send to)  (§8)"]


def test_the_key_may_come_from_a_file(tmp_path, sandbox):
    (tmp_path / "key.txt").write_text(KEY + "\n")
    done = doctor(tmp_path, "--api-key-file", "key.txt", key=None, base=sandbox.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1] == "ok    key kind     a Platform API Key (`ak_live:…`), from `key.txt`  (§2)"


@pytest.mark.parametrize("args, key, message", [
    ((), None, "schedc: error: no API key: set MEETERGO_API_KEY or pass --api-key-file PATH\n"),
    (("--api-key-file", "missing.txt"), None,
     "schedc: error: cannot read the API key file `missing.txt`: No such file or directory\n"),
])
def test_without_a_usable_key_doctor_cannot_run(tmp_path, args, key, message):
    done = doctor(tmp_path, *args, key=key, base="https://api.example.com")
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message)


def test_an_api_that_does_not_answer_is_exit_2(tmp_path):
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    done = doctor(tmp_path, "--attempts", "1", base=f"http://127.0.0.1:{port}")
    assert done.returncode == 2
    assert done.stdout.splitlines()[2:] == []
    assert re.fullmatch(r"schedc: error: GET /v4/user/me: no answer after 1 attempt: could not connect.*\n", done.stderr)


def test_a_key_on_the_command_line_is_refused_without_echoing_it(tmp_path):
    done = doctor(tmp_path, "--api-key", KEY, key=None)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.endswith("schedc doctor: error: `--api-key` is not accepted: a key on the command line is "
                                "visible to every user of the machine; set MEETERGO_API_KEY or pass --api-key-file "
                                "PATH\n")


def test_help_shows_examples_and_exit_codes():
    done = subprocess.run([sys.executable, "-m", "schedc", "doctor", "--help"], capture_output=True, text=True,
                          cwd=ROOT, env={**submit_env(None), "COLUMNS": "100"}, timeout=60)
    assert done.returncode == 0
    assert done.stdout.endswith("examples:\n  MEETERGO_API_KEY=… schedc doctor\n"
                                "  schedc doctor --api-key-file ~/.config/meetergo.key\n"
                                "  schedc doctor --base-url http://127.0.0.1:8765\n\n"
                                "exit codes:\n  0  every check passed\n"
                                "  1  a check failed: the base URL, the key's kind, or the server's answer\n"
                                "  2  doctor could not run: no key, an unreadable key file, the API did not answer\n")


def test_the_docs_example_is_what_doctor_prints(tmp_path, sandbox):
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    section = page.split("## `schedc doctor`", 1)[1].split("\n## ", 1)[0]
    command, shown = re.search(r"```text\n\$ (schedc doctor[^\n]*)\n(.*?)```", section, flags=re.S).groups()
    assert command == "schedc doctor --base-url http://127.0.0.1:8765"
    done = doctor(tmp_path, base=sandbox.url)
    printed = done.stdout + done.stderr
    printed = printed.replace(sandbox.url, "http://127.0.0.1:8765").replace(COMPANY[:8], "…").replace(OWNER, "…")
    assert shown == printed
