"""Private by default, but only what is ours: the data holds clients' e-mails and bank details.

Checked at every start. The program narrows the rights of its own files (data file, locks,
backups: 0600) and of a folder that holds nothing but them (0700). It never changes a file it
did not create, nor a folder holding other files (`--data-dir ~` must not lock the user's
home): it says so in French and goes on, its own files staying private one by one.
A link is never followed, a file owned by another account never touched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from espace_tui.store.backup_catalog import is_backup_name
from espace_tui.store.files import NO_FOLLOW
from espace_tui.store.paths import BACKUP_DIR, DATA_FILE, DIR_MODE, FILE_MODE, own_data_entry

_SHOWN_FOREIGN = 3  # names quoted in the notice; the rest are counted


def _own_data_entry(name: str) -> bool:
    return own_data_entry(name) or name == BACKUP_DIR


def _own_backup_entry(name: str) -> bool:
    temp = name.startswith(f".{Path(DATA_FILE).stem}-") and name.endswith(".tmp")
    return is_backup_name(name) or temp


def _narrow(path: Path, wanted: int, folder: bool) -> str | None:
    """Narrow `path` to `wanted` through a descriptor opened without following a link."""
    flags = os.O_RDONLY | NO_FOLLOW | os.O_NONBLOCK | (os.O_DIRECTORY if folder else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None  # gone, a link, unreadable: not ours to fix
    try:
        st = os.fstat(fd)
        kind_ok = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
        current = stat.S_IMODE(st.st_mode)
        if not kind_ok or st.st_uid != os.getuid() or current & ~wanted == 0:
            return None
        try:
            os.fchmod(fd, current & wanted)
        except OSError as err:  # a read-only disk: say so, go on reading
            return f"{path} ({current:o}, impossible de corriger : {err.strerror})"
        return f"{path} ({current:o} → {current & wanted:o})"
    finally:
        os.close(fd)


def _entries(folder: Path, may_be_link: bool) -> list[str] | None:
    """The folder's names; None when it is missing, unreadable, or a link it may not be (the
    data folder may be a link the user made to put it elsewhere; the backups folder not)."""
    try:
        if not may_be_link and stat.S_ISLNK(folder.lstat().st_mode):
            return None  # refused where backups are written
        return os.listdir(folder)
    except OSError:
        return None


def _wide(folder: Path) -> int | None:
    try:
        mode = stat.S_IMODE(folder.stat().st_mode)
    except OSError:
        return None
    return mode if mode & ~DIR_MODE else None


def enforce_private(data_dir: Path, backup_dir: Path) -> list[str]:
    """Narrow the rights of our files and folders; French notices for the caller to show."""
    fixed: list[str] = []
    notices: list[str] = []
    for folder, ours in ((data_dir, _own_data_entry), (backup_dir, _own_backup_entry)):
        names = _entries(folder, may_be_link=folder == data_dir)
        if names is None:
            continue
        foreign = sorted(n for n in names if not ours(n))
        for name in names:
            if ours(name) and (note := _narrow(folder / name, FILE_MODE, folder=False)):
                fixed.append(note)
        if not foreign:
            if note := _narrow(folder, DIR_MODE, folder=True):  # never through a link
                fixed.append(note)
        elif (mode := _wide(folder)) is not None:
            shown = ", ".join(foreign[:_SHOWN_FOREIGN])
            more = len(foreign) - _SHOWN_FOREIGN
            if more > 0:
                shown += f" et {more} autre(s)"
            notices.append(
                f"Le dossier {folder} contient aussi des fichiers qui ne sont pas à espace-tui "
                f"({shown}) : ses droits ({mode:o}) n'ont pas été modifiés. Les fichiers "
                "d'espace-tui y restent privés (600), mais d'autres comptes voient leurs noms : "
                "réservez un dossier à espace-tui (--data-dir) pour qu'il soit privé lui aussi."
            )
    if fixed:
        notices.insert(
            0,
            "Droits d'accès trop larges (les données contiennent les coordonnées "
            "bancaires de vos clients ; seul votre compte doit pouvoir les lire), corrigés : "
            + ", ".join(fixed)
            + ".",
        )
    return notices
