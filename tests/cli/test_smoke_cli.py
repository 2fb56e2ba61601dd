from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main


def test_empty_folder_lists_nothing(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["list"]) == 0
    assert "Aucun dossier" in capsys.readouterr().out


def test_add_then_list_json(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["tick", "552 081 317", "formulaire"]) == 0
    capsys.readouterr()
    assert main(["list", "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["siren"] == "552081317"
    assert row["status"] == "soon"
    assert row["next_deadline"] == "2026-12-04T09:00:00+01:00"
    formulaire = row["steps"][0]
    assert formulaire["id"] == "formulaire"
    assert formulaire["done_at"] == "2026-12-01T09:00:00+01:00"
