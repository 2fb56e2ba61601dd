"""The next step, the deadline step, the expired steps and the status are derived once, in one
pass over the steps: they must say exactly what their definitions say, in every situation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import STATUS_RANK, Status, TrackState, track_state
from espace_tui.domain.dossier import Blockage, Dossier
from espace_tui.domain.procedures import PROCEDURES, Countdown, Owner, Procedure, StepTemplate
from espace_tui.workspace.demo import demo_dossiers

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
# From before the first window opens to long after every window closed.
OFFSETS = [timedelta(hours=h) for h in (-2000, -100, -30, 0, 20, 47, 49, 70, 73, 200, 2000)]


def _by_definition(state: TrackState, blocked: bool) -> tuple[object, ...]:
    steps = state.steps
    open_windows = [s for s in steps if s.applies and not s.done and s.deadline is not None]
    expired = tuple(s for s in open_windows if s.urgency is Status.EXPIRED)
    if blocked:
        status = Status.BLOCKED
    elif expired:
        status = Status.EXPIRED
    elif all(s.done for s in steps if s.applies):
        status = Status.DONE
    else:
        status = min(
            (s.urgency for s in open_windows), key=STATUS_RANK.__getitem__, default=Status.OK
        )
    deadline_step = min(open_windows, key=lambda s: s.deadline) if open_windows else None  # type: ignore[arg-type, return-value]
    return (
        next((s for s in steps if s.applies and not s.done), None),
        deadline_step,
        expired,
        status,
        deadline_step.deadline if deadline_step else None,
    )


def _situations() -> list[Dossier]:
    dossiers = demo_dossiers(T0)
    blocked = replace(
        dossiers[0], blockages=(Blockage("b1", "code_non_recu", T0 - timedelta(days=1)),)
    )
    # Two windows ending at the same instant: the first one is the deadline step.
    tied = next(d for d in dossiers if len(d.events) >= 3)
    same = dict.fromkeys(tied.events, T0 - timedelta(days=3))
    return [*dossiers, blocked, replace(tied, events=same)]


@pytest.mark.parametrize("offset", OFFSETS)
def test_derived_fields_match_their_definitions(offset: timedelta) -> None:
    for dossier in _situations():
        state = track_state(dossier, T0 + offset)
        derived = (
            state.next_step,
            state.deadline_step,
            state.expired_steps,
            state.status,
            state.next_deadline,
        )
        expected = _by_definition(state, bool(dossier.open_blockages))
        # Identity for the steps: the very step objects, not equal look-alikes.
        assert derived[0] is expected[0], dossier.name
        assert derived[1] is expected[1], dossier.name
        assert derived[2:] == expected[2:], dossier.name


def test_windows_ending_together_give_the_first_step_as_deadline_step(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = Countdown(("start",), timedelta(hours=72), "Délai dépassé.", "Recommencer")
    steps = tuple(
        StepTemplate(step_id, step_id, Owner.CLIENT, countdown=window)
        for step_id in ("start", "first", "second")
    )
    tied = Procedure("egalite", "Égalité", "", "", steps)
    monkeypatch.setitem(PROCEDURES, tied.id, tied)
    dossier = replace(demo_dossiers(T0)[0], procedure_id=tied.id, events={"start": T0})
    state = track_state(dossier, T0 + timedelta(hours=1))
    assert state.deadline_step is state.steps[1]
    assert state.next_step is state.steps[1]
