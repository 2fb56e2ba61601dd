"""One dossier as a JSON-ready dict (English snake_case keys, IBAN and codes masked).

`list --format json`, the JSON export and the other exporters share this shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import STATUS_LABELS, Status, StepState, TrackState
from espace_tui.domain.diagnosis_catalogue import blockage_title, remedy_label
from espace_tui.domain.dossier import MANDATE_STATE_LABELS, MODE_LABELS, Dossier, Mode
from espace_tui.domain.history import last_chased_at
from espace_tui.domain.identifiers import format_siren, mask_code, mask_iban
from espace_tui.domain.procedures import OWNER_LABELS, Owner, StepTemplate
from espace_tui.domain.selection import next_owner
from espace_tui.domain.teleservices import SERVICE_STATE_LABELS, TELESERVICES_BY_ID, ServiceState


def iso(instant: datetime | None) -> str | None:
    return None if instant is None else to_paris(instant).isoformat()


# Parts that are the same in every dossier are built once and shared (by template object,
# kept alive here: hashing a frozen dataclass field by field cost more than the dict it
# saves). The summaries are read, never changed, by every consumer.
_TEMPLATE_PARTS: dict[int, tuple[StepTemplate, dict[str, Any]]] = {}
_WAITING_STEPS: dict[tuple[int, bool, Status], tuple[StepTemplate, dict[str, Any]]] = {}
_SERVICES: dict[tuple[str, ServiceState], dict[str, Any]] = {}


# Enum.value is a descriptor written in Python; a summary reads about eight of them.
_VALUES: dict[Status | Mode | Owner, str] = {m: m.value for e in (Status, Mode, Owner) for m in e}


def _template_part(template: StepTemplate) -> dict[str, Any]:
    """What a step's summary takes from its template: the same for every dossier."""
    known = _TEMPLATE_PARTS.get(id(template))
    if known is not None and known[0] is template:
        return known[1]
    part = {
        "id": template.id,
        "label": template.label,
        "owner": template.owner.value,
        "owner_label": OWNER_LABELS[template.owner],
        "also_owner": template.also_owner.value if template.also_owner else None,
    }
    _TEMPLATE_PARTS[id(template)] = (template, part)
    return part


def _waiting_step(step: StepState) -> dict[str, Any]:
    """A step not done, with no window running (most steps of most dossiers): no date."""
    key = (id(step.template), step.applies, step.urgency)
    known = _WAITING_STEPS.get(key)
    if known is not None and known[0] is step.template:
        return known[1]
    part = {
        **_template_part(step.template),
        "applies": step.applies,
        "done_at": None,
        "window_start": None,
        "deadline": None,
        "deadline_from_fallback": step.fallback,
        "status": step.urgency.value,
    }
    _WAITING_STEPS[key] = (step.template, part)
    return part


def _service(service_id: str, state: ServiceState) -> dict[str, Any]:
    known = _SERVICES.get((service_id, state))
    if known is None:
        service = TELESERVICES_BY_ID.get(service_id)
        known = _SERVICES[(service_id, state)] = {
            "id": service_id,
            "label": service.label if service is not None else service_id,
            "state": state.value,
            "state_label": SERVICE_STATE_LABELS[state],
        }
    return known


# Dates as shown, by instant, for every dossier summarized: dates typed as days (« 20/11/2026 »)
# and batches ticked at once repeat across dossiers, and a step's end is often the next one's
# start. Bounded: emptied when full.
_SHOWN: dict[datetime, str] = {}
_SHOWN_MAX = 1 << 16


def _when(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    text = _SHOWN.get(instant)
    if text is None:
        if len(_SHOWN) >= _SHOWN_MAX:
            _SHOWN.clear()
        text = _SHOWN[instant] = to_paris(instant).isoformat()
    return text


def dossier_summary(dossier: Dossier, state: TrackState) -> dict[str, Any]:
    when = _when

    def step_part(s: StepState) -> dict[str, Any]:
        if s.done_at is None and s.window_start is None and s.deadline is None:
            return _waiting_step(s)
        return {
            **_template_part(s.template),
            "applies": s.applies,
            "done_at": when(s.done_at),
            "window_start": when(s.window_start),
            "deadline": when(s.deadline),
            "deadline_from_fallback": s.fallback,
            "status": _VALUES[s.urgency],
        }

    deadline_step = state.deadline_step
    next_step = state.next_step
    waiting_on = next_owner(state)
    # What to do about an expired window (the dashboard's « À faire »): restart, not the step.
    remedy = next(
        (
            s.template.countdown.remedy
            for s in state.expired_steps
            if s.template.countdown is not None and s.template.countdown.remedy
        ),
        None,
    )
    return {
        "siren": dossier.siren,
        "siren_formatted": format_siren(dossier.siren),
        "name": dossier.name,
        "mode": _VALUES[dossier.mode],
        "mode_label": MODE_LABELS[dossier.mode],
        "procedure": state.procedure.id,
        "procedure_label": state.procedure.label,
        "space_id": dossier.space_id,
        "status": _VALUES[state.status],
        "status_label": STATUS_LABELS[state.status],
        "next_deadline": when(state.next_deadline),
        "next_deadline_step": deadline_step.template.id if deadline_step else None,
        "next_step": next_step.template.id if next_step else None,
        "next_step_owner": _VALUES[next_step.template.owner] if next_step else None,
        "expired_remedy": remedy,
        # « Qui » in the dashboard: the cabinet when a window expired, else the next step's.
        "waiting_on": _VALUES[waiting_on] if waiting_on else None,
        "email_entreprise": dossier.email_entreprise,
        "email_connexion": dossier.email_connexion,
        "steps": [step_part(s) for s in state.steps],
        "services": [_service(sid, st) for sid, st in dossier.services.items()],
        "bank": None
        if dossier.bank is None
        else {
            "iban_masked": mask_iban(dossier.bank.iban),
            "bic": dossier.bank.bic,
            "mandate_type": dossier.bank.mandate_type.value,
            "mandate_state": dossier.bank.mandate_state.value,
            "mandate_state_label": MANDATE_STATE_LABELS[dossier.bank.mandate_state],
        },
        "activation_code_masked": mask_code(dossier.activation_code) or None,
        "blockages": [
            {
                "id": b.id,
                "kind": b.kind,
                "kind_label": blockage_title(b.kind),
                "opened_at": iso(b.opened_at),
                "remedy": b.remedy,
                "remedy_label": remedy_label(b.remedy) if b.remedy else None,
                "resolved_at": iso(b.resolved_at),
            }
            for b in dossier.blockages
        ],
        "notes": dossier.notes,
        "last_chased_at": iso(last_chased_at(dossier.history)),
        "history": [
            {"at": when(h.at), "action": h.action, "detail": h.detail} for h in dossier.history
        ],
    }
