"""Edit a dossier's notes in a text area; ctrl+s saves, escape leaves them unchanged.

Saved with the notes shown as base: notes changed elsewhere meanwhile are not overwritten
(the save is refused and the dialog offers to reload)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import UserError
from espace_tui.domain.validation import validate_field
from espace_tui.store.errors import StoreError
from espace_tui.tui.screens.reloadable import ReloadableDialog
from espace_tui.workspace import Workspace


class NotesScreen(ReloadableDialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="notes_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="notes_save", priority=True),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossier = dossier

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text("Notes — ")
            title.append(self.dossier.name)
            yield Static(title, classes="dialog-title")
            yield TextArea(self.dossier.notes, id="notes-text", soft_wrap=True)
            yield Static(id="notes-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Enregistrer (ctrl+s)", variant="primary", id="save")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # add to the notes, not before them
        area.focus()

    @on(TextArea.Changed)
    def _check(self) -> None:
        message = validate_field("notes", self.query_one(TextArea).text)
        self.query_one("#notes-error", Static).update(Text(message or ""))
        self.query_one("#save", Button).disabled = message is not None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if validate_field("notes", text) is not None:
            return
        try:
            change = self.workspace.set_notes(self.dossier.siren, text, base=self.dossier)
        except (UserError, StoreError) as err:
            self.query_one("#notes-error", Static).update(Text(str(err)))
            self.refused(err)
            return
        self.dismiss(change)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
