"""A diagnosis and the automatic findings as JSON-ready dicts (English snake_case keys)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from espace_tui.domain.checks import Finding
from espace_tui.domain.deadlines import TrackState
from espace_tui.domain.diagnosis import (
    Candidate,
    Diagnosis,
    RemedyOption,
    countdown_text,
    helpline_text,
    lift_text,
    remedy_steps,
)
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, blockage_title
from espace_tui.domain.dossier import Dossier
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE
from espace_tui.domain.procedures import OWNER_LABELS, procedure
from espace_tui.report.summary import dossier_summary


def remedy_payload(option: RemedyOption, dossier: Dossier | None) -> dict[str, Any]:
    remedy = option.remedy
    return {
        "id": remedy.id,
        "label": remedy.label,
        "owner": remedy.owner.value,
        "owner_label": OWNER_LABELS[remedy.owner],
        "action": remedy.action.value,
        "procedure": remedy.procedure_id,
        "applies": option.applies,
        "reason": option.reason or None,
        "steps": [
            {"label": label, "owner": owner.value, "owner_label": OWNER_LABELS[owner]}
            for label, owner in remedy_steps(remedy, dossier)
        ],
        "countdowns": [
            {
                "procedure": ref.procedure_id,
                "step": ref.step_id,
                "duration_seconds": int(countdown.duration.total_seconds())
                if (countdown := procedure(ref.procedure_id).step(ref.step_id).countdown)
                else None,
                "text": countdown_text(ref),
            }
            for ref in remedy.countdowns
        ],
        "lift": remedy.lift.value,
        "lift_step": remedy.lift_step,
        "lift_text": lift_text(remedy),
        "source": remedy.source,
        "unverified": remedy.unverified,
    }


def candidate_payload(candidate: Candidate, dossier: Dossier | None) -> dict[str, Any]:
    kind = candidate.kind
    return {
        "kind": kind.id,
        "title": kind.title,
        "score": round(candidate.score, 3),
        "matched_phrase": candidate.matched,
        "message": kind.message,
        "official_message": kind.official_message,
        "causes": list(kind.causes),
        "source": kind.source,
        "remedies": [remedy_payload(o, dossier) for o in candidate.options],
    }


def helpline_payload() -> dict[str, str]:
    line = TELEPROCEDURES_HELPLINE
    return {"label": line.label, "number": line.number, "text": helpline_text()}


def catalogue_payload() -> list[dict[str, str]]:
    return [{"kind": k.id, "title": k.title, "message": k.message} for k in CATALOGUE]


def diagnosis_payload(
    diagnosis: Diagnosis, dossier: Dossier | None, state: TrackState | None
) -> dict[str, Any]:
    return {
        "query": diagnosis.query,
        "matched": diagnosis.matched,
        "dossier": dossier_summary(dossier, state) if dossier and state else None,
        "candidates": [candidate_payload(c, dossier) for c in diagnosis.candidates],
        # Nothing matched: the whole catalogue to pick from, and who to call.
        "catalogue": [] if diagnosis.matched else catalogue_payload(),
        "helpline": helpline_payload(),
    }


def finding_payload(
    finding: Finding, candidate: Candidate, dossier: Dossier | None
) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "title": blockage_title(finding.kind),
        "message": finding.message,
        "siren": finding.siren,
        "space_id": finding.space_id,
        "remedies": [remedy_payload(o, dossier) for o in candidate.options],
    }


def findings_payload(rows: Sequence[tuple[Finding, Candidate, Dossier | None]]) -> dict[str, Any]:
    return {
        "findings": [finding_payload(f, c, d) for f, c, d in rows],
        "helpline": helpline_payload(),
    }
