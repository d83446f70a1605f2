"""Shared helpers: run the real `schedc` command as a subprocess."""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# The commands the tests start run as on a user's machine, where Python keeps compiled
# bytecode: without it every one of the several hundred `schedc` processes would compile the
# whole package from source again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
compileall.compile_dir(str(ROOT / "schedc"), quiet=1)


def run_schedc(*args: str, stdin: str | bytes | None = None, cwd: Path | str | None = None,
               env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m schedc ARGS` with stdout/stderr captured as text; NO_COLOR unset, no TTY."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.update(env or {})
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run([sys.executable, "-m", "schedc", *args], input=data, capture_output=True,
                          cwd=cwd or ROOT, env=full_env, timeout=60)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.fixture
def schedc():
    return run_schedc
