"""`espace-tui diagnose`: text and JSON for scripts, remedies applied from the shell."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.store.repository import Store

SIREN = "552081317"
MESSAGE = "« Il existe déjà un adhérent aux téléprocédures pour ce SIREN »"
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


@pytest.fixture
def simplified(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["add", SIREN, "--nom", "Librairie Papier", "--mode", "simplifie"]) == 0
    assert main(["tick", SIREN, "formulaire"]) == 0
    capsys.readouterr()
    return cli_env


def test_text_diagnosis_names_the_blockage_and_its_remedies(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diagnose", MESSAGE)
    assert code == 0
    assert "Déjà un adhérent pour ce SIREN" in out
    assert "Demander une substitution" in out
    assert "Adhérer en mode expert" in out
    assert "0 809 400 210" in out


def test_json_diagnosis_for_a_dossier(simplified: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diagnose", MESSAGE, "--siren", SIREN, "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert all(SNAKE.match(k) for k in keys(payload)), keys(payload)
    assert payload["matched"] is True
    assert payload["dossier"]["siren"] == SIREN
    assert payload["dossier"]["status"] == "soon"  # the 72 h link window is running
    (first, *_) = payload["candidates"]
    assert first["kind"] == "deja_adherent"
    remedies = {r["id"]: r for r in first["remedies"]}
    # No expert space yet: the substitution cannot be sent from a messagerie.
    assert remedies["substitution"]["applies"] is False
    assert "espace expert" in remedies["substitution"]["reason"]
    assert remedies["adhesion_expert"]["applies"] is True
    assert remedies["adhesion_expert"]["countdowns"][0]["duration_seconds"] == 60 * 86400
    assert payload["catalogue"] == []
    assert payload["helpline"]["number"] == "0 809 400 210"


def test_no_match_offers_the_catalogue_and_the_helpline(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diagnose", "Merci pour la facture", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["matched"] is False
    assert payload["candidates"] == []
    assert [c["kind"] for c in payload["catalogue"]] == [k.id for k in CATALOGUE]
    code, out, _ = run(capsys, "diagnose", "Merci pour la facture")
    assert "Aucun blocage connu" in out
    assert "[courrier_non_recu]" in out
    assert "0 809 400 210" in out


def test_message_read_from_stdin(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mail = f"Bonjour,\nle site affiche : {MESSAGE}\nMerci,\nJean"
    monkeypatch.setattr("sys.stdin", io.StringIO(mail))
    code, out, _ = run(capsys, "diagnose", "-", "--format", "json")
    assert code == 0
    assert json.loads(out)["candidates"][0]["kind"] == "deja_adherent"


def test_markup_in_the_message_is_printed_as_text(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "diagnose", "--blocage", "deja_adherent")
    assert code == 0
    code, out, _ = run(capsys, "diagnose", "[/] [bold]déjà un adhérent[/bold]")
    assert code == 0
    assert "Déjà un adhérent pour ce SIREN" in out


def test_apply_a_remedy_from_the_shell(
    simplified: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["espace", "add", "principal", "--email-connexion", "experts@cabinet.fr"]) == 0
    code, out, err = run(
        capsys, "diagnose", MESSAGE, "--siren", SIREN, "--appliquer", "substitution"
    )
    assert code == 0, err
    assert "Remède appliqué : Demander une substitution." in out
    dossier = Store(simplified).get_dossier(SIREN)
    assert dossier is not None
    assert dossier.procedure_id == "substitution"
    assert dossier.blockages[0].remedy == "substitution"
    assert dossier.blockages[0].note == MESSAGE  # the pasted message stays with the blockage


def test_apply_into_an_expert_space_as_json(
    simplified: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["espace", "add", "principal", "--email-connexion", "experts@cabinet.fr"]) == 0
    capsys.readouterr()
    code, out, _ = run(
        capsys,
        "diagnose",
        "--blocage",
        "deja_adherent",
        "--siren",
        SIREN,
        "--appliquer",
        "adhesion_expert",
        "--espace",
        "principal",
        "--format",
        "json",
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["dossier"]["procedure"] == "adhesion_expert"
    assert payload["dossier"]["space_id"] == "principal"
    assert payload["dossier"]["blockages"][0]["remedy"] == "adhesion_expert"


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["diagnose", MESSAGE, "--appliquer", "substitution"], "--siren"),
        (["diagnose", "--blocage", "nimporte", "--siren", SIREN], "Blocage"),
        (["diagnose", MESSAGE, "--siren", SIREN, "--appliquer", "nimporte"], "Remède"),
        (["diagnose", "merci", "--siren", SIREN, "--appliquer", "substitution"], "MESSAGE"),
        (["diagnose", MESSAGE, "--siren", SIREN, "--appliquer", "adhesion_expert"], "Espace"),
    ],
)
def test_bad_requests_exit_2_with_a_french_message(
    simplified: Path, capsys: pytest.CaptureFixture[str], argv: list[str], field: str
) -> None:
    before = Store(simplified).get_dossier(SIREN)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert err.startswith("Erreur : ") and field in err
    assert "Traceback" not in err
    assert Store(simplified).get_dossier(SIREN) == before


def test_without_a_message_the_checks_run(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "diagnose", "--format", "json")
    assert code == 0
    findings = json.loads(out)["findings"]
    assert {"lien_expire", "code_expire", "paiement_rejete"} <= {f["kind"] for f in findings}
    assert all(f["title"] and f["message"] for f in findings)
    code, out, _ = run(capsys, "diagnose")
    assert "blocage(s) détecté(s)" in out
    assert "Lien de validation expiré (72 h)" in out


def test_apply_with_the_first_step_done(
    simplified: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["espace", "add", "principal", "--email-connexion", "experts@cabinet.fr"]) == 0
    argv = ["diagnose", "--blocage", "deja_adherent", "--siren", SIREN, "--espace", "principal"]
    code, _, err = run(capsys, *argv, "--appliquer", "adhesion_expert", "--etape-faite")
    assert code == 0, err
    dossier = Store(simplified).get_dossier(SIREN)
    assert dossier is not None
    assert list(dossier.events) == ["adhesion"]
