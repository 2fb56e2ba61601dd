"""Every dialog at 80x24: each of its controls can be brought into view (the dialog scrolls
or reflows), none stays cut off; and a snapshot of each (look at them before updating)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, OptionList, Select, TextArea

from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.main import MainScreen

AppFactory = Callable[..., EspaceApp]
SMALL = (80, 24)
CONTROLS = (Button, Input, Select, Checkbox, TextArea, OptionList)

# Dialog -> keys from the main screen (demo data, first row selected unless said).
DIALOGS: dict[str, list[str]] = {
    "add_form": ["a"],
    "edit_form": ["e"],
    "delete": ["d"],
    "notes": ["n"],
    "space_form": ["A"],
    "help": ["f1"],
    "diagnosis": ["b"],
    "checks": ["B"],
    "export": ["r"],
    "letter": ["l"],
    "tick_at": ["t"],
    "facts": ["D"],
    "mandate": ["m"],
    "history": ["h"],
    "alert_settings": ["f2"],
    "restart": ["down"] * 5 + ["R"],
    "mode_chooser": ["a"],  # then its « Aide au choix du mode… » button
}


async def open_dialog(pilot: Pilot[Any], name: str) -> None:
    for key in DIALOGS[name]:
        await pilot.press(key)
        await pilot.pause()
    if name == "mode_chooser":
        pilot.app.screen.query_one("#choose-mode", Button).press()
        await pilot.pause()
    # File fields default to a folder under the test's temporary home: fixed for snapshots.
    for field_id in ("letter-path", "export-path"):
        for field in pilot.app.screen.query(f"#{field_id}").results(Input):
            field.value = "/home/cabinet/Documents/espace-tui/fichier"
    await pilot.pause()


async def controls_reachable(pilot: Pilot[Any], app: EspaceApp) -> list[str]:
    """Controls of the top screen that cannot be scrolled into the 80x24 view."""
    screen = app.screen
    cut: list[str] = []
    for control in screen.query("*"):
        if not isinstance(control, CONTROLS) or not control.display:
            continue
        if not _shown(control):
            continue
        control.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        region = control.region
        visible = region.intersection(screen.region)
        # At least one full line of it on screen (a button's label, a field's text).
        if visible.height < min(region.height, 1) or visible.width < min(region.width, 4):
            cut.append(f"{type(control).__name__}#{control.id}")
    return cut


def _shown(widget: Widget) -> bool:
    node: Any = widget
    while node is not None and isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent
    return True


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_at_80x24_reaches_each_control_and_looks_right(
    snap_compare: Callable[..., bool], make_app: AppFactory, name: str
) -> None:
    """One run per dialog: each control is scrolled into view in turn, then the dialog is put
    back as it opened (scrolled to the top) for the snapshot."""
    cut: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await pilot.pause()
        await open_dialog(pilot, name)
        assert not isinstance(app.screen, MainScreen), f"{name}: no dialog opened"
        cut.extend(await controls_reachable(pilot, app))  # type: ignore[arg-type]
        for widget in app.screen.query("*"):
            if widget.is_scrollable:
                widget.scroll_home(animate=False, immediate=True)
        app.screen.scroll_home(animate=False, immediate=True)
        await pilot.pause()

    shot = snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)
    assert cut == [], f"{name}: cut off at 80x24: {cut}"
    assert shot
