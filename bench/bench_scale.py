"""Scale: `espace-tui list --format json` on 1,000, 10,000 and 100,000 dossiers.

Run: .venv/bin/python bench/bench_scale.py [--sizes 1000 10000 100000] [--runs 3] [--check]
Targets: with 100,000 dossiers, ≤ 5 s and a peak memory (RSS) ≤ 600 MB; 1,000 and 10,000
no slower than before. Each run is a fresh process, as a user or a script would start it;
the time is the median wall clock. Memory is the sum of the peak RSS of every process of the
command (a big list is read by two): the command's own from the kernel (wait4), each of its
children's from its high-water mark (VmHWM), read every few milliseconds while it runs. Pages
the two share are counted twice: an upper bound. The machine's load is printed too: on a
shared machine the times move with it, the memory does not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_store import NOW_ENV, cabinet

from espace_tui.domain.clock import FrozenClock

TARGET_S = 5.0
TARGET_MB = 600


POLL_S = 0.005


def _peak_kb(pid: int) -> int:
    """A running process's peak RSS so far (kB), as the kernel keeps it; 0 once it ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _record_peaks(pid: int, peaks: dict[int, int]) -> None:
    """The command's and its children's peaks so far."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    for each in (pid, *map(int, children)):
        peaks[each] = max(peaks.get(each, 0), _peak_kb(each))


def run_once(data_dir: Path, argv: list[str]) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB (summed over the command's processes), bytes written on
    stdout, CPU seconds (user + system of every process: what the command costs, whatever
    else the machine runs)."""
    env = {**os.environ, "ESPACE_TUI_DATA_DIR": str(data_dir), "ESPACE_TUI_NOW": NOW_ENV}
    peaks: dict[int, int] = {}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "espace_tui", *argv], env=env, stdout=out)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            _record_peaks(child.pid, peaks)
            time.sleep(POLL_S)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{argv} exited {child.returncode}")
        size = out.tell()
    # wait4 gives the largest of the command and its children: the command's own when it
    # exceeds every child's, else its last sampled high-water mark.
    own = peaks.pop(child.pid, 0)
    children_kb = sum(peaks.values())
    if usage.ru_maxrss > max(peaks.values(), default=0):
        own = usage.ru_maxrss
    peak_kb = own + children_kb
    return elapsed, peak_kb / 1024, size, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--build", nargs=2, metavar=("FOLDER", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        cabinet(Path(args.build[0]), FrozenClock(), int(args.build[1])).close()
        return 0
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    print(
        f"{'dossiers':>9}  {'file':>8}  {'list --format json':>19}  {'CPU':>8}  "
        f"{'peak RSS':>9}  output  (RSS: all processes)"
    )
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            data_dir = Path(tmp) / f"c{size}"
            # Built in a child process: a forked child's peak RSS counts its parent's pages
            # until it execs, and a parent holding 100,000 dossiers would inflate it.
            subprocess.run(
                [sys.executable, __file__, "--build", str(data_dir), str(size)], check=True
            )
            argv = ["list", "--format", "json"]
            run_once(data_dir, argv)  # warm the page cache, as a second run would be
            results = [run_once(data_dir, argv) for _ in range(args.runs)]
            seconds = statistics.median(r[0] for r in results)
            cpu = statistics.median(r[3] for r in results)
            peak = max(r[1] for r in results)
            file_mb = (data_dir / "espace-tui.json").stat().st_size / 2**20
            print(
                f"{size:>9,}  {file_mb:>6.1f} MB  {seconds:>17.2f} s  {cpu:>6.2f} s  "
                f"{peak:>6.0f} MB  "
                f"{results[0][2] / 2**20:.0f} MB"
            )
            if size >= 100_000 and (seconds > TARGET_S or peak > TARGET_MB):
                missed = True
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"target at 100,000: ≤ {TARGET_S:.0f} s and ≤ {TARGET_MB} MB")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
