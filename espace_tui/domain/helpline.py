"""The téléprocédures helpline: its number and opening hours as data, and "is it open now?"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from espace_tui.domain.clock import to_paris


@dataclass(frozen=True)
class Helpline:
    label: str
    number: str
    # Monday = 0 … Friday = 4, as datetime.weekday().
    weekdays: frozenset[int]
    opens: time
    closes: time
    closed_on_public_holidays: bool = True


TELEPROCEDURES_HELPLINE = Helpline(
    label="Assistance téléprocédures",
    number="0 809 400 210",
    weekdays=frozenset(range(5)),
    opens=time(8, 0),
    closes=time(19, 30),
)

_FRENCH_HOLIDAYS: dict[int, Any] = {}


def clock_time(value: time) -> str:
    """« 8 h », « 19 h 30 »: how French prose writes a time of day."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def is_public_holiday(instant: datetime) -> bool:
    """A French (metropolitan) public holiday, on the Paris calendar day of `instant`."""
    local = to_paris(instant)
    calendar = _FRENCH_HOLIDAYS.get(local.year)
    if calendar is None:
        # Imported on first use: the package takes ~50 ms to load, paid after the first screen.
        import holidays

        calendar = _FRENCH_HOLIDAYS[local.year] = holidays.country_holidays("FR", years=local.year)
    return local.date() in calendar


def calendar_loaded(instant: datetime) -> bool:
    """Whether `is_public_holiday` can answer for this year without loading the package."""
    return to_paris(instant).year in _FRENCH_HOLIDAYS


def is_open(line: Helpline, instant: datetime) -> bool:
    local = to_paris(instant)
    if local.weekday() not in line.weekdays:
        return False
    if line.closed_on_public_holidays and is_public_holiday(local):
        return False
    return line.opens <= local.time() < line.closes


def helpline_status(line: Helpline, instant: datetime, *, short: bool = False) -> str:
    """« Assistance téléprocédures 0 809 400 210 : ouverte jusqu'à 19:30 » / « … : fermée ».

    `short` drops the label (« Assistance 0 809 400 210 : fermée ») for narrow headers.
    """
    label = "Assistance" if short else line.label
    if is_open(line, instant):
        return f"{label} {line.number} : ouverte jusqu'à {line.closes:%H:%M}"
    return f"{label} {line.number} : fermée"
