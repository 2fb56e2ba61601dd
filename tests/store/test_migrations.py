"""Schema versions: an older file is backed up then migrated; a newer one is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from espace_tui.store import backups, migrations, repository
from espace_tui.store.errors import StoreError, StoreNewerSchemaError
from espace_tui.store.repository import Store
from tests.conftest import NOW


def _add_greeting(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A schema-2 change for the test: every dossier gains a field."""
    for doc in tables.get("dossiers", {}).values():
        doc["greeting"] = f"Bonjour {doc['name']}"
    return tables


def _v1_file(data_dir: Path) -> bytes:
    data_dir.mkdir(parents=True)
    doc = {
        "_meta": {"1": {"schema_version": 1}},
        "dossiers": {
            "552081317": {
                "siren": "552081317",
                "name": "Danone",
                "mode": "simplifie",
                "created_at": NOW.isoformat(),
            }
        },
    }
    raw = json.dumps(doc).encode()
    (data_dir / "espace-tui.json").write_bytes(raw)
    return raw


def test_an_older_file_is_backed_up_then_migrated_once(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _v1_file(data_dir)
    monkeypatch.setattr(repository, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: _add_greeting})
    store = Store(data_dir)
    on_disk = json.loads((data_dir / "espace-tui.json").read_bytes())
    assert on_disk["_meta"]["1"]["schema_version"] == 2
    assert on_disk["dossiers"]["552081317"]["greeting"] == "Bonjour Danone"
    (kept,) = [b for b in backups.list_backups(data_dir) if not b.daily]
    assert kept.reason == "avant-migration-v1"
    assert kept.path.read_bytes() == original
    assert store.get_dossier("552081317") is not None
    Store(data_dir)  # already migrated: no second backup
    assert len([b for b in backups.list_backups(data_dir) if not b.daily]) == 1


def test_a_missing_migration_step_changes_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = _v1_file(data_dir)
    monkeypatch.setattr(repository, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: _add_greeting})
    with pytest.raises(StoreError, match="schéma 2 vers le schéma 3"):
        Store(data_dir)
    assert (data_dir / "espace-tui.json").read_bytes() == original


def test_a_newer_file_is_refused_and_never_written(data_dir: Path) -> None:
    _v1_file(data_dir)
    path = data_dir / "espace-tui.json"
    newer = path.read_text().replace('"schema_version": 1', '"schema_version": 7')
    path.write_text(newer)
    with pytest.raises(StoreNewerSchemaError, match="version plus récente") as refused:
        Store(data_dir)
    assert str(path) in refused.value.message
    assert path.read_text() == newer


def test_the_real_registry_reaches_the_current_version() -> None:
    assert all(v in migrations.MIGRATIONS for v in range(1, repository.SCHEMA_VERSION))
