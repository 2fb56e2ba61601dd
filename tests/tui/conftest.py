"""Dashboard fixtures: the real app on a temporary store, demo data and a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, TextArea

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.helpline import is_public_holiday
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo
from tests.conftest import NOW

SIZE = (120, 36)


@pytest.fixture(autouse=True, scope="session")
def holiday_calendar_loaded() -> None:
    """The header shows the helpline's state once the holiday calendar is loaded (by a worker,
    0.3 s after start), and the calendar stays loaded for the process. Loaded before any
    test, every snapshot shows the same header whichever tests ran before it in this process
    (pytest-xdist gives each worker its own share)."""
    is_public_holiday(NOW)


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors blink every 0.5 s: a snapshot taken a little later on a loaded machine
    (or a parallel run) would differ. They stay shown."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture(autouse=True)
def documents_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own: dialogs propose (and create) ~/Documents/espace-tui."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


@pytest.fixture
def demo_workspace(workspace: Workspace, clock: FrozenClock) -> Workspace:
    fill_demo(workspace.store, clock.now())
    return workspace


@pytest.fixture
def make_app(demo_workspace: Workspace) -> Callable[..., EspaceApp]:
    def build(*, read_only: bool = False) -> EspaceApp:
        return create_app(demo_workspace, read_only=read_only)

    return build


# Enough for a loaded machine; a broken app fails here instead of hanging the suite.
WAIT_STEPS = 2000


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition()` holds (async work: workers, searches, timers)."""
    for _ in range(WAIT_STEPS):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


async def wait_for_workers_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str
) -> None:
    """As `wait_until`, letting the app's thread workers finish between checks (registry
    lookups, e-mail sending)."""
    for _ in range(WAIT_STEPS):
        if condition():
            return
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    raise AssertionError(f"never happened: {what}")


async def fill(pilot: Pilot[Any], field: Input, text: str) -> None:
    """Type `text` into `field`: set all but the last character, then press it as a key.

    The key still goes through the widget's handlers (validation as you type, submit…);
    typing every character would prove nothing more and cost ~60 ms a key.
    """
    field.focus()
    await pilot.pause()  # focusing selects all (select_on_focus): set the value after it
    field.value = text[:-1]
    field.cursor_position = len(field.value)
    if text:
        await pilot.press(text[-1] if text[-1] != " " else "space")


def palette_offers(app: App[Any], words: str) -> bool:
    """The command palette's first suggestion contains `words` (its search runs async)."""
    from textual.command import CommandList
    from textual.css.query import NoMatches

    try:
        commands = app.screen.query_one(CommandList)
    except NoMatches:
        return False
    if not commands.option_count or commands.highlighted is None:
        return False
    return words.lower() in str(commands.get_option_at_index(0).prompt).lower()


def shown_lines(app: App[Any], widget: Widget) -> list[str]:
    """The text of `widget`'s lines as the terminal shows them: lines Textual was not asked
    to redraw come from its cache, as they stay on a real terminal."""
    compositor = app.screen._compositor
    region = compositor.find_widget(widget).region
    strips = compositor.render_strips()
    return [strips[y].crop(region.x, region.right).text for y in range(region.y, region.bottom)]


def shown_line(app: App[Any], widget: Widget, words: str) -> str:
    """The line of `widget` on screen that contains `words`, its blanks squeezed to one
    ("" when none does)."""
    line = next((line for line in shown_lines(app, widget) if words in line), "")
    return " ".join(line.split())


async def buttons_at_rest(pilot: Pilot[Any]) -> None:
    """A pressed button shows itself pressed for 0.2 s: a snapshot waits until it is drawn
    at rest again."""
    await wait_until(
        pilot, lambda: not pilot.app.screen.query("Button.-active"), "the pressed button at rest"
    )
