"""The pre-commit hooks: their file pattern, and the real `pre-commit try-repo` against a git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
CANONICAL = "user Ana Lima <ana@example.com> tz Europe/Lisbon\nMon-Fri 09:00-17:00\nmeeting 30min zoom\n"
MESSY = "Mon-Fri 9:00-17:00  ; user Ana Lima <ana@example.com> TZ Europe/Lisbon\n30m ZOOM\n"
BROKEN = "Mon 09:00-12:00, 11:00-13:00 tz UTC\n"


def test_hook_ids_and_entries():
    assert [(h["id"], h["entry"], h["language"]) for h in HOOKS] == [
        ("schedc-check", "schedc check", "python"), ("schedc-fmt", "schedc fmt --errors=brief", "python")]
    assert all("--check" not in h["entry"] for h in HOOKS)  # fmt rewrites; pre-commit sees the change


@pytest.mark.parametrize("name", ["a.sched", "team/john-smith.sched", "x.y.sched"])
def test_file_pattern_matches_schedules(name):
    assert all(re.search(h["files"], name) for h in HOOKS)


@pytest.mark.parametrize("name", ["a.sched.json", "a.schedule", "sched", "a_sched", "a.SCHED.bak"])
def test_file_pattern_skips_other_files(name):
    assert not any(re.search(h["files"], name) for h in HOOKS)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"})


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This project's files, uncommitted changes included, as a one-commit git repository.

    try-repo would make a fresh temporary commit (and so a fresh hook environment) on every
    call for a dirty checkout; one fixed commit lets all calls share one environment.
    """
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: pre-commit needs the hooks in a git repository")
    copy = tmp_path_factory.mktemp("schedc-hooks")
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    git("commit", "-q", "-m", "hooks under test", cwd=copy)
    return copy


@pytest.fixture(scope="module")
def try_repo(hook_repo, tmp_path_factory):
    """`pre-commit try-repo` with every hook of this project (each call builds its hook environment)."""
    home = tmp_path_factory.mktemp("pre-commit-home")

    def run(project: Path, *files: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo),
                               "--color", "never", "--files", *files],
                              cwd=project, env=env, capture_output=True, text=True, timeout=600)

    return run


@pytest.fixture
def project(tmp_path) -> Path:
    for name, text in {"good.sched": CANONICAL, "messy.sched": MESSY, "broken.sched": BROKEN,
                       "notes.txt": BROKEN}.items():
        (tmp_path / name).write_text(text)
    git("init", "-q", cwd=tmp_path)
    git("add", "-A", cwd=tmp_path)
    return tmp_path


def test_hooks_pass_on_good_files(try_repo, project):
    done = try_repo(project, "good.sched", "notes.txt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^schedc check\.+Passed$", done.stdout, re.M)
    assert re.search(r"^schedc fmt\.+Passed$", done.stdout, re.M)


def test_hooks_fail_on_errors_and_fmt_rewrites(try_repo, project):
    done = try_repo(project, "good.sched", "messy.sched", "broken.sched")
    assert done.returncode == 1
    check, fmt = done.stdout.split("\nschedc fmt.")
    assert re.search(r"^schedc check\.+Failed$", check, re.M)
    assert "broken.sched:1:18: error[SC102]" in check
    assert "messy.sched" not in check  # valid, only untidy
    assert re.search(r"\.+Failed$", fmt, re.M)
    assert "files were modified by this hook" in fmt
    assert "reformatted messy.sched" in fmt
    # Each error is printed once, by `check`; `fmt` says in one line that it left the file alone.
    assert "error[SC102]" not in fmt
    assert "\nbroken.sched: not formatted: 1 error (`schedc check` shows them)\n" in fmt
    assert check.count("error[SC102]") == 1
    assert (project / "messy.sched").read_text() == CANONICAL
    assert (project / "broken.sched").read_text() == BROKEN
    assert (project / "good.sched").read_text() == CANONICAL


@pytest.mark.parametrize("page", ["README.md", "docs/pre-commit.md"])
def test_the_documented_config_works_as_written_and_autoupdate_pins_it(page, hook_repo, tmp_path):
    """The snippet's `rev: main` names a branch that exists, and `pre-commit autoupdate` (which
    the page tells a user to run) replaces it with the commit it points at (there is no tag)."""
    text = (ROOT / page).read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(repos:\n.*?)```", text, re.S)[1]
    assert "rev: main" in snippet and "pre-commit autoupdate" in text
    subprocess.run(["git", "update-ref", "refs/heads/main", "HEAD"], cwd=hook_repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True,
                          text=True).stdout.strip()
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(snippet.replace("https://example.com/your-org/schedc", str(hook_repo)), encoding="utf-8")
    git("init", "-q", cwd=tmp_path)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)

    assert pre_commit("validate-config", str(config)).returncode == 0
    done = pre_commit("autoupdate")
    assert done.returncode == 0, done.stdout + done.stderr
    pinned = yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]
    assert pinned["rev"] == head
    assert [hook["id"] for hook in pinned["hooks"]] == ["schedc-fmt", "schedc-check"]
