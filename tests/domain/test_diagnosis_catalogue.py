"""The catalogue is consistent data, and remedies are offered only where they apply."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.diagnosis import (
    countdown_text,
    diagnose,
    diagnose_kind,
    helpline_text,
    lifted_by,
    remedy_steps,
)
from espace_tui.domain.diagnosis_catalogue import (
    CATALOGUE,
    CATALOGUE_BY_ID,
    Action,
    BlockageKind,
    Lift,
    blockage_title,
    remedy_label,
)
from espace_tui.domain.dossier import Blockage, Dossier, ExpertSpace, Mode
from espace_tui.domain.procedures import PROCEDURES
from espace_tui.domain.teleservices import ServiceState

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
REQUIRED = {
    "deja_adherent",
    "lien_expire",
    "code_expert_expire",
    "code_expire",
    "courrier_non_recu",
    "email_deja_utilise",
    "siren_inconnu",
    "paiement_rejete",
    "service_manquant",
    "espace_sature",
    "messagerie_inactive",
}
SPACE = ExpertSpace("principal", "Principal", "experts@cabinet.fr", T0)


def dossier(mode: Mode = Mode.SIMPLIFIED, **kw: object) -> Dossier:
    return Dossier(siren="552081317", name="Papier", mode=mode, created_at=T0, **kw)  # type: ignore[arg-type]


def applicable(kind_id: str, d: Dossier, spaces: tuple[ExpertSpace, ...] = ()) -> list[str]:
    return [r.id for r in diagnose_kind(kind_id, d, spaces).applicable]


def test_every_blockage_of_the_procedure_is_in_the_catalogue() -> None:
    assert set(CATALOGUE_BY_ID) >= REQUIRED
    assert len(CATALOGUE_BY_ID) == len(CATALOGUE)
    assert len({k.title for k in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda k: k.id)
def test_entry_is_complete_and_references_real_steps(kind: BlockageKind) -> None:
    assert kind.title and kind.message and kind.causes and kind.remedies and kind.source
    for ref in kind.expired_steps:
        assert PROCEDURES[ref.procedure_id].step(ref.step_id).countdown is not None
    for remedy in kind.remedies:
        assert remedy.label and remedy.source
        assert remedy.steps or remedy.procedure_id or remedy.action is Action.RESTART
        for ref in remedy.countdowns:
            assert PROCEDURES[ref.procedure_id].step(ref.step_id).countdown is not None
            assert countdown_text(ref)
        if remedy.procedure_id:
            assert remedy.procedure_id in PROCEDURES
        for pid in remedy.procedures:
            assert pid in PROCEDURES
        if remedy.lift is Lift.ON_STEP:
            assert remedy.lift_step and remedy.procedures
            assert all(PROCEDURES[p].has_step(remedy.lift_step) for p in remedy.procedures)


def test_a_remedy_id_means_one_remedy() -> None:
    seen: dict[str, object] = {}
    for kind in CATALOGUE:
        for remedy in kind.remedies:
            assert seen.setdefault(remedy.id, remedy) is remedy


def test_titles_and_labels_for_stored_ids() -> None:
    assert blockage_title("deja_adherent") == "Déjà un adhérent pour ce SIREN"
    assert blockage_title("courrier_non_recu").startswith("Courrier du code")
    assert blockage_title("ancien_type") == "ancien_type"
    assert remedy_label("substitution") == "Demander une substitution"
    assert remedy_label("adhesion_expert") == "Adhérer en mode expert"


def test_helpline_is_given_with_its_hours() -> None:
    text = helpline_text()
    assert "0 809 400 210" in text
    assert "du lundi au vendredi de 8 h à 19 h 30" in text
    assert "non vérifiés" in text


def test_countdowns_are_read_from_the_procedures() -> None:
    (ref,) = CATALOGUE_BY_ID["deja_adherent"].remedy("substitution").countdowns
    assert countdown_text(ref).startswith(
        "Saisir le code pour activer les services demandés par le cabinet : 60 j"
    )
    link = CATALOGUE_BY_ID["lien_expire"].remedies[0].countdowns[0]
    assert " : 72 h (départ : étape « Remplir le formulaire »)" in countdown_text(link)


def test_steps_of_a_procedure_remedy_come_from_the_procedure() -> None:
    remedy = CATALOGUE_BY_ID["deja_adherent"].remedy("substitution")
    labels = [label for label, _ in remedy_steps(remedy)]
    assert labels == [s.label for s in PROCEDURES["substitution"].steps]


# -- context: only what applies to this dossier --------------------------------------------


def test_deja_adherent_on_a_simplified_dossier() -> None:
    alone = dossier()
    assert applicable("deja_adherent", alone) == ["adhesion_expert", "habilitation", "delegation"]
    reason = diagnose_kind("deja_adherent", alone).options[0].reason
    assert "espace expert" in reason
    # Once the cabinet has an expert space, the request can be sent from its messagerie.
    assert applicable("deja_adherent", alone, (SPACE,)) == [
        "substitution",
        "adhesion_expert",
        "habilitation",
        "delegation",
    ]
    # The client's own space exists once its services are active.
    active = dossier(services={"messagerie": ServiceState.ACTIVE})
    assert "substitution" in applicable("deja_adherent", active)


def test_deja_adherent_on_an_expert_adhesion_offers_substitution_only() -> None:
    expert = dossier(Mode.EXPERT, space_id="principal")
    assert applicable("deja_adherent", expert, (SPACE,)) == [
        "substitution",
        "habilitation",
        "delegation",
    ]
    excluded = [o for o in diagnose_kind("deja_adherent", expert).options if not o.applies]
    assert [o.remedy.id for o in excluded] == ["adhesion_expert"]
    assert "Mode simplifié" in excluded[0].reason


def test_nothing_to_switch_to_when_already_in_substitution() -> None:
    sub = dossier(Mode.EXPERT, space_id="principal", procedure_id="substitution")
    assert applicable("deja_adherent", sub, (SPACE,)) == ["delegation"]


def test_expired_code_remedy_follows_the_mode() -> None:
    assert applicable("code_expire", dossier()) == ["recommencer_creation"]
    expert = dossier(Mode.EXPERT, space_id="principal")
    assert applicable("code_expire", expert) == ["adherer_a_nouveau"]


def test_messagerie_remedy_needs_the_service_requested() -> None:
    expert = dossier(Mode.EXPERT, space_id="principal")
    assert applicable("messagerie_inactive", expert) == []
    with_mail = replace(expert, services={"messagerie": ServiceState.REQUESTED})
    assert applicable("messagerie_inactive", with_mail) == ["revalider_email"]


def test_without_a_dossier_every_remedy_is_listed() -> None:
    kind = CATALOGUE_BY_ID["deja_adherent"]
    assert len(diagnose_kind("deja_adherent").applicable) == len(kind.remedies)


def test_a_dossier_ranks_what_can_happen_in_its_mode_first() -> None:
    plain = [c.kind.id for c in diagnose("code d'activation expiré").candidates]
    assert "code_expert_expire" in plain
    in_context = [c.kind.id for c in diagnose("code d'activation expiré", dossier()).candidates]
    assert in_context[0] == "code_expire"
    assert "code_expert_expire" not in in_context


def test_lifted_by_names_blockages_whose_remedy_ends_with_the_step() -> None:
    chosen = Blockage("b1", "paiement_rejete", T0, remedy="mandat_b2b")
    waiting = Blockage("b2", "paiement_rejete", T0)
    by_hand = Blockage("b3", "deja_adherent", T0, remedy="delegation")
    d = dossier(blockages=(chosen, waiting, by_hand))
    assert lifted_by(d, "mandat_b2b") == ("b1",)
    assert lifted_by(d, "compte_bancaire") == ()
