"""Put a backup back in place, keeping the current file aside (renamed, never deleted).

Crash-safe in this order: the current file gets a second name (a hard link, or a copy where
links are not allowed), then the backup replaces the data file atomically. At every instant
the data file is the old one or the restored one, and the old one is kept.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from espace_tui.domain.clock import to_paris
from espace_tui.domain.errors import InvalidInput
from espace_tui.store import backups
from espace_tui.store.atomic import atomic_write_bytes, parse_tables
from espace_tui.store.errors import StoreCorruptError, StoreLockedError, StoreWriteError
from espace_tui.store.paths import DATA_FILE, DIR_MODE, FILE_MODE, lock_file
from espace_tui.store.repository import DEFAULT_LOCK_TIMEOUT


@dataclass(frozen=True)
class Restored:
    backup: Path
    dossier_count: int
    kept_aside: Path | None  # where the replaced file now lives
    replaced_was_readable: bool


def find_backup(data_dir: Path, wanted: str | None) -> Path:
    """The newest good backup, a path, or the one backup whose name contains `wanted`."""
    if not wanted:
        newest = backups.newest_backup(data_dir)
        if newest is None:
            raise InvalidInput(
                "Sauvegarde", f"aucune sauvegarde dans {backups.backup_dir(data_dir)}."
            )
        return newest.path
    as_path = Path(wanted).expanduser()
    if as_path.is_file():
        return as_path
    known = backups.list_backups(data_dir)
    matches = [b.path for b in known if wanted in b.path.name]
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(b.path.name for b in known) or "aucune"
    problem = "plusieurs sauvegardes correspondent" if matches else "introuvable"
    raise InvalidInput("Sauvegarde", f"« {wanted} » : {problem} (sauvegardes : {names}).")


def _readable(path: Path) -> bool | None:
    """None when there is no data file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        parse_tables(path, raw)
    except StoreCorruptError:
        return False
    return True


def _aside_name(current: Path, stamp: str, readable: bool) -> Path:
    """A name no file has: two restores in the same second must not lose the first one."""
    for n in itertools.count(1):
        more = "" if n == 1 else f"-{n}"
        aside = (
            backups.backup_dir(current.parent)
            / f"{current.stem}-{stamp}-avant-restauration{more}.json"
            if readable
            else current.parent / f"{current.name}.illisible-{stamp}{more}"
        )
        if not aside.exists():
            return aside
    raise AssertionError("unreachable")


def _keep_aside(current: Path, aside: Path) -> None:
    try:
        os.link(current, aside)
    except OSError:
        atomic_write_bytes(aside, current.read_bytes())
    os.chmod(aside, FILE_MODE)


def restore_backup(
    data_dir: Path, backup: Path, now: datetime, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Restored:
    try:
        raw = backup.read_bytes()
    except OSError as err:
        raise InvalidInput("Sauvegarde", f"{backup} illisible ({err.strerror}).") from None
    try:
        tables = parse_tables(backup, raw)
    except StoreCorruptError as err:
        raise InvalidInput(
            "Sauvegarde",
            f"{backup} est elle-même illisible ({err.reason}) : choisissez-en une autre.",
        ) from None
    current = data_dir / DATA_FILE
    # Backup names hold the Paris wall time (as the daily and migration ones do).
    stamp = to_paris(now).strftime("%Y-%m-%dT%H%M%S")
    try:
        with FileLock(lock_file(current), timeout=lock_timeout, mode=FILE_MODE):
            readable = _readable(current)
            aside: Path | None = None
            if readable is not None:
                aside = _aside_name(current, stamp, readable)
                aside.parent.mkdir(mode=DIR_MODE, exist_ok=True)
                _keep_aside(current, aside)
            atomic_write_bytes(current, raw)
    except Timeout:
        raise StoreLockedError(
            f"Les données de {data_dir} sont en cours de modification par un autre programme "
            "espace-tui : fermez-le puis relancez la restauration. Rien n'a été modifié."
        ) from None
    except OSError as err:
        raise StoreWriteError(current, err) from None
    return Restored(
        backup=backup,
        dossier_count=len(tables.get("dossiers", {})),
        kept_aside=aside,
        replaced_was_readable=bool(readable),
    )
