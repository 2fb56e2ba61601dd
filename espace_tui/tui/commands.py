"""Command palette (ctrl+p): every active binding of the current screen, by its French name.

Bindings carry a `tooltip` with the explicit palette name (« Dossier : ajouter un dossier »),
so a feature that adds a Binding is in the palette without any code here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

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
            if not name or not active.enabled or name in seen or binding.action in _NOT_LISTED:
                continue
            seen.add(name)
            node: DOMNode = active.node
            help_text = f"touche {app.get_key_display(binding)}"
            yield name, help_text, partial(app.run_action, binding.action, node)
        # Textual's theme picker (light, dark and others); the choice is remembered.
        yield "Affichage : choisir le thème…", "clair, sombre…", app.action_change_theme

    async def discover(self) -> Hits:
        for name, help_text, run in self._entries():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, run in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
