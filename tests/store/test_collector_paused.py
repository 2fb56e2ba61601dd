"""Reading the data file decodes every dossier with the cycle collector paused (millions of
acyclic objects at 100,000 dossiers), and the collector is back on afterwards, failure or not."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.store import codec
from espace_tui.store.errors import StoreCorruptError
from espace_tui.store.repository import Store
from espace_tui.workspace.demo import fill_demo
from tests.conftest import NOW


def _recording(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    decode = codec.dossier_from_doc

    def recorded(doc: codec.Doc) -> object:
        seen.append(gc.isenabled())
        return decode(doc)

    monkeypatch.setattr(codec, "dossier_from_doc", recorded)
    return seen


def test_dossiers_are_decoded_with_the_collector_paused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_demo(Store(data_dir), FrozenClock(NOW).now())
    seen = _recording(monkeypatch)
    assert gc.isenabled()
    Store(data_dir)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_the_collector_is_back_on_when_a_record_is_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_demo(Store(data_dir), FrozenClock(NOW).now())
    path = next(data_dir.glob("*.json"))
    tables = json.loads(path.read_text(encoding="utf-8"))
    next(iter(tables["dossiers"].values()))["siren"] = None
    path.write_text(json.dumps(tables), encoding="utf-8")
    seen = _recording(monkeypatch)
    with pytest.raises(StoreCorruptError):
        Store(data_dir)
    assert seen == [False]
    assert gc.isenabled()
