"""Countdowns are written for the rows on screen only, statuses for every row on time.

A dashboard left open with thousands of dossiers must not recompute them all when a minute
passes: the list writes a countdown when it draws the line. These tests pin what the user
must still see: a row scrolled into view reads as at that instant, and a threshold crossed
by a row nobody looks at still recolours it, moves it, counts it and raises its alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.color import Color
from textual.widgets import Static

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.deadlines import Status, Thresholds
from espace_tui.domain.dossier import CabinetInfo, Dossier, Mode
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.tui.rows import RowView, SortOrder
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.sirens import valid_sirens
from tests.tui.conftest import shown_line, shown_lines

SIZE = (120, 36)
# Simplified mode: the link's window is 72 h from the form; urgent under 48 h left.
WINDOW = timedelta(hours=72)
ROWS = 80  # far more than the list shows at 120x36


def link_dossier(siren: str, name: str, now: datetime, left: timedelta) -> Dossier:
    sent = now - WINDOW + left
    return Dossier(
        siren=siren,
        name=name,
        mode=Mode.SIMPLIFIED,
        created_at=sent,
        events={"formulaire": sent},
    )


def fill(workspace: Workspace, extra: dict[str, timedelta]) -> dict[str, str]:
    """ROWS urgent dossiers, 2 h, 2 h 10 min, … left (the list's order), then `extra`
    (name: time left); the SIREN of each name."""
    now = workspace.now()
    names = [f"Client {i:03d}" for i in range(ROWS)] + list(extra)
    sirens = dict(zip(names, valid_sirens(len(names)), strict=True))
    lefts = [timedelta(hours=2, minutes=10 * i) for i in range(ROWS)] + list(extra.values())
    workspace.store.put_cabinet(CabinetInfo(name="Cabinet des essais"))
    workspace.store.insert_dossiers(
        [link_dossier(sirens[n], n, now, left) for n, left in zip(names, lefts, strict=True)]
    )
    return sirens


def main_screen(app: EspaceApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def order(app: EspaceApp) -> SortOrder:
    return main_screen(app).dossier_list.order


def row(app: EspaceApp, siren: str) -> RowView:
    return main_screen(app).dossier_list.rows[siren]


def on_screen(app: EspaceApp, siren: str) -> str:
    """The list's line of this dossier as the terminal shows it ("" when not in view)."""
    screen = main_screen(app)
    return shown_line(app, screen.dossier_list.table, row(app, siren).siren_text)


def shown_text(app: EspaceApp, selector: str) -> str:
    """What a widget shows on screen, its lines joined and blanks squeezed (text wraps)."""
    return " ".join(" ".join(shown_lines(app, app.screen.query_one(selector))).split())


def status_colour(app: EspaceApp, siren: str) -> Color | None:
    """The colour the status cell of this dossier's line is drawn in."""
    screen = main_screen(app)
    table = screen.dossier_list.table
    region = app.screen._compositor.find_widget(table).region
    strips = app.screen._compositor.render_strips()
    wanted = row(app, siren)
    for y in range(region.y, region.bottom):
        strip = strips[y].crop(region.x, region.right)
        if wanted.siren_text in strip.text:
            label = wanted.status_label
            return next(s.style.color for s in strip if s.text.strip() == label and s.style)
    raise AssertionError(f"{wanted.name} is not on screen")


async def test_a_row_scrolled_into_view_shows_the_countdown_of_now(
    workspace: Workspace, clock: FrozenClock
) -> None:
    sirens = fill(workspace, {})
    first, far = sirens["Client 000"], sirens["Client 060"]
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert on_screen(app, first).endswith("urgent 2 h")
        assert "(reste 2 h)" in shown_text(app, "#detail-status")
        assert on_screen(app, far) == ""  # below the fold
        await pilot.press("end")  # drawn once: 2 h + 600 min left
        await pilot.pause()
        assert on_screen(app, far).endswith("urgent 12 h")
        await pilot.press("home")
        await pilot.pause()
        assert on_screen(app, far) == ""
        unchanged = row(app, far)

        clock.advance(timedelta(minutes=25))
        screen.tick()
        await pilot.pause()
        # The rows in view read as now…
        assert on_screen(app, first).endswith("urgent 1 h 35 min")
        # …as does the detail pane of the selected one (its status line and its step)…
        assert "(reste 1 h 35 min)" in shown_text(app, "#detail-status")
        assert "reste 1 h 35 min" in shown_text(app, "#checklist")
        # …the others were not recomputed (their status stays until a threshold)…
        assert row(app, far) is unchanged
        # …and read as now once scrolled into view, not as when last drawn.
        await pilot.press("end")
        await pilot.pause()
        assert on_screen(app, far).endswith("urgent 11 h 35 min")


async def test_statuses_of_rows_out_of_view_change_on_time(
    workspace: Workspace, clock: FrozenClock
) -> None:
    # « Zeta » turns urgent 6 minutes from now (48 h left); « Alpha » expires in 1 h.
    sirens = fill(
        workspace,
        {
            "Alpha": timedelta(hours=1),
            "Beta": timedelta(days=6),  # « bientôt » all along: below the expired ones
            "Zeta": timedelta(hours=48, minutes=5),
        },
    )
    alpha, zeta, first = sirens["Alpha"], sirens["Zeta"], sirens["Client 000"]
    app = create_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        dossiers = screen.dossier_list
        await pilot.press("s")  # by name: Zeta last, out of view
        await pilot.pause()
        assert order(app) is SortOrder.NAME
        assert row(app, zeta).status is Status.SOON and on_screen(app, zeta) == ""

        clock.advance(timedelta(minutes=6))
        screen.tick()
        await pilot.pause()
        assert row(app, zeta).status is Status.URGENT
        counts = str(screen.query_one("#counts", Static).render())
        assert f"urgent {ROWS + 2}" in counts
        assert any("Zeta" in n.message for n in app._notifications)
        app.clear_notifications()  # toasts cover the list's right edge
        await pilot.press("end")
        await pilot.pause()
        assert on_screen(app, zeta).endswith("urgent 1 j 23 h")
        # Drawn in the urgent colour, as the other urgent rows.
        assert status_colour(app, zeta) == status_colour(app, sirens["Client 079"]) is not None

        # By urgency, Alpha (the least time left) is on top; once expired it goes below
        # every urgent row, out of view, on time.
        await pilot.press("s", "s", "s", "home", "down")  # the cursor on another row
        await pilot.pause()
        assert order(app) is SortOrder.URGENCY
        assert dossiers.table.keys()[:2] == [alpha, first]
        clock.advance(timedelta(minutes=55))
        screen.tick()
        await pilot.pause()
        assert row(app, alpha).status is Status.EXPIRED
        assert dossiers.table.keys().index(alpha) == ROWS + 1  # after every urgent one
        # Moved alone, the list is in the order a full sort gives; the cursor stayed put.
        by_urgency = sorted(dossiers.rows.values(), key=lambda r: r.sort_key(SortOrder.URGENCY))
        assert dossiers.table.keys() == [r.siren for r in by_urgency]
        assert dossiers.selected_key == first
        assert on_screen(app, alpha) == ""
        assert on_screen(app, first).endswith("urgent 59 min")
        assert any("Alpha" in n.message for n in app._notifications)
        app.clear_notifications()
        await pilot.press("end")
        await pilot.pause()
        assert "Alpha" in "\n".join(shown_lines(app, dossiers.table))
        assert on_screen(app, alpha).endswith("expiré expiré depuis 1 min")


async def test_a_threshold_between_two_countdown_texts_still_updates_the_detail(
    workspace: Workspace, clock: FrozenClock
) -> None:
    # Urgent under 47 h 30 min left (a cabinet's own setting): with 47 h 40 min left the
    # countdowns read « 1 j 23 h » before and after the threshold, only the status changes.
    thresholds = Thresholds(urgent_within=timedelta(hours=47, minutes=30))
    own = Workspace(workspace.store, clock, thresholds)
    sirens = fill(own, {"Alpha": timedelta(hours=47, minutes=40)})
    alpha = sirens["Alpha"]
    app = create_app(own)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.dossier_list.select(alpha)
        await pilot.pause()
        assert shown_text(app, "#detail-status").startswith("bientôt")
        assert on_screen(app, alpha).endswith("bientôt 1 j 23 h")
        clock.advance(timedelta(minutes=11))
        screen.tick()
        await pilot.pause()
        assert on_screen(app, alpha).endswith("urgent 1 j 23 h")
        assert shown_text(app, "#detail-status").startswith("urgent")
        assert "reste 1 j 23 h" in shown_text(app, "#checklist")


async def test_the_header_clock_and_helpline_follow_the_minute(
    workspace: Workspace, clock: FrozenClock
) -> None:
    fill(workspace, {})
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert shown_text(app, "#clock") == "mar. 01/12/2026 09:00"
        assert shown_text(app, "#helpline").endswith("ouverte jusqu'à 19:30")
        clock.advance(timedelta(seconds=59))
        screen.tick()
        await pilot.pause()
        assert shown_text(app, "#clock") == "mar. 01/12/2026 09:00"
        clock.advance(timedelta(seconds=1))
        screen.tick()
        await pilot.pause()
        assert shown_text(app, "#clock") == "mar. 01/12/2026 09:01"
        clock.advance(timedelta(hours=10, minutes=29))  # 19:30: the helpline closes
        screen.tick()
        await pilot.pause()
        assert shown_text(app, "#clock") == "mar. 01/12/2026 19:30"
        assert shown_text(app, "#helpline").endswith(": fermée")


async def test_a_countdown_grown_longer_out_of_view_is_not_cut_once_in_view(
    workspace: Workspace, clock: FrozenClock
) -> None:
    # Every row « 2 h » but Zeta « 1 j »: the column is as wide as its title. A minute later
    # the rows in view read « 1 h 59 min » and Zeta, out of view, « 23 h 59 min », longer.
    now = workspace.now()
    sirens = valid_sirens(ROWS + 1)
    workspace.store.put_cabinet(CabinetInfo(name="Cabinet des essais"))
    *clients, zeta = sirens
    workspace.store.insert_dossiers(
        [link_dossier(s, f"Client {i:03d}", now, timedelta(hours=2)) for i, s in enumerate(clients)]
        + [link_dossier(zeta, "Zeta", now, timedelta(hours=24))]
    )
    app = create_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        clock.advance(timedelta(minutes=1))
        screen.tick()
        await pilot.pause()
        assert on_screen(app, sirens[0]).endswith("urgent 1 h 59 min")
        await pilot.press("end")
        await pilot.pause()
        assert on_screen(app, zeta).endswith("urgent 23 h 59 min")


async def test_many_statuses_changing_at_once_are_sorted_and_counted(
    workspace: Workspace, clock: FrozenClock
) -> None:
    # Thirty dossiers whose forms were sent together turn urgent in the same second; and
    # « Alpha », on top, expires then too.
    together = {f"Lot {i:02d}": timedelta(hours=48, minutes=5) for i in range(30)}
    sirens = fill(workspace, {**together, "Alpha": timedelta(minutes=5)})
    app = create_app(workspace)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        dossiers = screen.dossier_list
        assert dossiers.table.keys()[0] == sirens["Alpha"]
        await pilot.press("down")  # the cursor on Client 000
        clock.advance(timedelta(minutes=5, seconds=1))
        screen.tick()
        await pilot.pause()
        assert {row(app, sirens[n]).status for n in together} == {Status.URGENT}
        assert row(app, sirens["Alpha"]).status is Status.EXPIRED
        by_urgency = sorted(dossiers.rows.values(), key=lambda r: r.sort_key(SortOrder.URGENCY))
        assert dossiers.table.keys() == [r.siren for r in by_urgency]
        assert dossiers.selected_key == sirens["Client 000"]
        counts = str(screen.query_one("#counts", Static).render())
        assert f"urgent {ROWS + 30} expiré 1" in counts
