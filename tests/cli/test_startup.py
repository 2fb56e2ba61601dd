"""The real start-up: `espace-tui` and `espace-tui --demo` run in a pseudo-terminal.

The installed entry point is started as the user would (a new process, a terminal of
120×36), the screen is read until it shows what it should, then ctrl+q quits it: the exit
status must be 0 and nothing must be written where it should not.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from espace_tui.store.paths import DATA_FILE
from tests.conftest import NOW

ENTRY_POINT = Path(sys.executable).with_name("espace-tui")
CONTROL = re.compile(rb"\x1b(\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Z])")
PATIENCE = 60.0  # seconds: a loaded 2-core machine may start slowly; never a timed assert


class Terminal:
    """A process on the slave side of a pty; what it draws is read as plain text."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the program
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        self.raw = b""
        self.status: int | None = None

    @property
    def text(self) -> str:
        return CONTROL.sub(b"", self.raw).decode(errors="replace")

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the program closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)

    def wait_for(self, *words: str) -> None:
        deadline = time.monotonic() + PATIENCE
        while not all(w in self.text for w in words):
            assert time.monotonic() < deadline, f"never shown: {words}\n{self.text[-2000:]}"
            assert self._read(0.2), f"the program ended before showing {words}:\n{self.text}"

    def quit(self) -> int:
        os.write(self.fd, b"\x11")  # ctrl+q
        deadline = time.monotonic() + PATIENCE
        while self._read(0.2):
            assert time.monotonic() < deadline, f"still running after ctrl+q:\n{self.text}"
        _, status = os.waitpid(self.pid, 0)
        self.status = status
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        os.close(self.fd)


@pytest.fixture
def start(tmp_path: Path) -> Iterator[tuple[dict[str, str], list[Terminal]]]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "share"),
        "ESPACE_TUI_DATA_DIR": str(tmp_path / "data"),
        "ESPACE_TUI_NOW": NOW.isoformat(),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START"):
        if name in os.environ:  # subprocess coverage, when measured
            env[name] = os.environ[name]
    terminals: list[Terminal] = []
    yield env, terminals
    for terminal in terminals:
        terminal.close()


def _open(start: tuple[dict[str, str], list[Terminal]], *args: str) -> Terminal:
    env, terminals = start
    terminal = Terminal([str(ENTRY_POINT), *args], env)
    terminals.append(terminal)
    return terminal


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="espace-tui is not installed in this venv")
def test_first_start_on_an_empty_folder_shows_the_welcome_screen(
    start: tuple[dict[str, str], list[Terminal]], tmp_path: Path
) -> None:
    terminal = _open(start)
    terminal.wait_for("Bienvenue", "Ouvrir la démo")
    assert terminal.quit() == 0
    assert "Traceback" not in terminal.text
    assert not (tmp_path / "data" / DATA_FILE).exists()  # looking writes nothing


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="espace-tui is not installed in this venv")
def test_demo_opens_a_fresh_cabinet_apart_and_sweeps_finished_demos(
    start: tuple[dict[str, str], list[Terminal]], tmp_path: Path
) -> None:
    demo_root = tmp_path / "cache" / "espace-tui" / "demo"
    finished = demo_root / f"demo-{_ended_pid()}"
    running = demo_root / f"demo-{os.getpid()}"  # this test is alive: its demo stays
    for folder in (finished, running):
        folder.mkdir(parents=True)
        (folder / DATA_FILE).write_text("{}", encoding="utf-8")

    terminal = _open(start, "--demo")
    terminal.wait_for("Boulangerie Martin", "Transports Lambert")
    mine = demo_root / f"demo-{terminal.pid}"
    assert (mine / DATA_FILE).exists()
    assert not finished.exists() and running.exists()
    assert terminal.quit() == 0
    assert "Traceback" not in terminal.text
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())

    # The next demo sweeps this one's folder: its process has ended.
    again = _open(start, "--demo")
    again.wait_for("Boulangerie Martin")
    assert again.quit() == 0
    assert not mine.exists()  # its process ended: swept


def _ended_pid() -> int:
    """A process id that has surely ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="espace-tui is not installed in this venv")
def test_a_terminal_gone_without_hang_up_ends_the_dashboard(
    start: tuple[dict[str, str], list[Terminal]], tmp_path: Path
) -> None:
    """Started with no controlling terminal (a launcher, `setsid`), the dashboard gets no
    SIGHUP when its window goes: it must notice and end, not spin for nobody with the
    instance lock held."""
    env, _ = start
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    program = subprocess.Popen(
        [str(ENTRY_POINT), "--demo"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        shown = b""
        deadline = time.monotonic() + PATIENCE
        while b"Boulangerie Martin" not in CONTROL.sub(b"", shown):
            assert time.monotonic() < deadline, shown[-2000:]
            if select.select([master], [], [], 0.2)[0]:
                shown += os.read(master, 65536)
        os.close(master)  # the window is closed
        master = -1
        assert program.wait(timeout=PATIENCE) == 129  # as after a SIGHUP
    finally:
        if program.poll() is None:
            program.kill()
            program.wait()
        if master >= 0:
            os.close(master)


@pytest.mark.skipif(not ENTRY_POINT.exists(), reason="espace-tui is not installed in this venv")
def test_a_lone_escape_is_a_key_with_nothing_typed_after_it(
    start: tuple[dict[str, str], list[Terminal]],
) -> None:
    """The input thread sleeps until a key comes (tui/quiet_driver.py), yet an Escape,
    which may start a longer key sequence, still arrives alone once its delay is over; and
    quitting wakes the sleeping thread."""
    terminal = _open(start, "--demo")
    terminal.wait_for("Boulangerie Martin", "Garage des Alpes")
    os.write(terminal.fd, b"\x1bOP")  # F1
    terminal.wait_for("Aide — touches du clavier")
    while select.select([terminal.fd], [], [], 0.5)[0]:  # the help's last frame drawn
        assert terminal._read(0), terminal.text
    shown = len(terminal.raw)
    os.write(terminal.fd, b"\x1b")  # Escape, and nothing after it
    deadline = time.monotonic() + PATIENCE
    # The help closed: the list it covered is drawn again.
    while "Garage des Alpes" not in CONTROL.sub(b"", terminal.raw[shown:]).decode(errors="replace"):
        assert time.monotonic() < deadline, f"Escape never arrived:\n{terminal.text[-2000:]}"
        assert terminal._read(0.2), terminal.text
    assert terminal.quit() == 0
    assert "Traceback" not in terminal.text
