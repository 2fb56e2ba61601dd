"""Export dialog (r), agenda (g) and client letter (l), driven with keys on the demo cabinet."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from icalendar import Calendar
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Select,
    SelectionList,
    Static,
    TextArea,
)

from espace_tui.domain.validation import DossierDraft
from espace_tui.report.letters import no_letter_reason
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.agenda import AgendaScreen
from espace_tui.tui.screens.export import ExportScreen
from espace_tui.tui.screens.letter import LetterScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE

AppFactory = Callable[..., EspaceApp]
GARAGE = "813392966"  # first by urgency: link to click within 12 h
BERNARD = "828055020"  # activation code expired yesterday
NEW = "356000000"  # added by a test: nothing done yet


def main_screen(app: EspaceApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def select(app: EspaceApp, siren: str) -> None:
    main_screen(app).reload(select=siren)
    assert main_screen(app).selected_siren == siren


def error_text(screen: object, selector: str) -> str:
    widget = screen.query_one(selector, Static)  # type: ignore[attr-defined]
    return str(widget.render()) if widget.display else ""


# -- export ----------------------------------------------------------------------------


async def test_export_dialog_writes_the_chosen_format_and_selection(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        await pilot.click("#format-json")
        path = screen.query_one("#export-path", Input)
        assert path.value.endswith(".json")  # the extension follows the format
        path.value = str(tmp_path / "rapport.json")
        screen.query_one("#export-statuses", SelectionList).select("expired")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        data = json.loads((tmp_path / "rapport.json").read_text(encoding="utf-8"))
        assert data["filter"] == ["expired"]
        assert {d["status"] for d in data["dossiers"]} == {"expired"}
        assert any("rapport.json" in n.message for n in app._notifications)


async def test_export_calendar_from_the_dashboard(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.click("#format-ics")
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "agenda.ics")
        await pilot.click("#run")
        await app.workers.wait_for_complete()
        await pilot.pause()
        calendar = Calendar.from_ical((tmp_path / "agenda.ics").read_bytes())
        assert f"{GARAGE}-simplifie-lien_email@espace-tui" in {
            str(e["UID"]) for e in calendar.walk("VEVENT")
        }


async def test_export_refuses_a_missing_folder_and_stays_open(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        screen = app.screen
        screen.query_one("#export-path", Input).value = str(tmp_path / "absent" / "r.html")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "n'existe pas" in error_text(screen, "#export-error")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


# -- agenda ----------------------------------------------------------------------------


async def test_agenda_groups_by_owner_and_enter_opens_the_dossier(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(app, "812345676")  # Boulangerie Martin, not the one we will open
        await pilot.press("g")
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        tables = {t.id: t for t in screen.query(DataTable)}
        assert list(tables) == ["agenda-cabinet", "agenda-client", "agenda-dgfip", "agenda-banque"]
        assert sum(t.row_count for t in tables.values()) == len(screen.agenda)
        await pilot.press("tab")  # the clients' table: Garage des Alpes, due today, first
        assert app.focused is tables["agenda-client"]
        await pilot.press("enter")
        await pilot.pause()
        assert main_screen(app).selected_siren == GARAGE


# -- letter ----------------------------------------------------------------------------


async def test_letter_is_shown_saved_and_recorded(
    make_app: AppFactory, demo_workspace: Workspace, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(app, GARAGE)
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, LetterScreen)
        text = screen.query_one("#letter-text", TextArea).text
        assert "avant le mardi 1er décembre 2026 à 21 h (encore 12 heures)" in text
        target = tmp_path / "lettre.txt"
        screen.query_one("#letter-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        assert target.read_text(encoding="utf-8") == text
        await pilot.press("ctrl+y")  # the clipboard too (OSC 52); recorded once only
        assert app.clipboard == text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    history = demo_workspace.get(GARAGE).history
    chased = [h for h in history if h.action == "client_chased"]
    assert len(chased) == 1
    assert chased[0].detail.startswith("Client relancé le 01/12/2026 09:00")


async def test_letter_with_a_passed_deadline_says_so_and_records_nothing(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(app, BERNARD)
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, LetterScreen)
        assert "échéance de cette lettre est passée" in error_text(screen, "#letter-error")
        assert screen.query_one("#copy", Button).disabled
        assert screen.query_one("#save", Button).disabled
        await pilot.press("escape")
    assert all(h.action != "client_chased" for h in demo_workspace.get(BERNARD).history)


async def test_letter_follows_the_same_rule_as_the_command_line(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    """A brand-new dossier waits on the client's form, which no letter covers: no letter is
    pre-chosen (the CLI refuses for the same reason), until the user picks one."""
    demo_workspace.add_dossier(DossierDraft(siren=NEW, name="La Poste", mode="simplifie"))
    reason = no_letter_reason(demo_workspace.state(demo_workspace.get(NEW)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await select(app, NEW)
        await pilot.press("l")
        screen = app.screen
        assert isinstance(screen, LetterScreen)
        assert screen.query_one("#letter-type", Select).value is Select.NULL
        assert error_text(screen, "#letter-error").startswith(reason)
        assert screen.query_one("#letter-text", TextArea).text == ""
        assert screen.query_one("#copy", Button).disabled
        screen.query_one("#letter-type", Select).value = "lien"
        await pilot.pause()
        assert "cliquer sur le lien" in screen.query_one("#letter-text", TextArea).text
        assert not screen.query_one("#copy", Button).disabled
        # No blocking problem; what is missing (no company e-mail here) is said, not hidden.
        warning = error_text(screen, "#letter-error")
        assert warning.startswith("Attention :") and "pas d'e-mail de l'entreprise" in warning


async def test_letter_is_not_offered_read_only(make_app: AppFactory) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("g")  # reading the agenda is fine
        assert isinstance(app.screen, AgendaScreen)


# -- snapshot (review the SVG before updating) -----------------------------------------
# Only the agenda, a screen of its own: the dialogs are drawn over the main screen, whose
# snapshots belong to the dashboard's tests; the Pilot tests above cover them.

Snap = Callable[..., bool]


def test_agenda_snapshot(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["g"])
