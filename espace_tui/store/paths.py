"""Where the data lives: --data-dir, then ESPACE_TUI_DATA_DIR, then the platform's data folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

APP_NAME = "espace-tui"
DATA_DIR_ENV = "ESPACE_TUI_DATA_DIR"
DATA_FILE = "espace-tui.json"
DIR_MODE = 0o700
FILE_MODE = 0o600


def user_path(typed: str | os.PathLike[str]) -> Path:
    """A path as typed, `~` and `~name` expanded as a shell would: an unknown user (`~0`)
    or no home at all leaves it as typed, a plain name."""
    path = Path(typed)
    try:
        return path.expanduser()
    except RuntimeError:
        return path


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return user_path(explicit)
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return user_path(env)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_data_dir() -> Path:
    """This process's own demo folder, apart from real clients.

    One per process: a second `--demo` must not wipe the data of a demo already open.
    Folders of demos whose process has ended are swept.
    """
    root = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo"
    if root.is_dir():
        for old in root.glob("demo-*"):
            pid = old.name.removeprefix("demo-")
            if pid.isdigit() and int(pid) != os.getpid() and not _process_alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    return root / f"demo-{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_file(data_file: Path) -> Path:
    """The sidecar every writer locks (never the data file, which os.replace swaps)."""
    return data_file.with_name(f"{data_file.name}.lock")


BACKUP_DIR = "sauvegardes"
DASHBOARD_LOCK = "dashboard.lock"
UNREADABLE_MARK = ".illisible-"  # a data file set aside by `restore`: espace-tui.json.illisible-…
TEMP_SUFFIX = ".tmp"


def own_data_entry(name: str) -> bool:
    """A name the program writes in the data folder (what it may tighten, never more)."""
    lock = f"{DATA_FILE}.lock"
    return (
        name in (DATA_FILE, lock, f"{lock}.holder", DASHBOARD_LOCK, f"{DASHBOARD_LOCK}.holder")
        or name.startswith(DATA_FILE + UNREADABLE_MARK)
        or (name.startswith(f".{DATA_FILE}.") and name.endswith(TEMP_SUFFIX))
    )
