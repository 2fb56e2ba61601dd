"""Commands through the real parser and handlers: espace list/tick, delete, services, date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INVALID, EXIT_OK
from espace_tui.domain.teleservices import TELESERVICES_BY_ID
from espace_tui.store.paths import DATA_FILE

CAPTURE = pytest.CaptureFixture[str]


def _run(capsys: CAPTURE, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse refusing the arguments
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _dossier(capsys: CAPTURE, siren: str = "552081317") -> dict[str, object]:
    code, out, _ = _run(capsys, "list", "--format", "json")
    assert code == EXIT_OK
    rows: list[dict[str, object]] = json.loads(out)
    return next(r for r in rows if r["siren"] == siren)


@pytest.fixture
def danone(cli_env: Path, capsys: CAPTURE) -> Path:
    assert _run(capsys, "add", "552081317", "--nom", "Danone", "--mode", "simplifie")[0] == 0
    return cli_env / DATA_FILE


def test_espace_list_and_tick(cli_env: Path, capsys: CAPTURE) -> None:
    code, out, _ = _run(capsys, "espace", "list")
    assert code == EXIT_OK and "Aucun espace expert" in out
    assert _run(capsys, "espace", "add", "principal", "--email-connexion", "x@cabinet.fr")[0] == 0
    code, out, _ = _run(capsys, "espace", "list")
    assert code == EXIT_OK
    assert "principal" in out and "x@cabinet.fr" in out and "0/100" in out and "ok" in out
    # Details entered 47 h ago (NOW is 1 Dec 09:00): the 48 h code window ends in an hour.
    code, out, _ = _run(
        capsys, "espace", "tick", "principal", "coordonnees", "--at", "29/11/2026 10h00"
    )
    assert code == EXIT_OK and "Espace « principal »" in out and "faite" in out
    code, out, _ = _run(capsys, "espace", "list")
    assert "urgent" in out and "1 h" in out
    for step in ("cgu_captcha", "identifiants", "activation_espace"):
        assert _run(capsys, "espace", "tick", "principal", step)[0] == EXIT_OK
    code, out, _ = _run(capsys, "espace", "list")
    assert "terminé" in out
    # Refusals name what is wrong.
    code, _, err = _run(capsys, "espace", "tick", "principal", "inconnue")
    assert code == EXIT_INVALID and "inconnue" in err
    code, _, err = _run(capsys, "espace", "tick", "secondaire", "coordonnees")
    assert code in (EXIT_INVALID, EXIT_FAILURE) and "secondaire" in err
    code, _, err = _run(capsys, "espace", "tick", "principal", "coordonnees", "--at", "31/02/2026")
    assert code == EXIT_INVALID and "--at" in err


def test_delete_asks_for_oui_then_deletes(danone: Path, capsys: CAPTURE) -> None:
    before = danone.read_bytes()
    code, _, err = _run(capsys, "delete", "552081317")
    assert code == EXIT_FAILURE and "--oui" in err and "Danone" in err
    assert danone.read_bytes() == before  # asked, not done
    code, out, _ = _run(capsys, "delete", "552 081 317", "--oui")
    assert code == EXIT_OK and "supprimé" in out
    code, out, _ = _run(capsys, "list", "--format", "json")
    assert json.loads(out) == []
    code, _, err = _run(capsys, "delete", "552081317", "--oui")
    assert code != EXIT_OK and "552 081 317" in err


def test_services_catalogue_show_and_set(danone: Path, capsys: CAPTURE) -> None:
    code, out, _ = _run(capsys, "services")
    assert code == EXIT_OK
    assert all(service_id in out for service_id in TELESERVICES_BY_ID)
    code, out, _ = _run(capsys, "services", "552081317", "--fixe", "messagerie,payer_tva")
    assert code == EXIT_OK and "Messagerie, Payer TVA" in out
    code, out, _ = _run(capsys, "services", "552081317")
    assert code == EXIT_OK
    shown = [line for line in out.splitlines() if line.strip()]
    assert shown == ["Messagerie : demandé", "Payer TVA : demandé"]
    before = danone.read_bytes()
    code, _, err = _run(capsys, "services", "552081317", "--fixe", "messagerie,zz")
    assert code == EXIT_INVALID and err.startswith("Erreur : Services : ") and "zz" in err
    assert danone.read_bytes() == before


def test_date_sets_and_clears_the_letter_print_date(danone: Path, capsys: CAPTURE) -> None:
    assert _run(capsys, "tick", "552081317", "formulaire", "--at", "01/11/2026 10h00")[0] == 0
    assert _run(capsys, "tick", "552081317", "lien_email", "--at", "02/11/2026 10h00")[0] == 0
    # Without the letter's date the 60 days count from the link click (fallback).
    assert _dossier(capsys)["next_deadline"] == "2027-01-01T10:00:00+01:00"
    code, out, _ = _run(capsys, "date", "552081317", "courrier_imprime", "20/11/2026")
    assert code == EXIT_OK and "20 nov. 2026" in out
    assert _dossier(capsys)["next_deadline"] == "2027-01-19T00:00:00+01:00"
    code, out, _ = _run(capsys, "date", "552081317", "courrier_imprime", "--efface")
    assert code == EXIT_OK and "effacée" in out
    assert _dossier(capsys)["next_deadline"] == "2027-01-01T10:00:00+01:00"
    before = danone.read_bytes()
    code, _, err = _run(capsys, "date", "552081317", "courrier_imprime", "32/11/2026")
    assert code == EXIT_INVALID and "Erreur" in err
    code, _, err = _run(capsys, "date", "552081317", "quoi", "20/11/2026")
    assert code == EXIT_INVALID and "QUOI" in err
    assert danone.read_bytes() == before
