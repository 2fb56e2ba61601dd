"""Regenerate docs/procedure.md (facts, sources, verdicts) and docs/guide.md from the data.

    .venv/bin/python scripts/generate_docs.py

tests/domain/test_docs.py fails when either file no longer matches the data.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace_tui.domain.guide import render_markdown  # noqa: E402
from espace_tui.domain.procedure_facts import render_facts  # noqa: E402

DOCS = {
    ROOT / "docs" / "procedure.md": render_facts,
    ROOT / "docs" / "guide.md": render_markdown,
}


def main() -> None:
    for path, render in DOCS.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        print(f"écrit : {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
