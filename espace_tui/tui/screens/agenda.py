"""The agenda: what is overdue, due today and this week, one table per whom it waits on.

Enter opens the dossier in the dashboard; `l` writes the client letter for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from espace_tui.domain.agenda import (
    OWNER_AGENDA_TITLES,
    Agenda,
    AgendaEntry,
    build_agenda,
    item_siren,
    item_title,
)
from espace_tui.domain.display import format_countdown, format_datetime
from espace_tui.report.model import tracked_rows
from espace_tui.tui.rows import space_key
from espace_tui.tui.widgets.footer import Footer
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.tui.widgets.status_style import status_style
from espace_tui.workspace import Change, Workspace

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard


WHO_WIDTH = 24
SIREN_WIDTH = 11  # « 814 440 251 », never wrapped


def _row_key(entry: AgendaEntry) -> str:
    item = entry.item
    return f"{item.kind}:{item.key}:{item.step.id}"


class AgendaScreen(Screen[str | None]):
    """Dismisses with the SIREN to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Fermer", id="agenda_close"),
        Binding("enter", "open", "Ouvrir le dossier", id="agenda_open"),
        Binding("l", "letter", "Lettre client", id="agenda_letter"),
    ]

    def __init__(self, workspace: Workspace, *, read_only: bool = False) -> None:
        super().__init__()
        self._workspace = workspace
        self._read_only = read_only
        self.agenda: Agenda = build_agenda(tracked_rows(workspace), workspace.now())
        # Row key -> (table, Délai column key, countdown shown): the 1 Hz tick rewrites only
        # the countdowns whose text changed, like the main list.
        self._countdowns: dict[str, tuple[DataTable[Text], ColumnKey, str]] = {}

    def compose(self) -> ComposeResult:
        agenda = self.agenda
        counts = agenda.summary()
        yield Static(
            Text(f"Agenda du {format_datetime(agenda.now)} : {counts} · Entrée ouvre le dossier"),
            id="agenda-title",
        )
        with ScrollPane(id="agenda"):
            if not agenda.entries:
                yield Static(Text(agenda.empty_text()), id="agenda-empty")
            for owner, entries in agenda.by_owner().items():
                if not entries:
                    continue
                yield Static(
                    Text(f"{OWNER_AGENDA_TITLES[owner]} ({len(entries)})"),
                    classes="agenda-owner",
                )
                table: DataTable[Text] = DataTable(
                    id=f"agenda-{owner.value}", cursor_type="row", classes="agenda-table"
                )
                yield table
        yield Footer()

    def on_mount(self) -> None:
        now = self.agenda.now
        variables = self.app.theme_variables
        # Date, countdown and name columns are fixed; the action takes what is left.
        todo_width = max(30, self.app.size.width - 16 - 17 - WHO_WIDTH - SIREN_WIDTH - 14)
        for owner, entries in self.agenda.by_owner().items():
            if not entries:
                continue
            table = self.query_one(f"#agenda-{owner.value}", DataTable)
            table.add_column("Échéance", width=16)
            delay = table.add_column("Délai", width=17)
            table.add_column("Dossier", width=WHO_WIDTH)
            table.add_column("SIREN", width=SIREN_WIDTH)
            table.add_column("À faire", width=todo_width)
            for entry in entries:
                item = entry.item
                todo = item.action + (" (dossier bloqué)" if item.blocked else "")
                table.add_row(
                    Text(format_datetime(item.deadline)),
                    Text(
                        format_countdown(item.deadline, now),
                        style=status_style(item.urgency, variables),
                    ),
                    Text(item_title(item)),
                    Text(item_siren(item)),
                    Text(todo),
                    key=_row_key(entry),
                    height=None,  # long names and remedies wrap instead of scrolling
                )
                self._countdowns[_row_key(entry)] = (
                    table,
                    delay,
                    format_countdown(item.deadline, now),
                )
        tables = self.query(DataTable)
        if tables:
            tables.first().focus()
        self.set_interval(1.0, self.tick, name="agenda-tick")

    def tick(self) -> None:
        """Count down live, as the main list does."""
        now = self._workspace.now()
        variables = self.app.theme_variables
        for entry in self.agenda.entries:
            key = _row_key(entry)
            shown = self._countdowns.get(key)
            if shown is None:
                continue
            table, column, before = shown
            text = format_countdown(entry.item.deadline, now)
            if text == before:
                continue
            self._countdowns[key] = (table, column, text)
            style = status_style(entry.item.urgency, variables)
            table.update_cell(key, column, Text(text, style=style))

    def highlighted(self) -> AgendaEntry | None:
        focused = self.focused
        if not isinstance(focused, DataTable) or focused.row_count == 0:
            return None
        key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
        return next((e for e in self.agenda.entries if _row_key(e) == key), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "letter" and self._read_only)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        entry = self.highlighted()
        if entry is not None and entry.item.kind == "dossier":
            self.dismiss(entry.item.key)
        elif entry is not None:
            # The cabinet's expert spaces have their own rows on the main screen.
            self.dismiss(space_key(entry.item.key))

    def action_letter(self) -> None:
        from espace_tui.tui.screens.letter import LetterScreen

        entry = self.highlighted()
        if entry is None or entry.item.kind != "dossier":
            return
        dossier = self._workspace.store.get_dossier(entry.item.key)
        if dossier is None:
            return

        def done(change: Change | None) -> None:
            if change is not None and change.message:
                self.notify(change.message, timeout=4, markup=False)

        self.app.push_screen(LetterScreen(self._workspace, dossier), done)

    def action_close(self) -> None:
        self.dismiss(None)


def open_agenda(screen: Dashboard, dossier: Dossier | None) -> None:
    """Feature handler (features.py): the agenda; Enter on a row selects that dossier."""

    def done(key: str | None) -> None:
        # The letter may have written the history: re-read, and select the chosen row (a
        # dossier's SIREN or an expert space's key).
        screen.reload(select=key or screen.selected_siren)

    screen.app.push_screen(AgendaScreen(screen.workspace, read_only=screen.read_only), done)
