"""The workspace's core: queries, the checks shared by commands, saving and undo."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar

from espace_tui.domain.clock import Clock, to_paris
from espace_tui.domain.deadlines import DEFAULT_THRESHOLDS, Thresholds, TrackState, track_state
from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import CabinetInfo, Dossier, ExpertSpace
from espace_tui.domain.errors import InvalidInput, NotFound, UserError
from espace_tui.domain.identifiers import format_siren, normalize_siren
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT, FACT_LABELS, Fact, Procedure
from espace_tui.domain.validation import clean_name
from espace_tui.store import codec
from espace_tui.store.repository import Store
from espace_tui.workspace import journal
from espace_tui.workspace.fresh import check_fresh, check_fresh_cabinet

# A tick dated a little ahead is a clock skew, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=5)

_P = ParamSpec("_P")
_R = TypeVar("_R")
_W = TypeVar("_W", bound="WorkspaceCore")


def transactional(method: Callable[Concatenate[_W, _P], _R]) -> Callable[Concatenate[_W, _P], _R]:
    """Read, check and write under one store lock: a change another process (the CLI, a
    second dashboard) saved in between is read first, never overwritten. What the method
    changed is journaled (for undo) in the same write."""

    @functools.wraps(method)
    def locked(self: _W, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.store.transaction(), self._recording():
            return method(self, *args, **kwargs)

    return locked


@dataclass(frozen=True)
class Change:
    """The outcome of a command: what it produced and what the user should be told."""

    dossier: Dossier | None = None
    warnings: tuple[str, ...] = ()
    message: str = ""
    # Undo/redo of a batch: every dossier it saved, and the SIRENs it removed.
    touched: tuple[Dossier, ...] = ()
    removed: tuple[str, ...] = ()


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


def thresholds_from_settings(settings: Mapping[str, Any]) -> Thresholds:
    """The cabinet's thresholds as its settings record holds them (defaults for the rest)."""
    saved: dict[str, Any] = settings.get("thresholds", {})
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


class WorkspaceCore:
    """State and queries every group of commands relies on."""

    def __init__(self, store: Store, clock: Clock, thresholds: Thresholds | None = None) -> None:
        self.store = store
        self.clock = clock
        self.thresholds = thresholds or self._stored_thresholds()
        # The changes of the transaction in progress, per SIREN: (first before, last after).
        self._pending: dict[str, tuple[Dossier | None, Dossier | None]] | None = None
        self._pending_labels: list[str] = []
        self._group_label: str | None = None
        self._recording_depth = 0

    def _stored_thresholds(self) -> Thresholds:
        return thresholds_from_settings(self.store.settings())

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

    def is_empty(self) -> bool:
        """Nothing recorded yet: no cabinet name, no expert space, no dossier (the first-run
        screen opens then). Counted, not decoded: thousands of dossiers need not be read."""
        return not self.cabinet().name and not self.spaces() and self.store.dossier_count() == 0

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
        if self._pending is None:  # a change made outside any transaction: journal it alone
            with self.store.transaction(), self._recording():
                self._remember(siren, before, label, after)
            return
        first = self._pending[siren][0] if siren in self._pending else before
        self._pending[siren] = (first, after)
        known = after or before
        name = known.name if known is not None else siren
        self._pending_labels.append(f"{label.rstrip('.')} ({name})")

    @contextmanager
    def _recording(self, label: str | None = None) -> Iterator[None]:
        """Collect the dossiers changed inside; the outermost writes one journal entry (one
        undo) on success, inside the store transaction so it is the same disk write."""
        outer = self._recording_depth == 0
        if outer:
            self._pending, self._pending_labels, self._group_label = {}, [], label
        elif label is not None and self._group_label is None:
            self._group_label = label
        self._recording_depth += 1
        try:
            yield
            if outer:
                self._flush_journal()
        finally:
            self._recording_depth -= 1
            if outer:
                self._pending = None

    def _flush_journal(self) -> None:
        items = []
        for siren, (before, after) in (self._pending or {}).items():
            changes = journal.diff(
                None if before is None else codec.dossier_to_doc(before),
                None if after is None else codec.dossier_to_doc(after),
            )
            if changes:
                items.append({"siren": siren, "changes": changes})
        if not items:
            return
        if self._group_label is not None:
            label = self._group_label
        elif len(self._pending_labels) == 1:
            label = self._pending_labels[0]
        else:
            label = f"{self._pending_labels[0]} et {len(self._pending_labels) - 1} autre(s)"
        undone = [e["seq"] for e in self.store.journal() if e.get("state") == journal.UNDONE]
        if undone:  # a new change after an undo: what was undone cannot be redone any more
            self.store.remove_journal_entries(undone)
        entry = {
            "at": to_paris(self.now()).isoformat(),
            "label": label,
            "state": journal.DONE,
            "items": items,
        }
        self.store.append_journal(entry, keep=journal.JOURNAL_KEEP)

    def _journal_target(self, state: str) -> dict[str, Any] | None:
        entries = self.store.journal()
        if state == journal.DONE:
            done = [e for e in entries if e.get("state") == journal.DONE]
            return done[-1] if done else None
        undone = [e for e in entries if e.get("state") == journal.UNDONE]
        return undone[0] if undone else None

    def _entry_view(self, entry: dict[str, Any] | None) -> journal.EntryView | None:
        if entry is None:
            return None
        return journal.EntryView(
            seq=int(entry["seq"]),
            label=str(entry.get("label", "")),
            at=datetime.fromisoformat(str(entry["at"])),
            count=len(entry.get("items", [])),
            state=str(entry.get("state")),
        )

    def next_undo(self) -> journal.EntryView | None:
        """What undo would take back now (the last change, whichever program made it)."""
        return self._entry_view(self._journal_target(journal.DONE))

    def next_redo(self) -> journal.EntryView | None:
        return self._entry_view(self._journal_target(journal.UNDONE))

    @property
    def can_undo(self) -> bool:
        return self.next_undo() is not None

    def undo(self) -> Change:
        """Take back the last change (made here, by the CLI or another dashboard, before or
        after a restart): every dossier it touched, at once. The history stays append-only:
        each restored dossier gains an entry."""
        with self.store.transaction():
            entry = self._journal_target(journal.DONE)
            if entry is None:
                return Change(None, (), "Rien à annuler.")
            saved, removed = self._replay(entry, "undo")
            entry["state"] = journal.UNDONE
            self.store.put_journal_entry(entry)
        last = saved[-1] if saved and not removed else None
        message = f"Modification annulée ({entry['label']})."
        return Change(last, (), message, tuple(saved), tuple(removed))

    def redo(self) -> Change:
        """Make again the change undo took back last, if nothing changed those dossiers since."""
        with self.store.transaction():
            entry = self._journal_target(journal.UNDONE)
            if entry is None:
                return Change(None, (), "Rien à rétablir.")
            saved, removed = self._replay(entry, "redo")
            entry["state"] = journal.DONE
            self.store.put_journal_entry(entry)
        last = saved[-1] if saved and not removed else None
        message = f"Modification rétablie ({entry['label']})."
        return Change(last, (), message, tuple(saved), tuple(removed))

    def _replay(self, entry: dict[str, Any], action: str) -> tuple[list[Dossier], list[str]]:
        """Every item of `entry` set back (undo) or again (redo); refuses as a whole when one
        dossier changed since. Returns the dossiers saved and the SIRENs removed."""
        expected, target = ("after", "before") if action == "undo" else ("before", "after")
        verb = "Annulation" if action == "undo" else "Rétablissement"
        currents: list[dict[str, Any] | None] = []
        for item in entry["items"]:
            found = self.store.get_dossier(item["siren"])
            current = None if found is None else codec.dossier_to_doc(found)
            if journal.conflicts(current, item["changes"], expected):
                raise UserError(journal.conflict_message(item["siren"], entry["label"], verb))
            currents.append(current)
        now = self.now()
        detail = f"{'Annulé' if action == 'undo' else 'Rétabli'} : {entry['label']}."
        saved: list[Dossier] = []
        removed: list[str] = []
        for item, current in zip(entry["items"], currents, strict=True):
            doc = journal.apply(current, item["changes"], target)
            if doc is None:
                self.store.delete_dossier(item["siren"])
                removed.append(item["siren"])
                continue
            saved.append(codec.dossier_from_doc(doc).with_history(now, action, detail))
            self.store.put_dossier(saved[-1])
        return saved, removed

    @contextmanager
    def undo_group(self, label: str) -> Iterator[None]:
        """Changes made inside are undone as one (a remedy restarts the procedure, then
        resolves the blockage: undo must not stop halfway). Use it inside
        `store.transaction()`: if a change fails nothing is written, so nothing is kept."""
        with self._recording(label):
            yield
