"""The write lock: the one kept waiting is told who really holds it (restore included)."""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.store import backup_catalog
from espace_tui.store import restore as restore_module
from espace_tui.store.errors import StoreCorruptError, StoreLockedError
from espace_tui.store.lock import OwnLock
from espace_tui.store.paths import DATA_FILE, lock_file
from espace_tui.store.repository import Store
from espace_tui.store.restore import restore_backup


def test_restore_names_itself_as_the_holder(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(data_dir)
    store.put_settings({"a": 1})
    monkeypatch.setattr(sys, "argv", ["espace-tui", "tick"])
    store.put_settings({"a": 2})  # the holder file now names « tick », which has ended
    backup = backup_catalog.newest_backup(data_dir)
    assert backup is not None
    monkeypatch.setattr(sys, "argv", ["/usr/bin/espace-tui", "restore"])
    seen: list[str] = []
    real_readable = restore_module._readable

    def meanwhile(path: Path) -> bool | None:
        """Another program tries to write while the restore holds the lock."""
        with pytest.raises(StoreLockedError) as caught:
            Store(data_dir, lock_timeout=0.1).put_settings({"a": 3})
        seen.append(caught.value.message)
        return real_readable(path)

    monkeypatch.setattr(restore_module, "_readable", meanwhile)
    restore_backup(data_dir, backup.path, store.clock.now())
    (message,) = seen
    assert "« espace-tui restore »" in message and "tick" not in message


def test_a_holder_that_has_ended_is_not_named(data_dir: Path) -> None:
    Store(data_dir).put_settings({"a": 1})
    held = OwnLock(lock_file(data_dir / DATA_FILE), timeout=0)
    held.acquire()
    # Someone took the lock without saying so; the holder file is a previous program's.
    held.holder_path.write_text(
        f'{{"pid": 999999999, "host": "{socket.gethostname()}", "command": "espace-tui tick", '
        '"since": "2026-12-01T09:00:00+01:00"}'
    )
    try:
        with pytest.raises(StoreLockedError) as caught:
            Store(data_dir, lock_timeout=0.1).put_settings({"a": 2})
        assert "un autre programme espace-tui" in caught.value.message
    finally:
        held.release()


def test_an_unreadable_backups_folder_is_said_never_shown_empty(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["add", "542107651", "--nom", "Engie", "--mode", "simplifie"]) == 0
    capsys.readouterr()
    real = os.listdir
    folder = str(backup_catalog.backup_dir(cli_env))

    def denied(path: str | os.PathLike[str] = ".") -> list[str]:
        if str(path) == folder:
            raise PermissionError(errno.EACCES, "Permission denied", folder)
        return real(path)

    monkeypatch.setattr(os, "listdir", denied)
    assert main(["backups"]) == 1
    err = capsys.readouterr().err
    assert "sauvegardes" in err and "illisible" in err and "Aucune sauvegarde" not in err
    hint = StoreCorruptError(cli_env / DATA_FILE, "JSON invalide").message
    assert "illisible (accès refusé)" in hint and "Aucune sauvegarde" not in hint
