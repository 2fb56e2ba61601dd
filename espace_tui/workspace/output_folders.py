"""Where the dashboard proposes to write reports and letters: never in the data folder.

First an « espace-tui » folder in the user's documents (platformdirs: ~/Documents on most
desktops, the XDG documents folder when set), then the last folder a file was saved into,
remembered in the settings so that the next export lands next to the previous one.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import platformdirs

from espace_tui.domain.errors import UserError
from espace_tui.store.errors import StoreError
from espace_tui.store.paths import user_path
from espace_tui.workspace.core import WorkspaceCore

LAST_FOLDER_SETTING = "last_output_folder"
FOLDER_NAME = "espace-tui"
FOLDER_MODE = 0o700  # reports hold clients' e-mail addresses


def documents_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / FOLDER_NAME


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def proposed_folder(workspace: WorkspaceCore) -> Path:
    """The folder the save fields start in (absolute; may not exist yet)."""
    data_dir = workspace.store.data_dir
    remembered = workspace.settings().get(LAST_FOLDER_SETTING)
    if isinstance(remembered, str) and remembered:
        folder = Path(remembered)
        if folder.is_absolute() and folder.is_dir() and not _inside(folder, data_dir):
            return folder
    default = documents_folder()
    # Documents inside the data folder (odd --data-dir): the home folder rather than there.
    return Path.home() if _inside(default, data_dir) else default


def shown_path(path: Path) -> str:
    """As the save fields show it: « ~/Documents/… » under the home folder (shorter, and
    what the user would type); resolve_target expands it back."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def resolve_target(workspace: WorkspaceCore, typed: str) -> Path:
    """The file the user typed, absolute: a bare name goes into the proposed folder."""
    path = user_path(typed.strip())
    if not path.is_absolute():
        path = proposed_folder(workspace) / path
    return path


def prepare_folder(target: Path) -> None:
    """Creates our own documents folder on first use; a folder the user typed must exist."""
    if target.parent == documents_folder() and not target.parent.exists():
        target.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def remember_folder(workspace: WorkspaceCore, target: Path) -> None:
    """Best effort: a read-only or busy store only loses the suggestion, never the file."""
    folder = str(target.parent)
    if workspace.settings().get(LAST_FOLDER_SETTING) == folder:
        return
    with contextlib.suppress(StoreError, UserError):
        workspace.set_setting(LAST_FOLDER_SETTING, folder)
