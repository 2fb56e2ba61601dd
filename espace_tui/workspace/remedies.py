"""Applying a remedy of the diagnosis catalogue to a dossier, through the Workspace.

A remedy is recorded like any other change: the blockage is opened if it was not yet, the
dossier switches procedure when the remedy says so (the history keeps the steps done
before), and the blockage is resolved or keeps the remedy until its lifting step is done.
All of it is one transaction and one undo.
"""

from __future__ import annotations

from espace_tui.domain.diagnosis import (
    Candidate,
    Diagnosis,
    diagnose,
    diagnose_kind,
    lift_text,
    why_not,
)
from espace_tui.domain.diagnosis_catalogue import (
    CATALOGUE_BY_ID,
    Action,
    BlockageKind,
    Lift,
    Remedy,
)
from espace_tui.domain.dossier import Blockage, Dossier
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import procedure
from espace_tui.workspace import Workspace
from espace_tui.workspace.core import Change
from espace_tui.workspace.fresh import check_fresh
from espace_tui.workspace.spaces import NewSpace as NewSpace  # where it was first defined

# What choosing a remedy is decided from: it must be what the dialog showed.
REMEDY_READS = ("mode", "procedure_id", "events", "space_id", "blockages")

# Remedies after which the dossier follows a procedure from its first step.
STARTS_A_PROCEDURE = frozenset({Action.RESTART, Action.JOIN_EXPERT_SPACE})
# Remedies that need an expert space chosen (or created) before they apply.
PICKS_A_SPACE = frozenset({Action.JOIN_EXPERT_SPACE, Action.ATTACH_SPACE})


# The pasted message is kept with the blockage it opens, trimmed: a whole e-mail is not history.
NOTE_CHARS = 300


def note_from(message: str | None) -> str:
    return " ".join((message or "").split())[:NOTE_CHARS]


def catalogue_kind(kind_id: str) -> BlockageKind:
    kind = CATALOGUE_BY_ID.get(kind_id)
    if kind is None:
        known = ", ".join(CATALOGUE_BY_ID)
        raise InvalidInput("Blocage", f"« {kind_id} » inconnu (blocages connus : {known}).")
    return kind


def kind_remedy(kind: BlockageKind, remedy_id: str) -> Remedy:
    try:
        return kind.remedy(remedy_id)
    except KeyError:
        known = ", ".join(r.id for r in kind.remedies)
        raise InvalidInput(
            "Remède", f"« {remedy_id} » ne traite pas « {kind.title} » (remèdes : {known})."
        ) from None


def open_blockage_of(dossier: Dossier, kind_id: str) -> Blockage | None:
    return next((b for b in dossier.open_blockages if b.kind == kind_id), None)


class Remedies:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    # -- queries -------------------------------------------------------------------------

    def diagnose(self, text: str, siren: str | None = None) -> Diagnosis:
        dossier = self.workspace.get(siren) if siren else None
        return diagnose(text, dossier, self.workspace.spaces())

    def for_kind(self, kind_id: str, siren: str | None = None) -> Candidate:
        catalogue_kind(kind_id)
        dossier = self.workspace.get(siren) if siren else None
        return diagnose_kind(kind_id, dossier, self.workspace.spaces())

    # -- commands ------------------------------------------------------------------------

    def record(self, siren: str, kind_id: str, note: str = "") -> Change:
        """Open the blockage without choosing a remedy yet (the dossier shows « bloqué »)."""
        kind = catalogue_kind(kind_id)
        dossier = self.workspace.get(siren)
        if open_blockage_of(dossier, kind.id) is not None:
            return Change(dossier, (), f"Blocage déjà ouvert : {kind.title}.")
        return self.workspace.open_blockage(dossier.siren, kind.id, note)

    def apply(
        self,
        siren: str,
        kind_id: str,
        remedy_id: str,
        *,
        space_id: str | None = None,
        new_space: NewSpace | None = None,
        note: str = "",
        first_step_done: bool = False,
        base: Dossier | None = None,
    ) -> Change:
        """Apply `remedy_id` of blockage `kind_id` to the dossier. `first_step_done`: the
        procedure the remedy starts has its first step done now (the adhesion was made while
        on the site), so its countdowns run at once. `base`: the dossier the dialog showed;
        refused if what the remedy depends on changed since."""
        kind = catalogue_kind(kind_id)
        remedy = kind_remedy(kind, remedy_id)
        ws = self.workspace
        with ws.store.transaction(), ws.undo_group(f"remède « {remedy.label} »"):
            dossier = ws.get(siren)
            check_fresh(base, dossier, REMEDY_READS)
            reason = why_not(remedy, dossier, ws.spaces())
            if reason:
                raise InvalidInput("Remède", f"« {remedy.label} » : {reason}.")
            if remedy.action in PICKS_A_SPACE:
                space_id = self._target_space(dossier, space_id, new_space, remedy)
            blockage = open_blockage_of(dossier, kind.id)
            if blockage is None:
                opened = ws.open_blockage(dossier.siren, kind.id, note).dossier
                assert opened is not None
                blockage = opened.blockages[-1]
            warnings = self._act(remedy, dossier, space_id)
            if first_step_done and remedy.action in STARTS_A_PROCEDURE:
                current = ws.get(dossier.siren)
                ws.tick(current.siren, procedure(current.procedure_id).steps[0].id)
            if remedy.lift is Lift.ON_APPLY:
                change = ws.resolve_blockage(dossier.siren, blockage.id, remedy.id)
            else:
                change = ws.choose_remedy(dossier.siren, blockage.id, remedy.id)
        message = f"Remède appliqué : {remedy.label}. {lift_text(remedy)}"
        return Change(change.dossier, warnings, message)

    def _target_space(
        self,
        dossier: Dossier,
        space_id: str | None,
        new_space: NewSpace | None,
        remedy: Remedy,
    ) -> str:
        if new_space is not None:
            return self.workspace.add_space(new_space.id, new_space.label, new_space.login_email).id
        if not space_id:
            raise InvalidInput(
                "Espace expert", "choisissez un espace expert existant ou créez-en un."
            )
        space = self.workspace.get_space(space_id)
        if remedy.other_space and space.id == dossier.space_id:
            raise InvalidInput(
                "Espace expert", f"choisissez un autre espace que « {space.id} », déjà surchargé."
            )
        return space.id

    def _act(self, remedy: Remedy, dossier: Dossier, space_id: str | None) -> tuple[str, ...]:
        ws = self.workspace
        if remedy.action is Action.RESTART:
            return ws.restart(dossier.siren, remedy.procedure_id).warnings
        if remedy.action is Action.JOIN_EXPERT_SPACE:
            return ws.restart(dossier.siren, remedy.procedure_id, space_id).warnings
        if remedy.action is Action.ATTACH_SPACE and space_id is not None:
            return ws.attach_space(dossier.siren, space_id).warnings
        if remedy.action is Action.RESTART_SPACE and dossier.space_id is not None:
            ws.restart_space(dossier.space_id)
        return ()
