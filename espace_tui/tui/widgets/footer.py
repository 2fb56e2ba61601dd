"""The footer of keys, rebuilt only when the keys it shows change.

Textual's footer removes and mounts all its keys again whenever the screen's bindings are
refreshed: at every focus change, and at every cursor move on the main screen (whose
actions depend on the selected dossier). In a day of use (the dashboard tests' keystrokes),
two rebuilds in three showed exactly the keys already shown, each costing a restyle and a
layout of some twenty widgets.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _shown: Hashable = None

    def _keys_to_show(self) -> Hashable:
        """What `compose` draws from: each shown binding and its state, in order, and the
        command palette's key (drawn apart)."""
        app = self.app
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                binding.group,
                enabled,
                tooltip,
            )
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = self._keys_to_show()
            if self._bindings_ready and shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
