"""`espace-tui lettre SIREN…`: the e-mail asking the client to do its part, deadline filled
in; for several dossiers, one combined text or one file each."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.cli.export import add_overwrite_option, output_path
from espace_tui.cli.targets import add_target_options, target_sirens
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.mail_settings import smtp_from_settings
from espace_tui.report.export import write_export
from espace_tui.report.letter_mail import draft_bytes
from espace_tui.report.letters import (
    LETTERS,
    Letter,
    already_done,
    choose_letter,
    letter_warnings,
    render_letter,
)
from espace_tui.store.paths import user_path
from espace_tui.workspace import Workspace
from espace_tui.workspace.mail_out import recipient, send_letter

# Between two letters of a combined text: easy to spot, easy to cut.
SEPARATOR = "\n" + "─" * 60 + "\n\n"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    kinds = ", ".join(f"{t.id} ({t.label.lower()})" for t in LETTERS)
    letter = sub.add_parser(
        "lettre",
        parents=[common],
        help="rédige l'e-mail de relance du client (code, lien, mandat…) et le note "
        "dans l'historique, pour un ou plusieurs dossiers",
        description="Affiche un e-mail prêt à envoyer au client, l'échéance remplie. Sans "
        f"--type, la lettre qui correspond à l'étape attendue. Types : {kinds}.",
    )
    letter.add_argument(
        "siren", metavar="SIREN", nargs="*", help="un ou plusieurs SIREN (ou --filtre)"
    )
    letter.add_argument("--type", metavar="TYPE", help=", ".join(t.id for t in LETTERS))
    letter.add_argument(
        "-o",
        "--sortie",
        type=Path,
        metavar="FICHIER",
        help="écrit la lettre (plusieurs : toutes à la suite) dans ce fichier",
    )
    letter.add_argument(
        "--un-fichier-par-dossier",
        type=Path,
        metavar="DOSSIER",
        help="plusieurs dossiers : une lettre par fichier (lettre-SIREN-TYPE.txt) dans ce dossier",
    )
    add_target_options(letter, preview=False)
    add_overwrite_option(letter)
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
    if len(args.siren) == 1 and not args.filtre and args.un_fichier_par_dossier is None:
        return _one_letter(args, args.siren[0])
    for option, given in (("--envoyer", args.envoyer), ("--a", args.a), ("--eml", args.eml)):
        if given:
            raise InvalidInput(option, "pour un seul dossier à la fois.")
    target = None if args.sortie is None else output_path(args, args.sortie)
    folder = args.un_fichier_par_dossier
    if folder is not None:
        folder = user_path(folder)
        if not folder.is_dir():
            raise InvalidInput("--un-fichier-par-dossier", f"{folder} n'est pas un dossier.")
        if target is not None:
            raise InvalidInput("-o", "à choisir : -o (un fichier) ou --un-fichier-par-dossier.")
    return _many_letters(Context.from_args(args), args, target, folder)


def _one_letter(args: argparse.Namespace, siren: str) -> int:
    if args.envoyer and args.apercu:
        raise InvalidInput("--apercu", "incompatible avec --envoyer (l'envoi est noté).")
    if args.a and not (args.envoyer or args.eml):
        raise InvalidInput("--a", "sert avec --envoyer ou --eml.")
    target = None if args.sortie is None else output_path(args, args.sortie)
    draft = None if args.eml is None else output_path(args, args.eml, "--eml")
    ctx = Context.from_args(args)
    workspace = ctx.workspace
    dossier = workspace.get(siren)
    now = workspace.now()
    letter = _letter_for(workspace, dossier.siren, args.type)
    template = letter.template
    done = already_done(template, dossier)
    # With --a the address is given: only say that the client may have done it already.
    for warning in letter_warnings(template, dossier) if not args.a else [done] if done else []:
        ctx.warn(warning)
    if args.envoyer:
        change = send_letter(workspace, dossier, letter, to=args.a, ask_password=_ask_password)
        ctx.out.print(Text(change.message))
    if draft is not None:
        smtp = smtp_from_settings(workspace.settings())
        to = recipient(dossier, args.a) if (args.a or dossier.email_entreprise) else ""
        payload = draft_bytes(letter, sender=smtp.sender if smtp else "", to=to, now=now)
        write_export(draft, payload, overwrite=args.ecraser)
        ctx.err.print(Text(f"Brouillon écrit dans {draft} : ouvrez-le pour l'envoyer."))
        if not to:
            ctx.warn(f"{dossier.name} n'a pas d'e-mail d'entreprise : destinataire à remplir.")
    if target is not None:
        write_export(target, letter.text.encode("utf-8"), overwrite=args.ecraser)
        ctx.err.print(Text(f"Lettre écrite dans {target}."))
    elif not args.envoyer and draft is None:
        sys.stdout.write(letter.text)
        sys.stdout.flush()
    if not args.apercu and not args.envoyer:
        change = workspace.record_client_chased(dossier.siren, template.label)
        ctx.err.print(Text(f"Noté dans l'historique : {change.message}", style="dim"))
    return EXIT_OK


def _letter_for(workspace: Workspace, siren: str, type_id: str | None) -> Letter:
    dossier = workspace.get(siren)
    now = workspace.now()
    state = workspace.state(dossier, now)
    template = choose_letter(type_id, state)
    return render_letter(template, dossier, state, workspace.cabinet(), now)


def _many_letters(
    ctx: Context, args: argparse.Namespace, target: Path | None, folder: Path | None
) -> int:
    workspace = ctx.workspace
    letters: dict[str, Letter] = {}
    for siren in target_sirens(ctx, args.siren, args.filtre):
        dossier = workspace.get(siren)
        label = f"{format_siren(siren)} {dossier.name}"
        try:
            letter = _letter_for(workspace, siren, args.type)
        except UserError as err:
            ctx.warn(f"{label} : pas de lettre — {err.message}")
            continue
        done = already_done(letter.template, dossier)
        if done is not None:  # one by one it warns; in a batch it leaves that client alone
            ctx.warn(f"{label} : pas de lettre — {done}")
            continue
        for doubt in letter_warnings(letter.template, dossier):
            ctx.warn(doubt)
        letters[siren] = letter
    if not letters:
        raise UserError("Aucune lettre à écrire pour ces dossiers (voir ci-dessus pourquoi).")
    if folder is not None:
        for siren, letter in letters.items():
            path = output_path(args, folder / f"lettre-{siren}-{letter.template.id}.txt")
            write_export(path, letter.text.encode("utf-8"), overwrite=args.ecraser)
        ctx.err.print(Text(f"{len(letters)} lettre(s) écrite(s) dans {folder}."))
    elif target is not None:
        joined = SEPARATOR.join(x.text for x in letters.values()).encode("utf-8")
        write_export(target, joined, overwrite=args.ecraser)
        ctx.err.print(Text(f"{len(letters)} lettre(s) écrite(s) dans {target}."))
    else:
        sys.stdout.write(SEPARATOR.join(x.text for x in letters.values()))
        sys.stdout.flush()
    if not args.apercu:
        chases = {siren: letter.template.label for siren, letter in letters.items()}
        result = workspace.chase_many(chases)
        ctx.err.print(Text(f"Noté dans l'historique : {result.summary()}", style="dim"))
    return EXIT_OK
