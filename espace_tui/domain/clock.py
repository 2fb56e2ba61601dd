"""Injected time: every time-dependent computation asks a Clock, never datetime.now()."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from espace_tui.domain.errors import InvalidInput

PARIS = ZoneInfo("Europe/Paris")
NOW_ENV = "ESPACE_TUI_NOW"


class Clock(Protocol):
    """Instants inside the program are UTC: aware arithmetic between two datetimes sharing a
    ZoneInfo is wall-clock arithmetic, which would make a 72 h window last 71 or 73 hours
    across a daylight-saving change. Europe/Paris is for display only."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FrozenClock:
    """A clock that only moves when told to (tests, screenshots, ESPACE_TUI_NOW)."""

    instant: datetime = field(default_factory=lambda: datetime(2026, 12, 1, 9, 0, tzinfo=PARIS))

    def __post_init__(self) -> None:
        if self.instant.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.instant += delta

    def set(self, instant: datetime) -> None:
        self.instant = instant


# A date outside this range is a typo (« 28/11/226 »), not a dossier event (nor a clock).
MIN_YEAR = 2000
MAX_YEAR = 2099


def parse_instant(text: str, field_name: str = "date") -> datetime:
    """Parse an ISO 8601 date-time typed by a user; a naive one is read in Europe/Paris."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            field_name,
            f"« {text} » n'est pas une date valide (attendu : AAAA-MM-JJ ou AAAA-MM-JJTHH:MM, "
            "par exemple 2026-12-01T09:00).",
        ) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:  # before any arithmetic: it would overflow
        raise InvalidInput(
            field_name,
            f"« {text} » : l'année {value.year} est hors limites ({MIN_YEAR} à {MAX_YEAR}).",
        )
    if value.tzinfo is None:
        value = value.replace(tzinfo=PARIS)
    return value.astimezone(UTC)


def clock_from_env(environ: dict[str, str] | None = None) -> Clock:
    """ESPACE_TUI_NOW freezes the clock for the whole program (CLI and TUI)."""
    env = os.environ if environ is None else environ
    frozen = env.get(NOW_ENV, "").strip()
    if not frozen:
        return SystemClock()
    return FrozenClock(parse_instant(frozen, NOW_ENV))


def to_paris(instant: datetime) -> datetime:
    try:
        return instant.astimezone(PARIS)
    except OverflowError:  # a stored date at the very end of the calendar: shown as UTC
        return instant
