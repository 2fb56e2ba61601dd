"""The screen's one alarm: set for the soonest instant asked, never further than `longest`,
and quiet under a frozen clock (tui/alarm.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from espace_tui.tui.alarm import SHORTEST, Alarm, next_minute

T0 = datetime(2026, 12, 1, 8, 0, 12, 500000, tzinfo=UTC)


class Timers:
    """Records the timers the alarm starts and stops."""

    def __init__(self) -> None:
        self.started: list[float] = []
        self.running: list[float] = []

    def start(self, delay: float) -> Callable[[], None]:
        self.started.append(delay)
        self.running.append(delay)

        def cancel() -> None:
            self.running.remove(delay)

        return cancel

    def ring(self, alarm: Alarm, now: datetime) -> None:
        """The running timer goes off at `now`."""
        self.running.clear()
        alarm.rang(now)


def test_rings_at_the_soonest_instant_asked_and_never_later_than_longest() -> None:
    timers = Timers()
    alarm = Alarm(timers.start, longest=5.0)
    alarm.ask(T0 + timedelta(seconds=3), T0)
    assert timers.running == [3.0]
    alarm.ask(T0 + timedelta(seconds=4), T0)  # later: the timer set stays
    assert timers.started == [3.0]
    alarm.ask(T0 + timedelta(seconds=1.5), T0)  # sooner: the timer is set again
    assert timers.running == [1.5]
    timers.ring(alarm, T0 + timedelta(seconds=1.5))
    alarm.ask(T0 + timedelta(hours=2), T0 + timedelta(seconds=1.5))  # far: capped
    assert timers.running[-1] == 5.0
    alarm.ask(None, T0 + timedelta(seconds=2))  # nothing due: capped too, set already
    assert timers.started == [3.0, 1.5, 5.0]


def test_an_instant_already_past_rings_soon_but_never_at_once() -> None:
    timers = Timers()
    alarm = Alarm(timers.start, longest=5.0)
    alarm.ask(T0 - timedelta(minutes=1), T0)
    assert timers.running == [SHORTEST]


def test_a_frozen_clock_does_not_spin_the_alarm() -> None:
    """Tests and ESPACE_TUI_NOW freeze the clock: an instant 1 ms ahead never comes."""
    timers = Timers()
    alarm = Alarm(timers.start, longest=5.0)
    soon = T0 + timedelta(milliseconds=1)
    alarm.ask(soon, T0)
    timers.ring(alarm, T0)
    alarm.ask(soon, T0)
    assert timers.running == [SHORTEST]
    timers.ring(alarm, T0)  # the clock has not moved since the last ring
    alarm.ask(soon, T0)
    assert timers.running == [5.0]
    timers.ring(alarm, T0 + timedelta(seconds=5))  # it moved (advanced by a test): instants count
    alarm.ask(T0 + timedelta(seconds=6), T0 + timedelta(seconds=5))
    assert timers.running == [1.0]


def test_a_ring_says_whether_an_instant_was_asked_or_only_the_slow_look() -> None:
    timers = Timers()
    alarm = Alarm(timers.start, longest=5.0)
    alarm.ask(T0 + timedelta(seconds=2), T0)
    timers.running.clear()
    assert alarm.rang(T0 + timedelta(seconds=2)) is True  # something shown changes now
    alarm.ask(T0 + timedelta(minutes=1), T0 + timedelta(seconds=2))
    timers.running.clear()
    assert alarm.rang(T0 + timedelta(seconds=7)) is False  # only the slow look


def test_stop_cancels_the_timer_set() -> None:
    timers = Timers()
    alarm = Alarm(timers.start, longest=5.0)
    alarm.ask(T0 + timedelta(seconds=2), T0)
    alarm.stop()
    assert timers.running == []
    assert alarm.set_for is None


def test_the_header_clock_asks_for_the_next_minute() -> None:
    assert next_minute(T0) == datetime(2026, 12, 1, 8, 1, tzinfo=UTC)
