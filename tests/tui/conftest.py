"""Dashboard fixtures: the real app on a temporary store, demo data and a frozen clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

SIZE = (120, 36)


@pytest.fixture(autouse=True)
def documents_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own: dialogs propose (and create) ~/Documents/espace-tui."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


@pytest.fixture
def demo_workspace(workspace: Workspace, clock: FrozenClock) -> Workspace:
    fill_demo(workspace.store, clock.now())
    return workspace


@pytest.fixture
def make_app(demo_workspace: Workspace) -> Callable[..., EspaceApp]:
    def build(*, read_only: bool = False) -> EspaceApp:
        return create_app(demo_workspace, read_only=read_only)

    return build
