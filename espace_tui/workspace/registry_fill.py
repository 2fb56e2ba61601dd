"""Filling the names an imported client list lacks, from the company registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import normalize_siren
from espace_tui.domain.validation import DossierDraft
from espace_tui.workspace.registry import Registry, RegistryUnavailable

Rows = list[tuple[int, DossierDraft]]


@dataclass
class Completion:
    rows: Rows = field(default_factory=list)
    filled: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def rows_to_complete(rows: Rows) -> int:
    return sum(1 for _, draft in rows if not draft.name.strip())


def complete_names(
    rows: Rows,
    registry: Registry,
    progress: Callable[[int, int], None] | None = None,
) -> Completion:
    """Rows without a name get the registry's; rows it cannot name become errors.

    After the first « unreachable » the registry is not asked again: a thousand rows must
    not wait three seconds each."""
    done = Completion()
    total = rows_to_complete(rows)
    asked = 0
    down: RegistryUnavailable | None = None
    for line, draft in rows:
        if draft.name.strip():
            done.rows.append((line, draft))
            continue
        asked += 1
        try:
            siren = normalize_siren(draft.siren)
        except InvalidInput:
            done.rows.append((line, draft))  # validation names the bad SIREN
            continue
        if down is None:
            try:
                record = registry.lookup(siren)
            except RegistryUnavailable as err:
                down = err
        if progress is not None:
            progress(asked, total)
        if down is not None:
            done.errors.append((line, f"nom absent et annuaire injoignable ({down.detail})."))
            continue
        if record is None:
            done.errors.append((line, "nom absent et SIREN inconnu de l'annuaire."))
            continue
        if record.ceased:
            done.warnings.append(f"ligne {line} : {record.name} est cessée selon l'annuaire.")
        done.rows.append((line, replace(draft, name=record.name)))
        done.filled += 1
    return done
