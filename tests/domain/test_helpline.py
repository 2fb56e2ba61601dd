"""Helpline hours: Monday to Friday 8:00–19:30 Paris time, closed on French public holidays."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE, helpline_status, is_open


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (datetime(2026, 12, 1, 9, 0, tzinfo=PARIS), True),  # Tuesday morning
        (datetime(2026, 12, 1, 7, 59, tzinfo=PARIS), False),  # before 8:00
        (datetime(2026, 12, 1, 8, 0, tzinfo=PARIS), True),  # opens at 8:00 sharp
        (datetime(2026, 12, 1, 19, 29, tzinfo=PARIS), True),
        (datetime(2026, 12, 1, 19, 30, tzinfo=PARIS), False),  # closed from 19:30
        (datetime(2026, 12, 5, 10, 0, tzinfo=PARIS), False),  # Saturday
        (datetime(2026, 12, 6, 10, 0, tzinfo=PARIS), False),  # Sunday
        (datetime(2026, 12, 25, 10, 0, tzinfo=PARIS), False),  # Christmas, a Friday
        (datetime(2026, 5, 14, 10, 0, tzinfo=PARIS), False),  # Ascension Thursday 2026
        (datetime(2026, 7, 14, 10, 0, tzinfo=PARIS), False),  # Bastille Day, a Tuesday
        (datetime(2026, 7, 15, 10, 0, tzinfo=PARIS), True),
    ],
)
def test_opening_hours(instant: datetime, expected: bool) -> None:
    assert is_open(TELEPROCEDURES_HELPLINE, instant) is expected


def test_hours_are_read_in_paris_time() -> None:
    # 07:30 UTC in winter is 08:30 in Paris: open; 18:45 UTC is 19:45 in Paris: closed.
    assert is_open(TELEPROCEDURES_HELPLINE, datetime(2026, 12, 1, 7, 30, tzinfo=UTC))
    assert not is_open(TELEPROCEDURES_HELPLINE, datetime(2026, 12, 1, 18, 45, tzinfo=UTC))


def test_status_text_names_the_number() -> None:
    opened = helpline_status(TELEPROCEDURES_HELPLINE, datetime(2026, 12, 1, 9, tzinfo=PARIS))
    closed = helpline_status(TELEPROCEDURES_HELPLINE, datetime(2026, 12, 25, 9, tzinfo=PARIS))
    assert "0 809 400 210" in opened and "ouverte" in opened and "19:30" in opened
    assert "0 809 400 210" in closed and "fermée" in closed


def test_short_status_for_the_header() -> None:
    text = helpline_status(
        TELEPROCEDURES_HELPLINE, datetime(2026, 12, 1, 20, tzinfo=PARIS), short=True
    )
    assert text == "Assistance 0 809 400 210 : fermée"
