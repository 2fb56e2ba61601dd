"""Daily backups before the day's first write, the last 14 kept; named ones never rotated."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import FrozenClock
from espace_tui.store import backups
from espace_tui.store.repository import Store
from tests.conftest import NOW


def test_one_backup_a_day_holding_the_previous_state(data_dir: Path, clock: FrozenClock) -> None:
    store = Store(data_dir, clock=clock)
    store.put_settings({"day": 0})  # no file yet: nothing to back up
    assert backups.list_backups(data_dir) == []
    store.put_settings({"day": 0, "again": True})  # same day: the file exists, backed up once
    store.put_settings({"day": 0, "again": 2})
    (first,) = backups.list_backups(data_dir)
    assert json.loads(first.path.read_bytes())["settings"]["1"] == {"day": 0}
    clock.advance(timedelta(days=1))
    store.put_settings({"day": 1})
    newest = backups.newest_backup(data_dir)
    assert newest is not None and newest.taken_at.date() == clock.now().date()
    assert json.loads(newest.path.read_bytes())["settings"]["1"] == {"day": 0, "again": 2}
    assert (newest.path.stat().st_mode & 0o777) == 0o600
    assert (backups.backup_dir(data_dir).stat().st_mode & 0o777) == 0o700


def test_the_last_14_daily_backups_are_kept(data_dir: Path, clock: FrozenClock) -> None:
    store = Store(data_dir, clock=clock)
    store.put_settings({"n": 0})
    kept_named = backups.take_named(store.path, NOW.replace(tzinfo=None), "avant-migration-v1")
    for day in range(1, 21):
        clock.advance(timedelta(days=1))
        store.put_settings({"n": day})
    found = backups.list_backups(data_dir)
    daily = [b for b in found if b.daily]
    assert len(daily) == backups.KEEP_DAILY
    assert daily[0].taken_at.date() == clock.now().date()
    assert daily[-1].taken_at.date() == (clock.now() - timedelta(days=13)).date()
    assert kept_named.exists()  # never rotated away
    assert [b.reason_label for b in found if not b.daily] == ["avant migration v1"]
    assert all(b.dossier_count == 0 for b in daily)


def test_two_processes_on_the_same_day_make_one_backup(data_dir: Path) -> None:
    first = Store(data_dir, clock=FrozenClock(NOW))
    first.put_settings({"a": 1})
    second = Store(data_dir, clock=FrozenClock(NOW + timedelta(hours=2)))
    first.put_settings({"a": 2})
    second.put_settings({"a": 3})
    assert len(backups.list_backups(data_dir)) == 1


def test_newest_backup_skips_unreadable_ones(data_dir: Path, clock: FrozenClock) -> None:
    store = Store(data_dir, clock=clock)
    store.put_settings({"a": 1})
    store.put_settings({"a": 2})
    good = backups.newest_backup(data_dir)
    assert good is not None
    broken = backups.backup_dir(data_dir) / "espace-tui-2026-12-02.json"
    broken.write_text("{", encoding="utf-8")
    assert backups.newest_backup(data_dir) == good
    assert backups.list_backups(data_dir)[0].dossier_count is None


def test_cli_lists_paris_times_and_whole_file_names_at_80_columns(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """NOW is 09:00 in Paris (08:00 UTC): the restore's backup is named and shown 09:00."""
    assert main(["demo"]) == 0
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["restore", "--oui"]) == 0
    aside = "espace-tui-2026-12-01T090000-avant-restauration.json"
    assert (cli_env / backups.BACKUP_DIR / aside).exists()
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "80")  # what a pipe gets
    assert main(["backups"]) == 0
    out = capsys.readouterr().out
    table = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and max(len(line) for line in table) <= 80
    assert aside in out and "espace-tui-2026-12-01.json" in out  # what restore needs, whole
    assert "01/12/2026 09:00 · avant restauration" in out and "08:00" not in out
    assert main(["backups", "--format", "json"]) == 0
    taken = {b["kind"]: b["taken_at"] for b in json.loads(capsys.readouterr().out)}
    assert taken["avant-restauration"] == "2026-12-01T09:00:00+01:00"
    assert main(["restore", aside, "--oui"]) == 0  # the name as listed is accepted
