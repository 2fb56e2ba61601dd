"""An expert dossier attached to no expert space: flagged by add, import and the automatic
checks, fixed by attaching it (workspace, CLI, and the diagnosis remedy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.cli.exit_codes import EXIT_INVALID, EXIT_OK
from espace_tui.domain.checks import run_checks
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from espace_tui.workspace.remedies import Remedies

SIREN = "552081317"


def add_expert(ws: Workspace, siren: str = SIREN) -> None:
    change = ws.add_dossier(DossierDraft(siren=siren, name="Danone", mode="expert"))
    assert change.dossier is not None and change.dossier.space_id is None
    assert any("aucun espace expert" in w for w in change.warnings)


def kinds(ws: Workspace) -> list[str]:
    return [f.kind for f in run_checks(ws.dossiers(), ws.spaces(), ws.now())]


def test_add_warns_and_the_checks_find_it_until_attached(workspace: Workspace) -> None:
    add_expert(workspace)
    assert kinds(workspace) == ["sans_espace_expert"]
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    change = workspace.attach_space(SIREN, "principal")
    assert change.dossier is not None and change.dossier.space_id == "principal"
    assert change.dossier.history[-1].detail == "Rattaché à l'espace expert « principal »."
    assert Store(workspace.store.data_dir).get_dossier(SIREN).space_id == "principal"  # type: ignore[union-attr]
    assert kinds(workspace) == []


def test_a_simplified_dossier_is_not_flagged_nor_attachable(workspace: Workspace) -> None:
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    change = workspace.add_dossier(DossierDraft(siren=SIREN, name="Danone", mode="simplifie"))
    assert not change.warnings and kinds(workspace) == []
    with pytest.raises(InvalidInput, match="mode simplifié"):
        workspace.attach_space(SIREN, "principal")


def test_import_preview_says_which_rows_have_no_space(workspace: Workspace) -> None:
    workspace.add_space("a", "A", "a@cabinet.fr")
    workspace.add_space("b", "B", "b@cabinet.fr")  # two spaces: none is picked by itself
    rows = [(2, DossierDraft(siren=SIREN, name="Danone", mode="expert"))]
    report = workspace.import_drafts(rows, dry_run=True)
    assert len(report.imported) == 1
    assert any("552 081 317" in w and "espace attach" in w for w in report.warnings)
    assert workspace.dossiers() == []  # the preview wrote nothing


def test_the_remedy_attaches_without_restarting(workspace: Workspace) -> None:
    add_expert(workspace)
    workspace.tick(SIREN, "adhesion")
    workspace.add_space("principal", "Principal", "experts@cabinet.fr")
    change = Remedies(workspace).apply(
        SIREN, "sans_espace_expert", "rattacher_espace", space_id="principal"
    )
    after = change.dossier
    assert after is not None and after.space_id == "principal"
    assert "adhesion" in after.events  # the step done stays done
    assert not after.open_blockages


def test_cli_espace_attach(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", SIREN, "--nom", "Danone", "--mode", "expert"]) == EXIT_OK
    assert "aucun espace expert" in capsys.readouterr().err
    assert main(["espace", "attach", SIREN, "principal"]) == EXIT_INVALID
    assert "« principal » inconnu" in capsys.readouterr().err
    main(["espace", "add", "principal", "--email-connexion", "experts@cabinet.fr"])
    capsys.readouterr()
    assert main(["espace", "attach", SIREN, "principal"]) == EXIT_OK
    assert "Rattaché à l'espace expert « principal »" in capsys.readouterr().out
