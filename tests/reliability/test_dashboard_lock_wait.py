"""Another program holds the data lock while the dashboard saves: the screen does not freeze
waiting for it, says the change is waiting, and saves it once the lock is free."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.domain.clock import FrozenClock
from espace_tui.store.repository import Store
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo
from tests.tui.conftest import wait_until

GARAGE = "813392966"


async def test_a_change_waits_for_the_lock_off_the_ui_and_is_saved(
    data_dir: Path, clock: FrozenClock, figures: Any
) -> None:
    fill_demo(Store(data_dir), clock.now())
    workspace = Workspace(Store(data_dir, lock_timeout=0.05), clock)
    other = Store(data_dir)  # another program, holding the lock (a long import…)
    holding = other.transaction()
    app = create_app(workspace)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.dossier_list.select(GARAGE)
        await pilot.pause()
        await pilot.press("enter")
        step = screen.detail.checklist.highlighted_step
        assert step is not None
        holding.__enter__()
        try:
            await pilot.press("space")
            await pilot.pause()
            said = " ".join(str(n.message) for n in app._notifications)
            assert "attend son tour" in said
            assert step not in Store(data_dir).get_dossier(GARAGE).events  # type: ignore[union-attr]
            await pilot.press("s")  # the screen still answers while the change waits
            await pilot.pause()
            assert "Tri" in " ".join(str(n.message) for n in app._notifications)
        finally:
            holding.__exit__(None, None, None)

        def saved_and_said() -> bool:
            dossier = Store(data_dir).get_dossier(GARAGE)
            said = " ".join(str(n.message) for n in app._notifications)
            return dossier is not None and step in dossier.events and "enregistré" in said

        # The retry timer runs every 0.5 s; the write lands, then the screen says so.
        await wait_until(pilot, saved_and_said, "the change saved once the lock is free")
    figures("data locked by another program: change queued, screen responsive, saved after")
