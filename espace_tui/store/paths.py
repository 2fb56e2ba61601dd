"""Where the data lives: --data-dir, then ESPACE_TUI_DATA_DIR, then the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "espace-tui"
DATA_DIR_ENV = "ESPACE_TUI_DATA_DIR"
DATA_FILE = "espace-tui.json"
DIR_MODE = 0o700
FILE_MODE = 0o600


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def demo_data_dir() -> Path:
    """A folder of its own so demo data never mixes with real clients."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "demo"


def lock_file(data_file: Path) -> Path:
    """The sidecar every writer locks (never the data file, which os.replace swaps)."""
    return data_file.with_name(f"{data_file.name}.lock")
