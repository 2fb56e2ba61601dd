"""Where the export and letter dialogs write: the user's documents, then the last folder used;
never the data folder; the full path is shown once saved."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Input

from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.export import ExportScreen
from espace_tui.tui.screens.letter import LetterScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.output_folders import LAST_FOLDER_SETTING, proposed_folder
from tests.tui.conftest import SIZE

AppFactory = Callable[..., EspaceApp]
GARAGE = "813392966"  # a letter is due: the link to click within 12 h


def last_toast(app: EspaceApp) -> tuple[str, str]:
    toast = list(app._notifications)[-1]
    return toast.title, toast.message


async def export_with_default_path(app: EspaceApp, pilot: object) -> Path:
    await pilot.press("r")  # type: ignore[attr-defined]
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return Path(screen.query_one("#export-path", Input).value).expanduser()


async def test_export_defaults_to_documents_and_shows_the_full_path(
    make_app: AppFactory, documents_home: Path, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        proposed = await export_with_default_path(app, pilot)
        folder = documents_home / "Documents" / "espace-tui"
        assert proposed == folder / "espace-tui-rapport-2026-12-01.html"
        # Shown as typed: under the home folder, « ~/… ».
        shown = app.screen.query_one("#export-path", Input).value
        assert shown == "~/Documents/espace-tui/espace-tui-rapport-2026-12-01.html"
        assert not folder.exists()  # created on the first export, not on opening
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert proposed.is_file()
        assert folder.stat().st_mode & 0o777 == 0o700
        title, message = last_toast(app)
        assert title == "Exporté"
        assert f"écrit dans {proposed} (" in message
    assert not list(demo_workspace.store.data_dir.glob("*.html"))


async def test_the_last_folder_is_proposed_next_time_and_a_bare_name_goes_there(
    make_app: AppFactory, tmp_path: Path
) -> None:
    chosen = tmp_path / "clients" / "rapports"
    chosen.mkdir(parents=True)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("r")
        app.screen.query_one("#export-path", Input).value = str(chosen / "lundi.html")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        proposed = await export_with_default_path(app, pilot)
        assert proposed.parent == chosen
        # A bare file name lands in the folder shown, and the toast says where in full.
        app.screen.query_one("#export-path", Input).value = "mardi.md"
        await pilot.click("#format-md")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (chosen / "mardi.md").is_file()
        assert str(chosen / "mardi.md") in last_toast(app)[1]
        # The letter dialog proposes the same folder.
        main = app.screen
        assert isinstance(main, MainScreen)
        main.reload(select=GARAGE)
        await pilot.press("l")
        letter = app.screen
        assert isinstance(letter, LetterScreen)
        target = Path(letter.query_one("#letter-path", Input).value)
        assert target == chosen / f"lettre-{GARAGE}-lien.txt"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert target.is_file()
        assert last_toast(app) == ("Enregistré", f"Lettre enregistrée dans {target}.")
        await pilot.press("ctrl+y")
        assert last_toast(app)[0] == "Copié"


def test_never_proposes_the_data_folder(demo_workspace: Workspace, documents_home: Path) -> None:
    data_dir = demo_workspace.store.data_dir
    demo_workspace.set_setting(LAST_FOLDER_SETTING, str(data_dir))
    assert proposed_folder(demo_workspace) == documents_home / "Documents" / "espace-tui"
    demo_workspace.set_setting(LAST_FOLDER_SETTING, str(data_dir / "sauvegardes"))
    assert proposed_folder(demo_workspace) == documents_home / "Documents" / "espace-tui"
    demo_workspace.set_setting(LAST_FOLDER_SETTING, "relatif/ailleurs")
    assert proposed_folder(demo_workspace) == documents_home / "Documents" / "espace-tui"
