"""Paths typed by the user: `~` expanded as a shell does, never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace_tui.store.paths import resolve_data_dir, user_path


def test_home_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert user_path("~/clients.csv") == tmp_path / "clients.csv"


@pytest.mark.parametrize("typed", ["~0", "~personne-inconnue/clients.csv"])
def test_an_unknown_user_is_left_as_typed(typed: str) -> None:
    assert user_path(typed) == Path(typed)


def test_data_dir_option_with_an_unknown_user_is_a_plain_folder_name() -> None:
    assert resolve_data_dir("~0") == Path("~0")
