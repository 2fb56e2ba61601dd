"""Which backups exist and what each holds: read-only, it imports nothing else of the store.

Backups are ordered by the moment the data they hold was saved (`saved_at`, written at the
head of every data file), never trusted past the moment the backup file itself was written:
a clock set to 2099 for one write must not make that backup "the newest" for ever.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

import orjson

from espace_tui.domain.clock import PARIS
from espace_tui.store.paths import BACKUP_DIR, DATA_FILE

_STEM = Path(DATA_FILE).stem
# espace-tui-2026-12-01.json (daily) or espace-tui-2026-12-01T101530-avant-migration-v1.json
_NAME = re.compile(
    rf"^{re.escape(_STEM)}-(?P<day>\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:T(?P<time>\d{6})-(?P<reason>[a-z0-9-]+))?\.json$"
)
# Data files start with their `_meta` table (see atomic.encode_tables): its saved_at is read
# from the first bytes, without parsing a file of 100,000 dossiers.
_HEAD = re.compile(rb'^\{"_meta":\{"1":(\{[^{}]*\})')
_HEAD_BYTES = 4096
REASON_LABELS = {
    "quotidienne": "quotidienne",
    "avant-migration": "avant migration",
    "avant-restauration": "avant restauration",
}


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def is_backup_name(name: str) -> bool:
    return _NAME.match(name) is not None


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # naive, Paris wall time as written in the name (only a label)
    reason: str
    written_at: datetime  # when the backup file was written (the system's clock), aware
    saved_at: datetime | None  # when the data it holds was saved, from its content, aware

    @property
    def daily(self) -> bool:
        return self.reason == "quotidienne"

    @property
    def reason_label(self) -> str:
        for prefix, label in REASON_LABELS.items():
            if self.reason.startswith(prefix):
                return label + self.reason.removeprefix(prefix).replace("-", " ")
        return self.reason

    @property
    def holds_data_of(self) -> datetime:
        """When the data it holds was saved: a backup cannot hold data saved after it was
        written, so a later date (a clock or a name from the future) is not believed."""
        claimed = self.saved_at or self.taken_at.replace(tzinfo=PARIS)
        return min(claimed, self.written_at)

    @property
    def size(self) -> int:
        return self.path.lstat().st_size

    @cached_property
    def dossier_count(self) -> int | None:
        """None when the backup itself cannot be read."""
        try:
            data = orjson.loads(read_no_follow(self.path))
            return len(data.get("dossiers", {}))
        except (OSError, ValueError, AttributeError):
            return None


def read_no_follow(path: Path, limit: int = -1) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise IsADirectoryError(f"{path} is not a regular file")
        return handle.read(limit)


def saved_at_of(raw_head: bytes) -> datetime | None:
    """The saved_at a data file (or its first bytes) records; None for older files."""
    match = _HEAD.match(raw_head)
    if match is None:
        return None
    with contextlib.suppress(ValueError, TypeError, AttributeError):
        value = datetime.fromisoformat(orjson.loads(match[1])["saved_at"])
        if value.tzinfo is not None:
            return value
    return None


def _entry(path: Path) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode):
            return None  # a link or a folder under a backup's name is never used
        saved_at = saved_at_of(read_no_follow(path, _HEAD_BYTES))
    except (OSError, ValueError):
        return None
    try:
        day = datetime.strptime(match["day"] + (match["time"] or "000000"), "%Y-%m-%d%H%M%S")
    except ValueError:
        return None
    written = datetime.fromtimestamp(st.st_mtime, tz=PARIS)
    return Backup(path, day, match["reason"] or "quotidienne", written, saved_at)


def scan_backups(data_dir: Path) -> list[Backup]:
    """Newest data first. OSError when the backups folder exists but cannot be read."""
    folder = backup_dir(data_dir)
    if folder.is_symlink():
        raise OSError(errno.ELOOP, "c'est un lien symbolique, jamais suivi", str(folder))
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    found = [b for b in (_entry(folder / name) for name in names) if b is not None]
    return sorted(found, key=lambda b: (b.holds_data_of, b.written_at), reverse=True)


def newest_backup(data_dir: Path) -> Backup | None:
    """The newest readable backup to bring back; a file set aside by a restore is not one."""
    for backup in scan_backups(data_dir):
        if not backup.reason.startswith("avant-restauration") and backup.dossier_count is not None:
            return backup
    return None
