"""Which rows the tick must recompute: a heap of (instant, row key) (no Textual here).

Each row says when its status next changes (`RowView.status_at`: a threshold crossed, shown
or not, on time). The heap hands over those rows without looking at the others, so an idle
dashboard costs the same with 100 or 10,000 dossiers. An entry whose row was replaced since
(another instant) or removed is stale: skipped. (Countdown texts are not recomputed here: the
list writes them for the rows it draws.)
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from espace_tui.tui.rows import RowView


class DueRows:
    def __init__(self, wake: Callable[[datetime], None] = lambda at: None) -> None:
        """`wake(at)`: the soonest instant is now `at`, sooner than before (the screen's
        alarm must ring by then)."""
        self._heap: list[tuple[datetime, str]] = []
        self._wake = wake

    def reset(self, rows: Iterable[RowView]) -> None:
        """Every row anew (the list was rebuilt)."""
        self._heap = [(row.status_at, row.siren) for row in rows if row.status_at]
        heapq.heapify(self._heap)
        if self._heap:
            self._wake(self._heap[0][0])

    def add(self, row: RowView) -> None:
        """A row put in the list: due at its own instant (an older entry becomes stale)."""
        at = row.status_at
        if at:
            sooner = not self._heap or at < self._heap[0][0]
            heapq.heappush(self._heap, (at, row.siren))
            if sooner:
                self._wake(at)

    @property
    def next_at(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: datetime, current: Mapping[str, RowView]) -> list[str]:
        """The keys of the rows in `current` whose instant has come, soonest first; they
        leave the heap (`add` them again once recomputed)."""
        heap, due, seen = self._heap, [], set()
        while heap and heap[0][0] <= now:
            at, key = heapq.heappop(heap)
            row = current.get(key)
            if row is not None and row.status_at == at and key not in seen:
                seen.add(key)
                due.append(key)
        return due
