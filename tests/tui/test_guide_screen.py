"""The guide screen (from the help, its key, the palette) and the mode chooser in the add form."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.command import CommandInput
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from espace_tui import tui as tui_package
from espace_tui.domain.guide import render_markdown
from espace_tui.domain.procedures import PROCEDURES
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.dossier_form import DossierForm
from espace_tui.tui.screens.guide import GuideScreen
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.tui.screens.mode_chooser import ModeChooser
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, fill, palette_offers, wait_until

AppFactory = Callable[..., EspaceApp]
Snap = Callable[..., bool]


async def test_help_then_g_opens_the_guide_generated_from_the_data(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)
        # One section per heading; together they are the text `espace-tui guide` prints.
        sections = app.screen.sections
        assert "".join(s.markdown for s in sections) == render_markdown()
        assert len(app.screen.query(".guide-section")) == len(sections)
        assert [s.title for s in sections if s.level == 3] == [p.label for p in PROCEDURES.values()]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_guide_from_its_key_and_from_the_palette(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GuideScreen)
        assert not screen.contents_shown  # the tables need the full width
        scroll = screen.query_one("#guide", VerticalScroll)
        assert scroll.has_focus and scroll.scroll_y == 0
        await pilot.press("down")
        assert scroll.scroll_y == 1  # the arrows scroll the guide
        await pilot.press("t")
        assert screen.contents_shown
        contents = screen.query_one("#guide-contents", OptionList)
        assert contents.has_focus
        # The contents jump to a section: the last one, « Sources ».
        await pilot.press("end", "enter")
        await pilot.pause()
        sources = screen.query(".guide-section").last()
        assert scroll.scroll_y > 0
        assert scroll.scroll_y in (sources.virtual_region.y, scroll.max_scroll_y)
        await pilot.press("t")
        assert not screen.contents_shown and scroll.has_focus
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await fill(pilot, app.screen.query_one(CommandInput), "guide des proc")
        await wait_until(pilot, lambda: palette_offers(app, "guide des proc"), "the guide offered")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GuideScreen)


async def _open_chooser(pilot: Pilot[Any], app: EspaceApp) -> None:
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, DossierForm)
    app.screen.query_one("#choose-mode").focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ModeChooser)


async def _fill_and_save(pilot: Pilot[Any], app: EspaceApp, siren: str, name: str) -> None:
    app.screen.query_one("#field-siren", Input).value = siren
    app.screen.query_one("#field-name", Input).value = name
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_chooser_prefills_expert_mode_for_a_siren_that_already_has_an_espace(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_chooser(pilot, app)
        await pilot.press("n")  # the cabinet acts for the client
        await pilot.press("o")  # the SIREN already has an espace or services
        await pilot.pause()
        result = str(app.screen.query_one("#chooser-result", Static).render())
        assert "Recommandation : Mode expert (adhésion depuis l'espace du cabinet)" in result
        assert "Autre voie possible : Substitution du titulaire des services" in result
        assert "60 j après la date d'impression du courrier" in result
        await pilot.press("enter")  # « Appliquer » has the focus
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        assert app.screen.query_one("#field-mode", Select).value == "expert"
        reason = str(app.screen.query_one("#mode-advice-reason", Static).render())
        assert "Il existe déjà un adhérent" in reason and "substitution" in reason
        await _fill_and_save(pilot, app, "552081317", "Danone")
        assert isinstance(app.screen, MainScreen)
    dossier = demo_workspace.store.get_dossier("552081317")
    assert dossier is not None
    # The expert adhesion first; the substitution only if the site refuses it (diagnosis).
    assert (dossier.mode.value, dossier.procedure_id) == ("expert", "adhesion_expert")


async def test_the_user_can_override_the_advice(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_chooser(pilot, app)
        await pilot.press("o", "o")  # for itself, but services already held…
        await pilot.press("backspace")  # …no: back one question
        # No services, no collectivité, nobody else manages them, one company.
        await pilot.press("n", "n", "n", "n")
        await pilot.pause()
        assert "Mode simplifié" in str(app.screen.query_one("#chooser-result", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        select = app.screen.query_one("#field-mode", Select)
        assert select.value == "simplifie"
        select.value = "expert"  # the accountant knows better
        await _fill_and_save(pilot, app, "552081317", "Danone")
    dossier = demo_workspace.store.get_dossier("552081317")
    assert dossier is not None
    assert (dossier.mode.value, dossier.procedure_id) == ("expert", "adhesion_expert")


async def test_escape_leaves_the_form_untouched(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_chooser(pilot, app)
        await pilot.press("n")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DossierForm)
        assert app.screen.query_one("#field-mode", Select).value == "simplifie"


def test_guide_snapshot(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["G"])


class ChooserApp(App[None]):
    """The chooser alone, with the dashboard's styles: its snapshot does not change when
    other features change the main screen behind it."""

    CSS_PATH = str(Path(tui_package.__file__).parent / "app.tcss")

    def on_mount(self) -> None:
        self.push_screen(ModeChooser(has_expert_space=False))


def test_chooser_recommendation_snapshot(snap_compare: Snap) -> None:
    # The cabinet acts for the client, nobody holds the services, a collectivité.
    assert snap_compare(ChooserApp(), terminal_size=SIZE, press=["n", "n", "o"])
