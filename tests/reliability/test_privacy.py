"""Privacy: bank details never leave the data file and its backups (both 0600)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.report.export import FORMATS
from espace_tui.store.paths import DATA_FILE

IBAN = "FR7630006000011234567890189"
SIREN = "552081317"


def _ibans(data_dir: Path) -> list[str]:
    doc = json.loads((data_dir / DATA_FILE).read_bytes())
    return [d["bank"]["iban"] for d in doc["dossiers"].values() if d.get("bank")]


def _leaks(text: str, ibans: list[str]) -> list[str]:
    """Any IBAN in full, compact or in groups of four, or its account number (BBAN)."""
    flat = "".join(text.split())
    return [iban for iban in ibans if iban in flat or iban[4:-4] in flat]


@pytest.fixture
def cabinet(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["demo"]) == 0
    args = ["add", SIREN, "--nom", "Danone", "--mode", "simplifie", "--iban", IBAN]
    assert main([*args, "--bic", "BNPAFRPP"]) == 0
    capsys.readouterr()
    ibans = _ibans(cli_env)
    assert IBAN in ibans and len(ibans) >= 3
    return ibans


def test_no_command_output_shows_a_full_iban(
    cabinet: list[str],
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    figures: Callable[[str], None],
) -> None:
    commands = [["list"], ["list", "--format", "json"], ["show", SIREN], ["backups"]]
    commands += [["show", siren] for siren in _sirens_with_bank(cli_env)]
    for argv in commands:
        assert main(argv) == 0
        out, err = capsys.readouterr()
        assert _leaks(out + err, cabinet) == [], argv
    figures(f"{len(commands)} commands × {len(cabinet)} IBANs: 0 shown in full")


def test_no_export_writes_a_full_iban(
    cabinet: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    figures: Callable[[str], None],
) -> None:
    for fmt in FORMATS:
        target = tmp_path / f"export.{fmt}"
        assert main(["export", "--format", fmt, "-o", str(target)]) == 0, capsys.readouterr()
        text = target.read_bytes().decode("utf-8")
        assert _leaks(text, cabinet) == [], fmt
    figures(f"{len(FORMATS)} export formats × {len(cabinet)} IBANs: 0 written in full")


def test_no_other_file_holds_a_secret(cabinet: list[str], cli_env: Path) -> None:
    main(["tick", SIREN, "formulaire"])
    known = {DATA_FILE, f"{DATA_FILE}.lock", f"{DATA_FILE}.lock.holder", "sauvegardes"}
    assert {p.name for p in cli_env.iterdir()} <= known
    holder = (cli_env / f"{DATA_FILE}.lock.holder").read_text(encoding="utf-8")
    assert _leaks(holder, cabinet) == [] and "Danone" not in holder
    for path in [cli_env, *cli_env.rglob("*")]:
        assert (path.stat().st_mode & 0o777) == (0o700 if path.is_dir() else 0o600), path


def test_rights_fixed_at_start_with_a_french_notice(
    cabinet: list[str], cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.chmod(0o755)
    (cli_env / DATA_FILE).chmod(0o644)
    assert main(["list", "--format", "json"]) == 0
    err = capsys.readouterr().err
    assert "Droits d'accès trop larges" in err
    assert (cli_env.stat().st_mode & 0o777) == 0o700
    assert ((cli_env / DATA_FILE).stat().st_mode & 0o777) == 0o600
    assert main(["list", "--format", "json"]) == 0
    assert "Droits" not in capsys.readouterr().err  # said once, when fixed


def _sirens_with_bank(data_dir: Path) -> list[str]:
    doc = json.loads((data_dir / DATA_FILE).read_bytes())
    return [d["siren"] for d in doc["dossiers"].values() if d.get("bank")]
