"""Client lists as accounting software and INSEE export them: SIRET, French headers, no mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.workspace.csv_import import parse_csv_text
from tests.registry_server import FakeRegistry, company
from tests.tui.conftest import wait_for_workers_until

DANONE = "552081317"


def siret_of(siren: str, nic: str) -> str:
    from stdnum import luhn

    body = siren + nic[:4]
    return body + luhn.calc_check_digit(body)


def listed(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["list", "--format", "json"]) == 0
    return list(json.loads(capsys.readouterr().out))


def test_accounting_export_headers_and_siret(tmp_path: Path) -> None:
    text = (
        "N° SIRET;Raison sociale;Courriel;Code NAF\n"
        f"{siret_of(DANONE, '0001')};Danone;compta@danone.example;10.51A\n"
    )
    parsed = parse_csv_text(text, default_mode="simplifie")
    assert parsed.errors == []
    ((_, draft),) = parsed.rows
    assert (draft.siren, draft.name, draft.mode) == (DANONE, "Danone", "simplifie")
    assert draft.email_entreprise == "compta@danone.example"
    assert parsed.ignored_columns == ["Code NAF"]


@pytest.mark.parametrize(
    "header",
    ["N° SIREN;Dénomination;E-mail", "Siren;Nom de l'entreprise;Adresse mail", "siren;nom;email"],
)
def test_french_header_variants(header: str) -> None:
    parsed = parse_csv_text(f"{header}\n{DANONE};Danone;a@b.example\n", default_mode="expert")
    ((_, draft),) = parsed.rows
    assert (draft.siren, draft.name, draft.email_entreprise) == (DANONE, "Danone", "a@b.example")


def test_bad_siret_is_a_line_error() -> None:
    parsed = parse_csv_text("Siret;Nom\n55208131766523;Danone\n", default_mode="expert")
    assert parsed.rows == []
    ((line, reason),) = parsed.errors
    assert line == 2 and "SIRET" in reason and "clé de contrôle" in reason


def test_no_mode_column_needs_the_option(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(f"Siret;Raison sociale\n{siret_of(DANONE, '0001')};Danone\n")
    assert main(["import", str(path)]) == 2
    assert "--mode simplifie|expert" in capsys.readouterr().err
    assert main(["import", str(path), "--mode", "expert"]) == 0
    assert [d["mode"] for d in listed(capsys)] == ["expert"]


def test_two_establishments_are_one_dossier_said_once(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "etablissements.csv"
    path.write_text(
        "Siret;Raison sociale;Courriel\n"
        f"{siret_of(DANONE, '0001')};Danone;\n"
        f"{siret_of(DANONE, '0002')};Danone usine;compta@danone.example\n"
        f"{siret_of(DANONE, '0003')};Danone entrepôt;\n"
    )
    assert main(["import", str(path), "--mode", "simplifie"]) == 0
    err = capsys.readouterr().err
    assert err.count("sur 3 lignes (2, 3, 4)") == 1
    (dossier,) = listed(capsys)
    assert dossier["name"] == "Danone"
    assert dossier["email_entreprise"] == "compta@danone.example"


def test_completer_fills_names_from_the_registry(
    cli_env: Path,
    tmp_path: Path,
    registry_server: FakeRegistry,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.sirens import valid_sirens

    other, unknown = valid_sirens(2, 71_000_000)
    registry_server.answers[DANONE] = company(DANONE, "DANONE")
    registry_server.answers[other] = company(other, "AUTRE SA")
    path = tmp_path / "sirens.csv"
    path.write_text(f"siren\n{DANONE}\n{other}\n{unknown}\n")
    assert main(["import", str(path), "--mode", "simplifie", "--completer"]) == 2
    err = capsys.readouterr().err
    assert "Ligne 4 : nom absent et SIREN inconnu de l'annuaire" in err
    assert "Rien n'a été importé" in err
    assert listed(capsys) == []
    code = main(["import", str(path), "--mode", "simplifie", "--completer", "--skip-invalid"])
    assert code == 0
    assert sorted(str(d["name"]) for d in listed(capsys)) == ["AUTRE SA", "DANONE"]
    # Each SIREN asked once: the second run used the cache.
    assert registry_server.hits(DANONE) == 1


async def test_dashboard_import_preview_lets_the_user_pick_the_mode(
    workspace: object, tmp_path: Path
) -> None:
    from textual.widgets import DataTable, Input, Select

    from espace_tui.tui.app import create_app
    from espace_tui.tui.screens.first_run import FirstRunScreen
    from espace_tui.workspace import Workspace

    assert isinstance(workspace, Workspace)
    path = tmp_path / "export-compta.csv"
    path.write_text(f"N° SIRET;Raison sociale\n{siret_of(DANONE, '0001')};Danone\n")
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        await pilot.click("#fr-go-import")
        screen.query_one("#fr-import-path", Input).value = str(path)
        screen.preview()
        await pilot.pause()
        table = screen.query_one("#fr-import-table", DataTable)
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1:4] == [DANONE, "Danone", "simplifie"]
        screen.query_one("#fr-import-mode", Select).value = "expert"
        await pilot.pause()
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[3] == "expert"
        screen.import_rows()
        await pilot.pause()
    assert [d.mode.value for d in workspace.dossiers()] == ["expert"]


async def test_dashboard_import_fills_missing_names_from_the_registry(
    workspace: object, tmp_path: Path, registry_server: FakeRegistry
) -> None:
    from textual.widgets import Checkbox, DataTable, Input

    from espace_tui.tui.app import create_app
    from espace_tui.tui.screens.first_run import FirstRunScreen
    from espace_tui.workspace import Workspace

    assert isinstance(workspace, Workspace)
    registry_server.answers[DANONE] = company(DANONE, "DANONE")
    path = tmp_path / "insee.csv"
    path.write_text(f"Siret\n{siret_of(DANONE, '0001')}\n")
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        await pilot.click("#fr-go-import")
        screen.query_one("#fr-import-path", Input).value = str(path)
        screen.query_one("#fr-import-complete", Checkbox).value = True
        table = screen.query_one("#fr-import-table", DataTable)
        await wait_for_workers_until(pilot, lambda: table.row_count > 0, "the preview")
        row = [str(cell) for cell in table.get_row_at(0)]
        assert row[1:4] == [DANONE, "DANONE", "simplifie"]
        screen.import_rows()
        await pilot.pause()
    assert [d.name for d in workspace.dossiers()] == ["DANONE"]
    assert registry_server.hits(DANONE) == 1
