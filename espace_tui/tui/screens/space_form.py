"""Add one of the cabinet's expert spaces (its own login and 48 h activation)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import normalize_email
from espace_tui.store.errors import StoreError
from espace_tui.workspace import Workspace

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("space_id", "Identifiant de l'espace", "court, par exemple principal ou lyon"),
    ("label", "Nom de l'espace", "par exemple Espace expert de l'agence de Lyon"),
    ("login_email", "E-mail de connexion", "une adresse réservée à cet espace"),
)


def _check(name: str, value: str) -> str | None:
    if not value.strip():
        return None
    if name == "login_email":
        try:
            normalize_email(value, "E-mail de connexion")
        except InvalidInput as err:
            return err.message
    return None


class SpaceForm(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="space_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="space_save", priority=True),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Nouvel espace expert du cabinet"), classes="dialog-title")
            for name, label, placeholder in FIELDS:
                yield Label(label)
                yield Input(placeholder=placeholder, id=f"field-{name}")
                yield Static(id=f"error-{name}", classes="field-error")
            yield Static(id="form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Enregistrer (ctrl+s)", variant="primary", id="save")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#field-space_id", Input).focus()

    def _show(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Text(message or ""))
        error.display = bool(message)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        self._show(name, _check(name, event.value))

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        values = {name: self.query_one(f"#field-{name}", Input).value for name, _, _ in FIELDS}
        try:
            space = self.workspace.add_space(
                values["space_id"], values["label"], values["login_email"]
            )
        except InvalidInput as err:
            target = {label: name for name, label, _ in FIELDS}.get(err.field)
            if target is not None:
                self._show(target, err.message)
                self.query_one(f"#field-{target}", Input).focus()
            else:
                self.query_one("#form-error", Static).update(Text(err.message))
            return
        except (UserError, StoreError) as err:
            self.query_one("#form-error", Static).update(Text(str(err)))
            return
        self.dismiss(f"Espace expert « {space.id} » ajouté.")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
