"""The project's own docs: generated from the data, and nothing points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.guide import render_markdown
from espace_tui.domain.procedure_facts import render_facts
from espace_tui.domain.procedures import PROCEDURES
from espace_tui.domain.sources import SOURCES, SOURCES_BY_CITATION, UNSOURCED

ROOT = Path(__file__).resolve().parents[2]


def test_docs_are_the_rendering_of_the_data() -> None:
    """Regenerate with `python scripts/generate_docs.py` after changing procedure data."""
    assert (ROOT / "docs" / "procedure.md").read_text(encoding="utf-8") == render_facts()
    assert (ROOT / "docs" / "guide.md").read_text(encoding="utf-8") == render_markdown()


def test_every_cited_source_is_in_the_sources_table() -> None:
    cited = {s.source for p in PROCEDURES.values() for s in p.steps}
    cited |= {k.source for k in CATALOGUE} | {r.source for k in CATALOGUE for r in k.remedies}
    assert cited <= set(SOURCES_BY_CITATION)
    # A source with a web address shows it in its citation.
    for source in SOURCES:
        if source.url:
            assert source.url in source.citation


def test_facts_resting_on_practice_alone_are_always_unverified() -> None:
    for proc in PROCEDURES.values():
        for step in proc.steps:
            assert step.source != UNSOURCED or step.unverified, step.id
    for kind in CATALOGUE:
        assert kind.source != UNSOURCED or kind.unverified, kind.id
        for remedy in kind.remedies:
            assert remedy.source != UNSOURCED or remedy.unverified, remedy.id


def test_nothing_in_the_project_points_outside_the_repository() -> None:
    pattern = re.compile(r"\.\./shared|shared/reference")
    files = [ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("espace_tui/**/*.py")]
    files += [*ROOT.glob("espace_tui/**/*.md"), *ROOT.glob("scripts/*.py")]
    offenders = [str(f.relative_to(ROOT)) for f in files if pattern.search(f.read_text("utf-8"))]
    assert offenders == []
