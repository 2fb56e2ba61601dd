"""Entry point from the CLI: take the instance lock, build the app, run it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.tui.app import EXIT_TERMINAL_GONE, create_app
from espace_tui.tui.instance_lock import InstanceLock
from espace_tui.tui.terminal_watch import drop_pending_output

if TYPE_CHECKING:
    from espace_tui.cli.context import Context


def run_dashboard(ctx: Context) -> int:
    lock = InstanceLock(ctx.data_dir)
    owner = lock.acquire()
    reason = "" if owner else lock.holder_message()
    try:
        app = create_app(ctx.workspace, read_only=not owner, read_only_reason=reason)
        result = app.run()
    finally:
        lock.release()
    if result == EXIT_TERMINAL_GONE:
        drop_pending_output()
    if app.return_code:  # a crash (see EspaceApp._handle_exception): never exit 0
        return app.return_code
    return EXIT_OK if result is None else result
