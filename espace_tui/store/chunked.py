"""A big data file read a slice of dossiers at a time, for commands that only read.

`orjson.loads` on the whole file builds a full document tree before the Python objects: with
100,000 dossiers (130 MB) that is ~900 MB at the peak. The file the program writes has a
known layout, `{"_meta":{"1":{…}},"dossiers":{"<id>":{"siren":…},…},<other tables>}`, so the
dossiers can be parsed ~1 MB at a time, each slice decoded then dropped.

A slice ends just before `},"<digits>":{"siren":"`. Inside a JSON string every quote is
escaped, so that text only occurs between two records of a table keyed by SIREN; anything
that does not parse exactly as expected raises NotChunkable, and the caller parses the whole
file the ordinary way. Never a guess: a hand-edited or unusual file is read as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

HEAD = re.compile(rb'\{"_meta":\{"1":\{[^{}]*\}\},"dossiers":\{')
BOUNDARY = re.compile(rb'\},"\d+":\{"siren":"')
SLICE_BYTES = 1 << 20
MIN_BYTES = 4 << 20  # below this, one parse costs little memory anyway

Tables = dict[str, dict[str, Any]]


class NotChunkable(Exception):
    """The file is not laid out as expected: parse it whole."""


class ChunkedFile:
    def __init__(self, raw: bytes) -> None:
        head = HEAD.match(raw)
        if head is None or len(raw) < MIN_BYTES:
            raise NotChunkable
        self._raw = raw
        self._start = head.end()
        meta = loads_object(b"{" + raw[1 : head.end() - len(b',"dossiers":{')] + b"}")
        self.meta: dict[str, Any] = meta["_meta"]
        self._rest: Tables | None = None

    def dossier_slices(self) -> Iterator[dict[str, Any]]:
        """Dicts of dossier records, in file order; the other tables are read with the last."""
        raw, pos = self._raw, self._start
        while (found := BOUNDARY.search(raw, pos + SLICE_BYTES)) is not None:
            yield loads_object(b"{" + raw[pos : found.start() + 1] + b"}")
            pos = found.start() + 2  # past `},`: at the next record's key
        # The tail closes the dossiers then holds the other tables: one object once prefixed.
        tail = loads_object(b'{"dossiers":{' + raw[pos:])
        last = tail.pop("dossiers")
        if not isinstance(last, dict):
            raise NotChunkable
        self._rest = tail
        yield last

    def tables(self) -> Tables:
        """The file's tables with an empty dossiers table (call after every slice was read)."""
        if self._rest is None:
            raise NotChunkable
        return {"_meta": self.meta, "dossiers": {}, **self._rest}


def loads_object(text: bytes) -> Any:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise NotChunkable from None
    if not isinstance(value, dict):
        raise NotChunkable
    return value
