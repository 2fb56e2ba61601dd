"""Two writers on one folder (dashboard + CLI, two CLIs): one at a time, no lost update."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.conftest import NOW
from tests.reliability.conftest import Child

WRITERS = 4
ROUNDS = 60
SHARED = "552081317"


def _counter_writer(data_dir: Path, name: str) -> Callable[[int], None]:
    """Read-modify-write increments of a shared counter and of the writer's own one."""

    def body(out_fd: int) -> None:
        store = Store(data_dir)
        for _ in range(ROUNDS):
            with store.transaction():
                settings = store.settings()
                settings["total"] = settings.get("total", 0) + 1
                settings[name] = settings.get(name, 0) + 1
                store.put_settings(settings)
        os.write(out_fd, b"done")

    return body


def test_interleaved_increments_lose_no_update(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    Store(data_dir)
    children = [fork_child(_counter_writer(data_dir, f"w{i}")) for i in range(WRITERS)]
    for child in children:
        assert child.wait() == 0
        assert child.output() == "done"
    settings = Store(data_dir).settings()
    total = WRITERS * ROUNDS
    figures(f"{WRITERS} processes × {ROUNDS} increments: {settings['total']}/{total} kept")
    assert settings["total"] == total
    assert all(settings[f"w{i}"] == ROUNDS for i in range(WRITERS))


def _ticker(data_dir: Path, step: str, rounds: int) -> Callable[[int], None]:
    """The same dossier, changed through the Workspace as the dashboard and the CLI do."""

    def body(out_fd: int) -> None:
        workspace = Workspace(Store(data_dir), FrozenClock(NOW))
        for _ in range(rounds):
            workspace.tick(SHARED, step)
            workspace.untick(SHARED, step)
        workspace.tick(SHARED, step)
        os.write(out_fd, b"done")

    return body


def test_workspace_changes_to_one_dossier_from_two_processes_all_kept(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    workspace = Workspace(Store(data_dir), FrozenClock(NOW))
    workspace.add_dossier(DossierDraft(siren=SHARED, name="Danone", mode="simplifie"))
    steps = ["formulaire", "lien_email"]
    rounds = 40
    children = [fork_child(_ticker(data_dir, step, rounds)) for step in steps]
    for child in children:
        assert child.wait() == 0
    dossier = Workspace(Store(data_dir), FrozenClock(NOW)).get(SHARED)
    changes = len(steps) * (2 * rounds + 1)
    kept = len(dossier.history) - 1  # minus the creation
    figures(f"2 processes, {changes} changes to one dossier: {kept} in its history")
    assert set(steps) <= set(dossier.events)
    assert kept == changes


def _lock_holder(data_dir: Path, release: Path) -> Callable[[int], None]:
    """Holds the write lock until `release` exists (or 60 s, should the test die)."""

    def body(out_fd: int) -> None:
        store = Store(data_dir)
        with store.transaction():
            os.write(out_fd, b"locked")
            deadline = time.monotonic() + 60
            while not release.exists() and time.monotonic() < deadline:
                time.sleep(0.01)

    return body


def _cli(data_dir: Path, timeout: float, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ESPACE_TUI_DATA_DIR": str(data_dir),
        "ESPACE_TUI_NOW": NOW.isoformat(),
        "ESPACE_TUI_LOCK_TIMEOUT": str(timeout),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "espace_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _has_open(pid: int, path: Path) -> bool:
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    return any(os.path.realpath(fd) == str(path) for fd in fds if fd.exists())


def test_waiting_cli_names_the_holder_and_gives_up(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    Workspace(Store(data_dir), FrozenClock(NOW)).add_dossier(
        DossierDraft(siren=SHARED, name="Danone", mode="simplifie")
    )
    before = (data_dir / DATA_FILE).read_bytes()
    holder = fork_child(_lock_holder(data_dir, tmp_path / "release"))
    holder.expect(b"locked")
    # A short timeout (ESPACE_TUI_LOCK_TIMEOUT): the message, not the 5 s, is under test.
    _, err = _cli(data_dir, 0.3, "tick", SHARED, "formulaire").communicate(timeout=120)
    holder.kill()
    holder.wait()
    assert "Traceback" not in err
    assert "en cours de modification" in err
    assert f"processus {holder.pid}" in err
    assert "rien n'a été enregistré" in err
    assert (data_dir / DATA_FILE).read_bytes() == before


def test_waiting_cli_proceeds_once_the_lock_is_released(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    Workspace(Store(data_dir), FrozenClock(NOW)).add_dossier(
        DossierDraft(siren=SHARED, name="Danone", mode="simplifie")
    )
    release = tmp_path / "release"
    holder = fork_child(_lock_holder(data_dir, release))
    holder.expect(b"locked")
    cli = _cli(data_dir, 120, "tick", SHARED, "formulaire")
    lock = data_dir / f"{DATA_FILE}.lock"
    while not _has_open(cli.pid, lock):  # it opened the lock file: it is waiting on it
        assert cli.poll() is None, cli.communicate()
        time.sleep(0.01)
    release.touch()
    _, err = cli.communicate(timeout=120)
    assert holder.wait() == 0
    assert cli.returncode == 0, err
    assert "formulaire" in Store(data_dir).get_dossier(SHARED).events  # type: ignore[union-attr]
    figures("a CLI write kept waiting by another writer went through once it let go")


def test_a_replaced_file_is_noticed_even_with_the_same_size_and_time(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first, second = Store(data_dir), Store(data_dir)
    first.put_settings({"a": 1})
    assert second.settings() == {"a": 1}
    stamp = first.path.stat().st_mtime_ns
    second.put_settings({"a": 2})  # same size
    os.utime(first.path, ns=(stamp, stamp))  # and the same modification time
    assert first.changed_on_disk()  # a new inode: the old one is held open, never reused
    assert first.settings() == {"a": 2}
    first.put_settings({"a": 3})
    assert second.settings() == {"a": 3}
