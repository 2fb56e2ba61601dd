"""Dashboard benchmark, run in a real pseudo-terminal (not a timed test).

For 100, 1,000 and 10,000 dossiers (with the cabinet's two expert spaces, alerts on), each next
to a bare Textual app showing a DataTable of the same number of rows in the same run (their
start-ups alternate, so both see the same machine load), it measures:
- process start -> first screen: from spawning the process to the end of the first frame
  holding the table (the terminal output goes quiet once the marker text was drawn);
- key -> saved and repainted: `space` ticks / unticks the highlighted step; time from writing
  the key to the last byte of the repaint, checked saved in the data file (median);
- CPU while idle for --idle seconds (default 30), from /proc (user + system);
- peak RSS (VmHWM from /proc).

    .venv/bin/python bench/bench_tui.py [--idle 30] [--sizes 100 1000 10000] [--ticks 15]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stdnum import luhn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from espace_tui.domain.dossier import (  # noqa: E402
    BankAccount,
    CabinetInfo,
    Dossier,
    ExpertSpace,
    HistoryEntry,
    Mode,
)
from espace_tui.domain.procedures import EXPERT_SPACE  # noqa: E402
from espace_tui.domain.teleservices import ServiceState  # noqa: E402
from espace_tui.store.paths import DATA_FILE  # noqa: E402
from espace_tui.store.repository import Store  # noqa: E402

COLS, LINES = 120, 36
QUIET = 0.08  # seconds without output: the app has settled
FRAME_GAP = 0.005  # a frame is written at once; a pause this long ends it
CLK_TCK = os.sysconf("SC_CLK_TCK")
SERVICES = ("messagerie", "compte_fiscal", "declarer_tva", "payer_tva", "declarer_is", "payer_is")


def make_siren(index: int) -> str:
    base = f"{10000000 + index * 7919:08d}"[-8:]
    return base + luhn.calc_check_digit(base)


def make_dossiers(count: int, now: datetime) -> list[Dossier]:
    """Varied dossiers: every status shows up, with services, banks and some history."""
    dossiers = []
    for i in range(count):
        simplified = i % 2 == 0
        ago = timedelta(hours=(i * 7) % 90, minutes=i % 60)
        if simplified:
            events = {"formulaire": now - ago}
            if i % 3 == 0:
                events["lien_email"] = now - ago + timedelta(hours=1)
        else:
            events = {"adhesion": now - timedelta(days=i % 70, hours=i % 24)}
        bank = None
        if i % 4 == 0:
            bank = BankAccount(iban="FR7630004000031234567890143", bic="BNPAFRPPXXX")
        history = tuple(
            HistoryEntry(at, "step_done", f"Étape « {key} » faite.") for key, at in events.items()
        )
        dossiers.append(
            Dossier(
                siren=make_siren(i),
                name=f"Entreprise {i:05d} SARL",
                mode=Mode.SIMPLIFIED if simplified else Mode.EXPERT,
                created_at=now - timedelta(days=80),
                email_entreprise=f"contact{i}@exemple.fr",
                services={s: ServiceState.REQUESTED for s in SERVICES},
                bank=bank,
                notes="Client historique." if i % 5 == 0 else "",
                space_id=None if simplified else ("principal" if i % 4 == 1 else "annexe"),
                events=events,
                history=(
                    HistoryEntry(now - timedelta(days=80), "created", "Dossier créé."),
                    *history,
                ),
            )
        )
    return dossiers


@dataclass
class PtyProcess:
    """A program running in a pseudo-terminal of COLS x LINES, its output drained."""

    argv: list[str]
    env: dict[str, str]
    started: float = 0.0
    output: bytearray = field(default_factory=bytearray)
    # (wall clock in ns, perf_counter) of every chunk read: to line frames up with file times.
    chunks: list[tuple[int, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLS, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, start_new_session=True
        )
        os.close(slave)
        self.last_byte = self.started

    def read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 20)
        except OSError:
            return False
        self.output += chunk
        self.last_byte = time.perf_counter()
        self.chunks.append((time.time_ns(), self.last_byte))
        return bool(chunk)

    def wait_for(self, marker: bytes, limit: float = 60.0) -> float:
        """Read until `marker` was drawn and the output went quiet; return the last byte's time."""
        start = len(self.output)
        deadline = time.perf_counter() + limit
        while marker not in self.output[start:]:
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                tail = self.output[-2000:].decode(errors="replace")
                raise RuntimeError(f"{marker!r} not seen; output ends with: {tail}")
            self.read(0.05)
        self.drain()
        return self.last_byte

    def drain(self, quiet: float = QUIET) -> None:
        while self.read(quiet):
            pass

    def send(self, keys: bytes) -> float:
        sent = time.perf_counter()
        os.write(self.master, keys)
        return sent

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def idle_cpu(self, seconds: float) -> float:
        """Share of one core used while nobody touches the keyboard."""
        before, wall = self.cpu_seconds(), time.perf_counter()
        end = wall + seconds
        while time.perf_counter() < end:
            self.read(min(0.5, max(0.0, end - time.perf_counter())))
        return (self.cpu_seconds() - before) / (time.perf_counter() - wall)

    def stop(self) -> None:
        self.send(b"q")
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@dataclass
class Result:
    label: str
    first_screen: float
    tick_ms: float | None
    idle_pct: float
    rss_mb: float


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ESPACE_TUI_", "TEXTUAL"))}
    env.update(TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(LINES), **(extra or {}))
    return env


def first_screen_once(argv: list[str], marker: bytes) -> float:
    proc = PtyProcess(argv, environment())
    try:
        return proc.wait_for(marker) - proc.started
    finally:
        proc.stop()


BARE_MARKER = b"Entreprise 10"


def bare_argv(count: int) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(count)]


def bench_bare(count: int, idle: float, samples: list[float]) -> Result:
    """The bare app's last start (idle CPU, RSS); `samples` holds its other start-ups."""
    proc = PtyProcess(bare_argv(count), environment())
    try:
        samples.append(proc.wait_for(BARE_MARKER) - proc.started)
        first = statistics.median(samples)
        cpu = proc.idle_cpu(idle)
        rss = proc.peak_rss_mb()
    finally:
        proc.stop()
    label = f"Textual nu, DataTable {count:,} lignes".replace(",", " ")
    return Result(label, first, None, cpu, rss)


def saved_events(data_dir: Path, siren: str) -> int:
    tables = json.loads((data_dir / DATA_FILE).read_text(encoding="utf-8"))
    doc = tables["dossiers"][str(int(siren))]
    return len(doc.get("events", {}))


def bench_pair(count: int, idle: float, ticks: int, repeat: int) -> tuple[Result, Result]:
    """The bare app and the dashboard at `count` rows, their start-ups alternating."""
    folder = Path(tempfile.mkdtemp(prefix="espace-bench-"))
    try:
        now = datetime.now(UTC)
        store = Store(folder)
        dossiers = make_dossiers(count, now)
        store.insert_dossiers(dossiers)
        store.put_cabinet(CabinetInfo(name="Cabinet du banc d'essai"))
        for index, space_id in enumerate(("principal", "annexe")):
            store.put_space(
                ExpertSpace(
                    id=space_id,
                    label=space_id.capitalize(),
                    login_email=f"{space_id}@cabinet.fr",
                    created_at=now - timedelta(days=90 + index),
                    # Done: the top row stays a dossier (the tick timing below ticks it).
                    events={step.id: now - timedelta(days=89) for step in EXPERT_SPACE.steps},
                )
            )
        argv = [sys.executable, "-m", "espace_tui", "--data-dir", str(folder)]
        # The counts line is drawn once the rows are loaded: the first screen with the data.
        marker = f"│ {count}".encode()
        bare_samples: list[float] = []
        samples: list[float] = []
        for _ in range(repeat - 1):
            bare_samples.append(first_screen_once(bare_argv(count), BARE_MARKER))
            samples.append(first_screen_once(argv, marker))
        bare = bench_bare(count, idle, bare_samples)
        proc = PtyProcess(argv, environment())
        try:
            samples.append(proc.wait_for(marker) - proc.started)
            first = statistics.median(samples)
            proc.send(b"\r")  # into the checklist of the top dossier
            proc.drain()
            top = first_row_siren(proc, {d.siren for d in dossiers})
            timings = []
            data_file = folder / DATA_FILE
            for _ in range(ticks):
                before = saved_events(folder, top)
                saved_before = data_file.stat().st_mtime_ns
                chunks_from = len(proc.chunks)
                sent = proc.send(b" ")
                timings.append(
                    repaint_after_save(proc, data_file, saved_before, chunks_from) - sent
                )
                if saved_events(folder, top) == before:
                    raise RuntimeError("the tick was not saved")
                proc.drain()  # let later frames (footer, clock) pass before the next key
            cpu = proc.idle_cpu(idle)
            rss = proc.peak_rss_mb()
        finally:
            proc.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    label = f"espace-tui, {count:,} dossiers".replace(",", " ")
    return bare, Result(label, first, statistics.median(timings) * 1000, cpu, rss)


def repaint_after_save(
    proc: PtyProcess, data_file: Path, saved_before: int, chunks_from: int
) -> float:
    """End of the first frame written after the data file was replaced (the app saves, then
    repaints): the key -> saved and repainted time ends there."""
    deadline = time.perf_counter() + 10.0
    while time.perf_counter() < deadline:
        proc.read(FRAME_GAP)
        saved = data_file.stat().st_mtime_ns
        if saved == saved_before:
            continue
        after = [i for i, (wall, _) in enumerate(proc.chunks) if i >= chunks_from and wall >= saved]
        if not after:
            continue
        proc.drain(FRAME_GAP)  # the rest of that frame
        frame_end = proc.chunks[after[0]][1]
        for _, perf in proc.chunks[after[0] + 1 :]:
            if perf - frame_end > FRAME_GAP:
                break
            frame_end = perf
        return frame_end
    raise RuntimeError("no save or no repaint within 10 s")


def first_row_siren(proc: PtyProcess, known: set[str]) -> str:
    """The first dossier SIREN drawn: the top row, selected, whose steps the detail shows."""
    text = proc.output.decode(errors="replace")
    for found in re.findall(r"(\d{3} \d{3} \d{3})", text):
        siren = found.replace(" ", "")
        if siren in known:
            return siren
    raise RuntimeError("no SIREN on screen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=30.0, help="idle seconds (default 30)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--ticks", type=int, default=15)
    parser.add_argument(
        "--repeat", type=int, default=5, help="start-ups per app, median kept (default 5)"
    )
    args = parser.parse_args()
    pairs = [bench_pair(n, args.idle, args.ticks, args.repeat) for n in args.sizes]
    print(
        f"\nTerminal {COLS}x{LINES}, idle {args.idle:g} s, {args.ticks} ticks, first screen = "
        f"median of {args.repeat} starts, load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
    )
    header = (
        f"{'':38} {'1er écran':>10} {'x nu':>6} {'touche→sauvé':>13} {'CPU repos':>10} "
        f"{'RSS max':>9}"
    )
    print(header)
    print("-" * len(header))
    for bare, dashboard in pairs:
        for r in (bare, dashboard):
            tick = f"{r.tick_ms:10.1f} ms" if r.tick_ms is not None else f"{'—':>13}"
            print(
                f"{r.label:38} {r.first_screen:9.2f}s {r.first_screen / bare.first_screen:6.2f} "
                f"{tick} {r.idle_pct * 100:9.2f}% {r.rss_mb:7.1f}MB"
            )
    print()
    for (bare, dashboard), count in zip(pairs, args.sizes, strict=True):
        ratio = dashboard.first_screen / bare.first_screen
        rows = f"{count:,}".replace(",", " ")
        print(f"Rapport 1er écran à {rows} : {ratio:.2f} × le DataTable nu de {rows} lignes")
    print(
        "\nCibles : 1er écran ≤ 1,3 × nu à 1 000, ≤ 1,0 × nu à 10 000 ; touche→sauvé ≤ 50 ms "
        "(médiane) à 1 000 ; repos ≤ 0,5 % d'un cœur, alertes actives ; RSS ≤ 120 MB à 1 000."
    )


if __name__ == "__main__":
    main()
