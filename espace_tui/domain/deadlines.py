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
    procedure: Procedure
    status: Status
    steps: tuple[StepState, ...]
    next_deadline: datetime | None

    @property
    def next_step(self) -> StepState | None:
        """The first applicable step not yet done: what to do next."""
        return next((s for s in self.steps if s.applies and not s.done), None)

    @property
    def deadline_step(self) -> StepState | None:
        """The open window that ends first (expired ones included)."""
        open_steps = [s for s in self.steps if s.window_open]
        return min(open_steps, key=lambda s: s.deadline) if open_steps else None  # type: ignore[arg-type, return-value]

    @property
    def expired_steps(self) -> tuple[StepState, ...]:
        return tuple(s for s in self.steps if s.expired)

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
        return StepState(template, applies, done_at, urgency=Status.DONE if done_at else Status.OK)
    for index, anchor in enumerate(countdown.anchors):
        start = events.get(anchor)
        if start is None:
            continue
        start = start.astimezone(UTC)  # absolute time, see clock.Clock
        deadline = shifted(start, countdown.duration)
        if done_at is not None:
            urgency = Status.DONE
        else:
            urgency = classify_window(start, deadline, now, thresholds)
        return StepState(template, applies, done_at, start, deadline, index > 0, urgency)
    return StepState(template, applies, done_at, urgency=Status.DONE if done_at else Status.OK)


def track_state(
    item: Tracked, now: datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> TrackState:
    proc = procedure(item.procedure_id)
    conditions = item.conditions()
    steps = tuple(step_state(t, item.events, conditions, now, thresholds) for t in proc.steps)
    open_windows = [s for s in steps if s.window_open]
    next_deadline = min((s.deadline for s in open_windows if s.deadline), default=None)
    if item.open_blockages:
        status = Status.BLOCKED
    elif any(s.expired for s in open_windows):
        status = Status.EXPIRED
    elif all(s.done for s in steps if s.applies):
        status = Status.DONE
    else:
        status = min(
            (s.urgency for s in open_windows),
            key=lambda u: STATUS_RANK[u],
            default=Status.OK,
        )
    return TrackState(proc, status, steps, next_deadline)
