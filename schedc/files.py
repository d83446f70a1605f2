"""Reading and writing files: every input through one bounded reader, every output whole or
not at all.

Reading: whatever schedc reads (a `.sched` file, stdin, imported JSON, the configuration, the
state, the journal, the key file, a document in the editor) is read in chunks under a size
limit, so an endless or giant input is refused before it costs memory, and only a regular file
is opened at all: a device (`/dev/zero`), a FIFO, a socket or a directory is refused by name,
symlinks being followed and judged by what they point at. Stdin, which is a pipe by nature, is
read under the same limit.

Writing: a crash or a full disk never leaves half of a file, and nothing that is not a regular
file is ever replaced.
"""

from __future__ import annotations

import errno
import os
import stat

DEFAULT_LIMIT = 2 * 1024 * 1024  # bytes: a thousand times a large schedule, and a few hundred MB of memory to check
GROWING = 16  # the state and the journal, which grow with the team, may be this many times the limit
CHUNK = 64 * 1024


class NotARegularFile(OSError):
    """The path names a directory, a device, a FIFO or a socket."""


class TooLarge(OSError):
    """The input holds more than the limit allows; `limit` is that limit in bytes."""

    def __init__(self, limit: int):
        super().__init__(f"it is larger than the limit of {size_text(limit)}")
        self.strerror, self.limit = str(self), limit


# ---- paths written in files: relative to the file's folder, so that any directory reads them alike
def written_from(path: str, folder: str) -> str:
    """A path as this run names it (relative to the current directory), as a file kept in
    `folder` writes it: relative to that folder, with `/` between names (absolute when it is
    on another drive). The configuration, the state, the journal and a saved plan all name
    files so, and any command reads them alike wherever it runs."""
    absolute = os.path.abspath(path)
    try:
        return os.path.relpath(absolute, folder).replace(os.sep, "/")
    except ValueError:  # on another drive
        return absolute


def read_from(path: str, folder: str) -> str:
    """A path that a file kept in `folder` names (relative to that folder, or absolute), as
    this run names it: relative to the current directory (absolute when that is impossible)."""
    joined = os.path.normpath(os.path.join(folder, path))
    try:
        return os.path.relpath(joined)
    except ValueError:  # on another drive
        return joined


def folder_of(path: str) -> str:
    """The absolute folder a file (named relative to the current directory) is kept in."""
    return os.path.dirname(os.path.abspath(path))


def same_path(first: str, second: str) -> bool:
    """Whether two paths, each relative to the current directory or absolute, name one file."""
    return os.path.normcase(os.path.abspath(first)) == os.path.normcase(os.path.abspath(second))


# ---- reading
def read(path: str, limit: int) -> bytes:
    """The bytes of the regular file at `path` (a symlink is followed), at most `limit` of them.

    Raises `NotARegularFile` (without opening it: opening a FIFO waits for a writer, and a
    device may act on being opened), `TooLarge`, or any other OSError of opening and reading.
    """
    _regular(os.stat(path).st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
        _regular(status.st_mode)  # what was opened, should the path have changed since
        if status.st_size > limit:
            raise TooLarge(limit)
        return _chunks(lambda size: os.read(fd, size), limit)
    finally:
        os.close(fd)


def read_stream(stream, limit: int) -> bytes:
    """At most `limit` bytes of a binary stream (stdin), read to its end; TooLarge past that."""
    return _chunks(stream.read, limit)


def _chunks(read_some, limit: int) -> bytes:
    """Read with `read_some(size)` until it returns nothing, holding at most `limit` + 1 bytes."""
    data = bytearray()
    while True:
        chunk = read_some(min(CHUNK, limit + 1 - len(data)))
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise TooLarge(limit)


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(not_a_file(mode))


def not_a_file(mode: int) -> str:
    """`it is a character device, not a regular file`: why a path is refused, in words."""
    for test, words in ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
                        (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (a named pipe)"),
                        (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return f"it is {words}, not a regular file"
    return "it is not a regular file"


def size_text(size: int) -> str:
    """`2 MiB`, `512 KiB`, `1,000 bytes`: a size as written in messages and documentation."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale:,} {unit}"
    return f"{size:,} bytes" if size != 1 else "1 byte"


def parse_size(text: str) -> int:
    """`2MiB`, `512 KiB`, `3MB`, `1000000`: a number of bytes. ValueError for anything else."""
    import re

    match = re.fullmatch(r"\s*(\d{1,15})\s*(b|bytes?|kb|kib|mb|mib|gb|gib)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"`{text}` is not a size")
    scale = {"kb": 1000, "kib": 1 << 10, "mb": 1000 ** 2, "mib": 1 << 20, "gb": 1000 ** 3, "gib": 1 << 30}
    size = int(match.group(1)) * scale.get((match.group(2) or "b").lower(), 1)
    if size < 1:
        raise ValueError("the size must be at least 1 byte")
    return size


# ---- writing


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
        _write_into(target, text)
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
    clean_stale(directory)


def _write_into(target: str, text: str) -> None:
    """Write `text` into a device or a FIFO that exists. Opened without waiting: a FIFO nobody
    reads from would hold a plain `open` for ever, so it is refused instead (ENXIO); once open,
    the writes wait as usual for a reader that is slow."""
    flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO and stat.S_ISFIFO(os.stat(target).st_mode):
            raise NotARegularFile(errno.ENXIO, "it is a FIFO (a named pipe) that nothing reads from") from None
        raise
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", closefd=False) as handle:
            handle.write(text)
    finally:
        os.close(fd)


# ---- locking
_FAR = 0x7FFFFFFF  # where the Windows lock sits: past any end, so it never blocks a reader


def lock(fd: int) -> bool:
    """Take an exclusive lock on the open file `fd` without waiting: True when taken, False when
    another run holds it. The lock lasts until `fd` is closed. POSIX has `flock`; Windows locks
    one byte far past the end of the file, which keeps the file itself readable."""
    try:
        import fcntl
    except ImportError:
        return _lock_windows(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held by another run (or no locks on this file system: take it as held)
        return False
    return True


def _lock_windows(fd: int) -> bool:
    import msvcrt

    position = os.lseek(fd, 0, os.SEEK_CUR)
    try:
        os.lseek(fd, _FAR, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    finally:
        os.lseek(fd, position, os.SEEK_SET)
    return True


STALE = 15 * 60  # seconds: a temporary file older than this was left by a run that was killed
_TEMPORARY = r"\.schedc-[A-Za-z0-9_]{8}\.tmp"  # what `tempfile.mkstemp` names ours in `replace`
_cleaned: set[str] = set()


def clean_stale(directory: str) -> None:
    """Delete the temporary files a killed run left in `directory` (once per directory and run).
    Only ours (named as `replace` names them, owned by this user), only
    regular files (a symlink so named is left alone), only those older than `STALE`: another run
    may be writing its own right now."""
    import re
    import time

    key = os.path.abspath(directory)
    if key in _cleaned:
        return
    _cleaned.add(key)
    try:
        names = [name for name in os.listdir(directory) if re.fullmatch(_TEMPORARY, name)]
    except OSError:
        return
    old = time.time() - STALE
    for name in names:
        path = os.path.join(directory, name)
        try:
            status = os.lstat(path)
            if (stat.S_ISREG(status.st_mode) and status.st_mtime < old
                    and status.st_uid == getattr(os, "geteuid", lambda: status.st_uid)()):
                os.unlink(path)
        except OSError:  # gone already, or not ours to delete
            continue


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


__all__ = ["DEFAULT_LIMIT", "GROWING", "NotARegularFile", "TooLarge", "clean_stale", "not_a_file", "parse_size", "read",
           "read_stream", "replace", "size_text"]
