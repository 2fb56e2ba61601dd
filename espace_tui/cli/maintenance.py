"""Maintenance commands: list the backups, bring one back."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.table import Table
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from espace_tui.store.backups import backup_dir, list_backups
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
    if size < 1024:
        return f"{size} o"
    for unit in ("Ko", "Mo", "Go"):
        size_f = size / 1024
        if size_f < 1024 or unit == "Go":
            return f"{size_f:.1f} {unit}".replace(".", ",")
        size = int(size_f)
    raise AssertionError("unreachable")


def cmd_backups(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    found = list_backups(ctx.data_dir)
    if args.format == "json":
        payload = [
            {
                "file": str(b.path),
                "taken_at": b.taken_at.isoformat(),
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
    for header in ("Date", "Type", "Taille", "Dossiers", "Fichier"):
        table.add_column(header, justify="right" if header in ("Taille", "Dossiers") else "left")
    for b in found:
        when = b.taken_at.strftime("%d/%m/%Y") if b.daily else b.taken_at.strftime("%d/%m/%Y %H:%M")
        count = "illisible" if b.dossier_count is None else str(b.dossier_count)
        table.add_row(
            Text(when),
            Text(b.reason_label),
            Text(human_size(b.size)),
            Text(count),
            Text(b.path.name),
        )
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
    ctx.out.print(
        Text(f"Sauvegarde {done.backup.name} remise en place ({done.dossier_count} dossiers).")
    )
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
