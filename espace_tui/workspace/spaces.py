"""The cabinet's expert spaces."""

from __future__ import annotations

from datetime import datetime

from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import ExpertSpace, Mode
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


class SpaceCommands(WorkspaceCore):
    def add_space(self, space_id: str, label: str, login_email: str) -> ExpertSpace:
        ident = space_id.strip()
        if not ident or not ident.replace("-", "").replace("_", "").isalnum() or len(ident) > 32:
            raise InvalidInput(
                "Identifiant de l'espace",
                f"« {space_id} » invalide (lettres, chiffres, - ou _, 32 caractères au plus).",
            )
        name = clean_name(label or ident, "Nom de l'espace")
        email = normalize_email(login_email, "E-mail de connexion")
        with self.store.transaction():
            spaces = self.spaces()
            if any(s.id == ident for s in spaces):
                raise InvalidInput("Identifiant de l'espace", f"« {ident} » existe déjà.")
            owner = self._login_owner(email, self.dossiers(), spaces)
            if owner:
                raise InvalidInput(
                    "E-mail de connexion",
                    f"{email} est déjà utilisée par {owner} : une adresse ne peut servir qu'à "
                    "un seul espace.",
                )
            now = self.now()
            space = ExpertSpace(id=ident, label=name, login_email=email, created_at=now)
            space = space.with_history(now, "created", "Espace expert créé.")
            self.store.put_space(space)
        return space

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
