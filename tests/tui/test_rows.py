"""Row texts, filter, sort keys and the instant a row must be recomputed (no Textual)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Status, track_state
from espace_tui.domain.display import format_countdown
from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.tui.rows import RowView, SortOrder, next_sort, row_view

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def view(dossier: Dossier, now: datetime = NOW) -> RowView:
    return row_view(dossier, lambda d, n: track_state(d, n), now, DEFAULT_THRESHOLDS)


def link_dossier(form_ago: timedelta) -> Dossier:
    # Simplified mode: the 72 h link window opens when the form is sent.
    return Dossier(
        siren="732829320",
        name="Garage des Alpes",
        mode=Mode.SIMPLIFIED,
        created_at=NOW - form_ago,
        events={"formulaire": NOW - form_ago},
    )


def test_row_texts() -> None:
    row = view(link_dossier(timedelta(hours=60)))
    assert row.siren_text == "732 829 320"
    assert row.mode == "simplifié"
    assert row.countdown == "12 h"
    assert row.status is Status.URGENT and row.status_label == "urgent"


def test_expired_row_says_since_when() -> None:
    row = view(link_dossier(timedelta(days=6)))
    assert row.status is Status.EXPIRED
    assert row.countdown == "expiré depuis 3 j"


def test_filter_matches_siren_name_and_status() -> None:
    row = view(link_dossier(timedelta(hours=60)))
    assert row.matches("732 829")
    assert row.matches("garage")
    assert row.matches("URGENT")
    assert not row.matches("expiré")
    assert not row.matches("boulangerie")


def test_sort_cycle() -> None:
    assert next_sort(SortOrder.URGENCY) is SortOrder.NAME
    assert next_sort(SortOrder.NAME) is SortOrder.SIREN
    assert next_sort(SortOrder.SIREN) is SortOrder.OWNER
    assert next_sort(SortOrder.OWNER) is SortOrder.URGENCY


def test_refresh_at_is_when_the_text_or_the_status_changes() -> None:
    dossier = link_dossier(timedelta(hours=60, minutes=0, seconds=30))
    row = view(dossier)
    assert row.refresh_at is not None
    # Nothing displayed changes before refresh_at…
    just_before = row.refresh_at - timedelta(milliseconds=2)
    assert view(dossier, just_before).countdown == row.countdown
    # …and something does right after it.
    after = view(dossier, row.refresh_at)
    assert after.countdown != row.countdown


def test_refresh_at_catches_a_threshold_between_text_changes() -> None:
    # 60-day code window (expert mode): "bientôt" starts at 25 % left = 15 days before the end,
    # a moment where the text "15 j 0 h" / "14 j 23 h" also moves; statuses follow exactly.
    # In UTC: windows are absolute durations (a Paris date 45 days back crosses a DST change).
    start = NOW.astimezone(UTC) - timedelta(days=44, hours=23, minutes=30)
    dossier = Dossier(
        siren="732829320",
        name="Hôtel du Lac",
        mode=Mode.EXPERT,
        created_at=start,
        events={"adhesion": start},
    )
    row = view(dossier)
    assert row.status is Status.OK
    assert row.refresh_at is not None
    later = view(dossier, row.refresh_at)
    assert later.status is Status.SOON
    assert format_countdown(start + timedelta(days=60), row.refresh_at) == later.countdown


def test_no_deadline_no_refresh() -> None:
    dossier = Dossier(siren="732829320", name="X", mode=Mode.SIMPLIFIED, created_at=NOW)
    row = view(dossier)
    assert row.countdown == "—" and row.refresh_at is None
