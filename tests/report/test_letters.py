"""Client letters: the one for the step awaited, its deadline filled in, the chase recorded."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import PARIS
from espace_tui.domain.display import format_long_date, format_written_datetime
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.validation import DossierDraft
from espace_tui.report.letters import (
    LETTERS,
    LETTERS_BY_ID,
    choose_letter,
    no_letter_reason,
    render_letter,
    suggested_letter,
)
from espace_tui.workspace import Workspace
from tests.report.demo_data import fill

GARAGE = "813392966"  # link to click within 12 h
HOTEL = "831196894"  # expert: the client must pass the code on, due 15/12
RESTAURANT = "832244180"  # B2B mandate to print, first payment on 07/12 09:00
LAMBERT = "824913156"  # expert: company e-mail to validate, no official deadline
BERNARD = "828055020"  # code expired yesterday
BIJOUTERIE = "833291479"  # everything done


def letter_for(workspace: Workspace, siren: str, type_id: str | None = None) -> str:
    dossier = workspace.get(siren)
    state = workspace.state(dossier)
    template = choose_letter(type_id, state)
    return render_letter(template, dossier, state, workspace.cabinet(), workspace.now()).text


@pytest.mark.parametrize(
    ("siren", "letter_id", "deadline_text"),
    [
        # A window of hours is quoted with its hour, written as French prose does.
        (GARAGE, "lien", "avant le mardi 1er décembre 2026 à 21 h (encore 12 heures)"),
        # Printed 46 × 24 h before 1 Dec 09:00 CET (16 Oct 10:00 CEST): 60 × 24 h later is
        # 15 Dec 09:00 CET. Instants are absolute (UTC inside), whatever the hour change.
        # A window of days by its day only (never « à 00:00 »), the time left written out.
        (HOTEL, "code", "avant le mardi 15 décembre 2026 (encore 14 jours)"),
        (RESTAURANT, "mandat", "prévu le lundi 7 décembre 2026 (encore 6 jours)"),
        (LAMBERT, "messagerie", "dès que possible"),
    ],
)
def test_the_letter_fits_the_step_awaited_and_quotes_its_deadline(
    demo: Workspace, siren: str, letter_id: str, deadline_text: str
) -> None:
    state = demo.state(demo.get(siren))
    template = suggested_letter(state)
    assert template is not None and template.id == letter_id
    text = letter_for(demo, siren)
    dossier = demo.get(siren)
    assert text.startswith(f"À : {dossier.email_entreprise}\nObjet : {dossier.name} : ")
    assert deadline_text in text
    assert "Bonjour," in text and text.rstrip().endswith("Cabinet Durand & Associés")


@pytest.mark.parametrize(
    ("instant", "written", "short"),
    [
        (
            datetime(2026, 12, 1, 21, 0, tzinfo=PARIS),
            "mardi 1er décembre 2026 à 21 h",
            "1er déc. 2026",
        ),
        (
            datetime(2026, 12, 4, 9, 0, tzinfo=PARIS),
            "vendredi 4 décembre 2026 à 9 h",
            "4 déc. 2026",
        ),
        # 1 Jan 00:30 in Paris is still 31 Dec in UTC: the Paris day is written.
        (
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
            "vendredi 1er janvier 2027 à 0 h 30",
            "1er janv. 2027",
        ),
        (datetime(2027, 3, 11, 8, 0, tzinfo=PARIS), "jeudi 11 mars 2027 à 8 h", "11 mars 2027"),
    ],
)
def test_long_dates_write_the_first_of_the_month_as_1er(
    instant: datetime, written: str, short: str
) -> None:
    assert format_written_datetime(instant) == written
    assert format_long_date(instant) == short


def test_no_letter_when_nothing_is_awaited_or_too_late(demo: Workspace) -> None:
    with pytest.raises(UserError, match="Toutes les étapes de ce dossier sont faites"):
        letter_for(demo, BIJOUTERIE)
    with pytest.raises(UserError, match="échéance de cette lettre est passée"):
        letter_for(demo, BERNARD)
    with pytest.raises(InvalidInput, match="inconnu"):
        letter_for(demo, GARAGE, "pigeon")
    # A chosen type is allowed even when the step is not next (here: no deadline to quote).
    assert "premier paiement" in letter_for(demo, BIJOUTERIE, "mandat")


def test_a_new_dossier_waits_on_a_client_step_no_letter_covers(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace.add_dossier(DossierDraft(siren="356000000", name="La Poste", mode="simplifie"))
    state = workspace.state(workspace.get("356000000"))
    assert state.next_step is not None and state.next_step.template.id == "formulaire"
    assert suggested_letter(state) is None
    reason = no_letter_reason(state)
    # The step is the client's: never « n'attend rien du client ».
    assert reason.startswith("Aucune lettre type pour l'étape attendue du client « Remplir")
    with pytest.raises(UserError) as err:
        letter_for(workspace, "356000000")
    assert str(err.value).startswith(reason) and "--type" in str(err.value)
    # Once the form is ticked, the link is awaited: its letter.
    workspace.tick("356000000", "formulaire")
    assert suggested_letter(workspace.state(workspace.get("356000000"))) is LETTERS_BY_ID["lien"]


def test_a_step_of_the_cabinet_says_whose_it_is(workspace: Workspace) -> None:
    workspace.add_dossier(DossierDraft(siren="356000000", name="La Poste", mode="expert"))
    reason = no_letter_reason(workspace.state(workspace.get("356000000")))
    assert reason.startswith("Ce dossier n'attend rien du client pour l'instant")
    assert reason.endswith("revient à : Cabinet.")


def test_user_text_never_becomes_a_placeholder(workspace: Workspace) -> None:
    workspace.add_dossier(
        DossierDraft(siren="552081317", name="SARL {cabinet} {echeance_phrase}", mode="simplifie")
    )
    workspace.tick("552081317", "formulaire")
    text = letter_for(workspace, "552081317")
    assert "SARL {cabinet} {echeance_phrase} (SIREN 552 081 317)" in text
    assert "Votre cabinet comptable" in text  # no cabinet name set


def test_every_template_fills_all_its_placeholders(demo: Workspace) -> None:
    for template in LETTERS:
        text = letter_for(demo, GARAGE if template.id != "code" else HOTEL, template.id)
        assert "{" not in text and "}" not in text, template.id


def test_cli_prints_writes_and_records_the_chase(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from espace_tui.domain.clock import clock_from_env
    from espace_tui.store.repository import Store

    store = Store(cli_env)
    fill(store, Workspace(store, clock_from_env()))
    assert main(["lettre", "813 392 966"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("À : contact@garage.fr\nObjet : Garage des Alpes")
    assert "Client relancé le 01/12/2026 09:00" in err
    history = Store(cli_env).get_dossier(GARAGE).history  # type: ignore[union-attr]
    assert history[-1].action == "client_chased"
    assert "lien de validation" in history[-1].detail

    target = tmp_path / "lettre.txt"
    assert main(["lettre", HOTEL, "--type", "code", "-o", str(target), "--apercu"]) == 0
    assert "encore 14 jours" in target.read_text(encoding="utf-8")  # CLI clock: fixed offset
    assert Store(cli_env).get_dossier(HOTEL).history[-1].action != "client_chased"  # type: ignore[union-attr]

    assert main(["lettre", BERNARD]) == 1
    assert "passée" in capsys.readouterr().err
    assert main(["lettre", GARAGE, "--type", "pigeon"]) == 2
    assert main(["lettre", GARAGE, "-o", str(tmp_path / "absent" / "x.txt")]) == 2


FLEURS = "815487541"  # simplified: the DGFiP is printing the code letter


def test_the_code_letter_has_one_wording_per_route(demo: Workspace) -> None:
    own = letter_for(demo, FLEURS, "code")
    cabinet = letter_for(demo, HOTEL, "code")
    # The client's own espace: it may activate it itself; on expiry the creation restarts.
    assert "code d'activation de son espace professionnel" in own
    assert "la création de l'espace est à recommencer" in own
    # The cabinet's adhesion: the code activates the services the cabinet asked for, and on
    # expiry the cabinet asks again; nothing sends the client to an espace it does not have.
    assert "active ces services" in cabinet and "notre cabinet" in cabinet
    assert "votre espace professionnel" not in cabinet
    assert "recommencer" not in cabinet and "nous referons la demande" in cabinet
    for text in (own, cabinet):
        assert "par téléphone" in text  # a safe channel for the code, not only a reply
        assert "60 jours après l'impression" not in text


def test_the_mandate_letter_of_the_expert_route_comes_from_the_cabinets_espace(
    demo: Workspace,
) -> None:
    text = letter_for(demo, RESTAURANT, "mandat")
    assert "espace professionnel de notre cabinet" in text and "édité ce mandat" in text
    assert "Éditer le mandat" not in text  # the client has no espace to print it from
    assert "l'impôt resterait dû" in text


def test_letters_write_as_a_cabinet_writes_to_its_client(demo: Workspace) -> None:
    for siren, type_id in ((GARAGE, "lien"), (HOTEL, "code"), (RESTAURANT, "mandat")):
        dossier = demo.get(siren)
        text = letter_for(demo, siren, type_id)
        assert f"votre société, {dossier.name} (SIREN " in text
        assert "à 00:00" not in text and ":00" not in text.split("Objet")[1]
        assert not re.search(r"\d+ j \d+ h|\d+ j\b", text), text
    assert "Merci de nous prévenir" in letter_for(demo, GARAGE, "lien")


def test_a_client_holding_its_own_espace_gets_the_habilitation_letter(
    workspace: Workspace,
) -> None:
    workspace.add_dossier(DossierDraft(siren="552081317", name="Atelier Moreau", mode="expert"))
    workspace.restart("552081317", "habilitation")
    state = workspace.state(workspace.get("552081317"))
    assert suggested_letter(state) is LETTERS_BY_ID["habilitation"]
    text = letter_for(workspace, "552081317")
    assert text.count("Votre société, Atelier Moreau (SIREN 552 081 317), dispose déjà") == 1
    assert "administrateur" in text and "rien n'est à recréer" in text


def test_every_blockage_where_the_client_acts_names_an_existing_letter(demo: Workspace) -> None:
    from espace_tui.domain.diagnosis_catalogue import CATALOGUE

    named = {kind.letter for kind in CATALOGUE if kind.letter}
    assert named <= set(LETTERS_BY_ID)
    assert {"habilitation", "adresse", "email", "paiement", "banque", "administrateur"} <= named
    for letter_id in named:
        text = letter_for(demo, RESTAURANT, letter_id)
        assert "otre société, Restaurant Le Provençal (SIREN 832 244 180)," in text, letter_id
    # A rejected payment: the tax is still due, paid another way first.
    assert "il reste dû" in letter_for(demo, RESTAURANT, "paiement")
