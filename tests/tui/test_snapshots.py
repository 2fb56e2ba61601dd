"""SVG snapshots of the dashboard on demo data, frozen clock, fixed size (review before update)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from espace_tui.tui.app import EspaceApp
from tests.tui.conftest import SIZE

AppFactory = Callable[..., EspaceApp]
Snap = Callable[..., bool]


def test_main_screen(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_checklist_focused(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["enter"])


def test_expired_dossier(snap_compare: Snap, make_app: AppFactory) -> None:
    # Sixth row of the demo (after the urgent expert space): an expired link, with the
    # restart advice.
    assert snap_compare(make_app(), terminal_size=SIZE, press=["down"] * 5)


def test_add_form(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["a", *"12345678", "tab"])


def test_edit_form(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["e"])


def test_delete_confirmation(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["d"])


def test_notes_editor(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["n"])


def test_space_form(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["A"])


def test_help_screen(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["f1"])


def test_filtered_list(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["slash", *"bloqu"])


def test_read_only(snap_compare: Snap, make_app: AppFactory) -> None:
    kwargs: dict[str, Any] = {"read_only": True}
    assert snap_compare(make_app(**kwargs), terminal_size=SIZE)


def test_small_terminal(snap_compare: Snap, make_app: AppFactory) -> None:
    # 80 x 24: Mode and SIREN give way; name, who, status and deadline stay.
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_wide_terminal(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(200, 40), press=["down"] * 7)


def test_tick_at_dialog(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["down", "down", "t"])


def test_facts_dialog(snap_compare: Snap, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, press=["D"])
