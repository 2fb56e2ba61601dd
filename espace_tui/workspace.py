"""The application service: every change a user can make, validated, dated and recorded.

The dashboard, the command line and the importers all go through a Workspace; none of them
writes to the store directly. Each change returns the new object and any warnings to show.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from espace_tui.domain.clock import Clock
from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Thresholds, TrackState, track_state
from espace_tui.domain.diagnosis import lifted_by
from espace_tui.domain.diagnosis_catalogue import CATALOGUE_BY_ID, blockage_title, remedy_label
from espace_tui.domain.display import format_datetime, format_long_date
from espace_tui.domain.dossier import (
    DEFAULT_SERVICES,
    MANDATE_STATE_LABELS,
    MODE_LABELS,
    BankAccount,
    Blockage,
    CabinetInfo,
    Dossier,
    ExpertSpace,
    MandateState,
    MandateType,
    Mode,
)
from espace_tui.domain.errors import InvalidInput, NotFound
from espace_tui.domain.identifiers import format_siren, normalize_email, normalize_siren
from espace_tui.domain.procedures import (
    EXPERT_SPACE_SOFT_LIMIT,
    FACT_LABELS,
    Fact,
    procedure,
)
from espace_tui.domain.teleservices import TELESERVICES_BY_ID, ServiceState
from espace_tui.domain.validation import (
    CleanDossier,
    DossierDraft,
    clean_draft,
    clean_name,
    clean_notes,
)
from espace_tui.store.repository import Store

# A tick dated a little ahead is a clock skew, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)
UNDO_DEPTH = 50

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _transactional(
    method: Callable[Concatenate[Workspace, _P], _R],
) -> Callable[Concatenate[Workspace, _P], _R]:
    """Read, check and write under one store lock: a change another process (the CLI, a
    second dashboard) saved in between is read first, never overwritten."""

    @functools.wraps(method)
    def locked(self: Workspace, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        undo_depth = len(self._undo)
        try:
            with self.store.transaction():
                return method(self, *args, **kwargs)
        except BaseException:
            del self._undo[undo_depth:]  # nothing was saved: nothing to undo
            raise

    return locked


@dataclass(frozen=True)
class Change:
    """The outcome of a command: what it produced and what the user should be told."""

    dossier: Dossier | None = None
    warnings: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class _UndoEntry:
    siren: str
    before: Dossier | None
    label: str


@dataclass
class ImportReport:
    imported: list[Dossier] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Workspace:
    def __init__(self, store: Store, clock: Clock, thresholds: Thresholds | None = None) -> None:
        self.store = store
        self.clock = clock
        self.thresholds = thresholds or self._stored_thresholds()
        self._undo: list[_UndoEntry] = []

    def _stored_thresholds(self) -> Thresholds:
        saved: dict[str, Any] = self.store.settings().get("thresholds", {})
        if not saved:
            return DEFAULT_THRESHOLDS
        return Thresholds(
            soon_share=float(saved.get("soon_share", DEFAULT_THRESHOLDS.soon_share)),
            soon_within=timedelta(
                seconds=float(
                    saved.get("soon_within_s", DEFAULT_THRESHOLDS.soon_within.total_seconds())
                )
            ),
            urgent_share=float(saved.get("urgent_share", DEFAULT_THRESHOLDS.urgent_share)),
            urgent_within=timedelta(
                seconds=float(
                    saved.get("urgent_within_s", DEFAULT_THRESHOLDS.urgent_within.total_seconds())
                )
            ),
        )

    def now(self) -> datetime:
        return self.clock.now()

    # -- queries -------------------------------------------------------------------------

    def state(self, item: Dossier | ExpertSpace, now: datetime | None = None) -> TrackState:
        return track_state(item, now or self.now(), self.thresholds)

    def dossiers(self) -> list[Dossier]:
        return self.store.dossiers()

    def by_urgency(self, dossiers: list[Dossier] | None = None) -> list[tuple[Dossier, TrackState]]:
        now = self.now()
        rows = [
            (d, self.state(d, now)) for d in (self.dossiers() if dossiers is None else dossiers)
        ]
        rows.sort(key=lambda row: (*row[1].sort_key(), row[0].name.lower()))
        return rows

    def get(self, siren: str) -> Dossier:
        key = normalize_siren(siren)
        dossier = self.store.get_dossier(key)
        if dossier is None:
            raise NotFound(f"Aucun dossier pour le SIREN {format_siren(key)}.")
        return dossier

    def spaces(self) -> list[ExpertSpace]:
        return self.store.spaces()

    def get_space(self, space_id: str) -> ExpertSpace:
        space = self.store.get_space(space_id.strip())
        if space is None:
            known = ", ".join(s.id for s in self.spaces()) or "aucun"
            raise InvalidInput(
                "Espace expert",
                f"« {space_id} » inconnu (espaces existants : {known} ; créez-le avec "
                "« espace-tui espace add »).",
            )
        return space

    def space_members(self, space_id: str, dossiers: list[Dossier] | None = None) -> list[Dossier]:
        pool = self.dossiers() if dossiers is None else dossiers
        return [d for d in pool if d.space_id == space_id]

    def cabinet(self) -> CabinetInfo:
        return self.store.cabinet()

    @_transactional
    def set_cabinet(self, name: str, siren: str = "") -> CabinetInfo:
        info = CabinetInfo(
            name=clean_name(name, "Nom du cabinet"),
            siren=normalize_siren(siren, "SIREN du cabinet") if siren.strip() else "",
        )
        self.store.put_cabinet(info)
        return info

    # -- checks shared by add, edit and import -------------------------------------------

    def _login_owner(
        self, email: str, dossiers: list[Dossier], spaces: list[ExpertSpace], *, but: str = ""
    ) -> str | None:
        """Who already uses `email` as a login: one e-mail address = one espace."""
        if not email:
            return None
        wanted = email.casefold()
        for d in dossiers:
            if d.siren != but and d.email_connexion.casefold() == wanted:
                return f"le dossier {format_siren(d.siren)} ({d.name})"
        for s in spaces:
            if s.id != but and s.login_email.casefold() == wanted:
                return f"l'espace expert « {s.id} »"
        return None

    def _space_warnings(
        self, space_id: str | None, dossiers: list[Dossier], siren: str
    ) -> list[str]:
        if space_id is None:
            return []
        members = [d for d in dossiers if d.space_id == space_id and d.siren != siren]
        if len(members) < EXPERT_SPACE_SOFT_LIMIT:
            return []
        others = sorted(
            (len(self.space_members(s.id, dossiers)), s.id)
            for s in self.spaces()
            if s.id != space_id
        )
        hint = (
            f"utilisez plutôt l'espace « {others[0][1]} » ({others[0][0]} SIREN)"
            if others
            else "créez un autre espace expert (espace-tui espace add)"
        )
        return [
            f"L'espace expert « {space_id} » gère désormais {len(members) + 1} SIREN : au-delà "
            f"d'environ {EXPERT_SPACE_SOFT_LIMIT}, il ralentit ou se bloque en période chargée ; "
            f"{hint}."
        ]

    def _check_new(
        self,
        clean: CleanDossier,
        dossiers: list[Dossier],
        spaces: list[ExpertSpace],
        known_sirens: set[str] | None = None,
    ) -> list[str]:
        # An import passes the SIRENs it knows: scanning every dossier for each of 10,000
        # rows was 50 million comparisons.
        if (
            clean.siren in known_sirens
            if known_sirens is not None
            else any(d.siren == clean.siren for d in dossiers)
        ):
            raise InvalidInput(
                "SIREN", f"{format_siren(clean.siren)} est déjà suivi (un dossier par SIREN)."
            )
        if clean.mode is Mode.EXPERT and clean.space_id is None and len(spaces) == 1:
            clean = replace(clean, space_id=spaces[0].id)
        if clean.space_id is not None and all(s.id != clean.space_id for s in spaces):
            self.get_space(clean.space_id)  # raises the French message
        owner = self._login_owner(clean.email_connexion, dossiers, spaces, but=clean.siren)
        if owner:
            raise InvalidInput(
                "E-mail de connexion",
                f"{clean.email_connexion} est déjà utilisée par {owner} : une adresse ne peut "
                "servir qu'à un seul espace (une adresse par personne).",
            )
        return self._space_warnings(clean.space_id, dossiers, clean.siren)

    def _build(self, clean: CleanDossier, now: datetime, spaces: list[ExpertSpace]) -> Dossier:
        space_id = clean.space_id
        if clean.mode is Mode.EXPERT and space_id is None and len(spaces) == 1:
            space_id = spaces[0].id
        bank = BankAccount(clean.iban, clean.bic, clean.mandate_type) if clean.iban else None
        dossier = Dossier(
            siren=clean.siren,
            name=clean.name,
            mode=clean.mode,
            created_at=now,
            email_entreprise=clean.email_entreprise,
            email_connexion=clean.email_connexion,
            space_id=space_id,
            bank=bank,
            notes=clean.notes,
            services={
                sid: ServiceState.REQUESTED
                for sid in (
                    clean.services if clean.services is not None else DEFAULT_SERVICES[clean.mode]
                )
            },
        )
        where = f" dans l'espace expert « {space_id} »" if space_id else ""
        detail = f"Dossier créé (mode {MODE_LABELS[clean.mode]}){where}."
        return dossier.with_history(now, "created", detail)

    # -- dossier commands ----------------------------------------------------------------

    def add_dossier(self, draft: DossierDraft) -> Change:
        clean = clean_draft(draft)
        with self.store.transaction():
            dossiers, spaces = self.dossiers(), self.spaces()
            warnings = self._check_new(clean, dossiers, spaces)
            dossier = self._build(clean, self.now(), spaces)
            self.store.put_dossier(dossier)
        self._remember(dossier.siren, None, f"création de {dossier.name}")
        return Change(dossier, tuple(warnings), f"Dossier {format_siren(dossier.siren)} ajouté.")

    def edit_dossier(self, siren: str, draft: DossierDraft) -> Change:
        """Replace the editable fields; the SIREN itself cannot change."""
        before = self.get(siren)
        clean = clean_draft(replace(draft, siren=before.siren))
        with self.store.transaction():
            dossiers, spaces = self.dossiers(), self.spaces()
            if clean.space_id is not None and all(s.id != clean.space_id for s in spaces):
                self.get_space(clean.space_id)
            owner = self._login_owner(clean.email_connexion, dossiers, spaces, but=before.siren)
            if owner:
                raise InvalidInput(
                    "E-mail de connexion", f"{clean.email_connexion} est déjà utilisée par {owner}."
                )
            warnings: list[str] = []
            if clean.space_id != before.space_id:
                warnings = self._space_warnings(clean.space_id, dossiers, before.siren)
            bank = before.bank
            if clean.iban:
                same = bank is not None and bank.iban == clean.iban
                bank = BankAccount(
                    clean.iban,
                    clean.bic,
                    clean.mandate_type,
                    bank.mandate_state if same and bank else MandateState.TO_PRINT,
                )
            else:
                bank = None
            changes: dict[str, Any] = {
                "name": clean.name,
                "email_entreprise": clean.email_entreprise,
                "email_connexion": clean.email_connexion,
                "space_id": clean.space_id,
                "bank": bank,
                "notes": clean.notes,
            }
            if clean.services is not None:
                changes["services"] = {
                    sid: before.services.get(sid, ServiceState.REQUESTED) for sid in clean.services
                }
            if clean.mode is not before.mode:
                changes.update(mode=clean.mode, procedure_id="", events={})
            changed = [k for k, v in changes.items() if getattr(before, k) != v]
            if not changed:
                return Change(before, (), "Aucune modification.")
            detail = "Modifié : " + ", ".join(_CHANGE_LABELS.get(k, k) for k in changed) + "."
            dossier = before.with_history(self.now(), "edited", detail, **changes)
            self.store.put_dossier(dossier)
        self._remember(before.siren, before, detail)
        return Change(dossier, tuple(warnings), detail)

    @_transactional
    def delete_dossier(self, siren: str) -> Change:
        before = self.get(siren)
        self.store.delete_dossier(before.siren)
        self._remember(before.siren, before, f"suppression de {before.name}")
        return Change(None, (), f"Dossier {format_siren(before.siren)} supprimé.")

    def _save(self, before: Dossier, after: Dossier, label: str) -> Change:
        self.store.put_dossier(after)
        self._remember(before.siren, before, label)
        return Change(after, (), label)

    @_transactional
    def tick(self, siren: str, step_id: str, at: datetime | None = None) -> Change:
        dossier = self.get(siren)
        proc = procedure(dossier.procedure_id)
        if not proc.has_step(step_id):
            known = ", ".join(s.id for s in proc.steps)
            raise InvalidInput(
                "Étape", f"« {step_id} » inconnue pour ce dossier (étapes : {known})."
            )
        now = self.now()
        when = at or now
        if when > now + FUTURE_TOLERANCE:
            raise InvalidInput("Date", f"{format_datetime(when)} est dans le futur.")
        step = proc.step(step_id)
        if step_id in dossier.events and at is None:
            return Change(
                dossier, (), f"Étape déjà faite le {format_datetime(dossier.events[step_id])}."
            )
        changes: dict[str, Any] = {"events": {**dossier.events, step_id: when}}
        if step.services_become is not None:
            changes["services"] = _advance_services(dossier.services, step.services_become)
        if step_id == "mandat_b2b" and dossier.bank is not None:
            changes["bank"] = replace(dossier.bank, mandate_state=MandateState.CONFIRMED)
        lifted = self._lift_blockages(dossier, step_id, now)
        changes.update(lifted)
        label = f"Étape « {step.label} » faite le {format_datetime(when)}."
        if lifted:
            label += " Blocage levé."
        return self._save(dossier, dossier.with_history(now, "step_done", label, **changes), label)

    @_transactional
    def untick(self, siren: str, step_id: str) -> Change:
        dossier = self.get(siren)
        proc = procedure(dossier.procedure_id)
        if not proc.has_step(step_id):
            raise InvalidInput("Étape", f"« {step_id} » inconnue pour ce dossier.")
        if step_id not in dossier.events:
            return Change(dossier, (), "Cette étape n'était pas cochée.")
        events = {k: v for k, v in dossier.events.items() if k != step_id}
        label = f"Étape « {proc.step(step_id).label} » décochée."
        return self._save(
            dossier, dossier.with_history(self.now(), "step_undone", label, events=events), label
        )

    @_transactional
    def toggle(self, siren: str, step_id: str) -> Change:
        dossier = self.get(siren)
        if step_id in dossier.events:
            return self.untick(siren, step_id)
        return self.tick(siren, step_id)

    @_transactional
    def set_fact(self, siren: str, fact: Fact, when: datetime | None) -> Change:
        dossier = self.get(siren)
        now = self.now()
        events = {k: v for k, v in dossier.events.items() if k != fact.value}
        warnings: list[str] = []
        if when is not None:
            if fact in PAST_FACTS and when > now + FUTURE_TOLERANCE:
                raise InvalidInput(
                    FACT_LABELS[fact], f"{format_long_date(when)} est dans le futur."
                )
            warnings = _fact_order_warnings(dossier, fact, when)
            events[fact.value] = when
            label = f"{FACT_LABELS[fact]} : {format_long_date(when)}."
        else:
            label = f"{FACT_LABELS[fact]} : effacée."
        change = self._save(dossier, dossier.with_history(now, "fact", label, events=events), label)
        return replace(change, warnings=tuple(warnings))

    @_transactional
    def record_client_chased(self, siren: str, about: str) -> Change:
        """The client was sent a reminder (a letter): the history says what and when."""
        dossier = self.get(siren)
        now = self.now()
        label = f"Client relancé le {format_datetime(now)} : {about}."
        return self._save(dossier, dossier.with_history(now, "client_chased", label), label)

    @_transactional
    def set_notes(self, siren: str, notes: str) -> Change:
        dossier = self.get(siren)
        text = clean_notes(notes)
        if text == dossier.notes:
            return Change(dossier, (), "Notes inchangées.")
        return self._save(
            dossier,
            dossier.with_history(self.now(), "notes", "Notes modifiées.", notes=text),
            "Notes modifiées.",
        )

    @_transactional
    def set_services(self, siren: str, service_ids: list[str]) -> Change:
        dossier = self.get(siren)
        unknown = [s for s in service_ids if s not in TELESERVICES_BY_ID]
        if unknown:
            raise InvalidInput("Services", f"inconnus : {', '.join(unknown)}.")
        services = {s: dossier.services.get(s, ServiceState.REQUESTED) for s in service_ids}
        labels = ", ".join(TELESERVICES_BY_ID[s].label for s in service_ids) or "aucun"
        label = f"Services demandés : {labels}."
        return self._save(
            dossier,
            dossier.with_history(self.now(), "services", label, services=services),
            label,
        )

    @_transactional
    def set_mandate_state(self, siren: str, state: MandateState) -> Change:
        dossier = self.get(siren)
        if dossier.bank is None:
            raise InvalidInput("Mandat", "renseignez d'abord le compte bancaire (IBAN et BIC).")
        if dossier.bank.mandate_type is not MandateType.B2B:
            raise InvalidInput("Mandat", "le suivi d'envoi ne concerne que les mandats B2B.")
        changes: dict[str, Any] = {"bank": replace(dossier.bank, mandate_state=state)}
        now = self.now()
        if state is MandateState.CONFIRMED and "mandat_b2b" not in dossier.events:
            changes["events"] = {**dossier.events, "mandat_b2b": now}
        if state is MandateState.CONFIRMED:
            changes.update(self._lift_blockages(dossier, "mandat_b2b", now))
        label = f"Mandat B2B : {MANDATE_STATE_LABELS[state]}."
        return self._save(dossier, dossier.with_history(now, "mandate", label, **changes), label)

    @_transactional
    def restart(
        self, siren: str, procedure_id: str | None = None, space_id: str | None = None
    ) -> Change:
        """Start the procedure (or another one) over; the history keeps what came before."""
        dossier = self.get(siren)
        target = procedure(procedure_id or dossier.procedure_id)
        if space_id is not None:
            self.get_space(space_id)
        done = ", ".join(
            f"{k} ({format_datetime(v)})"
            for k, v in sorted(dossier.events.items(), key=lambda i: i[1])
        )
        if target.id == dossier.procedure_id:
            label = f"{target.restart_label}."
        else:
            label = f"Nouvelle procédure : {target.label}."
        if done:
            label += f" Étapes précédentes : {done}."
        changes: dict[str, Any] = {
            "procedure_id": target.id,
            "events": {},
            "services": {s: ServiceState.REQUESTED for s in dossier.services},
        }
        if target.id in ("adhesion_expert",):
            changes["mode"] = Mode.EXPERT
        if space_id is not None:
            changes["space_id"] = space_id
        after = dossier.with_history(self.now(), "restarted", label, **changes)
        change = self._save(dossier, after, label)
        warnings = self._space_warnings(space_id, self.dossiers(), siren) if space_id else []
        return replace(change, warnings=tuple(warnings))

    @_transactional
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

    @_transactional
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

    @_transactional
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

    @contextmanager
    def undo_group(self, label: str) -> Iterator[None]:
        """Changes to one dossier made inside are undone as one (a remedy restarts the
        procedure, then resolves the blockage: undo must not stop halfway). Use it inside
        `store.transaction()`: if a change fails nothing is written, so nothing is kept."""
        mark = len(self._undo)
        try:
            yield
        except BaseException:
            del self._undo[mark:]
            raise
        group = self._undo[mark:]
        if len(group) > 1 and len({entry.siren for entry in group}) == 1:
            del self._undo[mark:]
            self._remember(group[0].siren, group[0].before, label)

    # -- undo ----------------------------------------------------------------------------

    def _remember(self, siren: str, before: Dossier | None, label: str) -> None:
        self._undo.append(_UndoEntry(siren, before, label))
        del self._undo[:-UNDO_DEPTH]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @_transactional
    def undo(self) -> Change:
        """Put back the dossier as it was before the last change made in this session.

        The history stays append-only: the restored dossier keeps every entry and gains one.
        """
        if not self._undo:
            return Change(None, (), "Rien à annuler.")
        entry = self._undo.pop()
        current = self.store.get_dossier(entry.siren)
        label = f"Modification annulée ({entry.label})"
        if entry.before is None:
            if current is not None:
                self.store.delete_dossier(entry.siren)
            return Change(None, (), label)
        history = current.history if current is not None else entry.before.history
        restored = replace(entry.before, history=history).with_history(self.now(), "undo", label)
        self.store.put_dossier(restored)
        return Change(restored, (), label)

    # -- expert spaces -------------------------------------------------------------------

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

    @_transactional
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

    @_transactional
    def restart_space(self, space_id: str) -> ExpertSpace:
        """Start the expert space's creation over (its 48 h code expired); history is kept."""
        space = self.get_space(space_id)
        proc = procedure(space.procedure_id)
        done = ", ".join(
            f"{k} ({format_datetime(v)})"
            for k, v in sorted(space.events.items(), key=lambda i: i[1])
        )
        label = f"{proc.restart_label}." + (f" Étapes précédentes : {done}." if done else "")
        after = space.with_history(self.now(), "restarted", label, events={})
        self.store.put_space(after)
        return after

    # -- bulk ----------------------------------------------------------------------------

    def import_drafts(
        self,
        rows: list[tuple[int, DossierDraft]],
        *,
        skip_invalid: bool = False,
        dry_run: bool = False,
    ) -> ImportReport:
        """Validate every row, then write all good ones at once (or none if any is bad).

        `dry_run` is the preview: the same checks, what would be imported, nothing written.
        """
        report = ImportReport()
        with self.store.transaction():
            dossiers, spaces = self.dossiers(), self.spaces()
            now = self.now()
            pending: list[Dossier] = []
            known = {d.siren for d in dossiers}
            for line, draft in rows:
                try:
                    clean = clean_draft(draft)
                    warnings = self._check_new(clean, dossiers + pending, spaces, known)
                except InvalidInput as err:
                    report.errors.append((line, err.message))
                    continue
                report.warnings.extend(f"ligne {line} : {w}" for w in warnings[:1])
                pending.append(self._build(clean, now, spaces))
                known.add(clean.siren)
            if dry_run:
                report.imported = pending
                return report
            if report.errors and not skip_invalid:
                return report
            self.store.insert_dossiers(pending)
            report.imported = pending
        return report


_CHANGE_LABELS = {
    "name": "nom",
    "email_entreprise": "e-mail de l'entreprise",
    "email_connexion": "e-mail de connexion",
    "space_id": "espace expert",
    "bank": "compte bancaire",
    "notes": "notes",
    "mode": "mode (procédure recommencée)",
    "services": "services",
}


# Facts that record something that happened (a planned first payment may be ahead).
PAST_FACTS = frozenset({Fact.LETTER_PRINTED})


def _fact_order_warnings(dossier: Dossier, fact: Fact, when: datetime) -> list[str]:
    """A fact dated before an event it normally follows (the letter is printed after the
    link click or the adhesion): probably a typo, worth saying, not refusing."""
    proc = procedure(dossier.procedure_id)
    warnings = []
    for template in proc.steps:
        countdown = template.countdown
        if countdown is None or countdown.anchors[0] != fact.value:
            continue
        for later in countdown.anchors[1:]:
            happened = dossier.events.get(later)
            if happened is not None and when < happened and proc.has_step(later):
                warnings.append(
                    f"{FACT_LABELS[fact]} ({format_long_date(when)}) antérieure à l'étape "
                    f"« {proc.step(later).label} » ({format_long_date(happened)}) : vérifiez-la."
                )
    return warnings


def _advance_services(
    services: dict[str, ServiceState], target: ServiceState
) -> dict[str, ServiceState]:
    order = list(ServiceState)
    return {k: max(v, target, key=order.index) for k, v in services.items()}
