"""Dates typed the French way, read as Paris wall time; the DST gap and fold refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.french_dates import (
    DATE_FORMS,
    format_input_datetime,
    parse_french_datetime,
)
from tests.conftest import NOW  # Tuesday 1 December 2026, 09:00 in Paris


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("28/11/2026", paris(2026, 11, 28)),
        ("28/11", paris(2026, 11, 28)),
        ("28/11/26", paris(2026, 11, 28)),
        ("28/11/2026 14h30", paris(2026, 11, 28, 14, 30)),
        ("28/11/2026 14H30", paris(2026, 11, 28, 14, 30)),
        ("28/11/2026 14h", paris(2026, 11, 28, 14)),
        ("28/11/2026 14:30", paris(2026, 11, 28, 14, 30)),
        ("28/11/2026 à 14h30", paris(2026, 11, 28, 14, 30)),
        ("28.11.2026", paris(2026, 11, 28)),
        (" 1/7/2026 ", paris(2026, 7, 1)),  # summer: UTC+2
        ("aujourd'hui", paris(2026, 12, 1, 9)),
        ("Aujourd\u2019hui", paris(2026, 12, 1, 9)),  # typographic apostrophe
        ("hier", paris(2026, 11, 30, 9)),
        ("avant-hier", paris(2026, 11, 29, 9)),
        ("hier 17h45", paris(2026, 11, 30, 17, 45)),
        ("14h30", paris(2026, 12, 1, 14, 30)),
        ("2026-11-28", paris(2026, 11, 28)),
        ("2026-11-28T14:30", paris(2026, 11, 28, 14, 30)),
        ("2026-11-28 14:30", paris(2026, 11, 28, 14, 30)),
        ("2026-11-28T14:30:00+00:00", paris(2026, 11, 28, 15, 30)),
        # The autumn fold, resolved by saying which of the two 02:30.
        ("25/10/2026 02h30 été", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        ("25/10/2026 02h30 hiver", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("25/10/2026 02:30 (heure d'hiver)", datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
        ("2026-10-25T02:30+02:00", datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # Either side of the spring gap exists.
        ("29/03/2026 01h59", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        ("29/03/2026 03h00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
    ],
)
def test_accepted_forms(typed: str, expected: datetime) -> None:
    parsed = parse_french_datetime(typed, "Date", NOW)
    assert parsed == expected
    assert parsed.tzinfo is UTC


def test_a_year_left_out_means_the_latest_past_one() -> None:
    january = paris(2027, 1, 5, 9)
    assert parse_french_datetime("28/12", "Date", january) == paris(2026, 12, 28)
    assert parse_french_datetime("03/01", "Date", january) == paris(2027, 1, 3)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("29/03/2026 02h30", "n'existe pas à Paris"),  # spring gap
        ("2026-03-29T02:30", "n'existe pas à Paris"),
        ("25/10/2026 02h30", "est ambiguë"),  # autumn fold
        ("2026-10-25 02:30", "a lieu deux fois"),
        ("31/02/2026", "n'existe pas dans le calendrier"),
        ("28/13/2026", "n'existe pas dans le calendrier"),
        ("28/11/1026", "hors limites"),
        ("3026-11-28", "hors limites"),
        ("28/11/2026 25h00", "heure impossible"),
        ("28/11/2026 14h75", "heure impossible"),
        ("demain", "pas une date reconnue"),
        ("14", "pas une date reconnue"),
        ("2026-13-01", "pas une date reconnue"),
        ("", "date manquante"),
    ],
)
def test_refusals_say_why_in_french(typed: str, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_french_datetime(typed, "Fait le", NOW)
    assert caught.value.field == "Fait le"
    assert said in caught.value.message


def test_fold_message_offers_both_readings() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_french_datetime("25/10/2026 02h30", "Date", NOW)
    message = caught.value.message
    assert "« 25/10/2026 02h30 été »" in message and "« 25/10/2026 02h30 hiver »" in message
    for suggestion in ("25/10/2026 02h30 été", "25/10/2026 02h30 hiver"):
        parse_french_datetime(suggestion, "Date", NOW)  # what it suggests is accepted


def test_what_the_screens_show_reads_back() -> None:
    for instant in (NOW, paris(2026, 7, 14, 23, 59), paris(2026, 3, 29, 3, 0)):
        shown = format_input_datetime(instant)
        assert parse_french_datetime(shown, "Date", NOW) == instant


def test_the_hint_lists_the_forms_accepted() -> None:
    forms = {
        "JJ/MM/AAAA": "28/11/2026",
        "JJ/MM": "28/11",
        "JJ/MM/AAAA 14h30": "28/11/2026 14h30",
        "14:30": "28/11/2026 14:30",
        "aujourd'hui": "aujourd'hui",
        "hier": "hier",
        "avant-hier": "avant-hier",
        "AAAA-MM-JJ": "2026-11-28",
    }
    for hint, example in forms.items():
        assert hint in DATE_FORMS
        parse_french_datetime(example, "Date", NOW)
