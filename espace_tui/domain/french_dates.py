"""Dates and times typed the French way, read as Europe/Paris wall time.

One parser for every place a date is typed (CLI, dashboard dialogs, imported columns): what
the screens show (« 28/11/2026 14:30 ») is accepted back, as are « 28/11 », « 14h30 »,
« aujourd'hui », « hier », « avant-hier » and ISO 8601. A wall time that does not exist
(the spring daylight-saving gap) or happens twice (the autumn fold) is refused with a French
message saying so, never silently moved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from espace_tui.domain.clock import MAX_YEAR, MIN_YEAR, PARIS
from espace_tui.domain.errors import InvalidInput

# Shown next to every date field and in --help: exactly what `parse_french_datetime` takes.
DATE_FORMS = (
    "JJ/MM/AAAA, JJ/MM, JJ/MM/AAAA 14h30 (ou 14:30), aujourd'hui, hier, avant-hier ou AAAA-MM-JJ"
)
DATE_HINT = f"{DATE_FORMS} ; heure de Paris"
DATE_EXAMPLE = "par exemple 28/11/2026 14h30"


# « 28/11 » without a year: this year, unless that lands more than this far ahead (typed in
# January, « 28/12 » means last December: dates typed here are mostly past events).
_YEARLESS_FUTURE_LIMIT = timedelta(days=183)

_RELATIVE_DAYS = {"aujourd'hui": 0, "hier": 1, "avant-hier": 2, "maintenant": 0}

_DATE = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>\d{4}|\d{2}))?"
_WORD = r"(?P<word>aujourd'hui|avant-hier|hier|maintenant)"
_TIME = r"(?P<hour>\d{1,2})(?:\s*[h:]\s*(?P<minute>\d{2})?(?::(?P<second>\d{2}))?)"
# « été » / « hiver » pick one of the two 02:30 of the autumn fold.
_SEASON = r"(?:\s*\(?(?P<season>heure d'été|heure d'hiver|été|hiver)\)?)?"
_FRENCH = re.compile(rf"^(?:{_DATE}|{_WORD})(?:\s*(?:,|à|a)?\s*{_TIME})?{_SEASON}$")
_TIME_ALONE = re.compile(rf"^{_TIME}{_SEASON}$")
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class WallTime:
    """A Paris wall time before it is checked against daylight saving."""

    value: datetime  # naive
    season: str = ""  # "été", "hiver" or ""


def _normalise(text: str) -> str:
    # Typographic apostrophes and non-breaking spaces arrive from word processors.
    cleaned = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u00a0", " ")
    return " ".join(cleaned.split()).lower()


def _expected(text: str) -> str:
    return f"« {text} » n'est pas une date reconnue (attendu : {DATE_FORMS})."


def _year_for(day: int, month: int, today: date) -> int:
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        return today.year  # the caller reports the impossible day with this year
    if candidate - today > _YEARLESS_FUTURE_LIMIT:
        return today.year - 1
    return today.year


def _wall_time(text: str, field: str, now: datetime) -> WallTime | datetime:
    """The typed text as a naive Paris wall time, or an aware instant (ISO with an offset)."""
    local_now = now.astimezone(PARIS)
    if _ISO_START.match(text):
        try:
            value = datetime.fromisoformat(text.upper().replace(" ", "T", 1))
        except ValueError:
            raise InvalidInput(field, _expected(text)) from None
        return value if value.tzinfo is not None else WallTime(value)
    match = _FRENCH.match(text) or _TIME_ALONE.match(text)
    if match is None:
        raise InvalidInput(field, _expected(text))
    parts: dict[str, str | None] = {"day": None, "word": None, **match.groupdict()}
    if parts["word"] is not None:
        day = local_now.date() - timedelta(days=_RELATIVE_DAYS[parts["word"]])
        at = local_now.time().replace(second=0, microsecond=0, tzinfo=None)
    elif parts["day"] is not None:
        d, m = int(parts["day"]), int(parts["month"] or 0)
        if parts["year"] is None:
            y = _year_for(d, m, local_now.date())
        else:
            y = int(parts["year"])
            y += 2000 if y < 100 else 0
        if not MIN_YEAR <= y <= MAX_YEAR:
            raise InvalidInput(
                field, f"« {text} » : l'année {y} est hors limites ({MIN_YEAR} à {MAX_YEAR})."
            )
        try:
            day = date(y, m, d)
        except ValueError:
            raise InvalidInput(
                field, f"« {text} » : le {d:02d}/{m:02d}/{y} n'existe pas dans le calendrier."
            ) from None
        at = time(0, 0)
    else:  # a time alone: today
        day = local_now.date()
        at = time(0, 0)
    if parts["hour"] is not None:
        hour, minute = int(parts["hour"]), int(parts["minute"] or 0)
        second = int(parts["second"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise InvalidInput(field, f"« {text} » : heure impossible (00h00 à 23h59).")
        at = time(hour, minute, second)
    season = (parts["season"] or "").removeprefix("heure d'")
    return WallTime(datetime.combine(day, at), season)


def _gap_message(text: str, wall: datetime) -> str:
    return (
        f"« {text} » n'existe pas à Paris : le {wall:%d/%m/%Y}, passage à l'heure d'été, les "
        "horloges sautent de 02h00 à 03h00. Tapez une heure avant 02h00 ou à partir de 03h00."
    )


def _fold_message(text: str, wall: datetime) -> str:
    hhmm = f"{wall:%H}h{wall:%M}"
    return (
        f"« {text} » est ambiguë : le {wall:%d/%m/%Y}, passage à l'heure d'hiver, les horloges "
        f"reculent de 03h00 à 02h00 et {hhmm} a lieu deux fois. Précisez « {wall:%d/%m/%Y} "
        f"{hhmm} été » (la première, UTC+2) ou « {wall:%d/%m/%Y} {hhmm} hiver » (la seconde, "
        "UTC+1)."
    )


def paris_instant(wall: WallTime, text: str, field: str) -> datetime:
    """The UTC instant of a Paris wall time; the DST gap and an unresolved fold refused."""
    first = wall.value.replace(tzinfo=PARIS, fold=0)
    second = wall.value.replace(tzinfo=PARIS, fold=1)
    # In the gap neither reading survives a round trip through UTC.
    if first.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None) != wall.value:
        raise InvalidInput(field, _gap_message(text, wall.value))
    if first.utcoffset() != second.utcoffset():
        if wall.season == "été":
            return first.astimezone(UTC)
        if wall.season == "hiver":
            return second.astimezone(UTC)
        raise InvalidInput(field, _fold_message(text, wall.value))
    return first.astimezone(UTC)


def parse_french_datetime(text: str, field: str, now: datetime) -> datetime:
    """What a user typed (see DATE_FORMS) as a UTC instant; a date alone is 00h00 in Paris,
    « aujourd'hui »/« hier » alone keep the current time of day. `now` (the injected clock)
    resolves the relative words and a missing year."""
    cleaned = _normalise(text)
    if not cleaned:
        raise InvalidInput(field, f"date manquante (attendu : {DATE_FORMS}).")
    parsed = _wall_time(cleaned, field, now)
    if isinstance(parsed, datetime):
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:
            raise InvalidInput(
                field,
                f"« {text} » : l'année {parsed.year} est hors limites ({MIN_YEAR} à {MAX_YEAR}).",
            )
        return parsed.astimezone(UTC)
    if not MIN_YEAR <= parsed.value.year <= MAX_YEAR:
        raise InvalidInput(
            field,
            f"« {text} » : l'année {parsed.value.year} est hors limites ({MIN_YEAR} à {MAX_YEAR}).",
        )
    return paris_instant(parsed, text.strip(), field)


def format_input_datetime(instant: datetime) -> str:
    """« 28/11/2026 14:30 »: how a date field is pre-filled (what the screens show, and what
    the parser reads back)."""
    return instant.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
