"""The procedure guide on screen: the same Markdown as `espace-tui guide`, with its contents.

The text is generated from the procedure data (espace_tui.domain.guide), never written here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, MarkdownViewer, Static

from espace_tui.domain.guide import render_markdown

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.screens.main import MainScreen


class GuideScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Fermer", id="guide_close"),
        Binding(
            "t",
            "toggle_contents",
            "Sommaire",
            id="guide_contents",
            tooltip="Guide : afficher / masquer le sommaire",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Guide des procédures — Échap pour revenir au tableau de bord"),
            id="guide-title",
        )
        # Links inside the guide are anchors: never hand a URL to a browser from here.
        # Contents hidden at first: the comparison table needs the full width (t shows it).
        yield MarkdownViewer(
            render_markdown(), id="guide", open_links=False, show_table_of_contents=False
        )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#guide", MarkdownViewer).document.focus()

    def action_toggle_contents(self) -> None:
        viewer = self.query_one("#guide", MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def action_close(self) -> None:
        self.dismiss(None)


def open_guide(screen: MainScreen, dossier: Dossier | None) -> None:
    """Feature handler (features.py): the guide, whatever is selected."""
    screen.app.push_screen(GuideScreen())
