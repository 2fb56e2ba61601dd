"""Command palette (ctrl+p): every active binding of the current screen, by its French name.

Bindings carry a `tooltip` with the explicit palette name (« Dossier : ajouter un dossier »),
so a feature that adds a Binding is in the palette without any code here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.widgets.option_list import Option

PaletteEntry = tuple[str, str, Callable[[], object]]
# The palette's own key: listing it in itself would be noise.
_NOT_LISTED = frozenset({"app.command_palette", "command_palette"})


class EspaceCommands(Provider):
    def _entries(self) -> Iterator[PaletteEntry]:
        app = self.app
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            name = binding.tooltip or binding.description
            # Only our bindings: Textual's own (scrolling, copy, ctrl+q…) are in English.
            if binding.system or binding.id is None or not binding.tooltip:
                continue
            if not active.enabled or name in seen or binding.action in _NOT_LISTED:
                continue
            seen.add(name)
            node: DOMNode = active.node
            help_text = f"touche {app.get_key_display(binding)}"
            yield name, help_text, partial(app.run_action, binding.action, node)
        # The app's few useful system commands, in French (theme picker…).
        for command in app.get_system_commands(self.screen):
            yield command.title, command.help, command.callback

    async def discover(self) -> Hits:
        for name, help_text, run in self._entries():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)


class FrenchCommandPalette(CommandPalette):
    """Textual's palette with its two fixed English texts in French."""

    def __init__(self) -> None:
        super().__init__(placeholder="Rechercher une commande…", id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Same as Textual's (a short delay, then one disabled option) with a French text.
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("Aucune commande ne correspond", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
