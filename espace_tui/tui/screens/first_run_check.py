"""Whether to open the first-run screen at start-up (features.STARTUP_HOOKS).

Apart from the screen itself: that module (forms, CSV import, the registry) is imported
only when the folder is empty, not before every dashboard's first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard


def maybe_show(screen: Dashboard) -> None:
    """Start-up hook: only on an empty folder we may write to."""
    if screen.read_only or not screen.workspace.is_empty():
        return
    from espace_tui.tui.screens.first_run import show_first_run

    show_first_run(screen)
