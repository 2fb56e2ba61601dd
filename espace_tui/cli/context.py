"""What every command needs: the data folder, the store, the clock, a console."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rich.console import Console

from espace_tui.domain.clock import Clock, clock_from_env
from espace_tui.store.paths import resolve_data_dir
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace


@dataclass
class Context:
    data_dir: Path
    clock: Clock
    out: Console
    err: Console
    # Set by a command that only reads (list…): the store then never holds the file twice.
    reading: bool = False
    # How long a write waits for another program's lock (None: the store's default).
    lock_timeout: float | None = None
    # Set by a command that first reads the file its own way: `store.load()` reads it then.
    defer_load: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Context:
        return cls(
            data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
            clock=clock_from_env(),
            out=Console(highlight=False, soft_wrap=True),
            err=Console(stderr=True, highlight=False, soft_wrap=True),
        )

    @cached_property
    def store(self) -> Store:
        store = Store(
            self.data_dir,
            clock=self.clock,
            reading=self.reading,
            lock_timeout=self.lock_timeout,
            load=not self.defer_load,
        )
        for notice in store.notices:  # e.g. rights narrowed to 0600/0700
            self.warn(notice)
        return store

    @cached_property
    def workspace(self) -> Workspace:
        return Workspace(self.store, self.clock)

    def warn(self, text: str) -> None:
        from rich.text import Text

        from espace_tui.domain.errors import visible_controls

        # Warnings quote file contents (CSV headers…): never let them drive the terminal.
        self.err.print(Text(f"Attention : {visible_controls(text)}", style="yellow"))
