"""A yes/no dialog; the question mixes fixed French text with user text shown literally."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="confirm_cancel"),
        Binding("o", "confirm", "Oui", id="confirm_yes"),
    ]

    def __init__(self, question: tuple[str, Text], *, confirm_label: str = "Confirmer") -> None:
        super().__init__(classes="dialog-screen")
        self._title, self._body = question
        self._confirm_label = confirm_label

    @staticmethod
    def question(title: str, before: str, user_text: str, after: str) -> tuple[str, Text]:
        body = Text(before)
        body.append(user_text, style="bold")
        body.append(after)
        return title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._title), classes="dialog-title")
            yield Static(self._body, id="confirm-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm_label, variant="error", id="yes")
                yield Button("Annuler (Échap)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)
