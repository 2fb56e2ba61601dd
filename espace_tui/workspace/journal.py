"""The undo journal: what each change did to each dossier, field by field, kept in the data
file so that undo and redo last across restarts and work across programs (CLI, dashboard).

An entry holds, per dossier, the fields the change touched with their value before and after
(one level deeper for the steps' dates and the services, so undoing a tick does not touch a
step ticked since). Undo puts the before values back only where the dossier still holds the
after values: a change made since, here or by another program, is never overwritten. The
history stays append-only: undo and redo add an entry to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from espace_tui.domain.clock import to_paris
from espace_tui.domain.identifiers import format_siren

Doc = dict[str, Any]

# Dict fields compared key by key: one step's date, one service's state.
NESTED = frozenset({"events", "services"})
# Never restored: the history only grows; the SIREN is the dossier's identity.
FIXED = frozenset({"history", "siren"})
JOURNAL_KEEP = 100
DONE, UNDONE = "done", "undone"

# A value as stored in an entry: [] when the field (or key) was absent, [value] otherwise.
Slot = list[Any]


def _slot(doc: Doc | None, path: list[str]) -> Slot:
    value: Any = doc
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return []
        value = value[part]
    return [value]


def diff(before: Doc | None, after: Doc | None) -> list[Doc]:
    """The fields that differ, as {"path": [...], "before": slot, "after": slot}. A dossier
    created or deleted is one change of the whole document (path [])."""
    if before is None or after is None:
        return [{"path": [], "before": [] if before is None else [before], "after": _whole(after)}]
    changes = []
    for key in sorted((before.keys() | after.keys()) - FIXED):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in NESTED and isinstance(old, dict) and isinstance(new, dict):
            for sub in sorted(old.keys() | new.keys()):
                if old.get(sub) != new.get(sub) or (sub in old) != (sub in new):
                    changes.append(
                        {
                            "path": [key, sub],
                            "before": _slot(old, [sub]),
                            "after": _slot(new, [sub]),
                        }
                    )
            continue
        changes.append(
            {"path": [key], "before": _slot(before, [key]), "after": _slot(after, [key])}
        )
    return changes


def _whole(doc: Doc | None) -> Slot:
    return [] if doc is None else [doc]


def _without_history(doc: Doc | None) -> Doc | None:
    return None if doc is None else {k: v for k, v in doc.items() if k != "history"}


def conflicts(current: Doc | None, changes: list[Doc], side: str) -> list[str]:
    """The paths whose current value is not the entry's `side` value any more."""
    found = []
    for change in changes:
        path = change["path"]
        if not path:
            expected = change[side]
            now = _without_history(current)
            wanted = _without_history(expected[0]) if expected else None
            if now != wanted:
                found.append("dossier")
            continue
        if _slot(current, path) != change[side]:
            found.append(".".join(path))
    return found


def apply(current: Doc | None, changes: list[Doc], side: str) -> Doc | None:
    """`current` with every change set to its `side` value (None: the dossier is removed)."""
    doc: Doc | None = None if current is None else {**current}
    for change in changes:
        path, value = change["path"], change[side]
        if not path:  # created or deleted: `conflicts` made sure nothing else changed since
            doc = {**value[0]} if value else None
            continue
        assert doc is not None
        if len(path) == 1:
            if value:
                doc[path[0]] = value[0]
            else:
                doc.pop(path[0], None)
            continue
        nested = dict(doc.get(path[0]) or {})
        if value:
            nested[path[1]] = value[0]
        else:
            nested.pop(path[1], None)
        doc[path[0]] = nested
    return doc


@dataclass(frozen=True)
class EntryView:
    """An entry as the screens describe it."""

    seq: int
    label: str
    at: datetime
    count: int  # dossiers it touched
    state: str

    def describe(self) -> str:
        """« Étape « Formulaire » cochée (Danone), le 01/12 à 09:00 »."""
        local = to_paris(self.at)
        return f"{self.label} — le {local:%d/%m} à {local:%H:%M}"


def conflict_message(siren: str, label: str, verb: str) -> str:
    return (
        f"{verb} impossible : le dossier {format_siren(siren)} a été modifié depuis « {label} » "
        "(ici ou par un autre programme) et ces changements seraient perdus. Rien n'a été changé."
    )
