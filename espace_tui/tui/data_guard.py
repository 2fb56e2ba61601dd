"""The dashboard when its data file turns bad (newer schema, truncated, wrong types) or
disappears under it: it says so in French and stays usable, read-only, on the last data it
read, and goes back to the file by itself once it is readable again (after a restore).

The last good data is kept as the main screen reads it; on a problem it is copied into a
private temporary store, so every view (detail, agenda, exports…) keeps working on it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from espace_tui.domain.dossier import CabinetInfo, Dossier, ExpertSpace
from espace_tui.store.errors import StoreError
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace

READ_ONLY_NOTE = (
    " Le tableau de bord reste ouvert en lecture seule sur les dernières données lues ; il "
    "reprend le fichier dès qu'il est de nouveau lisible."
)


def file_state(path: Path) -> tuple[int, int] | None:
    """What tells a file was replaced: None when it is missing."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


@dataclass
class LastGood:
    """What the dashboard last read from the file without error."""

    dossiers: dict[str, Dossier] = field(default_factory=dict)
    spaces: list[ExpertSpace] = field(default_factory=list)
    cabinet: CabinetInfo = field(default_factory=CabinetInfo)
    settings: dict[str, Any] = field(default_factory=dict)
    file_existed: bool = False

    def remember(self, workspace: Workspace, dossiers: list[Dossier]) -> None:
        self.dossiers = {d.siren: d for d in dossiers}
        self.spaces = workspace.spaces()
        self.cabinet = workspace.cabinet()
        self.settings = workspace.settings()
        self.file_existed = workspace.store.path.exists()


class Snapshot:
    """A read-only copy of the last good data, in a private temporary folder."""

    def __init__(self, last: LastGood, real: Workspace) -> None:
        self.real = real
        self.real_state = file_state(real.store.path)
        self.folder = Path(tempfile.mkdtemp(prefix="espace-tui-lecture-"))
        store = Store(self.folder, clock=real.store.clock)
        with store.transaction():
            store.insert_dossiers(last.dossiers.values())
            for space in last.spaces:
                store.put_space(space)
            store.put_cabinet(last.cabinet)
            store.put_settings(last.settings)
        self.workspace = Workspace(store, real.clock, real.thresholds)

    def reopened(self) -> Workspace | None:
        """The real data file, when it changed since and reads without error again."""
        state = file_state(self.real.store.path)
        if state is None or state == self.real_state:
            return None
        self.real_state = state
        try:
            # A fresh Store: the old one may hold what it half-read of the bad file.
            store = Store(self.real.store.data_dir, clock=self.real.store.clock)
            store.dossiers()
        except StoreError:
            return None
        return Workspace(store, self.real.clock)

    def close(self) -> None:
        self.workspace.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
