"""A big data file's dossiers read by byte range, so that two processes can read a half each.

Same layout and same cutting rule as store/chunked.py (a slice ends just before
`},"<digits>":{"siren":"`), but read from an open file with `os.pread`: nothing holds the
whole file, and a range is parsed without reading the rest. The file's head (`_meta`) and
its tail (the last record, then the other tables) are read first, in a few kilobytes.
Anything that does not parse exactly as expected raises NotChunkable: the caller then reads
the file the ordinary way, which says what is wrong with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from espace_tui.store import chunked
from espace_tui.store.chunked import BOUNDARY, HEAD, NotChunkable, Tables, loads_object

_HEAD_BYTES = 4096  # `{"_meta":{"1":{"schema_version":2,"saved_at":"…"}},"dossiers":{`
_TAIL_BYTES = 1 << 20  # the last record and the other tables, most often well under this
_PAD = 64 << 10  # read past a slice's nominal end to find the next boundary in one read


class FileRanges:
    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.size = os.fstat(fd).st_size
        if self.size < chunked.MIN_BYTES:
            raise NotChunkable
        head = HEAD.match(self._read(0, min(self.size, _HEAD_BYTES)))
        if head is None:
            raise NotChunkable
        self.start = head.end()
        meta = loads_object(b"{" + head.group()[1 : -len(b',"dossiers":{')] + b"}")
        self.meta: dict[str, Any] = meta["_meta"]
        self.last_at, self.last, self._rest = self._tail()

    def _read(self, begin: int, end: int) -> bytes:
        data = os.pread(self._fd, end - begin, begin)
        if len(data) != end - begin:
            raise NotChunkable  # the file shrank under us
        return data

    def _tail(self) -> tuple[int, dict[str, Any], Tables]:
        """Where the last record starts, that record, and the tables after the dossiers."""
        window = _TAIL_BYTES
        while True:
            begin = max(self.start, self.size - window)
            tail = self._read(begin, self.size)
            found = None
            for found in BOUNDARY.finditer(tail):  # noqa: B007 - the last one is wanted
                pass
            if found is not None:
                break
            if begin == self.start:
                raise NotChunkable  # a single record: nothing to share out
            window *= 8
        at = found.start() + 2  # past `},`: at the last record's key
        rest = loads_object(b'{"dossiers":{' + tail[at:])
        last = rest.pop("dossiers")
        if type(last) is not dict or len(last) != 1:
            raise NotChunkable
        return begin + at, last, rest

    def tables(self) -> Tables:
        """The file's tables with an empty dossiers table."""
        return {"_meta": self.meta, "dossiers": {}, **self._rest}

    def split(self, share: float) -> int:
        """A record's start about `share` of the way through the dossiers (before the last)."""
        target = self.start + int((self.last_at - self.start) * share)
        while target < self.last_at:
            end = min(self.last_at, target + _PAD)
            found = BOUNDARY.search(self._read(target, end))
            if found is not None:
                return target + found.start() + 2
            target = max(target + 1, end - 64)  # a boundary may straddle two reads
        return self.last_at

    def slices(self, begin: int, end: int) -> Iterator[dict[str, Any]]:
        """Dicts of the records from `begin` to `end` (two record starts), in file order,
        about SLICE_BYTES of file each."""
        pos = begin
        while pos < end:
            block = self._read(pos, min(end, pos + chunked.SLICE_BYTES + _PAD))
            found = BOUNDARY.search(block, min(chunked.SLICE_BYTES, len(block)))
            while found is None and pos + len(block) < end:
                more = self._read(pos + len(block), min(end, pos + 2 * len(block)))
                searched = max(0, len(block) - 64)
                block += more
                found = BOUNDARY.search(block, searched)
            if found is None:  # the range's last records: it ends with `},` before `end`
                if not block.endswith(b"},"):
                    raise NotChunkable
                yield loads_object(b"{" + block[:-1] + b"}")
                return
            yield loads_object(b"{" + block[: found.start() + 1] + b"}")
            pos += found.start() + 2
