"""The application service: validation, history, expert spaces, undo and bulk import."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.deadlines import Status
from espace_tui.domain.dossier import MandateState, Mode
from espace_tui.domain.errors import InvalidInput, NotFound, UserError
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT
from espace_tui.domain.teleservices import ServiceState
from espace_tui.domain.validation import DossierDraft
from espace_tui.store import atomic
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.sirens import valid_sirens


def draft(siren: str = "552081317", **kw: str) -> DossierDraft:
    return DossierDraft(
        siren=siren, name=kw.pop("name", "Danone"), mode=kw.pop("mode", "simplifie"), **kw
    )


def test_add_validates_and_records_history(workspace: Workspace) -> None:
    change = workspace.add_dossier(draft("552 081 317", email_connexion="Gerant@Danone.fr"))
    assert change.dossier is not None
    stored = workspace.get("552081317")
    assert stored.name == "Danone"
    assert stored.email_connexion == "Gerant@danone.fr"
    assert [h.action for h in stored.history] == ["created"]


def test_add_refuses_duplicates_and_bad_input(workspace: Workspace) -> None:
    workspace.add_dossier(draft())
    with pytest.raises(InvalidInput, match="déjà suivi"):
        workspace.add_dossier(draft("552081317", name="Autre"))
    with pytest.raises(InvalidInput, match="SIREN"):
        workspace.add_dossier(draft("123456789"))
    with pytest.raises(InvalidInput, match="E-mail de l'entreprise"):
        workspace.add_dossier(draft("732829320", email_entreprise="pas-un-mail"))
    assert [d.siren for d in workspace.dossiers()] == ["552081317"]


def test_one_login_email_cannot_serve_two_espaces(workspace: Workspace) -> None:
    workspace.add_dossier(draft(email_connexion="gerant@exemple.fr"))
    with pytest.raises(InvalidInput) as err:
        workspace.add_dossier(draft("732829320", name="Autre", email_connexion="GERANT@exemple.fr"))
    assert "552 081 317 (Danone)" in err.value.message
    with pytest.raises(InvalidInput, match="552 081 317"):
        workspace.add_space("principal", "Principal", "gerant@exemple.fr")
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    with pytest.raises(InvalidInput, match="principal"):
        workspace.add_dossier(
            draft("732829320", name="Autre", email_connexion="experts@cabinet.fr")
        )


def test_expert_dossier_needs_a_known_space(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput, match="Espace expert"):
        workspace.add_dossier(draft(mode="expert", space_id="inconnu"))
    workspace.add_space("principal", "", "experts@cabinet.fr")
    dossier = workspace.add_dossier(draft(mode="expert")).dossier
    assert dossier is not None and dossier.space_id == "principal"  # the only space


def test_the_101st_siren_of_a_space_warns_and_suggests_another(
    store: Store, clock: FrozenClock
) -> None:
    ws = Workspace(store, clock)
    ws.add_space("principal", "", "experts@cabinet.fr")
    ws.add_space("lyon", "", "lyon@cabinet.fr")
    sirens = valid_sirens(EXPERT_SPACE_SOFT_LIMIT + 1)
    rows = [
        (i, draft(s, name=f"Client {i}", mode="expert", space_id="principal"))
        for i, s in enumerate(sirens[:-1])
    ]
    report = ws.import_drafts(rows)
    assert not report.errors and len(report.imported) == EXPERT_SPACE_SOFT_LIMIT
    change = ws.add_dossier(draft(sirens[-1], name="Le 101e", mode="expert", space_id="principal"))
    assert len(change.warnings) == 1
    assert "101 SIREN" in change.warnings[0]
    assert "« lyon »" in change.warnings[0]


def test_tick_untick_and_append_only_history(workspace: Workspace, clock: FrozenClock) -> None:
    workspace.add_dossier(draft())
    workspace.tick("552081317", "formulaire")
    assert workspace.state(workspace.get("552081317")).status is Status.SOON
    clock.advance(timedelta(hours=1))
    workspace.untick("552081317", "formulaire")
    d = workspace.get("552081317")
    assert "formulaire" not in d.events
    assert [h.action for h in d.history] == ["created", "step_done", "step_undone"]
    with pytest.raises(InvalidInput, match="Étape"):
        workspace.tick("552081317", "n_existe_pas")
    with pytest.raises(InvalidInput, match="futur"):
        workspace.tick("552081317", "formulaire", clock.now() + timedelta(days=1))
    with pytest.raises(NotFound):
        workspace.tick("732829320", "formulaire")


def test_letter_and_activation_move_services(workspace: Workspace) -> None:
    workspace.add_space("principal", "", "experts@cabinet.fr")
    workspace.add_dossier(draft(mode="expert"))
    workspace.set_services("552081317", ["messagerie", "payer_tva"])
    workspace.tick("552081317", "courrier_code")
    assert set(workspace.get("552081317").services.values()) == {ServiceState.AWAITING_CODE}
    workspace.tick("552081317", "activation_services")
    assert set(workspace.get("552081317").services.values()) == {ServiceState.ACTIVE}


def test_mandate_confirmation_ticks_the_step(workspace: Workspace) -> None:
    workspace.add_dossier(draft("732829320", name="Sans banque"))
    with pytest.raises(InvalidInput, match="compte bancaire"):
        workspace.set_mandate_state("732829320", MandateState.CONFIRMED)
    workspace.add_dossier(draft(iban="FR7630006000011234567890189", bic="BNPAFRPP"))
    workspace.set_mandate_state("552081317", MandateState.SENT_TO_BANK)
    assert "mandat_b2b" not in workspace.get("552081317").events
    workspace.set_mandate_state("552081317", MandateState.CONFIRMED)
    assert "mandat_b2b" in workspace.get("552081317").events


def test_undo_restores_the_previous_dossier_and_keeps_history(workspace: Workspace) -> None:
    workspace.add_dossier(draft())
    workspace.tick("552081317", "formulaire")
    workspace.undo()
    d = workspace.get("552081317")
    assert "formulaire" not in d.events
    assert [h.action for h in d.history] == ["created", "step_done", "undo"]
    workspace.undo()  # undoes the creation
    assert workspace.dossiers() == []
    assert workspace.undo().message == "Rien à annuler."


def test_restart_keeps_history_and_can_switch_procedure(workspace: Workspace) -> None:
    workspace.add_space("principal", "", "experts@cabinet.fr")
    workspace.add_dossier(draft())
    workspace.tick("552081317", "formulaire")
    workspace.restart("552081317")
    d = workspace.get("552081317")
    assert d.events == {}
    assert "formulaire" in d.history[-1].detail
    workspace.restart("552081317", "adhesion_expert", space_id="principal")
    d = workspace.get("552081317")
    assert d.procedure_id == "adhesion_expert" and d.mode is Mode.EXPERT
    assert d.space_id == "principal"
    assert len(d.history) == 4


def test_import_writes_once_and_is_all_or_nothing(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[Path] = []
    real = atomic.atomic_write_bytes

    def counting(path: Path, payload: bytes) -> None:
        writes.append(path)
        real(path, payload)

    monkeypatch.setattr(atomic, "atomic_write_bytes", counting)
    sirens = valid_sirens(2000)
    rows = [(i + 2, draft(s, name=f"Client {i}")) for i, s in enumerate(sirens)]
    bad = [*rows, (9999, draft("123456789", name="Mauvais"))]
    report = workspace.import_drafts(bad)
    assert report.errors and report.errors[0][0] == 9999
    assert workspace.dossiers() == [] and writes == []
    report = workspace.import_drafts(bad, skip_invalid=True)
    assert len(report.imported) == 2000
    assert len(writes) == 1
    assert len(workspace.dossiers()) == 2000


def test_import_reports_duplicates_inside_the_file(workspace: Workspace) -> None:
    rows = [(2, draft()), (3, draft(name="Encore Danone"))]
    report = workspace.import_drafts(rows)
    assert report.errors == [
        (
            3,
            "SIREN : 552 081 317 en double dans le fichier (déjà ligne 2) : "
            "gardez une seule ligne.",
        )
    ]


def test_services_default_by_mode_and_can_be_chosen(workspace: Workspace) -> None:
    from espace_tui.domain.teleservices import TELESERVICES

    workspace.add_space("principal", "", "experts@cabinet.fr")
    simple = workspace.add_dossier(draft()).dossier
    assert simple is not None
    automatic = {s.id for s in TELESERVICES if not s.complementary}
    assert set(simple.services) == automatic  # the simplified creation adheres to all but these
    assert "remboursement_tva_ue" not in simple.services
    chosen = workspace.add_dossier(
        draft("732829320", name="Expert", mode="expert", services="Messagerie; payer_tva")
    ).dossier
    assert chosen is not None and list(chosen.services) == ["messagerie", "payer_tva"]
    # Messagerie ticked: its e-mail validation step applies.
    steps = {s.template.id: s for s in workspace.state(chosen).steps}
    assert steps["messagerie_email"].applies
    with pytest.raises(InvalidInput, match="Services"):
        workspace.add_dossier(draft("356000000", name="X", services="TVA magique"))


def test_letter_print_date_cannot_be_in_the_future_and_warns_when_out_of_order(
    workspace: Workspace, clock: FrozenClock
) -> None:
    from espace_tui.domain.procedures import Fact

    workspace.add_dossier(draft())
    workspace.tick("552081317", "formulaire", clock.now() - timedelta(days=3))
    workspace.tick("552081317", "lien_email", clock.now() - timedelta(days=2))
    with pytest.raises(InvalidInput, match="futur"):
        workspace.set_fact("552081317", Fact.LETTER_PRINTED, clock.now() + timedelta(days=3))
    change = workspace.set_fact("552081317", Fact.LETTER_PRINTED, clock.now() - timedelta(days=5))
    assert len(change.warnings) == 1 and "antérieure" in change.warnings[0]
    ok = workspace.set_fact("552081317", Fact.LETTER_PRINTED, clock.now() - timedelta(days=1))
    assert ok.warnings == ()
    # A first payment is planned ahead: a future date is the normal case.
    assert workspace.set_fact("552081317", Fact.FIRST_PAYMENT, clock.now() + timedelta(days=20))


def test_undo_is_shared_by_every_program_and_lasts_a_restart(
    store: Store, clock: FrozenClock, data_dir: Path
) -> None:
    dashboard = Workspace(store, clock)
    cli = Workspace(Store(data_dir), clock)  # another program on the same folder
    dashboard.add_dossier(draft())
    dashboard.set_notes("552081317", "Relancer lundi")
    cli.tick("552081317", "formulaire")
    # The dashboard's undo takes back the last change, made by the CLI: the notes stay.
    assert "formulaire" in dashboard.next_undo().label  # type: ignore[union-attr]
    dashboard.undo()
    assert "formulaire" not in dashboard.get("552081317").events
    assert dashboard.get("552081317").notes == "Relancer lundi"
    restarted = Workspace(Store(data_dir), clock)  # a new program: undo is still there
    assert "Notes" in restarted.undo().message
    assert restarted.get("552081317").notes == ""
    # Redo brings the notes back, then the tick, in the order they were made.
    restarted.redo()
    assert cli.redo().message.startswith("Modification rétablie")
    assert "formulaire" in cli.get("552081317").events
    assert cli.get("552081317").notes == "Relancer lundi"
    assert cli.redo().message == "Rien à rétablir."


def test_undo_refuses_to_erase_a_change_made_elsewhere_since(
    store: Store, clock: FrozenClock, data_dir: Path
) -> None:
    dashboard = Workspace(store, clock)
    dashboard.add_dossier(draft())
    dashboard.tick("552081317", "formulaire")
    # Another program (an older version, a hand edit) changed the same step's date since.
    other = Store(data_dir)
    moved = dashboard.get("552081317")
    other.put_dossier(replace(moved, events={"formulaire": clock.now() - timedelta(days=1)}))
    with pytest.raises(UserError, match="modifié"):
        dashboard.undo()
    assert dashboard.get("552081317").events == {"formulaire": clock.now() - timedelta(days=1)}
    assert dashboard.can_undo  # still there: nothing was taken back


def test_undo_of_a_tick_keeps_a_step_ticked_since_outside_the_journal(
    store: Store, clock: FrozenClock, data_dir: Path
) -> None:
    ws = Workspace(store, clock)
    ws.add_dossier(draft())
    ws.tick("552081317", "formulaire")
    other = Store(data_dir)
    d = ws.get("552081317")
    other.put_dossier(replace(d, events={**d.events, "lien_email": clock.now()}))
    ws.undo()  # only the step the tick set is taken back
    assert ws.get("552081317").events == {"lien_email": clock.now()}


def test_edit_reads_the_dossier_under_the_lock(
    store: Store, clock: FrozenClock, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dashboard = Workspace(store, clock)
    cli = Workspace(Store(data_dir), clock)
    dashboard.add_dossier(draft())
    real_transaction = store.transaction
    raced: list[object] = []

    def transaction_after_a_cli_tick():  # type: ignore[no-untyped-def]
        if not raced:  # the other program writes just before the edit takes the lock
            raced.append(cli.tick("552081317", "formulaire"))
        return real_transaction()

    monkeypatch.setattr(store, "transaction", transaction_after_a_cli_tick)
    dashboard.edit_dossier("552081317", draft(name="Danone SA"))
    after = Workspace(Store(data_dir), clock).get("552081317")
    assert after.name == "Danone SA"
    assert "formulaire" in after.events


def test_a_setting_is_merged_with_the_others(workspace: Workspace) -> None:
    workspace.set_setting("theme", "textual-light")
    workspace.set_setting("keymap", {"undo": "ctrl+z"})
    assert workspace.settings() == {"theme": "textual-light", "keymap": {"undo": "ctrl+z"}}
