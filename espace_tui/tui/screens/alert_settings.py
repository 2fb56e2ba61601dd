"""F2: which alerts the dashboard gives when a dossier or space turns urgent or expires."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from espace_tui.domain.alert_settings import CHANNEL_LABELS, SETTING_KEY, AlertSettings
from espace_tui.domain.alert_settings import alert_settings as read_alert_settings
from espace_tui.domain.errors import UserError
from espace_tui.store.errors import StoreError
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Workspace

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard


class AlertSettingsScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="alerts_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="alerts_save", priority=True),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(classes="dialog-screen")
        self._workspace = workspace
        try:
            self._current = read_alert_settings(workspace.settings())
        except StoreError:
            self._current = AlertSettings()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog alerts"):
            yield Static(Text("Alertes"), classes="dialog-title")
            with ScrollPane(classes="dialog-body"):
                yield Static(
                    Text(
                        "Quand un dossier ou un espace expert devient urgent ou expire pendant "
                        "que le tableau de bord est ouvert :"
                    )
                )
                for item in fields(AlertSettings):
                    yield Checkbox(
                        CHANNEL_LABELS[item.name],
                        getattr(self._current, item.name),
                        id=f"alert-{item.name}",
                    )
                yield Static(id="alerts-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Enregistrer (ctrl+s)", variant="primary", id="save")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Checkbox).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        chosen = AlertSettings(
            **{
                item.name: self.query_one(f"#alert-{item.name}", Checkbox).value
                for item in fields(AlertSettings)
            }
        )
        try:
            # Only this key: the other settings are merged as stored now, under the lock.
            self._workspace.set_setting(SETTING_KEY, chosen.as_json())
        except (UserError, StoreError) as err:
            error = self.query_one("#alerts-error", Static)
            error.update(Text(str(err)))
            error.display = True
            return
        self.dismiss(f"Alertes : {chosen.describe()}.")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def open_alert_settings(screen: Dashboard, dossier: Dossier | None) -> None:
    def done(message: str | None) -> None:
        if message:
            screen.app.notify(message, title="Réglages", timeout=4)

    screen.app.push_screen(AlertSettingsScreen(screen.workspace), done)
