"""User text is shown literally: markup in a company name or in notes is neither parsed nor run."""

from __future__ import annotations

from textual.widgets import Static

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.validation import DossierDraft
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE

HOSTILE = {
    "732829320": "[@click=app.quit]X[/]",
    "552081317": "[/]",
    "443061841": "[bold red]Rouge[/bold red] [link=x]",
}


async def test_markup_in_names_and_notes_is_literal(
    workspace: Workspace, clock: FrozenClock
) -> None:
    for siren, name in HOSTILE.items():
        workspace.add_dossier(DossierDraft(siren=siren, name=name, mode="simplifie", notes=name))
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.dossier_list.table
        for siren, name in HOSTILE.items():
            screen.dossier_list.select(siren)
            await pilot.pause()
            line = "".join(segment.text for segment in table.render_line(table.cursor))
            assert name[:18] in line
            title = str(screen.detail.query_one("#detail-title", Static).content)
            notes = str(screen.detail.query_one("#notes", Static).content)
            assert name in title and name in notes
            # Clicking on the name would run "app.quit" if it had been parsed as markup.
            await pilot.click("#detail-title", offset=(0, 0))
            await pilot.click("#detail-title", offset=(1, 0))
            await pilot.pause()
            assert app.is_running
        # The edit form and the delete question show it literally too.
        screen.dossier_list.select("732829320")
        await pilot.press("d")
        await pilot.pause()
        question = str(app.screen.query_one("#confirm-question", Static).content)
        assert HOSTILE["732829320"] in question
        await pilot.click("#confirm-question", offset=(30, 0))
        await pilot.pause()
        assert app.is_running


async def test_notifications_quoting_user_text_are_literal(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # A screen passes markup=True explicitly (Widget.notify does): still literal, no crash.
        app.screen.notify("Erreur : « [/] » et [@click=app.quit]X[/]", markup=True)
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert "Erreur : « [/] » et [@click=app.quit]X[/]" in shown
        assert all(not n.markup for n in app._notifications)
        assert app.is_running
