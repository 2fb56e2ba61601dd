"""The program's own files: read and written without ever following a symbolic link.

A link named like the data file, a lock or a backup could point at any file of the user's:
reading through it would show someone else's data, writing or chmodding through it would
change a file the program does not own. Each such path is refused with a French message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from espace_tui.store.errors import StoreNotAFileError, StoreSymlinkError
from espace_tui.store.paths import FILE_MODE, TEMP_SUFFIX

NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def refuse_link(path: Path) -> None:
    """StoreSymlinkError when `path` is a link, StoreNotAFileError when not a regular file."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise StoreSymlinkError(path)
    if not stat.S_ISREG(st.st_mode):
        raise StoreNotAFileError(path)


def open_own(path: Path, flags: int, mode: int = FILE_MODE) -> int:
    """os.open that refuses a link (ELOOP) and anything but a regular file."""
    try:
        fd = os.open(path, flags | NO_FOLLOW | os.O_NONBLOCK, mode)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise StoreSymlinkError(path) from None
        if err.errno == errno.EISDIR:
            raise StoreNotAFileError(path) from None
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise StoreNotAFileError(path)
    os.set_blocking(fd, True)
    return fd


def read_own(path: Path) -> bytes:
    with os.fdopen(open_own(path, os.O_RDONLY), "rb") as handle:
        return handle.read()


def temp_prefix(path: Path) -> str:
    return f".{path.name}."


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Temp file, fsync, rename: a reader or a crash sees the old file or the new one.

    A link at `path` is refused, not replaced: the user pointed it somewhere on purpose."""
    refuse_link(path)
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    # The rename itself must reach the disk, or a power cut could bring the old file back.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
