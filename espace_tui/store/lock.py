"""Advisory locks on the program's own sidecar files, never through a symbolic link.

A small flock(2) lock rather than filelock's: the lock file is opened with O_NOFOLLOW, so a
link planted under its name is refused instead of followed and truncated. Re-entrant within
one object (a write may migrate an older file under the same lock). Each holder writes who
it is next to the lock, so the one kept waiting is told which program holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from espace_tui.domain.clock import PARIS
from espace_tui.store.files import open_own

_POLL = 0.05


class LockTimeout(Exception):
    """The lock stayed held by another process for the whole timeout."""


class OwnLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.holder_path = Path(f"{self.path}.holder")
        self._fd: int | None = None
        self._depth = 0
        # Threads of one process queue here first (flock alone would let them share it).
        self._threads = threading.RLock()

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> None:
        """StoreSymlinkError for a link, OSError from the disk, LockTimeout when held."""
        wait = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        if not self._threads.acquire(timeout=max(wait, 0)):
            raise LockTimeout(str(self.path))
        if self._fd is not None:  # this thread already holds it
            self._depth += 1
            return
        try:
            fd = open_own(self.path, os.O_RDWR | os.O_CREAT)
        except BaseException:
            self._threads.release()
            raise
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(str(self.path)) from None
                    time.sleep(_POLL)
        except BaseException:
            os.close(fd)
            self._threads.release()
            raise
        self._fd, self._depth = fd, 1
        self._write_holder()

    def release(self) -> None:
        if self._fd is None:
            return
        self._depth -= 1
        if self._depth:
            self._threads.release()
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
            self._threads.release()

    def _write_holder(self) -> None:
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "command": " ".join(os.path.basename(a) for a in sys.argv[:2]) or "espace-tui",
            "since": datetime.now(PARIS).isoformat(timespec="seconds"),
        }
        with contextlib.suppress(Exception):  # only informative (a link there is not followed)
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            with os.fdopen(open_own(self.holder_path, flags), "w", encoding="utf-8") as handle:
                handle.write(json.dumps(holder))

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lock now, as it wrote itself; None when unknown or stale."""
        try:
            with os.fdopen(open_own(self.holder_path, os.O_RDONLY), encoding="utf-8") as handle:
                holder = json.loads(handle.read())
            pid = int(holder["pid"])
        except Exception:  # a missing, damaged or linked holder file: say nothing specific
            return None
        if holder.get("host") == socket.gethostname() and not _alive(pid):
            return None  # written by a program that has ended: not the one holding it now
        return holder if isinstance(holder, dict) else None

    def holder_text(self) -> str | None:
        holder = self.holder()
        if holder is None:
            return None
        try:
            return (
                f"« {holder['command']} » (processus {holder['pid']} sur {holder['host']}, "
                f"depuis {str(holder['since'])[11:19]})"
            )
        except KeyError:
            return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
