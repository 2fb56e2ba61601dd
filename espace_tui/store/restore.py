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

from espace_tui.domain.clock import to_paris
from espace_tui.domain.errors import InvalidInput
from espace_tui.store import backups
from espace_tui.store.atomic import parse_tables
from espace_tui.store.errors import (
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreNotAFileError,
    StoreSymlinkError,
    StoreWriteError,
)
from espace_tui.store.files import atomic_write_bytes, read_own, refuse_link
from espace_tui.store.lock import LockTimeout, OwnLock
from espace_tui.store.paths import DATA_FILE, DIR_MODE, FILE_MODE, lock_file, user_path
from espace_tui.store.repository import SCHEMA_VERSION, lock_timeout_from_env
from espace_tui.store.validation import check_tables, schema_version


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
    as_path = user_path(wanted)
    if as_path.is_symlink() or as_path.is_file():
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
        raw = read_own(path)
    except FileNotFoundError:
        return None
    try:
        check_tables(path, parse_tables(path, raw), SCHEMA_VERSION)
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
    """`current` is a regular file of ours (checked under the lock): link it, or copy it."""
    try:
        os.link(current, aside, follow_symlinks=False)
    except OSError:
        atomic_write_bytes(aside, read_own(current))
    fd = os.open(aside, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def restore_backup(
    data_dir: Path, backup: Path, now: datetime, *, lock_timeout: float | None = None
) -> Restored:
    try:
        raw = read_own(backup)
    except (StoreSymlinkError, StoreNotAFileError) as err:
        raise InvalidInput("Sauvegarde", err.message) from None
    except OSError as err:
        raise InvalidInput("Sauvegarde", f"{backup} illisible ({err.strerror}).") from None
    try:
        tables = parse_tables(backup, raw)
        # A backup is a whole data file: its schema version and every record checked.
        if schema_version(backup, tables) is None:
            raise StoreCorruptError(backup, "version du schéma absente")
        check_tables(backup, tables, SCHEMA_VERSION)
    except StoreCorruptError as err:
        raise InvalidInput(
            "Sauvegarde",
            f"{backup} est elle-même illisible ({err.reason}) : choisissez-en une autre.",
        ) from None
    current = data_dir / DATA_FILE
    # Backup names hold the Paris wall time (as the daily and migration ones do).
    stamp = to_paris(now).strftime("%Y-%m-%dT%H%M%S")
    # The same lock as every writer, and it says who holds it: « espace-tui restore ».
    timeout = lock_timeout_from_env() if lock_timeout is None else lock_timeout
    lock = OwnLock(lock_file(current), timeout)
    aside: Path | None = None
    try:
        lock.acquire()
    except LockTimeout:
        who = lock.holder_text() or "un autre programme espace-tui"
        raise StoreLockedError(
            f"Les données de {data_dir} sont en cours de modification par {who} : fermez-le "
            "puis relancez la restauration. Rien n'a été modifié."
        ) from None
    except OSError as err:
        raise StoreWriteError(lock.path, err) from None
    try:
        refuse_link(current)
        readable = _readable(current)
        if readable is not None:
            aside = _aside_name(current, stamp, readable)
            if aside.parent.is_symlink():
                raise StoreSymlinkError(aside.parent)
            aside.parent.mkdir(mode=DIR_MODE, exist_ok=True)
            _keep_aside(current, aside)
        atomic_write_bytes(current, raw)
    except StoreError:
        raise
    except OSError as err:
        raise StoreWriteError(current, err) from None
    finally:
        lock.release()
    return Restored(
        backup=backup,
        dossier_count=len(tables.get("dossiers", {})),
        kept_aside=aside,
        replaced_was_readable=bool(readable),
    )
