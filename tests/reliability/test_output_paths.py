"""Every file the program writes on request (-o, --eml, --un-fichier-par-dossier, the
dashboard's export and letter): never inside the data folder, never over an existing file
unless --ecraser (or a confirmation in the dashboard), never through a symbolic link."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, Input

from espace_tui.cli import main as cli
from espace_tui.domain.clock import FrozenClock
from espace_tui.store.paths import DATA_FILE
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.screens.export import ExportScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

GARAGE = "813392966"

# A command writing to PATH (the folder form writes PATH/lettre-…).
COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "export -o": lambda p: ["export", "--format", "json", "-o", str(p)],
    "export ics -o": lambda p: ["export", "--format", "ics", "-o", str(p)],
    "lettre -o": lambda p: ["lettre", GARAGE, "--apercu", "-o", str(p)],
    "lettre --eml": lambda p: ["lettre", GARAGE, "--apercu", "--eml", str(p)],
    "lettres -o": lambda p: ["lettre", GARAGE, "812345676", "--apercu", "-o", str(p)],
}


@pytest.fixture
def demo(workspace: Workspace, clock: FrozenClock, cli_env: Path) -> Workspace:
    fill_demo(workspace.store, clock.now())
    workspace.set_setting("touched", True)  # a write: the day's backup exists too
    workspace.set_setting("touched", False)
    return workspace


def inside_targets(data_dir: Path) -> dict[str, Path]:
    backups = sorted((data_dir / "sauvegardes").glob("*.json"))
    return {
        "data file": data_dir / DATA_FILE,
        "lock file": data_dir / f"{DATA_FILE}.lock",
        "new file in the data folder": data_dir / "rapport.json",
        "backup": backups[0] if backups else data_dir / "sauvegardes" / "x.json",
        "through ..": data_dir / ".." / data_dir.name / DATA_FILE,
    }


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_never_writes_in_the_data_folder(
    command: str, demo: Workspace, data_dir: Path, capsys: pytest.CaptureFixture[str], figures: Any
) -> None:
    before = snapshot(data_dir)
    tried = 0
    for name, target in inside_targets(data_dir).items():
        for extra in ([], ["--ecraser"]):
            assert cli([*COMMANDS[command](target), *extra]) == 2, (name, extra)
            err = capsys.readouterr().err
            assert "dossier de données" in err or "n'existe pas" in err, (name, err)
            tried += 1
    assert snapshot(data_dir) == before
    figures(f"{command}: {tried} paths in the data folder refused (exit 2), nothing changed")


def test_relative_path_from_inside_the_data_folder_is_refused(
    demo: Workspace, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(data_dir)
    before = snapshot(data_dir)
    assert cli(["export", "--format", "md", "-o", "rapport.md"]) == 2
    assert snapshot(data_dir) == before


def test_letters_one_file_per_dossier_never_in_the_data_folder(
    demo: Workspace, data_dir: Path
) -> None:
    before = snapshot(data_dir)
    assert (
        cli(["lettre", GARAGE, "812345676", "--apercu", "--un-fichier-par-dossier", str(data_dir)])
        == 2
    )
    assert snapshot(data_dir) == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_existing_file_kept_unless_ecraser(
    command: str, demo: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "sortie.txt"
    target.write_text("mine", encoding="utf-8")
    assert cli(COMMANDS[command](target)) == 2
    err = capsys.readouterr().err
    assert "existe déjà" in err and "--ecraser" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert cli([*COMMANDS[command](target), "--ecraser"]) == 0
    assert target.read_text(encoding="utf-8") != "mine"
    assert target.stat().st_mode & 0o077 == 0


def test_symlink_target_never_followed(demo: Workspace, data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "rapport.json"
    link.symlink_to(data_dir / DATA_FILE)
    before = snapshot(data_dir)
    for extra in ([], ["--ecraser"]):
        assert cli(["export", "--format", "json", "-o", str(link), *extra]) == 2
    elsewhere = tmp_path / "ailleurs.txt"
    elsewhere.write_text("other", encoding="utf-8")
    link2 = tmp_path / "lien.json"
    link2.symlink_to(elsewhere)
    assert cli(["export", "--format", "json", "-o", str(link2), "--ecraser"]) == 2
    assert elsewhere.read_text(encoding="utf-8") == "other" and link2.is_symlink()
    assert snapshot(data_dir) == before


async def test_dashboard_export_refuses_the_data_folder_and_asks_before_replacing(
    demo: Workspace, data_dir: Path, tmp_path: Path
) -> None:
    app = create_app(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        before = snapshot(data_dir)
        dialog.query_one("#export-path", Input).value = str(data_dir / DATA_FILE)
        await pilot.pause()
        dialog.query_one("#run", Button).press()
        await pilot.pause()
        assert app.screen is dialog and snapshot(data_dir) == before
        assert "dossier de données" in str(dialog.query_one("#export-error").render())
        existing = tmp_path / "rapport.html"
        existing.write_text("mine", encoding="utf-8")
        dialog.query_one("#export-path", Input).value = str(existing)
        await pilot.pause()
        dialog.query_one("#run", Button).press()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # not replaced
        await pilot.pause()
        assert app.screen is dialog and existing.read_text(encoding="utf-8") == "mine"
        dialog.query_one("#run", Button).press()
        await pilot.pause()
        await pilot.click("#yes")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert existing.read_text(encoding="utf-8") != "mine"
        assert not os.path.islink(existing)
