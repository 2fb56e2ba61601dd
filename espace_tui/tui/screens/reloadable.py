"""A dialog that saves a dossier, and what it does when the dossier changed elsewhere.

The dialog keeps the dossier it showed (`self.dossier`, its base) and passes it to the
Workspace as `base=` when saving: only what the user changed is written on top of the stored
dossier. If the Workspace refuses (`StaleDialog`: the same field changed elsewhere since the
dialog opened), `refused()` shows the French message and a « Recharger » button (ctrl+r) that
reads the dossier again and redraws the dialog from it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Button

from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import UserError
from espace_tui.store.errors import StoreError
from espace_tui.workspace import Change, Workspace
from espace_tui.workspace.fresh import StaleDialog

RELOAD_LABEL = "Recharger (ctrl+r)"


class ReloadableDialog(ModalScreen[Change | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+r", "reload_dossier", "Recharger", id="dialog_reload", priority=True, show=False
        ),
    ]

    # Set by the subclass: the Workspace, and the dossier shown (None: a new one).
    workspace: Workspace

    def refused(self, err: UserError | StoreError) -> None:
        """After a refused save: when it is a stale copy, offer to reload."""
        if isinstance(err, StaleDialog) and not self.query("#reload"):
            buttons = self.query(".dialog-buttons")
            if buttons:
                button = Button(RELOAD_LABEL, id="reload", variant="warning")
                buttons.first().mount(button, before=0)

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        self.call_later(self.action_reload_dossier)  # after this handler: it redraws the button

    def reloaded(self) -> None:
        """Recompute what the dialog derives from `self.dossier` (before it is redrawn)."""

    async def action_reload_dossier(self) -> None:
        shown = getattr(self, "dossier", None)
        if not isinstance(shown, Dossier):
            return
        try:
            fresh = self.workspace.get(shown.siren)
        except (UserError, StoreError) as err:
            self.notify(str(err), severity="error", markup=False)
            self.dismiss(None)
            return
        setattr(self, "dossier", fresh)  # noqa: B010 (each dialog types its own attribute)
        self.reloaded()
        await self.recompose()
        mounted = getattr(self, "on_mount", None)
        if callable(mounted):
            mounted()  # the dialogs focus their first field and check it there
        self.notify("Fenêtre rechargée : version enregistrée.", timeout=3)
