"""The dashboard's modules import each other in one direction only: no circle, even through
imports made lazily inside functions or only for the type checker."""

from __future__ import annotations

import ast
from pathlib import Path

import espace_tui

PACKAGE_ROOT = Path(espace_tui.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every espace_tui module `path` imports, wherever the import statement sits."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found.update(name for name in names if name in known)
    return found


def import_graph(package: str) -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE_ROOT.rglob("*.py")}
    known = set(files)
    return {
        name: {target for target in imports_of(path, known) if target.startswith(package)}
        for name, path in files.items()
        if name.startswith(package)
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph.get(node, ())):
            if target != node and (cycle := visit(target, [*path, node])):
                return cycle
        done.add(node)
        return None

    for start in sorted(graph):
        if cycle := visit(start, []):
            return cycle
    return None


def test_the_dashboard_has_no_import_circle() -> None:
    graph = import_graph("espace_tui.tui")
    assert "espace_tui.tui.screens.main" in graph["espace_tui.tui.app"]
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_dialogs_never_import_the_main_screen_or_the_app() -> None:
    graph = import_graph("espace_tui.tui")
    for name, targets in graph.items():
        if name.startswith("espace_tui.tui.screens.") and name != "espace_tui.tui.screens.main":
            assert not targets & {"espace_tui.tui.screens.main", "espace_tui.tui.app"}, name


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
