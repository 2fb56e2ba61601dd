"""Expert space commands: espace add | list | tick | attach."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.deadlines import STATUS_LABELS
from espace_tui.domain.display import format_countdown
from espace_tui.domain.french_dates import DATE_FORMS, parse_french_datetime
from espace_tui.domain.procedures import EXPERT_SPACE_SOFT_LIMIT, procedure


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    space = sub.add_parser("espace", parents=[common], help="espaces experts du cabinet")
    actions = space.add_subparsers(dest="space_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="déclare un espace expert")
    add.add_argument("id", metavar="ID", help="identifiant court, ex. principal")
    add.add_argument("--nom", default="", help="libellé")
    add.add_argument("--email-connexion", required=True, metavar="E")
    add.set_defaults(handler=cmd_space_add)
    lst = actions.add_parser("list", parents=[common], help="liste les espaces experts")
    lst.set_defaults(handler=cmd_space_list)
    tick = actions.add_parser("tick", parents=[common], help="coche une étape de création")
    tick.add_argument("id", metavar="ID")
    tick.add_argument("step", metavar="ÉTAPE")
    tick.add_argument("--at", metavar="DATE", help=f"quand (heure de Paris) : {DATE_FORMS}")
    tick.set_defaults(handler=cmd_space_tick)
    attach = actions.add_parser(
        "attach", parents=[common], help="rattache un dossier en mode expert à un espace expert"
    )
    attach.add_argument("siren", metavar="SIREN")
    attach.add_argument("id", metavar="ID", help="l'espace expert (espace list)")
    attach.set_defaults(handler=cmd_space_attach)


def cmd_space_add(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    space = ctx.workspace.add_space(args.id, args.nom, args.email_connexion)
    ctx.out.print(Text(f"Espace expert « {space.id} » créé ({space.login_email})."))
    return EXIT_OK


def cmd_space_list(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    spaces = ctx.workspace.spaces()
    if not spaces:
        ctx.out.print("Aucun espace expert. Déclarez-en un avec « espace-tui espace add ».")
        return EXIT_OK
    dossiers = ctx.workspace.dossiers()
    now = ctx.clock.now()
    table = Table()
    for header in ("ID", "Libellé", "E-mail de connexion", "SIREN", "Statut", "Échéance"):
        table.add_column(header)
    for space in spaces:
        state = ctx.workspace.state(space, now)
        members = len(ctx.workspace.space_members(space.id, dossiers))
        count = Text(
            f"{members}/{EXPERT_SPACE_SOFT_LIMIT}",
            style="red" if members > EXPERT_SPACE_SOFT_LIMIT else "",
        )
        deadline = format_countdown(state.next_deadline, now) if state.next_deadline else "—"
        table.add_row(
            Text(space.id), Text(space.label), Text(space.login_email), count,
            Text(STATUS_LABELS[state.status]), Text(deadline),
        )  # fmt: skip
    ctx.out.print(table)
    return EXIT_OK


def cmd_space_tick(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    at = parse_french_datetime(args.at, "--at", ctx.clock.now()) if args.at else None
    space = ctx.workspace.tick_space(args.id, args.step, at)
    label = procedure(space.procedure_id).step(args.step).label
    ctx.out.print(Text(f"Espace « {space.id} » : étape « {label} » faite."))
    return EXIT_OK


def cmd_space_attach(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    change = ctx.workspace.attach_space(args.siren, args.id)
    ctx.out.print(Text(change.message))
    for warning in change.warnings:
        ctx.warn(warning)
    return EXIT_OK
