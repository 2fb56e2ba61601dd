"""A TinyDB storage that writes atomically and reads the file only when it changed.

TinyDB's JSONStorage truncates then writes: a crash in between tears the file. Here every
write goes to a temporary file in the same folder, is fsynced, then `os.replace`d over the
data file, so a reader or a crash sees the old or the new file, never half of one.
The parsed content is kept in memory; a write does not re-read the file.

Another process's write is noticed by comparing (device, inode, size, mtime) with what was
loaded or written. The storage keeps that file open: while it is open its inode cannot be
freed and handed to a newer file, so an identical signature really means the same file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from espace_tui.store.chunked import ChunkedFile, NotChunkable
from espace_tui.store.errors import StoreCorruptError, StoreError, StoreWriteError
from espace_tui.store.files import atomic_write_bytes, open_own

__all__ = ["AtomicJSONStorage", "atomic_write_bytes", "encode_tables", "parse_tables"]

Signature = tuple[int, int, int, int]  # device, inode, size, mtime_ns
META, DOSSIERS = "_meta", "dossiers"
# Given the file's _meta and its dossiers a slice at a time; returns what the reader made.
DossierReader = Callable[[dict[str, Any], Iterator[dict[str, Any]]], Any]
_LOADS = itertools.count(1)


def _signature(st: os.stat_result) -> Signature:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def file_signature(path: Path) -> Signature | None:
    try:
        return _signature(path.lstat())
    except FileNotFoundError:
        return None


def encode_tables(tables: dict[str, dict[str, Any]]) -> bytes:
    """Compact UTF-8 JSON, byte for byte what json.dumps(ensure_ascii=False, separators=(",",
    ":")) gives, about 8 times faster: with 10,000 dossiers every save rewrites ~8 MB.
    `_meta` comes first: its saved_at is then read from a file's first bytes.
    Then the dossiers: a reading command can take them a slice at a time (store/chunked)."""
    first = [name for name in (META, DOSSIERS) if name in tables]
    if list(tables)[: len(first)] != first:
        tables = {
            **{name: tables[name] for name in first},
            **{k: v for k, v in tables.items() if k not in first},
        }
    return orjson.dumps(tables, option=orjson.OPT_NON_STR_KEYS)


def parse_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """TinyDB's shape: {table: {doc_id: document}}. Anything else is refused, never rewritten."""
    if not raw.strip():
        raise StoreCorruptError(path, "fichier vide")
    try:
        data = orjson.loads(raw)  # ~3 times faster than json: every start parses the file
    except orjson.JSONDecodeError as err:
        reason = "encodage invalide" if "UTF-8" in str(err) else "JSON invalide ou tronqué"
        raise StoreCorruptError(path, f"{reason}, ligne {err.lineno}") from None
    if not isinstance(data, dict):
        raise StoreCorruptError(path, "structure inattendue")
    return check_shape(path, data)


def check_shape(path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise StoreCorruptError(path, f"table « {name} » de forme inattendue")
    return data


class AtomicJSONStorage(Storage):
    def __init__(
        self,
        path: str | os.PathLike[str],
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.before_write = before_write
        self._cache: dict[str, dict[str, Any]] | None = None
        self._signature: Signature | None = None
        self._pinned_fd: int | None = None
        self._batch_depth = 0
        self._dirty = False
        self.load_number = 0  # distinct for each load of the file, in any storage object
        self.dossiers_consumed = False
        # Set by a reading command: big files are then read a slice of dossiers at a time,
        # each slice handed to it and dropped; `read_result` is what it returned.
        self.dossier_reader: DossierReader | None = None
        self.read_result: Any = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._cache is None:
            self._load()
        # TinyDB treats None as "empty database".
        return self._cache or None

    def _pin(self, fd: int | None, signature: Signature | None) -> None:
        old, self._pinned_fd, self._signature = self._pinned_fd, fd, signature
        if old is not None:
            os.close(old)

    def _load(self) -> None:
        try:
            fd = open_own(self.path, os.O_RDONLY)
        except FileNotFoundError:
            self._cache = {}
            self.load_number = next(_LOADS)
            self._pin(None, None)
            return
        try:
            signature = _signature(os.fstat(fd))
            with os.fdopen(os.dup(fd), "rb") as handle:
                raw = handle.read()
            self.read_result, consumed = None, False
            if self.dossier_reader is not None:
                consumed = self._read_in_slices(raw)
            cache = self._cache if consumed else parse_tables(self.path, raw)
        except BaseException:
            self._cache = None
            os.close(fd)
            raise
        self._cache = cache
        self.dossiers_consumed = consumed
        self.load_number = next(_LOADS)
        self._pin(fd, signature)

    def _read_in_slices(self, raw: bytes) -> bool:
        """True when the dossiers went to the reader slice by slice (the cache holds the
        other tables); False when the file must be parsed whole."""
        assert self.dossier_reader is not None
        try:
            chunked = ChunkedFile(raw)
            self.read_result = self.dossier_reader(chunked.meta, chunked.dossier_slices())
            self._cache = check_shape(self.path, chunked.tables())
        except NotChunkable:
            self.read_result = None
            return False
        return True

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.dossiers_consumed:
            # The dossiers were handed over decoded (Store(reading=True)): what is in memory
            # is no longer the file, and writing it would lose them.
            raise StoreError("Données ouvertes en lecture seule : rien n'a été enregistré.")
        self._cache = data
        if self._batch_depth:
            self._dirty = True
            return
        self._flush()

    def _flush(self) -> None:
        assert self._cache is not None
        try:
            if self.before_write is not None:
                self.before_write()
            atomic_write_bytes(self.path, encode_tables(self._cache))
            # Writers hold the lock: nobody replaces the file between the rename and this open.
            fd = open_own(self.path, os.O_RDONLY)
        except BaseException as err:
            # Memory must not claim what the disk does not hold: forget and re-read.
            self.forget()
            if isinstance(err, OSError):
                raise StoreWriteError(self.path, err) from None
            raise
        self._pin(fd, _signature(os.fstat(fd)))

    def begin_batch(self) -> None:
        self._batch_depth += 1

    def end_batch(self, commit: bool) -> None:
        self._batch_depth -= 1
        if self._batch_depth:
            return
        dirty, self._dirty = self._dirty, False
        if not dirty:
            return
        if commit:
            self._flush()
        else:
            self.forget()

    @property
    def dirty(self) -> bool:
        """Changes made in the current batch, not yet written."""
        return self._dirty

    def changed_on_disk(self) -> bool:
        return self.load_number != 0 and file_signature(self.path) != self._signature

    def forget(self) -> None:
        self._cache = None
        self.dossiers_consumed = False
        self.load_number = 0  # nothing loaded: the next read loads
        self._pin(None, None)

    def close(self) -> None:
        self._pin(None, None)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()
