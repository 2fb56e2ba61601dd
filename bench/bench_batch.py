"""Batch actions: 200 marked dossiers ticked in one transaction, then undone in one step.

Two measures per cabinet size (dossiers in the file, 200 of them marked):
- workspace: `tick_many` on the 200 (read, check, record history and journal, one write),
  then `undo` of the batch;
- dashboard: in the real app (Pilot, 120x36), from pressing ctrl+s in the batch dialog to
  the dialog closed and the list reloaded and repainted, then from pressing `u` to the list
  repainted with the batch taken back; the data file's disk writes are counted.

Run: .venv/bin/python bench/bench_batch.py [--sizes 200 1000 5000] [--check]
Targets: ≤ 1 s for the batch and ≤ 1 s for its undo, one disk write each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace_tui.domain.clock import FrozenClock  # noqa: E402
from espace_tui.domain.dossier import Dossier, Mode  # noqa: E402
from espace_tui.store import atomic  # noqa: E402
from espace_tui.store.repository import Store  # noqa: E402
from espace_tui.workspace import Workspace  # noqa: E402
from espace_tui.workspace.demo import demo_siren  # noqa: E402

MARKED = 200
STEP = "formulaire"
TARGET_S = 1.0


def cabinet(data_dir: Path, clock: FrozenClock, count: int) -> tuple[Workspace, list[str]]:
    """`count` simplified dossiers, nothing ticked; the first MARKED are the ones to tick."""
    store = Store(data_dir, clock=clock)
    now = clock.now()
    dossiers = [
        Dossier(
            siren=demo_siren(i), name=f"Client {i:05d}", mode=Mode.SIMPLIFIED, created_at=now
        ).with_history(now, "created", "Dossier créé (mode simplifié).")
        for i in range(count)
    ]
    store.insert_dossiers(dossiers)
    return Workspace(store, clock), [d.siren for d in dossiers[:MARKED]]


class WriteCounter:
    """Counts the data file's writes to disk (the atomic replace of the whole file)."""

    def __init__(self) -> None:
        self.count = 0
        self._real = atomic.AtomicJSONStorage._flush

    def __enter__(self) -> WriteCounter:
        real = self._real
        counter = self

        def counted(storage: atomic.AtomicJSONStorage) -> None:
            counter.count += 1
            real(storage)

        atomic.AtomicJSONStorage._flush = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        atomic.AtomicJSONStorage._flush = self._real  # type: ignore[method-assign]


def bench_workspace(root: Path, size: int, runs: int) -> dict[str, float]:
    batch, undo, writes = [], [], []
    for run in range(runs):
        clock = FrozenClock()
        workspace, marked = cabinet(root / f"ws-{size}-{run}", clock, size)
        with WriteCounter() as counter:
            start = time.perf_counter()
            result = workspace.tick_many(marked, STEP)
            batch.append(time.perf_counter() - start)
            assert len(result.done) == MARKED
            writes.append(counter.count)
            start = time.perf_counter()
            workspace.undo()
            undo.append(time.perf_counter() - start)
            writes.append(counter.count - writes[-1])
        assert all(STEP not in workspace.get(s).events for s in marked)
    return {
        "batch": statistics.median(batch),
        "undo": statistics.median(undo),
        "writes": max(writes),
    }


async def _dashboard(root: Path, size: int) -> dict[str, float]:
    from textual.widgets import Select

    from espace_tui.tui.app import create_app
    from espace_tui.tui.screens.batch import BatchScreen
    from espace_tui.tui.screens.main import MainScreen

    clock = FrozenClock()
    workspace, marked = cabinet(root / f"tui-{size}", clock, size)
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = next(s for s in app.screen_stack if isinstance(s, MainScreen))
        main.dossier_list.marked.update(marked)
        await pilot.press("M")
        while not isinstance(app.screen, BatchScreen):
            await pilot.pause(0.01)
        dialog = app.screen
        dialog.query_one("#batch-step", Select).value = STEP
        await pilot.pause()
        with WriteCounter() as counter:
            start = time.perf_counter()
            await pilot.press("ctrl+s")
            while not isinstance(app.screen, MainScreen):
                await pilot.pause(0)
            await pilot.pause(0)  # the reloaded list painted
            batch = time.perf_counter() - start
            batch_writes = counter.count
            assert all(STEP in workspace.get(s).events for s in marked)
            start = time.perf_counter()
            await pilot.press("u")
            await pilot.pause(0)
            undo = time.perf_counter() - start
            undo_writes = counter.count - batch_writes
        assert all(STEP not in workspace.get(s).events for s in marked)
    return {"batch": batch, "undo": undo, "writes": max(batch_writes, undo_writes)}


def bench_dashboard(root: Path, size: int) -> dict[str, float]:
    return asyncio.run(_dashboard(root, size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"{MARKED} dossiers marked, step « {STEP} » ticked in one batch, then undone")
        print(f"{'dossiers':>9} {'where':>10} {'batch':>9} {'undo':>9} {'writes':>7}")
        for size in args.sizes:
            for where, figures in (
                ("workspace", bench_workspace(root, size, args.runs)),
                ("dashboard", bench_dashboard(root, size)),
            ):
                print(
                    f"{size:>9} {where:>10} {figures['batch'] * 1000:>7.0f} ms "
                    f"{figures['undo'] * 1000:>6.0f} ms {figures['writes']:>7.0f}"
                )
                if figures["batch"] > TARGET_S or figures["undo"] > TARGET_S:
                    missed = True
                if figures["writes"] != 1:
                    missed = True
    print(f"targets: batch ≤ {TARGET_S:.0f} s, undo ≤ {TARGET_S:.0f} s, one disk write each")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
