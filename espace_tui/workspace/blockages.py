"""Blockages on a dossier: opened, given a remedy, lifted."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from espace_tui.domain.diagnosis import lifted_by
from espace_tui.domain.diagnosis_catalogue import CATALOGUE_BY_ID, blockage_title, remedy_label
from espace_tui.domain.dossier import Blockage, Dossier
from espace_tui.domain.errors import InvalidInput
from espace_tui.workspace.core import Change, WorkspaceCore, transactional


class BlockageCommands(WorkspaceCore):
    @transactional
    def open_blockage(self, siren: str, kind: str, note: str = "") -> Change:
        if kind not in CATALOGUE_BY_ID:
            known = ", ".join(CATALOGUE_BY_ID)
            raise InvalidInput("Blocage", f"« {kind} » inconnu (blocages connus : {known}).")
        dossier = self.get(siren)
        now = self.now()
        blockage = Blockage(id=uuid.uuid4().hex[:8], kind=kind, opened_at=now, note=note)
        label = f"Blocage ouvert : {blockage_title(kind)}."
        after = dossier.with_history(
            now, "blockage", label, blockages=(*dossier.blockages, blockage)
        )
        return self._save(dossier, after, label)

    @transactional
    def resolve_blockage(self, siren: str, blockage_id: str, remedy: str | None = None) -> Change:
        dossier = self.get(siren)
        now = self.now()
        if not any(b.id == blockage_id and b.is_open for b in dossier.blockages):
            raise InvalidInput("Blocage", f"« {blockage_id} » n'est pas ouvert sur ce dossier.")
        blockages = tuple(
            replace(b, resolved_at=now, remedy=remedy or b.remedy) if b.id == blockage_id else b
            for b in dossier.blockages
        )
        kind = next(b.kind for b in dossier.blockages if b.id == blockage_id)
        label = f"Blocage levé : {blockage_title(kind)}."
        if remedy:
            label = f"{label[:-1]} (remède : {remedy_label(remedy)})."
        after = dossier.with_history(now, "blockage_resolved", label, blockages=blockages)
        return self._save(dossier, after, label)

    @transactional
    def choose_remedy(self, siren: str, blockage_id: str, remedy_id: str) -> Change:
        """Record the remedy chosen for an open blockage (it may lift it later, see tick)."""
        dossier = self.get(siren)
        if not any(b.id == blockage_id and b.is_open for b in dossier.blockages):
            raise InvalidInput("Blocage", f"« {blockage_id} » n'est pas ouvert sur ce dossier.")
        blockages = tuple(
            replace(b, remedy=remedy_id) if b.id == blockage_id else b for b in dossier.blockages
        )
        label = f"Remède choisi : {remedy_label(remedy_id)}."
        after = dossier.with_history(self.now(), "remedy", label, blockages=blockages)
        return self._save(dossier, after, label)

    def _lift_blockages(self, dossier: Dossier, step_id: str, now: datetime) -> dict[str, Any]:
        """Blockages whose chosen remedy ends with this step are resolved with it."""
        ids = lifted_by(dossier, step_id)
        if not ids:
            return {}
        return {
            "blockages": tuple(
                replace(b, resolved_at=now) if b.id in ids else b for b in dossier.blockages
            )
        }
