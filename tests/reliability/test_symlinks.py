"""A link is never followed: not for the data file, the locks, the backups or `restore`.

Each link points at a file of the user's ("victim"); every command is run; the victim must
keep its bytes and rights, the link must stay a link, and the refusal must be in French."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.store.errors import StoreSymlinkError
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.repository import Store
from espace_tui.store.restore import restore_backup

SIREN = "552081317"
COMMANDS = [
    ["list"],
    ["show", SIREN],
    ["add", "732829320", "--nom", "Total", "--mode", "simplifie"],
    ["tick", SIREN, "formulaire"],
    ["restore", "--oui"],
    ["restore"],
]
# Names the program owns, each replaced by a link in turn.
LINKED = [DATA_FILE, f"{DATA_FILE}.lock", f"{DATA_FILE}.lock.holder", "sauvegardes"]
VICTIM_BYTES = b"fichier personnel\n"


def _setup(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", SIREN, "--nom", "Danone", "--mode", "simplifie"]) == 0
    assert main(["add", "542107651", "--nom", "Engie", "--mode", "simplifie"]) == 0  # a backup
    capsys.readouterr()


def _victim(tmp_path: Path, name: str) -> Path:
    victim = tmp_path / f"victime-{name}"
    if name == "sauvegardes":
        victim.mkdir()
        (victim / "document.txt").write_bytes(VICTIM_BYTES)
        victim.chmod(0o755)
    else:
        victim.write_bytes(VICTIM_BYTES)
        victim.chmod(0o644)
    return victim


def _state(victim: Path) -> tuple[int, list[tuple[str, bytes, int]]]:
    files = sorted(victim.iterdir()) if victim.is_dir() else [victim]
    return stat.S_IMODE(victim.stat().st_mode), [
        (f.name, f.read_bytes(), stat.S_IMODE(f.stat().st_mode)) for f in files
    ]


@pytest.mark.parametrize("name", LINKED)
def test_no_command_follows_a_link(
    name: str,
    cli_env: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    figures: Callable[[str], None],
) -> None:
    _setup(cli_env, capsys)
    own = cli_env / name
    victim = _victim(tmp_path, name)
    if own.is_dir():
        own.rename(tmp_path / "vraies-sauvegardes")
    elif own.exists():
        own.unlink()
    own.symlink_to(victim)
    before = _state(victim)
    codes, refused = [], 0
    for argv in COMMANDS:
        codes.append(main(argv))
        err = capsys.readouterr().err
        if "lien symbolique" in err:
            refused += 1
        assert "Traceback" not in err and "Erreur inattendue" not in err, (argv, err)
        assert own.is_symlink(), argv  # never replaced by a regular file either
        assert _state(victim) == before, argv
    if name == DATA_FILE:
        assert refused == len(COMMANDS), codes
    figures(
        f"{name} as a link: {len(COMMANDS)} commands, {refused} refused in French, "
        f"victim unchanged (bytes and rights), exit codes {codes}"
    )


def test_writing_through_a_linked_data_file_is_refused(data_dir: Path, tmp_path: Path) -> None:
    Store(data_dir).put_settings({"a": 1})
    victim = _victim(tmp_path, "data")
    (data_dir / DATA_FILE).unlink()
    (data_dir / DATA_FILE).symlink_to(victim)
    with pytest.raises(StoreSymlinkError, match="lien symbolique"):
        Store(data_dir).put_settings({"a": 2})
    assert victim.read_bytes() == VICTIM_BYTES and (data_dir / DATA_FILE).is_symlink()


def test_a_linked_backup_is_neither_listed_nor_restored(
    cli_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _setup(cli_env, capsys)
    folder = cli_env / "sauvegardes"
    (real,) = folder.iterdir()
    victim = tmp_path / "victime.json"
    victim.write_bytes(real.read_bytes())
    linked = folder / "espace-tui-2099-01-01.json"
    linked.symlink_to(victim)
    assert main(["backups", "--format", "json"]) == 0
    assert "2099" not in capsys.readouterr().out
    assert main(["restore", "--oui", str(linked)]) == 2
    assert "lien symbolique" in capsys.readouterr().err
    with pytest.raises(Exception, match="lien symbolique"):
        restore_backup(cli_env, linked, Store(cli_env).clock.now())


def test_a_linked_dashboard_lock_is_refused(data_dir: Path, tmp_path: Path) -> None:
    from espace_tui.tui.instance_lock import InstanceLock

    Store(data_dir).put_settings({"a": 1})
    victim = _victim(tmp_path, "lock")
    (data_dir / "dashboard.lock").symlink_to(victim)
    with pytest.raises(StoreSymlinkError):
        InstanceLock(data_dir).acquire()
    assert victim.read_bytes() == VICTIM_BYTES
    assert stat.S_IMODE(os.stat(victim).st_mode) == 0o644


def test_a_folder_in_place_of_the_data_file_is_named_in_french(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (cli_env / DATA_FILE).mkdir(parents=True)
    for argv in (["list"], ["add", SIREN, "--nom", "Danone", "--mode", "simplifie"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert f"{cli_env / DATA_FILE} n'est pas un fichier ordinaire" in err, err
        assert "Is a directory" not in err
    assert (cli_env / DATA_FILE).is_dir()
