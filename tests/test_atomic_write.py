"""`compile -o` (and `fmt`, which shares the writer) replace files atomically with ordinary permissions."""

from __future__ import annotations

import os
import stat


def test_compile_output_file_gets_ordinary_permissions(tmp_path, schedc):
    out = tmp_path / "out.json"
    previous = os.umask(0o022)
    try:
        done = schedc("compile", "examples/seed/custom.sched", "-o", str(out))
    finally:
        os.umask(previous)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_compile_output_keeps_the_mode_of_the_file_it_replaces(tmp_path, schedc):
    out = tmp_path / "out.json"
    out.write_text("old\n")
    out.chmod(0o664)
    done = schedc("compile", "examples/seed/custom.sched", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert out.read_text().startswith("{\n")
