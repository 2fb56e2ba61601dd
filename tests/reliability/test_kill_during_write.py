"""Crash safety: a writer killed (SIGKILL) at random instants never tears the file or loses
a write it had acknowledged.

The writer is a forked process with its own Store. After each `put_dossier` returns it
writes one line to a pipe: that is the acknowledgement the UI would show as « enregistré ».
The parent kills it at a random instant, then opens the folder like the next start would.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.store import codec
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
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


def test_sigkill_during_writes_loses_nothing_acknowledged(
    tmp_path: Path, fork_child: Callable[[Callable[[int], None]], Child], figures: Any
) -> None:
    rng = random.Random(20261201)
    data_dir = tmp_path / "data"
    Store(data_dir)  # creates the folder
    latest: dict[str, int] = {}  # siren -> index of its last acknowledged write
    # siren -> writes the file may hold: the last acknowledged one, and any write in flight
    # when a writer was killed after it (it may or may not have reached the disk).
    possible: dict[str, set[int]] = {}
    next_index = 0
    writes_checked = torn = temp_left = bytes_lost = 0
    started = time.perf_counter()
    for _ in range(KILLS):
        child = fork_child(_writer(data_dir, next_index))
        time.sleep(rng.uniform(0.0, 0.05))
        child.kill()
        assert os.WIFSIGNALED(child.wait()), "the writer stopped by itself: it failed"
        acked = [int(line) for line in child.output().split()]
        in_flight = (acked[-1] + 1) if acked else next_index
        for index in acked:
            latest[SIRENS[index % POOL]] = index
            possible[SIRENS[index % POOL]] = {index}
        possible.setdefault(SIRENS[in_flight % POOL], set()).add(in_flight)

        temp_left += bool(tmp_files(data_dir))  # killed between write and rename
        raw = (data_dir / DATA_FILE).read_bytes() if (data_dir / DATA_FILE).exists() else b""
        try:
            on_disk = json.loads(raw)["dossiers"] if raw else {}
        except (ValueError, KeyError):
            torn += 1
            continue
        store = Store(data_dir)  # what the next start sees; must not refuse the file
        for siren, index in latest.items():
            writes_checked += 1
            found = store.get_dossier(siren)
            expected = _dossier(index)
            if found is None:
                bytes_lost += len(json.dumps(codec.dossier_to_doc(expected)))
                continue
            if not any(found == _dossier(i) for i in possible[siren]):
                bytes_lost += len(json.dumps(codec.dossier_to_doc(expected)))
        assert len(on_disk) >= len(latest)
        next_index = in_flight + 1
        store.close()

    elapsed = time.perf_counter() - started
    figures(
        f"{KILLS} SIGKILLs survived, {next_index} writes attempted, {writes_checked} "
        f"acknowledged writes checked, {temp_left} kills caught mid-write (temp file left), "
        f"torn files {torn}, bytes lost {bytes_lost} ({elapsed:.1f} s)"
    )
    assert torn == 0
    assert bytes_lost == 0
    assert len(latest) > POOL // 4  # the writers did get work done between kills
    assert temp_left > 0  # some kills really did land in the middle of a write
    # The next write sweeps the half-written temp files away.
    Store(data_dir).put_dossier(_dossier(0))
    assert tmp_files(data_dir) == []


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
