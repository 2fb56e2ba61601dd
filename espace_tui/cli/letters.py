"""`espace-tui lettre SIREN`: the e-mail asking the client to do its part, deadline filled in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.report.export import check_output_path, write_export
from espace_tui.report.letters import LETTERS, choose_letter, render_letter


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    kinds = ", ".join(f"{t.id} ({t.label.lower()})" for t in LETTERS)
    letter = sub.add_parser(
        "lettre",
        parents=[common],
        help="rédige l'e-mail de relance du client (code, lien, mandat…) et le note "
        "dans l'historique",
        description="Affiche un e-mail prêt à envoyer au client, l'échéance remplie. Sans "
        f"--type, la lettre qui correspond à l'étape attendue. Types : {kinds}.",
    )
    letter.add_argument("siren", metavar="SIREN")
    letter.add_argument("--type", metavar="TYPE", help=", ".join(t.id for t in LETTERS))
    letter.add_argument(
        "-o", "--sortie", type=Path, metavar="FICHIER", help="écrit la lettre dans ce fichier"
    )
    letter.add_argument(
        "--apercu",
        action="store_true",
        help="affiche seulement, sans noter la relance dans l'historique",
    )
    letter.set_defaults(handler=cmd_letter)


def cmd_letter(args: argparse.Namespace) -> int:
    target = None if args.sortie is None else check_output_path(args.sortie)
    ctx = Context.from_args(args)
    workspace = ctx.workspace
    dossier = workspace.get(args.siren)
    now = workspace.now()
    state = workspace.state(dossier, now)
    template = choose_letter(args.type, state)
    letter = render_letter(template, dossier, state, workspace.cabinet(), now)
    if target is None:
        sys.stdout.write(letter.text)
        sys.stdout.flush()
    else:
        write_export(target, letter.text.encode("utf-8"))
        ctx.err.print(Text(f"Lettre écrite dans {target}."))
    if not args.apercu:
        change = workspace.record_client_chased(dossier.siren, template.label)
        ctx.err.print(Text(f"Noté dans l'historique : {change.message}", style="dim"))
    return EXIT_OK
