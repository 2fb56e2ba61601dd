"""Each distinct date text of a record is parsed once and reused: every date still comes
back as stored, whichever field read it first, and a bad one is refused as before."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.store import codec
from espace_tui.workspace.demo import demo_dossiers

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def test_every_date_of_every_demo_dossier_reads_back_as_stored() -> None:
    for dossier in demo_dossiers(T0):
        doc = codec.dossier_to_doc(dossier)
        assert codec.dossier_to_doc(codec.dossier_from_doc(doc)) == doc


def test_dates_shared_between_fields_or_not_each_keep_their_own_value() -> None:
    doc = codec.dossier_to_doc(demo_dossiers(T0)[3])
    first, second, third = ((T0 + timedelta(hours=h)).isoformat() for h in (1, 2, 3))
    doc["created_at"] = third
    doc["events"] = {"formulaire": first, "lien_email": second}
    doc["history"] = [
        {"at": second, "action": "step_done", "detail": "b"},
        {"at": first, "action": "step_done", "detail": "a"},
        {"at": third, "action": "note", "detail": "c"},
    ]
    read = codec.dossier_from_doc(doc)
    assert read.created_at == datetime.fromisoformat(third)
    assert read.events == {
        "formulaire": datetime.fromisoformat(first),
        "lien_email": datetime.fromisoformat(second),
    }
    assert [h.at for h in read.history] == [
        datetime.fromisoformat(t) for t in (second, first, third)
    ]


def test_a_bad_date_is_refused_even_after_good_ones() -> None:
    doc = codec.dossier_to_doc(demo_dossiers(T0)[3])
    doc["history"][-1]["at"] = "2026-13-45T99:00:00+01:00"
    with pytest.raises(codec.RecordError, match=r"history\.at"):
        codec.dossier_from_doc(doc)
    doc["history"][-1]["at"] = doc["created_at"][:19]  # no time zone
    with pytest.raises(codec.RecordError, match="fuseau"):
        codec.dossier_from_doc(doc)


def test_dates_read_are_shared_across_records_in_a_bounded_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dates typed as days repeat across dossiers: each text is parsed once for all records,
    in a table emptied when full (never grown past it), and a bad text is never kept."""
    monkeypatch.setattr(codec, "_READ_MAX", 4)
    codec._READ.clear()
    docs = [codec.dossier_to_doc(d) for d in demo_dossiers(T0)]
    sizes = []
    for doc in docs * 2:
        assert codec.dossier_to_doc(codec.dossier_from_doc(doc)) == doc
        sizes.append(len(codec._READ))
    assert max(sizes) == 4 and min(sizes) < 4
    bad = {**docs[0], "created_at": "2026-13-45T99:00:00+01:00"}
    with pytest.raises(codec.RecordError, match="created_at"):
        codec.dossier_from_doc(bad)
    assert "2026-13-45T99:00:00+01:00" not in codec._READ


def test_history_entries_are_shared_across_records_in_a_bounded_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch writes the same entry into many dossiers: read once, shared (entries are
    immutable), in a table emptied when full; a bad entry is refused every time."""
    monkeypatch.setattr(codec, "_ENTRIES_MAX", 3)
    codec._ENTRIES.clear()
    docs = [codec.dossier_to_doc(d) for d in demo_dossiers(T0)]
    sizes = []
    for doc in docs * 2:
        assert codec.dossier_to_doc(codec.dossier_from_doc(doc)) == doc
        sizes.append(len(codec._ENTRIES))
    assert max(sizes) == 3 and min(sizes) < 3
    monkeypatch.setattr(codec, "_ENTRIES_MAX", 1 << 16)
    first, again = (codec.dossier_from_doc(docs[0]) for _ in range(2))
    assert first.history == again.history
    assert all(a is b for a, b in zip(first.history, again.history, strict=True))
    bad = {**docs[0], "history": [{**docs[0]["history"][0], "at": "2026-13-45T99:00:00+01:00"}]}
    for _ in range(2):
        with pytest.raises(codec.RecordError, match=r"history\.at"):
            codec.dossier_from_doc(bad)
