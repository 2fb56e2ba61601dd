"""The main screen's footer of keys: one widget drawing one line.

Textual's footer is a container of one widget per key. On the dashboard that is some twenty
widgets to style, lay out and compose into every frame, and the screen's first paint came
about a tenth of a second later than without them. This bar draws the same keys, looking the
same (Textual's compact footer, its theme colours), as one line of text; it redraws only when
the keys shown change, and a click on a key presses it.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class ShownKey(NamedTuple):
    key: str  # the binding's key, pressed on a click
    display: str  # how it is printed: « F1 », « ␣ », « Ctrl+P »
    description: str
    enabled: bool


class KeyBar(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
    }
    # A key that does nothing here: dimmed in its own colours, as in Textual's footer.
    DIMMED = Style(dim=True)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.keys: tuple[ShownKey, ...] = ()
        # Column ranges of the keys drawn: [start, end) and the key.
        self._spans: list[tuple[int, int, ShownKey]] = []
        self.builds = 0  # how many times the keys changed (the tests check it stays put)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        # Not now: the screen's other widgets may not be mounted yet (its `check_action`
        # looks at them).
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        keys = self._keys_to_show(screen)
        if keys != self.keys:
            self.keys = keys
            self.builds += 1
            self.refresh()

    def _keys_to_show(self, screen: Screen[object]) -> tuple[ShownKey, ...]:
        """The shown bindings, one per action (its first key), as Textual's footer does."""
        app = self.app
        actions: set[str] = set()
        shown: list[ShownKey] = []
        for _, binding, enabled, _ in screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            key = binding.key.split(",")[0].strip()
            shown.append(ShownKey(key, app.get_key_display(binding), binding.description, enabled))
        return tuple(shown)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, ShownKey]] = []
        for shown in self.keys:
            start = text.cell_len
            dim = self.DIMMED if not shown.enabled else Style()
            text.append(shown.display, key_style + dim)
            if shown.description:
                text.append(f" {shown.description}", description_style + dim)
            spans.append((start, text.cell_len, shown))
            text.append(" ")
        self._spans = spans
        return text

    def key_at(self, x: int) -> ShownKey | None:
        return next((shown for start, end, shown in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        shown = self.key_at(event.x)
        if shown is None:
            return
        if shown.enabled:
            self.app.simulate_key(shown.key)
        else:
            self.app.bell()
