"""Left pane: counts per status, the `/` filter and one table row per dossier.

Rows are RowViews computed by the screen; this widget only shows them, keeps the sort order
and the filter, and rewrites a cell only when its text changed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowDoesNotExist

from espace_tui.domain.deadlines import STATUS_LABELS, STATUS_RANK, Status
from espace_tui.tui.rows import SORT_LABELS, RowView, SortOrder, next_sort, status_counts
from espace_tui.tui.widgets.status_style import status_style

COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("siren", "SIREN", 11),
    ("name", "Entreprise", 19),
    ("mode", "Mode", 9),
    ("status", "Statut", 7),
    ("countdown", "Échéance", 21),
)


class DossierTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Bas", show=False, id="list_down"),
        Binding("k", "cursor_up", "Haut", show=False, id="list_up"),
    ]


class DossierList(Vertical):
    """Posts DossierList.Highlighted when the cursor moves to another dossier."""

    class Highlighted(Message):
        def __init__(self, siren: str | None) -> None:
            self.siren = siren
            super().__init__()

    class Opened(Message):
        def __init__(self, siren: str) -> None:
            self.siren = siren
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: dict[str, RowView] = {}
        self.order = SortOrder.URGENCY
        self.needle = ""
        self._styles: dict[Status, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        yield Input(placeholder="Filtrer : SIREN, nom ou statut (Échap pour effacer)", id="filter")
        table = DossierTable(id="dossier-table", cursor_type="row", zebra_stripes=True)
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table

    @property
    def table(self) -> DossierTable:
        return self.query_one(DossierTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    # -- content -------------------------------------------------------------------------

    def _style(self, status: Status) -> str:
        if not self._styles:
            variables = self.app.theme_variables
            self._styles = {s: status_style(s, variables) for s in Status}
        return self._styles[status]

    def _cells(self, row: RowView) -> tuple[Text, ...]:
        style = self._style(row.status)
        return (
            Text(row.siren_text),
            Text(row.name, no_wrap=True, overflow="ellipsis"),
            Text(row.mode),
            Text(row.status_label, style=style),
            Text(row.countdown, style=style if row.status is not Status.OK else ""),
        )

    def _visible(self) -> list[RowView]:
        shown = [r for r in self.rows.values() if r.matches(self.needle)]
        shown.sort(key=lambda r: r.sort_key(self.order))
        return shown

    def load(self, rows: list[RowView], select: str | None = None) -> None:
        """Replace every row (start, filter, sort, data changed elsewhere)."""
        keep = select or self.selected_siren
        self.rows = {r.siren: r for r in rows}
        self._rebuild(keep)

    def _rebuild(self, select: str | None) -> None:
        table = self.table
        shown = self._visible()
        table.clear()
        for row in shown:
            table.add_row(*self._cells(row), key=row.siren)
        self._show_counts()
        if select is not None and select in self.rows:
            self.select(select)
        else:
            self.post_message(self.Highlighted(shown[0].siren if shown else None))

    def put(self, row: RowView) -> None:
        """Show one changed row: rewrite only the cells whose text changed."""
        before = self.rows.get(row.siren)
        self.rows[row.siren] = row
        if before is None or not row.matches(self.needle):
            self._rebuild(self.selected_siren)
            return
        if before.status != row.status:
            self._show_counts()
        table = self.table
        try:
            table.get_row_index(row.siren)
        except RowDoesNotExist:
            self._rebuild(self.selected_siren)
            return
        old, new = self._cells(before), self._cells(row)
        for (key, _, _), was, cell in zip(COLUMNS, old, new, strict=True):
            if was.plain != cell.plain or was.style != cell.style:
                table.update_cell(row.siren, key, cell)
        if before.sort_key(self.order) != row.sort_key(self.order):
            self._resort()

    def drop(self, siren: str) -> None:
        if self.rows.pop(siren, None) is not None:
            self._rebuild(None)

    def _resort(self) -> None:
        selected = self.selected_siren
        self.table.sort(key=lambda row: self._sort_cell(row), reverse=False)
        if selected:
            self.select(selected)

    def _sort_cell(self, cells: list[object]) -> tuple[object, ...]:
        # DataTable.sort gives cell values; the SIREN cell maps back to the RowView.
        siren = str(cells[0]).replace(" ", "")
        return self.rows[siren].sort_key(self.order)

    def cycle_sort(self) -> SortOrder:
        self.order = next_sort(self.order)
        self._resort()
        self._show_counts()
        return self.order

    def set_filter(self, needle: str) -> None:
        if needle == self.needle:
            return
        self.needle = needle
        self._rebuild(self.selected_siren)

    def restyle(self) -> None:
        """The theme changed: recolour the status cells."""
        self._styles = {}
        self._rebuild(self.selected_siren)

    def _show_counts(self) -> None:
        counts = status_counts(list(self.rows.values()))
        text = Text()
        for status in sorted(Status, key=lambda s: STATUS_RANK[s]):
            if counts[status]:
                text.append(f"{STATUS_LABELS[status]} {counts[status]}", self._style(status))
                text.append("  ")
        shown = self.table.row_count
        total = len(self.rows)
        text.append(f"│ {shown}/{total}" if shown != total else f"│ {total}")
        text.append(f" · tri {SORT_LABELS[self.order]}")
        self.query_one("#counts", Static).update(text)

    # -- selection -----------------------------------------------------------------------

    @property
    def selected_siren(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except Exception:  # cursor outside the rows while the table is rebuilt
            return None
        return None if key.value is None else str(key.value)

    def select(self, siren: str) -> None:
        try:
            index = self.table.get_row_index(siren)
        except RowDoesNotExist:
            return
        self.table.move_cursor(row=index, animate=False, scroll=True)
        self.post_message(self.Highlighted(siren))

    @on(DataTable.RowHighlighted, "#dossier-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        value = event.row_key.value
        self.post_message(self.Highlighted(None if value is None else str(value)))

    @on(DataTable.RowSelected, "#dossier-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(str(event.row_key.value)))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()
