"""Durability: a save reaches the disk before it is acknowledged, and survives a power cut.

A killed process leaves the page cache behind, so the kill loop cannot see a missing fsync;
the order of the system calls can: the bytes written to a temporary file, that file
fsynced with the full content, renamed over the data file, then the folder fsynced.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from espace_tui.domain.validation import DossierDraft
from espace_tui.store.backups import backup_dir
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.syscalls import Call, SyscallRecorder


def _assert_durable(calls: list[Call], target: Path) -> None:
    """write → fsync(temporary file, whole content) → replace → fsync(folder), in this order."""
    names = [c.name for c in calls]
    assert "replace" in names, names
    renamed = next(i for i, c in enumerate(calls) if c.name == "replace" and c.path == target)
    source = calls[renamed].source
    assert source is not None and source.parent == target.parent
    before, after = calls[:renamed], calls[renamed + 1 :]
    writes = [i for i, c in enumerate(before) if c.name == "write" and c.path == source]
    synced = [i for i, c in enumerate(before) if c.name == "fsync_file" and c.path == source]
    assert writes, f"nothing written to {source.name} before the rename: {names}"
    assert synced, f"{source.name} renamed over {target.name} without fsync: {names}"
    assert synced[-1] > writes[-1], f"fsync before the last write: {names}"
    assert before[synced[-1]].content == target.read_bytes(), "fsynced before the last bytes"
    assert any(c.name == "fsync_dir" and c.path == target.parent for c in after), (
        f"the rename of {target.name} is not fsynced (folder {target.parent}): {names}"
    )


def test_a_saved_change_is_on_the_disk_before_the_command_returns(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_dossier(DossierDraft(siren="552081317", name="Danone", mode="simplifie"))
    recorder = SyscallRecorder().install(monkeypatch)
    workspace.tick("552081317", "formulaire")
    monkeypatch.undo()
    data = workspace.store.path
    _assert_durable(recorder.about(data.parent), data)
    assert "formulaire" in Store(data.parent).get_dossier("552081317").events  # type: ignore[union-attr]


def test_the_first_save_of_a_new_folder_is_durable(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = SyscallRecorder().install(monkeypatch)
    store = Store(data_dir)
    store.put_settings({"theme": "textual-dark"})
    monkeypatch.undo()
    _assert_durable(recorder.about(data_dir), data_dir / DATA_FILE)


def test_the_daily_backup_is_durable_too(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.add_dossier(DossierDraft(siren="552081317", name="Danone", mode="simplifie"))
    store = workspace.store
    for old in backup_dir(store.data_dir).glob("*.json"):
        old.unlink()
    # A new day: the first save backs the file up before writing it.
    fresh = Workspace(Store(store.data_dir, clock=workspace.clock), workspace.clock)
    recorder = SyscallRecorder().install(monkeypatch)
    fresh.tick("552081317", "formulaire")
    monkeypatch.undo()
    (backup,) = backup_dir(store.data_dir).glob("*.json")
    _assert_durable(recorder.about(backup.parent), backup)
    _assert_durable(recorder.about(store.data_dir), store.path)
