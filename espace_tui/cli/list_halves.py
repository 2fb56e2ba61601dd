"""`list --format json` on a big file with two processes, each reading half the dossiers.

The parent reads the file's head and tail (the settings, hence the thresholds), picks a
record boundary near the middle, then forks. Each process decodes its half of the records
(every field checked, as always), computes their states and sort keys; the child sends its
keys, the parent merges them into the one order a sort of the whole list gives (urgency,
name, then file order) and tells the child which runs of that order are its. Both then build
the summaries of their own runs at once; the child sends its JSON through a pipe and the
parent writes everything to stdout, in order: the bytes of the one-process path.

Anything unexpected before the first byte is written (a file laid out otherwise, another
schema version, a damaged or duplicated record, the child dying, no fork here) returns
False: the caller takes the one-process path, which reads the file the ordinary way and
says in French what is wrong with it. Memory: each process holds half the dossiers; the
child may run ahead of the parent by at most _AHEAD pieces of JSON.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, groupby, islice
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from espace_tui.cli.context import Context
from espace_tui.cli.frames import FrameSender, PeerGone, read_frame, receive_object, send_object
from espace_tui.domain.deadlines import Thresholds, TrackState, track_state
from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import UserError
from espace_tui.domain.selection import Selection, next_owner, owner_rank
from espace_tui.report.summary import dossier_summary
from espace_tui.store.chunked import NotChunkable
from espace_tui.store.errors import StoreError
from espace_tui.store.files import open_own
from espace_tui.store.ranges import FileRanges
from espace_tui.store.repository import SCHEMA_VERSION
from espace_tui.store.validation import DOSSIERS, SETTINGS, check_others, decode_dossiers
from espace_tui.workspace.core import thresholds_from_settings

PARENT_SHARE = 0.47  # the parent also writes every byte out: it reads a little less
_CHUNK = 256  # summaries per JSON piece, as in report/json_stream.py
_AHEAD = 48  # pieces the child may queue for the parent (each ≤ ~1.4 MB)
_FALLBACK = "fallback"
_PIPE_BYTES = 1 << 20
# The child's writer thread waits for the interpreter lock after each piece it wrote while
# the parent, its pipe drained, waits for the next: the lock is handed over more often.
_SWITCH_S = 0.0002


@dataclass
class Half:
    """One process's dossiers kept by the filter, with their states and sort keys; a key
    ends with (half, index): the file order where everything else ties."""

    rows: list[tuple[Dossier, TrackState]]
    keys: list[tuple[Any, ...]]
    ids: list[int]


def read_half(
    path: Path,
    records: Iterator[dict[str, Any]],
    part: int,
    selection: Selection,
    order: str,
    now: datetime,
    thresholds: Thresholds,
) -> Half:
    decoded: dict[int, Dossier] = {}
    for piece in records:
        decoded.update(decode_dossiers(path, {DOSSIERS: piece}, consume=True))
    rows: list[tuple[Dossier, TrackState]] = []
    keys: list[tuple[Any, ...]] = []
    by_owner = order == "qui"
    for dossier in decoded.values():
        state = track_state(dossier, now, thresholds)
        if not selection.matches(dossier, state):
            continue
        # workspace.by_urgency's key, then --tri qui's stable regrouping in front of it.
        key: tuple[Any, ...] = (*state.sort_key(), dossier.name.lower(), part, len(rows))
        if by_owner:
            key = (owner_rank(next_owner(state)), *key)
        rows.append((dossier, state))
        keys.append(key)
    return Half(rows, keys, list(decoded))


@dataclass(frozen=True)
class Split:
    """What both processes read their half with: the file, where it is cut, the filter."""

    path: Path
    ranges: FileRanges
    middle: int
    selection: Selection
    order: str
    now: datetime
    thresholds: Thresholds

    def read(self, records: Iterator[dict[str, Any]], part: int) -> Half:
        return read_half(
            self.path, records, part, self.selection, self.order, self.now, self.thresholds
        )


def runs(keys: list[tuple[Any, ...]]) -> list[tuple[int, list[int]]]:
    """The merged order as runs of consecutive rows of one half: (half, its row indices)."""
    keys.sort()
    return [(part, [key[-1] for key in run]) for part, run in groupby(keys, lambda k: k[-2])]


def json_pieces(rows: list[tuple[Dossier, TrackState]], indices: list[int]) -> Iterator[bytes]:
    """`\\n  {…},\\n  {…}`: the items of an indented JSON array, without its brackets."""
    source = iter(indices)
    while batch := list(islice(source, _CHUNK)):
        text = orjson.dumps([dossier_summary(*rows[i]) for i in batch], option=orjson.OPT_INDENT_2)
        yield text[1:-2]


def write_json(ctx: Context, selection: Selection, order: str, out: BinaryIO) -> bool:
    """True when the list was written by two processes; False: nothing was written."""
    if not hasattr(os, "fork"):
        return False
    store = ctx.store
    try:
        fd = open_own(store.path, os.O_RDONLY)
    except (OSError, StoreError):
        return False  # missing, a link, a folder…: the ordinary path says so
    try:
        return _split(ctx, fd, selection, order, out)
    finally:
        os.close(fd)


def _split(ctx: Context, fd: int, selection: Selection, order: str, out: BinaryIO) -> bool:
    path = ctx.store.path
    try:
        ranges = FileRanges(fd)
        tables = ranges.tables()
        version = ranges.meta.get("1", {}).get("schema_version")
        if version != SCHEMA_VERSION or type(version) is not int:
            return False  # to migrate, or newer: the ordinary path does it or says so
        check_others(path, tables)
        settings = tables.get(SETTINGS, {}).get("1", {})
        thresholds = thresholds_from_settings(settings)
        middle = ranges.split(PARENT_SHARE)
    except (NotChunkable, StoreError, AttributeError, TypeError, ValueError):
        return False
    split = Split(path, ranges, middle, selection, order, ctx.clock.now(), thresholds)
    sys.stdout.flush()
    sys.stderr.flush()
    up_read, up_write = os.pipe()  # child → parent: its keys, then its JSON
    with contextlib.suppress(OSError, AttributeError):  # Linux: 1 MB, not 64 KB, in flight
        fcntl.fcntl(up_write, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    down_read, down_write = os.pipe()  # parent → child: its runs
    try:
        pid = os.fork()
    except OSError:
        for end in (up_read, up_write, down_read, down_write):
            os.close(end)
        return False
    if pid == 0:  # pragma: no cover - the child's lines run in the fork (coverage sees none)
        os.close(up_read)
        os.close(down_write)
        _child(split, up_write, down_read)
    os.close(up_write)
    os.close(down_read)
    with (
        os.fdopen(up_read, "rb", buffering=1 << 20) as from_child,
        os.fdopen(down_write, "wb") as to_child,
    ):
        try:
            return _parent(split, from_child, to_child, out)
        finally:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)  # done or not needed: never left running
            os.waitpid(pid, 0)


def _parent(split: Split, from_child: BinaryIO, to_child: BinaryIO, out: BinaryIO) -> bool:
    try:
        mine = split.read(split.ranges.slices(split.ranges.start, split.middle), 0)
    except (NotChunkable, StoreError):
        return False
    try:
        theirs = receive_object(from_child)
    except PeerGone:
        return False
    if theirs == _FALLBACK or not set(mine.ids).isdisjoint(theirs[1]):
        return False  # a record in both halves: the ordinary path keeps the later one
    merged = runs(mine.keys + theirs[0])
    del theirs
    send_object(to_child, [indices for part, indices in merged if part == 1])
    first = True
    for part, indices in merged:
        pieces = json_pieces(mine.rows, indices) if part == 0 else _from_child(from_child)
        for piece in pieces:
            out.write(b"[" if first else b",")
            out.write(piece)
            first = False
    out.write(b"[]\n" if first else b"\n]\n")
    out.flush()
    return True


def _from_child(from_child: BinaryIO) -> Iterator[bytes]:
    try:
        while piece := read_frame(from_child):
            yield piece
    except PeerGone:
        raise UserError(
            "La liste n'a pas pu être écrite en entier : le second processus de lecture "
            "s'est arrêté. Relancez la commande ; les données ne sont pas touchées."
        ) from None


def _child(split: Split, up: int, down: int) -> None:  # pragma: no cover - runs in the fork
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    sys.setswitchinterval(_SWITCH_S)
    try:
        to_parent = os.fdopen(up, "wb")
        try:
            ranges = split.ranges
            records = chain(ranges.slices(split.middle, ranges.last_at), [ranges.last])
            mine = split.read(records, 1)
        except (NotChunkable, StoreError):
            send_object(to_parent, _FALLBACK)
            os._exit(0)
        send_object(to_parent, (mine.keys, mine.ids))
        mine.keys, mine.ids = [], []  # the parent has them now
        with os.fdopen(down, "rb") as from_parent:
            my_runs: list[list[int]] = receive_object(from_parent)
        sender = FrameSender(os.dup(up), _AHEAD)
        to_parent.close()
        for indices in my_runs:
            for piece in json_pieces(mine.rows, indices):
                sender.put(piece)
            sender.put(b"")  # end of this run
        sender.close()
    except BaseException:  # the parent sees the pipe close and says so
        os._exit(1)
    os._exit(0)
