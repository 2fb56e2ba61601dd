"""A JSON array written piece by piece: 100,000 dossiers never held as one text in memory.

The bytes are exactly those of `orjson.dumps(items, option=OPT_INDENT_2)`: each item is
dumped alone and indented one level (JSON strings hold no raw newline, so every newline
in an item's text starts one of its lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

_CHUNK = 256  # items per piece written: small enough to stay light, big enough to be fast


def json_array_chunks(items: Iterable[Any], chunk: int = _CHUNK) -> Iterator[bytes]:
    pieces: list[bytes] = []
    first = True
    for item in items:
        text = orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  ")
        pieces.append((b"[\n  " if first else b",\n  ") + text)
        first = False
        if len(pieces) >= chunk:
            yield b"".join(pieces)
            pieces.clear()
    if first:
        yield b"[]"
        return
    pieces.append(b"\n]")
    yield b"".join(pieces)
