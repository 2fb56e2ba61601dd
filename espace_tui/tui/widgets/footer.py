"""The footer of keys of the secondary screens (agenda, guide, first run), rebuilt only when
the keys it shows change. (The main screen draws its keys in one widget: tui/widgets/key_bar.py.)

Textual's footer removes and mounts all its keys again whenever the screen's bindings are
refreshed: at every focus change and every dialog opened or closed. Most rebuilds showed
exactly the keys already shown, each costing a restyle and a layout of some twenty widgets.

What is compared is what the footer last drew, read when it draws: the keys read when the
change was signalled may be older (a screen being pushed shows the app's keys alone), and the
footer was then drawn twice as its screen opened. One rebuild at a time: the signals that
come before it runs change nothing more.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    _shown: Hashable = None
    _rebuild_pending = False

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

    def compose(self) -> ComposeResult:
        self._rebuild_pending = False
        if self._bindings_ready:
            self._shown = self._keys_to_show()
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            if self._rebuild_pending:
                return
            if self._bindings_ready and self._keys_to_show() == self._shown:
                return
            self._rebuild_pending = True
        super().bindings_changed(screen)
