"""A JSON array written piece by piece: 100,000 dossiers never held as one text in memory.

The bytes are exactly those of `orjson.dumps(items, option=OPT_INDENT_2)`: each piece is a
list of items dumped with that option, its brackets cut off, the pieces joined by commas.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import orjson

_CHUNK = 256  # items per piece written: small enough to stay light, big enough to be fast


def json_array_chunks(items: Iterable[Any], chunk: int = _CHUNK) -> Iterator[bytes]:
    source = iter(items)
    first = True
    while batch := list(islice(source, chunk)):
        # `[\n  {…},\n  {…}\n]`: the items already indented one level, as in the whole list.
        text = orjson.dumps(batch, option=orjson.OPT_INDENT_2)
        yield (b"[" if first else b",") + text[1:-2]
        first = False
    yield b"[]" if first else b"\n]"
