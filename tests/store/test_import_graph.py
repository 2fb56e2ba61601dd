"""The store's modules import each other in one direction only (errors.py once imported
backups.py, which imported atomic.py, which imported errors.py)."""

from __future__ import annotations

from tests.tui.test_import_graph import find_cycle, import_graph


def test_the_store_has_no_import_circle() -> None:
    graph = import_graph("espace_tui.store")
    assert "espace_tui.store.errors" in graph  # the graph really holds the store
    assert find_cycle(graph) is None, find_cycle(graph)
