"""`espace-tui export` and `espace-tui agenda` as a user runs them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar

from espace_tui.cli import main
from espace_tui.domain.clock import clock_from_env
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.report.demo_data import DEMO_COUNT, fill


@pytest.fixture
def demo_dir(cli_env: Path) -> Path:
    store = Store(cli_env)
    fill(store, Workspace(store, clock_from_env()))
    return cli_env


def test_export_to_stdout_and_to_a_private_file(
    demo_dir: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--format", "json"]) == 0
    assert len(json.loads(capsysbinary.readouterr().out)["dossiers"]) == DEMO_COUNT
    target = tmp_path / "echeances.ics"
    assert main(["export", "--format", "ics", "-o", str(target)]) == 0
    assert "écrit dans" in capsysbinary.readouterr().out.decode()
    assert Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    # It holds clients' e-mail addresses: readable by the user only.
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_filter_by_french_label(demo_dir: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--format", "json", "--filtre", "Expiré"]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert {d["status"] for d in data["dossiers"]} == {"expired"}


def test_bad_input_is_refused_in_french(
    demo_dir: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["export", "--format", "json", "--filtre", "perdu"]) == 2
    assert "statut « perdu » inconnu" in capsysbinary.readouterr().err.decode()
    assert main(["export", "--format", "md", "-o", str(tmp_path)]) == 2
    assert main(["export", "--format", "md", "-o", str(tmp_path / "no" / "r.md")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--format", "pdf"])
    assert exit_info.value.code == 2


def test_agenda_command(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agenda"]) == 0
    out = capsys.readouterr().out
    assert "3 en retard, 1 aujourd'hui" in out
    titles = ["À faire par le cabinet", "À relancer : clients", "En attente de la DGFiP"]
    positions = [out.index(t) for t in [*titles, "En attente de la banque"]]
    assert positions == sorted(positions)
    assert main(["agenda", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["bucket"] for e in entries} == {"overdue", "today", "week"}
    assert main(["agenda", "--jours", "0", "--format", "json"]) == 0
    assert {e["bucket"] for e in json.loads(capsys.readouterr().out)} == {"overdue", "today"}
    assert main(["agenda", "--jours", "-1"]) == 2


def test_agenda_text_follows_the_horizon_and_keeps_the_siren_whole(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "64")  # narrow: every column has to wrap
    assert main(["agenda", "--jours", "14"]) == 0
    out = capsys.readouterr().out
    assert "dans les 14 jours." in out and "7 jours" not in out
    assert main(["agenda", "--jours", "1"]) == 0
    assert "dans les 24 h." in capsys.readouterr().out
    assert main(["agenda"]) == 0
    out = capsys.readouterr().out
    assert "dans les 7 jours." in out
    # Every dossier's SIREN whole on one line of its own column, even at 64 columns.
    sirens = {str(e["key"]) for e in agenda_json(capsys) if e["kind"] == "dossier"}
    assert sirens
    for siren in sirens:
        assert f"│ {siren[:3]} {siren[3:6]} {siren[6:]} │" in out, siren


def agenda_json(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["agenda", "--format", "json"]) == 0
    data: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return data


def test_no_progress_bar_when_stderr_is_not_a_terminal(demo_dir: Path) -> None:
    """Piped into a file, stderr stays clean: the bar only draws on a terminal."""
    result = subprocess.run(
        [sys.executable, "-m", "espace_tui", "export", "--format", "csv"],
        capture_output=True,
        env={**os.environ},
        check=True,
    )
    assert result.stderr == b""
    assert result.stdout.startswith(b"\xef\xbb\xbf")
