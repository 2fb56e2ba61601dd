"""Reading a dossier's or space's history: latest entries first, the last time a client was
chased. Shared by the dashboard, `show` and the exports so they all say the same."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from espace_tui.domain.dossier import HistoryEntry

# The history action recorded when a client was sent a reminder (a letter).
CHASE_ACTION = "client_chased"


def latest(history: Sequence[HistoryEntry], count: int) -> list[HistoryEntry]:
    """The `count` most recent entries, newest first."""
    return list(reversed(history[-count:])) if count > 0 else []


def last_chase(history: Sequence[HistoryEntry]) -> HistoryEntry | None:
    """The last reminder sent to the client, if any."""
    return next((e for e in reversed(history) if e.action == CHASE_ACTION), None)


def last_chased_at(history: Sequence[HistoryEntry]) -> datetime | None:
    entry = last_chase(history)
    return None if entry is None else entry.at
