"""Marking dossiers and acting on all of them: preview, one confirmation, one undo; the « Qui »
filter; what `u` would undo, shown before it is pressed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Select, Static

from espace_tui.domain.procedures import Fact
from espace_tui.domain.validation import DossierDraft
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.batch import BatchScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, wait_until

AppFactory = Callable[..., EspaceApp]


def main_screen(app: EspaceApp) -> MainScreen:
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    assert isinstance(screen, MainScreen)
    return screen


def text_of(widget: Static) -> str:
    return str(widget.render())


async def test_mark_preview_confirm_then_one_undo(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = main_screen(app)
        listing = main.dossier_list
        await pilot.press("w", "w")  # « Qui » : Client
        shown = listing.table.sirens()
        clients = {d.siren for d in demo_workspace.dossiers()}
        assert shown and all(listing.table.row(s).owner == "Client" for s in shown)
        assert len(shown) < len(clients)
        assert "qui : Client" in text_of(listing.query_one("#counts", Static))
        await pilot.press("asterisk")  # mark every dossier shown
        assert listing.marked == set(shown)
        assert f"{len(shown)} marqués" in text_of(listing.query_one("#counts", Static))
        await pilot.press("v")  # the selected one: unmarked
        assert len(listing.marked) == len(shown) - 1
        await pilot.press("M")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen), "batch dialog")
        dialog = app.screen
        assert isinstance(dialog, BatchScreen)
        dialog.query_one("#batch-step", Select).value = "lien_email"
        preview = dialog.query_one("#batch-preview-text", Static)
        await wait_until(pilot, lambda: "lien de validation" in text_of(preview), "preview")
        before = {s: demo_workspace.get(s).events.get("lien_email") for s in listing.marked}
        assert all(
            demo_workspace.get(s).events.get("lien_email") == before[s] for s in listing.marked
        ), "the preview wrote nothing"
        planned = demo_workspace.tick_many(dialog.sirens, "lien_email", preview=True)
        will_tick = [d.siren for d, _ in planned.done]
        assert will_tick and planned.skipped and "ignoré" in text_of(preview)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "dialog closed")
        for siren in will_tick:
            assert demo_workspace.get(siren).events["lien_email"] == demo_workspace.now()
        hint = listing.query_one("#undo-hint", Static)
        assert "u : annuler" in text_of(hint) and f"{len(will_tick)} dossiers" in text_of(hint)
        await pilot.press("u")  # one undo takes the whole batch back
        await pilot.pause()
        for siren in will_tick:
            assert "lien_email" not in demo_workspace.get(siren).events
        assert "U : rétablir" in text_of(hint)
        await pilot.press("U")
        await pilot.pause()
        assert all("lien_email" in demo_workspace.get(s).events for s in will_tick)


async def test_batch_dates_and_no_marks(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("M")  # nothing marked: says how to mark
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        listing = main_screen(app).dossier_list
        await pilot.press("v", "v")
        marked = sorted(listing.marked)
        assert len(marked) == 2
        await pilot.press("M")
        await wait_until(pilot, lambda: isinstance(app.screen, BatchScreen), "batch dialog")
        dialog = app.screen
        assert isinstance(dialog, BatchScreen)
        dialog.query_one("#batch-action", Select).value = "letter_printed"
        date = dialog.query_one("#batch-date")
        date.value = "29/03/2026 02h30"  # type: ignore[attr-defined]
        error = dialog.query_one("#batch-error", Static)
        await wait_until(pilot, lambda: "n'existe pas à Paris" in text_of(error), "DST refusal")
        date.value = "28/11"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: not error.display, "error cleared")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "dialog closed")
        for siren in marked:
            printed = demo_workspace.get(siren).events[Fact.LETTER_PRINTED.value]
            assert printed.isoformat().startswith("2026-11-27T23:00")  # 28/11 00h00 in Paris


async def test_undo_hint_shows_a_change_made_by_the_command_line(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path
) -> None:
    from espace_tui.store.repository import Store

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = main_screen(app).dossier_list
        hint = listing.query_one("#undo-hint", Static)
        assert "rien à annuler" in text_of(hint)
        cli = Workspace(Store(data_dir), demo_workspace.clock)
        cli.add_dossier(DossierDraft(siren="552081317", name="Danone", mode="simplifie"))
        await wait_until(pilot, lambda: "Danone" in text_of(hint), "hint after a CLI change")
        await pilot.press("u")
        await wait_until(pilot, lambda: "552081317" not in listing.rows, "CLI change undone")


async def test_s_also_sorts_by_who_must_act(make_app: AppFactory) -> None:
    from espace_tui.tui.rows import OWNER_SORT, SortOrder

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "s", "s")  # urgence → nom → SIREN → qui
        listing = main_screen(app).dossier_list
        assert listing.order is SortOrder.OWNER
        owners = [listing.table.row(s).owner for s in listing.table.sirens()]
        ranks = [OWNER_SORT.get(o, len(OWNER_SORT)) for o in owners]
        assert ranks == sorted(ranks) and len(set(owners)) > 2


async def test_letter_for_a_link_already_clicked_warns(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from espace_tui.tui.screens.letter import LetterScreen

    garage = next(d for d in demo_workspace.dossiers() if d.name == "Garage des Alpes")
    demo_workspace.tick(garage.siren, "lien_email")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.push_screen(LetterScreen(demo_workspace, demo_workspace.get(garage.siren)))
        await pilot.pause()
        app.screen.query_one("#letter-type", Select).value = "lien"  # the link letter again
        error = app.screen.query_one("#letter-error", Static)
        await wait_until(pilot, lambda: "déjà fait" in text_of(error), "warning shown")
        assert error.display
