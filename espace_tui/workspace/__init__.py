"""The application service: every change a user can make, validated, dated and recorded.

The dashboard, the command line and the importers all go through a Workspace; none of them
writes to the store directly. Each change returns the new object and any warnings to show.
The commands are grouped by subject in the modules of this package.
"""

from espace_tui.workspace.batch import BatchCommands, BatchResult
from espace_tui.workspace.core import FUTURE_TOLERANCE, Change, WorkspaceCore
from espace_tui.workspace.dossiers import DossierCommands, ImportReport
from espace_tui.workspace.spaces import SpaceCommands

__all__ = [
    "FUTURE_TOLERANCE",
    "BatchResult",
    "Change",
    "ImportReport",
    "Workspace",
    "WorkspaceCore",
]


class Workspace(BatchCommands, DossierCommands, SpaceCommands):
    """Everything a user can do to the cabinet's data."""
