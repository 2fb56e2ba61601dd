"""Being told when the data file may have changed, instead of looking every second.

An open dashboard must see what another program (a CLI command, another cabinet tool)
wrote. Checking the file every second woke an idle dashboard every second, and each wake
cost more than everything else it did all day. The system says when a file changes
(inotify, FSEvents, ReadDirectoryChangesW, through watchdog): its threads sleep until then.

The callback runs on watchdog's thread: it must only hand the news over (Textual's
`post_message` is thread-safe). Changes the system does not report (a folder on a network
share, a machine woken from sleep) are still seen by the dashboard's slow check.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

# What a write, a replacement (write then rename) or a removal produces. Not opened nor
# closed-without-writing: every read of the file (ours included) would wake the dashboard.
_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    FileClosedEvent,
    DirDeletedEvent,  # the folder itself removed or moved away
    DirMovedEvent,
]


class _Handler(FileSystemEventHandler):
    def __init__(self, folder: Path, name: str, changed: Callable[[], None]) -> None:
        self._folder = os.fsdecode(folder)
        self._name = name
        self._changed = changed

    def _concerns(self, path: bytes | str) -> bool:
        text = os.fsdecode(path)
        return text == self._folder or os.path.basename(text) == self._name

    def on_any_event(self, event: FileSystemEvent) -> None:
        if self._concerns(event.src_path) or self._concerns(event.dest_path or ""):
            self._changed()


class FileWatch:
    """Calls `changed` (from another thread) when the file at `path` may have changed."""

    def __init__(self, path: Path, changed: Callable[[], None]) -> None:
        self._path = path
        self._changed = changed
        self._observer: BaseObserver | None = None

    @property
    def path(self) -> Path:
        return self._path

    @property
    def running(self) -> bool:
        return self._observer is not None and self._observer.is_alive()

    def start(self) -> bool:
        """False when the system cannot watch the folder (no more watches left, a folder
        gone or unreadable): the caller keeps looking at the file itself."""
        observer = Observer()
        handler = _Handler(self._path.parent, self._path.name, self._changed)
        try:
            observer.schedule(handler, str(self._path.parent), event_filter=_CHANGES)
            observer.start()
        except (OSError, RuntimeError):
            with contextlib.suppress(Exception):  # threads half started: ended
                observer.stop()
            return False
        self._observer = observer
        return True

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None and observer.is_alive():
            observer.stop()
            observer.join(timeout=2)
