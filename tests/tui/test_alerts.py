"""Alerts for a dashboard left open, the header's count, and the summary on opening."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.widgets import Checkbox, Static

from espace_tui.domain.alert_settings import LAST_SEEN_KEY, SETTING_KEY, alert_settings
from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.deadlines import Status
from espace_tui.tui.alerts import Alert, Alerter, send_desktop_notification
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.alert_settings import AlertSettingsScreen
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import wait_until

AppFactory = Callable[..., EspaceApp]
SIZE = (140, 40)


def main_screen(app: EspaceApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def toasts(app: EspaceApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]


class Recorder:
    def __init__(self) -> None:
        self.desktop: list[tuple[str, str]] = []
        self.bells = 0

    def send(self, title: str, body: str, write: Callable[[str], None]) -> None:
        self.desktop.append((title, body))


async def test_a_dossier_turning_urgent_gives_toast_bell_and_desktop_notification(
    make_app: AppFactory, demo_workspace: Workspace, clock: FrozenClock
) -> None:
    app = make_app()
    recorder = Recorder()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.alerter.desktop = recorder.send
        rings: list[int] = []
        screen._bell = lambda: rings.append(1)  # type: ignore[method-assign]
        screen.alerter._bell = screen._bell
        # The most pressing row that is only « bientôt » now.
        soon = next(r for r in screen.dossier_list.rows.values() if r.status is Status.SOON)
        clock.advance(timedelta(days=2))
        screen.tick()
        await pilot.pause()
        assert screen.dossier_list.rows[soon.siren].status in (Status.URGENT, Status.EXPIRED)
        shown = toasts(app)
        assert any(soon.name in message for _, message in shown), shown
        assert any(t in ("Devenu urgent", "Délai expiré") for t, _ in shown)
        assert rings and recorder.desktop
        # The header counts what is urgent and expired now.
        counts = screen.dossier_list.per_status
        alarm = str(screen.top_bar.query_one("#alarm", Static).render())
        assert f"{counts[Status.URGENT]} urgent" in alarm and counts[Status.URGENT] >= 1
        # Nothing changes on the next tick: no second alert.
        count = len(recorder.desktop)
        screen.tick()
        await pilot.pause()
        assert len(recorder.desktop) == count


async def test_switched_off_channels_stay_quiet(
    make_app: AppFactory, demo_workspace: Workspace, clock: FrozenClock
) -> None:
    demo_workspace.set_setting(SETTING_KEY, {"toast": False, "bell": False, "desktop": False})
    app = make_app()
    recorder = Recorder()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        screen.alerter.desktop = recorder.send
        app.clear_notifications()
        clock.advance(timedelta(days=2))
        screen.tick()
        await pilot.pause()
        assert not recorder.desktop
        assert not [t for t, _ in toasts(app) if t in ("Devenu urgent", "Délai expiré")]


async def test_f2_switches_channels_in_the_settings(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, AlertSettingsScreen)
        app.screen.query_one("#alert-bell", Checkbox).value = False
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    chosen = alert_settings(demo_workspace.settings())
    assert (chosen.toast, chosen.bell, chosen.desktop) == (True, False, True)


async def test_opening_summarizes_what_happened_since_last_time(
    make_app: AppFactory, demo_workspace: Workspace, clock: FrozenClock
) -> None:
    last = clock.now() - timedelta(days=3)
    demo_workspace.set_setting(LAST_SEEN_KEY, last.isoformat())
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(
            pilot,
            lambda: any(t == "Depuis votre dernière ouverture" for t, _ in toasts(app)),
            "the summary",
        )
        message = next(m for t, m in toasts(app) if t == "Depuis votre dernière ouverture")
        assert "a expiré" in message or "est devenu urgent" in message
        assert demo_workspace.settings()[LAST_SEEN_KEY] == last.isoformat()  # not at start
        await pilot.press("q")
    assert demo_workspace.settings()[LAST_SEEN_KEY] == clock.now().isoformat()


def test_alerter_gives_what_the_settings_leave_on() -> None:
    from espace_tui.domain.alert_settings import AlertSettings

    given: list[str] = []
    alerter = Alerter(
        lambda t, m: given.append(f"toast {m}"),
        lambda: given.append("bell"),
        lambda s: given.append("write"),
        lambda t, b, w: given.append(f"desktop {b}"),
    )
    alert = Alert(Status.EXPIRED, "Garage", "Cabinet : recommencer")
    alerter.give([alert], AlertSettings(toast=False, bell=True, desktop=True))
    assert given == ["bell", "desktop Garage — Cabinet : recommencer"]


def test_terminal_notification_without_notify_send(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("TERM_PROGRAM", raising=False)
    monkeypatch.delenv("WT_SESSION", raising=False)
    written: list[str] = []
    send_desktop_notification("Délai expiré", "Garage\x1b[31m; x", written.append)
    assert written == ["\x1b]777;notify;Délai expiré;Garage [31m, x\x07"]
    monkeypatch.setenv("TERM_PROGRAM", "iTerm.app")
    send_desktop_notification("T", "B", written.append)
    assert written[-1] == "\x1b]9;T : B\x07"


async def test_the_same_toast_is_not_stacked_twice(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        app.clear_notifications()
        app.notify("Dossier 552 081 317 ajouté.")
        app.notify("Dossier 552 081 317 ajouté.")
        app.notify("Dossier 552 081 317 ajouté.", title="Autre titre")
        await pilot.pause()
        assert len(toasts(app)) == 2
