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


def countdown_changes_at(deadline: datetime, now: datetime) -> datetime:
    """The first instant after `now` at which format_countdown(deadline, ·) shows another text
    (the unit shown changes every hour, minute or second), a millisecond late so the new
    text is certain."""
    remaining = (deadline - now).total_seconds()
    span = abs(remaining)
    if span >= 86400:
        step = 3600.0
    elif span >= 60:
        step = 60.0
    else:
        step = 1.0
    # Counting down: the text changes once `remaining` drops below a multiple of the unit (at
    # once when it is one: « 2 h » turns « 1 h 59 min »); counting up (« expiré depuis … »):
    # once the time since reaches the next multiple.
    wait = remaining % step if remaining > 0 else step - (span % step)
    return now + timedelta(seconds=wait + 0.001)


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


def format_written_time(instant: datetime) -> str:
    """« 9 h », « 3 h 58 »: a time of day as French prose writes it (Europe/Paris)."""
    local = to_paris(instant)
    return f"{local.hour} h" if local.minute == 0 else f"{local.hour} h {local.minute:02d}"


def format_letter_date(instant: datetime, *, with_time: bool = True) -> str:
    """« vendredi 4 décembre 2026 à 9 h », or without the time where it means nothing, for
    letters to clients (Europe/Paris)."""
    local = to_paris(instant)
    day = f"{_WEEKDAYS[local.weekday()]} {day_of_month(local.day)} {_FULL_MONTHS[local.month - 1]}"
    text = f"{day} {local.year}"
    return f"{text} à {format_written_time(local)}" if with_time else text


def format_written_datetime(instant: datetime) -> str:
    """« vendredi 4 décembre 2026 à 9 h », « mardi 1er décembre 2026 à 3 h 58 »."""
    return format_letter_date(instant, with_time=True)


def format_time_left(deadline: datetime, now: datetime) -> str:
    """« encore 12 jours », « encore 1 jour et 6 heures », « encore 12 heures »: written out
    and rounded down, for letters (a client reads « 56 j 7 h » as a code)."""
    seconds = int((deadline - now).total_seconds())
    days, rest = divmod(max(seconds, 0), 86400)
    hours = rest // 3600
    if days >= 2:
        return f"encore {days} jours"
    if days == 1:
        return "encore 1 jour" + (f" et {hours} heure{'s' if hours > 1 else ''}" if hours else "")
    if hours >= 1:
        return f"encore {hours} heure{'s' if hours > 1 else ''}"
    return "moins d'une heure"


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


def plural(count: int, word: str, plural_form: str = "") -> str:
    """« 1 dossier », « 2 dossiers » (French: 0 and 1 take the singular)."""
    return f"{count} {word if count <= 1 else plural_form or word + 's'}"


def format_size(size: int) -> str:
    """A file size in French units: « 512 o », « 3,4 Ko », « 1,2 Mo »."""
    if size < 1024:
        return f"{size} o"
    value = float(size)
    for unit in ("Ko", "Mo", "Go"):
        value /= 1024
        if value < 1024 or unit == "Go":
            return f"{value:.1f} {unit}".replace(".", ",")
    raise AssertionError("unreachable")
