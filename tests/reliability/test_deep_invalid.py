"""Records of the wrong type are refused on load, every field checked, before anything
reads or writes them: the whole file is refused like a torn one (file and newest backup
named, never overwritten), with the record and field named and never their value."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from espace_tui.cli import main
from espace_tui.store.paths import DATA_FILE

SIREN = "552081317"
IBAN = "FR7630006000011234567890189"


def _good(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["demo"]) == 0
    assert main(["add", SIREN, "--nom", "Danone", "--mode", "simplifie"]) == 0
    capsys.readouterr()
    doc: dict[str, Any] = json.loads((cli_env / DATA_FILE).read_bytes())
    return doc


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Damage: set a field of the Danone record (or of another table) to `value`."""

    def apply(doc: dict[str, Any]) -> None:
        table, key, *fields = path.split("/")
        record = doc.setdefault(table, {}).setdefault(key, {})
        for name in fields[:-1]:
            record = record[name]
        record[fields[-1]] = value

    return apply


def _rekey(new_key: str) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        doc["dossiers"][new_key] = doc["dossiers"].pop(SIREN)

    return apply


D = f"dossiers/{SIREN}"
DAMAGE: dict[str, Callable[[dict[str, Any]], None]] = {
    "siren null": _set(f"{D}/siren", None),
    "siren as a number": _set(f"{D}/siren", int(SIREN)),
    "siren not 9 digits": _set(f"{D}/siren", "55208131"),
    "non-numeric id": _rekey("abc"),
    "id is not the SIREN": _rekey("732829320"),
    "name as a number": _set(f"{D}/name", 12),
    "unknown mode": _set(f"{D}/mode", "turbo"),
    "unknown procedure": _set(f"{D}/procedure_id", "inconnue"),
    "created_at without time zone": _set(f"{D}/created_at", "2026-12-01T09:00:00"),
    "created_at as a number": _set(f"{D}/created_at", 1764576000),
    "event as a number": _set(f"{D}/events/formulaire", 3),
    "unknown service state": _set(f"{D}/services/messagerie", "peut-être"),
    "bank as text": _set(f"{D}/bank", IBAN),
    "bank iban null": _set(
        f"{D}/bank", {"iban": None, "bic": "", "mandate_type": "B2B", "mandate_state": "to_print"}
    ),
    "email as a list": _set(f"{D}/email_entreprise", ["a@b.fr"]),
    "history as an object": _set(f"{D}/history", {"at": "x"}),
    "blockage without date": _set(f"{D}/blockages", [{"id": "b1", "kind": "k"}]),
    "notes null": _set(f"{D}/notes", None),
    "thresholds as text": _set("settings/1/thresholds", "urgent"),
    "threshold as text": _set("settings/1/thresholds", {"urgent_within_s": "2 jours"}),
    "space label as a number": _set("spaces/1/label", 4),
    "cabinet name as a list": _set("cabinet/1/name", []),
}
COMMANDS = [
    ["list"],
    ["list", "--format", "json"],
    ["show", SIREN],
    ["tick", SIREN, "formulaire"],
    ["add", "732829320", "--nom", "Autre", "--mode", "simplifie"],
    ["services", SIREN, "--fixe", "messagerie"],
    ["export", "--format", "json"],
]


def test_every_deep_invalid_record_is_refused_named_and_kept(
    cli_env: Path, capsys: pytest.CaptureFixture[str], figures: Callable[[str], None]
) -> None:
    good = _good(cli_env, capsys)
    data = cli_env / DATA_FILE
    newest = cli_env / "sauvegardes" / "espace-tui-2026-12-01.json"
    refused = 0
    for case, damage in DAMAGE.items():
        doc = copy.deepcopy(good)
        damage(doc)
        payload = json.dumps(doc, ensure_ascii=False).encode()
        data.write_bytes(payload)
        for argv in COMMANDS:
            code = main(argv)
            out, err = capsys.readouterr()
            assert code == 1, (case, argv, out, err)
            assert "Erreur inattendue" not in err and "Traceback" not in err, (case, err)
            assert str(data) in err and str(newest) in err, (case, err)
            assert "n'a pas été modifié" in err
            assert IBAN not in err and "Danone" not in err  # a field is named, not its value
            assert data.read_bytes() == payload, (case, argv)  # never written over
            refused += 1
    figures(
        f"{len(DAMAGE)} kinds of deep-invalid record × {len(COMMANDS)} commands: "
        f"{refused} refused in French naming file and backup, 0 overwritten, 0 crashes"
    )


def test_the_message_names_the_record_and_the_field(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _good(cli_env, capsys)
    DAMAGE["siren null"](good)
    (cli_env / DATA_FILE).write_text(json.dumps(good))
    assert main(["show", SIREN]) == 1
    err = capsys.readouterr().err
    assert f"dossier {SIREN} : champ « siren » : un texte de 9 chiffres attendu, trouvé null" in err


def test_restore_refuses_a_backup_without_schema_version_or_with_a_bad_record(
    cli_env: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = _good(cli_env, capsys)
    before = (cli_env / DATA_FILE).read_bytes()
    no_version = tmp_path / "sans-version.json"
    no_version.write_text(json.dumps({k: v for k, v in good.items() if k != "_meta"}))
    bad_record = tmp_path / "mauvais-dossier.json"
    damaged = copy.deepcopy(good)
    DAMAGE["non-numeric id"](damaged)
    bad_record.write_text(json.dumps(damaged))
    for backup, reason in ((no_version, "version du schéma absente"), (bad_record, "abc")):
        assert main(["restore", "--oui", str(backup)]) == 2
        err = capsys.readouterr().err
        assert "illisible" in err and reason in err, err
    assert (cli_env / DATA_FILE).read_bytes() == before


def test_restore_over_a_deep_invalid_file_keeps_it_aside_as_unreadable(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _good(cli_env, capsys)
    DAMAGE["thresholds as text"](good)
    (cli_env / DATA_FILE).write_text(json.dumps(good))
    assert main(["restore"]) == 0  # no --oui needed: the current file cannot be used
    assert "(illisible)" in capsys.readouterr().out
    assert main(["list"]) == 0
