"""Backups of the data file in `<data folder>/sauvegardes/`.

One a day, taken before the first write of the day (so it holds the previous day's state),
the last `KEEP_DAILY` kept; one before every schema migration and one of a readable file
replaced by `restore`, never rotated away. A backup is written like the data file itself
(temp file, fsync, rename): a crash never leaves a torn backup. Which backups are newest,
and which are rotated away, depends on what they hold (backup_catalog), never on their name.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

from espace_tui.store.backup_catalog import (
    REASON_LABELS,
    Backup,
    backup_dir,
    newest_backup,
    scan_backups,
)
from espace_tui.store.errors import StoreError, StoreSymlinkError, french_reason
from espace_tui.store.files import atomic_write_bytes, read_own
from espace_tui.store.paths import BACKUP_DIR, DATA_FILE, DIR_MODE

__all__ = [
    "BACKUP_DIR",
    "KEEP_DAILY",
    "REASON_LABELS",
    "Backup",
    "backup_dir",
    "list_backups",
    "newest_backup",
    "take_daily",
    "take_named",
]

KEEP_DAILY = 14
_STEM = Path(DATA_FILE).stem


def list_backups(data_dir: Path) -> list[Backup]:
    """Newest data first; a folder that cannot be read is said, never shown as empty."""
    try:
        return scan_backups(data_dir)
    except OSError as err:
        raise StoreError(
            f"Le dossier des sauvegardes {backup_dir(data_dir)} est illisible "
            f"({french_reason(err)}) : les sauvegardes ne peuvent pas être listées. "
            "Rendez-le lisible à votre compte (il doit être un vrai dossier, pas un lien)."
        ) from None


def _folder(data_file: Path) -> Path:
    folder = backup_dir(data_file.parent)
    if folder.is_symlink():
        raise StoreSymlinkError(folder)
    folder.mkdir(mode=DIR_MODE, exist_ok=True)
    return folder


def _copy(data_file: Path, target: Path) -> Path:
    atomic_write_bytes(target, read_own(data_file))
    return target


def take_daily(data_file: Path, today: date) -> Path | None:
    """Back up the file as it is before today's first write; rotate the daily ones."""
    if not data_file.exists():
        return None
    target = _folder(data_file) / f"{_STEM}-{today.isoformat()}.json"
    if target.exists() or target.is_symlink():
        return None
    _copy(data_file, target)
    # Rotation by the data held: a backup named in 2099 ages like any other. The one just
    # taken is kept whatever the clocks say.
    others = [b for b in list_backups(data_file.parent) if b.daily and b.path != target]
    for old in others[KEEP_DAILY - 1 :]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
    return target


def take_named(data_file: Path, now: datetime, reason: str) -> Path:
    """A backup kept until the user removes it (before a migration or a restore)."""
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    target = _folder(data_file) / f"{_STEM}-{stamp}-{reason}.json"
    return _copy(data_file, target)
