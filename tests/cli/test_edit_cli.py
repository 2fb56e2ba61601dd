"""`espace-tui edit`: the dashboard form's checks, history and undo, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main


@pytest.fixture
def one(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    added = ["add", "552081317", "--nom", "Danone", "--mode", "simplifie", "--hors-ligne"]
    added += ["--email-entreprise", "contact@danone.fr", "--notes", "Gérant : M. Riboud"]
    assert main(added) == 0
    capsys.readouterr()
    return cli_env


def shown(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["list", "--format", "json"]) == 0
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows[0]


def test_only_the_options_given_change_and_undo_takes_them_back(
    one: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["edit", "552081317", "--nom", "Danone SA", "--email-entreprise", ""]) == 0
    assert "Modifié : nom, e-mail de l'entreprise." in capsys.readouterr().out
    row = shown(capsys)
    assert row["name"] == "Danone SA" and row["email_entreprise"] == ""
    assert row["notes"] == "Gérant : M. Riboud"  # not given: kept
    assert main(["undo"]) == 0
    row = shown(capsys)
    assert row["name"] == "Danone" and row["email_entreprise"] == "contact@danone.fr"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--iban", "FR76"], "IBAN"),
        (["--email-connexion", "pas-une-adresse"], "E-mail de connexion"),
        (["--nom", ""], "Nom"),
        (["--mode", "rapide"], "Mode"),
        (["--espace", "principal"], "Espace expert"),  # simplified mode has none
    ],
)
def test_same_validation_as_the_form(
    one: Path, capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    assert main(["edit", "552081317", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Erreur : {field} :") and "Traceback" not in err
    assert shown(capsys)["name"] == "Danone"


def test_a_mode_change_says_what_it_does_and_asks(
    one: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tick", "552081317", "formulaire", "--at", "hier"]) == 0
    assert main(["espace", "add", "principal", "--email-connexion", "experts@cabinet.fr"]) == 0
    capsys.readouterr()
    assert main(["edit", "552081317", "--mode", "expert"]) == 1
    err = capsys.readouterr().err
    assert "recommence la procédure" in err and "Remplir le formulaire" in err and "--oui" in err
    assert shown(capsys)["mode"] == "simplifie"
    assert main(["edit", "552081317", "--mode", "expert", "--oui"]) == 0
    assert "mode (procédure recommencée)" in capsys.readouterr().out
    row = shown(capsys)
    assert row["mode"] == "expert" and row["space_id"] == "principal"
    assert main(["undo"]) == 0
    row = shown(capsys)
    steps = row["steps"]
    assert isinstance(steps, list)
    assert row["mode"] == "simplifie" and steps[0]["done_at"] is not None


def test_nothing_given_changes_nothing(one: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edit", "552081317"]) == 1
    assert "Rien à modifier" in capsys.readouterr().err
