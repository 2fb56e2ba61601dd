"""The streamed JSON array is byte for byte the whole list dumped at once."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from espace_tui.report.json_stream import json_array_chunks

CASES: list[list[Any]] = [
    [],
    [1],
    [{}],
    [[]],
    [{"a": [1, 2, {"b": "x\ny"}]}, {"c": None, "é": "\u2028"}],
    [{"n": i, "nested": {"k": [i]}} for i in range(513)],
]


@pytest.mark.parametrize("items", CASES, ids=lambda items: f"{len(items)} items")
@pytest.mark.parametrize("chunk", [1, 2, 256])
def test_the_pieces_make_the_whole_list(items: list[Any], chunk: int) -> None:
    whole = orjson.dumps(items, option=orjson.OPT_INDENT_2)
    assert b"".join(json_array_chunks(items, chunk)) == whole


def test_items_are_consumed_a_piece_at_a_time() -> None:
    made = 0

    def items() -> Any:
        nonlocal made
        for i in range(1000):
            made += 1
            yield {"i": i}

    pieces = json_array_chunks(items(), chunk=10)
    next(pieces)
    assert made <= 11  # never the whole list in memory
