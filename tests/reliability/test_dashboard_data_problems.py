"""The data file turns bad (or disappears) under the open dashboard: a French message naming
the file, the last data shown read-only, the file taken back once readable; an unexpected
error exits non-zero with one French line and a log, never a traceback or local variables."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.store.paths import DATA_FILE
from espace_tui.tui import crash
from espace_tui.tui.app import EspaceApp, create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

SIZE = (120, 36)
IBAN = "FR7630006000011234567890189"


def _schema(doc: dict[str, Any]) -> None:
    doc["_meta"]["1"]["schema_version"] = 99


def _siren_null(doc: dict[str, Any]) -> None:
    first = next(iter(doc["dossiers"].values()))
    first["siren"] = None


DAMAGES: dict[str, Callable[[Path], object]] = {
    "newer schema": lambda path: _rewrite(path, _schema),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[:500]),
    "siren null": lambda path: _rewrite(path, _siren_null),
    "deleted": lambda path: path.unlink(),
}


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture
def demo(workspace: Workspace, clock: FrozenClock) -> Workspace:
    fill_demo(workspace.store, clock.now())
    return workspace


def main_of(app: EspaceApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def toasts(app: EspaceApp) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.parametrize("damage", list(DAMAGES))
async def test_bad_file_under_the_dashboard_is_said_and_the_app_stays_usable(
    damage: str, demo: Workspace, data_dir: Path, figures: Any
) -> None:
    path = data_dir / DATA_FILE
    good = path.read_bytes()
    app = create_app(demo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        screen = main_of(app)
        shown = screen.dossier_list.table.sirens()
        DAMAGES[damage](path)
        screen.tick()  # the 1 Hz timer's work, run now
        await pilot.pause()
        said = toasts(app)
        assert str(path) in said and "lecture seule" in said
        if damage != "deleted":
            assert "restore" in said or "sauvegarde" in said
        assert screen.read_only and screen.query("#read-only")
        assert screen.dossier_list.table.sirens() == shown  # the last data, still shown
        await pilot.press("down", "g")  # still usable: another dossier, the agenda
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("e")  # a write: not offered while read-only
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert path.exists() is (damage != "deleted")
        if damage != "deleted":
            assert path.read_bytes() != good  # the damaged file is never rewritten
        # Put back (as « espace-tui restore » would): the dashboard takes the file again.
        path.write_bytes(good)
        screen.tick()
        await pilot.pause()
        assert not screen.read_only and not screen.query("#read-only")
        assert "de nouveau lisible" in toasts(app)
    assert app.return_code in (None, 0)
    figures(f"{damage}: said (file named), read-only on last data, taken back after restore")


async def test_unexpected_error_exits_non_zero_with_a_french_line_and_a_log(
    demo: Workspace,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    figures: Any,
) -> None:
    monkeypatch.setattr(crash, "log_dir", lambda: tmp_path / "logs")
    secret = f"client@example.fr {IBAN}"

    def broken(self: MainScreen) -> None:
        iban_local = secret  # noqa: F841 (a local Textual would have printed)
        raise RuntimeError(f"bug with {secret}")

    monkeypatch.setattr(MainScreen, "tick", broken)
    app = create_app(demo)
    with pytest.raises(RuntimeError):  # run_test re-raises what the app met
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(600):  # the first tick (1 s) crashes it: wait for that, not a time
                if app.return_code is not None:
                    break
                await pilot.pause(0.05)
    assert app.return_code == crash.CRASH_EXIT
    out, err = capfd.readouterr()
    shown = out + err
    assert shown.strip().startswith("espace-tui : erreur inattendue")
    assert "Traceback" not in shown and "locals" not in shown
    assert IBAN not in shown and "@" not in shown
    (log,) = (tmp_path / "logs").iterdir()
    assert str(log) in shown.replace("\n", "")
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "iban_local" not in text
    assert IBAN not in text and "client@example.fr" not in text
    assert log.stat().st_mode & 0o077 == 0
    figures("unexpected error: exit 70, one French line, log 0600 without locals, data masked")
