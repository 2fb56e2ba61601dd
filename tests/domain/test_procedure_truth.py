"""Facts the domain review corrected: each test pins the corrected fact or wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, step_state
from espace_tui.domain.diagnosis import diagnose
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, CATALOGUE_BY_ID
from espace_tui.domain.guide import render_markdown
from espace_tui.domain.procedures import (
    EXPERT_ADHESION,
    PROCEDURES,
    SIMPLIFIED,
    SUBSTITUTION,
    Condition,
    Fact,
    Owner,
)
from espace_tui.domain.sources import SOURCES_BY_CITATION
from espace_tui.domain.teleservices import SIMPLIFIED_AUTOMATIC, TELESERVICES_BY_ID

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _all_texts() -> str:
    return render_markdown()


def test_the_start_of_the_60_days_is_shown_as_unverified() -> None:
    countdown = SIMPLIFIED.step("activation").countdown
    assert countdown is not None
    assert "non vérifié" in countdown.anchor_note
    events = {Fact.LETTER_PRINTED.value: T0, "lien_email": T0 - timedelta(days=3)}
    shown = step_state(SIMPLIFIED.step("activation"), events, frozenset(), T0, DEFAULT_THRESHOLDS)
    assert shown.anchor_note == countdown.anchor_note
    # Without the print date, the earlier (safer) link click is used, and said.
    del events[Fact.LETTER_PRINTED.value]
    shown = step_state(SIMPLIFIED.step("activation"), events, frozenset(), T0, DEFAULT_THRESHOLDS)
    assert shown.fallback and "lien de validation" in shown.anchor_note
    guide = _all_texts()
    assert countdown.anchor_note in guide
    assert "60 jours après l'impression du courrier" not in guide


def test_the_b2b_step_depends_on_payment_services_only() -> None:
    for proc in (SIMPLIFIED, EXPERT_ADHESION, SUBSTITUTION):
        assert proc.step("mandat_b2b").condition is Condition.PAYMENT_REQUESTED
        assert "CORE ou B2B" not in proc.step("compte_bancaire").label
        assert "deux mandats, CORE et B2B" in proc.step("compte_bancaire").help


def test_in_the_expert_route_the_account_lives_in_the_cabinets_espace() -> None:
    for proc in (EXPERT_ADHESION, SUBSTITUTION):
        account = proc.step("compte_bancaire")
        assert account.owner is Owner.CABINET
        assert "espace du cabinet" in account.label
        mandate = proc.step("mandat_b2b")
        assert mandate.owner is Owner.CLIENT and mandate.also_owner is Owner.BANQUE
        assert "édité par le cabinet" in mandate.label
    assert SIMPLIFIED.step("compte_bancaire").owner is Owner.CLIENT


def test_tva_ue_services_are_not_automatic_in_simplified_mode() -> None:
    for service_id in ("remboursement_tva_ue", "guichet_tva_ue", "franchise_tva_ue"):
        assert TELESERVICES_BY_ID[service_id].complementary
        assert service_id not in SIMPLIFIED_AUTOMATIC


def test_only_the_tutorials_quote_is_presented_as_a_site_message() -> None:
    quoted = [kind.id for kind in CATALOGUE if kind.official_message]
    assert quoted == ["deja_adherent"]
    # Even that one is not claimed verbatim.
    assert "non vérifié" in CATALOGUE_BY_ID["deja_adherent"].message_label
    assert CATALOGUE_BY_ID["email_deja_utilise"].message_label == "Symptôme"


def test_the_substitution_is_unverified_and_has_its_bank_steps() -> None:
    assert SUBSTITUTION.unverified and SUBSTITUTION.known
    assert all(step.unverified for step in SUBSTITUTION.steps)
    assert SUBSTITUTION.has_step("compte_bancaire") and SUBSTITUTION.has_step("mandat_b2b")
    guide = _all_texts()
    assert "Procédure non vérifiée" in guide and SUBSTITUTION.known in guide


def test_every_source_is_real_or_the_fact_is_unverified() -> None:
    guide = _all_texts()
    assert "FAQ officielle" not in guide
    for proc in PROCEDURES.values():
        for step in proc.steps:
            source = SOURCES_BY_CITATION[step.source]
            assert (
                source.url or source.id in ("SEED", "PRACTICE") or source.title.startswith("Fiche")
            )
    # The B2B list, the CFE exemption and DAC6 / TGAP no longer cite an official FAQ.
    assert not SOURCES_BY_CITATION[SIMPLIFIED.step("mandat_b2b").source].official
    assert "*(non vérifié)*" in guide.split("Déclarer dispositif DAC6", 2)[2][:40]


def test_smaller_wordings() -> None:
    guide = _all_texts()
    assert "informations récapitulatives de votre espace" in guide
    assert "attestation de création" not in guide
    assert "> Adhérer aux services" not in guide and "Mes services > J'adhère" in guide
    assert "Une fois par cabinet" not in guide
    assert "abonné" not in guide
    assert "de 8 h à 19 h 30" in guide and "08:00" not in guide


def test_every_everyday_situation_is_found_from_a_plain_description() -> None:
    situations = {
        "le client a créé son espace tout seul et on n'y a pas accès": "espace_client_existant",
        "l'ancien cabinet a encore les accès": "changement_cabinet",
        "le courrier est parti chez le domiciliataire": "code_mauvaise_adresse",
        "micro-entrepreneur qui ne trouve pas son avis de CFE": "espace_particulier",
        "le client n'a pas d'adresse e-mail": "email_entreprise_manquant",
        "SCI : on nous demande l'identifiant de dossier": "sci_identifiant_dossier",
        "le gérant est parti et plus personne n'a accès": "titulaire_parti",
        "le client change de banque": "changement_banque",
        "les déclarations passent par un partenaire EDI": "partenaire_edi",
    }
    for text, kind_id in situations.items():
        found = diagnose(text)
        assert found.candidates and found.candidates[0].kind.id == kind_id, text
        assert kind_id in _all_texts() or CATALOGUE_BY_ID[kind_id].title in _all_texts()


def test_a_rejected_payment_says_the_tax_is_still_due_first() -> None:
    first = CATALOGUE_BY_ID["paiement_rejete"].remedies[0]
    assert first.id == "payer_autrement"
    assert any("reste dû" in step for step in first.steps)
