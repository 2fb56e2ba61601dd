"""Shared fixtures: a frozen clock, a store in a temporary folder, a workspace on both."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


@pytest.fixture
def workspace(store: Store, clock: FrozenClock) -> Workspace:
    return Workspace(store, clock)


@pytest.fixture
def cli_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Environment for running the CLI in-process or as a subprocess on a frozen clock."""
    monkeypatch.setenv("ESPACE_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ESPACE_TUI_NOW", NOW.isoformat())
    monkeypatch.setenv("COLUMNS", "160")
    yield data_dir
