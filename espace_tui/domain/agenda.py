"""What is due: every open deadline across dossiers and expert spaces, and who must act.

Pure: the caller passes the items with their computed states and the instant. The agenda
keeps what is overdue, due today (Paris calendar day) or due within the horizon (7 days),
grouped by whom the cabinet waits on: itself, the client, the DGFiP or the bank. The
calendar export reads `open_deadlines` (every open window, whatever its distance).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import Status, StepState, TrackState
from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import Dossier, ExpertSpace, MandateState
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import Fact, Owner, StepTemplate

AGENDA_HORIZON = timedelta(days=7)


class Bucket(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"


BUCKET_LABELS: dict[Bucket, str] = {
    Bucket.OVERDUE: "En retard",
    Bucket.TODAY: "Aujourd'hui",
    Bucket.WEEK: "Dans les 7 jours",
    Bucket.LATER: "Plus tard",
}


def horizon_text(horizon: timedelta) -> str:
    """« les 14 jours » for the horizon the user chose (`agenda --jours 14`)."""
    if horizon >= timedelta(days=2):
        return f"les {horizon.days} jours"
    return f"les {int(horizon.total_seconds() // 3600)} h"


def bucket_label(bucket: Bucket, horizon: timedelta = AGENDA_HORIZON) -> str:
    if bucket is Bucket.WEEK:
        return f"Dans {horizon_text(horizon)}"
    return BUCKET_LABELS[bucket]


# The order an accountant scans: what the cabinet does itself, then whom to chase.
OWNER_ORDER: tuple[Owner, ...] = (Owner.CABINET, Owner.CLIENT, Owner.DGFIP, Owner.BANQUE)
BUCKET_ORDER: tuple[Bucket, ...] = tuple(Bucket)
OWNER_AGENDA_TITLES: dict[Owner, str] = {
    Owner.CABINET: "À faire par le cabinet",
    Owner.CLIENT: "À relancer : clients",
    Owner.DGFIP: "En attente de la DGFiP",
    Owner.BANQUE: "En attente de la banque",
}


@dataclass(frozen=True)
class DeadlineItem:
    """One open window: the step it ends, when, and the step that must move first."""

    kind: str  # "dossier" or "space"
    key: str  # SIREN or expert-space id
    name: str
    procedure_id: str
    step: StepTemplate
    deadline: datetime
    window_start: datetime | None
    fallback: bool
    urgency: Status
    # The first step not done on the way to `step`: whose turn it is.
    waiting_step: StepTemplate
    waiting_on: Owner
    # What to do, in French: the waiting step, or the remedy once the window has passed.
    action: str
    blocked: bool
    history_length: int
    # Set when the step was done in time: the window is closed (calendars cancel the event).
    done_at: datetime | None = None

    @property
    def expired(self) -> bool:
        return self.urgency is Status.EXPIRED


# A step not ticked is still behind us when a later fact proves it happened: a known print
# date means the DGFiP did send its letter.
IMPLIED_BY_FACT: dict[str, Fact] = {"courrier_code": Fact.LETTER_PRINTED}


def _waiting_on(item: Dossier | ExpertSpace, step: StepTemplate) -> Owner:
    """A B2B mandate sent to the bank waits on the bank, no longer on the client."""
    if (
        step.also_owner is Owner.BANQUE
        and isinstance(item, Dossier)
        and item.bank is not None
        and item.bank.mandate_state is MandateState.SENT_TO_BANK
    ):
        return Owner.BANQUE
    return step.owner


def _blocking_step(
    steps: tuple[StepState, ...], target: StepState, events: Mapping[str, datetime]
) -> StepTemplate:
    for step in steps:
        implied = IMPLIED_BY_FACT.get(step.template.id)
        if step.applies and not step.done and (implied is None or implied not in events):
            return step.template
        if step is target:
            break
    return target.template


def _deadline_item(
    item: Dossier | ExpertSpace,
    state: TrackState,
    step: StepState,
    *,
    urgency: Status,
    waiting_step: StepTemplate,
    waiting_on: Owner,
    action: str,
    done_at: datetime | None = None,
) -> DeadlineItem:
    """One deadline of `item`: what every kind shares, plus what it waits on."""
    assert step.deadline is not None
    is_dossier = isinstance(item, Dossier)
    return DeadlineItem(
        kind="dossier" if is_dossier else "space",
        key=item.siren if isinstance(item, Dossier) else item.id,
        name=item.name if isinstance(item, Dossier) else item.label,
        procedure_id=state.procedure.id,
        step=step.template,
        deadline=step.deadline,
        window_start=step.window_start,
        fallback=step.fallback,
        blocked=bool(item.open_blockages),
        history_length=len(item.history),
        urgency=urgency,
        waiting_step=waiting_step,
        waiting_on=waiting_on,
        action=action,
        done_at=done_at,
    )


def deadlines_of(item: Dossier | ExpertSpace, state: TrackState) -> list[DeadlineItem]:
    items: list[DeadlineItem] = []
    for step in state.steps:
        if not step.window_open or step.deadline is None:
            continue
        waiting = _blocking_step(state.steps, step, item.events)
        countdown = step.template.countdown
        if step.expired and countdown is not None:
            # Nobody left to chase: the cabinet decides how to start over.
            owner, action = Owner.CABINET, f"{countdown.expiry} À faire : {countdown.remedy}."
        else:
            owner, action = _waiting_on(item, waiting), waiting.label
        items.append(
            _deadline_item(
                item,
                state,
                step,
                urgency=step.urgency,
                waiting_step=waiting,
                waiting_on=owner,
                action=action,
            )
        )
    return items


def closed_deadlines(
    rows: Iterable[tuple[Dossier | ExpertSpace, TrackState]], since: datetime
) -> list[DeadlineItem]:
    """Windows closed by their step being done since `since`, most recent first."""
    found: list[DeadlineItem] = []
    for item, state in rows:
        for step in state.steps:
            if not (step.applies and step.deadline and step.done_at and step.done_at >= since):
                continue
            found.append(
                _deadline_item(
                    item,
                    state,
                    step,
                    urgency=Status.DONE,
                    waiting_step=step.template,
                    waiting_on=step.template.owner,
                    action=f"Fait le {format_datetime(step.done_at)}.",
                    done_at=step.done_at,
                )
            )
    found.sort(key=lambda d: d.done_at or d.deadline, reverse=True)
    return found


def open_deadlines(
    rows: Iterable[tuple[Dossier | ExpertSpace, TrackState]],
) -> list[DeadlineItem]:
    """Every open window (expired ones included), soonest first."""
    found = [d for item, state in rows for d in deadlines_of(item, state)]
    found.sort(key=lambda d: (d.deadline, d.name.lower(), d.step.id))
    return found


def bucket_of(deadline: datetime, now: datetime, horizon: timedelta = AGENDA_HORIZON) -> Bucket:
    if deadline <= now:
        return Bucket.OVERDUE
    if to_paris(deadline).date() == to_paris(now).date():
        return Bucket.TODAY
    if deadline - now <= horizon:
        return Bucket.WEEK
    return Bucket.LATER


@dataclass(frozen=True)
class AgendaEntry:
    item: DeadlineItem
    bucket: Bucket


def item_title(item: DeadlineItem) -> str:
    """The dossier's name, or which expert space."""
    return item.name if item.kind == "dossier" else f"Espace expert « {item.key} »"


def item_siren(item: DeadlineItem) -> str:
    """« 814 440 251 », shown in its own unwrapped column: a SIREN cut across two lines
    (« 814 440 / 251 ») is misread. Empty for an expert space."""
    return format_siren(item.key) if item.kind == "dossier" else ""


@dataclass(frozen=True)
class Agenda:
    now: datetime
    entries: tuple[AgendaEntry, ...]
    horizon: timedelta = AGENDA_HORIZON

    def label(self, bucket: Bucket) -> str:
        """The bucket's name for this agenda's horizon: « Dans les 14 jours »."""
        return bucket_label(bucket, self.horizon)

    def summary(self) -> str:
        """« 2 en retard, 1 aujourd'hui, 5 dans les 14 jours »."""
        return ", ".join(
            f"{self.count(b)} {self.label(b).lower()}"
            for b in (Bucket.OVERDUE, Bucket.TODAY, Bucket.WEEK)
        )

    def empty_text(self) -> str:
        return f"Rien en retard ni à échéance dans {horizon_text(self.horizon)}."

    def by_owner(self) -> Mapping[Owner, tuple[AgendaEntry, ...]]:
        """Every owner, in scanning order, each with its entries (possibly none)."""
        return {
            owner: tuple(e for e in self.entries if e.item.waiting_on is owner)
            for owner in OWNER_ORDER
        }

    def count(self, bucket: Bucket) -> int:
        return sum(1 for e in self.entries if e.bucket is bucket)

    def __len__(self) -> int:
        return len(self.entries)


def build_agenda(
    rows: Iterable[tuple[Dossier | ExpertSpace, TrackState]],
    now: datetime,
    horizon: timedelta = AGENDA_HORIZON,
) -> Agenda:
    """Overdue, today and this week."""
    entries = [AgendaEntry(d, bucket_of(d.deadline, now, horizon)) for d in open_deadlines(rows)]
    kept = [e for e in entries if e.bucket is not Bucket.LATER]
    # Overdue: the most recently lost first (often still recoverable today); else soonest.
    kept.sort(
        key=lambda e: (
            BUCKET_ORDER.index(e.bucket),
            (-1 if e.bucket is Bucket.OVERDUE else 1) * e.item.deadline.timestamp(),
            e.item.name.lower(),
        )
    )
    return Agenda(now, tuple(kept), horizon)
