"""The agenda counts down live like the main list; Enter on an expert space selects its row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from espace_tui.domain.clock import FrozenClock
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.rows import space_key
from espace_tui.tui.screens.agenda import AgendaScreen
from espace_tui.tui.screens.main import MainScreen

AppFactory = Callable[..., EspaceApp]


def countdowns(screen: AgendaScreen) -> list[str]:
    texts = []
    for table in screen.query(DataTable):
        for row in range(table.row_count):
            texts.append(str(table.get_cell_at(Coordinate(row, 1))))
    return texts


async def test_agenda_counts_down_live(make_app: AppFactory, clock: FrozenClock) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        before = countdowns(screen)
        clock.advance(timedelta(hours=3))
        screen.tick()
        await pilot.pause()
        after = countdowns(screen)
        assert len(after) == len(before) and after != before


async def test_enter_on_an_expert_space_selects_its_row(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AgendaScreen)
        entry = next(e for e in screen.agenda.entries if e.item.kind == "space")
        screen.dismiss(space_key(entry.item.key))
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.selected_space_id == entry.item.key
