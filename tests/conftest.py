"""Shared fixtures: a frozen clock, a store in a temporary folder, a workspace on both."""

from __future__ import annotations

import compileall
import gc
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from espace_tui.domain.clock import PARIS, FrozenClock
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)

# Figures measured by the tests (`figures` fixture in tests/reliability): they travel in the
# reports' user_properties, so the lines reach this summary from pytest-xdist workers too.
_FIGURES: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """Settings of the test processes that make the suite faster, testing the same."""
    if not hasattr(config, "workerinput"):  # once, before the workers start
        # Every worker and every CLI run as a subprocess would compile the package again
        # when the environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE, as on the
        # CI machine): ~60 ms a command, ~0.8 s a worker. Compiled once (0.2 s), all read it.
        compileall.compile_dir(Path(__file__).parents[1] / "espace_tui", quiet=1)

    import textual._wait
    import textual.screen

    # Pilot waits, after each key and pause, until the app looks idle: it sleeps, then
    # checks that the process used under 5 % of a core meanwhile. Textual sleeps 20 ms a
    # check; 10 ms, same threshold, shortens the wait after every key the suite presses.
    # What must finish first (workers, timers) is waited for by its condition
    # (`wait_until`), never by the idle guess.
    textual._wait.SLEEP_GRANULARITY = 0.01
    textual._wait.SLEEP_IDLE = textual._wait.SLEEP_GRANULARITY / 20
    # A screen lays out and draws what changed at its next frame, up to 1/60 s later: a
    # 10 ms idle window could end before it (a scrollbar appearing, text rewrapped) and a
    # snapshot miss it. A frame every 8 ms always falls inside the window.
    textual.screen.UPDATE_PERIOD = 1 / 120  # type: ignore[misc]
    # A dashboard test allocates millions of short-lived objects, and the test process keeps
    # a few hundred thousand (caches, reports): with Python's default thresholds the
    # collector made ~70 full passes of ~160 ms over 37 dashboard tests, a third of their
    # CPU. Collected less often, the same tests take 28 % less CPU.
    gc.set_threshold(20_000, 10, 10)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[None]:
    """The test modules are imported with their asserts rewritten by pytest, which keeps the
    result in `__pycache__` only when bytecode may be written. With PYTHONDONTWRITEBYTECODE
    (the CI machine), every worker of every run rewrote them all: collection took 1.7-2.1 s
    a worker instead of 0.6 s. Kept for the test modules only, as for the package above."""
    writing = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        return (yield)
    finally:
        sys.dont_write_bytecode = writing


def pytest_unconfigure(config: pytest.Config) -> None:
    """Once every test has run and reported, pytest makes five full collector passes to
    report late `__del__` errors. By then a worker holds 2-3 million objects that the
    dashboard tests left in reference cycles: the passes took 6-7 s per worker, run after
    the last test (~9 s of the suite's wall time on 2 cores). Set aside, they go with the
    process instead. Errors raised when a test's garbage is collected during the run are
    still reported (pytest checks around every test); the suite has none."""
    gc.freeze()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core, plus one. A dashboard test spends over half its time
    waiting for the app to look idle (Pilot checks every 10 ms), and other workers use those
    waits. On the 2-core machine, run after run: 2 workers 118 s, 3 workers 91-92 s,
    4 workers 85-88 s, 5 workers 79-85 s. A worker holds ~450 MB at most: capped at 16."""
    return min(2 * len(os.sched_getaffinity(0)) + 1, 16)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        name = report.nodeid.rpartition("::")[2]
        _FIGURES.extend(f"{name}: {v}" for k, v in report.user_properties if k == "figures")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("reliability figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's folders, nor inherits the developer's
    settings: parallel runs (pytest-xdist, two checkouts) never share a path."""
    user = tmp_path / "user"
    monkeypatch.setenv("HOME", str(user / "home"))
    for name, folder in (
        ("XDG_DATA_HOME", "share"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
    ):
        monkeypatch.setenv(name, str(user / folder))
    for name in ("ESPACE_TUI_DATA_DIR", "ESPACE_TUI_NOW", "ESPACE_TUI_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Store:
    return Store(data_dir)


@pytest.fixture
def workspace(store: Store, clock: FrozenClock) -> Workspace:
    return Workspace(store, clock)


@pytest.fixture
def cli_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Environment for running the CLI in-process or as a subprocess on a frozen clock."""
    monkeypatch.setenv("ESPACE_TUI_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ESPACE_TUI_NOW", NOW.isoformat())
    monkeypatch.setenv("COLUMNS", "160")
    yield data_dir


@pytest.fixture(autouse=True)
def _no_outside_world(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the real company registry, SMTP server or keyring: the registry URL
    points at a closed local port and the registry is off unless a test turns it on."""
    monkeypatch.setenv("ESPACE_TUI_ANNUAIRE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("ESPACE_TUI_HORS_LIGNE", "1")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("ESPACE_TUI_SMTP_MOT_DE_PASSE", raising=False)


@pytest.fixture
def registry_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A real local registry; the program is told to use it and to go online."""
    from tests.registry_server import serve_registry

    with serve_registry() as fake:
        monkeypatch.setenv("ESPACE_TUI_ANNUAIRE_URL", fake.url)
        monkeypatch.delenv("ESPACE_TUI_HORS_LIGNE", raising=False)
        yield fake


@pytest.fixture
def smtp() -> Iterator[Any]:
    """A real local SMTP server (aiosmtpd) that keeps what it receives."""
    from tests.smtp_server import serve_smtp

    with serve_smtp() as fake:
        yield fake
