"""The repository: domain objects in, domain objects out, TinyDB and locking inside.

One writer at a time: each change runs in `transaction()`, which takes a short lock on a
sidecar file (never the data file, which os.replace swaps), re-reads the file only if another
process replaced it, and writes once at the end. Before the day's first write the file is
backed up; a file of an older schema is backed up then migrated; one that cannot be read, or
of a newer schema, is never written over.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document, Table

from espace_tui.domain.clock import PARIS, Clock, SystemClock
from espace_tui.domain.dossier import CabinetInfo, Dossier, ExpertSpace
from espace_tui.store import backups, codec, migrations
from espace_tui.store.atomic import AtomicJSONStorage
from espace_tui.store.chunked import NotChunkable
from espace_tui.store.collector import collector_paused
from espace_tui.store.errors import (
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreNewerSchemaError,
    StoreWriteError,
    french_reason,
)
from espace_tui.store.lock import LockTimeout, OwnLock
from espace_tui.store.paths import DATA_FILE, DIR_MODE, TEMP_SUFFIX, lock_file
from espace_tui.store.permissions import enforce_private
from espace_tui.store.validation import (
    CABINET,
    DOSSIERS,
    JOURNAL,
    META,
    SETTINGS,
    SINGLETON_ID,
    SPACES,
    check_tables,
    decode_dossiers,
    schema_version,
)

SCHEMA_VERSION = 2  # 2: the undo journal table
DEFAULT_LOCK_TIMEOUT = 5.0
LOCK_TIMEOUT_ENV = "ESPACE_TUI_LOCK_TIMEOUT"


def lock_timeout_from_env() -> float:
    """Seconds a writer waits for another's lock: 5, or ESPACE_TUI_LOCK_TIMEOUT (a slow
    network folder may want more; the tests want less)."""
    try:
        seconds = float(os.environ.get(LOCK_TIMEOUT_ENV, ""))
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT
    return seconds if 0 < seconds <= 3600 else DEFAULT_LOCK_TIMEOUT


class Store:
    def __init__(
        self,
        data_dir: Path,
        *,
        clock: Clock | None = None,
        lock_timeout: float | None = None,
        reading: bool = False,
        load: bool = True,
    ) -> None:
        """`reading`: for a command that only reads (list, export of 100,000 dossiers): the
        parsed file is consumed as the dossiers are decoded, so it is never held twice in
        memory; any write is then refused. `load=False`: the file is read and checked only
        when `load()` is called (a command reading it another way first)."""
        self.data_dir = Path(data_dir)
        self._reading = reading
        self.path = self.data_dir / DATA_FILE
        self.clock: Clock = clock or SystemClock()
        self._ensure_folder()
        # What the user should be told about opening (rights narrowed…); the UI shows them.
        self.notices: list[str] = enforce_private(self.data_dir, backups.backup_dir(self.data_dir))
        timeout = lock_timeout_from_env() if lock_timeout is None else lock_timeout
        self._lock = OwnLock(lock_file(self.path), timeout)
        self._depth = 0
        self._swept = False
        self._backed_up_on: date | None = None
        # Every dossier decoded (and so checked) once per load of the file, by id.
        self._decoded: dict[int, Dossier] = {}
        self._decoded_from = -1  # the storage load they come from
        self._db = self._open_db()
        if load:
            self._check_schema()

    def load(self) -> None:
        """Read and check the file (migrating an older schema), for `Store(load=False)`."""
        self._check_schema()

    # -- opening -------------------------------------------------------------------------

    def _ensure_folder(self) -> None:
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise StoreError(
                f"{self.data_dir} est un fichier, pas un dossier : indiquez le dossier des "
                "données avec --data-dir (ou ESPACE_TUI_DATA_DIR). Rien n'a été modifié."
            )
        try:
            self.data_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(
                f"Impossible de créer le dossier de données {self.data_dir} : {french_reason(err)}."
            ) from None

    def _open_db(self) -> TinyDB:
        db = TinyDB(self.path, storage=AtomicJSONStorage, before_write=self._before_write)
        if self._reading:
            storage = db.storage
            assert isinstance(storage, AtomicJSONStorage)
            storage.dossier_reader = self._read_dossier_slices
        return db

    def _read_dossier_slices(
        self, meta: dict[str, Any], slices: Iterator[dict[str, Any]]
    ) -> dict[int, Dossier]:
        """Reading only: dossiers decoded (so checked) a slice at a time as the file is read."""
        current = meta.get(str(SINGLETON_ID)) if isinstance(meta, dict) else None
        if not isinstance(current, dict) or current.get("schema_version") != SCHEMA_VERSION:
            raise NotChunkable  # older (to migrate) or newer: the whole-file path says so
        decoded: dict[int, Dossier] = {}
        # Millions of small acyclic objects: the cycle collector would scan them again and
        # again while they are made (a third of the time at 100,000 dossiers), then each
        # later collection too; a reading command is short-lived, so they are frozen.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for part in slices:
                decoded.update(decode_dossiers(self.path, {DOSSIERS: part}, consume=True))
        finally:
            gc.freeze()
            if collecting:
                gc.enable()
        return decoded

    @property
    def _storage(self) -> AtomicJSONStorage:
        storage = self._db.storage
        assert isinstance(storage, AtomicJSONStorage)
        return storage

    def _schema_version(self) -> int | None:
        """The file's schema version; None for a missing or empty file."""
        return schema_version(self.path, self._storage.read() or {})

    def _check_schema(self) -> None:
        version = self._schema_version()
        if version is not None and version > SCHEMA_VERSION:
            raise StoreNewerSchemaError(self.path, version, SCHEMA_VERSION)
        if version is not None and version < SCHEMA_VERSION:
            self._migrate()
        self._dossier_map()  # every record checked before anything reads or writes it

    def _dossier_map(self) -> dict[int, Dossier]:
        """The decoded dossiers of the file as loaded; decoded again after each load."""
        storage = self._storage
        if storage.load_number == 0 or self._decoded_from != storage.load_number:
            # Parsed then decoded: acyclic objects by the million at 100,000 dossiers.
            with collector_paused():
                tables = storage.read() or {}
                decoded = check_tables(self.path, tables, SCHEMA_VERSION, self._reading)
            if storage.dossiers_consumed:  # read a slice at a time: decoded as they came
                decoded = storage.read_result
            self._decoded, self._decoded_from = decoded, storage.load_number
            storage.dossiers_consumed = self._reading
        return self._decoded

    def _migrate(self) -> None:
        """Back up, then bring an older file to SCHEMA_VERSION in one write (under the lock)."""
        with self._locked():
            self._reopen()
            version = self._schema_version()
            if version is None or version >= SCHEMA_VERSION:
                return  # another process migrated it meanwhile
            tables = self._storage.read() or {}
            migrated = migrations.migrate(tables, version, SCHEMA_VERSION)
            migrated.setdefault(META, {})[str(SINGLETON_ID)] = {"schema_version": SCHEMA_VERSION}
            try:
                backups.take_named(self.path, self._paris_now(), f"avant-migration-v{version}")
            except OSError as err:
                raise StoreWriteError(self.path, err) from None
            self._storage.write(migrated)
        self._reopen()

    def _reopen(self) -> None:
        self._storage.close()
        self._db = self._open_db()

    def refresh(self) -> bool:
        """Pick up a file replaced by another process; True when it had changed."""
        if self._depth or not self._storage.changed_on_disk():
            return False
        self._reopen()
        self._check_schema()
        return True

    def changed_on_disk(self) -> bool:
        return self._storage.changed_on_disk()

    @property
    def generation(self) -> int:
        """Changes each time the file is (re)loaded from disk, not on our own writes: a view
        built at one generation is stale at another, even if some other read took the new
        file first (changed_on_disk is then already False)."""
        return self._storage.load_number

    def close(self) -> None:
        self._storage.close()

    # -- writing -------------------------------------------------------------------------

    def _paris_now(self) -> datetime:
        return self.clock.now().astimezone(PARIS)

    def _before_write(self) -> None:
        """The day's backup, taken from the file as it is before the day's first write."""
        today = self._paris_now().date()
        if self._backed_up_on != today and self.path.exists():
            backups.take_daily(self.path, today)
            self._backed_up_on = today

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self._lock.acquire()
        except LockTimeout:
            raise StoreLockedError(self._locked_message()) from None
        except OSError as err:
            raise StoreWriteError(self._lock.path, err) from None
        try:
            if not self._swept:
                self._sweep_temp_files()
            yield
        finally:
            self._lock.release()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Lock, refresh, run the changes, then write the file once."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._locked():
            self.refresh()
            self._depth = 1
            self._storage.begin_batch()
            committed = False
            try:
                yield
                if self._storage.dirty:
                    self._stamp_schema()
                committed = True
            finally:
                self._depth = 0
                self._storage.end_batch(commit=committed)

    def _stamp_schema(self) -> None:
        """Schema and save time at the head of the file: backups are ordered by it."""
        stamp = {"schema_version": SCHEMA_VERSION, "saved_at": self._paris_now().isoformat()}
        self._db.table(META).upsert(Document(stamp, doc_id=SINGLETON_ID))

    def _sweep_temp_files(self) -> None:
        """Temp files left by a writer killed mid-write (we hold the lock: none is live)."""
        pattern = f".{self.path.stem}*{TEMP_SUFFIX}"  # the data file's and the backups'
        for folder in (self.data_dir, backups.backup_dir(self.data_dir)):
            for leftover in folder.glob(pattern):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        self._swept = True

    def _locked_message(self) -> str:
        who = self._lock.holder_text() or "un autre programme espace-tui"
        return (
            f"Les données de {self.data_dir} sont en cours de modification par {who}. "
            "Réessayez dans quelques secondes ; rien n'a été enregistré."
        )

    # -- tables --------------------------------------------------------------------------

    def _table(self, name: str) -> Table:
        return self._db.table(name)

    def _decode(self, decoder: Any, doc: dict[str, Any]) -> Any:
        try:
            return decoder(doc)
        except (KeyError, ValueError, TypeError, AttributeError) as err:
            raise StoreCorruptError(self.path, f"enregistrement illisible ({err!r})") from None

    def dossiers(self) -> list[Dossier]:
        self.refresh()
        return list(self._dossier_map().values())

    def dossier_count(self) -> int:
        self.refresh()
        return len(self._dossier_map())

    def get_dossier(self, siren: str) -> Dossier | None:
        self.refresh()
        return self._dossier_map().get(int(siren))

    def put_dossier(self, dossier: Dossier) -> None:
        with self.transaction():
            decoded = self._dossier_map()
            doc = Document(codec.dossier_to_doc(dossier), doc_id=int(dossier.siren))
            self._table(DOSSIERS).upsert(doc)
            decoded[doc.doc_id] = self._decode(codec.dossier_from_doc, doc)

    def insert_dossiers(self, dossiers: Iterable[Dossier]) -> None:
        """New dossiers in one write (TinyDB's one-by-one inserts grow quadratically)."""
        docs = [Document(codec.dossier_to_doc(d), doc_id=int(d.siren)) for d in dossiers]
        with self.transaction():
            decoded = self._dossier_map()
            self._table(DOSSIERS).insert_multiple(docs)
            for doc in docs:
                decoded[doc.doc_id] = self._decode(codec.dossier_from_doc, doc)

    def delete_dossier(self, siren: str) -> None:
        with self.transaction():
            decoded = self._dossier_map()
            self._table(DOSSIERS).remove(doc_ids=[int(siren)])
            decoded.pop(int(siren), None)

    def spaces(self) -> list[ExpertSpace]:
        self.refresh()
        return [self._decode(codec.space_from_doc, doc) for doc in self._table(SPACES).all()]

    def get_space(self, space_id: str) -> ExpertSpace | None:
        self.refresh()
        doc = self._table(SPACES).get(Query().id == space_id)
        return None if not isinstance(doc, dict) else self._decode(codec.space_from_doc, doc)

    def put_space(self, space: ExpertSpace) -> None:
        with self.transaction():
            self._table(SPACES).upsert(codec.space_to_doc(space), Query().id == space.id)

    def delete_space(self, space_id: str) -> None:
        with self.transaction():
            self._table(SPACES).remove(Query().id == space_id)

    def cabinet(self) -> CabinetInfo:
        self.refresh()
        doc = self._table(CABINET).get(doc_id=SINGLETON_ID)
        return CabinetInfo() if doc is None else self._decode(codec.cabinet_from_doc, dict(doc))

    def put_cabinet(self, cabinet: CabinetInfo) -> None:
        with self.transaction():
            self._table(CABINET).upsert(
                Document(codec.cabinet_to_doc(cabinet), doc_id=SINGLETON_ID)
            )

    def settings(self) -> dict[str, Any]:
        self.refresh()
        doc = self._table(SETTINGS).get(doc_id=SINGLETON_ID)
        return {} if doc is None else dict(doc)

    def put_settings(self, settings: dict[str, Any]) -> None:
        with self.transaction():
            self._table(SETTINGS).upsert(Document(settings, doc_id=SINGLETON_ID))

    # -- undo journal (entries are plain JSON, shaped by the workspace) ---------------------

    def journal(self) -> list[dict[str, Any]]:
        """Every entry, oldest first, each with its `seq`."""
        self.refresh()
        return [{**doc, "seq": doc.doc_id} for doc in self._table(JOURNAL).all()]

    def append_journal(self, entry: dict[str, Any], *, keep: int) -> None:
        """A new entry after every other; only the last `keep` are kept."""
        with self.transaction():
            table = self._table(JOURNAL)
            table.insert({k: v for k, v in entry.items() if k != "seq"})
            ids = sorted(doc.doc_id for doc in table.all())
            if len(ids) > keep:
                table.remove(doc_ids=ids[: len(ids) - keep])

    def put_journal_entry(self, entry: dict[str, Any]) -> None:
        with self.transaction():
            doc = {k: v for k, v in entry.items() if k != "seq"}
            self._table(JOURNAL).upsert(Document(doc, doc_id=int(entry["seq"])))

    def remove_journal_entries(self, seqs: Iterable[int]) -> None:
        with self.transaction():
            self._table(JOURNAL).remove(doc_ids=list(seqs))
