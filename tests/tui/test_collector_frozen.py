"""The dashboard sets what it read aside from the cycle collector's scans (each would
traverse every dossier), and gives it back when it closes: nothing stays frozen after."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

from espace_tui.store.collector import SetAside
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.main import MainScreen
from espace_tui.tui.screens.notes import NotesScreen
from tests.tui.conftest import SIZE, wait_until


async def test_dossiers_read_are_frozen_while_open_and_released_at_close(
    make_app: Callable[..., EspaceApp],
) -> None:
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0


async def test_a_dialog_open_while_the_list_reloads_is_collected_after_the_next_sweep(
    make_app: Callable[..., EspaceApp],
) -> None:
    """A reload sets aside everything alive, the open dialog too: once closed it is garbage
    the collector cannot see. The periodic sweep gives it back, so a day of saves and
    outside changes does not pile up closed dialogs."""
    gc.unfreeze()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        minutes = [0.0]
        main._set_aside = SetAside(every=600, clock=lambda: minutes[0] * 60)
        closed: list[weakref.ref[NotesScreen]] = []
        for _ in range(3):
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, NotesScreen), "the notes")
            closed.append(weakref.ref(app.screen))  # type: ignore[arg-type]
            main.reload()  # as after a save or another program's write
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main, "the notes closed")
        gc.collect()
        assert [ref() is not None for ref in closed] == [True] * 3  # set aside, unreachable
        minutes[0] = 9
        main.tick()
        gc.collect()
        assert all(ref() is not None for ref in closed)  # no sweep before ten minutes
        minutes[0] = 10
        main.tick()
        gc.collect()
        assert [ref() is None for ref in closed] == [True] * 3
        assert gc.get_freeze_count() > 0  # the data read is set aside again
