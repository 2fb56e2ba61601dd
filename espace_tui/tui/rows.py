"""What one line of the dossier list shows, and when it must be recomputed (no Textual here).

A row's status (its colour, its place in the sort, the alerts) changes at thresholds: each row
says when (`status_at`) and the tick recomputes exactly the rows whose instant came
(tui/due_rows.py), shown or not. Its countdown text changes far more often (every minute under
24 h) but only matters where it is seen: the row keeps its deadline and the list writes the
text for the instant it draws (`countdown_at`, `countdown_changes_at`), on screen only.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from espace_tui.domain.agenda import OWNER_ORDER
from espace_tui.domain.deadlines import STATUS_LABELS, STATUS_RANK, Status, Thresholds, TrackState
from espace_tui.domain.display import countdown_changes_at, format_countdown
from espace_tui.domain.dossier import MODE_LABELS, Dossier, ExpertSpace, Mode
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import OWNER_LABELS
from espace_tui.domain.selection import next_owner

# A row's key is the dossier's SIREN, or this prefix and the id for a cabinet's expert space
# (never a valid SIREN, so both live in one list, sorted and counted together).
SPACE_KEY_PREFIX = "espace:"

# Statuses change just after a threshold (strict comparisons in classify_window).
_AFTER = timedelta(milliseconds=1)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: « Élégance » and « elegance » compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def row_owner(state: TrackState) -> str:
    """Who must act next: the cabinet when a window expired (it restarts), else the step's
    (the same rule as `--filtre qui=` on the command line)."""
    owner = next_owner(state)
    return "—" if owner is None else OWNER_LABELS[owner]


class SortOrder(StrEnum):
    URGENCY = "urgency"
    NAME = "name"
    SIREN = "siren"
    OWNER = "owner"


SORT_LABELS: dict[SortOrder, str] = {
    SortOrder.URGENCY: "urgence",
    SortOrder.NAME: "nom",
    SortOrder.SIREN: "SIREN",
    SortOrder.OWNER: "qui",
}
# « Who do I chase »: the cabinet's own work first, then the client, the DGFiP, the bank.
OWNER_SORT: dict[str, int] = {OWNER_LABELS[o]: i for i, o in enumerate(OWNER_ORDER)}
# The « Qui » filter cycles through these (None: everyone).
OWNER_FILTERS: tuple[str | None, ...] = (None, *(OWNER_LABELS[o] for o in OWNER_ORDER))


def next_sort(order: SortOrder) -> SortOrder:
    orders = list(SortOrder)
    return orders[(orders.index(order) + 1) % len(orders)]


@dataclass(frozen=True)
class RowView:
    siren: str
    siren_text: str
    name: str
    mode: str
    owner: str  # who acts next: Cabinet, Client, DGFiP, Banque
    status: Status
    # The instant the countdown runs to (None: nothing to wait for, shown « — »).
    deadline: datetime | None
    # Sort key, and the next instant at which the status can change (a threshold).
    urgency_key: tuple[int, float, str]
    status_at: datetime | None
    space_id: str | None = None  # set on an expert space's row
    search_extra: str = ""  # more words the `/` filter finds (an expert space's id)

    @functools.cached_property
    def haystack(self) -> str:
        """Name, status, owner folded (accents, case) on the first filter keystroke, then
        kept: folding 10,000 names at start-up delayed the first screen."""
        parts = (self.name, STATUS_LABELS[self.status], self.owner, self.search_extra)
        return "\n".join(fold(t) for t in parts if t)

    @property
    def key(self) -> str:
        return self.siren

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def countdown_at(self, now: datetime) -> str:
        """The « Échéance » text at `now`: time left, or how long ago it expired."""
        return "—" if self.deadline is None else format_countdown(self.deadline, now)

    def countdown_changes_at(self, now: datetime) -> datetime | None:
        """When `countdown_at` shows something else than at `now` (None: never)."""
        return None if self.deadline is None else countdown_changes_at(self.deadline, now)

    def matches(self, needle: str) -> bool:
        """`/` filter: SIREN (with or without spaces), name, status label or who acts next;
        case- and accent-insensitive both ways."""
        if not needle:
            return True
        text = fold(needle).strip()
        digits = text.replace(" ", "")
        return (
            (digits.isdigit() and digits in self.siren)
            or text in self.haystack
            or text == self.status.value
        )

    def sort_key(self, order: SortOrder) -> tuple[object, ...]:
        if order is SortOrder.NAME:
            return (self.name.casefold(), self.siren)
        if order is SortOrder.SIREN:
            return (self.siren,)
        if order is SortOrder.OWNER:  # urgency inside each group
            return (OWNER_SORT.get(self.owner, len(OWNER_SORT)), *self.urgency_key)
        return self.urgency_key


def _next_status_change(
    state: TrackState, now: datetime, thresholds: Thresholds
) -> datetime | None:
    """The first threshold (bientôt, urgent, expiré) an open window will cross after `now`."""
    best: datetime | None = None
    for step in state.steps:
        if not step.window_open or step.deadline is None or step.window_start is None:
            continue
        window = step.deadline - step.window_start
        for instant in (
            step.deadline - max(thresholds.soon_within, window * thresholds.soon_share),
            step.deadline - max(thresholds.urgent_within, window * thresholds.urgent_share),
            step.deadline,
        ):
            instant += _AFTER
            if instant > now and (best is None or instant < best):
                best = instant
    return best


def space_key(space_id: str) -> str:
    return SPACE_KEY_PREFIX + space_id


def space_id_of(key: str | None) -> str | None:
    """The expert space a row key names, None for a dossier's SIREN."""
    if key is None or not key.startswith(SPACE_KEY_PREFIX):
        return None
    return key[len(SPACE_KEY_PREFIX) :]


def _when(state: TrackState) -> float:
    """The deadline as a number, for the sort (no deadline: last)."""
    deadline = state.next_deadline
    return deadline.timestamp() if deadline else float("inf")


def space_title(space: ExpertSpace) -> str:
    """« Espace expert … » once, whether or not the user's label already says it."""
    return space.label if "espace" in fold(space.label) else f"Espace expert {space.label}"


def space_row_view(
    space: ExpertSpace,
    state_of: Callable[[ExpertSpace, datetime], TrackState],
    now: datetime,
    thresholds: Thresholds,
    members: int,
) -> RowView:
    """The cabinet's own expert space, as a row among the dossiers (same urgency sort)."""
    state = state_of(space, now)
    owner = row_owner(state)
    name = f"{space_title(space)} ({members} SIREN)"
    return RowView(
        siren=space_key(space.id),
        siren_text="Espace",
        name=name,
        mode=MODE_LABELS[Mode.EXPERT],
        owner=owner,
        status=state.status,
        deadline=state.next_deadline,
        urgency_key=(STATUS_RANK[state.status], _when(state), name.casefold()),
        status_at=_next_status_change(state, now, thresholds),
        search_extra=f"{space.id} espace",
        space_id=space.id,
    )


def row_view(
    dossier: Dossier,
    state_of: Callable[[Dossier, datetime], TrackState],
    now: datetime,
    thresholds: Thresholds,
) -> RowView:
    state = state_of(dossier, now)
    owner = row_owner(state)
    return RowView(
        siren=dossier.siren,
        siren_text=format_siren(dossier.siren),
        name=dossier.name,
        mode=MODE_LABELS[dossier.mode],
        owner=owner,
        status=state.status,
        deadline=state.next_deadline,
        urgency_key=(STATUS_RANK[state.status], _when(state), dossier.name.casefold()),
        status_at=_next_status_change(state, now, thresholds),
    )


def status_counts(rows: list[RowView]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[row.status] += 1
    return counts
