"""Status, next deadline and urgency, computed from a procedure, recorded events and a clock.

Nothing here is stored: the same events give the same answer at the same instant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from espace_tui.domain.dossier import Blockage
from espace_tui.domain.procedures import Condition, Procedure, StepTemplate, procedure


class Status(StrEnum):
    OK = "ok"
    SOON = "soon"
    URGENT = "urgent"
    EXPIRED = "expired"
    BLOCKED = "blocked"
    DONE = "done"


STATUS_LABELS: dict[Status, str] = {
    Status.OK: "ok",
    Status.SOON: "bientôt",
    Status.URGENT: "urgent",
    Status.EXPIRED: "expiré",
    Status.BLOCKED: "bloqué",
    Status.DONE: "terminé",
}

# Sort order "by urgency": what can still be saved first, then what is lost or stuck.
STATUS_RANK: dict[Status, int] = {
    Status.URGENT: 0,
    Status.EXPIRED: 1,
    Status.BLOCKED: 2,
    Status.SOON: 3,
    Status.OK: 4,
    Status.DONE: 5,
}


def status_from_text(text: str) -> Status | None:
    """Accept the id or the French label, with or without accents ("bientot", "expiré")."""
    wanted = text.strip().lower()
    plain = wanted.translate(str.maketrans("éèêô", "eeeo"))
    for status, label in STATUS_LABELS.items():
        if wanted in (status.value, label) or plain == label.translate(
            str.maketrans("éèêô", "eeeo")
        ):
            return status
    return None


@dataclass(frozen=True)
class Thresholds:
    """When a window turns `bientôt` or `urgent`: a share of the window or a fixed time left."""

    soon_share: float = 0.25
    soon_within: timedelta = timedelta(days=7)
    urgent_share: float = 0.20
    urgent_within: timedelta = timedelta(hours=48)


DEFAULT_THRESHOLDS = Thresholds()


def classify_window(
    start: datetime, deadline: datetime, now: datetime, thresholds: Thresholds
) -> Status:
    remaining = deadline - now
    if remaining <= timedelta(0):
        return Status.EXPIRED
    window = deadline - start
    share = remaining / window if window > timedelta(0) else None
    if remaining < thresholds.urgent_within or (
        share is not None and share < thresholds.urgent_share
    ):
        return Status.URGENT
    if remaining < thresholds.soon_within or (share is not None and share < thresholds.soon_share):
        return Status.SOON
    return Status.OK


@dataclass(frozen=True, slots=True)
class StepState:
    template: StepTemplate
    applies: bool
    done_at: datetime | None
    window_start: datetime | None = None
    deadline: datetime | None = None
    # The anchor is a fallback (not the first of the countdown's anchors): say so.
    fallback: bool = False
    urgency: Status = Status.OK

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def anchor_note(self) -> str:
        """Which event the window runs from, when that needs saying (fallback, unverified)."""
        countdown = self.template.countdown
        return countdown.note(self.fallback) if countdown and self.window_start else ""

    @property
    def window_open(self) -> bool:
        return self.applies and not self.done and self.deadline is not None

    @property
    def expired(self) -> bool:
        return self.window_open and self.urgency is Status.EXPIRED

    @property
    def late(self) -> bool:
        """Done, but after its deadline."""
        return (
            self.done_at is not None and self.deadline is not None and self.done_at > self.deadline
        )


@dataclass(frozen=True, slots=True)
class TrackState:
    """Built by `track_state` only: the fields after `next_deadline` are derived from the
    steps there, once, since the list, the summaries, the filters and the sort all read
    them (hundreds of thousands of times at 100,000 dossiers)."""

    procedure: Procedure
    status: Status
    steps: tuple[StepState, ...]
    next_deadline: datetime | None
    # The first applicable step not yet done: what to do next.
    next_step: StepState | None
    # The open window that ends first (expired ones included).
    deadline_step: StepState | None
    expired_steps: tuple[StepState, ...]

    def sort_key(self) -> tuple[int, float]:
        when = self.next_deadline.timestamp() if self.next_deadline else float("inf")
        return (STATUS_RANK[self.status], when)


class Tracked(Protocol):
    """What deadlines need from a dossier or an expert space."""

    @property
    def procedure_id(self) -> str: ...
    @property
    def events(self) -> Mapping[str, datetime]: ...
    @property
    def open_blockages(self) -> tuple[Blockage, ...]: ...
    def conditions(self) -> frozenset[Condition]: ...


# A date stored near the end of the calendar (typed before dates were checked) must not
# make every computation that adds a delay to it overflow: the deadline stops here.
LATEST = datetime(9990, 1, 1, tzinfo=UTC)


def shifted(start: datetime, delay: timedelta) -> datetime:
    try:
        return start + delay
    except OverflowError:
        return LATEST if delay >= timedelta(0) else datetime(10, 1, 1, tzinfo=UTC)


# A step neither done nor with a window running is the same in every dossier: one frozen
# state shared (by template object, kept alive here), not one built per dossier.
_WAITING: dict[tuple[int, bool], tuple[StepTemplate, StepState]] = {}


def _waiting(template: StepTemplate, applies: bool) -> StepState:
    known = _WAITING.get((id(template), applies))
    if known is not None and known[0] is template:
        return known[1]
    state = StepState(template, applies, None)
    _WAITING[(id(template), applies)] = (template, state)
    return state


def step_state(
    template: StepTemplate,
    events: Mapping[str, datetime],
    conditions: frozenset[Condition],
    now: datetime,
    thresholds: Thresholds,
) -> StepState:
    applies = template.condition is None or template.condition in conditions
    done_at = events.get(template.id)
    countdown = template.countdown
    if countdown is None or not applies:
        if done_at is None:
            return _waiting(template, applies)
        return StepState(template, applies, done_at, urgency=Status.DONE)
    for index, anchor in enumerate(countdown.anchors):
        start = events.get(anchor)
        if start is None:
            continue
        if start.tzinfo is not UTC:
            start = start.astimezone(UTC)  # absolute time, see clock.Clock
        deadline = shifted(start, countdown.duration)
        if done_at is not None:
            urgency = Status.DONE
        else:
            urgency = classify_window(start, deadline, now, thresholds)
        return StepState(template, applies, done_at, start, deadline, index > 0, urgency)
    if done_at is None:
        return _waiting(template, applies)
    return StepState(template, applies, done_at, urgency=Status.DONE)


def track_state(
    item: Tracked, now: datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> TrackState:
    proc = procedure(item.procedure_id)
    conditions = item.conditions()
    events = item.events
    steps = tuple([step_state(t, events, conditions, now, thresholds) for t in proc.steps])
    next_step: StepState | None = None
    deadline_step: StepState | None = None
    expired: list[StepState] = []
    all_done = True
    # The most urgent open window that has not expired (OK when none).
    urgency = Status.OK
    for step in steps:
        if not step.applies or step.done_at is not None:
            continue
        all_done = False
        if next_step is None:
            next_step = step
        if step.deadline is None:
            continue
        # An open window: the first one ending wins a tie, as min() would pick it.
        if deadline_step is None or step.deadline < deadline_step.deadline:  # type: ignore[operator]
            deadline_step = step
        if step.urgency is Status.EXPIRED:
            expired.append(step)
        elif STATUS_RANK[step.urgency] < STATUS_RANK[urgency]:
            urgency = step.urgency
    if item.open_blockages:
        status = Status.BLOCKED
    elif expired:
        status = Status.EXPIRED
    elif all_done:
        status = Status.DONE
    else:
        status = urgency
    next_deadline = deadline_step.deadline if deadline_step else None
    return TrackState(proc, status, steps, next_deadline, next_step, deadline_step, tuple(expired))
