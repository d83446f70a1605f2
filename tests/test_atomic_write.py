"""`compile -o` (and `fmt`, which shares the writer) replace files atomically with ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest


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


def test_compile_into_dev_null_leaves_it_a_device(schedc):
    done = schedc("compile", "examples/seed/custom.sched", "-o", os.devnull)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_compile_into_dev_full_is_a_clear_error_and_leaves_it_a_device(schedc):
    if not os.path.exists("/dev/full"):
        pytest.skip("this system has no /dev/full")
    done = schedc("compile", "examples/seed/custom.sched", "-o", "/dev/full")
    assert done.returncode == 2
    assert "cannot write `/dev/full`" in done.stderr
    assert "Traceback" not in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_compile_into_a_fifo_writes_through_it(tmp_path, schedc):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = schedc("compile", "examples/seed/custom.sched", "-o", str(fifo))
    reader.join(timeout=30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"{\n")


def test_compile_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path, schedc):
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    done = schedc("compile", "examples/seed/custom.sched", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert target.read_text().startswith("{\n")


def test_compile_into_a_directory_is_refused(tmp_path, schedc):
    done = schedc("compile", "examples/seed/custom.sched", "-o", str(tmp_path))
    assert done.returncode == 2
    assert "is a directory" in done.stderr
