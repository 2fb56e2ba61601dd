"""One dashboard per data folder: a lock held while a dashboard runs.

Separate from the store's short write lock (Store.transaction): CLI commands keep working
while a dashboard is open; only a second dashboard is told the data is already open.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from datetime import datetime
from pathlib import Path

from espace_tui.domain.clock import PARIS
from espace_tui.store.files import open_own
from espace_tui.store.lock import LockTimeout, OwnLock
from espace_tui.store.paths import DASHBOARD_LOCK, DIR_MODE

LOCK_NAME = DASHBOARD_LOCK


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        # filelock would create a missing folder with the default 0755: create it private.
        Path(data_dir).mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        self._path = Path(data_dir) / LOCK_NAME
        self._info = Path(data_dir) / f"{LOCK_NAME}.holder"
        # Opened without following a link, 0600 like every file of the data folder.
        self._lock = OwnLock(self._path, timeout=0)

    def acquire(self) -> bool:
        """True when this process now holds the lock; False when another dashboard does."""
        try:
            self._lock.acquire()
        except LockTimeout:
            return False
        holder = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(PARIS).isoformat(timespec="seconds"),
        }
        with contextlib.suppress(Exception):  # only informative (a link is not followed)
            fd = open_own(self._info, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(json.dumps(holder))
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            with contextlib.suppress(OSError):
                self._info.unlink()
            self._lock.release()

    def holder_message(self) -> str:
        try:
            holder = json.loads(self._info.read_text(encoding="utf-8"))
            who = (
                f" (processus {holder['pid']} sur {holder['host']}, "
                f"ouvert à {holder['since'][11:16]})"
            )
        except (OSError, ValueError, KeyError, TypeError):
            who = ""
        return (
            f"Ces données sont déjà ouvertes dans un autre tableau de bord{who}. "
            "Celui-ci s'ouvre en lecture seule : consultez, mais modifiez depuis l'autre fenêtre "
            "(ou fermez-la puis relancez espace-tui)."
        )
