"""The export dialog: format, which dossiers (by status), file; written in a worker thread.

The data is read on the UI thread (a Snapshot), so the worker never touches the store; a
progress bar follows the dossiers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection

from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import STATUS_LABELS, Status
from espace_tui.domain.display import format_size
from espace_tui.domain.errors import UserError
from espace_tui.report.export import FORMATS, export_bytes, write_export
from espace_tui.report.model import STATUS_ORDER, Snapshot
from espace_tui.tui.screens.overwrite import ask_overwrite, checked, prepared_target
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Workspace
from espace_tui.workspace.output_folders import (
    proposed_folder,
    remember_folder,
    shown_path,
)

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard

DEFAULT_FORMAT = next(iter(FORMATS))  # first in the list: highlighted on opening


def default_export_path(workspace: Workspace, format_id: str) -> Path:
    day = to_paris(workspace.now()).date().isoformat()
    kind = "echeances" if format_id == "ics" else "rapport"
    name = f"espace-tui-{kind}-{day}.{FORMATS[format_id].extension}"
    return proposed_folder(workspace) / name


class ExportScreen(ModalScreen[str | None]):
    class Finished(Message):
        """Posted by the worker once the file is written."""

        def __init__(self, summary: str) -> None:
            super().__init__()
            self.summary = summary

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="export_cancel"),
        Binding("ctrl+s", "export", "Exporter", id="export_run", priority=True),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(classes="dialog-screen")
        self._workspace = workspace
        self._format = DEFAULT_FORMAT
        self._busy = False
        self._target: Path | None = None

    def compose(self) -> ComposeResult:
        # Scrolls as a whole when the terminal is short (80x24): the buttons stay reachable.
        with ScrollPane(classes="dialog export"):
            yield Static(Text("Exporter"), classes="dialog-title")
            yield Label("Format")
            with RadioSet(id="export-format"):
                for fmt in FORMATS.values():
                    yield RadioButton(
                        Text(f"{fmt.id} — {fmt.label}"),
                        value=fmt.id == self._format,
                        id=f"format-{fmt.id}",
                    )
            yield Label("Dossiers : cochez des statuts (aucun coché = tous)")
            yield SelectionList[str](
                *(Selection(Text(STATUS_LABELS[s]), s.value) for s in STATUS_ORDER),
                id="export-statuses",
            )
            yield Label("Fichier")
            yield Input(
                shown_path(default_export_path(self._workspace, self._format)), id="export-path"
            )
            yield ProgressBar(id="export-progress", show_eta=False)
            yield Static(id="export-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Exporter (ctrl+s)", variant="primary", id="run")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-progress", ProgressBar).display = False
        self.query_one("#export-format", RadioSet).focus()

    @property
    def statuses(self) -> tuple[Status, ...]:
        chosen = set(self.query_one("#export-statuses", SelectionList).selected)
        return tuple(s for s in STATUS_ORDER if s.value in chosen)

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        button_id = event.pressed.id or ""
        new = button_id.removeprefix("format-")
        if new not in FORMATS:
            return
        path = self.query_one("#export-path", Input)
        current = Path(path.value)
        if current.suffix.lstrip(".") in {f.extension for f in FORMATS.values()}:
            if path.value == shown_path(default_export_path(self._workspace, self._format)):
                path.value = shown_path(default_export_path(self._workspace, new))
            else:
                path.value = str(current.with_suffix(f".{FORMATS[new].extension}"))
        self._format = new

    def _show_error(self, message: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    @on(Button.Pressed, "#run")
    def action_export(self) -> None:
        if self._busy:
            return
        try:
            target = prepared_target(self._workspace, self.query_one("#export-path", Input).value)
        except UserError as err:
            self._show_error(str(err))
            return
        ask_overwrite(self, target, lambda overwrite: self._start(target, overwrite))

    def _start(self, target: Path, overwrite: bool) -> None:
        try:
            target = checked(self._workspace, target, overwrite=overwrite)
        except UserError as err:
            self._show_error(str(err))
            return
        self._show_error("")
        self._busy = True
        self.query_one("#run", Button).disabled = True
        self.query_one("#export-progress", ProgressBar).display = True
        self._target = target
        snapshot = Snapshot.of(self._workspace)
        self._export(snapshot, self._format, self.statuses, target, overwrite)

    @work(thread=True, exclusive=True, group="export")
    def _export(
        self,
        snapshot: Snapshot,
        format_id: str,
        statuses: tuple[Status, ...],
        target: Path,
        overwrite: bool,
    ) -> None:
        step = max(1, len(snapshot.dossier_list) // 50)  # about 50 updates, not one per row

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.app.call_from_thread(self._progress, done, total)

        try:
            payload = export_bytes(snapshot, format_id, statuses, progress)
            write_export(target, payload, overwrite=overwrite)
        except (UserError, OSError) as err:
            message = str(err) if isinstance(err, UserError) else err.strerror or str(err)
            self.app.call_from_thread(self._failed, f"Export impossible : {message}")
            return
        size = format_size(len(payload))
        # A message, not call_from_thread: dismissing while this thread waits would cancel it.
        self.post_message(self.Finished(f"Export {format_id} écrit dans {target} ({size})."))

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#export-progress", ProgressBar).update(total=total, progress=done)

    def on_export_screen_finished(self, event: Finished) -> None:
        if not getattr(self.app, "read_only", False) and self._target is not None:
            remember_folder(self._workspace, self._target)
        self.dismiss(event.summary)

    def _failed(self, message: str) -> None:
        self._busy = False
        self.query_one("#run", Button).disabled = False
        self.query_one("#export-progress", ProgressBar).display = False
        self._show_error(message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)


def open_export(screen: Dashboard, dossier: Dossier | None) -> None:
    """Feature handler (features.py): the export dialog, whatever is selected."""

    def done(message: str | None) -> None:
        if message:
            screen.app.notify(message, title="Exporté", timeout=8, markup=False)

    screen.app.push_screen(ExportScreen(screen.workspace), done)
