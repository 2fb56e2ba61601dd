"""The program tightens only its own files: a data folder holding the user's other files (or
`--data-dir ~`) keeps its rights and theirs; the user is told, in French, and work goes on."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.store.paths import DATA_FILE

SIREN = "552081317"

# Commands tried on a folder holding foreign files (each opens the store).
COMMANDS = [
    ["list"],
    ["add", SIREN, "--nom", "Danone", "--mode", "simplifie"],
    ["add", "732829320", "--nom", "Total", "--mode", "simplifie"],  # a backup is taken
    ["show", SIREN],
    ["backups"],
    ["export", "--format", "csv"],
    ["restore", "--oui"],
]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _foreign_folder(root: Path) -> dict[Path, int]:
    """A folder like a home: a script, a document, a sub-folder, a file named like ours."""
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    files = {
        root / "script.sh": 0o755,
        root / "notes.txt": 0o644,
        root / "partage": 0o775,
        root / "sauvegardes-perso.json": 0o664,
    }
    for path, mode in files.items():
        if path.name == "partage":
            path.mkdir()
        else:
            path.write_text("à moi\n")
        path.chmod(mode)
    return {root: 0o755, **files}


def test_a_folder_holding_other_files_keeps_every_right(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    figures: Callable[[str], None],
) -> None:
    home = tmp_path / "home"
    before = _foreign_folder(home)
    monkeypatch.setenv("ESPACE_TUI_DATA_DIR", str(home))
    codes = []
    for argv in COMMANDS:
        codes.append(main(argv))
        err = capsys.readouterr().err
        if argv[0] not in ("backups", "restore"):  # those two do not open the store
            assert "ses droits (755) n'ont pas été modifiés" in err, argv
            assert "notes.txt" in err and "1 autre(s)" in err
    assert codes == [0] * len(COMMANDS), codes  # it works, and says so
    changed = [p for p, mode in before.items() if _mode(p) != mode]
    assert changed == []
    # Its own files stay private one by one.
    assert _mode(home / DATA_FILE) == 0o600
    assert _mode(home / "sauvegardes") == 0o700
    figures(
        f"{len(COMMANDS)} commands on a folder holding {len(before) - 1} foreign entries: "
        f"{len(changed)} rights changed, a French notice every time, exit codes {codes}"
    )


def test_only_our_files_are_narrowed_in_a_folder_holding_others(tmp_path: Path) -> None:
    from espace_tui.store.repository import Store

    home = tmp_path / "home"
    before = _foreign_folder(home)
    Store(home).put_settings({"a": 1})
    (home / DATA_FILE).chmod(0o644)
    (home / f"{DATA_FILE}.lock").chmod(0o666)
    notices = Store(home).notices
    assert _mode(home / DATA_FILE) == 0o600 and _mode(home / f"{DATA_FILE}.lock") == 0o600
    assert any("644 → 600" in n for n in notices)
    assert all(_mode(p) == mode for p, mode in before.items())


def test_a_folder_of_ours_alone_is_still_made_private(tmp_path: Path) -> None:
    from espace_tui.store.repository import Store

    data = tmp_path / "data"
    Store(data).put_settings({"a": 1})
    data.chmod(0o755)
    (notice,) = Store(data).notices
    assert "755 → 700" in notice and _mode(data) == 0o700


def test_a_file_of_another_account_is_never_chmodded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even named like ours: owned by someone else, it is not ours to change."""
    from espace_tui.store.repository import Store

    data = tmp_path / "data"
    Store(data).put_settings({"a": 1})
    (data / DATA_FILE).chmod(0o644)
    me = os.getuid()
    monkeypatch.setattr(os, "getuid", lambda: me + 1)
    Store(data)
    assert _mode(data / DATA_FILE) == 0o644


def test_a_data_folder_reached_through_a_link_keeps_its_files_private(tmp_path: Path) -> None:
    """A link the user made to keep the data elsewhere is followed for the folder only."""
    from espace_tui.store.repository import Store

    real = tmp_path / "nas" / "espace"
    Store(real).put_settings({"a": 1})
    (real / DATA_FILE).chmod(0o644)
    linked = tmp_path / "data"
    linked.symlink_to(real, target_is_directory=True)
    Store(linked).put_settings({"a": 2})
    assert _mode(real / DATA_FILE) == 0o600
