"""`espace-tui lettre SIREN`: the e-mail asking the client to do its part, deadline filled in."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.mail_settings import smtp_from_settings
from espace_tui.report.export import check_output_path, write_export
from espace_tui.report.letter_mail import draft_bytes
from espace_tui.report.letters import LETTERS, choose_letter, render_letter
from espace_tui.workspace.mail_out import recipient, send_letter


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
    letter.add_argument(
        "--envoyer",
        action="store_true",
        help="envoie la lettre par e-mail (serveur de « espace-tui config smtp ») ; "
        "l'historique la note une fois acceptée par le serveur",
    )
    letter.add_argument(
        "--a", metavar="ADRESSE", help="destinataire (défaut : l'e-mail de l'entreprise)"
    )
    letter.add_argument(
        "--eml",
        type=Path,
        metavar="FICHIER",
        help="écrit un brouillon .eml (X-Unsent: 1) qu'Outlook ou Thunderbird ouvre prêt à envoyer",
    )
    letter.set_defaults(handler=cmd_letter)


def _ask_password() -> str | None:
    if not sys.stdin.isatty():
        return None
    return getpass.getpass("Mot de passe du serveur d'envoi : ") or None


def cmd_letter(args: argparse.Namespace) -> int:
    if args.envoyer and args.apercu:
        raise InvalidInput("--apercu", "incompatible avec --envoyer (l'envoi est noté).")
    if args.a and not (args.envoyer or args.eml):
        raise InvalidInput("--a", "sert avec --envoyer ou --eml.")
    target = None if args.sortie is None else check_output_path(args.sortie)
    draft = None if args.eml is None else check_output_path(args.eml, "--eml")
    ctx = Context.from_args(args)
    workspace = ctx.workspace
    dossier = workspace.get(args.siren)
    now = workspace.now()
    state = workspace.state(dossier, now)
    template = choose_letter(args.type, state)
    letter = render_letter(template, dossier, state, workspace.cabinet(), now)
    if args.envoyer:
        change = send_letter(workspace, dossier, letter, to=args.a, ask_password=_ask_password)
        ctx.out.print(Text(change.message))
    if draft is not None:
        smtp = smtp_from_settings(workspace.settings())
        to = recipient(dossier, args.a) if (args.a or dossier.email_entreprise) else ""
        payload = draft_bytes(letter, sender=smtp.sender if smtp else "", to=to, now=now)
        write_export(draft, payload)
        ctx.err.print(Text(f"Brouillon écrit dans {draft} : ouvrez-le pour l'envoyer."))
        if not to:
            ctx.warn(f"{dossier.name} n'a pas d'e-mail d'entreprise : destinataire à remplir.")
    if target is not None:
        write_export(target, letter.text.encode("utf-8"))
        ctx.err.print(Text(f"Lettre écrite dans {target}."))
    elif not args.envoyer and draft is None:
        sys.stdout.write(letter.text)
        sys.stdout.flush()
    if not args.apercu and not args.envoyer:
        change = workspace.record_client_chased(dossier.siren, template.label)
        ctx.err.print(Text(f"Noté dans l'historique : {change.message}", style="dim"))
    return EXIT_OK
