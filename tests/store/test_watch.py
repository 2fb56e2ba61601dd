"""The system reports other programs' writes to the data file (store/watch.py): the open
dashboard is told at once, and is not woken by anything else in the folder."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.store.watch import FileWatch

PATIENCE = 10.0
QUIET = 0.6  # long enough for any event to arrive (they come within milliseconds)


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self._event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self._event.set()

    def wait(self, timeout: float = PATIENCE) -> bool:
        seen = self._event.wait(timeout)
        self._event.clear()
        return seen

    def settle(self) -> None:
        """Wait until no more calls come (a write makes several events), then forget them."""
        while self.wait(QUIET):
            pass
        self.count = 0


def watched(data_dir: Path) -> tuple[FileWatch, Calls]:
    Store(data_dir).put_settings({"a": 1})
    calls = Calls()
    watch = FileWatch(data_dir / DATA_FILE, calls)
    assert watch.start()
    assert watch.running
    return watch, calls


def test_a_write_by_another_program_is_reported(data_dir: Path) -> None:
    watch, calls = watched(data_dir)
    try:
        code = f"from espace_tui.store.repository import Store; Store({str(data_dir)!r}).put_settings({{'a': 2}})"  # noqa: E501
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        assert calls.wait(), "the other program's write was not reported"
    finally:
        watch.stop()


def test_the_file_removed_or_replaced_is_reported(data_dir: Path) -> None:
    watch, calls = watched(data_dir)
    path = data_dir / DATA_FILE
    try:
        kept = path.read_bytes()
        path.unlink()
        assert calls.wait(), "the removal was not reported"
        calls.settle()
        beside = data_dir / "arrive.tmp"
        beside.write_bytes(kept)
        calls.settle()  # a file beside it: no call expected, but let any come and go
        os.replace(beside, path)  # how a save lands: written beside, then renamed
        assert calls.wait(), "the replacement was not reported"
    finally:
        watch.stop()


def test_reads_and_other_files_in_the_folder_are_not_reported(data_dir: Path) -> None:
    watch, calls = watched(data_dir)
    try:
        calls.settle()
        (data_dir / DATA_FILE).read_bytes()  # every reload reads it: no wake for that
        (data_dir / "notes.txt").write_text("autre chose", encoding="utf-8")
        (data_dir / "notes.txt").unlink()
        assert not calls.wait(QUIET)
        assert calls.count == 0
    finally:
        watch.stop()


def test_stop_ends_the_watch_threads(data_dir: Path) -> None:
    before = threading.active_count()
    watch, _ = watched(data_dir)
    assert threading.active_count() > before
    watch.stop()
    deadline = time.monotonic() + PATIENCE
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before
    assert not watch.running


def test_a_folder_that_cannot_be_watched_says_so(tmp_path: Path) -> None:
    watch = FileWatch(tmp_path / "absent" / DATA_FILE, lambda: None)
    assert not watch.start()
    assert not watch.running
    watch.stop()  # harmless
