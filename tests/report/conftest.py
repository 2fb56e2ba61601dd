from __future__ import annotations

import pytest

from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.report.demo_data import fill


@pytest.fixture
def demo(store: Store, workspace: Workspace) -> Workspace:
    """The demo cabinet on the frozen clock (2026-12-01 09:00 Paris)."""
    fill(store, workspace)
    return workspace
