"""Parts of a dossier's summary that are the same in every dossier are built once and shared:
a summary must read the same whether those parts were built for it or for another dossier."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import orjson
import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.deadlines import track_state
from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.report import summary
from espace_tui.workspace.demo import demo_dossiers

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def _fresh(dossier: Dossier, now: datetime) -> bytes:
    """The summary built with nothing shared from an earlier dossier."""
    for cache in (
        summary._TEMPLATE_PARTS,
        summary._WAITING_STEPS,
        summary._SERVICES,
        summary._SHOWN,
    ):
        cache.clear()
    return orjson.dumps(summary.dossier_summary(dossier, track_state(dossier, now)))


def test_shared_parts_never_carry_one_dossiers_facts_into_another() -> None:
    dossiers = demo_dossiers(T0)
    # The same steps waiting with and without applying (no messagerie: a step drops out).
    dossiers += [replace(d, services={}) for d in dossiers if d.mode is Mode.SIMPLIFIED]
    for now in (T0, T0 + timedelta(days=40)):
        expected = [_fresh(d, now) for d in dossiers]
        shared = [summary.dossier_summary(d, track_state(d, now)) for d in dossiers]
        assert [orjson.dumps(s) for s in shared] == expected


def test_dates_shown_stay_right_when_the_shared_table_fills(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dates are converted once for every dossier, in a bounded table: emptied when full,
    never grown past it, and a date reads the same before and after."""
    monkeypatch.setattr(summary, "_SHOWN_MAX", 5)
    dossiers = demo_dossiers(T0)
    expected = [_fresh(d, T0) for d in dossiers]
    summary._SHOWN.clear()
    sizes = []
    for _ in range(2):
        for dossier, wanted in zip(dossiers, expected, strict=True):
            assert (
                orjson.dumps(summary.dossier_summary(dossier, track_state(dossier, T0))) == wanted
            )
            sizes.append(len(summary._SHOWN))
    assert max(sizes) == 5 and min(sizes) < 5
