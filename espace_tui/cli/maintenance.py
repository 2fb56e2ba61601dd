"""Maintenance commands: list the backups, bring one back."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from espace_tui.domain.clock import PARIS
from espace_tui.domain.display import format_date, format_datetime, format_size, plural
from espace_tui.store.backups import Backup, backup_dir, list_backups
from espace_tui.store.paths import DATA_FILE
from espace_tui.store.restore import find_backup, restore_backup


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    lst = sub.add_parser(
        "backups",
        parents=[common],
        help="liste les sauvegardes (une par jour, les 14 dernières, et avant chaque migration)",
    )
    lst.add_argument("--format", choices=["table", "json"], default="table")
    lst.set_defaults(handler=cmd_backups)

    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="remet une sauvegarde en place (le fichier actuel est gardé à côté, renommé)",
    )
    restore.add_argument(
        "backup",
        metavar="SAUVEGARDE",
        nargs="?",
        help="fichier ou date (voir « espace-tui backups ») ; par défaut la plus récente",
    )
    restore.add_argument(
        "--oui",
        action="store_true",
        help="confirme quand le fichier actuel est lisible (ses données seront remplacées)",
    )
    restore.set_defaults(handler=cmd_restore)


def human_size(size: int) -> str:
    return format_size(size)


def paris_time(backup: Backup) -> datetime:
    """The instant a backup was taken; its name holds the Paris wall time."""
    return backup.taken_at.replace(tzinfo=PARIS)


def cmd_backups(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    found = list_backups(ctx.data_dir)
    if args.format == "json":
        payload = [
            {
                "file": str(b.path),
                "taken_at": paris_time(b).isoformat(),
                # When the data it holds was saved: what orders and rotates backups.
                "saved_at": b.holds_data_of.astimezone(PARIS).isoformat(),
                "kind": b.reason,
                "size_bytes": b.size,
                "dossier_count": b.dossier_count,
            }
            for b in found
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        ctx.out.print(
            Text(
                f"Aucune sauvegarde pour l'instant dans {backup_dir(ctx.data_dir)} : la première "
                "est prise avant la première modification de la journée."
            )
        )
        return EXIT_OK
    table = Table(title=f"{len(found)} sauvegarde(s) dans {backup_dir(ctx.data_dir)}")
    table.title_justify = "left"
    # The file name is what `restore` takes: never cut with « … », so it has a line of its
    # own (52 characters for a named backup) and the date and type go below it.
    table.add_column("Sauvegarde", min_width=max(len(b.path.name) for b in found), overflow="fold")
    table.add_column("Taille", justify="right", no_wrap=True)
    table.add_column("Dossiers", justify="right")
    for b in found:
        taken_at = paris_time(b)
        when = format_date(taken_at) if b.daily else format_datetime(taken_at)
        count = "illisible" if b.dossier_count is None else str(b.dossier_count)
        name = Text(b.path.name, style="bold", no_wrap=True, overflow="fold")
        name.append(f"\n{when} · {b.reason_label}", style="dim")
        table.add_row(name, Text(human_size(b.size)), Text(count))
    ctx.out.print(table)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    backup = find_backup(ctx.data_dir, args.backup)
    current = ctx.data_dir / DATA_FILE
    if current.exists() and not args.oui and _readable_now(ctx):
        ctx.err.print(
            Text(
                f"{current} est lisible : le remplacer par {backup.name} effacerait les "
                "modifications faites depuis (il serait gardé dans les sauvegardes). Relancez "
                "avec --oui pour confirmer."
            )
        )
        return EXIT_FAILURE
    done = restore_backup(ctx.data_dir, backup, ctx.clock.now())
    count = plural(done.dossier_count, "dossier")
    ctx.out.print(Text(f"Sauvegarde {done.backup.name} remise en place ({count})."))
    if done.kept_aside is not None:
        state = "" if done.replaced_was_readable else " (illisible)"
        ctx.out.print(Text(f"Le fichier remplacé{state} est gardé sous {done.kept_aside}."))
    return EXIT_OK


def _readable_now(ctx: Context) -> bool:
    from espace_tui.store.errors import StoreCorruptError

    try:
        ctx.store.dossiers()
    except StoreCorruptError:
        return False
    return True
