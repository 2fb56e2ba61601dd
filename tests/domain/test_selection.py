"""`--filtre`: status, who must act (« Qui »), mode, expert space."""

from __future__ import annotations

import pytest

from espace_tui.domain.deadlines import Status
from espace_tui.domain.dossier import Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import Owner
from espace_tui.domain.selection import Selection, next_owner, parse_selection
from espace_tui.workspace import Workspace
from tests.workspace.test_workspace import draft


def test_parse_keys_values_and_bare_statuses() -> None:
    assert parse_selection(["urgent,expiré"]) == Selection(statuses=(Status.URGENT, Status.EXPIRED))
    assert parse_selection(["qui=Client,DGFiP", "mode=expert"]) == Selection(
        owners=(Owner.CLIENT, Owner.DGFIP), modes=(Mode.EXPERT,)
    )
    assert parse_selection(["statut=bientot,qui=banque", "espace=principal"]) == Selection(
        statuses=(Status.SOON,), owners=(Owner.BANQUE,), spaces=("principal",)
    )
    assert parse_selection(["mode=simplifié"]).modes == (Mode.SIMPLIFIED,)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("qui=notaire", "qui « notaire » inconnu"),
        ("couleur=rouge", "« couleur » inconnu"),
        ("mode=rapide", "mode « rapide » inconnu"),
        ("presque", "statut « presque » inconnu"),
        ("espace=", "espace= sans identifiant"),
    ],
)
def test_refusals_name_the_option(typed: str, said: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_selection([typed])
    assert caught.value.field == "--filtre" and said in caught.value.message


def test_who_must_act_matches_the_dossier_list(workspace: Workspace) -> None:
    workspace.add_dossier(draft())
    dossier = workspace.get("552081317")
    state = workspace.state(dossier)
    assert next_owner(state) is Owner.CLIENT  # the client fills the form first
    assert parse_selection(["qui=client"]).matches(dossier, state)
    assert not parse_selection(["qui=cabinet"]).matches(dossier, state)
    assert not parse_selection(["qui=client", "mode=expert"]).matches(dossier, state)
    assert parse_selection(["qui=cabinet,client", "mode=simplifie"]).matches(dossier, state)
