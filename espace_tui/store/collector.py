"""The cycle collector paused around a big, acyclic piece of work.

Decoding every dossier of the file, building a state and a row or a summary per dossier:
millions of small objects that never form cycles (reference counting frees them). With the
collector on, each burst of allocations triggers a scan, and the older generations (every
dossier read) are scanned again and again. The collector is switched back on as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class SetAside:
    """What a long-lived reader keeps (every dossier read) set aside from the collector's
    scans, each of which would traverse it all (~0.1 s at 10,000 dossiers).

    `gc.freeze()` sets aside every object alive at that instant, not only the data: a dialog
    or a message on screen then is never collected once closed (widgets hold reference
    cycles), and an all-day session would grow with each. A sweep now and then gives them
    back to the collector: one full pass every ten minutes.
    """

    def __init__(self, every: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._every = every
        self._clock = clock
        self._swept_at = clock()

    def set_aside(self) -> None:
        gc.freeze()

    def sweep_if_due(self) -> bool:
        if self._clock() - self._swept_at < self._every:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self._swept_at = self._clock()
        return True

    def release(self) -> None:
        gc.unfreeze()
