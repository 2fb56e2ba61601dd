"""Private by default: the data holds clients' e-mails and bank details.

Checked at every start: the folder (and the backups folder) 0700, every file 0600. Wider
rights are narrowed and the caller gets a French notice to show.
"""

from __future__ import annotations

import stat
from pathlib import Path

from espace_tui.store.paths import DIR_MODE, FILE_MODE


def _fix(path: Path, wanted: int) -> str | None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return None  # never chmod through a link to somewhere else
    current = stat.S_IMODE(st.st_mode)
    if current & ~wanted == 0:
        return None
    try:
        path.chmod(wanted)
    except OSError as err:  # a read-only disk, someone else's file: say so, go on reading
        return f"{path} ({current:o}, impossible de corriger : {err.strerror})"
    return f"{path} ({current:o} → {wanted:o})"


def enforce_private(data_dir: Path, backup_dir: Path) -> list[str]:
    """Narrow the rights of the folders and their files; one notice when any was fixed."""
    fixed: list[str] = []
    for folder in (data_dir, backup_dir):
        if not folder.is_dir():
            continue
        if (note := _fix(folder, DIR_MODE)) is not None:
            fixed.append(note)
        for child in folder.iterdir():
            if child.is_file() and (note := _fix(child, FILE_MODE)) is not None:
                fixed.append(note)
    if not fixed:
        return []
    return [
        "Droits d'accès trop larges (les données contiennent les coordonnées "
        "bancaires de vos clients ; seul votre compte doit pouvoir les lire), corrigés : "
        + ", ".join(fixed)
        + "."
    ]
