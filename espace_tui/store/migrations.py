"""Schema migrations: each turns the tables of schema N into those of schema N + 1.

The file's schema version lives in the `_meta` table. Opening a file of an older schema
backs it up (`backups.take_named(..., "avant-migration-vN")`), runs every step up to
`repository.SCHEMA_VERSION` and writes the result once. To change the shape of the data:
bump SCHEMA_VERSION and add the step here, with a test that migrates a real old file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from espace_tui.store.errors import StoreError

Tables = dict[str, dict[str, Any]]
Migration = Callable[[Tables], Tables]


def _add_journal(tables: Tables) -> Tables:
    """Schema 2 adds the undo journal table; it starts empty (nothing to undo from before)."""
    return {**tables, "journal": {}}


# MIGRATIONS[n]: schema n -> schema n + 1. Schema 1 is the first released shape.
MIGRATIONS: dict[int, Migration] = {1: _add_journal}


def migrate(
    tables: Tables,
    from_version: int,
    to_version: int,
    migrations: Mapping[int, Migration] | None = None,
) -> Tables:
    steps = MIGRATIONS if migrations is None else migrations
    for version in range(from_version, to_version):
        step = steps.get(version)
        if step is None:
            raise StoreError(
                f"Aucune migration connue du schéma {version} vers le schéma {version + 1} : "
                "le fichier de données n'a pas été modifié."
            )
        tables = step(tables)
    return tables
