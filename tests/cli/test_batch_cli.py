"""Several dossiers at once from the command line; `--filtre qui=…`; undo and redo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main

GARAGE, LIBRAIRIE, BOULANGERIE = "813392966", "820723997", "812345676"  # demo: client clicks


@pytest.fixture
def demo_cli(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["demo"]) == 0
    capsys.readouterr()
    return cli_env


def listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["list", "--format", "json", *args]) == 0
    result: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return result


def done(capsys: pytest.CaptureFixture[str], siren: str, step: str) -> str | None:
    row = next(r for r in listed(capsys) if r["siren"] == siren)
    steps = row["steps"]
    assert isinstance(steps, list)
    done_at = next(s["done_at"] for s in steps if s["id"] == step)
    assert done_at is None or isinstance(done_at, str)
    return done_at


def test_list_filters_and_sorts_by_who_must_act(
    demo_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clients = listed(capsys, "--filtre", "qui=client")
    assert clients and all(r["waiting_on"] == "client" for r in clients)
    by_owner = [r["waiting_on"] for r in listed(capsys, "--tri", "qui")]
    order: list[object] = ["cabinet", "client", "dgfip", "banque", None]
    assert by_owner == sorted(by_owner, key=order.index) and len(set(by_owner)) > 2
    assert len(listed(capsys, "--filtre", "qui=client", "--filtre", "mode=expert")) < len(clients)
    assert main(["list", "--filtre", "qui=notaire"]) == 2
    assert "qui « notaire » inconnu" in capsys.readouterr().err


def test_agenda_and_export_take_the_owner_filter(
    demo_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "--format", "json", "--filtre", "qui=client"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and {e["waiting_on"] for e in entries} == {"client"}
    assert main(["export", "--format", "json", "--filtre", "qui=dgfip"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["filter_owners"] == ["dgfip"]
    assert 0 < report["selected"] < report["total"]


def test_tick_several_sirens_then_one_undo(
    demo_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["tick", GARAGE, LIBRAIRIE, BOULANGERIE, "lien_email", "--at", "hier 10h"])
    assert code == 0
    out = capsys.readouterr().out
    assert "3 dossier(s)" in out and "espace-tui undo" in out
    assert done(capsys, GARAGE, "lien_email") == "2026-11-30T10:00:00+01:00"
    assert main(["undo", "--apercu"]) == 0
    assert "3 dossiers" in capsys.readouterr().out
    assert main(["undo"]) == 0  # a new process: the journal is in the data file
    assert "Modification annulée" in capsys.readouterr().out
    assert all(done(capsys, s, "lien_email") is None for s in (GARAGE, LIBRAIRIE, BOULANGERIE))
    assert main(["redo"]) == 0
    assert done(capsys, LIBRAIRIE, "lien_email") == "2026-11-30T10:00:00+01:00"
    assert main(["redo"]) == 0
    assert "Rien à rétablir." in capsys.readouterr().out


def test_tick_with_a_filter_previews_then_applies(
    demo_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tick", "--filtre", "qui=client", "lien_email", "--apercu"]) == 0
    preview = capsys.readouterr().out
    assert "Aperçu, rien n'a été enregistré" in preview and "ignoré" in preview
    assert done(capsys, GARAGE, "lien_email") is None
    assert main(["tick", "--filtre", "qui=client", "lien_email"]) == 0
    assert done(capsys, GARAGE, "lien_email") == "2026-12-01T09:00:00+01:00"


def test_an_unknown_siren_stops_the_batch_before_anything(
    demo_cli: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["tick", GARAGE, "552081317", "lien_email"]) == 1
    assert "Aucun dossier pour le SIREN 552 081 317" in capsys.readouterr().err
    assert done(capsys, GARAGE, "lien_email") is None
    assert main(["tick", "lien_email"]) == 2
    assert "donnez au moins un SIREN" in capsys.readouterr().err


def test_date_for_several_dossiers(demo_cli: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["date", GARAGE, BOULANGERIE, "courrier_imprime", "28/11/2026"]) == 0
    assert "2 dossier(s)" in capsys.readouterr().out
    assert main(["date", GARAGE, "courrier_imprime", "28/11/2026", "29/11/2026"]) == 2
    assert "une seule date" in capsys.readouterr().err
    assert main(["date", GARAGE, BOULANGERIE, "courrier_imprime", "--efface"]) == 0
    assert main(["date", GARAGE, "imprime", "28/11"]) == 2
    assert "QUOI" in capsys.readouterr().err


def test_letters_for_many_one_file_each_and_history(
    demo_cli: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "lettres"
    out.mkdir()
    assert main(["lettre", GARAGE, BOULANGERIE, "--un-fichier-par-dossier", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == [f"lettre-{BOULANGERIE}-lien.txt", f"lettre-{GARAGE}-lien.txt"]
    assert "Garage des Alpes" in (out / f"lettre-{GARAGE}-lien.txt").read_text(encoding="utf-8")
    assert "2 dossier(s)" in capsys.readouterr().err
    capsys.readouterr()
    assert main(["show", GARAGE]) == 0
    combined = tmp_path / "toutes.txt"
    assert main(["lettre", GARAGE, BOULANGERIE, "-o", str(combined), "--apercu"]) == 0
    assert combined.read_text(encoding="utf-8").count("Objet :") == 2


def test_letter_guard_rails(demo_cli: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tick", GARAGE, "lien_email"]) == 0
    capsys.readouterr()
    assert main(["lettre", GARAGE, "--type", "lien", "--apercu"]) == 0
    assert "déjà fait" in capsys.readouterr().err  # one by one: warned
    assert main(["lettre", GARAGE, BOULANGERIE, "--type", "lien", "--apercu"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("Objet :") == 1 and "pas de lettre" in captured.err
