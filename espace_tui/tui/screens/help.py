"""F1 / ? : the keys of the focused pane first, then the screen's and the application's."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from espace_tui.tui.widgets.scroll_pane import ScrollPane

# What a pane is called in the help, by widget id (others fall back to the screen).
PANE_NAMES: dict[str, str] = {
    "dossier-table": "Liste des dossiers",
    "checklist": "Étapes du dossier",
    "dossier-detail": "Fiche du dossier",
    "filter": "Filtre",
}

HelpRow = tuple[str, str]

MOVES = (
    "Flèches, j / k, Page préc. / suiv., Début / Fin : se déplacer dans le volet. "
    "Tab / Maj+Tab : volet suivant / précédent. Entrée : ouvrir le dossier (ses étapes)."
)


def collect_help(screen: Screen[Any]) -> list[tuple[str, list[HelpRow]]]:
    """Group the screen's active bindings by where they come from, the focused pane first."""
    app = screen.app
    focused = screen.focused
    pane_name = "Volet actif"
    if focused is not None and focused.id in PANE_NAMES:
        pane_name = f"Volet actif : {PANE_NAMES[focused.id]}"
    groups: dict[str, list[HelpRow]] = {pane_name: [], "Écran principal": [], "Application": []}
    seen: set[tuple[str, str]] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        description = binding.tooltip or binding.description
        # Textual's own movement keys (no id, English names) are summed up in one line below.
        if not description or not active.enabled or binding.id is None:
            continue
        node = active.node
        if node is app:
            group = "Application"
        elif node is screen:
            group = "Écran principal"
        else:
            group = pane_name
        key = app.get_key_display(binding)
        if (key, description) in seen:
            continue
        seen.add((key, description))
        groups[group].append((key, description))
    return [(name, rows) for name, rows in groups.items() if rows]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f1,question_mark", "close", "Fermer", id="help_close"),
        Binding("g", "guide", "Guide des procédures", id="help_guide"),
    ]

    def __init__(self, groups: list[tuple[str, list[HelpRow]]]) -> None:
        super().__init__(classes="dialog-screen")
        self._groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static(Text("Aide — touches du clavier"), classes="dialog-title")
            with ScrollPane():
                for name, rows in self._groups:
                    table = Table(
                        title=name, title_justify="left", show_header=False, box=None, expand=True
                    )
                    table.add_column("Touche", style="bold", width=10, no_wrap=True)
                    table.add_column("Action", ratio=1)
                    for key, description in rows:
                        table.add_row(Text(key), Text(description))
                    yield Static(table, classes="help-group")
                yield Static(Text(MOVES), classes="help-group")
                yield Static(
                    Text(
                        "Ctrl+P ouvre la palette de commandes : toutes les actions par leur nom. "
                        "Les touches se changent dans les réglages (« keymap » : identifiant de "
                        "l'action → touche, voir le fichier README).",
                        style="dim",
                    )
                )
            yield Static(
                Text(
                    "g : guide des procédures (étapes, délais, choix du mode) · Échap pour fermer",
                    style="dim",
                ),
                classes="dialog-hint",
            )

    def action_close(self) -> None:
        self.dismiss(None)

    def action_guide(self) -> None:
        from espace_tui.tui.screens.guide import GuideScreen

        self.dismiss(None)
        self.app.push_screen(GuideScreen())
