"""Applying remedies: what changes in the store (procedure, status, blockage, history)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.deadlines import Status
from espace_tui.domain.dossier import Dossier, MandateState, Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import CODE_VALIDITY
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from espace_tui.workspace.remedies import NewSpace, Remedies
from tests.sirens import valid_sirens

SIREN = "552081317"


def add_simplified(ws: Workspace, siren: str = SIREN, **kw: str) -> Dossier:
    change = ws.add_dossier(
        DossierDraft(siren=siren, name="Librairie Papier", mode="simplifie", **kw)
    )
    ws.tick(siren, "formulaire")
    assert change.dossier is not None
    return ws.get(siren)


def stored(data_dir: Path, siren: str = SIREN) -> Dossier:
    """Read back from disk with a fresh store: what another process would see."""
    dossier = Store(data_dir).get_dossier(siren)
    assert dossier is not None
    return dossier


@pytest.fixture
def remedies(workspace: Workspace) -> Remedies:
    return Remedies(workspace)


def test_record_opens_the_blockage_once(workspace: Workspace, remedies: Remedies) -> None:
    add_simplified(workspace)
    change = remedies.record(SIREN, "deja_adherent")
    assert change.dossier is not None
    assert workspace.state(change.dossier).status is Status.BLOCKED
    assert change.dossier.history[-1].detail == ("Blocage ouvert : Déjà un adhérent pour ce SIREN.")
    again = remedies.record(SIREN, "deja_adherent")
    assert again.dossier is not None
    assert len(again.dossier.blockages) == 1


def test_substitution_switches_procedure_and_lifts_the_blockage(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    remedies.record(SIREN, "deja_adherent")
    assert workspace.state(stored(data_dir)).status is Status.BLOCKED

    change = remedies.apply(SIREN, "deja_adherent", "substitution")

    after = stored(data_dir)
    assert change.dossier == after
    assert after.procedure_id == "substitution"
    assert after.events == {}
    assert workspace.state(after).status is not Status.BLOCKED
    (blockage,) = after.blockages
    assert blockage.remedy == "substitution"
    assert blockage.resolved_at == workspace.now()
    details = [h.detail for h in after.history]
    # Restarting keeps what came before: the form filled in the simplified procedure.
    assert any(
        d.startswith("Nouvelle procédure : Substitution") and "formulaire" in d for d in details
    )
    assert details[-1] == (
        "Blocage levé : Déjà un adhérent pour ce SIREN (remède : Demander une substitution)."
    )
    assert [h.action for h in after.history][:2] == ["created", "step_done"]


def test_substitution_needs_a_space_to_write_from(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    remedies.record(SIREN, "deja_adherent")
    before = stored(data_dir)
    with pytest.raises(InvalidInput) as err:
        remedies.apply(SIREN, "deja_adherent", "substitution")
    assert "messagerie" in err.value.message
    assert stored(data_dir) == before


def test_expert_adhesion_into_a_new_space_with_the_letter_countdown(
    workspace: Workspace, remedies: Remedies, clock: FrozenClock, data_dir: Path
) -> None:
    add_simplified(workspace)
    change = remedies.apply(
        SIREN,
        "deja_adherent",
        "adhesion_expert",
        new_space=NewSpace("annexe", "Espace de Lyon", "lyon@cabinet.fr"),
    )
    after = stored(data_dir)
    assert change.dossier == after
    assert (after.mode, after.procedure_id, after.space_id) == (
        Mode.EXPERT,
        "adhesion_expert",
        "annexe",
    )
    assert [s.id for s in workspace.spaces()] == ["annexe"]
    assert workspace.state(after).status is not Status.BLOCKED
    assert after.blockages[0].remedy == "adhesion_expert"
    # The 60-day window of the client's letter runs from the adhesion until the print date
    # is known.
    clock.advance(timedelta(hours=1))
    workspace.tick(SIREN, "adhesion")
    state = workspace.state(stored(data_dir))
    activation = next(s for s in state.steps if s.template.id == "activation_services")
    assert activation.deadline == clock.now() + CODE_VALIDITY
    assert activation.fallback


def test_expert_adhesion_into_an_existing_space(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    remedies.apply(SIREN, "deja_adherent", "adhesion_expert", space_id="principal")
    assert stored(data_dir).space_id == "principal"


def test_expert_adhesion_needs_a_space(workspace: Workspace, remedies: Remedies) -> None:
    add_simplified(workspace)
    with pytest.raises(InvalidInput) as err:
        remedies.apply(SIREN, "deja_adherent", "adhesion_expert")
    assert err.value.field == "Espace expert"


def test_a_failed_remedy_writes_nothing_and_leaves_no_undo(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace, email_connexion="gerant@papier.fr")
    before = stored(data_dir)
    undo_depth = workspace.can_undo
    with pytest.raises(InvalidInput):
        # The new space's login is the client's own: refused, so nothing at all happens.
        remedies.apply(
            SIREN,
            "deja_adherent",
            "adhesion_expert",
            new_space=NewSpace("annexe", "Lyon", "gerant@papier.fr"),
        )
    assert stored(data_dir) == before
    assert workspace.spaces() == []
    assert workspace.can_undo == undo_depth
    assert workspace.undo().dossier is not None  # the last undo is still the tick
    assert "formulaire" not in stored(data_dir).events


def test_one_undo_takes_the_whole_remedy_back(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    remedies.record(SIREN, "deja_adherent")
    remedies.apply(SIREN, "deja_adherent", "substitution")
    change = workspace.undo()
    after = stored(data_dir)
    assert "remède « Demander une substitution »" in change.message
    assert after.procedure_id == "simplifie"
    assert "formulaire" in after.events
    assert after.open_blockages and after.open_blockages[0].remedy is None
    assert workspace.state(after).status is Status.BLOCKED


def test_remedy_on_a_dossier_without_the_blockage_opens_and_resolves_it(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    remedies.apply(SIREN, "deja_adherent", "substitution")
    after = stored(data_dir)
    actions = [h.action for h in after.history]
    assert actions[-3:] == ["blockage", "restarted", "blockage_resolved"]
    assert not after.open_blockages


def test_tracked_remedy_keeps_blocking_until_its_step(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace, iban="FR7630006000011234567890189", bic="AGRIFRPP")
    change = remedies.apply(SIREN, "paiement_rejete", "mandat_b2b")
    assert "jusqu'à l'étape" in change.message
    after = stored(data_dir)
    assert after.procedure_id == "simplifie"
    assert after.blockages[0].remedy == "mandat_b2b"
    assert workspace.state(after).status is Status.BLOCKED
    assert after.history[-1].detail == (
        "Remède choisi : Éditer le mandat B2B et l'envoyer à la banque."
    )

    workspace.tick(SIREN, "mandat_b2b")
    lifted = stored(data_dir)
    assert not lifted.open_blockages
    assert workspace.state(lifted).status is not Status.BLOCKED
    assert lifted.history[-1].detail.endswith("Blocage levé.")


def test_bank_confirmation_also_lifts_the_payment_blockage(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace, iban="FR7630006000011234567890189", bic="AGRIFRPP")
    remedies.apply(SIREN, "paiement_rejete", "mandat_b2b")
    workspace.set_mandate_state(SIREN, MandateState.SENT_TO_BANK)
    assert stored(data_dir).open_blockages
    workspace.set_mandate_state(SIREN, MandateState.CONFIRMED)
    assert not stored(data_dir).open_blockages


def test_hand_lifted_remedy_stays_open_until_resolved(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    remedies.apply(SIREN, "deja_adherent", "delegation")
    after = stored(data_dir)
    (blockage,) = after.open_blockages
    workspace.tick(SIREN, "lien_email")
    assert stored(data_dir).open_blockages
    workspace.resolve_blockage(SIREN, blockage.id)
    resolved = stored(data_dir)
    assert resolved.blockages[0].remedy == "delegation"
    assert workspace.state(resolved).status is not Status.BLOCKED


def test_remedies_that_do_not_fit_the_dossier_are_refused(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    before = stored(data_dir)
    with pytest.raises(InvalidInput) as err:
        remedies.apply(SIREN, "code_expire", "adherer_a_nouveau")
    assert "Mode simplifié" in err.value.message
    with pytest.raises(InvalidInput):
        remedies.apply(SIREN, "deja_adherent", "recommencer_creation")
    with pytest.raises(InvalidInput):
        remedies.apply(SIREN, "inconnu", "substitution")
    assert stored(data_dir) == before


def test_restart_of_an_expired_link(
    workspace: Workspace, remedies: Remedies, clock: FrozenClock, data_dir: Path
) -> None:
    add_simplified(workspace)
    clock.advance(timedelta(hours=73))
    assert workspace.state(stored(data_dir)).status is Status.EXPIRED
    remedies.apply(SIREN, "lien_expire", "recommencer_creation")
    after = stored(data_dir)
    assert after.procedure_id == "simplifie"
    assert after.events == {}
    assert workspace.state(after).status is Status.OK
    assert any(h.action == "restarted" for h in after.history)


def test_expired_expert_space_code_restarts_the_space(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    workspace.tick_space("principal", "identifiants")
    workspace.add_dossier(DossierDraft(siren=SIREN, name="Papier", mode="expert"))
    remedies.apply(SIREN, "code_expert_expire", "recommencer_espace_expert")
    space = workspace.get_space("principal")
    assert space.events == {}
    assert space.history[-1].action == "restarted"
    assert not stored(data_dir).open_blockages


def test_crowded_space_moves_a_siren_to_another_space_only(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    workspace.add_space("annexe", "Espace de Lyon", "lyon@cabinet.fr")
    siren = valid_sirens(1)[0]
    workspace.add_dossier(
        DossierDraft(siren=siren, name="Papier", mode="expert", space_id="principal")
    )
    with pytest.raises(InvalidInput):
        remedies.apply(siren, "espace_sature", "repartir_espaces", space_id="principal")
    remedies.apply(siren, "espace_sature", "repartir_espaces", space_id="annexe")
    assert stored(data_dir, siren).space_id == "annexe"
    workspace.tick(siren, "adhesion")
    with pytest.raises(InvalidInput) as err:
        remedies.apply(siren, "espace_sature", "repartir_espaces", space_id="principal")
    assert "adhésion est déjà faite" in err.value.message


def test_first_step_done_now_starts_the_letter_countdown_at_once(
    workspace: Workspace, remedies: Remedies, data_dir: Path
) -> None:
    add_simplified(workspace)
    workspace.add_space("principal", "Espace principal", "experts@cabinet.fr")
    remedies.apply(
        SIREN, "deja_adherent", "adhesion_expert", space_id="principal", first_step_done=True
    )
    after = stored(data_dir)
    assert after.events == {"adhesion": workspace.now()}
    state = workspace.state(after)
    assert state.next_deadline == workspace.now() + CODE_VALIDITY
    # Still one undo for the whole remedy.
    workspace.undo()
    assert stored(data_dir).procedure_id == "simplifie"
