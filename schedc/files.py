"""Writing a file so that a crash or a full disk never leaves half of it, and nothing that is
not a regular file is ever replaced."""

from __future__ import annotations

import os
import stat


class NotARegularFile(OSError):
    """The path names a directory, a device, a FIFO or a socket."""


def replace(path: str, text: str, *, into_devices: bool = False) -> None:
    """Write `text` (UTF-8, `\\n` line ends) to `path` whole or not at all.

    A regular file (or a path that does not exist yet) is replaced by writing beside it, then
    renaming, then making the rename durable. A symlink is followed and its target replaced, so
    the link stays a link. Anything else raises `NotARegularFile`, unless `into_devices`, when a
    device or FIFO (`/dev/null`, a pipe) is written into directly: renaming over a device would
    turn it into a regular file, which as root breaks the whole machine. Raises OSError.
    """
    import tempfile

    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode) or not into_devices:
            raise NotARegularFile(f"it is {'a directory' if stat.S_ISDIR(mode) else 'not a regular file'}")
        with open(target, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        return
    directory = os.path.dirname(target) or "."
    temporary = None
    try:
        fd, temporary = tempfile.mkstemp(prefix=".schedc-", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())  # mkstemp makes 0600
        os.replace(temporary, target)
        temporary = None
        _fsync_directory(directory)
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


def _new_file_mode() -> int:
    """What a new file gets under the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable (where the platform allows opening a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["NotARegularFile", "replace"]
