"""The cabinet's own expert spaces live in the main list: sorted, counted, shown and ticked."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from espace_tui.domain.deadlines import Status
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.rows import space_key
from espace_tui.tui.screens.history import HistoryScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace

AppFactory = Callable[..., EspaceApp]
ANNEXE = space_key("annexe")  # the demo's space whose 48 h activation code runs out


def main_screen(app: EspaceApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_an_urgent_space_is_a_row_sorted_and_counted_with_the_dossiers(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        dossier_list = main_screen(app).dossier_list
        keys = dossier_list.table.keys()
        assert ANNEXE in keys and space_key("principal") in keys
        row = dossier_list.rows[ANNEXE]
        assert row.status is Status.URGENT
        # Same urgency sort as the dossiers: before every dossier that is merely « bientôt ».
        soon = [k for k in keys if dossier_list.rows[k].status is Status.SOON]
        assert keys.index(ANNEXE) < keys.index(soon[0])
        urgent_dossiers = sum(
            1 for _, state in demo_workspace.by_urgency() if state.status is Status.URGENT
        )
        counts = str(dossier_list.query_one("#counts", Static).render())
        assert f"urgent {urgent_dossiers + 1}" in counts
        assert "22 dossiers, 2 espaces" in counts


async def test_a_space_opens_in_the_right_pane_and_is_ticked_with_the_same_key(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.dossier_list.select(ANNEXE)
        await pilot.pause()
        assert screen.selected_siren is None and screen.selected_space_id == "annexe"
        detail = screen.detail
        assert detail.space is not None and detail.space.id == "annexe"
        status = str(detail.query_one("#detail-status", Static).render())
        assert "À faire maintenant" in status and "reste 1 j 19 h" in status
        step = detail.checklist.highlighted_step
        assert step is not None
        before = demo_workspace.store.get_space("annexe")
        assert before is not None and step not in before.events
        await pilot.press("enter", "space")
        await pilot.pause()
        after = demo_workspace.store.get_space("annexe")
        assert after is not None and step in after.events
        assert after.history[: len(before.history)] == before.history
        assert screen.dossier_list.rows[ANNEXE].status is Status.DONE
        # Space again: unticked, stored too.
        await pilot.press("space")
        await pilot.pause()
        again = demo_workspace.store.get_space("annexe")
        assert again is not None and step not in again.events


async def test_h_shows_the_whole_history_of_a_space(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        main_screen(app).dossier_list.select(ANNEXE)
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_notes_and_latest_history_are_in_view_at_140x40_and_follow_a_tick(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        detail = screen.detail
        pane = detail.region
        for part in ("#notes", "#recent"):
            region = detail.query_one(part).region
            assert region.height > 0 and pane.contains_region(region), part
        await pilot.press("enter", "space")
        await pilot.pause()
        recent = str(detail.query_one("#recent", Static).render())
        assert "faite le 01/12/2026 09:00" in recent
        assert "Dernière relance" in recent
