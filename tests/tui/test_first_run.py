"""First run: empty folder → cabinet entered → import preview (nothing written) → dossiers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from espace_tui.domain.clock import FrozenClock
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.tui.screens import first_run
from espace_tui.tui.screens.first_run import FirstRunScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, buttons_at_rest, fill

CSV = (
    "siren;nom;mode;espace;email_connexion\n"
    "552081317;Danone;expert;principal;\n"
    "732829320;Boulangerie Martin;simplifie;;martin@example.fr\n"
    "123456789;Mauvais SIREN;simplifie;;\n"
    "356000000;La Poste;expert;inconnu;\n"
)


@pytest.fixture
def client_csv(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def rows_of(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown_sirens(app: EspaceApp) -> set[str]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return set(screen.dossier_list.table.sirens())


Snap = Callable[..., bool]


async def type_into(pilot: Pilot[Any], app: EspaceApp, selector: str, text: str) -> None:
    await fill(pilot, app.screen.query_one(selector, Input), text)


@pytest.fixture
def shown_folder(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """The first-run screen shows the data folder's path, which varies with tmp_path: show a
    fixed one in snapshots instead (only shown, nothing is written there)."""

    def show(name: str) -> None:
        real_init = FirstRunScreen.__init__

        def init(
            screen: FirstRunScreen, workspace: Workspace, *, data_dir: Path | None = None
        ) -> None:
            shown = None if data_dir is None else Path("/tmp/espace-tui-snapshots") / name
            real_init(screen, workspace, data_dir=shown)

        monkeypatch.setattr(FirstRunScreen, "__init__", init)

    return show


async def test_empty_folder_cabinet_then_import_preview_then_dossiers(
    workspace: Workspace, client_csv: Path
) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)

        # 1. The cabinet, its SIREN and one expert space.
        await pilot.click("#fr-go-cabinet")
        await type_into(pilot, app, "#fr-cabinet-name", "Cabinet Martin & Fils")
        await type_into(pilot, app, "#fr-cabinet-siren", "732 829 320")
        await type_into(pilot, app, "#fr-space-email", "expert@cabinet-martin.fr")
        app.screen.query_one("#fr-cabinet-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        cabinet = workspace.cabinet()
        assert (cabinet.name, cabinet.siren) == ("Cabinet Martin & Fils", "732829320")
        assert [(s.id, s.login_email) for s in workspace.spaces()] == [
            ("principal", "expert@cabinet-martin.fr")
        ]
        status = app.screen.query_one("#fr-status", Static).render()
        assert "Cabinet Martin & Fils" in str(status)

        # 2. The import preview: every row with its result, nothing written yet.
        await pilot.click("#fr-go-import")
        await type_into(pilot, app, "#fr-import-path", str(client_csv))
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#fr-import-table", DataTable)
        preview = rows_of(table)
        assert [row[:2] for row in preview] == [
            ["2", "552081317"],
            ["3", "732829320"],
            ["4", "123456789"],
            ["5", "356000000"],
        ]
        assert preview[0][4] == preview[1][4] == "✓ à importer"
        assert preview[2][4].startswith("✗ SIREN")
        assert "inconnu" in preview[3][4]
        assert "2 ligne(s) à importer, 2 en erreur" in str(
            app.screen.query_one("#fr-import-summary", Static).render()
        )
        assert workspace.dossiers() == []

        # 3. Import the valid rows: back on the dashboard, with the cabinet in the header.
        await pilot.click("#fr-import-go")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert shown_sirens(app) == {"552081317", "732829320"}
        assert "Cabinet Martin & Fils" in str(app.screen.query_one("#cabinet", Static).render())
        danone = workspace.store.get_dossier("552081317")
        assert danone is not None and danone.space_id == "principal"


async def test_bad_cabinet_siren_is_refused_and_nothing_saved(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#fr-go-cabinet")
        await type_into(pilot, app, "#fr-cabinet-name", "Cabinet X")
        await type_into(pilot, app, "#fr-cabinet-siren", "123456789")
        app.screen.query_one("#fr-cabinet-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#fr-cabinet-error", Static).render())
        assert "SIREN du cabinet" in error
        assert workspace.cabinet().name == ""


async def test_unreadable_csv_says_why(workspace: Workspace, tmp_path: Path) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#fr-go-import")
        await type_into(pilot, app, "#fr-import-path", str(tmp_path / "absent.csv"))
        await pilot.press("enter")
        await pilot.pause()
        summary = str(app.screen.query_one("#fr-import-summary", Static).render())
        assert "introuvable" in summary
        assert app.screen.query_one("#fr-import-go").disabled


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "demo"
    monkeypatch.setattr(first_run, "demo_data_dir", lambda: folder)
    yield folder


async def test_demo_opens_in_its_own_folder(workspace: Workspace, demo_folder: Path) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#fr-go-demo")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(shown_sirens(app)) == len(app.workspace.dossiers()) > 10
        assert (demo_folder / DATA_FILE).exists()
    # The real folder is untouched: still empty, so the next start offers the same choices.
    assert workspace.dossiers() == [] and workspace.cabinet().name == ""


async def test_later_leaves_an_empty_dashboard(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert shown_sirens(app) == set()


async def test_not_shown_on_a_folder_with_data_nor_read_only(
    demo_workspace: Workspace, tmp_path: Path, clock: FrozenClock
) -> None:
    app = create_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # Reachable later from its key (and the palette).
        await pilot.press("I")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
    empty = Workspace(Store(tmp_path / "other"), clock)
    read_only = create_app(empty, read_only=True)
    async with read_only.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(read_only.screen, MainScreen)


def test_first_run_snapshot(
    snap_compare: Snap, clock: FrozenClock, data_dir: Path, shown_folder: Callable[[str], None]
) -> None:
    shown_folder("premier-lancement")
    app = create_app(Workspace(Store(data_dir), clock))
    assert snap_compare(app, terminal_size=SIZE)


def test_first_run_import_preview_snapshot(
    snap_compare: Snap,
    client_csv: Path,
    clock: FrozenClock,
    data_dir: Path,
    shown_folder: Callable[[str], None],
) -> None:
    shown_folder("apercu-import")
    app = create_app(Workspace(Store(data_dir), clock))

    async def preview(pilot: Pilot[Any]) -> None:
        # The first-run screen comes just after the first paint: wait for it.
        for _ in range(500):
            if app.screen.query("#fr-go-import"):
                break
            await pilot.pause(0.01)
        await pilot.click("#fr-go-import")
        field = app.screen.query_one("#fr-import-path", Input)
        field.value = str(client_csv)
        await pilot.click("#fr-import-preview")
        # The temporary path varies from run to run: hide it once the preview is made.
        field.value = "clients.csv"
        await buttons_at_rest(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=preview)


async def test_siren_and_email_are_checked_as_typed(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#fr-go-cabinet")
        error = app.screen.query_one("#fr-cabinet-error", Static)
        await type_into(pilot, app, "#fr-cabinet-siren", "73282932")
        assert "SIREN du cabinet" in str(error.render())
        assert app.screen.query_one("#fr-cabinet-siren").has_class("-invalid")
        await pilot.press("0")
        assert not error.display
        await type_into(pilot, app, "#fr-space-email", "expert@")
        assert "E-mail de connexion" in str(error.render())
        await pilot.press(*"cabinet.fr")
        assert not error.display
