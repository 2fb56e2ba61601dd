"""The demo cabinet with one activation code stored, and the secrets no export may contain."""

from __future__ import annotations

from dataclasses import replace

from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

ACTIVATION_CODE = "K7QZ4M2X9PLW"
CODE_HOLDER = "Hôtel du Lac"
DEMO_COUNT = 22


def fill(store: Store, workspace: Workspace) -> None:
    fill_demo(store, workspace.now())
    holder = next(d for d in store.dossiers() if d.name == CODE_HOLDER)
    store.put_dossier(replace(holder, activation_code=ACTIVATION_CODE))


def secrets(workspace: Workspace) -> list[str]:
    """Every full IBAN (compact and in groups of four) and activation code of the cabinet."""
    found: list[str] = []
    for dossier in workspace.dossiers():
        if dossier.activation_code:
            found.append(dossier.activation_code)
        if dossier.bank is not None:
            iban = dossier.bank.iban
            found += [iban, " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))]
    assert ACTIVATION_CODE in found and len(found) > 3
    return found
