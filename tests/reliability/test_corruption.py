"""A damaged data file is never written over; a backup brings the data back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from espace_tui.cli import main
from espace_tui.store.paths import DATA_FILE


def _good_file(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    """A real file, and its daily backup (taken before the day's first change)."""
    assert main(["demo"]) == 0
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    capsys.readouterr()
    return (cli_env / DATA_FILE).read_bytes()


def _damage(good: bytes) -> dict[str, bytes]:
    doc = json.loads(good)
    newer = {**doc, "_meta": {"1": {"schema_version": 99}}}
    return {
        "truncated": good[: len(good) // 2],
        "truncated to nothing": b"",
        "not JSON": b"Ceci n'est pas du JSON\n",
        "binary garbage": bytes(range(256)) * 4,
        "JSON list": b"[1, 2, 3]",
        "wrong table shape": json.dumps({**doc, "dossiers": [1, 2]}).encode(),
        "wrong document shape": json.dumps({**doc, "dossiers": {"1": "texte"}}).encode(),
        "record missing fields": json.dumps({**doc, "dossiers": {"1": {"siren": "1"}}}).encode(),
        "unknown table": json.dumps({**doc, "autre": {}}).encode(),
        "no schema version": json.dumps({k: v for k, v in doc.items() if k != "_meta"}).encode(),
        "newer schema": json.dumps(newer).encode(),
        "deeply nested": b"[" * 100_000,
    }


def test_every_damaged_file_is_refused_named_and_kept(
    cli_env: Path, capsys: pytest.CaptureFixture[str], figures: Any
) -> None:
    good = _good_file(cli_env, capsys)
    data = cli_env / DATA_FILE
    backup = cli_env / "sauvegardes" / "espace-tui-2026-12-01.json"
    assert backup.exists()
    commands = [
        ["list"],
        ["list", "--format", "json"],
        ["tick", "552081317", "lien_email"],
        ["add", "732829320", "--nom", "Autre", "--mode", "simplifie"],
        ["show", "552081317"],
    ]
    refused = 0
    for case, payload in _damage(good).items():
        data.write_bytes(payload)
        for argv in commands:
            code = main(argv)
            out, err = capsys.readouterr()
            assert code == 1, (case, argv, out, err)
            assert str(data) in err, case  # names the file
            assert str(backup) in err, case  # and the newest backup
            assert "n'a pas été modifié" in err
            assert "Traceback" not in err
            assert data.read_bytes() == payload, case  # never written over
            refused += 1
    kinds = len(_damage(good))
    figures(f"{kinds} kinds of damage × {len(commands)} commands: {refused} refused, 0 overwritten")


def test_restore_brings_the_backup_back_and_keeps_the_broken_file(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _good_file(cli_env, capsys)
    data = cli_env / DATA_FILE
    broken = good[:1000]
    data.write_bytes(broken)
    assert main(["restore"]) == 0
    out = capsys.readouterr().out
    assert "remise en place (22 dossiers)" in out  # the backup predates the add
    aside = [p for p in cli_env.iterdir() if p.name.startswith(f"{DATA_FILE}.illisible-")]
    assert len(aside) == 1 and aside[0].read_bytes() == broken  # kept, never deleted
    assert str(aside[0]) in out
    assert main(["list", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 22
    # The restored file is writable again, and private.
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert (data.stat().st_mode & 0o777) == 0o600
    assert (aside[0].stat().st_mode & 0o777) == 0o600


def test_restore_over_a_readable_file_asks_then_keeps_it_as_a_backup(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _good_file(cli_env, capsys)
    assert main(["restore"]) == 1
    assert "--oui" in capsys.readouterr().err
    assert (cli_env / DATA_FILE).read_bytes() == good
    assert main(["restore", "2026-12-01.json", "--oui"]) == 0
    capsys.readouterr()
    kept = list((cli_env / "sauvegardes").glob("*-avant-restauration.json"))
    assert len(kept) == 1 and kept[0].read_bytes() == good
    assert main(["backups", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {b["kind"] for b in listed} == {"quotidienne", "avant-restauration"}
    assert sorted(b["dossier_count"] for b in listed) == [22, 23]  # before and after the add
    assert all(b["size_bytes"] > 0 for b in listed)


def test_restore_refuses_a_damaged_or_unknown_backup(
    cli_env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = _good_file(cli_env, capsys)
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["restore", str(bad), "--oui"]) == 2
    assert "illisible" in capsys.readouterr().err
    assert main(["restore", "1999-01-01"]) == 2
    assert "introuvable" in capsys.readouterr().err
    assert (cli_env / DATA_FILE).read_bytes() == good


def test_backups_lists_date_size_and_dossiers(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _good_file(cli_env, capsys)
    assert main(["backups"]) == 0
    out = capsys.readouterr().out
    assert "01/12/2026" in out and "quotidienne" in out and "Ko" in out
    assert "22" in out
