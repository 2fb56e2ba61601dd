"""Every record checked when a file is loaded, before anything reads or writes it.

A hand-edited or damaged file (a SIREN null or a number, an id that is not the SIREN,
thresholds as text…) is refused as a whole, with the record and the field named and never
their value (records hold personal data): the same French message as a torn file, naming
the newest backup, and no write goes through. What passes decodes without surprises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.domain.dossier import Dossier
from espace_tui.store import codec
from espace_tui.store.errors import StoreCorruptError, StoreNewerSchemaError

META, DOSSIERS, SPACES, CABINET, SETTINGS = "_meta", "dossiers", "spaces", "cabinet", "settings"
JOURNAL = "journal"  # schema 2: the undo journal, entries shaped by the workspace
KNOWN_TABLES = frozenset({META, DOSSIERS, SPACES, CABINET, SETTINGS, JOURNAL})
SINGLETON_ID = 1
Tables = dict[str, dict[str, Any]]
# Settings read as numbers (workspace thresholds): a text there would break every screen.
_THRESHOLD_KEYS = frozenset({"soon_share", "soon_within_s", "urgent_share", "urgent_within_s"})
_SHOWN_KEY = 24  # a damaged id is quoted, cut to this length


def schema_version(path: Path, tables: Tables) -> int | None:
    """The file's schema version; None for an empty file. Checks the tables' names only."""
    if not tables:
        return None
    unknown = set(tables) - KNOWN_TABLES
    if unknown:
        raise StoreCorruptError(path, f"tables inconnues : {', '.join(sorted(unknown))[:80]}")
    meta = tables.get(META, {}).get(str(SINGLETON_ID))
    if meta is None:
        raise StoreCorruptError(path, "version du schéma absente")
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreCorruptError(path, "version du schéma illisible")
    return version


def _key(key: str) -> str:
    return key if len(key) <= _SHOWN_KEY else key[:_SHOWN_KEY] + "…"


def decode_dossiers(path: Path, tables: Tables, consume: bool = False) -> dict[int, Dossier]:
    """Every dossier decoded, by id; StoreCorruptError names the first one that is not.
    `consume`: each parsed record is dropped once decoded (memory holds one form, not two)."""
    decoded: dict[int, Dossier] = {}
    docs = tables.get(DOSSIERS, {})
    for key in list(docs):
        doc = docs.pop(key) if consume else docs[key]
        try:
            dossier = codec.dossier_from_doc(doc)
        except codec.RecordError as err:
            raise StoreCorruptError(path, f"dossier {_key(key)} : {err}") from None
        if not key.isascii() or not key.isdigit() or int(key) != int(dossier.siren):
            raise StoreCorruptError(
                path, f"dossier {_key(key)} : son identifiant n'est pas son SIREN"
            )
        decoded[int(key)] = dossier
    return decoded


def check_others(path: Path, tables: Tables) -> None:
    """Spaces, cabinet and settings, which are few: checked in full."""
    for table in (SPACES, CABINET, SETTINGS, META, JOURNAL):
        for key in tables.get(table, {}):
            if not key.isascii() or not key.isdigit():
                raise StoreCorruptError(path, f"{table} : identifiant {_key(key)} non numérique")
    where = ""
    try:
        for key, doc in tables.get(SPACES, {}).items():
            where = f"espace {_key(key)}"
            codec.space_from_doc(doc)
        for doc in tables.get(CABINET, {}).values():
            where = "cabinet"
            codec.cabinet_from_doc(doc)
    except codec.RecordError as err:
        raise StoreCorruptError(path, f"{where} : {err}") from None
    for settings in tables.get(SETTINGS, {}).values():
        thresholds = settings.get("thresholds", {})
        bad = not isinstance(thresholds, dict) or any(
            key in _THRESHOLD_KEYS
            and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0)
            for key, value in thresholds.items()
        )
        if bad:
            raise StoreCorruptError(
                path, "réglages : champ « thresholds » : des nombres positifs attendus"
            )


def check_tables(
    path: Path, tables: Tables, supported: int, consume: bool = False
) -> dict[int, Dossier]:
    """Everything a file holds, checked; its dossiers decoded (StoreCorruptError if not)."""
    version = schema_version(path, tables)
    if version is not None and version > supported:
        raise StoreNewerSchemaError(path, version, supported)
    check_others(path, tables)
    return decode_dossiers(path, tables, consume)
