"""Header: cabinet name, the (injected) clock and whether the helpline is open now."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from espace_tui.domain.clock import to_paris
from espace_tui.domain.helpline import (
    TELEPROCEDURES_HELPLINE,
    calendar_loaded,
    helpline_status,
    is_open,
)

_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")


class TopBar(Horizontal):
    def __init__(self, cabinet: str, *, read_only: bool = False) -> None:
        super().__init__(id="top-bar")
        self._cabinet = cabinet
        self._read_only = read_only
        self._shown: dict[str, str] = {}
        # The minute and calendar state the clock and helpline cells were written for.
        self._time_shown: tuple[datetime, bool] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(self._cabinet or "espace-tui", style="bold"), id="cabinet")
        if self._read_only:
            # Its own cell: a long cabinet name is shortened, never this marker.
            yield Static(Text("lecture seule", style="bold reverse"), id="read-only")
        yield Static(id="alarm")
        yield Static(id="helpline")
        yield Static(id="clock")

    def show_alarm(self, urgent: int, expired: int) -> None:
        """How many items are urgent or expired: seen from any screen, at any scroll."""
        parts = [f"{urgent} urgent{'s' if urgent > 1 else ''}"] if urgent else []
        if expired:
            parts.append(f"{expired} expiré{'s' if expired > 1 else ''}")
        self._put("alarm", Text(f"⚠ {' · '.join(parts)}" if parts else "", style="bold"))

    def show_time(self, now: datetime) -> None:
        # Both cells read to the minute (the helpline's hours too): most ticks (a countdown,
        # an outside change) leave them as they are.
        shown_for = (now.replace(second=0, microsecond=0), calendar_loaded(now))
        if shown_for == self._time_shown:
            return
        self._time_shown = shown_for
        local = to_paris(now)
        # To the minute: a clock repainted every second kept an idle dashboard busy.
        clock = f"{_WEEKDAYS[local.weekday()]} {local:%d/%m/%Y %H:%M}"
        self._put("clock", Text(clock))
        if not calendar_loaded(now):
            # The holiday calendar loads in a worker (MainScreen): number only until then.
            self._put("helpline", Text(f"Assistance {TELEPROCEDURES_HELPLINE.number}"))
            return
        opened = is_open(TELEPROCEDURES_HELPLINE, now)
        helpline = Text(
            helpline_status(TELEPROCEDURES_HELPLINE, now, short=True),
            style="" if opened else "dim",
        )
        self._put("helpline", helpline)

    def show_read_only(self, read_only: bool) -> None:
        """The marker follows the screen (the data file may turn unreadable, then come back)."""
        if read_only == self._read_only:
            return
        self._read_only = read_only
        if read_only:
            marker = Static(Text("lecture seule", style="bold reverse"), id="read-only")
            self.mount(marker, after=self.query_one("#cabinet"))
        else:
            self.query("#read-only").remove()

    def show_cabinet(self, name: str) -> None:
        self._cabinet = name
        self._put("cabinet", Text(name or "espace-tui", style="bold"))

    def _put(self, widget_id: str, text: Text) -> None:
        if self._shown.get(widget_id) == text.plain:
            return
        self._shown[widget_id] = text.plain
        # The clock and helpline cells keep their width: no need to lay the bar out again.
        self.query_one(f"#{widget_id}", Static).update(
            text, layout=widget_id in ("cabinet", "alarm")
        )
