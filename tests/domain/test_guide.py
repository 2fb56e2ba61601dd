"""The procedure guide lists exactly the steps and deadlines of the procedure data."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from espace_tui.cli import main
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.guide import BEST_PRACTICES, build_guide, render_markdown
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE
from espace_tui.domain.procedures import (
    OWNER_LABELS,
    PROCEDURES,
    SOURCE_SEED,
    Countdown,
    Owner,
    Procedure,
    StepTemplate,
)
from espace_tui.domain.sources import S1
from espace_tui.domain.teleservices import TELESERVICES


def _window(duration: timedelta) -> str:
    """How the DGFiP writes a window: hours below four days, days above."""
    if duration < timedelta(days=4):
        return f"{int(duration.total_seconds() // 3600)} h"
    return f"{duration.days} j"


def test_routes_are_the_procedures_in_order_with_every_step() -> None:
    guide = build_guide()
    assert [r.procedure_id for r in guide.routes] == list(PROCEDURES)
    for route, proc in zip(guide.routes, PROCEDURES.values(), strict=True):
        assert route.label == proc.label
        assert [s.step_id for s in route.steps] == [s.id for s in proc.steps]
        assert [s.label for s in route.steps] == [s.label for s in proc.steps]
        for shown, step in zip(route.steps, proc.steps, strict=True):
            assert shown.owners.startswith(OWNER_LABELS[step.owner])
            if step.also_owner:
                assert OWNER_LABELS[step.also_owner] in shown.owners
            assert shown.source == step.source
            assert shown.unverified is step.unverified
            if step.countdown is None:
                assert shown.deadline is None
            else:
                assert shown.deadline is not None
                assert shown.expiry == step.countdown.expiry
                if step.countdown.duration > timedelta(0):
                    assert shown.deadline.startswith(_window(step.countdown.duration))
                else:
                    assert shown.deadline.startswith("avant ")


def _section(markdown: str, title: str) -> str:
    start = markdown.index(f"### {title}\n")
    end = markdown.find("\n##", start + 4)
    return markdown[start : end if end != -1 else None]


def test_markdown_lists_each_step_once_in_order_with_its_deadline() -> None:
    markdown = render_markdown()
    for proc in PROCEDURES.values():
        section = _section(markdown, proc.label)
        numbered = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", section, flags=re.MULTILINE)
        assert numbered == [(str(i), s.label) for i, s in enumerate(proc.steps, start=1)]
        deadlines = re.findall(r"^   - Délai : (.+)$", section, flags=re.MULTILINE)
        assert len(deadlines) == sum(1 for s in proc.steps if s.countdown is not None)
        for text, step in zip(
            deadlines, [s for s in proc.steps if s.countdown is not None], strict=True
        ):
            assert step.countdown is not None
            remedy = step.countdown.remedy
            # Only the first letter is lowered: « B2B » keeps its capitals.
            assert f"Passé ce délai : {remedy[0].lower()}{remedy[1:]}." in text
            if step.countdown.duration > timedelta(0):
                assert text.startswith(_window(step.countdown.duration) + " après ")
        unverified = section.count("*(non vérifié)*")
        # Each unverified step, and the whole procedure when it is unverified.
        assert unverified == sum(1 for s in proc.steps if s.unverified) + proc.unverified


def test_a_new_step_in_the_data_appears_in_the_guide(monkeypatch: pytest.MonkeyPatch) -> None:
    extra = Procedure(
        id="essai",
        label="Procédure d'essai",
        summary="Ajoutée par le test.",
        restart_label="Recommencer",
        steps=(
            StepTemplate(id="depart", label="Départ", owner=Owner.BANQUE),
            StepTemplate(
                id="arrivee",
                label="Arrivée dans les cinq jours",
                owner=Owner.CLIENT,
                countdown=Countdown(
                    anchors=("depart",),
                    duration=timedelta(days=5),
                    expiry="Trop tard.",
                    remedy="Recommencer",
                ),
                unverified=True,
            ),
        ),
    )
    monkeypatch.setitem(PROCEDURES, extra.id, extra)
    section = _section(render_markdown(), extra.label)
    assert "1. **Départ** (Banque)" in section
    assert "2. **Arrivée dans les cinq jours** (Client)" in section
    assert "Délai : 5 j après l'étape « Départ ». Passé ce délai : recommencer." in section
    assert "*(non vérifié)*" in section


def _tables(markdown: str) -> list[list[list[str]]]:
    """Each table as rows of cell texts, parsed by a real Markdown parser."""
    tokens = MarkdownIt().enable("table").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and tables and token.map is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_comparison_table_has_the_key_deadlines_of_each_mode() -> None:
    decision, comparison = _tables(render_markdown())
    assert comparison[0][1:] == ["Mode simplifié", "Mode expert"]
    labels = [row[0] for row in comparison[1:]]
    assert labels == [
        "**Temps de création**",
        "**Délais clés**",
        "**Services**",
        "**Idéal pour**",
        "**Ce qui bloque**",
    ]
    deadlines = comparison[2]
    simplified_windows = ["72 h", "60 j", "avant le premier paiement"]
    expert_windows = ["48 h", "60 j", "avant le premier paiement"]
    for window in simplified_windows:
        assert window in deadlines[1]
    for window in expert_windows:
        assert window in deadlines[2]
    assert "72 h" not in deadlines[2] and "48 h" not in deadlines[1]
    for service in TELESERVICES:
        if service.complementary:
            assert service.label in comparison[3][1]
    # The decision table has one row per rule of the advisor.
    assert len(decision) - 1 == len(build_guide().decisions)


def test_blockages_come_from_the_diagnosis_catalogue() -> None:
    markdown = render_markdown()
    section = markdown[markdown.index("## Blocages et solutions") : markdown.index("## Bonnes")]
    titles = re.findall(r"^- \*\*(.+?)\*\*", section, flags=re.MULTILINE)
    assert titles == [kind.title for kind in CATALOGUE]
    for kind in CATALOGUE:
        for remedy in kind.remedies:
            assert remedy.label in section
        if kind.official_message:
            assert f"« {kind.message} »" in section


def test_best_practices_and_sources() -> None:
    markdown = render_markdown()
    practices = markdown[markdown.index("## Bonnes pratiques") : markdown.index("## Sources")]
    for practice in BEST_PRACTICES:
        assert f"**{practice.title}**" in practices
    assert "Une adresse e-mail par espace" in practices
    assert "avant le premier paiement" in practices
    assert TELEPROCEDURES_HELPLINE.number in practices
    assert "du lundi au vendredi, de 8 h à 19 h 30" in practices
    for service in TELESERVICES:
        if service.complementary:
            assert service.label in practices
    sources = markdown[markdown.index("## Sources") :]
    assert S1 in sources and SOURCE_SEED in sources
    # Every citation points at a listed source.
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", markdown)}
    assert cited == set(range(1, len(re.findall(r"^\d+\. ", sources, re.MULTILINE)) + 1))


def test_cli_guide_markdown_and_text(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["guide", "--format", "md"]) == 0
    assert capsys.readouterr().out == render_markdown()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["guide"]) == 0
    out = capsys.readouterr().out
    assert "Guide des procédures" in out
    assert "**" not in out  # rendered, not raw Markdown
    for proc in PROCEDURES.values():
        assert proc.label in out
    # Wrapped, not cut, at the terminal's width.
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80
    assert "ancien cabinet…) ?" in out
