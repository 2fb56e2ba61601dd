"""The workspace's core: queries, the checks shared by commands, saving and undo."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from espace_tui.domain.clock import Clock
from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Thresholds, TrackState, track_state
from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import CabinetInfo, Dossier, ExpertSpace
from espace_tui.domain.errors import InvalidInput, NotFound, UserError
from espace_tui.domain.identifiers import format_siren, normalize_siren
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT, FACT_LABELS, Fact, Procedure
from espace_tui.domain.validation import clean_name
from espace_tui.store.repository import Store
from espace_tui.workspace.fresh import check_fresh, check_fresh_cabinet

# A tick dated a little ahead is a clock skew, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)
UNDO_DEPTH = 50

_P = ParamSpec("_P")
_R = TypeVar("_R")
_W = TypeVar("_W", bound="WorkspaceCore")


def transactional(method: Callable[Concatenate[_W, _P], _R]) -> Callable[Concatenate[_W, _P], _R]:
    """Read, check and write under one store lock: a change another process (the CLI, a
    second dashboard) saved in between is read first, never overwritten."""

    @functools.wraps(method)
    def locked(self: _W, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
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
    # History length right after the change (None: deleted). Every change appends to the
    # history, so a longer one at undo time means another change since, maybe elsewhere.
    after_history: int | None


def events_summary(proc: Procedure, events: Mapping[str, datetime]) -> str:
    """« Remplir le formulaire… (01/12/2026 09:00), … »: what a restart leaves behind, in
    the history, with the French labels of steps and facts."""

    def label(key: str) -> str:
        if proc.has_step(key):
            return proc.step(key).label
        return FACT_LABELS[Fact(key)] if key in _FACT_KEYS else key

    ordered = sorted(events.items(), key=lambda item: item[1])
    return ", ".join(f"{label(k)} ({format_datetime(v)})" for k, v in ordered)


_FACT_KEYS = frozenset(f.value for f in Fact)


class WorkspaceCore:
    """State and queries every group of commands relies on."""

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

    def _fresh(
        self,
        siren: str,
        base: Dossier | None,
        fields: tuple[str, ...],
        wanted: Mapping[str, Any] | None = None,
    ) -> Dossier:
        """The dossier as stored now, to change; with `base` (what a dialog showed when it
        opened), refuse if one of `fields` was changed since by someone else. Call it under
        the lock (in a @transactional method): see workspace/fresh.py."""
        current = self.get(siren)
        check_fresh(base, current, fields, wanted)
        return current

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

    def settings(self) -> dict[str, Any]:
        return self.store.settings()

    @transactional
    def set_setting(self, key: str, value: Any) -> None:
        """One preference (theme, keymap…), merged: the other keys are kept."""
        self.store.put_settings({**self.store.settings(), key: value})

    def cabinet(self) -> CabinetInfo:
        return self.store.cabinet()

    @transactional
    def set_cabinet(
        self, name: str, siren: str = "", *, base: CabinetInfo | None = None
    ) -> CabinetInfo:
        """`base`: the cabinet a dialog showed; refused if changed elsewhere since."""
        info = CabinetInfo(
            name=clean_name(name, "Nom du cabinet"),
            siren=normalize_siren(siren, "SIREN du cabinet") if siren.strip() else "",
        )
        check_fresh_cabinet(base, self.store.cabinet(), info)
        self.store.put_cabinet(info)
        return info

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

    def _save(self, before: Dossier, after: Dossier, label: str) -> Change:
        self.store.put_dossier(after)
        self._remember(before.siren, before, label, after)
        return Change(after, (), label)

    def _remember(
        self, siren: str, before: Dossier | None, label: str, after: Dossier | None
    ) -> None:
        after_history = None if after is None else len(after.history)
        self._undo.append(_UndoEntry(siren, before, label, after_history))
        del self._undo[:-UNDO_DEPTH]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @transactional
    def undo(self) -> Change:
        """Put back the dossier as it was before the last change made in this session.

        The history stays append-only: the restored dossier keeps every entry and gains one.
        """
        if not self._undo:
            return Change(None, (), "Rien à annuler.")
        entry = self._undo.pop()
        current = self.store.get_dossier(entry.siren)
        now_history = None if current is None else len(current.history)
        if now_history != entry.after_history:
            # Putting the old copy back would silently erase that other change.
            raise UserError(
                f"Annulation impossible : le dossier {format_siren(entry.siren)} a été modifié "
                f"depuis « {entry.label} » (ici ou par un autre programme). Rien n'a été changé."
            )
        label = f"Modification annulée ({entry.label})"
        if entry.before is None:
            if current is not None:
                self.store.delete_dossier(entry.siren)
            return Change(None, (), label)
        history = current.history if current is not None else entry.before.history
        restored = replace(entry.before, history=history).with_history(self.now(), "undo", label)
        self.store.put_dossier(restored)
        self._undo = [
            # The change before this one left the dossier as restored now: still undoable.
            replace(e, after_history=len(restored.history))
            if e.siren == entry.siren and e.after_history == len(entry.before.history)
            else e
            for e in self._undo
        ]
        return Change(restored, (), label)

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
            merged = _UndoEntry(group[0].siren, group[0].before, label, group[-1].after_history)
            self._undo.append(merged)
