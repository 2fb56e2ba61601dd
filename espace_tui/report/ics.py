"""Every open deadline as an iCalendar event with a reminder, times in Europe/Paris.

UIDs are derived from the SIREN (or the expert space), the procedure and the step, never
random: importing the file again updates the events instead of duplicating them. SEQUENCE
is the length of the item's append-only history, so it grows whenever the dossier changed
and calendars accept the newer version. A window closed recently (its step done) is sent
once more as a cancelled event, so the re-import clears it from the calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from espace_tui.domain.agenda import DeadlineItem
from espace_tui.domain.clock import MAX_YEAR, MIN_YEAR, to_paris
from espace_tui.domain.deadlines import Thresholds
from espace_tui.domain.display import format_datetime
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import OWNER_LABELS, procedure

PRODID = "-//espace-tui//Échéances des espaces professionnels//FR"
UID_DOMAIN = "espace-tui"
EVENT_LENGTH = timedelta(minutes=30)


def event_uid(item: DeadlineItem) -> str:
    prefix = item.key if item.kind == "dossier" else f"espace-{item.key}"
    return f"{prefix}-{item.procedure_id}-{item.step.id}@{UID_DOMAIN}"


def reminder_lead(item: DeadlineItem, thresholds: Thresholds) -> timedelta:
    """Remind when the dashboard would turn the step « urgent », never before the window opens."""
    window = item.deadline - item.window_start if item.window_start else timedelta(0)
    lead = max(thresholds.urgent_within, window * thresholds.urgent_share)
    return min(lead, window) if window > timedelta(0) else lead


def _title(item: DeadlineItem) -> str:
    who = item.name if item.kind == "dossier" else f"Espace expert {item.name}"
    prefix = "FAIT — " if item.done_at else "EXPIRÉ — " if item.expired else ""
    return f"{prefix}{who} : {item.step.label}"


def _description(item: DeadlineItem) -> str:
    proc = procedure(item.procedure_id)
    ident = f"SIREN {format_siren(item.key)}" if item.kind == "dossier" else f"espace {item.key}"
    lines = [
        f"{item.name} ({ident}) — {proc.label}.",
        f"Échéance : {format_datetime(item.deadline)} (heure de Paris).",
        f"{OWNER_LABELS[item.waiting_on]} : {item.action}",
    ]
    countdown = item.step.countdown
    if countdown is not None and not item.expired and not item.done_at:
        if countdown.note(item.fallback):
            lines.append(countdown.note(item.fallback))
        lines.append(f"Si l'échéance passe : {countdown.expiry} À faire : {countdown.remedy}.")
    if item.blocked:
        lines.append("Dossier bloqué : voir le diagnostic dans espace-tui.")
    return "\n".join(lines)


def render_ics(items: Iterable[DeadlineItem], now: datetime, thresholds: Thresholds) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Échéances espaces professionnels")
    calendar.add("x-wr-timezone", "Europe/Paris")
    # A deadline from a date typed before dates were checked (year 9999…) is no calendar
    # event: left out, the others are written.
    deadlines = [d for d in items if MIN_YEAR <= to_paris(d.deadline).year <= MAX_YEAR]
    for item in deadlines:
        start = to_paris(item.deadline)
        event = Event()
        event.add("uid", event_uid(item))
        event.add("sequence", item.history_length)
        event.add("dtstamp", now.astimezone(UTC))  # RFC 5545: DTSTAMP in UTC
        event.add("dtstart", start)
        event.add("dtend", start + EVENT_LENGTH)
        event.add("summary", _title(item))
        event.add("description", _description(item))
        event.add("categories", [OWNER_LABELS[item.waiting_on]])
        event.add("transp", "TRANSPARENT")
        if item.done_at is not None:
            # Same UID, cancelled: re-importing removes (or strikes out) the old event.
            event.add("status", "CANCELLED")
        elif not item.expired:  # a reminder for a past deadline would only pop up on import
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _title(item))
            alarm.add("trigger", -reminder_lead(item, thresholds))
            event.add_component(alarm)
        calendar.add_component(event)
    # A VTIMEZONE covering only the years used keeps the file small (default: 1970–2038).
    years = [to_paris(d.deadline).year for d in deadlines] or [to_paris(now).year]
    first, last = date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
    calendar.add_missing_timezones(first, last)
    for timezone in calendar.walk("VTIMEZONE"):
        # icalendar writes its own note in English: the one line a French user would meet.
        timezone.pop("COMMENT", None)
        timezone.add("comment", f"Fuseau horaire valable du {first:%d/%m/%Y} au {last:%d/%m/%Y}.")
    payload: bytes = calendar.to_ical()
    return payload
