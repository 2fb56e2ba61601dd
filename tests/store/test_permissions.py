"""Rights re-checked at every start: folder 0700, files 0600, with a notice when fixed."""

from __future__ import annotations

from pathlib import Path

from espace_tui.store.repository import Store


def test_wide_rights_are_narrowed_with_a_notice(data_dir: Path) -> None:
    store = Store(data_dir)
    store.put_settings({"a": 1})
    store.put_settings({"a": 2})  # the lock and holder files exist too
    assert Store(data_dir).notices == []
    data_dir.chmod(0o755)
    (data_dir / "espace-tui.json").chmod(0o644)
    (data_dir / "espace-tui.json.lock").chmod(0o666)
    reopened = Store(data_dir)
    (notice,) = reopened.notices
    assert "Droits d'accès trop larges" in notice
    assert "644 → 600" in notice and "755 → 700" in notice
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    for child in data_dir.iterdir():
        if child.is_file():
            assert (child.stat().st_mode & 0o777) == 0o600, child


def test_every_file_the_store_writes_is_private(data_dir: Path) -> None:
    store = Store(data_dir)
    for n in range(3):
        store.put_settings({"n": n})
    for child in [data_dir, *data_dir.rglob("*")]:
        expected = 0o700 if child.is_dir() else 0o600
        assert (child.stat().st_mode & 0o777) == expected, child
