"""h: the whole history of the selected dossier or expert space, newest first, scrollable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import HistoryEntry
from espace_tui.domain.history import last_chase
from espace_tui.tui.widgets.scroll_pane import ScrollPane


def history_text(history: Sequence[HistoryEntry], *, chased: bool) -> Text:
    text = Text()
    if chased:
        chase = last_chase(history)
        text.append("Dernière relance du client : ", style="bold")
        text.append(f"{format_datetime(chase.at) if chase else 'jamais'}\n\n")
    for entry in reversed(history):
        text.append(f"{format_datetime(entry.at)}  ", style="dim")
        text.append(entry.detail)
        text.append("\n")
    if not history:
        text.append("Aucune entrée.")
    return text


class HistoryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Fermer", id="history_close"),
        Binding("h", "close", "Fermer", show=False, id="history_close_h"),
    ]

    def __init__(self, title: str, history: Sequence[HistoryEntry], *, chased: bool) -> None:
        super().__init__(classes="dialog-screen")
        self._title = title
        self._history = tuple(history)
        self._chased = chased

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog history"):
            title = Text(f"Historique ({len(self._history)}) — ")
            title.append(self._title)
            yield Static(title, classes="dialog-title")
            with ScrollPane(id="history-body"):
                yield Static(history_text(self._history, chased=self._chased))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Fermer (Échap)", id="close")

    def on_mount(self) -> None:
        self.query_one("#history-body").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
