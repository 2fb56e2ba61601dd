"""Alerts for a dashboard left open, and the summary of what happened while it was closed.

A row that turns urgent or expired while the app runs gives a toast saying which and what to
do, the terminal bell and a desktop notification, each switchable (AlertSettings). No timer of
its own: the main screen's tick already recomputes the rows whose status changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from espace_tui.domain.alert_settings import AlertSettings
from espace_tui.domain.deadlines import Status, TrackState
from espace_tui.domain.display import format_countdown, format_datetime
from espace_tui.domain.procedures import OWNER_LABELS, Owner

ALERT_TITLES: dict[Status, str] = {
    Status.URGENT: "Devenu urgent",
    Status.EXPIRED: "Délai expiré",
}
SUMMARY_TITLE = "Depuis votre dernière ouverture"
SUMMARY_LINES = 6


def turned_alarming(before: Status | None, after: Status) -> bool:
    """A status that calls for action, reached now (not one the row already had)."""
    return after in ALERT_TITLES and before is not None and before != after


def what_to_do(state: TrackState, now: datetime) -> str:
    """One line: who does what, by when (or the remedy of an expired window)."""
    for step in state.expired_steps:
        countdown = step.template.countdown
        if countdown is not None and countdown.remedy:
            return f"{OWNER_LABELS[Owner.CABINET]} : {countdown.remedy}"
    nxt = state.next_step
    if nxt is None:
        return "rien à faire"
    text = f"{OWNER_LABELS[nxt.template.owner]} : {nxt.template.label}"
    if nxt.deadline is not None:
        left = format_countdown(nxt.deadline, now)
        text += f", avant le {format_datetime(nxt.deadline)} (reste {left})"
    return text


@dataclass(frozen=True)
class Alert:
    status: Status
    name: str
    todo: str

    @property
    def title(self) -> str:
        return ALERT_TITLES.get(self.status, "Alerte")

    @property
    def message(self) -> str:
        return f"{self.name} — {self.todo}"


def summary_text(lines: Iterable[str]) -> str:
    items = list(lines)
    shown = items[:SUMMARY_LINES]
    if len(items) > SUMMARY_LINES:
        shown.append(f"… et {len(items) - SUMMARY_LINES} autre(s) (voir la liste)")
    return "\n".join(f"• {line}" for line in shown)


DesktopSender = Callable[[str, str, Callable[[str], None]], None]


def send_desktop_notification(title: str, body: str, write: Callable[[str], None]) -> None:
    """notify-send when present (it reaches the desktop even through tmux); otherwise the
    terminal's own notification: OSC 9 (iTerm2, Windows Terminal, ConEmu) or OSC 777
    (urxvt, foot, WezTerm, Ghostty). Terminals that know neither ignore the sequence."""
    clean_title, clean_body = _printable(title), _printable(body)
    if shutil.which("notify-send"):
        try:
            subprocess.Popen(
                ["notify-send", "--app-name=espace-tui", clean_title, clean_body],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass  # fall back on the terminal's notification
    if os.environ.get("TERM_PROGRAM") == "iTerm.app" or "WT_SESSION" in os.environ:
        write(f"\x1b]9;{clean_title} : {clean_body}\x07")
    else:
        write(f"\x1b]777;notify;{clean_title};{clean_body}\x07")


def _printable(text: str) -> str:
    """No control character (an escape sequence in a name must not reach the terminal)."""
    return "".join(c if c.isprintable() else " " for c in text).replace(";", ",")


class Alerter:
    """Gives an alert through the channels the settings leave on."""

    def __init__(
        self,
        toast: Callable[[str, str], None],
        bell: Callable[[], None],
        write: Callable[[str], None],
        desktop: DesktopSender = send_desktop_notification,
    ) -> None:
        self._toast, self._bell, self._write, self.desktop = toast, bell, write, desktop

    def give(self, alerts: list[Alert], settings: AlertSettings) -> None:
        if not alerts:
            return
        if settings.toast:
            for alert in alerts[:3]:
                self._toast(alert.title, alert.message)
            if len(alerts) > 3:
                self._toast("Alertes", f"… et {len(alerts) - 3} autre(s) (voir la liste)")
        if settings.bell:
            self._bell()
        if settings.desktop:
            title = alerts[0].title if len(alerts) == 1 else f"espace-tui : {len(alerts)} alertes"
            body = "\n".join(a.message for a in alerts[:3])
            try:
                self.desktop(title, body, self._write)
            except Exception:  # a notification must never stop the dashboard
                return
