"""Left pane: counts per status, the `/` filter and one line per dossier or expert space.

Rows are RowViews computed by the screen; this widget only shows them, keeps the sort order
and the filter, and redraws a single line when one dossier changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from espace_tui.domain.deadlines import STATUS_LABELS, STATUS_RANK, Status
from espace_tui.tui.rows import (
    OWNER_FILTERS,
    SORT_LABELS,
    RowView,
    SortOrder,
    next_sort,
    space_id_of,
    status_counts,
)
from espace_tui.tui.widgets.row_table import RowTable, header_text
from espace_tui.tui.widgets.status_style import status_style

# Moving a row costs ~1/20 of sorting and measuring every row again (at 10,000 rows).
MOVED_ONE_BY_ONE = 16


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

    def __init__(
        self,
        now: datetime,
        *,
        wake: Callable[[datetime], None] = lambda at: None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._wake = wake  # see RowTable
        self._started_at = now  # the countdowns' first instant, until the screen's tick
        self.rows: dict[str, RowView] = {}
        self.order = SortOrder.URGENCY
        self.needle = ""
        self._styles: dict[Status, str] = {}
        self._counts = ""
        # Kept up to date row by row: recounting 10,000 rows at each change is wasted work.
        self._per_status: dict[Status, int] = dict.fromkeys(Status, 0)
        # Dossiers marked for a batch action, and the « Qui » filter (None: everyone).
        self.marked: set[str] = set()
        self.owner_filter: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        yield Input(
            placeholder="Filtrer : SIREN, nom, statut ou qui (Échap pour effacer)", id="filter"
        )
        yield Static(id="list-header")
        yield Static(id="no-match")
        yield RowTable(
            self._row_style,
            self._started_at,
            self.marked.__contains__,
            wake=self._wake,
            id="dossier-table",
        )
        yield Static(id="undo-hint")

    @cached_property  # the screen's tick asks for it: looked up once
    def table(self) -> RowTable:
        return self.query_one(RowTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    # -- content -------------------------------------------------------------------------

    @property
    def per_status(self) -> dict[Status, int]:
        """Rows per status (dossiers and expert spaces), kept up to date row by row."""
        return self._per_status

    def _style(self, status: Status) -> str:
        if not self._styles:
            variables = self.app.theme_variables
            self._styles = {s: status_style(s, variables) for s in Status}
        return self._styles[status]

    def _row_style(self, row: RowView) -> str:
        return self._style(row.status)

    def _visible(self) -> list[RowView]:
        owner = self.owner_filter
        shown = [
            r
            for r in self.rows.values()
            if r.matches(self.needle) and (owner is None or r.owner == owner)
        ]
        shown.sort(key=lambda r: r.sort_key(self.order))
        return shown

    def show_time(self, now: datetime) -> None:
        """The countdowns on screen as at `now` (the screen's tick)."""
        self.table.show_time(now)

    def load(self, rows: list[RowView], now: datetime, select: str | None = None) -> None:
        """Replace every row (start, data changed elsewhere), computed at `now`."""
        self.table.show_time(now)
        keep = select or self.selected_key
        self.rows = {r.siren: r for r in rows}
        self.marked.intersection_update(self.rows)  # deleted elsewhere: no longer marked
        self._per_status = status_counts(rows)
        self._rebuild(keep)

    def _rebuild(self, select: str | None, changed: list[RowView] | None = None) -> None:
        """Sort and show the rows again; `changed`: only these changed (the others need no
        measuring again)."""
        self.table.set_rows(self._visible(), select=select, measure=changed)
        self._show_counts()
        self._show_no_match()

    def _show_no_match(self) -> None:
        empty = self.needle.strip() != "" and self.table.row_count == 0
        message = self.query_one("#no-match", Static)
        if empty:
            message.update(Text(f"Aucun dossier ne correspond à « {self.needle.strip()} »."))
        message.display = empty

    def _shown(self, row: RowView) -> bool:
        return row.matches(self.needle) and self.owner_filter in (None, row.owner)

    def put(self, row: RowView, now: datetime) -> None:
        """Show one changed row, computed at `now`: redraw its line, move it if its sort
        position changed."""
        self.table.show_time(now)
        before = self.rows.get(row.siren)
        self.rows[row.siren] = row
        if before is not None:
            self._per_status[before.status] -= 1
        self._per_status[row.status] += 1
        if before is None or self._shown(before) != self._shown(row):
            self._rebuild(self.selected_key)
            return
        if before.status != row.status:
            self._show_counts()
        if before.sort_key(self.order) != row.sort_key(self.order):
            if self._shown(row):
                self.table.move(row, self._sort_key)
            return
        self.table.put(row)

    def _sort_key(self, row: RowView) -> tuple[object, ...]:
        return row.sort_key(self.order)

    def put_many(self, rows: list[RowView], now: datetime) -> None:
        """Changed rows (a batch, statuses changing at the same instant), computed at `now`:
        a few are put one by one, more and the list is sorted and drawn once."""
        if len(rows) <= MOVED_ONE_BY_ONE:
            for row in rows:
                self.put(row, now)
            return
        self.table.show_time(now)
        for row in rows:
            before = self.rows.get(row.siren)
            self.rows[row.siren] = row
            if before is not None:
                self._per_status[before.status] -= 1
            self._per_status[row.status] += 1
        self._rebuild(self.selected_key, changed=rows)

    def drop(self, siren: str) -> None:
        gone = self.rows.pop(siren, None)
        self.marked.discard(siren)
        if gone is not None:
            self._per_status[gone.status] -= 1
            index = self.table.cursor
            self.table.set_rows(self._visible())
            self.table.move_to(index)
            self._show_counts()
            self._show_no_match()

    def cycle_sort(self) -> SortOrder:
        self.order = next_sort(self.order)
        self._rebuild(self.selected_key)
        return self.order

    def cycle_owner_filter(self) -> str | None:
        """« Qui » filter: everyone, then Cabinet, Client, DGFiP, Banque."""
        index = OWNER_FILTERS.index(self.owner_filter)
        self.owner_filter = OWNER_FILTERS[(index + 1) % len(OWNER_FILTERS)]
        self._rebuild(self.selected_siren)
        return self.owner_filter

    # -- marks (batch actions) -------------------------------------------------------------

    def toggle_mark(self, siren: str) -> None:
        if siren in self.marked:
            self.marked.discard(siren)
        else:
            self.marked.add(siren)
        self.table.redraw(siren)
        self._show_counts()

    def mark_all_shown(self) -> int:
        """Mark every dossier the filters show; if they all are already, unmark them."""
        shown = self.table.sirens()
        if shown and all(s in self.marked for s in shown):
            self.marked.difference_update(shown)
        else:
            self.marked.update(shown)
        self.table.clear_cache()
        self._show_counts()
        return len(self.marked)

    def clear_marks(self) -> None:
        self.marked.clear()
        self.table.clear_cache()
        self._show_counts()

    def show_undo_hint(self, text: str) -> None:
        self.query_one("#undo-hint", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def set_filter(self, needle: str) -> None:
        if needle == self.needle:
            return
        self.needle = needle
        self._rebuild(self.selected_key)

    def restyle(self) -> None:
        """The theme changed: recolour the statuses."""
        self._styles = {}
        self.table.clear_cache()
        self._show_counts(force=True)

    def _show_counts(self, force: bool = False) -> None:
        counts = self._per_status
        text = Text()
        for status in sorted(Status, key=lambda s: STATUS_RANK[s]):
            if counts[status]:
                text.append(f"{STATUS_LABELS[status]} {counts[status]}", self._style(status))
                text.append(" ")
        shown, total = self.table.row_count, len(self.rows)
        spaces = sum(1 for key in self.rows if space_id_of(key) is not None)
        # « │ N » counts the dossiers (N/M when filtered); the cabinet's spaces come after.
        dossiers = total - spaces
        if shown != total:
            text.append(f"│ {shown}/{total}")
        else:
            text.append(f"│ {dossiers} dossier{'s' if dossiers > 1 else ''}")
            if spaces:
                text.append(f", {spaces} espace{'s' if spaces > 1 else ''}")
        text.append(f" · tri {SORT_LABELS[self.order]}")
        if self.owner_filter is not None:
            text.append(f" · qui : {self.owner_filter}", "bold")
        if self.marked:
            text.append(
                f" · {len(self.marked)} marqué{'s' if len(self.marked) > 1 else ''}", "bold"
            )
        if force or text.plain != self._counts:
            self._counts = text.plain
            self.query_one("#counts", Static).update(text)

    # -- selection -----------------------------------------------------------------------

    @property
    def selected_key(self) -> str | None:
        """The highlighted row's key: a SIREN or an expert space's key."""
        return self.table.selected_siren

    @property
    def selected_siren(self) -> str | None:
        """The highlighted dossier's SIREN (None on an expert space's row)."""
        key = self.table.selected_siren
        return key if space_id_of(key) is None else None

    @property
    def selected_space_id(self) -> str | None:
        return space_id_of(self.table.selected_siren)

    def select(self, siren: str) -> None:
        sirens = self.table.keys()
        if siren in sirens:
            self.table.move_to(sirens.index(siren))

    @on(RowTable.Highlighted)
    def _highlighted(self, event: RowTable.Highlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(event.siren))

    @on(RowTable.ColumnsChanged)
    def _columns(self, event: RowTable.ColumnsChanged) -> None:
        event.stop()
        self.query_one("#list-header", Static).update(header_text(event.columns))

    def on_mount(self) -> None:
        self.query_one("#list-header", Static).update(header_text(self.table.columns))

    @on(RowTable.Opened)
    def _opened(self, event: RowTable.Opened) -> None:
        event.stop()
        self.post_message(self.Opened(event.siren))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()
