"""A dossier is one client SIREN following one procedure; an expert space is a cabinet login."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from espace_tui.domain.procedures import EXPERT_ADHESION, EXPERT_SPACE, SIMPLIFIED, Condition, Fact
from espace_tui.domain.teleservices import (
    EXPERT_USUAL,
    SIMPLIFIED_AUTOMATIC,
    TELESERVICES_BY_ID,
    ServiceState,
)


class Mode(StrEnum):
    SIMPLIFIED = "simplifie"
    EXPERT = "expert"


MODE_LABELS: dict[Mode, str] = {Mode.SIMPLIFIED: "simplifié", Mode.EXPERT: "expert"}
DEFAULT_PROCEDURE: dict[Mode, str] = {
    Mode.SIMPLIFIED: SIMPLIFIED.id,
    Mode.EXPERT: EXPERT_ADHESION.id,
}
# Services a new dossier starts with when none are given.
DEFAULT_SERVICES: dict[Mode, tuple[str, ...]] = {
    Mode.SIMPLIFIED: SIMPLIFIED_AUTOMATIC,
    Mode.EXPERT: EXPERT_USUAL,
}


class MandateType(StrEnum):
    """Kept for stored dossiers and imports; decides nothing (each account has both)."""

    CORE = "CORE"
    B2B = "B2B"


class MandateState(StrEnum):
    TO_PRINT = "to_print"
    SENT_TO_BANK = "sent_to_bank"
    CONFIRMED = "confirmed"


MANDATE_STATE_LABELS: dict[MandateState, str] = {
    MandateState.TO_PRINT: "à imprimer",
    MandateState.SENT_TO_BANK: "envoyé à la banque",
    MandateState.CONFIRMED: "enregistré par la banque",
}


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class BankAccount:
    iban: str
    bic: str
    mandate_type: MandateType = MandateType.B2B
    mandate_state: MandateState = MandateState.TO_PRINT


@dataclass(frozen=True, slots=True)
class Blockage:
    """An open or resolved blockage; `kind` is an id of the diagnosis catalogue."""

    id: str
    kind: str
    opened_at: datetime
    remedy: str | None = None
    resolved_at: datetime | None = None
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


@dataclass(frozen=True)
class Dossier:
    siren: str
    name: str
    mode: Mode
    created_at: datetime
    procedure_id: str = ""
    email_entreprise: str = ""
    email_connexion: str = ""
    space_id: str | None = None
    services: dict[str, ServiceState] = field(default_factory=dict)
    bank: BankAccount | None = None
    notes: str = ""
    activation_code: str = ""
    # Step ids and facts (procedures.Fact) mapped to when they happened.
    events: dict[str, datetime] = field(default_factory=dict)
    blockages: tuple[Blockage, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    def __post_init__(self) -> None:
        if not self.procedure_id:
            object.__setattr__(self, "procedure_id", DEFAULT_PROCEDURE[self.mode])

    def conditions(self) -> frozenset[Condition]:
        held: set[Condition] = set()
        if "messagerie" in self.services:
            held.add(Condition.MESSAGERIE_REQUESTED)
        # Keyed on the services (or a dated first payment), never on a mandate type: every
        # account has both mandates, and a self-assessed tax is paid through the B2B one.
        paying = any(
            s in TELESERVICES_BY_ID and TELESERVICES_BY_ID[s].payment for s in self.services
        )
        if paying or Fact.FIRST_PAYMENT.value in self.events:
            held.add(Condition.PAYMENT_REQUESTED)
        return frozenset(held)

    @property
    def open_blockages(self) -> tuple[Blockage, ...]:
        return tuple(b for b in self.blockages if b.is_open)

    def with_history(self, at: datetime, action: str, detail: str, **changes: object) -> Dossier:
        """A copy with `changes` applied and one more history entry (history is append-only)."""
        entry = HistoryEntry(at=at, action=action, detail=detail)
        return replace(self, history=(*self.history, entry), **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ExpertSpace:
    id: str
    label: str
    login_email: str
    created_at: datetime
    events: dict[str, datetime] = field(default_factory=dict)
    history: tuple[HistoryEntry, ...] = ()
    procedure_id: str = EXPERT_SPACE.id

    def conditions(self) -> frozenset[Condition]:
        return frozenset()

    @property
    def open_blockages(self) -> tuple[Blockage, ...]:
        return ()

    def with_history(
        self, at: datetime, action: str, detail: str, **changes: object
    ) -> ExpertSpace:
        entry = HistoryEntry(at=at, action=action, detail=detail)
        return replace(self, history=(*self.history, entry), **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CabinetInfo:
    name: str = ""
    siren: str = ""
