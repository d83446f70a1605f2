"""One lock helper (schedc.files.lock) guards the state and the journal: taken once, refused while
another descriptor holds it, released when that one closes; on Windows, a byte past the end."""

from __future__ import annotations

import os
import sys
import types

from schedc import files


def test_a_held_lock_is_refused_until_its_holder_closes(tmp_path):
    path = tmp_path / "state.lock"
    first = os.open(path, os.O_RDWR | os.O_CREAT)
    second = os.open(path, os.O_RDWR)
    try:
        assert files.lock(first) is True
        assert files.lock(second) is False
        os.close(first)
        first = None
        assert files.lock(second) is True
    finally:
        for fd in (first, second):
            if fd is not None:
                os.close(fd)


def test_without_flock_one_byte_far_past_the_end_is_locked_and_the_position_kept(tmp_path, monkeypatch):
    calls = []

    def locking(fd, mode, size):
        calls.append((mode, size, os.lseek(fd, 0, os.SEEK_CUR)))

    fake = types.SimpleNamespace(LK_NBLCK=2, locking=locking)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` fails, as on Windows
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    fd = os.open(tmp_path / "journal", os.O_RDWR | os.O_CREAT)
    try:
        os.write(fd, b"{}\n")
        assert files.lock(fd) is True
        assert calls == [(2, 1, files._FAR)] and os.lseek(fd, 0, os.SEEK_CUR) == 3

        def held(fd, mode, size):
            raise PermissionError(13, "Permission denied")

        fake.locking = held
        assert files.lock(fd) is False and os.lseek(fd, 0, os.SEEK_CUR) == 3
    finally:
        os.close(fd)
