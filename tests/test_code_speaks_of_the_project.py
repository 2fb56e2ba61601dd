"""Code speaks of the project, not of its history: no « issue 5 », no « until X lands »."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HISTORY = re.compile(r"\bissues? ?#?\d+|\b(until|once) [\w .-]{1,30} lands\b", re.IGNORECASE)
SOURCES = ("espace_tui", "tests", "scripts", "bench")
SUFFIXES = {".py", ".tcss", ".md", ".toml"}


def test_no_issue_numbers_or_landing_notes_in_the_code() -> None:
    found = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in SUFFIXES or "__snapshots__" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HISTORY.search(line) and path != Path(__file__).resolve():
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "say what the code does, not which issue asked for it:\n" + "\n".join(found)
