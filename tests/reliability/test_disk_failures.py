"""A full or read-only disk: the change is refused in French; nothing saved is lost, on disk
or in memory.

Real failures on a tiny tmpfs when this process may mount one (root in CI containers);
the same failures injected with monkeypatch everywhere else.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.backups import backup_dir
from espace_tui.store.errors import StoreWriteError
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.conftest import NOW
from tests.reliability.conftest import tmp_files
from tests.sirens import valid_sirens
from tests.syscalls import SyscallRecorder, fails_on


def _mount(target: Path, options: str) -> bool:
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or not _mount(disk, "size=192k,mode=0700"):
        pytest.skip("no permission to mount a tmpfs here (the monkeypatched tests still run)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _draft(siren: str) -> DossierDraft:
    return DossierDraft(siren=siren, name=f"Client {siren}", mode="simplifie", notes="n" * 9000)


def test_full_disk_refuses_the_change_and_keeps_everything_saved(
    tiny_disk: Path, figures: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tiny_disk / "data"
    workspace = Workspace(Store(data_dir), FrozenClock(NOW))
    saved: list[str] = []
    with pytest.raises(StoreWriteError) as refused:
        for siren in valid_sirens(200):
            workspace.add_dossier(_draft(siren))
            saved.append(siren)
    assert "le disque est plein" in refused.value.message
    assert "intactes" in refused.value.message
    on_disk = json.loads((data_dir / DATA_FILE).read_bytes())["dossiers"]
    assert sorted(d["siren"] for d in on_disk.values()) == sorted(saved)
    assert sorted(d.siren for d in workspace.dossiers()) == sorted(saved)  # memory = disk
    assert tmp_files(data_dir) == []
    # Through the command line: exit 1, a French message, no traceback.
    monkeypatch.setenv("ESPACE_TUI_DATA_DIR", str(data_dir))
    extra = valid_sirens(1, start=50_000_000)[0]
    code = main(["add", extra, "--nom", "X", "--mode", "simplifie", "--notes", "n" * 9000])
    assert code == 1
    figures(f"full 192 KiB disk: {len(saved)} dossiers saved, the next refused, 0 lost")


def test_read_only_disk_refuses_the_change_and_keeps_everything_saved(
    tiny_disk: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tiny_disk / "data"
    workspace = Workspace(Store(data_dir), FrozenClock(NOW))
    siren = valid_sirens(1)[0]
    workspace.add_dossier(DossierDraft(siren=siren, name="Danone", mode="simplifie"))
    before = (data_dir / DATA_FILE).read_bytes()
    (data_dir / DATA_FILE).chmod(0o644)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    (notice,) = Store(data_dir).notices  # rights cannot be fixed: said, and reading goes on
    assert "impossible de corriger" in notice
    with pytest.raises(StoreWriteError) as refused:
        workspace.tick(siren, "formulaire")
    assert "lecture seule" in refused.value.message
    assert "formulaire" not in workspace.get(siren).events
    monkeypatch.setenv("ESPACE_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ESPACE_TUI_NOW", NOW.isoformat())
    assert main(["tick", siren, "formulaire"]) == 1
    err = capsys.readouterr().err
    assert "lecture seule" in err and "Traceback" not in err
    assert main(["list", "--format", "json"]) == 0  # reading still works
    assert json.loads(capsys.readouterr().out)[0]["siren"] == siren
    assert (data_dir / DATA_FILE).read_bytes() == before


@pytest.mark.parametrize(
    ("call", "folder", "code", "words"),
    [
        ("write", "data", errno.ENOSPC, "le disque est plein"),
        ("fsync_file", "data", errno.EIO, "erreur d'entrée-sortie"),
        ("replace", "data", errno.EROFS, "lecture seule"),
        ("replace", "data", errno.EACCES, "accès refusé"),
        ("replace", "data", errno.EDQUOT, "quota"),
        ("write", "backups", errno.ENOSPC, "le disque est plein"),
        ("fsync_file", "backups", errno.EIO, "erreur d'entrée-sortie"),
        ("replace", "backups", errno.EROFS, "lecture seule"),
    ],
)
def test_injected_write_failures_change_nothing(
    workspace: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    call: str,
    folder: str,
    code: int,
    words: str,
) -> None:
    siren = valid_sirens(1)[0]
    workspace.add_dossier(DossierDraft(siren=siren, name="Danone", mode="simplifie"))
    data = workspace.store.path
    backups = backup_dir(data.parent)
    target = data.parent if folder == "data" else backups
    before = data.read_bytes()
    # The day's first change backs the file up first: with "data" the backup succeeds and the
    # failure reaches the data file's own write; with "backups" the backup itself fails.
    recorder = SyscallRecorder(fail_when=fails_on(call, target, code)).install(monkeypatch)
    with pytest.raises(StoreWriteError) as refused:
        workspace.tick(siren, "formulaire")
    monkeypatch.undo()
    assert recorder.failed and recorder.failed[0].folder == target  # injected where meant
    assert words in refused.value.message
    assert data.read_bytes() == before
    assert tmp_files(data.parent) == [] and tmp_files(backups) == []  # no leftovers
    kept = sorted(backups.glob("*.json"))
    if folder == "data":
        assert [p.read_bytes() for p in kept] == [before]  # the backup is whole
    else:
        assert kept == []  # no half backup
    assert workspace.get(siren).events == {}  # memory forgot the refused change
    assert workspace.undo().message.startswith(
        "Modification annulée ("
    )  # undoes the add, not the tick
    assert workspace.store.get_dossier(siren) is None
