"""A reading command takes a big file a slice of dossiers at a time: the same dossiers as a
whole parse, the same refusals, never a guess on a file laid out otherwise."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.store import chunked
from espace_tui.store.errors import StoreCorruptError, StoreError
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.workspace.demo import demo_dossiers, demo_siren, fill_demo
from tests.conftest import NOW

# What a string may hold that looks like the text between two records.
TRAP = '},"552081317":{"siren":"552081317'


@pytest.fixture(autouse=True)
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunked, "MIN_BYTES", 0)
    monkeypatch.setattr(chunked, "SLICE_BYTES", 2000)


def _cabinet(data_dir: Path, count: int = 120) -> Store:
    store = Store(data_dir, clock=FrozenClock(NOW))
    fill_demo(store, NOW)
    templates = demo_dossiers(NOW)
    store.insert_dossiers(
        replace(
            templates[i % len(templates)],
            siren=demo_siren(i),
            name=f"Client {i}",
            notes=TRAP if i % 7 == 0 else "",
        )
        for i in range(len(templates), count)
    )
    return store


def test_slices_give_the_same_dossiers_as_a_whole_parse(data_dir: Path) -> None:
    whole = _cabinet(data_dir).dossiers()
    seen: list[int] = []
    real = chunked.ChunkedFile.dossier_slices

    def counted(self: chunked.ChunkedFile):  # type: ignore[no-untyped-def]
        for part in real(self):
            seen.append(len(part))
            yield part

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chunked.ChunkedFile, "dossier_slices", counted)
        reading = Store(data_dir, reading=True)
        assert reading.dossiers() == whole
    assert len(seen) > 10 and sum(seen) == len(whole)  # many slices, every record once
    assert reading.settings() == Store(data_dir).settings()
    assert reading.cabinet() == Store(data_dir).cabinet()


def test_a_reading_store_refuses_to_write(data_dir: Path) -> None:
    _cabinet(data_dir)
    before = (data_dir / DATA_FILE).read_bytes()
    with pytest.raises(StoreError, match="lecture seule"):
        Store(data_dir, reading=True).put_settings({"a": 1})
    assert (data_dir / DATA_FILE).read_bytes() == before


def test_a_damaged_record_in_a_slice_is_refused_like_in_a_whole_parse(data_dir: Path) -> None:
    _cabinet(data_dir)
    doc = json.loads((data_dir / DATA_FILE).read_bytes())
    last = list(doc["dossiers"])[-60]
    doc["dossiers"][last]["siren"] = None
    (data_dir / DATA_FILE).write_bytes(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    )
    for reading in (False, True):
        with pytest.raises(StoreCorruptError, match=f"dossier {last} : champ « siren »"):
            Store(data_dir, reading=reading)


def test_another_layout_is_parsed_whole(data_dir: Path) -> None:
    """Pretty-printed by hand, or tables in another order: never split, read as before."""
    whole = _cabinet(data_dir).dossiers()
    doc = json.loads((data_dir / DATA_FILE).read_bytes())
    for text in (
        json.dumps(doc, indent=1, ensure_ascii=False),
        json.dumps({"_meta": doc["_meta"], "settings": {}, **doc}, separators=(",", ":")),
    ):
        (data_dir / DATA_FILE).write_text(text, encoding="utf-8")
        reading = Store(data_dir, reading=True)
        assert reading.dossiers() == whole
        assert reading._storage.read_result is None  # the whole-file path


def test_a_table_after_the_dossiers_holding_sirens_is_never_cut_into(data_dir: Path) -> None:
    """A journal keyed like the dossiers, after them: a false cut must fail and fall back."""
    whole = _cabinet(data_dir).dossiers()
    doc = json.loads((data_dir / DATA_FILE).read_bytes())
    doc["journal"] = {"1": {"before": {d: {"siren": d} for d in list(doc["dossiers"])[:50]}}}
    (data_dir / DATA_FILE).write_bytes(
        json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
    )
    reading = Store(data_dir, reading=True)
    assert reading.dossiers() == whole
    tables = reading._storage.read()
    assert tables is not None and tables["journal"] == doc["journal"]
