"""`list` on a narrow terminal keeps the names readable; `--large` and pipes keep everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from espace_tui.cli import main
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

CAPTURE = pytest.CaptureFixture[str]
GARAGE_STEP = "Client : Cliquer sur le lien de validation reçu par e-mail"
PHARMACIE_STEP = (
    "Client : Imprimer, signer et envoyer le mandat B2B à la banque ; la banque l'enregistre"
)


@pytest.fixture
def demo_names(cli_env: Path, workspace: Workspace) -> list[str]:
    fill_demo(workspace.store, workspace.now())
    return [d.name for d in workspace.dossiers()]


def list_on(
    monkeypatch: pytest.MonkeyPatch, capsys: CAPTURE, columns: int | None, *extra: str
) -> list[str]:
    monkeypatch.setenv("NO_COLOR", "1")
    if columns is None:  # piped: standard output is no terminal
        monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    else:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["list", *extra]) == 0
    return capsys.readouterr().out.splitlines()


def test_at_80_columns_names_stay_whole_and_the_next_step_has_its_line(
    demo_names: list[str], monkeypatch: pytest.MonkeyPatch, capsys: CAPTURE
) -> None:
    lines = list_on(monkeypatch, capsys, 80)
    assert max(cell_len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for name in demo_names:
        assert name in text, name
    assert "…" not in "".join(line[:45] for line in lines)  # nothing cut before the status
    garage = next(i for i, line in enumerate(lines) if "Garage des Alpes" in line)
    assert "12 h" in lines[garage] and "urgent" in lines[garage]
    assert lines[garage + 1].strip() == GARAGE_STEP
    # The deadline's date is the first thing dropped; the countdown stays.
    assert "01/12/2026 21:00" not in text
    assert lines[1].split() == ["SIREN", "Nom", "Mode", "Statut", "Échéance"]


def test_a_wide_terminal_keeps_one_line_per_dossier(
    demo_names: list[str], monkeypatch: pytest.MonkeyPatch, capsys: CAPTURE
) -> None:
    lines = list_on(monkeypatch, capsys, 160)
    garage = next(line for line in lines if "Garage des Alpes" in line)
    assert "01/12/2026 21:00" in garage and "Client : Cliquer sur le lien" in garage
    assert len(lines) == 3 + len(demo_names)  # title, headers, rule, one line each


@pytest.mark.parametrize("how", ["--large", "pipe"])
def test_large_or_piped_keeps_every_column_whole(
    demo_names: list[str], monkeypatch: pytest.MonkeyPatch, capsys: CAPTURE, how: str
) -> None:
    lines = list_on(monkeypatch, capsys, *((80, "--large") if how == "--large" else (None,)))
    assert len(lines) == 3 + len(demo_names)
    pharmacie = next(line for line in lines if "Pharmacie du Centre" in line)
    assert "02/12/2026 21:00" in pharmacie and pharmacie.endswith(PHARMACIE_STEP)
    assert "…" not in "\n".join(lines)
