"""Every status threshold exactly at, one second before and one second after its instant.

The thresholds (`Thresholds`): urgent under 48 h or under 20 % of the window left, bientôt
under 7 days or under 25 %, expiré at the deadline. Each is checked on the window where it
is the one that decides: the 72 h link (48 h), the 60-day code (20 %, 25 %), the first
payment's fixed date (7 days, 48 h), the expert space's 48 h activation (48 h), and the
deadline of each. "Before" means earlier in time, so more time left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import Status, Tracked, track_state
from espace_tui.domain.dossier import BankAccount, Dossier, ExpertSpace, Mode
from espace_tui.domain.procedures import (
    CODE_VALIDITY,
    EXPERT_ACTIVATION_WINDOW,
    LINK_WINDOW,
    Fact,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
SECOND = timedelta(seconds=1)
PAYMENT = T0 + timedelta(days=30)


def _link_window() -> Dossier:
    """Form sent at T0: the link must be clicked within 72 h."""
    return Dossier("552081317", "Danone", Mode.SIMPLIFIED, created_at=T0, events={"formulaire": T0})


def _code_window() -> Dossier:
    """Link clicked at T0: the letter's code is valid 60 days."""
    events = {"formulaire": T0, "lien_email": T0}
    return Dossier("552081317", "Danone", Mode.SIMPLIFIED, created_at=T0, events=events)


def _expert_code_window() -> Dossier:
    """Adhesion at T0, in expert mode: the services' code is valid 60 days."""
    return Dossier(
        "732829320", "Client", Mode.EXPERT, created_at=T0, space_id="p", events={"adhesion": T0}
    )


def _first_payment() -> Dossier:
    """Everything done but the B2B mandate, due by the first payment (a fixed date)."""
    steps = ("formulaire", "lien_email", "courrier_code", "activation", "compte_bancaire")
    events = {step: T0 for step in steps} | {Fact.FIRST_PAYMENT.value: PAYMENT}
    dossier = Dossier("552081317", "Danone", Mode.SIMPLIFIED, created_at=T0, events=events)
    return replace(dossier, bank=BankAccount("FR7630006000011234567890189", "BNPAFRPP"))


def _space_window() -> ExpertSpace:
    """The expert space's details entered at T0: its code must be entered within 48 h."""
    return ExpertSpace("p", "Principal", "a@b.fr", created_at=T0, events={"coordonnees": T0})


@dataclass(frozen=True)
class Boundary:
    name: str
    item: Tracked
    instant: datetime  # the threshold's instant
    # Expected status, as a letter of LETTERS: one second earlier (one more second left),
    # exactly at the instant, and one second later.
    before: str
    at: str
    after: str


BOUNDARIES = [
    # 48 h left of the 72 h link (share 67 %): exactly 48 h left is still « bientôt ».
    Boundary("dossier 48 h", _link_window(), T0 + timedelta(hours=24), *"SSU"),
    Boundary("dossier expiry 72 h", _link_window(), T0 + LINK_WINDOW, *"UEE"),
    # 25 % of 60 days = 15 days left; 20 % = 12 days left.
    Boundary("dossier 25 %", _code_window(), T0 + timedelta(days=45), *"OOS"),
    Boundary("dossier 20 %", _code_window(), T0 + timedelta(days=48), *"SSU"),
    Boundary("dossier expiry 60 days", _code_window(), T0 + CODE_VALIDITY, *"UEE"),
    Boundary("expert dossier 25 %", _expert_code_window(), T0 + timedelta(days=45), *"OOS"),
    Boundary("expert dossier 20 %", _expert_code_window(), T0 + timedelta(days=48), *"SSU"),
    Boundary("expert dossier expiry", _expert_code_window(), T0 + CODE_VALIDITY, *"UEE"),
    # A fixed date has no window to take a share of: only the fixed times count.
    Boundary("dossier 7 days", _first_payment(), PAYMENT - timedelta(days=7), *"OOS"),
    Boundary("dossier 48 h fixed date", _first_payment(), PAYMENT - timedelta(hours=48), *"SSU"),
    Boundary("dossier expiry fixed date", _first_payment(), PAYMENT, *"UEE"),
    # The expert space's window is 48 h long: it opens « bientôt » and turns urgent at once.
    Boundary("expert space 48 h", _space_window(), T0, *"SSU"),
    Boundary("expert space expiry", _space_window(), T0 + EXPERT_ACTIVATION_WINDOW, *"UEE"),
]
LETTERS = {"O": Status.OK, "S": Status.SOON, "U": Status.URGENT, "E": Status.EXPIRED}


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=[b.name for b in BOUNDARIES])
@pytest.mark.parametrize("offset", [-SECOND, timedelta(0), SECOND], ids=["before", "at", "after"])
def test_status_one_second_around_each_threshold(boundary: Boundary, offset: timedelta) -> None:
    wanted = {-SECOND: boundary.before, timedelta(0): boundary.at, SECOND: boundary.after}[offset]
    status = track_state(boundary.item, boundary.instant + offset).status
    assert status is LETTERS[wanted], f"{boundary.name} {offset}: {status} != {wanted}"


def test_the_windows_are_those_the_cases_assume() -> None:
    """A change in the procedure data shows here first, with what to recompute."""
    windows = (LINK_WINDOW, CODE_VALIDITY, EXPERT_ACTIVATION_WINDOW)
    assert windows == (timedelta(hours=72), timedelta(days=60), timedelta(hours=48))
