"""The procedure guide on screen: the same Markdown as `espace-tui guide`, with its contents.

The text is generated from the procedure data (espace_tui.domain.guide), never written here.
It is drawn by Rich, one Static per section: Textual's Markdown widget builds a widget per
paragraph, list item and table cell (several thousand here) and took ~1.5 s to open; a dozen
Statics open in a few tens of milliseconds and the contents can still jump to a section.
Only the first screenful is drawn before the screen shows; the rest right after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.domain.guide import guide_sections
from espace_tui.tui.widgets.footer import Footer
from espace_tui.tui.widgets.scroll_pane import ScrollPane

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard


# Sections drawn before the first paint: the title and « Choisir le bon mode » fill a screen.
FIRST_SECTIONS = 2


def section_id(index: int) -> str:
    return f"guide-section-{index}"


def section_markdown(markdown: str) -> Markdown:
    # No hyperlinks: never hand a URL to a browser from here.
    return Markdown(markdown, hyperlinks=False)


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

    def __init__(self) -> None:
        super().__init__()
        self.sections = guide_sections()

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Guide des procédures — Échap pour revenir au tableau de bord"),
            id="guide-title",
        )
        with Horizontal(id="guide-body"):
            # Hidden at first: the comparison table needs the full width (t shows it).
            contents = OptionList(
                *(
                    Option(Text(("  " * (s.level - 2)) + s.title), id=section_id(i))
                    for i, s in enumerate(self.sections)
                    if s.level >= 2
                ),
                id="guide-contents",
            )
            contents.display = False
            yield contents
            with ScrollPane(id="guide"):
                for index, section in enumerate(self.sections):
                    first = index < FIRST_SECTIONS
                    yield Static(
                        section_markdown(section.markdown) if first else "",
                        id=section_id(index),
                        classes="guide-section",
                    )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#guide", VerticalScroll).focus()
        self.call_after_refresh(self._draw_the_rest)

    def _draw_the_rest(self) -> None:
        for index, section in enumerate(self.sections[FIRST_SECTIONS:], start=FIRST_SECTIONS):
            self.query_one(f"#{section_id(index)}", Static).update(
                section_markdown(section.markdown)
            )

    @property
    def contents_shown(self) -> bool:
        return bool(self.query_one("#guide-contents", OptionList).display)

    def action_toggle_contents(self) -> None:
        contents = self.query_one("#guide-contents", OptionList)
        contents.display = not contents.display
        if contents.display:
            contents.focus()
        else:
            self.query_one("#guide", VerticalScroll).focus()

    @on(OptionList.OptionSelected, "#guide-contents")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        target = self.query_one(f"#{event.option.id}", Static)
        self.query_one("#guide", VerticalScroll).scroll_to_widget(target, top=True, animate=False)

    def action_close(self) -> None:
        self.dismiss(None)


def open_guide(screen: Dashboard, dossier: Dossier | None) -> None:
    """Feature handler (features.py): the guide, whatever is selected."""
    screen.app.push_screen(GuideScreen())
