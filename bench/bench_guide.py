"""Guide screen opening time: from the `G` key on the demo dashboard to the guide painted.

Run: .venv/bin/python bench/bench_guide.py [--repeat 5] [--max-ms 500]
Exits 1 when the median opening takes longer than --max-ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from textual import events

from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.store.repository import Store
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.guide import GuideScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.demo import fill_demo

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


async def open_once(data_dir: Path) -> float:
    clock = FrozenClock(NOW)
    store = Store(data_dir)
    workspace = Workspace(store, clock)
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        painted = asyncio.Event()
        start = time.perf_counter()
        # The key as the terminal sends it; not pilot.press, whose own waits would count.
        app.post_message(events.Key("G", "G"))
        while not isinstance(app.screen, GuideScreen) or not app.screen.is_mounted:
            await asyncio.sleep(0.001)
        # Until the screen has been laid out and drawn once.
        while not app.screen.query_one("#guide").size.height:
            await asyncio.sleep(0.001)
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        elapsed = (time.perf_counter() - start) * 1000
        await pilot.press("escape")
        await pilot.pause()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-ms", type=float, default=500.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        fill_demo(Store(data_dir), NOW)
        times = [asyncio.run(open_once(data_dir)) for _ in range(args.repeat)]
    median = statistics.median(times)
    print(f"ouverture du guide : médiane {median:.0f} ms, {', '.join(f'{t:.0f}' for t in times)}")
    if median > args.max_ms:
        print(f"TROP LENT : {median:.0f} ms > {args.max_ms:.0f} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
