"""French display of instants and durations, shared by the CLI, the dashboard and reports."""

from __future__ import annotations

from datetime import datetime, timedelta

from espace_tui.domain.clock import to_paris

_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def format_duration(delta: timedelta) -> str:
    """« 2 j 4 h », « 5 h 12 min », « 47 min », « 30 s »: two units at most."""
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def format_countdown(deadline: datetime, now: datetime) -> str:
    """Time left before `deadline`, or how long ago it passed."""
    remaining = deadline - now
    if remaining <= timedelta(0):
        return f"expiré depuis {format_duration(remaining)}"
    return format_duration(remaining)


def format_datetime(instant: datetime) -> str:
    """« 01/12/2026 09:00 » in Europe/Paris."""
    return to_paris(instant).strftime("%d/%m/%Y %H:%M")


def format_date(instant: datetime) -> str:
    return to_paris(instant).strftime("%d/%m/%Y")


def day_of_month(day: int) -> str:
    """« 1er », « 2 »… : French writes the first of the month as an ordinal."""
    return "1er" if day == 1 else str(day)


def format_long_date(instant: datetime) -> str:
    """« 1er déc. 2026 », « 4 déc. 2026 »."""
    local = to_paris(instant)
    return f"{day_of_month(local.day)} {_MONTHS[local.month - 1]} {local.year}"


_FULL_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_written_datetime(instant: datetime) -> str:
    """« vendredi 4 décembre 2026 à 09:00 », « mardi 1er décembre… », for letters to clients
    (Europe/Paris)."""
    local = to_paris(instant)
    return (
        f"{_WEEKDAYS[local.weekday()]} {day_of_month(local.day)} {_FULL_MONTHS[local.month - 1]} "
        f"{local.year} à {local:%H:%M}"
    )


# Joiners and presentation selectors glue emoji into one glyph (« 👨‍👩‍👧 » is 2 cells on
# screen) that width tables count as several: in a column they are dropped, so each emoji
# is drawn on its own and counted as drawn. Line breaks become spaces: one row, one line.
_GLUE = dict.fromkeys(map(ord, "\u200d\ufe0e\ufe0f"), None) | dict.fromkeys(
    range(0x1F3FB, 0x1F400),
    None,  # skin tones: merged with the emoji before them
)
_BREAKS = dict.fromkeys(map(ord, "\n\r\t\v\f\x85\u2028\u2029"), " ")


def column_text(text: str) -> str:
    """User text for a fixed-width column (tables, the dashboard's list)."""
    return text.translate(_GLUE | _BREAKS)
