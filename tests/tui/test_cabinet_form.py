"""The cabinet form (first run or `I`): saved all together, or asked before dropping what was
typed; the spaces already saved are listed each time it opens."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from espace_tui.domain.clock import FrozenClock
from espace_tui.store.repository import Store
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.screens.first_run import FirstRunScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE
from tests.tui.test_first_run import type_into


def shown(app: EspaceApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_cabinet_form(pilot: Pilot[Any], app: EspaceApp) -> None:
    await pilot.pause()
    assert isinstance(app.screen, FirstRunScreen)
    await pilot.click("#fr-go-cabinet")
    await pilot.pause()


async def list_space(pilot: Pilot[Any], app: EspaceApp, ident: str, email: str) -> None:
    await type_into(pilot, app, "#fr-space-id", ident)
    await type_into(pilot, app, "#fr-space-email", email)
    app.screen.query_one("#fr-space-add").focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_escape_asks_before_dropping_what_was_typed(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_cabinet_form(pilot, app)
        await type_into(pilot, app, "#fr-cabinet-name", "Cabinet Martin")
        await list_space(pilot, app, "principal", "expert@cabinet-martin.fr")
        assert "principal" in shown(app, "#fr-spaces") and "(à enregistrer)" in shown(
            app, "#fr-spaces"
        )
        assert workspace.spaces() == []  # listed, not saved apart from the cabinet
        await pilot.press("escape")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        question = str(confirm.query_one("#confirm-question", Static).render())
        assert "le nom du cabinet" in question and "1 espace expert" in question
        await pilot.press("escape")  # « Annuler »: back to the form, nothing lost
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.query_one("#fr-cabinet-name", Input).value == "Cabinet Martin"
        assert "principal" in shown(app, "#fr-spaces")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")  # « Abandonner »
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.query_one("#fr-done").has_focus  # the welcome pane
    assert workspace.cabinet().name == "" and workspace.spaces() == []


async def test_escape_with_nothing_typed_asks_nothing(workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_cabinet_form(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        assert app.screen.query_one("#fr-done").has_focus


async def test_cabinet_and_spaces_saved_together_then_listed_on_reopening(
    workspace: Workspace,
) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_cabinet_form(pilot, app)
        await type_into(pilot, app, "#fr-cabinet-name", "Cabinet Martin")
        await list_space(pilot, app, "principal", "expert@cabinet-martin.fr")
        await type_into(pilot, app, "#fr-space-id", "lyon")
        await type_into(pilot, app, "#fr-space-email", "lyon@cabinet-martin.fr")  # not listed
        app.screen.query_one("#fr-cabinet-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert workspace.cabinet().name == "Cabinet Martin"
        assert [s.id for s in workspace.spaces()] == ["principal", "lyon"]
        await pilot.click("#fr-go-cabinet")
        await pilot.pause()
        spaces = shown(app, "#fr-spaces")
        assert "principal" in spaces and "lyon@cabinet-martin.fr" in spaces
        assert "à enregistrer" not in spaces
        await pilot.press("escape")  # nothing typed since: straight back
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)


async def test_spaces_saved_elsewhere_are_listed_when_the_form_opens(
    workspace: Workspace,
) -> None:
    workspace.add_space("principal", "", "expert@cabinet-martin.fr")
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(FirstRunScreen(workspace))
        await open_cabinet_form(pilot, app)
        assert "expert@cabinet-martin.fr" in shown(app, "#fr-spaces")
        # « principal » is taken: the next space is named by the user, not pre-filled.
        assert app.screen.query_one("#fr-space-id", Input).value == ""


async def test_all_or_nothing_when_a_listed_space_is_taken_meanwhile(
    workspace: Workspace, store: Store, clock: FrozenClock
) -> None:
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_cabinet_form(pilot, app)
        await type_into(pilot, app, "#fr-cabinet-name", "Cabinet Martin")
        await list_space(pilot, app, "principal", "expert@cabinet-martin.fr")
        # Another program declares a space with the same login before this form is saved.
        Workspace(Store(store.data_dir), clock).add_space("autre", "", "expert@cabinet-martin.fr")
        app.screen.query_one("#fr-cabinet-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        error = shown(app, "#fr-cabinet-error")
        assert "déjà utilisée" in error and "Rien n'a été enregistré" in error
        assert app.screen.query_one("#fr-cabinet-name", Input).value == "Cabinet Martin"
    assert workspace.cabinet().name == ""
    assert [s.id for s in workspace.spaces()] == ["autre"]
