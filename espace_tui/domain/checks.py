"""The diagnosis that runs by itself: blockages visible in the data before anyone pastes a
message. Each finding names a catalogue entry, so it offers the same remedies.

Checks: an expired window, an expert dossier attached to no expert space, an expert space
over ~100 SIREN, a payment service without a B2B mandate confirmed by the bank, one login
e-mail used by two espaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Thresholds, TrackState, track_state
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, StepRef, blockage_title, remedy_label
from espace_tui.domain.dossier import Dossier, ExpertSpace, MandateState, Mode
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT, Condition, Fact
from espace_tui.domain.teleservices import TELESERVICES_BY_ID, ServiceState

# Which catalogue entry an expired window means, read from the catalogue itself.
_KIND_OF_EXPIRED: dict[StepRef, str] = {
    ref: kind.id for kind in CATALOGUE for ref in kind.expired_steps
}


@dataclass(frozen=True)
class Finding:
    kind: str
    message: str
    siren: str | None = None
    space_id: str | None = None


def expired_findings(item: Dossier | ExpertSpace, state: TrackState) -> list[Finding]:
    findings = []
    for step in state.expired_steps:
        kind = _KIND_OF_EXPIRED.get(StepRef(state.procedure.id, step.template.id))
        if kind is None or step.template.countdown is None:
            continue
        if isinstance(item, Dossier):
            findings.append(Finding(kind, step.template.countdown.expiry, siren=item.siren))
        else:
            findings.append(Finding(kind, step.template.countdown.expiry, space_id=item.id))
    return findings


def payment_finding(dossier: Dossier) -> Finding | None:
    """A payment service usable (activated, or a first payment dated) while the bank has not
    confirmed the B2B mandate: the first payment will be rejected. A dossier that has not
    reached activation is only following its steps, not blocked."""
    payments = [
        s for s in dossier.services if s in TELESERVICES_BY_ID and TELESERVICES_BY_ID[s].payment
    ]
    if not payments or Condition.PAYMENT_REQUESTED not in dossier.conditions():
        return None
    if dossier.bank is not None and dossier.bank.mandate_state is MandateState.CONFIRMED:
        return None
    usable = Fact.FIRST_PAYMENT.value in dossier.events or any(
        dossier.services[s] is ServiceState.ACTIVE for s in payments
    )
    if not usable:
        return None
    labels = ", ".join(TELESERVICES_BY_ID[s].label for s in payments)
    return Finding(
        "paiement_rejete",
        f"Service de paiement ({labels}) sans mandat B2B enregistré par la banque : le premier "
        "paiement sera rejeté.",
        siren=dossier.siren,
    )


UNATTACHED_MESSAGE = (
    "En mode expert sans espace expert du cabinet : rattachez-le à l'espace depuis lequel "
    "l'adhésion est faite (ou déclarez cet espace)."
)


def unattached_finding(dossier: Dossier) -> Finding | None:
    """An expert dossier attached to none of the cabinet's expert spaces."""
    if dossier.mode is not Mode.EXPERT or dossier.space_id is not None:
        return None
    return Finding("sans_espace_expert", UNATTACHED_MESSAGE, siren=dossier.siren)


def shared_login_findings(
    dossiers: Sequence[Dossier], spaces: Sequence[ExpertSpace]
) -> list[Finding]:
    """One login e-mail = one espace: every holder of a shared address gets a finding."""
    holders: dict[str, list[tuple[str, Dossier | ExpertSpace]]] = {}
    for d in dossiers:
        if d.email_connexion:
            holders.setdefault(d.email_connexion.casefold(), []).append(
                (f"le dossier {format_siren(d.siren)} ({d.name})", d)
            )
    for s in spaces:
        if s.login_email:
            holders.setdefault(s.login_email.casefold(), []).append(
                (f"l'espace expert « {s.id} »", s)
            )
    findings = []
    for email, owners in holders.items():
        if len(owners) < 2:
            continue
        for _, owner in owners:
            others = ", ".join(name for name, other in owners if other is not owner)
            message = f"L'e-mail de connexion {email} sert aussi à {others}."
            if isinstance(owner, Dossier):
                findings.append(Finding("email_deja_utilise", message, siren=owner.siren))
            else:
                findings.append(Finding("email_deja_utilise", message, space_id=owner.id))
    return findings


def crowded_space_findings(
    dossiers: Sequence[Dossier], spaces: Sequence[ExpertSpace]
) -> list[Finding]:
    findings = []
    for space in spaces:
        count = sum(1 for d in dossiers if d.space_id == space.id)
        if count > EXPERT_SPACE_SOFT_LIMIT:
            findings.append(
                Finding(
                    "espace_sature",
                    f"L'espace expert « {space.id} » gère {count} SIREN (au-delà d'environ "
                    f"{EXPERT_SPACE_SOFT_LIMIT}, il ralentit ou se bloque).",
                    space_id=space.id,
                )
            )
    return findings


def dossier_findings(dossier: Dossier, state: TrackState) -> list[Finding]:
    """What one dossier shows by itself (expired windows, payment at risk), once per kind,
    leaving out a blockage already open on it. Cheap enough for every redraw."""
    found = expired_findings(dossier, state)
    for extra in (unattached_finding(dossier), payment_finding(dossier)):
        if extra is not None:
            found.append(extra)
    open_kinds = {b.kind for b in dossier.open_blockages}
    unique: dict[str, Finding] = {}
    for finding in found:
        if finding.kind not in open_kinds:
            unique.setdefault(finding.kind, finding)
    return list(unique.values())


def alert_lines(dossier: Dossier, findings: Sequence[Finding]) -> list[str]:
    """French lines for a dossier's pane: its open blockages, then what the checks found."""
    lines = []
    for blockage in dossier.open_blockages:
        line = f"Blocage : {blockage_title(blockage.kind)}"
        if blockage.remedy:
            line += f" — remède en cours : {remedy_label(blockage.remedy)}"
        lines.append(line + " (b : diagnostic)")
    lines += [f"{blockage_title(f.kind)} : {f.message} (b : diagnostic)" for f in findings]
    return lines


def run_checks(
    dossiers: Sequence[Dossier],
    spaces: Sequence[ExpertSpace],
    now: datetime,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[Finding]:
    """Every finding, dossiers first; a blockage already open on a dossier is not repeated."""
    findings: list[Finding] = []
    for dossier in dossiers:
        findings += dossier_findings(dossier, track_state(dossier, now, thresholds))
    for space in spaces:
        findings += expired_findings(space, track_state(space, now, thresholds))
    findings += crowded_space_findings(dossiers, spaces)
    findings += shared_login_findings(dossiers, spaces)
    return findings


def findings_for(siren: str, findings: Sequence[Finding], dossier: Dossier | None) -> list[Finding]:
    """A dossier's own findings plus those of its expert space."""
    space_id = dossier.space_id if dossier is not None else None
    return [f for f in findings if f.siren == siren or (space_id and f.space_id == space_id)]
