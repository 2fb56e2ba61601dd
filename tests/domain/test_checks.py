"""The automatic diagnosis: findings raised from the data alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from espace_tui.domain.checks import findings_for, run_checks
from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.diagnosis_catalogue import CATALOGUE_BY_ID
from espace_tui.domain.dossier import BankAccount, Dossier, MandateState, MandateType
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT, Fact
from espace_tui.domain.teleservices import ServiceState
from espace_tui.domain.validation import DossierDraft
from espace_tui.workspace import Workspace
from tests.sirens import valid_sirens

SIREN = "552081317"


def checks(ws: Workspace) -> list[tuple[str, str | None, str | None]]:
    return [(f.kind, f.siren, f.space_id) for f in run_checks(ws.dossiers(), ws.spaces(), ws.now())]


def add(ws: Workspace, siren: str = SIREN, mode: str = "simplifie", **kw: str) -> Dossier:
    change = ws.add_dossier(DossierDraft(siren=siren, name="Client", mode=mode, **kw))
    assert change.dossier is not None
    return change.dossier


def test_nothing_to_report_on_a_fresh_dossier(workspace: Workspace) -> None:
    add(workspace)
    workspace.tick(SIREN, "formulaire")
    assert checks(workspace) == []


def test_expired_link_is_found_unless_already_open(
    workspace: Workspace, clock: FrozenClock
) -> None:
    add(workspace)
    workspace.tick(SIREN, "formulaire")
    clock.advance(timedelta(hours=72, minutes=1))
    (finding,) = run_checks(workspace.dossiers(), workspace.spaces(), workspace.now())
    assert (finding.kind, finding.siren) == ("lien_expire", SIREN)
    assert "72 h" in finding.message
    workspace.open_blockage(SIREN, "lien_expire")
    assert checks(workspace) == []


def test_expired_letter_code_in_expert_mode(workspace: Workspace, clock: FrozenClock) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    add(workspace, mode="expert", space_id="principal")
    workspace.tick(SIREN, "adhesion")
    workspace.set_fact(SIREN, Fact.LETTER_PRINTED, clock.now())
    clock.advance(timedelta(days=60, hours=1))
    assert ("code_expire", SIREN, None) in checks(workspace)


def test_expert_space_code_expired_after_48_hours(workspace: Workspace, clock: FrozenClock) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    workspace.tick_space("principal", "coordonnees")
    clock.advance(timedelta(hours=47))
    assert checks(workspace) == []
    clock.advance(timedelta(hours=2))
    assert checks(workspace) == [("code_expert_expire", None, "principal")]


def test_expert_space_over_the_soft_limit(workspace: Workspace) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    drafts = [
        (i, DossierDraft(siren=s, name=f"Client {i}", mode="expert", space_id="principal"))
        for i, s in enumerate(valid_sirens(EXPERT_SPACE_SOFT_LIMIT + 1))
    ]
    workspace.import_drafts(drafts[:EXPERT_SPACE_SOFT_LIMIT])
    assert [c for c in checks(workspace) if c[0] == "espace_sature"] == []
    workspace.import_drafts(drafts[EXPERT_SPACE_SOFT_LIMIT:])
    crowded = run_checks(workspace.dossiers(), workspace.spaces(), workspace.now())
    assert [(f.kind, f.space_id) for f in crowded] == [("espace_sature", "principal")]
    assert f"{EXPERT_SPACE_SOFT_LIMIT + 1} SIREN" in crowded[0].message


def _with_services(ws: Workspace, dossier: Dossier, state: ServiceState, **changes: object) -> None:
    services = {"declarer_tva": state, "payer_tva": state}
    ws.store.put_dossier(replace(dossier, services=services, **changes))  # type: ignore[arg-type]


def test_payment_service_without_confirmed_b2b_mandate(workspace: Workspace) -> None:
    dossier = add(workspace)
    _with_services(workspace, dossier, ServiceState.REQUESTED)
    assert checks(workspace) == []  # not usable yet: the steps say what to do
    _with_services(workspace, dossier, ServiceState.ACTIVE)
    assert checks(workspace) == [("paiement_rejete", SIREN, None)]
    bank = BankAccount("FR7630006000011234567890189", "AGRIFRPP", MandateType.B2B)
    _with_services(workspace, dossier, ServiceState.ACTIVE, bank=bank)
    assert checks(workspace) == [("paiement_rejete", SIREN, None)]
    confirmed = replace(bank, mandate_state=MandateState.CONFIRMED)
    _with_services(workspace, dossier, ServiceState.ACTIVE, bank=confirmed)
    assert checks(workspace) == []
    # Every account has both mandates: a « CORE » choice does not remove the B2B one, which
    # the requested « Payer » services need.
    core = replace(bank, mandate_type=MandateType.CORE)
    _with_services(workspace, dossier, ServiceState.ACTIVE, bank=core)
    assert checks(workspace) == [("paiement_rejete", SIREN, None)]


def test_dated_first_payment_counts_even_before_activation(
    workspace: Workspace, clock: FrozenClock
) -> None:
    dossier = add(workspace)
    _with_services(workspace, dossier, ServiceState.REQUESTED)
    workspace.set_fact(SIREN, Fact.FIRST_PAYMENT, clock.now() + timedelta(days=20))
    assert checks(workspace) == [("paiement_rejete", SIREN, None)]


def test_one_login_email_on_two_espaces(workspace: Workspace) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    dossier = add(workspace, email_connexion="gerant@client.fr")
    assert checks(workspace) == []
    # Data written by an older version or by hand: the workspace would refuse it today.
    workspace.store.put_dossier(replace(dossier, email_connexion="Experts@Cabinet.fr"))
    findings = run_checks(workspace.dossiers(), workspace.spaces(), workspace.now())
    assert {(f.kind, f.siren, f.space_id) for f in findings} == {
        ("email_deja_utilise", SIREN, None),
        ("email_deja_utilise", None, "principal"),
    }
    assert "l'espace expert « principal »" in findings[0].message


def test_findings_for_a_dossier_include_its_space(workspace: Workspace, clock: FrozenClock) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    workspace.tick_space("principal", "coordonnees")
    dossier = add(workspace, mode="expert", space_id="principal")
    other = add(workspace, siren=valid_sirens(1)[0])
    clock.advance(timedelta(days=3))
    findings = run_checks(workspace.dossiers(), workspace.spaces(), workspace.now())
    assert [f.kind for f in findings_for(dossier.siren, findings, dossier)] == [
        "code_expert_expire"
    ]
    assert findings_for(other.siren, findings, other) == []


def test_every_finding_names_a_catalogue_entry(workspace: Workspace) -> None:
    from espace_tui.workspace.demo import fill_demo

    fill_demo(workspace.store, workspace.now())
    findings = run_checks(workspace.dossiers(), workspace.spaces(), workspace.now())
    assert findings
    assert all(f.kind in CATALOGUE_BY_ID for f in findings)
    # The demo's open blockages are not reported a second time.
    blocked = {(b.kind, d.siren) for d in workspace.dossiers() for b in d.blockages if b.is_open}
    assert not blocked & {(f.kind, f.siren) for f in findings}


def test_alert_lines_name_the_open_blockage_and_the_findings(
    workspace: Workspace, clock: FrozenClock
) -> None:
    from espace_tui.domain.checks import alert_lines, dossier_findings

    add(workspace)
    workspace.tick(SIREN, "formulaire")
    clock.advance(timedelta(hours=73))
    workspace.open_blockage(SIREN, "deja_adherent")
    dossier = workspace.get(SIREN)
    findings = dossier_findings(dossier, workspace.state(dossier))
    assert alert_lines(dossier, findings) == [
        "Blocage : Déjà un adhérent pour ce SIREN (b : diagnostic)",
        "Lien de validation expiré (72 h) : Le lien de validation a expiré (72 h). "
        "(b : diagnostic)",
    ]
