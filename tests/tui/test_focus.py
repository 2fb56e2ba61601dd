"""Tab in every dialog visits only visible, usable controls, and the focused one is marked.

Every Screen of `espace_tui/tui/screens/` (bar the main one) must be listed in DIALOGS with a
way to open it: a dialog added without one fails here with the line to add.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from rich.text import Text
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

import espace_tui.tui.screens as screens_package
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace

GARAGE = "813392966"  # simplified mode, waiting on the e-mail link
LIBRAIRIE = "820723997"  # blocked: « déjà un adhérent »
SIZES = [(120, 36), (80, 24)]  # the usual terminal, then the smallest supported

Factory = Callable[[Workspace], Screen[Any]]


def _dialogs() -> dict[str, Factory]:
    from espace_tui.tui.screens.agenda import AgendaScreen
    from espace_tui.tui.screens.alert_settings import AlertSettingsScreen
    from espace_tui.tui.screens.batch import BatchScreen
    from espace_tui.tui.screens.checks import ChecksScreen
    from espace_tui.tui.screens.confirm import ConfirmScreen
    from espace_tui.tui.screens.dates import FactsScreen, MandateScreen, TickAtScreen
    from espace_tui.tui.screens.diagnosis import DiagnosisScreen, SpacePicker
    from espace_tui.tui.screens.dossier_form import DossierForm
    from espace_tui.tui.screens.export import ExportScreen
    from espace_tui.tui.screens.first_run import FirstRunScreen
    from espace_tui.tui.screens.guide import GuideScreen
    from espace_tui.tui.screens.help import HelpScreen
    from espace_tui.tui.screens.history import HistoryScreen
    from espace_tui.tui.screens.letter import LetterScreen
    from espace_tui.tui.screens.mode_chooser import ModeChooser
    from espace_tui.tui.screens.notes import NotesScreen
    from espace_tui.tui.screens.password import PasswordScreen
    from espace_tui.tui.screens.space_form import SpaceForm

    return {
        "AgendaScreen": lambda ws: AgendaScreen(ws),
        "AlertSettingsScreen": lambda ws: AlertSettingsScreen(ws),
        "BatchScreen": lambda ws: BatchScreen(ws, [GARAGE, LIBRAIRIE]),
        "ChecksScreen": lambda ws: ChecksScreen(ws),
        "ConfirmScreen": lambda ws: ConfirmScreen(("Supprimer ?", Text("Vraiment ?"))),
        "FactsScreen": lambda ws: FactsScreen(ws, ws.get(GARAGE)),
        "MandateScreen": lambda ws: MandateScreen(ws, ws.get(GARAGE)),
        "TickAtScreen": lambda ws: TickAtScreen(ws, ws.get(GARAGE), None),
        "DiagnosisScreen": lambda ws: DiagnosisScreen(ws, ws.get(LIBRAIRIE)),
        "SpacePicker": lambda ws: SpacePicker(ws),
        "DossierForm": lambda ws: DossierForm(ws, ws.get(GARAGE)),
        "ExportScreen": lambda ws: ExportScreen(ws),
        "FirstRunScreen": lambda ws: FirstRunScreen(ws),
        "GuideScreen": lambda ws: GuideScreen(),
        "HelpScreen": lambda ws: HelpScreen([("Application", [("F1", "Aide")] * 30)]),
        "LetterScreen": lambda ws: LetterScreen(ws, ws.get(GARAGE)),
        "ModeChooser": lambda ws: ModeChooser(has_expert_space=True),
        "NotesScreen": lambda ws: NotesScreen(ws, ws.get(GARAGE)),
        "HistoryScreen": lambda ws: HistoryScreen(
            "Historique", ws.get(GARAGE).history, chased=False
        ),
        "PasswordScreen": lambda ws: PasswordScreen(Text("Mot de passe SMTP")),
        "SpaceForm": lambda ws: SpaceForm(ws),
        # The add form (no dossier): another Tab order (SIREN first, « Aide au choix »).
        "DossierForm (ajout)": lambda ws: DossierForm(ws),
    }


DIALOGS = _dialogs()


def screen_classes() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(screens_package.__path__):
        module = importlib.import_module(f"{screens_package.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Screen)
                and value.__module__ == module.__name__
                and value is not MainScreen
                and "compose" in vars(value)  # a dialog, not a base class of dialogs
            ):
                found.add(name)
    return found


def test_every_dialog_is_walked() -> None:
    missing = sorted(screen_classes() - DIALOGS.keys())
    assert not missing, "tests/tui/test_focus.py: add to _dialogs() a way to open " + ", ".join(
        f'"{name}": lambda ws: {name}(...)' for name in missing
    )


def name(widget: Widget | None) -> str:
    return "rien" if widget is None else f"{type(widget).__name__}#{widget.id}"


def looks(screen: Screen[Any], widgets: list[Widget]) -> dict[Widget, list[Strip]]:
    """What the user sees of each widget (its children and scrollbars included)."""
    strips = screen._compositor.render_strips()  # the whole screen, drawn once
    seen = {w: _shown(screen, w) for w in widgets}
    return {
        w: [strips[y].crop(r.x, r.right) for y in range(r.y, r.bottom)] for w, r in seen.items()
    }


def _shown(screen: Screen[Any], widget: Widget) -> Region:
    geometry = screen._compositor.find_widget(widget)
    return geometry.region.intersection(geometry.clip)


def in_sight(screen: Screen[Any], widget: Widget) -> bool:
    """Shown now, or inside a scrolling area wholly on screen that scrolls to it on focus."""
    if widget.region.area == 0:
        return False
    if _shown(screen, widget).area:
        return True
    scroller = next(
        (
            a
            for a in widget.ancestors
            if isinstance(a, Widget) and (a.allow_vertical_scroll or a.allow_horizontal_scroll)
        ),
        None,
    )
    if scroller is None or scroller is screen:
        return False
    return _shown(screen, scroller) == scroller.region


def _related(a: Widget, b: Widget) -> bool:
    return a is b or a in b.ancestors or b in a.ancestors


async def walk_and_check(pilot: Pilot[Any], screen: Screen[Any]) -> list[str]:
    """Tab round the dialog once; each stop in sight, usable, and marked while focused."""
    app = pilot.app
    chain = screen.focus_chain
    if not chain:
        return []  # nothing to Tab to (a help text that fits): no invisible stop either
    start = app.focused
    if start is None:
        return [f"nothing has the focus on opening (Tab stops: {len(chain)})"]
    problems: list[str] = []
    # What every stop looks like while each stop in turn has the focus.
    states: list[tuple[Widget, dict[Widget, list[Strip]]]] = []

    def record(focused: Widget) -> None:
        states.append((focused, looks(screen, [w for w in chain if w.region.area])))

    record(start)
    for _ in range(len(chain) + 1):
        await pilot.press("tab")
        current = app.focused
        if current is start:
            break
        if current is None:
            return [*problems, f"Tab after {name(states[-1][0])} leaves the focus nowhere"]
        if current.disabled or not current.display:
            problems.append(f"{name(current)} is a Tab stop but is disabled or hidden")
        elif not in_sight(screen, current):
            problems.append(f"{name(current)} is a Tab stop out of sight")
        record(current)
    else:
        return [*problems, f"Tab never comes back to {name(start)}"]
    for index, (stop, seen) in enumerate(states):
        # Compared with the focus elsewhere, the previous stop first (neither inside this
        # one, as in a scrolling area, nor around it).
        others = [states[index - 1], *states[:index], *states[index + 1 :]]
        unfocused = next((o for f, o in others if not _related(f, stop) and stop in o), None)
        if unfocused is None:  # every other stop is inside it (or none): no focus at all
            screen.set_focus(stop)
            await pilot.pause()
            seen = looks(screen, [stop])
            screen.set_focus(None)
            await pilot.pause()
            unfocused = looks(screen, [stop])
        if unfocused[stop] == seen.get(stop):
            problems.append(f"{name(stop)} looks the same with and without the focus")
    return problems


def sight_problems(screen: Screen[Any]) -> list[str]:
    return [
        f"{name(w)} is a Tab stop out of sight"
        for w in screen.focus_chain
        if not in_sight(screen, w)
    ]


# Dialogs cut off at 80x24 (controls below the screen's edge): the "cockpit" work makes every
# dialog fit; once one does, this test says to remove it from here.
CUT_OFF_AT_80X24 = {
    "FactsScreen",
}


@pytest.mark.parametrize("dialog", sorted(DIALOGS))
async def test_tab_visits_only_visible_marked_controls(
    demo_workspace: Workspace, dialog: str
) -> None:
    app = create_app(demo_workspace)
    report: list[str] = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await pilot.pause()
        await app.push_screen(DIALOGS[dialog](demo_workspace))
        await pilot.pause()
        screen = app.screen
        assert not isinstance(screen, MainScreen)
        report += await walk_and_check(pilot, screen)
        await pilot.resize_terminal(*SIZES[1])
        await pilot.pause()
        cut_off = sight_problems(screen)
        if dialog in CUT_OFF_AT_80X24:
            if not cut_off:
                report.append(f"{dialog} fits 80x24 now: remove it from CUT_OFF_AT_80X24")
        else:
            report += [f"at 80x24: {p}" for p in cut_off]
    assert not report, f"{dialog}: " + "\n".join(report)
