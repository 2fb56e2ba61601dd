"""The calendar export read back with icalendar: events, reminders, Paris times, stable UIDs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar

from espace_tui.domain.agenda import closed_deadlines
from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.report.export import export_bytes
from espace_tui.report.model import tracked_rows
from espace_tui.workspace import Workspace

GARAGE = "813392966"
GARAGE_LINK_UID = f"{GARAGE}-simplifie-lien_email@espace-tui"
ANNEXE_UID = "espace-annexe-espace_expert-activation_espace@espace-tui"


def events(workspace: Workspace) -> dict[str, Any]:
    calendar = Calendar.from_ical(export_bytes(workspace, "ics"))
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "UIDs are unique"
    return found


def is_cancelled(event: Any) -> bool:
    return str(event.get("STATUS", "")) == "CANCELLED"


def open_events(workspace: Workspace) -> dict[str, Any]:
    return {uid: e for uid, e in events(workspace).items() if not is_cancelled(e)}


def expected_uids(workspace: Workspace) -> set[str]:
    """Open windows read from the JSON report (dossiers) and from the spaces' states."""
    data = json.loads(export_bytes(workspace, "json"))
    uids = {
        f"{d['siren']}-{d['procedure']}-{s['id']}@espace-tui"
        for d in data["dossiers"]
        for s in d["steps"]
        if s["applies"] and s["deadline"] and not s["done_at"]
    }
    for space in workspace.spaces():
        state = workspace.state(space)
        uids |= {
            f"espace-{space.id}-{space.procedure_id}-{s.template.id}@espace-tui"
            for s in state.steps
            if s.window_open
        }
    return uids


def test_every_open_deadline_is_an_event_in_paris_time(demo: Workspace) -> None:
    found = open_events(demo)
    assert set(found) == expected_uids(demo)
    garage = found[GARAGE_LINK_UID]
    start = garage["DTSTART"].dt
    assert start == datetime(2026, 12, 1, 21, 0, tzinfo=PARIS)
    assert str(start.tzinfo) == "Europe/Paris"
    assert "Garage des Alpes" in str(garage["SUMMARY"])
    # The expert space created 5 h ago must be activated within 48 h.
    annexe = found[ANNEXE_UID]
    assert annexe["DTSTART"].dt == datetime(2026, 12, 3, 4, 0, tzinfo=PARIS)
    payload = export_bytes(demo, "ics")
    calendar = Calendar.from_ical(payload)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    # icalendar's English note replaced by a French one (the deadlines are in 2026).
    assert b"This timezone" not in payload
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["COMMENT"]) == "Fuseau horaire valable du 01/01/2025 au 01/01/2029."


def test_open_deadlines_carry_a_reminder_expired_ones_none(demo: Workspace) -> None:
    for uid, event in events(demo).items():
        alarms = event.walk("VALARM")
        expired = str(event["SUMMARY"]).startswith("EXPIRÉ")
        if expired or is_cancelled(event):
            assert alarms == [], uid
            continue
        (alarm,) = alarms
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm["TRIGGER"].dt < timedelta(0)
    # 72 h link window: reminder when it turns urgent, 48 h before the end.
    (garage_alarm,) = events(demo)[GARAGE_LINK_UID].walk("VALARM")
    assert garage_alarm["TRIGGER"].dt == -timedelta(hours=48)


def test_reexport_keeps_uids_and_updates_changed_events(
    demo: Workspace, clock: FrozenClock
) -> None:
    first = events(demo)
    assert set(events(demo)) == set(first)
    # Time passes, the form of one more dossier is ticked: same UIDs, plus the new window.
    clock.advance(timedelta(hours=2))
    demo.tick("821771284", "formulaire")  # Café de la Gare
    second = events(demo)
    assert set(first) <= set(second)
    assert set(second) - set(first) == {"821771284-simplifie-lien_email@espace-tui"}
    # Restarting the link window moves the same event (same UID) with a higher SEQUENCE.
    demo.restart(GARAGE)
    demo.tick(GARAGE, "formulaire")
    third = events(demo)
    before, after = first[GARAGE_LINK_UID], third[GARAGE_LINK_UID]
    assert after["DTSTART"].dt == clock.now() + timedelta(hours=72)
    assert after["DTSTART"].dt != before["DTSTART"].dt
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])


def test_filtered_calendar(demo: Workspace) -> None:
    from espace_tui.report.model import parse_statuses

    only = parse_statuses(["expiré"])
    calendar = Calendar.from_ical(export_bytes(demo, "ics", only))
    sirens = {str(e["UID"]).split("-")[0] for e in calendar.walk("VEVENT")}
    expired = {d["siren"] for d in json.loads(export_bytes(demo, "json", only))["dossiers"]}
    assert sirens == expired and len(expired) == 3


def test_a_step_done_cancels_its_event_on_the_next_import(demo: Workspace) -> None:
    before = events(demo)[GARAGE_LINK_UID]
    assert not is_cancelled(before)
    demo.tick(GARAGE, "lien_email")
    after = events(demo)[GARAGE_LINK_UID]  # same UID: the calendar updates its event
    assert is_cancelled(after)
    assert str(after["SUMMARY"]).startswith("FAIT — Garage des Alpes")
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.walk("VALARM") == []
    # Windows closed long ago are no longer sent (Dubois Transports: done 89 days ago).
    assert not any(uid.startswith("818629412-") for uid in events(demo))
    long_ago = closed_deadlines(tracked_rows(demo), demo.now() - timedelta(days=100))
    assert "818629412" in {d.key for d in long_ago}
