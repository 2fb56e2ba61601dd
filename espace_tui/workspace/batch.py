"""One action on many dossiers: previewed, then applied in one transaction (one disk write)
and journaled as one change (one undo takes the whole batch back)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from espace_tui.domain.display import format_datetime, format_long_date
from espace_tui.domain.dossier import MANDATE_STATE_LABELS, Dossier, MandateState
from espace_tui.domain.errors import UserError
from espace_tui.domain.procedures import FACT_LABELS, PROCEDURES, Fact, procedure
from espace_tui.domain.selection import Selection
from espace_tui.workspace.core import Change
from espace_tui.workspace.progress import ProgressCommands


@dataclass
class BatchResult:
    """What happened (or, for a preview, would happen) to each dossier."""

    label: str
    done: list[tuple[Dossier, Change]] = field(default_factory=list)
    # Dossiers the action does not fit (already done, step not in its procedure…), and why.
    skipped: list[tuple[Dossier, str]] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"{d.name} : {w}" for d, c in self.done for w in c.warnings]

    def summary(self) -> str:
        text = f"{self.label} : {len(self.done)} dossier(s)"
        if self.skipped:
            text += f", {len(self.skipped)} ignoré(s)"
        return text + "."


def step_label(step_id: str) -> str:
    """The step's French label (the first procedure that has it), else its id."""
    for proc in PROCEDURES.values():
        if proc.has_step(step_id):
            return proc.step(step_id).label
    return step_id


class _Preview(Exception):
    """Raised to roll a dry run back: the store writes nothing, the journal keeps nothing."""


class BatchCommands(ProgressCommands):
    def select(self, selection: Selection) -> list[Dossier]:
        """The dossiers `selection` keeps, most urgent first."""
        return [d for d, s in self.by_urgency() if selection.matches(d, s)]

    def _run_batch(
        self,
        sirens: Iterable[str],
        label: str,
        action: Callable[[Dossier], Change | str],
        *,
        preview: bool,
    ) -> BatchResult:
        """`action` returns the Change made, or why this dossier is left alone."""
        result = BatchResult(label)
        wanted = list(dict.fromkeys(sirens))
        try:
            with self.store.transaction(), self._recording(label):
                for siren in wanted:
                    dossier = self.get(siren)
                    try:
                        outcome = action(dossier)
                    except UserError as err:
                        result.skipped.append((dossier, err.message))
                        continue
                    if isinstance(outcome, str):
                        result.skipped.append((dossier, outcome))
                    else:
                        result.done.append((dossier, outcome))
                # One dossier: its own label (with its name); several: the batch's, counted.
                many = len(result.done) > 1
                self._group_label = f"{label} — {len(result.done)} dossiers" if many else None
                if preview:
                    raise _Preview
        except _Preview:
            pass
        return result

    def tick_many(
        self,
        sirens: Iterable[str],
        step_id: str,
        at: datetime | None = None,
        *,
        preview: bool = False,
    ) -> BatchResult:
        when = at or self.now()

        def tick(dossier: Dossier) -> Change | str:
            proc = procedure(dossier.procedure_id)
            if not proc.has_step(step_id):
                return f"pas d'étape « {step_id} » dans la procédure « {proc.label} »"
            done = dossier.events.get(step_id)
            if done is not None:  # re-dating a done step is a one-dossier decision
                return f"déjà faite le {format_datetime(done)}"
            return self.tick(dossier.siren, step_id, at)

        label = f"Étape « {step_label(step_id)} » faite le {format_datetime(when)}"
        return self._run_batch(sirens, label, tick, preview=preview)

    def set_fact_many(
        self, sirens: Iterable[str], fact: Fact, when: datetime | None, *, preview: bool = False
    ) -> BatchResult:
        def set_fact(dossier: Dossier) -> Change | str:
            if dossier.events.get(fact.value) == when:
                return "déjà à cette date" if when is not None else "pas de date à effacer"
            return self.set_fact(dossier.siren, fact, when)

        what = format_long_date(when) if when is not None else "effacée"
        return self._run_batch(sirens, f"{FACT_LABELS[fact]} : {what}", set_fact, preview=preview)

    def set_mandate_many(
        self, sirens: Iterable[str], state: MandateState, *, preview: bool = False
    ) -> BatchResult:
        def set_mandate(dossier: Dossier) -> Change | str:
            if dossier.bank is not None and dossier.bank.mandate_state is state:
                return "déjà dans cet état"
            return self.set_mandate_state(dossier.siren, state)

        return self._run_batch(
            sirens, f"Mandat B2B : {MANDATE_STATE_LABELS[state]}", set_mandate, preview=preview
        )

    def chase_many(self, chases: dict[str, str], *, preview: bool = False) -> BatchResult:
        """Record that each client was sent a letter ({siren: what the letter asks})."""
        return self._run_batch(
            chases,
            "Clients relancés",
            lambda d: self.record_client_chased(d.siren, chases[d.siren]),
            preview=preview,
        )
