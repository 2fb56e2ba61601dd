"""Store speed: one saved change, a 2,000-row import, `espace-tui list` on 10,000 dossiers.

Run: .venv/bin/python bench/bench_store.py [--changes 60] [--check]
Targets: a change ≤ 50 ms median with 1,000 dossiers; an import of 2,000 rows in
one write, in seconds; `list` with 10,000 dossiers under 2 s. With --check, exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from espace_tui.domain.clock import FrozenClock
from espace_tui.store import atomic
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from espace_tui.workspace.csv_import import read_csv_file
from espace_tui.workspace.demo import demo_dossiers, demo_siren, fill_demo

NOW_ENV = "2026-12-01T09:00:00+01:00"


def cabinet(data_dir: Path, clock: FrozenClock, count: int) -> Store:
    """The demo cabinet grown to `count` dossiers cycling through its situations."""
    store = Store(data_dir, clock=clock)
    templates = demo_dossiers(clock.now())
    fill_demo(store, clock.now())
    extra = [
        replace(templates[i % len(templates)], siren=demo_siren(i), name=f"Client {i:05d}")
        for i in range(len(templates), count)
    ]
    store.insert_dossiers(extra)
    return store


def bench_change(root: Path, changes: int) -> tuple[float, float, int]:
    clock = FrozenClock()
    store = cabinet(root / "change", clock, 1000)
    workspace = Workspace(store, clock)
    siren = demo_siren(500)
    step = workspace.state(workspace.get(siren)).steps[0].template.id
    times = []
    for _ in range(changes):
        start = time.perf_counter()
        workspace.toggle(siren, step)  # tick / untick: read, record history, save
        times.append(time.perf_counter() - start)
    size = store.path.stat().st_size
    return statistics.median(times), sorted(times)[int(len(times) * 0.95)], size


def bench_import(root: Path, rows: int) -> tuple[float, int]:
    clock = FrozenClock()
    csv_file = root / "clients.csv"
    lines = ["siren;nom;mode;email_entreprise"]
    lines += [
        f"{demo_siren(50_000 + i)};Client {i};simplifie;contact{i}@client.fr" for i in range(rows)
    ]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    workspace = Workspace(Store(root / "import", clock=clock), clock)
    writes: list[Path] = []
    real = atomic.atomic_write_bytes

    def counted(path: Path, payload: bytes) -> None:
        writes.append(path)
        real(path, payload)

    atomic.atomic_write_bytes = counted  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        parsed = read_csv_file(csv_file)
        report = workspace.import_drafts(parsed.rows)
        elapsed = time.perf_counter() - start
    finally:
        atomic.atomic_write_bytes = real  # type: ignore[assignment]
    assert len(report.imported) == rows, report.errors[:3]
    return elapsed, len(writes)


def bench_list(root: Path, count: int, runs: int) -> dict[str, float]:
    data_dir = root / "list"
    cabinet(data_dir, FrozenClock(), count)
    env = {**os.environ, "ESPACE_TUI_DATA_DIR": str(data_dir), "ESPACE_TUI_NOW": NOW_ENV}
    env["COLUMNS"] = "160"
    results = {}
    for label, extra in (("table", []), ("json", ["--format", "json"])):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "espace_tui", "list", *extra],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            times.append(time.perf_counter() - start)
        results[label] = statistics.median(times)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--import-rows", type=int, default=2000)
    parser.add_argument("--list-dossiers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        median, p95, size = bench_change(root, args.changes)
        import_s, writes = bench_import(root, args.import_rows)
        listing = bench_list(root, args.list_dossiers, args.runs)
    rows = [
        (
            "saved change, 1,000 dossiers (median)",
            f"{median * 1000:.1f} ms",
            "≤ 50 ms",
            median <= 0.050,
        ),
        ("saved change, 1,000 dossiers (p95)", f"{p95 * 1000:.1f} ms", "", True),
        ("data file, 1,000 dossiers", f"{size / 1024:.0f} KiB", "", True),
        (
            f"import {args.import_rows} rows",
            f"{import_s:.2f} s, {writes} write(s)",
            "1 write, seconds",
            writes == 1 and import_s < 10,
        ),
        (
            f"espace-tui list, {args.list_dossiers} dossiers",
            f"{listing['table']:.2f} s",
            "< 2 s",
            listing["table"] < 2,
        ),
        (
            f"espace-tui list --format json, {args.list_dossiers}",
            f"{listing['json']:.2f} s",
            "",
            True,
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'result':>22}  {'target':>16}  ok")
    for label, value, target, ok in rows:
        print(f"{label:<{width}}  {value:>22}  {target:>16}  {'yes' if ok else 'NO'}")
    return 1 if args.check and not all(r[3] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
