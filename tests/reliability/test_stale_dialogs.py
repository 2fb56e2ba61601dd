"""A dialog opened, another program saves the same dossier, the dialog saves: nothing of
the other program's change is reverted, and a field changed on both sides is refused.

Every dialog that saves is driven with real keys; the concurrent write goes through the real
command line (in-process, its own Store on the same folder) or a second Workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static, TextArea

from espace_tui.cli import main as cli
from espace_tui.domain.clock import Clock, FrozenClock
from espace_tui.domain.dossier import Dossier, MandateState, Mode
from espace_tui.domain.procedures import Fact
from espace_tui.store.repository import Store
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.screens.dates import FactsScreen, MandateScreen, TickAtScreen
from espace_tui.tui.screens.diagnosis import DiagnosisScreen
from espace_tui.tui.screens.dossier_form import DossierForm
from espace_tui.tui.screens.main import MainScreen
from espace_tui.tui.screens.notes import NotesScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo
from tests.tui.conftest import SIZE

AppFactory = Callable[..., EspaceApp]
GARAGE = "813392966"  # Garage des Alpes: simplified, first by urgency in the demo
PHARMACIE = "819676701"  # Pharmacie du Centre: B2B mandate to print

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def demo_workspace(workspace: Workspace, clock: FrozenClock) -> Workspace:
    fill_demo(workspace.store, clock.now())
    return workspace


@pytest.fixture
def make_app(demo_workspace: Workspace) -> AppFactory:
    return lambda: create_app(demo_workspace)


def run_cli(*args: str) -> None:
    assert cli(list(args)) == 0


def other_program(data_dir: Path, clock: Clock) -> Workspace:
    """A second program on the same folder (its own Store, as another process has)."""
    return Workspace(Store(data_dir), clock)


def stored(ws: Workspace, siren: str) -> Dossier:
    return other_program(ws.store.data_dir, ws.clock).get(siren)


async def open_on(app: EspaceApp, pilot: Any, siren: str, key: str) -> Any:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    screen.dossier_list.select(siren)
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    return app.screen


def error_text(dialog: Any, selector: str) -> str:
    return str(dialog.query_one(selector, Static).render())


async def test_edit_form_saved_unchanged_keeps_services_fixed_by_the_cli(
    make_app: AppFactory, demo_workspace: Workspace, figures: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_on(app, pilot, GARAGE, "e")
        assert isinstance(form, DossierForm)
        before = stored(demo_workspace, GARAGE)
        assert set(before.services) != {"messagerie"}
        run_cli("services", GARAGE, "--fixe", "messagerie")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, DossierForm)
        after = stored(demo_workspace, GARAGE)
        assert list(after.services) == ["messagerie"]
        # The history does not call the CLI's change the user's edit.
        assert after.history[-1].action == "services"
        figures("edit form saved unchanged after `services --fixe`: services kept")


async def test_edit_form_keeps_a_remedy_applied_by_the_cli(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path, figures: Any
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_on(app, pilot, GARAGE, "e")
        assert isinstance(form, DossierForm)
        run_cli(
            "diagnose",
            "--siren",
            GARAGE,
            "--blocage",
            "deja_adherent",
            "--appliquer",
            "adhesion_expert",
            "--espace",
            "principal",
            "--etape-faite",
        )
        by_cli = stored(demo_workspace, GARAGE)
        assert by_cli.mode is Mode.EXPERT and by_cli.space_id == "principal"
        await pilot.click("#field-name")
        await pilot.press("end", *" SARL")
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = stored(demo_workspace, GARAGE)
        assert after.name == "Garage des Alpes SARL"
        assert (after.mode, after.procedure_id, after.space_id) == (
            by_cli.mode,
            by_cli.procedure_id,
            by_cli.space_id,
        )
        assert after.events == by_cli.events and after.blockages == by_cli.blockages
        assert after.history[:-1] == by_cli.history
        assert after.history[-1].detail == "Modifié : nom."
        figures("edit form after CLI remedy: mode, procedure, events, space, blockage kept")


async def test_edit_form_refuses_a_field_changed_on_both_sides_then_reloads(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_on(app, pilot, GARAGE, "e")
        assert isinstance(form, DossierForm)
        other_program(data_dir, clock).set_notes(GARAGE, "Rappeler lundi (CLI)")
        by_other = stored(demo_workspace, GARAGE)
        form.query_one("#field-notes", Input).value = "Mes notes à moi"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        message = error_text(form, "#form-error")
        assert "modifié ailleurs" in message and "notes" in message
        assert stored(demo_workspace, GARAGE) == by_other  # nothing written
        assert form.query("#reload")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert form.query_one("#field-notes", Input).value == "Rappeler lundi (CLI)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert stored(demo_workspace, GARAGE) == by_other  # unchanged: nothing to write


async def test_notes_dialog_refuses_notes_changed_elsewhere_keeps_other_fields(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, GARAGE, "n")
        assert isinstance(dialog, NotesScreen)
        run_cli("services", GARAGE, "--fixe", "messagerie")
        dialog.query_one(TextArea).text = "Client injoignable le matin"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = stored(demo_workspace, GARAGE)
        assert after.notes == "Client injoignable le matin"
        assert list(after.services) == ["messagerie"]
        # Now the notes themselves change elsewhere while the dialog is open.
        dialog = await open_on(app, pilot, GARAGE, "n")
        assert isinstance(dialog, NotesScreen)
        other_program(data_dir, clock).set_notes(GARAGE, "Écrit par le collègue")
        dialog.query_one(TextArea).text = "Écrit ici"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and "modifié ailleurs" in error_text(dialog, "#notes-error")
        assert stored(demo_workspace, GARAGE).notes == "Écrit par le collègue"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert dialog.query_one(TextArea).text == "Écrit par le collègue"


async def test_facts_dialog_writes_only_the_date_changed(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, GARAGE, "D")
        assert isinstance(dialog, FactsScreen)
        run_cli("date", GARAGE, "premier_paiement", "2026-11-20")
        paid = stored(demo_workspace, GARAGE).events[Fact.FIRST_PAYMENT.value]
        dialog.query_one(f"#fact-{Fact.LETTER_PRINTED.value}", Input).value = "2026-11-25 10:00"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        after = stored(demo_workspace, GARAGE)
        assert Fact.LETTER_PRINTED.value in after.events
        assert after.events[Fact.FIRST_PAYMENT.value] == paid  # the CLI's date stays
        # The same date typed here and set elsewhere: refused, nothing written.
        dialog = await open_on(app, pilot, GARAGE, "D")
        assert isinstance(dialog, FactsScreen)
        run_cli("date", GARAGE, "premier_paiement", "2026-11-21")
        by_cli = stored(demo_workspace, GARAGE)
        dialog.query_one(f"#fact-{Fact.FIRST_PAYMENT.value}", Input).value = "2026-11-22 09:00"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert stored(demo_workspace, GARAGE) == by_cli
        assert dialog.query("#reload")


async def test_tick_at_refuses_a_step_ticked_elsewhere_at_another_date(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, GARAGE, "t")
        assert isinstance(dialog, TickAtScreen)
        step = dialog.step_id
        assert step is not None and step not in stored(demo_workspace, GARAGE).events
        run_cli("tick", GARAGE, step, "--at", "2026-11-30 08:00")
        by_cli = stored(demo_workspace, GARAGE)
        dialog.query_one("#tick-date", Input).value = "2026-11-29 10:00"
        await pilot.pause()  # its Changed message is handled first
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and "modifié ailleurs" in error_text(dialog, "#tick-error")
        assert stored(demo_workspace, GARAGE) == by_cli


async def test_mandate_dialog_refuses_a_state_changed_elsewhere(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, PHARMACIE, "m")
        assert isinstance(dialog, MandateScreen)
        assert dialog.dossier.bank is not None
        shown = dialog.dossier.bank.mandate_state
        elsewhere = next(s for s in MandateState if s not in (shown, MandateState.CONFIRMED))
        other_program(data_dir, clock).set_mandate_state(PHARMACIE, elsewhere)
        by_other = stored(demo_workspace, PHARMACIE)
        await pilot.press("end", "enter")  # « enregistré par la banque »
        await pilot.pause()
        assert app.screen is dialog and "modifié ailleurs" in error_text(dialog, "#mandate-error")
        assert stored(demo_workspace, PHARMACIE) == by_other
        # Something else changed elsewhere: the mandate is saved, that change kept.
        await pilot.press("ctrl+r")
        await pilot.pause()
        run_cli("services", PHARMACIE, "--fixe", "messagerie")
        await pilot.press("end", "enter")
        await pilot.pause()
        after = stored(demo_workspace, PHARMACIE)
        assert after.bank is not None and after.bank.mandate_state is MandateState.CONFIRMED
        assert list(after.services) == ["messagerie"]


async def test_remedy_refused_when_steps_changed_since_the_diagnosis_opened(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, GARAGE, "b")
        assert isinstance(dialog, DiagnosisScreen)
        run_cli("tick", GARAGE, "lien_email")
        by_cli = stored(demo_workspace, GARAGE)
        await pilot.press("ctrl+s")  # apply the first remedy proposed
        await pilot.pause()
        assert app.screen is dialog
        assert "modifié ailleurs" in error_text(dialog, "#diag-error")
        assert stored(demo_workspace, GARAGE) == by_cli
        assert dialog.query("#reload")


async def test_restart_confirmed_on_a_stale_view_keeps_the_step_ticked_elsewhere(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_on(app, pilot, GARAGE, "R")
        assert isinstance(dialog, ConfirmScreen)
        run_cli("tick", GARAGE, "lien_email")
        by_cli = stored(demo_workspace, GARAGE)
        await pilot.click("#yes")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert stored(demo_workspace, GARAGE) == by_cli  # refused: the tick is not wiped


async def test_space_bar_on_a_stale_row_does_not_untick_a_step_ticked_elsewhere(
    make_app: AppFactory, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The screen shows the step unticked: its 1 Hz reload has not run yet (held here).
    monkeypatch.setattr(MainScreen, "tick", lambda self: None)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.dossier_list.select(GARAGE)
        await pilot.pause()
        await pilot.press("enter")
        step = screen.detail.checklist.highlighted_step
        assert step is not None and step not in stored(demo_workspace, GARAGE).events
        run_cli("tick", GARAGE, step)  # the screen has not reloaded yet
        await pilot.press("space")
        await pilot.pause()
        assert step in stored(demo_workspace, GARAGE).events


async def test_space_bar_on_a_stale_expert_space_row_keeps_the_cli_tick(
    make_app: AppFactory, demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from espace_tui.tui.rows import space_key

    monkeypatch.setattr(MainScreen, "tick", lambda self: None)  # no 1 Hz reload meanwhile
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.dossier_list.select(space_key("annexe"))
        await pilot.pause()
        await pilot.press("enter")
        step = screen.detail.checklist.highlighted_step
        assert step is not None
        space = demo_workspace.get_space("annexe")
        assert step not in space.events
        run_cli("espace", "tick", "annexe", step)  # the screen still shows it unticked
        ticked = other_program(demo_workspace.store.data_dir, demo_workspace.clock)
        before = ticked.get_space("annexe")
        await pilot.press("space")
        await pilot.pause()
        after = ticked.get_space("annexe")
        assert step in after.events and after == before


async def test_space_form_never_replaces_a_space_added_elsewhere(
    make_app: AppFactory, demo_workspace: Workspace, data_dir: Path, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        form = app.screen
        for name, value in (("space_id", "lyon"), ("label", "Lyon"), ("login_email", "a@x.fr")):
            form.query_one(f"#field-{name}", Input).value = value
        await pilot.pause()
        run_cli("espace", "add", "lyon", "--nom", "Agence de Lyon", "--email", "lyon@x.fr")
        by_cli = other_program(data_dir, clock).get_space("lyon")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "existe déjà" in error_text(form, "#error-space_id")
        assert other_program(data_dir, clock).get_space("lyon") == by_cli


async def test_first_run_cabinet_saved_elsewhere_is_not_overwritten(
    workspace: Workspace, data_dir: Path, clock: FrozenClock
) -> None:
    from espace_tui.tui.screens.first_run import FirstRunScreen

    app = create_app(workspace)  # an empty folder: the first-run screen
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.click("#fr-go-cabinet")
        app.screen.query_one("#fr-cabinet-name", Input).value = "Cabinet Martin"
        await pilot.pause()
        other_program(data_dir, clock).set_cabinet("Cabinet Durand", "732829320")
        app.screen.query_one("#fr-cabinet-save").focus()
        await pilot.press("enter")
        await pilot.pause()
        stored_now = other_program(data_dir, clock).cabinet()
        assert (stored_now.name, stored_now.siren) == ("Cabinet Durand", "732829320")
        assert "rien n'a été enregistré" in error_text(app.screen, "#fr-cabinet-error")
        # The form now shows the stored cabinet: saving again is a deliberate choice.
        assert app.screen.query_one("#fr-cabinet-name", Input).value == "Cabinet Durand"
