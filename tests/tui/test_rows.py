"""Row texts, filter, sort keys, when a row's status must be recomputed and when its
countdown text changes (no Textual)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Status, track_state
from espace_tui.domain.display import format_countdown
from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.tui.rows import RowView, SortOrder, next_sort, row_view

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


WINDOW_OF_LINK = timedelta(hours=72)


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
    assert row.countdown_at(NOW) == "12 h"
    assert row.status is Status.URGENT and row.status_label == "urgent"


def test_expired_row_says_since_when() -> None:
    row = view(link_dossier(timedelta(days=6)))
    assert row.status is Status.EXPIRED
    assert row.countdown_at(NOW) == "expiré depuis 3 j"


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


def test_countdown_changes_at_is_when_the_text_changes() -> None:
    dossier = link_dossier(timedelta(hours=60, minutes=0, seconds=30))
    row = view(dossier)
    changes_at = row.countdown_changes_at(NOW)
    assert changes_at is not None
    # The text stays until that instant…
    just_before = changes_at - timedelta(milliseconds=2)
    assert row.countdown_at(just_before) == row.countdown_at(NOW) == "11 h 59 min"
    # …and changes right at it (a minute under 24 h; an hour above).
    assert row.countdown_at(changes_at) == "11 h 58 min"
    # Above a day the text changes every hour.
    early = view(link_dossier(timedelta(hours=10, minutes=20)))
    assert early.countdown_at(NOW) == "2 j 13 h"
    assert early.countdown_changes_at(NOW) == NOW + timedelta(minutes=40, milliseconds=1)


def test_a_countdown_on_a_whole_unit_changes_at_once() -> None:
    # « 2 j 14 h » left exactly: a millisecond later it reads « 2 j 13 h ».
    row = view(link_dossier(timedelta(hours=10)))
    assert row.countdown_at(NOW) == "2 j 14 h"
    changes_at = row.countdown_changes_at(NOW)
    assert changes_at == NOW + timedelta(milliseconds=1)
    assert row.countdown_at(changes_at) == "2 j 13 h"
    # Expired for exactly 2 min: « 3 min » a minute later.
    late = view(link_dossier(WINDOW_OF_LINK + timedelta(minutes=2)))
    assert late.countdown_at(NOW) == "expiré depuis 2 min"
    assert late.countdown_changes_at(NOW) == NOW + timedelta(minutes=1, milliseconds=1)


def test_status_at_is_the_next_threshold_not_the_next_text_change() -> None:
    # 72 h link window, 10 h in: urgent once 48 h are left, 14 h from now; the text changes
    # every hour before that, which needs no recomputing of the row.
    dossier = link_dossier(timedelta(hours=10))
    row = view(dossier)
    assert row.status is Status.SOON
    assert row.status_at == NOW + timedelta(hours=14, milliseconds=1)
    assert view(dossier, row.status_at - timedelta(milliseconds=2)).status is Status.SOON
    assert view(dossier, row.status_at).status is Status.URGENT


def test_status_at_catches_a_threshold_between_text_changes() -> None:
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
    assert row.status_at is not None
    later = view(dossier, row.status_at)
    assert later.status is Status.SOON
    assert row.status_at < NOW + timedelta(minutes=31)
    assert (
        format_countdown(start + timedelta(days=60), row.status_at)
        == later.countdown_at(row.status_at)
        == row.countdown_at(row.status_at)
    )


def test_no_deadline_no_refresh() -> None:
    dossier = Dossier(siren="732829320", name="X", mode=Mode.SIMPLIFIED, created_at=NOW)
    row = view(dossier)
    assert row.countdown_at(NOW) == "—"
    assert row.status_at is None and row.countdown_changes_at(NOW) is None
