"""The cabinet's expert spaces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import CabinetInfo, ExpertSpace, Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import format_siren, normalize_email
from espace_tui.domain.procedures import procedure
from espace_tui.domain.validation import clean_name
from espace_tui.workspace.core import (
    FUTURE_TOLERANCE,
    Change,
    WorkspaceCore,
    events_summary,
    transactional,
)


@dataclass(frozen=True)
class NewSpace:
    """An expert space to create (the cabinet form, « Adhérer en mode expert »)."""

    id: str
    label: str
    login_email: str


class SpaceCommands(WorkspaceCore):
    def add_space(self, space_id: str, label: str, login_email: str) -> ExpertSpace:
        with self.store.transaction():
            new = self.check_new_space(space_id, label, login_email)
            now = self.now()
            space = ExpertSpace(
                id=new.id, label=new.label, login_email=new.login_email, created_at=now
            )
            space = space.with_history(now, "created", "Espace expert créé.")
            self.store.put_space(space)
        return space

    def check_new_space(
        self, space_id: str, label: str, login_email: str, *, pending: Sequence[NewSpace] = ()
    ) -> NewSpace:
        """What add_space would refuse, nothing written; `pending`: spaces a form will save
        with this one (the cabinet form lists them before saving them all together)."""
        ident = space_id.strip()
        if not ident or not ident.replace("-", "").replace("_", "").isalnum() or len(ident) > 32:
            raise InvalidInput(
                "Identifiant de l'espace",
                f"« {space_id} » invalide (lettres, chiffres, - ou _, 32 caractères au plus).",
            )
        name = clean_name(label or ident, "Nom de l'espace")
        email = normalize_email(login_email, "E-mail de connexion")
        spaces = self.spaces()
        if any(s.id == ident for s in spaces) or any(p.id == ident for p in pending):
            raise InvalidInput("Identifiant de l'espace", f"« {ident} » existe déjà.")
        owner = self._login_owner(email, self.dossiers(), spaces)
        if owner is None:
            owner = next(
                (
                    f"l'espace expert « {p.id} »"
                    for p in pending
                    if p.login_email.casefold() == email.casefold()
                ),
                None,
            )
        if owner:
            raise InvalidInput(
                "E-mail de connexion",
                f"{email} est déjà utilisée par {owner} : une adresse ne peut servir qu'à "
                "un seul espace.",
            )
        return NewSpace(ident, name, email)

    @transactional
    def save_cabinet(
        self,
        name: str,
        siren: str,
        spaces: Sequence[NewSpace] = (),
        *,
        base: CabinetInfo | None = None,
    ) -> tuple[CabinetInfo, list[ExpertSpace]]:
        """The cabinet form in one write: the cabinet and the spaces typed with it, all or
        nothing. A cabinet never named and left blank stays so (spaces alone are fine)."""
        if name.strip() or siren.strip() or self.store.cabinet().name:
            info = self.set_cabinet(name, siren, base=base)
        else:
            info = self.store.cabinet()
        added = [self.add_space(s.id, s.label, s.login_email) for s in spaces]
        return info, added

    @transactional
    def tick_space(self, space_id: str, step_id: str, at: datetime | None = None) -> ExpertSpace:
        space = self.get_space(space_id)
        proc = procedure(space.procedure_id)
        if not proc.has_step(step_id):
            known = ", ".join(s.id for s in proc.steps)
            raise InvalidInput("Étape", f"« {step_id} » inconnue (étapes : {known}).")
        now = self.now()
        when = at or now
        if when > now + FUTURE_TOLERANCE:
            raise InvalidInput("Date", f"{format_datetime(when)} est dans le futur.")
        label = f"Étape « {proc.step(step_id).label} » faite le {format_datetime(when)}."
        after = space.with_history(now, "step_done", label, events={**space.events, step_id: when})
        self.store.put_space(after)
        return after

    @transactional
    def attach_space(self, siren: str, space_id: str) -> Change:
        """Record which of the cabinet's expert spaces an expert dossier is adhered from.
        Only the space changes (steps and countdowns stay): the adhesion may be done already."""
        dossier = self.get(siren)
        space = self.get_space(space_id)
        if dossier.mode is not Mode.EXPERT:
            raise InvalidInput(
                "Espace expert",
                f"le dossier {format_siren(dossier.siren)} est en mode simplifié : seul un "
                "dossier en mode expert se rattache à un espace expert.",
            )
        if dossier.space_id == space.id:
            return Change(dossier, (), f"Déjà rattaché à l'espace expert « {space.id} ».")
        before = f" (avant : « {dossier.space_id} »)" if dossier.space_id else ""
        label = f"Rattaché à l'espace expert « {space.id} »{before}."
        warnings = self._space_warnings(space.id, self.dossiers(), dossier.siren)
        change = self._save(
            dossier, dossier.with_history(self.now(), "space", label, space_id=space.id), label
        )
        return Change(change.dossier, tuple(warnings), label)

    @transactional
    def untick_space(self, space_id: str, step_id: str) -> ExpertSpace:
        space = self.get_space(space_id)
        proc = procedure(space.procedure_id)
        if not proc.has_step(step_id) or step_id not in space.events:
            return space
        events = {k: v for k, v in space.events.items() if k != step_id}
        label = f"Étape « {proc.step(step_id).label} » décochée."
        after = space.with_history(self.now(), "step_undone", label, events=events)
        self.store.put_space(after)
        return after

    @transactional
    def toggle_space(
        self, space_id: str, step_id: str, *, base: ExpertSpace | None = None
    ) -> ExpertSpace:
        """Tick or untick. With `base` (the space on screen) what the user saw decides, and
        a step ticked or unticked elsewhere since is left as it is, not flipped back."""
        current = self.get_space(space_id)
        wanted_done = step_id not in (base or current).events
        if wanted_done == (step_id in current.events):
            return current  # already as the user wants it (done elsewhere meanwhile)
        if wanted_done:
            return self.tick_space(space_id, step_id)
        return self.untick_space(space_id, step_id)

    @transactional
    def restart_space(self, space_id: str) -> ExpertSpace:
        """Start the expert space's creation over (its 48 h code expired); history is kept."""
        space = self.get_space(space_id)
        proc = procedure(space.procedure_id)
        done = events_summary(proc, space.events)
        label = f"{proc.restart_label}." + (f" Étapes précédentes : {done}." if done else "")
        after = space.with_history(self.now(), "restarted", label, events={})
        self.store.put_space(after)
        return after
