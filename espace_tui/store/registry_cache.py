"""The company registry's answers, kept in the data folder (`annuaire.json`).

A cache, not the cabinet's data: losing it costs a lookup, so a damaged file is ignored and
rewritten, and two programs writing at once may drop one entry. It is still written
atomically and private (0600): it says who the cabinet's clients are. A symlink in its place
is neither followed nor replaced.
"""

from __future__ import annotations

import contextlib
import os
import stat
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from espace_tui.domain.registry import CompanyRecord, RegistryFormatError, cached_is_fresh
from espace_tui.store.atomic import atomic_write_bytes

CACHE_FILE = "annuaire.json"
# A company's name and siège rarely change; « unknown » may change as soon as INSEE registers it.
FOUND_MAX_AGE = timedelta(days=30)
NOT_FOUND_MAX_AGE = timedelta(days=1)
MAX_ENTRIES = 50_000
MAX_BYTES = 64 * 1024 * 1024


class RegistryCache:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / CACHE_FILE
        # The parsed file and its signature: the dashboard reads it at every selection.
        self._memo: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    def _is_ours(self) -> bool:
        """A regular file (or none yet); never a symlink or a device put in its place."""
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid()

    def _read(self) -> dict[str, Any]:
        if not self._is_ours():
            return {}
        try:
            st = os.stat(self.path)
        except OSError:
            return {}
        signature = (st.st_ino, st.st_size, st.st_mtime_ns)
        if self._memo is not None and self._memo[0] == signature:
            return self._memo[1]
        entries = self._parse()
        self._memo = (signature, entries)
        return entries

    def _parse(self) -> dict[str, Any]:
        try:
            flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, flags)
        except OSError:
            return {}
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return {}
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return {}
        entries = data.get("entries") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def get(self, siren: str, now: datetime) -> tuple[bool, CompanyRecord | None]:
        """(known, record): known is False when nothing fresh is cached; a fresh « not
        found » is (True, None)."""
        entry = self._read().get(siren)
        if not isinstance(entry, dict):
            return False, None
        try:
            fetched_at = datetime.fromisoformat(str(entry["fetched_at"]))
            raw_record = entry.get("record")
            record = CompanyRecord.from_json(raw_record) if raw_record is not None else None
        except (KeyError, ValueError, TypeError, RegistryFormatError):
            return False, None
        if fetched_at.tzinfo is None:
            return False, None
        max_age = FOUND_MAX_AGE if record is not None else NOT_FOUND_MAX_AGE
        if not cached_is_fresh(fetched_at, now, max_age):
            return False, None
        return True, record

    def stale(self, siren: str) -> CompanyRecord | None:
        """Whatever was cached, however old: better than nothing offline."""
        entry = self._read().get(siren)
        if not isinstance(entry, dict) or not isinstance(entry.get("record"), dict):
            return None
        try:
            return CompanyRecord.from_json(entry["record"])
        except RegistryFormatError:
            return None

    def put(self, siren: str, record: CompanyRecord | None, now: datetime) -> None:
        if not self._is_ours():
            return
        entries = dict(self._read())
        entries[siren] = {
            "fetched_at": now.isoformat(),
            "record": record.as_json() if record is not None else None,
        }
        if len(entries) > MAX_ENTRIES:  # keep the newest
            ordered = sorted(entries.items(), key=lambda kv: str(kv[1].get("fetched_at", "")))
            entries = dict(ordered[-MAX_ENTRIES:])
        payload = orjson.dumps({"version": 1, "entries": entries})
        with contextlib.suppress(OSError):  # a cache that cannot be written is no failure
            atomic_write_bytes(self.path, payload)
