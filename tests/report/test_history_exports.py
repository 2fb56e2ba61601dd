"""The history and « Dernière relance » in `show` and in every report; an expired dossier's
next step is its remedy, as the dashboard says."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.validation import DossierDraft
from espace_tui.report.export import export_bytes
from espace_tui.workspace import Workspace

SIREN = "552081317"


@pytest.fixture
def chased(workspace: Workspace, clock: FrozenClock) -> Workspace:
    workspace.add_dossier(DossierDraft(siren=SIREN, name="Danone", mode="simplifie"))
    workspace.tick(SIREN, "formulaire")
    clock.advance(timedelta(hours=1))
    workspace.record_client_chased(SIREN, "lien de validation")
    return workspace


def export(workspace: Workspace, fmt: str) -> str:
    return export_bytes(workspace, fmt).decode("utf-8-sig")


def test_json_holds_the_history_and_the_last_chase(chased: Workspace) -> None:
    dossier = json.loads(export(chased, "json"))["dossiers"][0]
    assert dossier["last_chased_at"] == "2026-12-01T10:00:00+01:00"
    assert [h["action"] for h in dossier["history"]] == ["created", "step_done", "client_chased"]


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_reports_show_the_last_chase(chased: Workspace, fmt: str) -> None:
    text = export(chased, fmt)
    assert "Dernière relance" in text and "01/12/2026 10:00" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_md_and_html_show_the_history_newest_first(chased: Workspace, fmt: str) -> None:
    text = export(chased, fmt)
    chase, created = text.index("Client relancé le"), text.index("Dossier créé")
    assert chase < created


def test_expired_next_step_is_the_restart(workspace: Workspace, clock: FrozenClock) -> None:
    workspace.add_dossier(DossierDraft(siren=SIREN, name="Danone", mode="simplifie"))
    workspace.tick(SIREN, "formulaire")
    clock.advance(timedelta(days=4))  # the 72 h e-mail link expired
    text = export(workspace, "html")
    assert "Recommencer la création (Cabinet)" in text
    assert "Cliquer sur le lien de validation reçu par e-mail (Client)" not in text


def test_show_prints_the_history(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["add", SIREN, "--nom", "Danone", "--mode", "simplifie"])
    main(["tick", SIREN, "formulaire"])
    capsys.readouterr()
    assert main(["show", SIREN]) == 0
    out = capsys.readouterr().out
    assert "Dernière relance : jamais" in out and "Historique (2)" in out
    assert out.index("faite") < out.index("Dossier créé")
