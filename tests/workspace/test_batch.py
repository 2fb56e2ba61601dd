"""One action on many dossiers: previewed, one transaction, one disk write, one undo."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from espace_tui.domain.dossier import MandateState
from espace_tui.domain.procedures import Fact
from espace_tui.store.atomic import AtomicJSONStorage
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.sirens import valid_sirens
from tests.workspace.test_workspace import draft


@pytest.fixture
def many(workspace: Workspace) -> list[str]:
    sirens = valid_sirens(12)
    for index, siren in enumerate(sirens):
        workspace.add_dossier(
            draft(
                siren,
                name=f"Client {index:02d}",
                mode="expert" if index == 0 else "simplifie",
                iban="FR7630006000011234567890189",
                bic="BNPAFRPP",
            )
        )
    return sirens


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each write of the data file to disk."""
    count: list[int] = []
    real = AtomicJSONStorage._flush

    def counted(self: AtomicJSONStorage) -> None:
        count.append(1)
        real(self)

    monkeypatch.setattr(AtomicJSONStorage, "_flush", counted)
    return count


def test_tick_many_is_one_write_and_one_undo(
    workspace: Workspace, many: list[str], writes: list[int], data_dir: Path
) -> None:
    workspace.tick(many[1], "formulaire")  # already done: left alone
    writes.clear()
    result = workspace.tick_many(many, "formulaire")
    assert len(writes) == 1
    assert len(result.done) == 10
    skipped = dict((d.siren, why) for d, why in result.skipped)
    assert "déjà faite" in skipped[many[1]]
    assert "pas d'étape" in skipped[many[0]]  # the expert procedure has no such step
    assert "10 dossiers" in workspace.next_undo().label  # type: ignore[union-attr]
    # A restart later, another program undoes the batch at once: one write again.
    other = Workspace(Store(data_dir), workspace.clock)
    writes.clear()
    message = other.undo().message
    assert len(writes) == 1 and "10 dossiers" in message
    for siren in many[2:]:
        assert "formulaire" not in other.get(siren).events
    assert "formulaire" in other.get(many[1]).events  # ticked before the batch: kept
    other.redo()
    assert all("formulaire" in workspace.get(s).events for s in many[1:])


def test_preview_writes_nothing_and_says_what_would_change(
    workspace: Workspace, many: list[str], writes: list[int], data_dir: Path
) -> None:
    before = (data_dir / "espace-tui.json").read_bytes()
    undo_before = workspace.next_undo()
    writes.clear()
    result = workspace.tick_many(many, "formulaire", preview=True)
    assert len(result.done) == 11 and len(result.skipped) == 1
    assert writes == []
    assert (data_dir / "espace-tui.json").read_bytes() == before
    assert all("formulaire" not in workspace.get(s).events for s in many)
    assert workspace.next_undo() == undo_before


def test_dates_and_mandates_in_batch(workspace: Workspace, many: list[str]) -> None:
    printed = workspace.now() - timedelta(days=2)
    result = workspace.set_fact_many(many[:3], Fact.LETTER_PRINTED, printed)
    assert len(result.done) == 3
    assert all(workspace.get(s).events[Fact.LETTER_PRINTED.value] == printed for s in many[:3])
    sent = workspace.set_mandate_many(many[:4], MandateState.SENT_TO_BANK)
    assert len(sent.done) == 4
    again = workspace.set_mandate_many(many[:4], MandateState.SENT_TO_BANK)
    assert again.done == [] and len(again.skipped) == 4
    workspace.undo()
    assert all(
        workspace.get(s).bank.mandate_state is MandateState.TO_PRINT  # type: ignore[union-attr]
        for s in many[:4]
    )


def test_batch_undo_refuses_when_one_dossier_changed_outside(
    workspace: Workspace, many: list[str], data_dir: Path
) -> None:
    workspace.tick_many(many[1:4], "formulaire")
    other = Store(data_dir)  # a program that does not journal (older version, hand edit)
    from dataclasses import replace

    moved = workspace.get(many[2])
    other.put_dossier(replace(moved, events={"formulaire": workspace.now() - timedelta(hours=1)}))
    with pytest.raises(Exception, match="modifié depuis"):
        workspace.undo()
    # Nothing was taken back, not even the dossiers that did not change.
    assert all("formulaire" in workspace.get(s).events for s in many[1:4])


def test_a_step_dated_before_the_one_it_follows_is_warned(
    workspace: Workspace, many: list[str]
) -> None:
    siren = many[1]
    workspace.tick(siren, "formulaire", workspace.now() - timedelta(days=1))
    change = workspace.tick(siren, "lien_email", workspace.now() - timedelta(days=3))
    assert len(change.warnings) == 1
    assert "avant l'étape qu'elle suit" in change.warnings[0]
