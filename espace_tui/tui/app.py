"""The Textual application and its one factory, `create_app`, shared by the CLI, the tests,
the screenshot script and the benchmark."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette, Provider
from textual.driver import Driver
from textual.notifications import Notify, SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from espace_tui.domain.errors import UserError
from espace_tui.store.errors import StoreError
from espace_tui.tui.commands import EspaceCommands, FrenchCommandPalette
from espace_tui.tui.features import STARTUP_HOOKS, resolve
from espace_tui.tui.screens.main import MainScreen
from espace_tui.tui.terminal_watch import hung_up, terminal_fd
from espace_tui.workspace import Workspace

# French names of keys in the Footer and the help screen (others: Textual's own).
KEY_NAMES: dict[str, str] = {
    # Not « Espace »: on this dashboard that word means an espace professionnel.
    "space": "␣",
    "escape": "Échap",
    "enter": "Entrée",
    "home": "Début",
    "end": "Fin",
    "pageup": "Page préc.",
    "pagedown": "Page suiv.",
    "tab": "Tab",
    "delete": "Suppr",
    "backspace": "Retour arr.",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "slash": "/",
    "question_mark": "?",
}
MODIFIER_NAMES = {"ctrl": "Ctrl", "shift": "Maj", "alt": "Alt"}

# As a program ended by SIGHUP would report it (128 + 1).
EXIT_TERMINAL_GONE = 129

DEFAULT_THEME = "textual-dark"
THEME_SETTING = "theme"
KEYMAP_SETTING = "keymap"


class EspaceApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "espace-tui"
    # Only our French commands (Textual's system ones are in English); the theme is ctrl+t.
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {EspaceCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quitter", id="quit", tooltip="Quitter le tableau de bord"),
        Binding("f1", "help", "Aide", id="help", tooltip="Aide : touches du volet actif"),
        Binding("question_mark", "help", "Aide", show=False, key_display="?", id="help_question"),
        # Declared here so Textual does not add its own (English, priority: it would hide the
        # main screen's Footer key « Ctrl+P Commandes »).
        Binding("ctrl+p", "command_palette", "Commandes", show=False, id="command_palette_app"),
    ]

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":
            # Textual's polls the keyboard ten times a second, even when nothing is typed.
            from espace_tui.tui.quiet_driver import QuietLinuxDriver

            return QuietLinuxDriver
        return driver

    def __init__(
        self, workspace: Workspace, *, read_only: bool = False, read_only_reason: str = ""
    ) -> None:
        super().__init__()
        self._workspace = workspace
        self._main: MainScreen | None = None
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        settings = self._settings()
        keymap = settings.get(KEYMAP_SETTING)
        if isinstance(keymap, dict):
            self.set_keymap({str(k): str(v) for k, v in keymap.items()})
        theme = settings.get(THEME_SETTING)
        self.theme = (
            theme if isinstance(theme, str) and theme in self.available_themes else DEFAULT_THEME
        )

    @property
    def workspace(self) -> Workspace:
        """The data the main screen shows (the first-run screen may switch to the demo)."""
        return self._main.workspace if self._main is not None else self._workspace

    def _settings(self) -> dict[str, Any]:
        try:
            return self.workspace.settings()
        except StoreError:
            return {}

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages quote what users typed (names, pasted text, file names): never markup,
        # whatever a caller passes (Widget.notify passes markup=True explicitly).
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _on_notify(self, event: Notify) -> None:
        # The same toast still on screen is not stacked again (a key pressed twice, the same
        # alert from two ticks). Here, not in notify(): toasts arrive as messages.
        # Textual calls the handler of every class in the MRO: prevent_default() stops
        # App's own from adding it anyway.
        new = event.notification
        if any(n.message == new.message and n.title == new.title for n in self._notifications):
            event.prevent_default()
            return
        super()._on_notify(event)
        event.prevent_default()

    def _handle_exception(self, error: Exception) -> None:
        """Whatever escaped a handler, timer or worker: Textual would print a traceback with
        its local variables (IBANs, e-mails). Instead: one French line, a log without locals,
        and a non-zero exit code (see launch.py)."""
        from rich.text import Text

        from espace_tui.tui.crash import CRASH_EXIT, crash_line, write_crash_log

        if isinstance(error, UserError):  # already a French sentence (a store failure…)
            line, code = f"espace-tui : {error}", 1
        else:
            try:
                now = self.workspace.now()
            except Exception:  # the clock itself may be what failed
                now = None
            line, code = crash_line(error, write_crash_log(error, now)), CRASH_EXIT
        if self._exception is None:  # what run_test re-raises in tests
            self._exception = error
            self._exception_event.set()
        self._return_code = code
        self._exit_renderables.append(Text(line))
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        main = self._main = MainScreen(self.workspace, read_only=self.read_only)
        self.push_screen(main)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.read_only and self.read_only_reason:
            self.notify(
                self.read_only_reason, title="Lecture seule", severity="warning", timeout=15
            )
        # What the store fixed by itself on opening (e.g. file rights narrowed to 0600).
        for notice in getattr(self.workspace.store, "notices", ()):
            self.notify(notice, title="Données", timeout=10)
        for hook in STARTUP_HOOKS:
            resolve(hook)(main)
        terminal = None if self.is_headless else terminal_fd()
        if terminal is not None and not getattr(self._driver, "reports_hang_up", False):
            self.set_interval(1.0, lambda: self._leave_if_hung_up(terminal), name="hang-up")

    def _leave_if_hung_up(self, terminal: int) -> None:
        if hung_up(terminal):
            self.on_terminal_gone()

    def on_terminal_gone(self, message: object = None) -> None:
        """Nobody to show anything to (QuietLinuxDriver.TerminalGone, or the poll above):
        every change is already saved."""
        self.exit(EXIT_TERMINAL_GONE)

    def _theme_changed(self, theme: Theme) -> None:
        """Remember the theme (merged into the settings, other keys kept) and recolour."""
        if not self.read_only:
            try:
                self.workspace.set_setting(THEME_SETTING, theme.name)
            except StoreError as err:
                self.notify(str(err), severity="error")
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.restyle()

    def get_key_display(self, binding: Binding) -> str:
        if binding.key_display:
            return binding.key_display
        key = binding.key.split(",")[0].strip()
        *modifiers, name = key.split("+")
        if name in KEY_NAMES:
            shown = KEY_NAMES[name]
        elif len(name) == 1:
            shown = name.upper() if modifiers else name
        elif name[0] == "f" and name[1:].isdigit():  # function keys as printed on them: F1
            shown = name.upper()
        else:
            return super().get_key_display(binding)
        return "+".join([*(MODIFIER_NAMES.get(m, m) for m in modifiers), shown])

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Only the useful ones, in French (Textual's are in English)."""
        yield SystemCommand(
            "Affichage : choisir le thème…", "clair, sombre…", self.action_change_theme
        )

    def action_command_palette(self) -> None:
        if not any(isinstance(screen, CommandPalette) for screen in self.screen_stack):
            self.push_screen(FrenchCommandPalette())

    def action_help(self) -> None:
        from espace_tui.tui.screens.help import HelpScreen, collect_help

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(collect_help(self.screen)))

    async def action_quit(self) -> None:
        if self._main is not None:
            self._main.remember_seen()
        self.exit(0)


def create_app(
    workspace: Workspace, *, read_only: bool = False, read_only_reason: str = ""
) -> EspaceApp:
    return EspaceApp(workspace, read_only=read_only, read_only_reason=read_only_reason)
