"""Baseline for bench_tui.py: a bare Textual app showing a 1,000-row DataTable."""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Footer


class BareApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quitter")]

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("SIREN", "Entreprise", "Mode", "Statut", "Échéance")
        for i in range(self.rows):
            table.add_row(f"{i:09d}", f"Entreprise {i}", "expert", "ok", f"{i % 60} j")
        table.focus()


if __name__ == "__main__":
    BareApp(int(sys.argv[1]) if len(sys.argv) > 1 else 1000).run()
