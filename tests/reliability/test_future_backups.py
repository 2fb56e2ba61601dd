"""Backups are chosen and rotated by the data they hold, never by a date in their name: one
write under a clock set to 2099 must not make that backup win every later restore, nor
escape rotation."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.store import backups
from espace_tui.store.repository import Store
from espace_tui.store.restore import find_backup
from tests.conftest import NOW

FUTURE = datetime(2099, 1, 1, 12, 0, tzinfo=PARIS)


def _write(data_dir: Path, clock: FrozenClock, value: int, system_time: datetime) -> None:
    """One change; the backup it takes gets the system's time of that moment."""
    before = {b.path for b in backups.list_backups(data_dir)}
    Store(data_dir, clock=clock).put_settings({"n": value})
    for backup in backups.list_backups(data_dir):
        if backup.path not in before:
            os.utime(backup.path, (system_time.timestamp(), system_time.timestamp()))


def _held(backup: backups.Backup) -> int:
    value: int = json.loads(backup.path.read_bytes())["settings"]["1"]["n"]
    return value


def test_a_backup_named_in_2099_neither_wins_nor_stays(
    data_dir: Path, figures: Callable[[str], None]
) -> None:
    clock = FrozenClock(NOW)
    _write(data_dir, clock, 0, NOW)
    _write(data_dir, clock, 1, NOW)  # day 1: a backup holding n=0
    future = FrozenClock(FUTURE)  # one command run with a clock (and disk) in 2099
    _write(data_dir, future, 2, FUTURE)  # its backup, named 2099-01-01, holds n=1
    assert (backups.backup_dir(data_dir) / "espace-tui-2099-01-01.json").exists()
    tried = 0
    for day in range(1, 20):
        clock.advance(timedelta(days=1))
        _write(data_dir, clock, 2 + day, clock.now())  # the day's backup holds the day before
        newest = backups.newest_backup(data_dir)
        assert newest is not None and _held(newest) == 1 + day, day  # the latest data
        assert find_backup(data_dir, None) == newest.path  # what plain `restore` takes
        tried += 1
    names = [b.path.name for b in backups.list_backups(data_dir)]
    assert "espace-tui-2099-01-01.json" not in names  # rotated like any other
    assert len(names) == backups.KEEP_DAILY
    figures(
        f"1 backup named 2099-01-01 (disk clock 2099 too), then {tried} days of writes: "
        f"newest always the latest data, the 2099 one rotated away, {len(names)} kept"
    )


def test_order_follows_the_saved_data_not_the_name(data_dir: Path) -> None:
    clock = FrozenClock(NOW)
    _write(data_dir, clock, 0, NOW)
    clock.advance(timedelta(days=1))
    _write(data_dir, clock, 1, clock.now())
    (real,) = backups.list_backups(data_dir)
    forged = real.path.with_name("espace-tui-2099-12-31.json")
    forged.write_bytes(
        json.dumps(
            {
                "_meta": {"1": {"schema_version": 1, "saved_at": NOW.isoformat()}},
                "settings": {"1": {"n": -1}},
            }
        ).encode()
    )
    os.utime(forged, (NOW.timestamp() - 86400,) * 2)
    newest = backups.newest_backup(data_dir)
    assert newest is not None and newest.path == real.path
