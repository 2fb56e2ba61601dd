"""User text that looks harmless but is not: emoji glued with joiners (one glyph, counted as
several), Unicode line separators (U+2028), bidirectional overrides. Columns stay aligned,
line breaks come out as plain « \\n », reordering characters are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from espace_tui.cli import main as cli
from espace_tui.domain.display import column_text
from espace_tui.store.paths import DATA_FILE
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace

FAMILY = "Boulangerie 👨\u200d👩\u200d👧 Martin"
NAMES = {
    "732829320": FAMILY,
    "552081317": "Fleuriste ❤\ufe0f Rose",
    "356000000": "Coiffure 👍🏽 Style",
    "443061841": "Pâtisserie Dupont",
}
SEPARATORS = ("\u2028", "\u2029", "\x85", "\r\n")


@pytest.fixture
def added(cli_env: Path) -> Path:
    for siren, name in NAMES.items():
        assert cli(["add", siren, "--nom", name, "--mode", "simplifie", "--hors-ligne"]) == 0
    return cli_env


def test_cli_list_columns_stay_aligned(added: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert cli(["list"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line[:3].isdigit()]
    assert len(lines) == len(NAMES)
    # Glued emoji would be drawn as one 2-cell glyph but counted as several: unglued.
    assert all("\u200d" not in line and "\ufe0f" not in line for line in lines)
    # « simplifié » starts at the same screen column on every row.
    starts = {cell_len(line[: line.index("simplifié")]) for line in lines}
    assert len(starts) == 1, lines


async def test_dashboard_rows_stay_aligned(added: Path, workspace: Workspace) -> None:
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        table = screen.dossier_list.table
        texts = [
            "".join(segment.text for segment in table._line(table.row(siren)))
            for siren in NAMES
            if table.row(siren) is not None
        ]
        assert len(texts) == len(NAMES)
        assert all("\u200d" not in t and "\ufe0f" not in t for t in texts)
        starts = {cell_len(t[: t.index("simplifié")]) for t in texts}
        assert len(starts) == 1, texts


def test_column_text_counts_what_the_terminal_draws() -> None:
    assert column_text(FAMILY) == "Boulangerie 👨👩👧 Martin"
    assert column_text("a\u2028b\nc") == "a b c"


@pytest.mark.parametrize("separator", SEPARATORS)
def test_line_separators_become_plain_line_breaks(
    separator: str, cli_env: Path, capsys: pytest.CaptureFixture[str], figures: Any
) -> None:
    notes = f"Rappeler{separator}le lundi"
    args = ["add", "732829320", "--nom", "A", "--mode", "simplifie", "--hors-ligne"]
    assert cli([*args, "--notes", notes]) == 0
    stored = json.loads((cli_env / DATA_FILE).read_text(encoding="utf-8"))
    assert stored["dossiers"]["732829320"]["notes"] == "Rappeler\nle lundi"
    # A file written by an older version (or by hand) still holds one: never shown as is.
    doc = stored
    doc["dossiers"]["732829320"]["notes"] = notes
    doc["dossiers"]["732829320"]["name"] = f"Nom{separator}coupé"
    (cli_env / DATA_FILE).write_text(json.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    outputs = []
    for command in (["show", "732829320"], ["list"], *(["export", "--format", f] for f in (
        "md", "csv", "html", "json"))):  # fmt: skip
        assert cli(command) == 0
        outputs.append(capsys.readouterr().out)
    for out in outputs:
        assert not any(ch in out for ch in "\u2028\u2029\x85"), out
    figures(f"U+{ord(separator[0]):04X}: stored as \\n; show, list and 4 exports free of it")


@pytest.mark.parametrize("field", ["--nom", "--notes"])
def test_bidi_overrides_are_refused(
    field: str, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Facture \u202eFDP.exe"
    args = ["add", "732829320", "--mode", "simplifie", "--hors-ligne"]
    args += [field, text] if field == "--nom" else ["--nom", "A", field, text]
    assert cli(args) == 2
    assert "sens d'écriture" in capsys.readouterr().err
