"""Backups of the data file in `<data folder>/sauvegardes/`.

One a day, taken before the first write of the day (so it holds the previous day's state),
the last `KEEP_DAILY` kept; one before every schema migration and one of a readable file
replaced by `restore`, never rotated away. A backup is written like the data file itself
(temp file, fsync, rename): a crash never leaves a torn backup.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from espace_tui.store.atomic import atomic_write_bytes
from espace_tui.store.paths import DATA_FILE, DIR_MODE

BACKUP_DIR = "sauvegardes"
KEEP_DAILY = 14
_STEM = Path(DATA_FILE).stem
# espace-tui-2026-12-01.json (daily) or espace-tui-2026-12-01T101530-avant-migration-v1.json
_NAME = re.compile(
    rf"^{re.escape(_STEM)}-(?P<day>\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:T(?P<time>\d{6})-(?P<reason>[a-z0-9-]+))?\.json$"
)
REASON_LABELS = {
    "quotidienne": "quotidienne",
    "avant-migration": "avant migration",
    "avant-restauration": "avant restauration",
}


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # naive, Paris wall time as written in the name
    reason: str

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
    def size(self) -> int:
        return self.path.stat().st_size

    @cached_property
    def dossier_count(self) -> int | None:
        """None when the backup itself cannot be read."""
        try:
            data = json.loads(self.path.read_bytes())
            return len(data.get("dossiers", {}))
        except (OSError, ValueError, AttributeError):
            return None


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_DIR


def _parse(path: Path) -> Backup | None:
    match = _NAME.match(path.name)
    if match is None:
        return None
    day = date.fromisoformat(match["day"])
    if match["time"] is None:
        return Backup(path, datetime(day.year, day.month, day.day), "quotidienne")
    hms = match["time"]
    taken = datetime(day.year, day.month, day.day, int(hms[:2]), int(hms[2:4]), int(hms[4:]))
    return Backup(path, taken, match["reason"])


def list_backups(data_dir: Path) -> list[Backup]:
    """Newest first."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [b for b in map(_parse, folder.glob(f"{_STEM}-*.json")) if b is not None]
    return sorted(found, key=lambda b: (b.taken_at, not b.daily), reverse=True)


def newest_backup(data_dir: Path) -> Backup | None:
    """The newest readable backup to bring back; a file set aside by a restore is not one."""
    for backup in list_backups(data_dir):
        if not backup.reason.startswith("avant-restauration") and backup.dossier_count is not None:
            return backup
    return None


def _copy(data_file: Path, target: Path) -> Path:
    target.parent.mkdir(mode=DIR_MODE, exist_ok=True)
    atomic_write_bytes(target, data_file.read_bytes())
    return target


def take_daily(data_file: Path, today: date) -> Path | None:
    """Back up the file as it is before today's first write; rotate the daily ones."""
    if not data_file.exists():
        return None
    target = backup_dir(data_file.parent) / f"{_STEM}-{today.isoformat()}.json"
    if target.exists():
        return None
    _copy(data_file, target)
    dailies = [b for b in list_backups(data_file.parent) if b.daily]
    for old in dailies[KEEP_DAILY:]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
    return target


def take_named(data_file: Path, now: datetime, reason: str) -> Path:
    """A backup kept until the user removes it (before a migration or a restore)."""
    stamp = now.strftime("%Y-%m-%dT%H%M%S")
    target = backup_dir(data_file.parent) / f"{_STEM}-{stamp}-{reason}.json"
    return _copy(data_file, target)
