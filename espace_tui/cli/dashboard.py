"""Opening the dashboard: the only place the CLI imports Textual (lazily)."""

from __future__ import annotations

import argparse
import shutil

from espace_tui.cli.context import Context
from espace_tui.store.paths import demo_data_dir
from espace_tui.workspace.demo import fill_demo


def prepare_demo(ctx: Context) -> Context:
    """A separate folder, filled afresh each time, so demo data never mixes with clients."""
    folder = demo_data_dir()
    if folder.exists():
        shutil.rmtree(folder)
    ctx.data_dir = folder
    fill_demo(ctx.store, ctx.clock.now())
    return ctx


# The dashboard's UI thread never waits long for another program's lock: a change that
# finds it taken is retried in the background, the screen saying so (MainScreen.run_safely).
DASHBOARD_LOCK_WAIT = 0.2


def open_dashboard(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    ctx.lock_timeout = DASHBOARD_LOCK_WAIT
    if args.demo:
        ctx = prepare_demo(ctx)
    from espace_tui.tui.launch import run_dashboard  # Textual is imported here, not before

    return run_dashboard(ctx)
