"""Shared helpers: run the real `schedc` command as a subprocess."""

from __future__ import annotations

import atexit
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# The commands the tests start run as on a user's machine, where Python keeps compiled
# bytecode: without it every one of the several hundred `schedc` processes would compile the
# whole package from source again. The bytecode goes to a temporary directory of this run
# (PYTHONPYCACHEPREFIX), so the tests write nothing into the checkout.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
_PYCACHE = tempfile.mkdtemp(prefix="schedc-tests-bytecode-")
atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)
os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix = _PYCACHE
compileall.compile_dir(str(ROOT / "schedc"), quiet=1)

# Hypothesis keeps the examples it found, and caches of its own, under a storage directory;
# keep it in this run's temporary directory too, rather than in `.hypothesis/` of the checkout.
set_hypothesis_home_dir(os.path.join(_PYCACHE, "hypothesis"))
settings.register_profile("schedc", database=DirectoryBasedExampleDatabase(os.path.join(_PYCACHE, "hypothesis",
                                                                                        "examples")))
settings.load_profile("schedc")


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
