"""The dashboard sets what it read aside from the cycle collector's scans (each would
traverse every dossier), and gives it back when it closes: nothing stays frozen after."""

from __future__ import annotations

import gc
from collections.abc import Callable

from espace_tui.tui.app import EspaceApp
from tests.tui.conftest import SIZE


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
