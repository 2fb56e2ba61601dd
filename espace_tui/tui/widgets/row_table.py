"""A list of dossier rows that renders only the visible lines (Textual's Line API).

DataTable measures every cell of every row when rows are added, which takes seconds with
10,000 dossiers; this widget keeps the rows in a Python list and draws the lines on screen,
so loading, sorting, filtering and updating one row cost the same whatever the count.

Countdown texts are written for the instant the list shows (`show_time`), on the lines drawn:
when a minute passes, only the lines on screen whose text changed are drawn again. A row
scrolled into view is drawn with the text of that instant, never an older one.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from espace_tui.domain.deadlines import Status
from espace_tui.domain.display import column_text
from espace_tui.tui.rows import RowView

# (id, header): the name column takes what the others leave.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("siren", "SIREN"),
    ("name", "Entreprise"),
    ("mode", "Mode"),
    ("owner", "Qui"),
    ("status", "Statut"),
    ("countdown", "Échéance"),
)
GAP = 1
MIN_NAME = 12
# Narrow terminals drop these first, so the status and the deadline always stay visible.
DROP_ORDER = ("mode", "siren", "owner")
# Widths of the fixed-content columns; the status and countdown ones grow with their text.
FIXED_WIDTHS = {"siren": 11, "mode": 9, "owner": 7}

Layout = tuple[tuple[str, str, int], ...]
CellStyler = Callable[[RowView], str]
# The first cell of a line: a marked dossier (for a batch action) shows this sign.
MARK = "●"


def cells(row: RowView, now: datetime) -> dict[str, str]:
    return {
        "siren": row.siren_text,
        "name": column_text(row.name),
        "mode": row.mode,
        "owner": row.owner,
        "status": row.status_label,
        "countdown": row.countdown_at(now),
    }


def layout(width: int, natural: dict[str, int]) -> Layout:
    """Columns shown in `width` cells: optional ones dropped until the name gets MIN_NAME,
    then the name gets the rest (no more than its longest value)."""
    shown = [key for key, _ in COLUMNS]
    labels = dict(COLUMNS)

    def room() -> int:
        others = sum(natural[k] for k in shown if k != "name")
        return width - 1 - others - GAP * (len(shown) - 1)

    for key in DROP_ORDER:
        if room() >= MIN_NAME:
            break
        shown.remove(key)
    name = max(4, min(room(), natural["name"]))
    return tuple((k, labels[k], name if k == "name" else natural[k]) for k in shown)


def header_text(columns: Layout) -> Text:
    text = Text(" ", style="bold", no_wrap=True, end="")
    for index, (_, label, width) in enumerate(columns):
        text.append(label[:width].ljust(width + (GAP if index < len(columns) - 1 else 0)))
    return text


class RowTable(ScrollView, can_focus=True):
    """Posts Highlighted when the cursor lands on a row and Opened on enter or double click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Haut", show=False, id="list_up"),
        Binding("down,j", "move(1)", "Bas", show=False, id="list_down"),
        Binding("pageup", "page(-1)", "Page précédente", show=False, id="list_page_up"),
        Binding("pagedown", "page(1)", "Page suivante", show=False, id="list_page_down"),
        Binding("home", "first", "Premier", show=False, id="list_first"),
        Binding("end", "last", "Dernier", show=False, id="list_last"),
        Binding("enter", "open", "Ouvrir", show=False, id="list_open"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--cursor", "row-table--stripe"}
    DEFAULT_CSS = """
    RowTable > .row-table--cursor { background: $block-cursor-blurred-background; }
    RowTable:focus > .row-table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    RowTable > .row-table--stripe { background: $surface-lighten-1 20%; }
    RowTable { scrollbar-size-vertical: 1; overflow-x: hidden; }
    """

    class Highlighted(Message):
        def __init__(self, siren: str | None) -> None:
            self.siren = siren
            super().__init__()

    class Opened(Message):
        def __init__(self, siren: str) -> None:
            self.siren = siren
            super().__init__()

    class ColumnsChanged(Message):
        def __init__(self, columns: Layout) -> None:
            self.columns = columns
            super().__init__()

    def __init__(
        self,
        styler: CellStyler,
        now: datetime,
        is_marked: Callable[[str], bool] = lambda siren: False,
        *,
        wake: Callable[[datetime], None] = lambda at: None,
        id: str | None = None,
    ) -> None:
        """`wake(at)`: a line on screen shows another countdown text at `at`, sooner than
        any said before (the screen's tick must run by then)."""
        super().__init__(id=id)
        self._styler = styler
        self._wake = wake
        self._is_marked = is_marked
        self._rows: list[RowView] = []
        self._index: dict[str, int] = {}
        self._cursor = 0
        # The instant the countdowns are written for, and the first instant one of the lines
        # drawn since the last check shows another text (None: none drawn has a countdown).
        self._now = now
        self._text_change: datetime | None = None
        # Drawn lines by row key, with the countdown text each was drawn with.
        self._lines: dict[str, tuple[str, Strip]] = {}
        self._natural = self._headers()
        self.columns: Layout = layout(80, self._natural)

    # -- content -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def keys(self) -> list[str]:
        """Every row's key in shown order: SIRENs and the expert spaces' keys."""
        return [row.siren for row in self._rows]

    def sirens(self) -> list[str]:
        """The dossiers' SIRENs in shown order (expert spaces left out)."""
        return [row.siren for row in self._rows if row.space_id is None]

    def row(self, siren: str) -> RowView:
        return self._rows[self._index[siren]]

    @staticmethod
    def _headers() -> dict[str, int]:
        natural = {key: len(label) for key, label in COLUMNS}
        for key, width in FIXED_WIDTHS.items():
            natural[key] = max(natural[key], width)
        return natural

    def _measure(self, rows: list[RowView], natural: dict[str, int]) -> bool:
        """Grow the natural widths to fit `rows` (countdowns as now); True when one grew."""
        grew = False
        now = self._now
        for row in rows:
            for key, value in cells(row, now).items():
                if key not in FIXED_WIDTHS and cell_len(value) > natural[key]:
                    natural[key] = cell_len(value)
                    grew = True
        return grew

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        columns = layout(width if width > 0 else 80, self._natural)
        if columns != self.columns:
            self.columns = columns
            self._lines.clear()
            self.post_message(self.ColumnsChanged(columns))
        line = sum(w for _, _, w in columns) + GAP * (len(columns) - 1) + 1
        self.virtual_size = Size(line, len(self._rows))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def set_rows(
        self, rows: list[RowView], select: str | None = None, measure: list[RowView] | None = None
    ) -> None:
        """Show `rows`; `measure`: the only ones whose texts changed since the last call (the
        columns then only grow), None: every row measured anew."""
        self._rows = rows
        self._index = {row.siren: i for i, row in enumerate(rows)}
        self._lines.clear()
        self._text_change = None  # the lines drawn next say when they change
        if measure is None:
            self._natural = self._headers()
        self._measure(rows if measure is None else measure, self._natural)
        self._relayout()
        target = self._index.get(select, 0) if select is not None else 0
        self._cursor = -1  # force the Highlighted message
        if rows:
            self.move_to(target)
        else:
            self.post_message(self.Highlighted(None))
        self.refresh()

    @property
    def text_change_at(self) -> datetime | None:
        """When a line drawn since the last `show_time` next shows another countdown."""
        return self._text_change

    def show_time(self, now: datetime) -> None:
        """Countdowns as at `now`: the lines on screen whose text changed are drawn again
        (most calls: none is due, nothing is looked at)."""
        self._now = now
        due = self._text_change
        if due is None or now < due:
            return
        self._text_change = None
        top = self.scroll_offset.y
        grew = False
        for index in range(max(0, top), min(top + self.size.height, len(self._rows))):
            row = self._rows[index]
            self._note_text_change(row)
            drawn = self._lines.get(row.siren)
            if drawn is not None and drawn[0] == row.countdown_at(now):
                continue
            self._lines.pop(row.siren, None)
            grew = self._measure([row], self._natural) or grew
            self._refresh_index(index)
        if grew:
            self._relayout()  # a longer countdown: every line is redrawn

    def _note_text_change(self, row: RowView) -> None:
        at = row.countdown_changes_at(self._now)
        if at is not None and (self._text_change is None or at < self._text_change):
            self._text_change = at
            self._wake(at)

    def put(self, row: RowView) -> bool:
        """Redraw one row in place; False when the row is not shown."""
        index = self._index.get(row.siren)
        if index is None:
            return False
        self._rows[index] = row
        self._lines.pop(row.siren, None)
        if self._measure([row], self._natural):
            self._relayout()  # a longer countdown or name: every line is redrawn
        else:
            self._refresh_index(index)
        return True

    def move(self, row: RowView, sort_key: Callable[[RowView], tuple[object, ...]]) -> None:
        """A shown row changed its place in the sort: taken out and put back where it goes,
        the other rows keeping their order (no sort, no measure of every row). The cursor
        stays on its row."""
        old = self._index[row.siren]
        selected = self.selected_siren
        del self._rows[old]
        new = bisect.bisect_left(self._rows, sort_key(row), key=sort_key)
        self._rows.insert(new, row)
        for index in range(min(old, new), max(old, new) + 1):
            self._index[self._rows[index].siren] = index
        self._lines.pop(row.siren, None)
        if self._measure([row], self._natural):
            self._relayout()
        else:
            self.refresh()
        if selected is not None:
            self._cursor = -1  # as after set_rows: Highlighted posted, scrolled to it
            self.move_to(self._index[selected])

    def redraw(self, siren: str) -> None:
        """One line drawn again (its mark changed)."""
        self._lines.pop(siren, None)
        index = self._index.get(siren)
        if index is not None:
            self._refresh_index(index)

    def clear_cache(self) -> None:
        self._lines.clear()
        self.refresh()

    def _refresh_index(self, index: int) -> None:
        y = index - self.scroll_offset.y
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- cursor --------------------------------------------------------------------------

    @property
    def selected_siren(self) -> str | None:
        if 0 <= self._cursor < len(self._rows):
            return self._rows[self._cursor].siren
        return None

    @property
    def cursor(self) -> int:
        return self._cursor

    def move_to(self, index: int) -> None:
        if not self._rows:
            return
        index = max(0, min(index, len(self._rows) - 1))
        if index == self._cursor:
            return
        previous, self._cursor = self._cursor, index
        if previous >= 0:
            self._refresh_index(previous)
        self._refresh_index(index)
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, immediate=True)
        self.post_message(self.Highlighted(self._rows[index].siren))

    def action_move(self, delta: int) -> None:
        self.move_to(self._cursor + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self._cursor + direction * max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self._rows) - 1)

    def action_open(self) -> None:
        siren = self.selected_siren
        if siren is not None:
            self.post_message(self.Opened(siren))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self._rows):
            self.move_to(index)
            if event.chain == 2:
                self.action_open()

    def on_focus(self) -> None:
        self._refresh_index(self._cursor)

    def on_blur(self) -> None:
        self._refresh_index(self._cursor)

    # -- drawing -------------------------------------------------------------------------

    def _line(self, row: RowView) -> Strip:
        now = self._now
        countdown = row.countdown_at(now)
        self._note_text_change(row)
        cached = self._lines.get(row.siren)
        if cached is not None and cached[0] == countdown:
            return cached[1]
        if self._measure([row], self._natural):
            # Scrolled into view with a longer countdown than any measured: shown cut for
            # this frame, then every line at the new width.
            self.call_later(self._relayout)
        style = self._styler(row)
        text = Text(MARK if self._is_marked(row.siren) else " ", "bold", no_wrap=True, end="")
        values = cells(row, now)
        columns = self.columns
        for index, (key, _, width) in enumerate(columns):
            value = values[key]
            # Cells, not characters: a wide character (emoji, CJK) takes two.
            shown = value if cell_len(value) <= width else set_cell_size(value, width - 1) + "…"
            coloured = key == "status" or (key == "countdown" and row.status is not Status.OK)
            styled = style if coloured else ""
            text.append(shown, style=styled)
            pad = width - cell_len(shown) + (GAP if index < len(columns) - 1 else 0)
            text.append(" " * pad)
        strip = Strip(list(text.render(self.app.console)), text.cell_len)
        self._lines[row.siren] = (countdown, strip)
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        strip = self._line(self._rows[index])
        if index == self._cursor:
            overlay = self.get_component_rich_style("row-table--cursor")
        elif index % 2:
            overlay = base + self.get_component_rich_style("row-table--stripe")
        else:
            overlay = base
        # The overlay goes under the cells' own styles: status colours stay visible.
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_style(overlay)
