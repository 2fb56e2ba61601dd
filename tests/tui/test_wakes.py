"""An idle dashboard sleeps: its tick runs when something shown changes or the data file was
written, not every second (tui/alarm.py, store/watch.py). What the user sees stays live."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from espace_tui.domain.clock import PARIS
from espace_tui.domain.dossier import CabinetInfo
from espace_tui.store.repository import Store
from espace_tui.tui.app import create_app
from espace_tui.tui.screens import main as main_module
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.sirens import valid_sirens
from tests.tui.conftest import wait_until
from tests.tui.test_live_countdowns import link_dossier, main_screen, on_screen

SIZE = (120, 36)


@dataclass
class MovingClock:
    """Real time, from a chosen instant: countdowns move by themselves."""

    start: datetime = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    _origin: float = field(default_factory=time.monotonic)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)


class Ticks:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = MainScreen.tick

        def counted(screen: MainScreen) -> None:
            self.count += 1
            real(screen)

        monkeypatch.setattr(MainScreen, "tick", counted)


async def watching(pilot: Pilot[Any]) -> MainScreen:
    """The main screen once its watch on the data file runs (started after the first paint)."""
    screen = main_screen(pilot.app)  # type: ignore[arg-type]
    await wait_until(
        pilot, lambda: screen._watch is not None and screen._watch.running, "the watch runs"
    )
    return screen


async def test_an_idle_dashboard_does_not_tick_every_second(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = Ticks(monkeypatch)
    app = create_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        await watching(pilot)
        await pilot.pause(0.5)  # the frozen clock's first rings are over
        before = ticks.count
        await pilot.pause(2.5)
        assert ticks.count == before, "the tick ran while nothing was due"


async def test_another_programs_write_is_shown_without_waiting_for_the_slow_check(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "LOOK_EVERY_WATCHED", 3600.0)
    app = create_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        screen = await watching(pilot)
        assert screen._alarm.longest == 3600.0
        await pilot.pause(1.5)  # the alarm set before the watch ran (1 s at most) has rung
        siren = valid_sirens(1)[0]
        other = Store(demo_workspace.store.data_dir)
        other.insert_dossiers(
            [link_dossier(siren, "Ajouté ailleurs", other.clock.now(), timedelta(hours=30))]
        )
        started = time.monotonic()
        await wait_until(
            pilot, lambda: siren in screen.dossier_list.rows, "the outside change shown"
        )
        assert time.monotonic() - started < 5


async def test_a_data_folder_removed_then_made_again_is_watched_again(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(main_module, "LOOK_EVERY_WATCHED", 3600.0)
    folder = demo_workspace.store.data_dir
    app = create_app(demo_workspace)
    async with app.run_test(size=SIZE) as pilot:
        screen = await watching(pilot)
        kept = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
        shutil.rmtree(folder)
        await wait_until(pilot, lambda: screen.read_only, "read-only on the last data")
        folder.mkdir()
        for name, data in kept.items():
            (folder / name).write_bytes(data)
        await wait_until(pilot, lambda: not screen.read_only, "the data back")
        await wait_until(pilot, lambda: screen._alarm.longest == 3600.0, "watched again")
        await pilot.pause(1.5)  # the alarm set while it was not watched has rung
        siren = valid_sirens(1)[0]
        other = Store(folder)
        other.insert_dossiers(
            [link_dossier(siren, "Ajouté ailleurs", other.clock.now(), timedelta(hours=30))]
        )
        await wait_until(pilot, lambda: siren in screen.dossier_list.rows, "the outside change")


async def test_the_header_clock_turns_the_minute_by_itself(data_dir: Path) -> None:
    """Nothing else changes: the alarm rings at the minute for the clock alone."""
    clock = MovingClock(start=datetime(2026, 12, 1, 9, 0, 57, tzinfo=PARIS))
    workspace = Workspace(Store(data_dir, clock=clock), clock)
    workspace.store.put_cabinet(CabinetInfo(name="Cabinet des essais"))
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        header = main_screen(app).top_bar.query_one("#clock")
        assert "09:00" in str(header.render())
        await wait_until(pilot, lambda: "09:01" in str(header.render()), "09:01 in the header")
        assert clock.now() < datetime(2026, 12, 1, 9, 1, 2, tzinfo=PARIS)  # on time


async def test_the_minute_and_a_countdown_a_second_later_are_shown_by_one_tick(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MovingClock(start=datetime(2026, 12, 1, 9, 0, 58, tzinfo=PARIS))
    workspace = Workspace(Store(data_dir, clock=clock), clock)
    workspace.store.put_cabinet(CabinetInfo(name="Cabinet des essais"))
    siren = valid_sirens(1)[0]
    # 10 min 2.8 s left: « 10 min » turns « 9 min » at 09:01:00.8, just after the minute.
    workspace.store.insert_dossiers(
        [link_dossier(siren, "Client", clock.now(), timedelta(minutes=10, seconds=2.8))]
    )
    ticks = Ticks(monkeypatch)
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        header = main_screen(app).top_bar.query_one("#clock")
        assert on_screen(app, siren).endswith("10 min")
        await wait_until(pilot, lambda: clock.now().second == 59, "09:00:59")
        before = ticks.count
        await wait_until(pilot, lambda: on_screen(app, siren).endswith("9 min"), "9 min")
        assert "09:01" in str(header.render())
        await pilot.pause(0.5)
        assert ticks.count == before + 1, "the minute and the countdown took two ticks"


async def test_a_countdown_in_seconds_counts_down_by_itself(data_dir: Path) -> None:
    """A dossier another program adds, its link expiring in a minute: its line counts the
    seconds with nobody calling the tick (the list says when its lines next change)."""
    clock = MovingClock()
    workspace = Workspace(Store(data_dir, clock=clock), clock)
    workspace.store.put_cabinet(CabinetInfo(name="Cabinet des essais"))
    calm, siren = valid_sirens(2)
    # The one selected: the detail pane shows its countdown, not the new one's.
    workspace.store.insert_dossiers(
        [link_dossier(calm, "Client tranquille", clock.now(), timedelta(hours=30))]
    )
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await watching(pilot)
        await pilot.pause(1.5)  # the alarm set before the watch ran (1 s at most) has rung
        # 61.5 s left: « 1 min » until 1.5 s from now, then the seconds.
        other = Store(workspace.store.data_dir)
        other.insert_dossiers(
            [link_dossier(siren, "Client pressé", clock.now(), timedelta(seconds=61.5))]
        )

        def line() -> str:
            return on_screen(app, siren) if siren in main_screen(app).dossier_list.rows else ""

        await wait_until(pilot, lambda: "1 min" in line(), "the new row")
        assert main_screen(app).selected_siren == calm

        def seconds_left() -> int | None:
            words = line().split()
            return int(words[-2]) if words[-1] == "s" else None

        await wait_until(pilot, lambda: seconds_left() is not None, "the seconds shown")
        first = seconds_left()
        assert first is not None and first >= 55
        await wait_until(pilot, lambda: (seconds_left() or 99) < first, "a second later")
