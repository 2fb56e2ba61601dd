"""`list --format json` read by two processes: the same bytes as one process, the same
refusals, and one process again whenever anything is unexpected."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from espace_tui.cli import list_halves, main
from espace_tui.domain.clock import FrozenClock
from espace_tui.store import chunked
from espace_tui.store import ranges as ranges_module
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.ranges import FileRanges
from espace_tui.store.repository import Store
from espace_tui.workspace.demo import demo_dossiers, demo_siren, fill_demo
from tests.conftest import NOW

TRAP = '},"552081317":{"siren":"552081317'  # text that looks like a cut between records
COUNT = 160


@pytest.fixture(autouse=True)
def small_file_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of a few hundred kilobytes read by halves, a few kilobytes per slice."""
    monkeypatch.setattr(chunked, "MIN_BYTES", 0)
    monkeypatch.setattr(chunked, "SLICE_BYTES", 3000)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The children forked (each a split read that got as far as forking)."""
    made: list[int] = []
    real = os.fork

    def counted() -> int:
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    return made


def _cabinet(data_dir: Path) -> None:
    store = Store(data_dir, clock=FrozenClock(NOW))
    fill_demo(store, NOW)
    templates = demo_dossiers(NOW)
    # Copies of the demo's situations: many dossiers tie on status and deadline, and some on
    # the name too (then the file order decides, across the two halves).
    store.insert_dossiers(
        replace(
            templates[i % len(templates)],
            siren=demo_siren(i),
            name="Même nom" if i % 5 == 0 else f"Client {COUNT - i}",
            notes=TRAP if i % 7 == 0 else "",
        )
        for i in range(len(templates), COUNT)
    )
    store.close()


def _run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, str]:
    code = main(["list", "--format", "json", *argv])
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


def _one_process(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch, *argv: str
) -> tuple[int, bytes, str]:
    with monkeypatch.context() as patch:
        patch.delattr(os, "fork")  # a system without fork: the ordinary path
        return _run(capsysbinary, *argv)


@pytest.mark.parametrize(
    "argv",
    [(), ("--tri", "qui"), ("--filtre", "qui=client"), ("--filtre", "mode=expert,statut=ok")],
)
def test_two_processes_write_the_bytes_of_one(
    cli_env: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
    argv: tuple[str, ...],
) -> None:
    _cabinet(cli_env)
    expected = _one_process(capsysbinary, monkeypatch, *argv)
    assert expected[0] == 0 and len(json.loads(expected[1])) > 10
    assert _run(capsysbinary, *argv) == expected
    assert len(forks) == 1


def test_a_filter_keeping_nothing_gives_an_empty_list(
    cli_env: Path, capsysbinary: pytest.CaptureFixture[bytes], forks: list[int]
) -> None:
    _cabinet(cli_env)
    nothing = ("--filtre", "statut=terminé,mode=expert,qui=banque")
    assert _run(capsysbinary, *nothing) == (0, b"[]\n", "")
    assert len(forks) == 1


def _damage(data_dir: Path, index: int) -> str:
    path = data_dir / DATA_FILE
    doc = json.loads(path.read_bytes())
    key: str = list(doc["dossiers"])[index]
    doc["dossiers"][key]["events"] = {"formulaire": "hier"}
    path.write_bytes(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())
    return key


@pytest.mark.parametrize("index", [3, -40, -1], ids=["first half", "second half", "last"])
def test_a_damaged_record_in_either_half_is_refused_as_by_one_process(
    cli_env: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
    index: int,
) -> None:
    _cabinet(cli_env)
    key = _damage(cli_env, index)
    code, out, err = _run(capsysbinary)
    assert (code, out) == (1, b"")
    assert f"dossier {key} : champ « events.formulaire »" in err and "Traceback" not in err
    assert (code, out, err) == _one_process(capsysbinary, monkeypatch)
    assert len(forks) == 1  # found by a half, then said by the ordinary path


def test_a_record_in_both_halves_is_read_by_one_process(
    cli_env: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    """A hand-edited file holding one SIREN twice: the ordinary parse keeps the last."""
    _cabinet(cli_env)
    path = cli_env / DATA_FILE
    raw = path.read_bytes()
    key, record = next(iter(json.loads(raw)["dossiers"].items()))
    again = json.dumps({key: {**record, "name": "Zz " + record["name"]}}, ensure_ascii=False)
    last = list(chunked.BOUNDARY.finditer(raw))[-1].start() + 2  # before the last record
    path.write_bytes(raw[:last] + again[1:-1].encode() + b"," + raw[last:])
    code, out, _ = _run(capsysbinary)
    assert code == 0
    assert (code, out) == _one_process(capsysbinary, monkeypatch)[:2]
    names = [d["name"] for d in json.loads(out)]
    assert len(names) == COUNT and sum(n.startswith("Zz ") for n in names) == 1
    assert len(forks) == 1


def test_a_child_gone_before_its_keys_leaves_the_work_to_one_process(
    cli_env: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    forks: list[int],
) -> None:
    _cabinet(cli_env)
    expected = _one_process(capsysbinary, monkeypatch)
    real = list_halves.read_half

    def dying(*args: Any) -> Any:
        if args[2] == 1:  # the child's half
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(list_halves, "read_half", dying)
    assert _run(capsysbinary) == expected
    assert len(forks) == 1


def test_a_child_gone_while_writing_is_said_in_french(
    cli_env: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cabinet(cli_env)
    parent = os.getpid()
    real = list_halves.json_pieces

    def dying(*args: Any) -> Any:
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(list_halves, "json_pieces", dying)
    code, _, err = _run(capsysbinary)
    assert code == 1
    assert "La liste n'a pas pu être écrite en entier" in err and "Traceback" not in err


@pytest.mark.parametrize("reads", ["usual", "tiny"])
def test_ranges_give_every_record_once_in_file_order(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, reads: str
) -> None:
    """`tiny`: every read too short to hold a boundary or the tail: the reader reads on."""
    if reads == "tiny":
        monkeypatch.setattr(ranges_module, "_TAIL_BYTES", 64)
        monkeypatch.setattr(ranges_module, "_PAD", 16)
        monkeypatch.setattr(chunked, "SLICE_BYTES", 8)
    _cabinet(data_dir)
    path = data_dir / DATA_FILE
    whole = json.loads(path.read_bytes())
    fd = os.open(path, os.O_RDONLY)
    try:
        ranges = FileRanges(fd)
        for share in (0.0, 0.3, 0.5, 0.99, 1.0):
            middle = ranges.split(share)
            pieces = [
                *ranges.slices(ranges.start, middle),
                *ranges.slices(middle, ranges.last_at),
                ranges.last,
            ]
            assert len(pieces) > 4
            read = {k: v for piece in pieces for k, v in piece.items()}
            assert list(read.items()) == list(whole["dossiers"].items())
        assert ranges.tables() == {**whole, "dossiers": {}}
    finally:
        os.close(fd)


def test_a_file_too_small_or_cut_short_is_not_read_by_ranges(data_dir: Path) -> None:
    _cabinet(data_dir)
    path = data_dir / DATA_FILE
    raw = path.read_bytes()
    for text in (raw[: len(raw) // 2], raw[:-3], b'{"_meta":{}}'):
        path.write_bytes(text)
        fd = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(chunked.NotChunkable):
                reader = FileRanges(fd)
                list(reader.slices(reader.start, reader.last_at))
        finally:
            os.close(fd)
