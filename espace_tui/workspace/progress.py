"""A dossier's progress: steps ticked, dates, services, mandate, notes, restarts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from espace_tui.domain.display import format_datetime, format_long_date
from espace_tui.domain.dossier import MANDATE_STATE_LABELS, Dossier, MandateState, Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import FACT_LABELS, Fact, procedure
from espace_tui.domain.teleservices import TELESERVICES_BY_ID, ServiceState
from espace_tui.domain.validation import clean_notes
from espace_tui.workspace.blockages import BlockageCommands
from espace_tui.workspace.core import FUTURE_TOLERANCE, Change, events_summary, transactional
from espace_tui.workspace.fresh import merge_services

PAST_FACTS = frozenset({Fact.LETTER_PRINTED, Fact.CODE_REQUESTED_AGAIN})
# What a restart throws away or decides from: it must be what the user saw.
RESTART_READS = ("mode", "procedure_id", "events")


def _fact_order_warnings(dossier: Dossier, fact: Fact, when: datetime) -> list[str]:
    """A fact dated before an event it normally follows (the letter is printed after the
    link click or the adhesion): probably a typo, worth saying, not refusing."""
    proc = procedure(dossier.procedure_id)
    warnings = []
    for template in proc.steps:
        countdown = template.countdown
        if countdown is None or countdown.anchors[0] != fact.value:
            continue
        for later in countdown.anchors[1:]:
            happened = dossier.events.get(later)
            if happened is not None and when < happened and proc.has_step(later):
                warnings.append(
                    f"{FACT_LABELS[fact]} ({format_long_date(when)}) antérieure à l'étape "
                    f"« {proc.step(later).label} » ({format_long_date(happened)}) : vérifiez-la."
                )
    return warnings


def _step_order_warnings(dossier: Dossier, step_id: str, when: datetime) -> list[str]:
    """A step dated before a step it follows (or after one that follows it): probably a
    typo in the date, worth saying, not refusing."""
    proc = procedure(dossier.procedure_id)
    ids = [s.id for s in proc.steps]
    index = ids.index(step_id)
    label = proc.step(step_id).label
    warnings = []
    earlier = [(s, dossier.events[s.id]) for s in proc.steps[:index] if s.id in dossier.events]
    later = [(s, dossier.events[s.id]) for s in proc.steps[index + 1 :] if s.id in dossier.events]
    wrong_before = [(s, at) for s, at in earlier if when < at]
    if wrong_before:
        step, at = wrong_before[-1]
        warnings.append(
            f"Étape « {label} » datée du {format_datetime(when)}, avant l'étape qu'elle suit, "
            f"« {step.label} » ({format_datetime(at)}) : vérifiez la date."
        )
    wrong_after = [(s, at) for s, at in later if when > at]
    if wrong_after:
        step, at = wrong_after[0]
        warnings.append(
            f"Étape « {label} » datée du {format_datetime(when)}, après l'étape qui la suit, "
            f"« {step.label} » ({format_datetime(at)}) : vérifiez la date."
        )
    return warnings


def _advance_services(
    services: dict[str, ServiceState], target: ServiceState
) -> dict[str, ServiceState]:
    order = list(ServiceState)
    return {k: max(v, target, key=order.index) for k, v in services.items()}


class ProgressCommands(BlockageCommands):
    @transactional
    def tick(
        self, siren: str, step_id: str, at: datetime | None = None, *, base: Dossier | None = None
    ) -> Change:
        """`base`: the dossier a dialog showed (see workspace/fresh.py)."""
        # Ticked now (no date): done elsewhere meanwhile is fine, it stays as it was done.
        fields = ("procedure_id",) if at is None else ("procedure_id", "events." + step_id)
        dossier = self._fresh(siren, base, fields, {"events." + step_id: at})
        proc = procedure(dossier.procedure_id)
        if not proc.has_step(step_id):
            known = ", ".join(s.id for s in proc.steps)
            raise InvalidInput(
                "Étape", f"« {step_id} » inconnue pour ce dossier (étapes : {known})."
            )
        now = self.now()
        when = at or now
        if when > now + FUTURE_TOLERANCE:
            raise InvalidInput("Date", f"{format_datetime(when)} est dans le futur.")
        step = proc.step(step_id)
        if step_id in dossier.events and at is None:
            return Change(
                dossier, (), f"Étape déjà faite le {format_datetime(dossier.events[step_id])}."
            )
        changes: dict[str, Any] = {"events": {**dossier.events, step_id: when}}
        if step.services_become is not None:
            changes["services"] = _advance_services(dossier.services, step.services_become)
        if step_id == "mandat_b2b" and dossier.bank is not None:
            changes["bank"] = replace(dossier.bank, mandate_state=MandateState.CONFIRMED)
        lifted = self._lift_blockages(dossier, step_id, now)
        changes.update(lifted)
        label = f"Étape « {step.label} » faite le {format_datetime(when)}."
        if lifted:
            label += " Blocage levé."
        change = self._save(
            dossier, dossier.with_history(now, "step_done", label, **changes), label
        )
        return replace(change, warnings=tuple(_step_order_warnings(dossier, step_id, when)))

    @transactional
    def untick(self, siren: str, step_id: str, *, base: Dossier | None = None) -> Change:
        wanted = {"events." + step_id: None}
        dossier = self._fresh(siren, base, ("procedure_id", "events." + step_id), wanted)
        proc = procedure(dossier.procedure_id)
        if not proc.has_step(step_id):
            raise InvalidInput("Étape", f"« {step_id} » inconnue pour ce dossier.")
        if step_id not in dossier.events:
            return Change(dossier, (), "Cette étape n'était pas cochée.")
        events = {k: v for k, v in dossier.events.items() if k != step_id}
        label = f"Étape « {proc.step(step_id).label} » décochée."
        return self._save(
            dossier, dossier.with_history(self.now(), "step_undone", label, events=events), label
        )

    @transactional
    def toggle(self, siren: str, step_id: str, *, base: Dossier | None = None) -> Change:
        """Tick or untick; with `base` (the dossier on screen) what the user saw decides,
        and a step ticked or unticked elsewhere since is not flipped back."""
        shown = base or self.get(siren)
        if step_id in shown.events:
            return self.untick(siren, step_id, base=base)
        return self.tick(siren, step_id, base=base)

    @transactional
    def set_facts(
        self, siren: str, facts: dict[Fact, datetime | None], *, base: Dossier | None = None
    ) -> list[Change]:
        """Several dates of one dossier saved together: all of them or none."""
        return [self.set_fact(siren, fact, when, base=base) for fact, when in facts.items()]

    @transactional
    def set_fact(
        self, siren: str, fact: Fact, when: datetime | None, *, base: Dossier | None = None
    ) -> Change:
        key = "events." + fact.value
        dossier = self._fresh(siren, base, (key,), {key: when})
        now = self.now()
        events = {k: v for k, v in dossier.events.items() if k != fact.value}
        warnings: list[str] = []
        if when is not None:
            if fact in PAST_FACTS and when > now + FUTURE_TOLERANCE:
                raise InvalidInput(
                    FACT_LABELS[fact], f"{format_long_date(when)} est dans le futur."
                )
            warnings = _fact_order_warnings(dossier, fact, when)
            events[fact.value] = when
            label = f"{FACT_LABELS[fact]} : {format_long_date(when)}."
        else:
            label = f"{FACT_LABELS[fact]} : effacée."
        change = self._save(dossier, dossier.with_history(now, "fact", label, events=events), label)
        return replace(change, warnings=tuple(warnings))

    @transactional
    def record_client_chased(self, siren: str, about: str) -> Change:
        """The client was sent a reminder (a letter): the history says what and when."""
        dossier = self.get(siren)
        now = self.now()
        label = f"Client relancé le {format_datetime(now)} : {about}."
        return self._save(dossier, dossier.with_history(now, "client_chased", label), label)

    @transactional
    def record_letter_sent(self, siren: str, about: str, to: str) -> Change:
        """A letter the mail server accepted: recorded once, after the fact."""
        dossier = self.get(siren)
        now = self.now()
        label = f"Lettre « {about} » envoyée à {to} le {format_datetime(now)}."
        return self._save(dossier, dossier.with_history(now, "letter_sent", label), label)

    @transactional
    def set_notes(self, siren: str, notes: str, *, base: Dossier | None = None) -> Change:
        text = clean_notes(notes)
        dossier = self._fresh(siren, base, ("notes",), {"notes": text})
        if text == dossier.notes:
            return Change(dossier, (), "Notes inchangées.")
        return self._save(
            dossier,
            dossier.with_history(self.now(), "notes", "Notes modifiées.", notes=text),
            "Notes modifiées.",
        )

    @transactional
    def set_services(
        self, siren: str, service_ids: list[str], *, base: Dossier | None = None
    ) -> Change:
        """`base`: the dossier a dialog showed; then only the services ticked or unticked
        there change, the others stay as stored now."""
        dossier = self.get(siren)
        unknown = [s for s in service_ids if s not in TELESERVICES_BY_ID]
        if unknown:
            raise InvalidInput("Services", f"inconnus : {', '.join(unknown)}.")
        if base is not None:
            if set(service_ids) == set(base.services):
                return Change(dossier, (), "Services inchangés.")
            service_ids = merge_services(base, dossier, service_ids)
        services = {s: dossier.services.get(s, ServiceState.REQUESTED) for s in service_ids}
        labels = ", ".join(TELESERVICES_BY_ID[s].label for s in service_ids) or "aucun"
        label = f"Services demandés : {labels}."
        return self._save(
            dossier, dossier.with_history(self.now(), "services", label, services=services), label
        )

    @transactional
    def set_mandate_state(
        self, siren: str, state: MandateState, *, base: Dossier | None = None
    ) -> Change:
        fields = ("bank.iban", "bank.mandate_type", "bank.mandate_state")
        dossier = self._fresh(siren, base, fields, {"bank.mandate_state": state})
        if dossier.bank is None:
            raise InvalidInput("Mandat", "renseignez d'abord le compte bancaire (IBAN et BIC).")
        changes: dict[str, Any] = {"bank": replace(dossier.bank, mandate_state=state)}
        now = self.now()
        if state is MandateState.CONFIRMED and "mandat_b2b" not in dossier.events:
            changes["events"] = {**dossier.events, "mandat_b2b": now}
        if state is MandateState.CONFIRMED:
            changes.update(self._lift_blockages(dossier, "mandat_b2b", now))
        label = f"Mandat B2B : {MANDATE_STATE_LABELS[state]}."
        return self._save(dossier, dossier.with_history(now, "mandate", label, **changes), label)

    @transactional
    def restart(
        self,
        siren: str,
        procedure_id: str | None = None,
        space_id: str | None = None,
        *,
        base: Dossier | None = None,
    ) -> Change:
        """Start the procedure (or another one) over; the history keeps what came before.

        `base`: the dossier the user confirmed on; refused if its procedure or steps changed
        since (the user would wipe progress they never saw)."""
        dossier = self._fresh(siren, base, RESTART_READS)
        target = procedure(procedure_id or dossier.procedure_id)
        if space_id is not None:
            self.get_space(space_id)
        done = events_summary(procedure(dossier.procedure_id), dossier.events)
        if target.id == dossier.procedure_id:
            label = f"{target.restart_label}."
        else:
            label = f"Nouvelle procédure : {target.label}."
        if done:
            label += f" Étapes précédentes : {done}."
        changes: dict[str, Any] = {
            "procedure_id": target.id,
            "events": {},
            "services": {s: ServiceState.REQUESTED for s in dossier.services},
        }
        if target.id in ("adhesion_expert",):
            changes["mode"] = Mode.EXPERT
        if space_id is not None:
            changes["space_id"] = space_id
        after = dossier.with_history(self.now(), "restarted", label, **changes)
        change = self._save(dossier, after, label)
        warnings = self._space_warnings(space_id, self.dossiers(), siren) if space_id else []
        return replace(change, warnings=tuple(warnings))
