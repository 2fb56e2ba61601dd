"""A scrolling area that is a Tab stop only while the keyboard can scroll it, and shows it.

Textual's scroll containers are always focusable: a dialog whose text fits got an invisible
Tab stop (nothing marks a focused container). A ScrollPane is a Tab stop only while its
content overflows, and app.tcss marks it (tinted background, accent scrollbar) when focused.
"""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollPane(VerticalScroll):
    def allow_focus(self) -> bool:
        if not self.size:
            # Not laid out yet, overflow unknown: focusable like Textual's own, so a dialog's
            # first focus (auto-focus, then its on_mount) and scroll position stay the same.
            return True
        return self.allow_vertical_scroll or self.allow_horizontal_scroll

    def on_resize(self) -> None:
        # Given the focus before layout but nothing to scroll: the focus goes to the dialog's
        # first real stop (its button), or nowhere, rather than stay on a dead stop.
        if self.has_focus and not self.allow_focus():
            chain = self.screen.focus_chain
            self.screen.set_focus(chain[0] if chain else None)
