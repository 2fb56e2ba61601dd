"""Dated entries from the dashboard: a step at a past date, the letter's print date, the
dossier's facts and the B2B mandate, driven with real keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.widgets import Input, Static

from espace_tui.domain.clock import PARIS
from espace_tui.domain.dossier import MandateState
from espace_tui.domain.procedures import Fact
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.dates import FactsScreen, MandateScreen, TickAtScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, fill

AppFactory = Callable[..., EspaceApp]


def _select(app: EspaceApp, name: str) -> str:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    for siren in screen.dossier_list.table.sirens():
        if screen.workspace.get(siren).name == name:
            screen.dossier_list.select(siren)
            return siren
    raise AssertionError(name)


def _paris(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=PARIS)


async def test_tick_at_a_past_date_then_print_date(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = _select(app, "Cabinet dentaire Roux")  # next step: the letter with the code
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TickAtScreen)
        await fill(pilot, dialog.query_one("#tick-date", Input), "2026-13-01")
        await pilot.press("enter")  # not a date
        await pilot.pause()
        error = dialog.query_one("#tick-error", Static)
        assert app.screen is dialog and error.display and "date reconnue" in str(error.render())
        await fill(pilot, dialog.query_one("#tick-date", Input), "2026-12-05 10:00")
        await pilot.press("enter")  # in the future
        await pilot.pause()
        assert app.screen is dialog and "futur" in str(error.render())
        await fill(pilot, dialog.query_one("#tick-date", Input), "2026-11-27 10:00")
        await pilot.press("enter")
        await pilot.pause()
        assert demo_workspace.get(siren).events["courrier_code"] == _paris("2026-11-27T10:00")
        # The letter came: its print date is asked for next.
        prompt = app.screen
        assert isinstance(prompt, FactsScreen)
        printed_field = prompt.query_one(f"#fact-{Fact.LETTER_PRINTED.value}", Input)
        assert app.focused is printed_field  # the date asked for is the one ready to type
        await fill(pilot, printed_field, "2026-11-24")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        printed = demo_workspace.get(siren).events[Fact.LETTER_PRINTED.value]
        assert printed == _paris("2026-11-24T00:00")
        screen = app.screen
        facts = str(screen.query_one("#facts", Static).render())
        assert "Date d'impression du courrier (en haut de la lettre) : 24 nov. 2026" in facts


async def test_space_on_letter_step_offers_print_date_skippable(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = _select(app, "Cabinet dentaire Roux")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert "courrier_code" in demo_workspace.get(siren).events
        assert isinstance(app.screen, FactsScreen)
        await pilot.press("escape")  # « Passer »
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert Fact.LETTER_PRINTED.value not in demo_workspace.get(siren).events


async def test_facts_set_and_clear(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = _select(app, "Garage des Alpes")
        await pilot.pause()
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FactsScreen)
        await fill(
            pilot, dialog.query_one(f"#fact-{Fact.FIRST_PAYMENT.value}", Input), "2026-12-20"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        events = demo_workspace.get(siren).events
        assert events[Fact.FIRST_PAYMENT.value] == _paris("2026-12-20T00:00")
        await pilot.press("D")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FactsScreen)
        dialog.query_one(f"#fact-{Fact.FIRST_PAYMENT.value}").focus()
        await pilot.press("ctrl+u", "ctrl+s")  # empty: cleared
        await pilot.pause()
        assert Fact.FIRST_PAYMENT.value not in demo_workspace.get(siren).events


async def test_mandate_state(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = _select(app, "Pharmacie du Centre")  # next step: the B2B mandate
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MandateScreen)
        await pilot.press("home", "down", "enter")  # « envoyé à la banque »
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        bank = demo_workspace.get(siren).bank
        assert bank is not None and bank.mandate_state is MandateState.SENT_TO_BANK


async def test_detail_names_blockage_and_expired_remedy(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        _select(app, "Librairie Papier")  # blocked in the demo
        await pilot.pause()
        alerts = str(screen.detail.query_one("#alerts", Static).render())
        assert "Blocage : " in alerts
        _select(app, "Plomberie Girard")  # expired
        await pilot.pause()
        status = str(screen.detail.query_one("#detail-status", Static).render())
        assert "À faire maintenant : Cabinet — Recommencer" in status


async def test_store_notices_shown_at_start(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    demo_workspace.store.notices = ["Droits du dossier de données corrigés (0700)."]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert "Droits du dossier de données corrigés (0700)." in shown
