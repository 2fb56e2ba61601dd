"""What dialogs and feature handlers may ask of the main screen: a Protocol, not the class.

Dialogs (tui/screens/*) are below the main screen: it opens them. They type their host as
`Dashboard` so no module below imports `screens/main.py` — arrows only go down:
app -> screens/main -> features, dialogs -> dashboard, widgets, rows -> workspace, domain.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from textual.app import App

    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.widgets.dossier_list import DossierList
    from espace_tui.workspace import Change, Workspace

T = TypeVar("T")


@runtime_checkable
class Dashboard(Protocol):
    """The main screen's API for handlers (EXTENDING.md, section 3)."""

    workspace: Workspace
    read_only: bool

    @property
    def app(self) -> App[Any]: ...

    @property
    def selected_siren(self) -> str | None: ...

    @property
    def dossier_list(self) -> DossierList:
        """The list: its marks (batch actions) and its « Qui » filter."""
        ...

    @property
    def highlighted_step(self) -> str | None:
        """The step under the checklist's cursor, if any."""
        ...

    def now(self) -> datetime: ...

    def selected_dossier(self) -> Dossier | None: ...

    def apply_change(
        self, change: Change, siren: str | None = None, *, quiet: bool = False
    ) -> None: ...

    def refresh_dossier(self, dossier: Dossier) -> None: ...

    def refresh_dossiers(self, dossiers: list[Dossier]) -> None:
        """Many dossiers changed at once (a batch): the list is redrawn once."""
        ...

    def reload(self, select: str | None = None) -> None: ...

    def run_safely(
        self, label: str, command: Callable[[], T], then: Callable[[T], None] | None = None
    ) -> T | None: ...

    def switch_workspace(self, workspace: Workspace) -> None:
        """Show another data folder (the demo cabinet opened from the first-run screen)."""
        ...


def dashboard_of(app: App[Any]) -> Dashboard | None:
    """The main screen under whatever dialogs are open."""
    return next((s for s in reversed(app.screen_stack) if isinstance(s, Dashboard)), None)
