"""Saving from a dialog: apply what the user changed on top of what is stored now.

A dialog shows a dossier read when it opened (its *base*); another program (the command
line, a second dashboard) may save the same dossier before the dialog does. So a dialog never
writes back the copy it holds: it gives the Workspace method its base and the new values,
and the method, under the store lock, compares field by field:

- a field the user left as shown is not written (what is stored now stays);
- a field the user changed and nobody else did is written on top of the stored dossier;
- a field changed both in the dialog and elsewhere (to another value) refuses the whole
  save with `StaleDialog`: nothing is written, the French message names the fields, and
  the dialog offers to reload.

Fields are named by dotted keys: ``name``, ``notes``, ``services``, ``bank.iban``,
``events`` (all of them), ``events.<step or fact>``, ``blockages``…
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from espace_tui.domain.dossier import CabinetInfo, Dossier
from espace_tui.domain.errors import UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import FACT_LABELS, Fact, procedure

FIELD_LABELS = {
    "name": "nom",
    "mode": "mode",
    "procedure_id": "procédure",
    "email_entreprise": "e-mail de l'entreprise",
    "email_connexion": "e-mail de connexion",
    "space_id": "espace expert",
    "services": "services",
    "bank": "compte bancaire",
    "bank.iban": "IBAN",
    "bank.bic": "BIC",
    "bank.mandate_type": "type de mandat",
    "bank.mandate_state": "état du mandat",
    "notes": "notes",
    "events": "étapes et dates",
    "blockages": "blocages",
}


def field_value(dossier: Dossier, key: str) -> Any:
    """The value of one field of `dossier`, by its dotted key (see the module doc)."""
    head, _, sub = key.partition(".")
    if head == "bank":
        bank = dossier.bank
        if not sub:
            return bank
        if bank is None:
            return "" if sub in ("iban", "bic") else None
        return getattr(bank, sub)
    if head == "events":
        return dict(dossier.events) if not sub else dossier.events.get(sub)
    if head == "services":
        return frozenset(dossier.services)
    return getattr(dossier, key)


def field_label(dossier: Dossier, key: str) -> str:
    head, _, sub = key.partition(".")
    if head == "events" and sub:
        if sub in _FACT_KEYS:
            return FACT_LABELS[Fact(sub)]
        proc = procedure(dossier.procedure_id)
        return f"étape « {proc.step(sub).label} »" if proc.has_step(sub) else sub
    return FIELD_LABELS.get(key, key)


_FACT_KEYS = frozenset(f.value for f in Fact)


class StaleDialog(UserError):
    """The dialog's copy is out of date for a field it saves: nothing was written."""

    def __init__(self, what: str, labels: Iterable[str]) -> None:
        self.labels = tuple(dict.fromkeys(labels))
        super().__init__(
            f"{what} a été modifié ailleurs depuis l'ouverture de cette fenêtre "
            f"({', '.join(self.labels)}) : rien n'a été enregistré. Rechargez pour partir "
            "de la version enregistrée, puis refaites votre modification."
        )


def conflicts(
    base: Dossier, current: Dossier, fields: Iterable[str], wanted: Mapping[str, Any] | None = None
) -> list[str]:
    """The fields changed since `base` was read, unless already set to what the user wants."""
    wanted = wanted or {}
    found = []
    for key in fields:
        now = field_value(current, key)
        if now != field_value(base, key) and (key not in wanted or now != wanted[key]):
            found.append(key)
    return found


def check_fresh(
    base: Dossier | None,
    current: Dossier,
    fields: Iterable[str],
    wanted: Mapping[str, Any] | None = None,
) -> None:
    """Refuse (StaleDialog) when a field this save relies on changed since `base`.

    No base (the command line reads and writes under one lock): nothing to check."""
    if base is None:
        return
    stale = conflicts(base, current, fields, wanted)
    if stale:
        raise StaleDialog(
            f"Le dossier {format_siren(current.siren)}",
            (field_label(current, key) for key in stale),
        )


def user_changes(base: Dossier, values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields whose new value differs from what the dialog showed."""
    return {key: value for key, value in values.items() if value != field_value(base, key)}


def merge_services(base: Dossier, current: Dossier, chosen: Iterable[str]) -> list[str]:
    """The services the user ticked or unticked, applied to the ones stored now: a service
    added or removed elsewhere meanwhile stays as it is (order: stored ones first)."""
    wanted = list(dict.fromkeys(chosen))
    added = [s for s in wanted if s not in base.services]
    removed = {s for s in base.services if s not in wanted}
    kept = [s for s in current.services if s not in removed]
    return kept + [s for s in added if s not in kept]


def check_fresh_cabinet(
    base: CabinetInfo | None, current: CabinetInfo, wanted: CabinetInfo
) -> None:
    if base is None or current in (base, wanted):
        return
    changed = [
        label
        for label, attr in (("nom du cabinet", "name"), ("SIREN du cabinet", "siren"))
        if getattr(current, attr) != getattr(base, attr)
    ]
    raise StaleDialog("Le cabinet", changed)
