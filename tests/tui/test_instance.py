"""A second dashboard on the same folder opens read-only; the first keeps working."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from espace_tui.tui.app import EspaceApp
from espace_tui.tui.instance_lock import InstanceLock
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE

AppFactory = Callable[..., EspaceApp]


def test_second_lock_is_refused_until_the_first_is_released(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    first, second = InstanceLock(data_dir), InstanceLock(data_dir)
    assert first.acquire()
    try:
        assert not second.acquire()
        message = second.holder_message()
        assert "déjà ouvertes" in message and "lecture seule" in message
        assert str(os.getpid()) in message
    finally:
        first.release()
    assert second.acquire()
    second.release()


async def test_read_only_dashboard_changes_nothing(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        siren = screen.selected_siren
        assert siren is not None
        before = demo_workspace.get(siren)
        await pilot.press("enter", "space", "x", "d", "a", "n")
        await pilot.pause()
        assert app.screen is screen  # no form, no confirmation opened
        assert demo_workspace.get(siren) == before
        # Reading still works: filter and sort.
        await pilot.press("s", "slash", *"garage")
        await pilot.pause()
        assert isinstance(screen, MainScreen) and screen.dossier_list.table.row_count == 1


async def test_dashboard_picks_up_writes_from_another_process(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        siren = screen.selected_siren
        assert siren is not None
        # Another Store on the same folder stands for a CLI command run meanwhile.
        from espace_tui.store.repository import Store

        other = Workspace(Store(demo_workspace.store.data_dir), demo_workspace.clock)
        step = screen.detail.checklist.highlighted_step
        assert step is not None
        other.tick(siren, step)
        screen.tick()  # what the 1 Hz timer does
        await pilot.pause()
        assert screen.detail.dossier is not None and step in screen.detail.dossier.events


def test_a_new_data_folder_is_created_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "nouveau"
    lock = InstanceLock(data_dir)
    assert lock.acquire()
    try:
        assert (data_dir.stat().st_mode & 0o777) == 0o700  # no « rights fixed » notice later
    finally:
        lock.release()
