"""When the dashboard's tick must next run: one timer, set for the soonest instant any part
of the screen asks for (no Textual here).

The tick used to run every second. On an idle dashboard nearly every run changed nothing,
yet each woke the process, and those wakes were nearly all its CPU. Every part knows when
what it shows next changes: the clock (the minute), a countdown on screen, a row's status,
the detail pane. Each asks for that instant; the alarm rings at the soonest. It never waits
longer than `longest` seconds: changes nobody reports (a file on a network share, a clock
that jumped, a machine woken from sleep) are still seen.

A frozen clock (tests, ESPACE_TUI_NOW) never reaches the instant asked for: once it has not
moved between two rings, the alarm rings every `longest` only, instead of spinning.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

# Stops a started timer.
Cancel = Callable[[], None]

# Never sooner: a part asking again and again for an instant already past must not spin.
SHORTEST = 0.05


def next_minute(now: datetime) -> datetime:
    """The clock in the header reads to the minute."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


class Alarm:
    def __init__(self, start: Callable[[float], Cancel], longest: float) -> None:
        """`start(delay)` starts a one-shot timer that calls `rang` then the tick."""
        self._start = start
        self.longest = longest
        self._at: datetime | None = None
        self._cancel: Cancel | None = None
        self._rang_at: datetime | None = None
        self._clock_stopped = False
        # Set for `longest` only (no instant asked that soon): a ring for the slow look.
        self._capped = False

    @property
    def set_for(self) -> datetime | None:
        return self._at

    def ask(self, at: datetime | None, now: datetime) -> None:
        """Ring at `at` or sooner (None: within `longest`); a later ask than the one set
        changes nothing."""
        wait = self.longest
        if at is not None and not self._clock_stopped:
            wait = min(wait, max(SHORTEST, (at - now).total_seconds()))
        target = now + timedelta(seconds=wait)
        if self._at is not None and self._at <= target:
            return
        if self._cancel is not None:
            self._cancel()
        self._at = target
        self._capped = wait >= self.longest
        self._cancel = self._start(wait)

    def rang(self, now: datetime) -> bool:
        """The timer went off, at `now` by the clock: nothing is set until the next ask.
        True when it was set for an instant asked for (something shown changes), False
        when only for `longest` (the slow look)."""
        self._clock_stopped = now == self._rang_at
        self._rang_at = now
        self._at = None
        self._cancel = None
        return not self._capped

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel()
        self._at = None
        self._cancel = None
