"""Length-prefixed messages between the two processes of a split command, over a pipe.

A frame is 8 bytes of length then the payload; an empty frame ends a series. A pipe closed
before a whole frame arrived (the other process died) raises PeerGone.
"""

from __future__ import annotations

import os
import pickle
import queue
import threading
from typing import Any, BinaryIO

_LENGTH = 8


class PeerGone(Exception):
    """The other process closed its end of the pipe before a whole frame."""


def write_frame(out: BinaryIO, payload: bytes) -> None:
    out.write(len(payload).to_bytes(_LENGTH, "little"))
    out.write(payload)


def read_frame(source: BinaryIO) -> bytes:
    head = source.read(_LENGTH)
    if len(head) != _LENGTH:
        raise PeerGone
    size = int.from_bytes(head, "little")
    payload = source.read(size)
    if len(payload) != size:
        raise PeerGone
    return payload


def send_object(out: BinaryIO, value: Any) -> None:
    write_frame(out, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    out.flush()


def receive_object(source: BinaryIO) -> Any:
    # Only ever between a process and its own fork: the bytes come from this program.
    return pickle.loads(read_frame(source))


class FrameSender:
    """Frames written by a thread: the producer runs on while the reader is busy elsewhere,
    up to `ahead` frames queued (the pipe alone holds about 64 KB)."""

    def __init__(self, fd: int, ahead: int) -> None:
        self._out = os.fdopen(fd, "wb", buffering=1 << 20)
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=ahead)
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (payload := self._queue.get()) is not None:
                write_frame(self._out, payload)
                if self._queue.empty():
                    self._out.flush()  # the reader may be waiting for this very frame
            self._out.flush()
        except BaseException as err:  # the reader went away: the producer stops at its next put
            self._failed = err
            while self._queue.get() is not None:
                pass

    def put(self, payload: bytes) -> None:
        if self._failed is not None:
            raise PeerGone from self._failed
        self._queue.put(payload)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._failed is not None:
            raise PeerGone from self._failed
        self._out.close()
