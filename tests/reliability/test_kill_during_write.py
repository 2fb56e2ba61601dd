"""Crash safety: a writer killed (SIGKILL) at random instants never tears the file or loses
a write it had acknowledged.

The writer is a forked process with its own Store (or Workspace). After each write returns it
writes one line to a pipe: that is the acknowledgement the UI would show as « enregistré ».
The parent kills it at a random instant, then opens the folder like the next start would.
SIGKILL leaves the page cache intact: this proves atomicity; durability (the fsyncs) is
checked in tests/store/test_durability.py.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.domain.errors import UserError
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.conftest import NOW
from tests.reliability.conftest import Child, tmp_files
from tests.sirens import valid_sirens

KILLS = 220
POOL = 150  # distinct dossiers; later writes update them, so the file stays a realistic size
SIRENS = valid_sirens(POOL, start=31_000_000)


def _dossier(index: int) -> Dossier:
    siren = SIRENS[index % POOL]
    return Dossier(
        siren=siren,
        name=f"Client {siren}",
        mode=Mode.SIMPLIFIED if index % 2 else Mode.EXPERT,
        created_at=NOW,
        notes=f"écriture {index} " + "x" * (index % 97),  # sizes vary: no two files alike
        events={"formulaire": NOW} if index % 3 else {},
    )


def _writer(data_dir: Path, first: int) -> Callable[[int], None]:
    def body(ack_fd: int) -> None:
        store = Store(data_dir)
        index = first
        while True:
            store.put_dossier(_dossier(index))
            os.write(ack_fd, f"{index}\n".encode())  # acknowledged only once saved
            index += 1

    return body


class KillLoop:
    """Kills writers at random instants and checks, after each kill, what the next start sees.

    `latest` holds the last acknowledged write of each dossier; `possible` adds the write in
    flight when a writer was killed after it (it may or may not have reached the disk).
    `expected(index)` is the dossier write `index` produces, compared with `same`.
    """

    def __init__(
        self,
        data_dir: Path,
        expected: Callable[[int], Dossier],
        same: Callable[[Dossier, Dossier], bool],
    ) -> None:
        self.data_dir = data_dir
        self.expected = expected
        self.same = same
        self.latest: dict[str, int] = {}
        self.possible: dict[str, set[int]] = {}
        self.next_index = 0
        self.acknowledged = self.checks = self.temp_left = self.torn = self.lost = 0

    def run(
        self,
        kills: int,
        fork_child: Callable[[Callable[[int], None]], Child],
        writer: Callable[[Path, int], Callable[[int], None]],
        rng: random.Random,
    ) -> None:
        for _ in range(kills):
            child = fork_child(writer(self.data_dir, self.next_index))
            # Once it has saved something (a loaded machine may start it slowly), kill it at
            # a random instant of its next writes.
            child.expect(b"\n")
            time.sleep(rng.uniform(0.0, 0.05))
            child.kill()
            assert os.WIFSIGNALED(child.wait()), "the writer stopped by itself: it failed"
            acked = [int(line) for line in child.output().split()]
            self.acknowledged += len(acked)
            in_flight = (acked[-1] + 1) if acked else self.next_index
            for index in acked:
                siren = self.expected(index).siren
                self.latest[siren] = index
                self.possible[siren] = {index}
            self.possible.setdefault(self.expected(in_flight).siren, set()).add(in_flight)
            self.next_index = in_flight + 1
            self._check()

    def _check(self) -> None:
        self.temp_left += bool(tmp_files(self.data_dir))  # killed between write and rename
        path = self.data_dir / DATA_FILE
        raw = path.read_bytes() if path.exists() else b""
        try:
            json.loads(raw)["dossiers"] if raw else {}
        except (ValueError, KeyError):
            self.torn += 1
            return
        store = Store(self.data_dir)  # what the next start sees; must not refuse the file
        try:
            for siren in self.latest:
                self.checks += 1
                found = store.get_dossier(siren)
                if found is None or not any(
                    self.same(found, self.expected(i)) for i in self.possible[siren]
                ):
                    self.lost += 1
        finally:
            store.close()

    def summary(self, kills: int, elapsed: float) -> str:
        return (
            f"{kills} SIGKILLs survived, {self.acknowledged} writes acknowledged, "
            f"{len(self.latest)} dossiers' last acknowledged write re-read after every kill "
            f"({self.checks} checks), {self.temp_left} kills caught mid-write (temp file left), "
            f"torn files {self.torn}, acknowledged writes lost {self.lost} ({elapsed:.1f} s)"
        )


def test_sigkill_during_writes_loses_nothing_acknowledged(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    Store(data_dir)  # creates the folder
    loop = KillLoop(data_dir, _dossier, lambda found, wanted: found == wanted)
    started = time.perf_counter()
    loop.run(KILLS, fork_child, _writer, random.Random(20261201))
    figures(loop.summary(KILLS, time.perf_counter() - started))
    assert loop.torn == 0
    assert loop.lost == 0
    assert len(loop.latest) > POOL // 4  # the writers did get work done between kills
    assert loop.temp_left > 0  # some kills really did land in the middle of a write
    # The next write sweeps the half-written temp files away.
    Store(data_dir).put_dossier(_dossier(0))
    assert tmp_files(data_dir) == []


# -- the same through the Workspace commands the dashboard and the CLI call ------------

WORKSPACE_KILLS = 80


def _command_result(index: int) -> Dossier:
    """What write `index` leaves: the dossier of SIRENS[index % POOL], created by its first
    write, its notes set by the later ones."""
    siren = SIRENS[index % POOL]
    return Dossier(
        siren=siren,
        name=f"Client {siren}",
        mode=Mode.SIMPLIFIED,
        created_at=NOW,
        notes=_note(index),
    )


def _note(index: int) -> str:
    return f"écriture {index} :" + "x" * (index % 97)  # no trailing space: notes are trimmed


def _command_writer(data_dir: Path, first: int) -> Callable[[int], None]:
    def body(ack_fd: int) -> None:
        workspace = Workspace(Store(data_dir), FrozenClock(NOW))
        index = first
        while True:
            siren = SIRENS[index % POOL]
            try:
                workspace.set_notes(siren, _note(index))
            except UserError:  # not created yet (or its creation was killed in flight)
                draft = DossierDraft(
                    siren=siren, name=f"Client {siren}", mode="simplifie", notes=_note(index)
                )
                workspace.add_dossier(draft)
            os.write(ack_fd, f"{index}\n".encode())  # the command returned: « enregistré »
            index += 1

    return body


def test_sigkill_during_workspace_commands_loses_nothing_acknowledged(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    data_dir = tmp_path / "data"
    Store(data_dir)
    loop = KillLoop(data_dir, _command_result, lambda found, wanted: found.notes == wanted.notes)
    started = time.perf_counter()
    loop.run(WORKSPACE_KILLS, fork_child, _command_writer, random.Random(1789))
    figures(
        "through Workspace commands: "
        + loop.summary(WORKSPACE_KILLS, time.perf_counter() - started)
    )
    assert loop.torn == 0
    assert loop.lost == 0
    assert len(loop.latest) > POOL // 4
    assert loop.temp_left > 0


RESTORE_KILLS = 60


def test_sigkill_during_restore_leaves_the_old_or_the_restored_file(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    from espace_tui.store.restore import restore_backup

    rng = random.Random(7)
    data_dir = tmp_path / "data"
    store = Store(data_dir)
    for index in range(40):
        store.put_dossier(_dossier(index))
    backup = tmp_path / "backup.json"
    backup.write_bytes((data_dir / DATA_FILE).read_bytes())
    store.put_dossier(_dossier(41))
    current = (data_dir / DATA_FILE).read_bytes()
    states = {backup.read_bytes(), current}

    def restorer(ack_fd: int) -> None:
        while True:
            restore_backup(data_dir, backup, NOW)
            os.write(ack_fd, b"r\n")

    for _ in range(RESTORE_KILLS):
        child = fork_child(restorer)
        time.sleep(rng.uniform(0.0, 0.02))
        child.kill()
        assert os.WIFSIGNALED(child.wait())
        child.output()
        assert (data_dir / DATA_FILE).read_bytes() in states  # never torn, never missing
        Store(data_dir).dossiers()  # and the next start reads it
    kept = [p.read_bytes() for p in (data_dir / "sauvegardes").glob("*-avant-restauration*")]
    assert set(kept) <= states
    assert current in kept  # the state replaced by the first restore is still kept
    figures(f"{RESTORE_KILLS} SIGKILLs during restores: the file was always whole, 0 bytes lost")
