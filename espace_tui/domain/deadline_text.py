"""Countdowns and owners of a step, described in French from the procedure data.

The advisor, the procedure guide and their screens all describe deadlines with these
functions, so « 72 h après … » is written in one place and always follows the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from espace_tui.domain.display import format_duration
from espace_tui.domain.procedures import (
    OWNER_LABELS,
    Countdown,
    Fact,
    Procedure,
    StepTemplate,
)

# How a fact reads after « après » / « avant » (FACT_LABELS are form labels, too long here).
FACT_PHRASES: dict[str, str] = {
    Fact.LETTER_PRINTED: "la date d'impression du courrier",
    Fact.FIRST_PAYMENT: "le premier paiement",
    Fact.CODE_REQUESTED_AGAIN: "la nouvelle demande de code",
}

# Windows shorter than this read in hours, as the DGFiP writes them (« 72 h », « 48 h »).
_HOURS_BELOW = timedelta(days=4)


def format_window(duration: timedelta) -> str:
    """« 72 h », « 48 h », « 60 j »."""
    hours, rest = divmod(int(duration.total_seconds()), 3600)
    if duration < _HOURS_BELOW and rest == 0:
        return f"{hours} h"
    return format_duration(duration)


def short_step_label(step: StepTemplate) -> str:
    """The label up to its detail: « Mes services > J'adhère » for the adhesion step."""
    return step.label.split(" : ", 1)[0]


def anchor_phrase(anchor: str, proc: Procedure) -> str:
    if anchor in FACT_PHRASES:
        return FACT_PHRASES[anchor]
    if proc.has_step(anchor):
        return f"l'étape « {short_step_label(proc.step(anchor))} »"
    return anchor


def window_text(countdown: Countdown, proc: Procedure) -> str:
    """« 72 h », or « avant le premier paiement » for a window that closes at its anchor."""
    if countdown.duration <= timedelta(0):
        return f"avant {anchor_phrase(countdown.anchors[0], proc)}"
    return format_window(countdown.duration)


def countdown_text(countdown: Countdown, proc: Procedure) -> str:
    """« 60 j après la date d'impression du courrier (à défaut : l'étape « … ») »."""
    first = anchor_phrase(countdown.anchors[0], proc)
    if countdown.duration <= timedelta(0):
        text = f"avant {first}"
    else:
        text = f"{format_window(countdown.duration)} après {first}"
    fallbacks = [anchor_phrase(a, proc) for a in countdown.anchors[1:]]
    if fallbacks:
        text += f" (à défaut : {', '.join(fallbacks)})"
    return text


def owners_text(step: StepTemplate) -> str:
    """« Client », « Client → Banque »."""
    owners = OWNER_LABELS[step.owner]
    if step.also_owner is not None:
        owners += f" → {OWNER_LABELS[step.also_owner]}"
    return owners


@dataclass(frozen=True)
class DeadlineInfo:
    """One countdown of a procedure, ready to show or export."""

    procedure_id: str
    step_id: str
    step_label: str
    owners: str
    duration: timedelta
    # « 72 h » or « avant le premier paiement »: the window alone, for tables.
    window: str
    text: str
    expiry: str
    remedy: str
    fallback_note: str
    source: str
    unverified: bool

    def as_json(self) -> dict[str, object]:
        return {
            "procedure_id": self.procedure_id,
            "step_id": self.step_id,
            "step_label": self.step_label,
            "owners": self.owners,
            "duration_seconds": int(self.duration.total_seconds()),
            "window": self.window,
            "text": self.text,
            "expiry": self.expiry,
            "remedy": self.remedy,
            "fallback_note": self.fallback_note,
            "source": self.source,
            "unverified": self.unverified,
        }


def procedure_deadlines(proc: Procedure) -> tuple[DeadlineInfo, ...]:
    """Every countdown the procedure starts, in step order."""
    return tuple(
        DeadlineInfo(
            procedure_id=proc.id,
            step_id=step.id,
            step_label=step.label,
            owners=owners_text(step),
            duration=step.countdown.duration,
            window=window_text(step.countdown, proc),
            text=countdown_text(step.countdown, proc),
            expiry=step.countdown.expiry,
            remedy=step.countdown.remedy,
            fallback_note=step.countdown.fallback_note,
            source=step.source,
            unverified=step.unverified,
        )
        for step in proc.steps
        if step.countdown is not None
    )
