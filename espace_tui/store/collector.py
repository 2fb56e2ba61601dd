"""The cycle collector paused around a big, acyclic piece of work.

Decoding every dossier of the file, building a state and a row or a summary per dossier:
millions of small objects that never form cycles (reference counting frees them). With the
collector on, each burst of allocations triggers a scan, and the older generations (every
dossier read) are scanned again and again. The collector is switched back on as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
