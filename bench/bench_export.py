"""Export sizes and timings for the demo cabinet and for a 1,000-dossier cabinet.

Run: .venv/bin/python bench/bench_export.py [--dossiers 1000] [--max-seconds 5]
Exits 1 when an export of the large cabinet takes longer than --max-seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from espace_tui.domain.agenda import build_agenda
from espace_tui.domain.clock import FrozenClock
from espace_tui.report.export import FORMATS, export_bytes
from espace_tui.report.model import tracked_rows
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import DEMO_CABINET, demo_dossiers, demo_siren, fill_demo


def large_cabinet(store: Store, now_clock: FrozenClock, count: int) -> None:
    """`count` dossiers cycling through the demo's situations, each with its own SIREN."""
    now = now_clock.now()
    templates = demo_dossiers(now)
    dossiers = [
        replace(templates[i % len(templates)], siren=demo_siren(i), name=f"Client {i:04d}")
        for i in range(count)
    ]
    with store.transaction():
        store.put_cabinet(DEMO_CABINET)
        store.insert_dossiers(dossiers)


def measure(label: str, workspace: Workspace) -> float:
    worst = 0.0
    for fmt in FORMATS:
        start = time.perf_counter()
        payload = export_bytes(workspace, fmt)
        elapsed = time.perf_counter() - start
        worst = max(worst, elapsed)
        print(f"{label:>16} {fmt:>4}: {len(payload) / 1024:9.1f} Kio  {elapsed * 1000:8.1f} ms")
    start = time.perf_counter()
    agenda = build_agenda(tracked_rows(workspace), workspace.now())
    elapsed = time.perf_counter() - start
    print(f"{label:>16} agenda: {len(agenda):5d} entrées {elapsed * 1000:8.1f} ms")
    return max(worst, elapsed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--max-seconds", type=float, default=5.0)
    args = parser.parse_args()
    clock = FrozenClock()
    with tempfile.TemporaryDirectory() as tmp:
        demo_store = Store(Path(tmp) / "demo")
        fill_demo(demo_store, clock.now())
        measure("démo (22)", Workspace(demo_store, clock))
        big_store = Store(Path(tmp) / "big")
        large_cabinet(big_store, clock, args.dossiers)
        worst = measure(f"{args.dossiers} dossiers", Workspace(big_store, clock))
    if worst > args.max_seconds:
        print(f"Trop lent : {worst:.2f} s > {args.max_seconds} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
