"""The command line as scripts use it: exit codes, French messages on stderr, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from espace_tui.cli import main
from tests.conftest import NOW


def run(data_dir: Path, *args: str, now: str = NOW.isoformat()) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ESPACE_TUI_DATA_DIR": str(data_dir),
        "ESPACE_TUI_NOW": now,
        "COLUMNS": "160",
    }
    return subprocess.run(
        [sys.executable, "-m", "espace_tui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_scripted_session_as_subprocesses(data_dir: Path) -> None:
    assert run(data_dir, "list").returncode == 0
    bad = run(data_dir, "add", "123456789", "--nom", "X", "--mode", "simplifie")
    assert bad.returncode == 2
    assert bad.stderr.startswith("Erreur : SIREN :")
    assert "Traceback" not in bad.stderr
    ok = run(data_dir, "add", "552081317", "--nom", "Danone", "--mode", "simplifie")
    assert ok.returncode == 0, ok.stderr
    dup = run(data_dir, "add", "552081317", "--nom", "Danone", "--mode", "simplifie")
    assert dup.returncode == 2 and "déjà suivi" in dup.stderr
    tick = run(data_dir, "tick", "552081317", "formulaire", "--at", "2026-11-30T10:00")
    assert tick.returncode == 0, tick.stderr
    listed = json.loads(run(data_dir, "list", "--format", "json").stdout)
    assert listed[0]["steps"][0]["done_at"] == "2026-11-30T10:00:00+01:00"
    assert listed[0]["next_deadline"] == "2026-12-03T10:00:00+01:00"


def test_frozen_clock_from_environment_drives_status(data_dir: Path) -> None:
    run(data_dir, "add", "552081317", "--nom", "Danone", "--mode", "simplifie")
    run(data_dir, "tick", "552081317", "formulaire")
    before = json.loads(
        run(data_dir, "list", "--format", "json", now="2026-12-04T08:59:59+01:00").stdout
    )
    after = json.loads(
        run(data_dir, "list", "--format", "json", now="2026-12-04T09:00:01+01:00").stdout
    )
    assert before[0]["status"] == "urgent"
    assert after[0]["status"] == "expired"


@pytest.mark.parametrize(
    ("args", "code", "field"),
    [
        (["add", "552081317", "--nom", "", "--mode", "simplifie"], 2, "Nom"),
        (["add", "552081317", "--nom", "X", "--mode", "autre"], 2, "Mode"),
        (
            ["add", "552081317", "--nom", "X", "--mode", "expert", "--email-connexion", "x@"],
            2,
            "E-mail de connexion",
        ),
        (["tick", "552081317", "formulaire"], 1, "Aucun dossier"),
        (["tick", "55208131", "formulaire"], 2, "SIREN"),
        (["tick", "552081317", "formulaire", "--at", "demain"], 2, "--at"),
        (["add", "552081317"], 2, "--nom"),
        (["inconnue"], 2, "choix invalide"),
    ],
)
def test_refusals_name_the_field(
    cli_env: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, field: str
) -> None:
    try:
        result = main(args)
    except SystemExit as exit_:  # argparse's own refusals
        result = int(exit_.code or 0)
    assert result == code
    err = capsys.readouterr().err
    assert field in err
    assert "Traceback" not in err


def test_import_reports_lines_and_is_all_or_nothing(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text(
        "siren;nom;mode\n552081317;Danone;simplifie\n123456789;Faux;simplifie\n732829320;Client;expert\n",
        encoding="utf-8",
    )
    assert main(["import", str(csv_file)]) == 2
    err = capsys.readouterr().err
    assert "Ligne 3 : SIREN" in err
    assert "Rien n'a été importé" in err
    main(["list", "--format", "json"])
    assert json.loads(capsys.readouterr().out) == []
    assert main(["import", str(csv_file), "--skip-invalid"]) == 0
    assert "2 dossier(s) importé(s)" in capsys.readouterr().out


def test_demo_fills_an_empty_folder_only(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    main(["list", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert 15 <= len(rows) <= 30
    assert {r["status"] for r in rows} == {"ok", "soon", "urgent", "expired", "blocked", "done"}
    assert {r["mode"] for r in rows} == {"simplifie", "expert"}
    assert any(r["bank"] for r in rows)
    assert main(["demo"]) == 1
    assert "déjà des dossiers" in capsys.readouterr().err


def test_unparseable_file_is_never_overwritten(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.mkdir(parents=True)
    data = cli_env / "espace-tui.json"
    data.write_text('{"dossiers": {"1": ', encoding="utf-8")
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 1
    err = capsys.readouterr().err
    assert str(data) in err
    assert data.read_text(encoding="utf-8") == '{"dossiers": {"1": '


def test_store_files_are_private(cli_env: Path) -> None:
    main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"])
    assert (cli_env.stat().st_mode & 0o777) == 0o700
    assert ((cli_env / "espace-tui.json").stat().st_mode & 0o777) == 0o600


def test_data_dir_option_works_before_and_after_the_command(tmp_path: Path) -> None:
    before, after = tmp_path / "avant", tmp_path / "apres"
    assert run(tmp_path / "unused", "--data-dir", str(before), "demo").returncode == 0
    assert run(tmp_path / "unused", "demo", "--data-dir", str(after)).returncode == 0
    assert (before / "espace-tui.json").exists() and (after / "espace-tui.json").exists()
    assert not (tmp_path / "unused" / "espace-tui.json").exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("30/11/2026 10h00", "2026-11-30T10:00:00+01:00"),
        ("30/11/2026 10:00", "2026-11-30T10:00:00+01:00"),
        ("30/11", "2026-11-30T00:00:00+01:00"),
        ("30/11/2026", "2026-11-30T00:00:00+01:00"),
        ("aujourd'hui", "2026-12-01T09:00:00+01:00"),
        ("hier", "2026-11-30T09:00:00+01:00"),
        ("avant-hier 8h", "2026-11-29T08:00:00+01:00"),
        ("2026-11-30T10:00", "2026-11-30T10:00:00+01:00"),
    ],
)
def test_tick_at_takes_french_dates(
    cli_env: Path, capsys: pytest.CaptureFixture[str], typed: str, stored: str
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["tick", "552081317", "formulaire", "--at", typed]) == 0
    capsys.readouterr()
    assert main(["list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["steps"][0]["done_at"] == stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("29/03/2026 02h30", "n'existe pas à Paris"),
        ("25/10/2026 02h30", "est ambiguë"),
        ("31/11/2026", "n'existe pas dans le calendrier"),
        ("demain", "JJ/MM/AAAA"),
    ],
)
def test_date_refuses_impossible_times_in_french(
    cli_env: Path, capsys: pytest.CaptureFixture[str], typed: str, said: str
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["date", "552081317", "courrier_imprime", typed]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Date d'impression") and said in err
    assert "Traceback" not in err


def test_date_fold_resolved_and_space_tick_in_french(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["date", "552081317", "courrier_imprime", "25/10/2026 02h30 hiver"]) == 0
    assert main(["espace", "add", "principal", "--email-connexion", "x@cabinet.fr"]) == 0
    assert main(["espace", "list"]) == 0
    capsys.readouterr()
    code = main(["espace", "tick", "principal", "formulaire", "--at", "29/03/2026 02h15"])
    assert code == 2 and "n'existe pas à Paris" in capsys.readouterr().err
