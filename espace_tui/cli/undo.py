"""`espace-tui undo` / `redo`: the last change, whichever program made it, even before a
restart (the journal lives in the data file)."""

from __future__ import annotations

import argparse
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    undo = sub.add_parser(
        "undo",
        parents=[common],
        help="annule la dernière modification (faite ici ou dans le tableau de bord)",
    )
    undo.add_argument("--apercu", action="store_true", help="dit seulement ce qui serait annulé")
    undo.set_defaults(handler=cmd_undo)
    redo = sub.add_parser("redo", parents=[common], help="rétablit ce que undo a annulé")
    redo.add_argument("--apercu", action="store_true", help="dit seulement ce qui serait rétabli")
    redo.set_defaults(handler=cmd_redo)


def cmd_undo(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    if args.apercu:
        entry = ctx.workspace.next_undo()
        ctx.out.print(Text(f"À annuler : {entry.describe()}" if entry else "Rien à annuler."))
        return EXIT_OK
    ctx.out.print(Text(ctx.workspace.undo().message))
    return EXIT_OK


def cmd_redo(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    if args.apercu:
        entry = ctx.workspace.next_redo()
        ctx.out.print(Text(f"À rétablir : {entry.describe()}" if entry else "Rien à rétablir."))
        return EXIT_OK
    ctx.out.print(Text(ctx.workspace.redo().message))
    return EXIT_OK
