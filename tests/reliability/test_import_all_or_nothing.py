"""Importing a client list: nothing written on any error, counts that match the disk, no row
dropped silently (long cells, extra columns), and the csv module left as it was found."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input

from espace_tui.cli import main as cli
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.tui.app import create_app
from espace_tui.workspace import Workspace
from espace_tui.workspace.csv_import import parse_csv_text

LONG = "x" * 140_000  # over the csv module's 131,072 characters per field
GOOD = ("732829320;Alpha;simplifie", "443061841;Gamma;simplifie", "542107651;Delta;expert")


def client_list(tmp_path: Path, *bad: str) -> Path:
    """Good rows around the bad ones: lines 2, then the bad ones, then the rest."""
    rows = ["siren;nom;mode", GOOD[0], *bad, *GOOD[1:]]
    path = tmp_path / "clients.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


BAD_ROWS = {
    "long cell": f"552081317;{LONG};simplifie",
    "long cell quoted": f'552081317;"{LONG}";simplifie',
    "extra column": "552081317;Beta;simplifie;de trop",
    "bad SIREN": "552081318;Beta;simplifie",
}


@pytest.mark.parametrize("case", ["long cell", "long cell quoted", "extra column", "bad SIREN"])
def test_one_bad_row_writes_nothing_and_says_which_line(
    case: str,
    tmp_path: Path,
    cli_env: Path,
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    figures: Any,
) -> None:
    path = client_list(tmp_path, BAD_ROWS[case])
    workspace.add_dossier(DossierDraft("356000000", "La Poste", "expert"))  # already followed
    before = (cli_env / DATA_FILE).read_bytes()
    capsys.readouterr()
    assert cli(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Ligne 3 :" in err and "Rien n'a été importé" in err
    assert "Traceback" not in err and "field larger" not in err
    assert (cli_env / DATA_FILE).read_bytes() == before
    # --skip-invalid: every good row, the count said is the count on disk.
    assert cli(["import", "--skip-invalid", str(path)]) == 0
    out = capsys.readouterr().out
    on_disk = Store(cli_env).dossier_count() - 1
    assert on_disk == len(GOOD) and f"{on_disk} dossier(s) importé(s), 1 ligne(s) ignorée(s)" in out
    figures(f"{case}: exit 2, data file unchanged; --skip-invalid kept {on_disk}/{len(GOOD)}")


def test_every_row_after_a_long_cell_is_read() -> None:
    text = "siren;nom;mode\n" + f"552081317;{LONG};simplifie\n" + "\n".join(GOOD) + "\n"
    parsed = parse_csv_text(text)
    assert [line for line, _ in parsed.errors] == [2]
    assert "131" in parsed.errors[0][1] and "caractères" in parsed.errors[0][1]
    assert [d.name for _, d in parsed.rows] == ["Alpha", "Gamma", "Delta"]


def test_sniffing_failure_leaves_the_standard_dialect_alone() -> None:
    assert csv.excel.delimiter == ","
    parsed = parse_csv_text("siren;nom;mode\n732829320;Alpha;simplifie\n")  # sniffer gives up
    assert [d.name for _, d in parsed.rows] == ["Alpha"]
    assert csv.excel.delimiter == ","


async def test_dashboard_import_preview_shows_the_long_cell_line(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = client_list(tmp_path, BAD_ROWS["long cell"])
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.click("#fr-go-import")
        field = app.screen.query_one("#fr-import-path", Input)
        field.focus()
        field.value = str(path)
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#fr-import-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert [row[0] for row in rows] == ["2", "3", "4", "5"]
        line3 = next(row for row in rows if row[0] == "3")
        assert "caractères" in line3[-1]
        assert workspace.dossiers() == []


def test_a_siren_twice_in_the_rows_is_called_a_duplicate_of_the_file(workspace: Workspace) -> None:
    rows = [
        (2, DossierDraft("732829320", "Alpha", "simplifie")),
        (3, DossierDraft("732 829 320", "Alpha bis", "simplifie")),
    ]
    report = workspace.import_drafts(rows)
    assert report.errors == [
        (
            3,
            "SIREN : 732 829 320 en double dans le fichier (déjà ligne 2) : "
            "gardez une seule ligne.",
        )
    ]
    assert workspace.dossiers() == []
