"""The tick's heap of rows to recompute gives exactly the rows whose instant came: the same
answer as looking at every row, with replaced and removed rows never given twice or late."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import Status
from espace_tui.tui.due_rows import DueRows
from espace_tui.tui.rows import RowView

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def row(key: str, status_at: datetime | None) -> RowView:
    return RowView(
        siren=key,
        siren_text=key,
        name=f"Client {key}",
        mode="expert",
        owner="Client",
        status=Status.OK,
        deadline=None,
        urgency_key=(4, 0.0, key),
        status_at=status_at,
    )


def by_looking_at_every_row(rows: dict[str, RowView], now: datetime) -> set[str]:
    return {k for k, r in rows.items() if r.status_at and r.status_at <= now}


def test_due_rows_match_a_scan_of_every_row_through_changes_and_removals() -> None:
    chance = random.Random(12)
    rows = {
        str(i): row(str(i), T0 + timedelta(seconds=chance.randint(1, 120)) if i % 7 else None)
        for i in range(300)
    }
    due = DueRows()
    due.reset(rows.values())
    now = T0
    for _ in range(150):
        now += timedelta(seconds=1)
        for _ in range(3):  # changed elsewhere (a tick of a box, a batch), or removed
            key = str(chance.randrange(300))
            if chance.random() < 0.2:
                rows.pop(key, None)
            else:
                rows[key] = row(key, now + timedelta(seconds=chance.randint(0, 90)))
                due.add(rows[key])
        expected = by_looking_at_every_row(rows, now)
        given = due.pop_due(now, rows)
        assert len(given) == len(set(given))
        assert set(given) == expected
        for key in given:  # recomputed, as the tick does: due again later
            rows[key] = replace(rows[key], status_at=now + timedelta(seconds=chance.randint(1, 60)))
            due.add(rows[key])
    assert due.next_at is not None and due.next_at > now
