"""The agenda: overdue, today and this week across dossiers and spaces, grouped by owner."""

from __future__ import annotations

from datetime import datetime, timedelta

from espace_tui.domain.agenda import OWNER_ORDER, Bucket, bucket_of, build_agenda, item_siren
from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.domain.dossier import MandateState
from espace_tui.domain.procedures import Fact, Owner
from espace_tui.report.model import tracked_rows
from espace_tui.workspace import Workspace

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def keys(workspace: Workspace, owner: Owner, bucket: Bucket | None = None) -> list[str]:
    agenda = build_agenda(tracked_rows(workspace), workspace.now())
    return [e.item.key for e in agenda.by_owner()[owner] if bucket is None or e.bucket is bucket]


def test_buckets_follow_the_paris_calendar_day() -> None:
    assert bucket_of(NOW - timedelta(minutes=1), NOW) is Bucket.OVERDUE
    assert bucket_of(NOW, NOW) is Bucket.OVERDUE
    assert bucket_of(datetime(2026, 12, 1, 23, 59, tzinfo=PARIS), NOW) is Bucket.TODAY
    assert bucket_of(datetime(2026, 12, 2, 0, 0, tzinfo=PARIS), NOW) is Bucket.WEEK
    assert bucket_of(NOW + timedelta(days=7), NOW) is Bucket.WEEK
    assert bucket_of(NOW + timedelta(days=7, seconds=1), NOW) is Bucket.LATER


def test_demo_agenda_grouped_by_whom_it_waits_on(demo: Workspace) -> None:
    agenda = build_agenda(tracked_rows(demo), demo.now())
    groups = agenda.by_owner()
    assert tuple(groups) == OWNER_ORDER
    assert len(agenda) == sum(len(entries) for entries in groups.values())
    assert (agenda.count(Bucket.OVERDUE), agenda.count(Bucket.TODAY)) == (3, 1)
    assert agenda.count(Bucket.LATER) == 0
    # Lost windows go to the cabinet, with the remedy to apply.
    overdue = [e for e in agenda.entries if e.bucket is Bucket.OVERDUE]
    assert {e.item.waiting_on for e in overdue} == {Owner.CABINET}
    assert all("À faire : " in e.item.action for e in overdue)
    # The expert space created 5 h ago: the cabinet enters its code within 48 h.
    assert "annexe" in keys(demo, Owner.CABINET, Bucket.WEEK)
    # Garage des Alpes must click its link today; Librairie Papier tomorrow (blocked).
    assert keys(demo, Owner.CLIENT, Bucket.TODAY) == ["813392966"]
    librairie = next(e for e in agenda.entries if e.item.key == "820723997")
    assert librairie.item.blocked and librairie.bucket is Bucket.WEEK
    # Cabinet dentaire Roux: the 60-day code window runs while the DGFiP's letter is awaited.
    assert "816534838" in keys(demo, Owner.DGFIP, Bucket.WEEK)
    # Pharmacie du Centre sent its B2B mandate: first payment in 36 h, the bank must register it.
    assert keys(demo, Owner.BANQUE) == ["819676701"]


def test_mandate_moves_from_client_to_bank_when_sent(demo: Workspace) -> None:
    restaurant = "832244180"  # mandate still to print, first payment in 6 days
    assert restaurant in keys(demo, Owner.CLIENT)
    demo.set_mandate_state(restaurant, MandateState.SENT_TO_BANK)
    assert restaurant in keys(demo, Owner.BANQUE)
    assert restaurant not in keys(demo, Owner.CLIENT)
    demo.set_mandate_state(restaurant, MandateState.CONFIRMED)
    assert all(restaurant not in keys(demo, owner) for owner in OWNER_ORDER)


def test_a_known_print_date_means_the_letter_is_with_the_client(
    demo: Workspace, clock: FrozenClock
) -> None:
    # Fleurs & Jardins: letter printed 18 days ago, « courrier » step not ticked.
    fleurs = "815487541"
    assert all(fleurs not in keys(demo, owner) for owner in OWNER_ORDER)
    clock.advance(timedelta(days=36))
    assert fleurs in keys(demo, Owner.CLIENT, Bucket.WEEK)
    # Without the print date, the DGFiP's letter is still what everyone waits for.
    demo.set_fact(fleurs, Fact.LETTER_PRINTED, None)
    assert fleurs in keys(demo, Owner.DGFIP, Bucket.WEEK)


def test_labels_follow_the_horizon(demo: Workspace) -> None:
    agenda = build_agenda(tracked_rows(demo), demo.now(), timedelta(days=14))
    assert agenda.label(Bucket.WEEK) == "Dans les 14 jours"
    assert agenda.summary().endswith(f"{agenda.count(Bucket.WEEK)} dans les 14 jours")
    assert build_agenda([], NOW, timedelta(days=30)).empty_text() == (
        "Rien en retard ni à échéance dans les 30 jours."
    )
    assert build_agenda([], NOW).label(Bucket.WEEK) == "Dans les 7 jours"
    sirens = [item_siren(e.item) for e in agenda.entries]
    assert "814 440 251" in sirens and "" in sirens  # an expert space has none
