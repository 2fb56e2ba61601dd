"""Asks a password for this send only: it is kept in memory, never written anywhere."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class PasswordScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="password_cancel"),
    ]

    def __init__(self, prompt: Text) -> None:
        super().__init__(classes="dialog-screen")
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Mot de passe du serveur d'envoi"), classes="dialog-title")
            yield Static(self._prompt)
            yield Input(password=True, id="password")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Envoyer", variant="primary", id="ok")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#ok")
    def action_ok(self) -> None:
        self.dismiss(self.query_one("#password", Input).value or None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
