"""Dates at the edges of the calendar: refused when typed (exit 2, French), and one odd
value already stored (from a file written before dates were checked) never breaks the
listing, the detail or an export of the other dossiers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from espace_tui.cli import main as cli
from espace_tui.domain.clock import FrozenClock
from espace_tui.store.paths import DATA_FILE
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

GARAGE = "813392966"
PHARMACIE = "819676701"
TYPED = [
    "0001-01-01",
    "0002-06-01",
    "1000-01-01",
    "1900-01-01",
    "01/01/1999",
    "2100-01-01",
    "9999-12-31",
    "31/12/9999",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00-12:00",
]


@pytest.fixture
def demo(workspace: Workspace, clock: FrozenClock, cli_env: Path) -> Workspace:
    fill_demo(workspace.store, clock.now())
    return workspace


@pytest.mark.parametrize("typed", TYPED)
def test_typed_extreme_dates_are_refused_in_french(
    typed: str, demo: Workspace, data_dir: Path, capsys: pytest.CaptureFixture[str], figures: Any
) -> None:
    before = (data_dir / DATA_FILE).read_bytes()
    commands = [
        ["tick", GARAGE, "lien_email", "--at", typed],
        ["date", GARAGE, "premier_paiement", typed],
        ["date", GARAGE, "courrier_imprime", typed],
        ["espace", "tick", "annexe", "adhesion", "--at", typed],
    ]
    for command in commands:
        assert cli(command) == 2, command
        err = capsys.readouterr().err
        assert "hors limites" in err or "n'est pas une date" in err, (command, err)
        assert "Traceback" not in err and "Overflow" not in err
    assert (data_dir / DATA_FILE).read_bytes() == before
    figures(f"« {typed} »: {len(commands)} commands refused with exit 2, nothing written")


@pytest.mark.parametrize("frozen", ["0001-01-01", "9999-12-31T23:59", "1899-12-31"])
def test_frozen_clock_out_of_range_is_refused(
    frozen: str,
    demo: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ESPACE_TUI_NOW", frozen)
    assert cli(["list"]) == 2
    assert "ESPACE_TUI_NOW" in capsys.readouterr().err


def _store_odd_dates(path: Path) -> None:
    """As an old version or a hand edit left them: accepted then, stored as is."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    garage = doc["dossiers"][GARAGE]["events"]
    garage["premier_paiement"] = "9999-12-31T00:00:00+01:00"
    garage["courrier_imprime"] = "9999-12-31T23:30:00+00:00"
    garage["lien_email"] = "0001-01-01T00:00:00+00:00"
    doc["dossiers"][PHARMACIE]["events"]["formulaire"] = "0001-01-01T00:00:00+00:00"
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_one_odd_stored_date_never_breaks_the_others(
    demo: Workspace, data_dir: Path, capsys: pytest.CaptureFixture[str], figures: Any
) -> None:
    assert cli(["export", "--format", "ics"]) == 0
    events_before = capsys.readouterr().out.count("BEGIN:VEVENT")
    _store_odd_dates(data_dir / DATA_FILE)
    runs = [
        ["list"],
        ["list", "--format", "json"],
        ["show", GARAGE],
        ["show", PHARMACIE],
        ["agenda"],
        ["diagnose"],
        *(["export", "--format", f] for f in ("md", "csv", "html", "json", "ics")),
    ]
    for command in runs:
        assert cli(command) == 0, command
        out, err = capsys.readouterr()
        assert "inattendue" not in err, (command, err)
        if command[-1] == "ics":
            events = out.count("BEGIN:VEVENT")
            # The odd dossiers' meaningless events are left out, every other one is there.
            assert events > 0 and events_before - 4 <= events <= events_before
    figures(f"odd stored dates (years 1 and 9999): {len(runs)} commands all exit 0")


async def test_dashboard_opens_and_shows_odd_stored_dates(demo: Workspace, data_dir: Path) -> None:
    _store_odd_dates(data_dir / DATA_FILE)
    app = create_app(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for siren in (GARAGE, PHARMACIE):
            screen.dossier_list.select(siren)
            await pilot.pause()
            assert screen.detail.dossier is not None and screen.detail.dossier.siren == siren
        await pilot.press("g")  # the agenda computes every deadline
        await pilot.pause()
        await pilot.press("escape")
        screen.tick()
    assert app.return_code in (None, 0)
