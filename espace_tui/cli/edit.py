"""`espace-tui edit SIREN`: change a dossier's fields from the command line, with the same
validation, history and undo as the dashboard's edit form. Options not given stay as they
are; an empty value (`--notes ""`) clears the field."""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from espace_tui.domain.dossier import MODE_LABELS, Dossier, Mode
from espace_tui.domain.procedures import procedure
from espace_tui.domain.validation import DossierDraft, clean_mode
from espace_tui.workspace.core import events_summary

# option dest -> DossierDraft field
FIELDS = {
    "nom": "name",
    "mode": "mode",
    "espace": "space_id",
    "email_entreprise": "email_entreprise",
    "email_connexion": "email_connexion",
    "iban": "iban",
    "bic": "bic",
    "mandat": "mandate_type",
    "notes": "notes",
}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    edit = sub.add_parser(
        "edit",
        parents=[common],
        help="modifie un dossier (seulement les options données ; valeur vide : effacée)",
    )
    edit.add_argument("siren", metavar="SIREN")
    edit.add_argument("--nom", help="raison sociale")
    edit.add_argument(
        "--mode", help="simplifie ou expert (la procédure recommence : il faut --oui)"
    )
    edit.add_argument("--espace", metavar="ID", help="espace expert (mode expert)")
    edit.add_argument("--email-entreprise", metavar="E")
    edit.add_argument("--email-connexion", metavar="E")
    edit.add_argument("--iban")
    edit.add_argument("--bic")
    # Hidden (kept for scripts): the B2B mandate follows from the « Payer » services.
    edit.add_argument("--mandat", help=argparse.SUPPRESS)
    edit.add_argument("--notes")
    edit.add_argument(
        "--oui", action="store_true", help="confirme un changement de mode (étapes effacées)"
    )
    edit.set_defaults(handler=cmd_edit)


def draft_of(dossier: Dossier) -> DossierDraft:
    """The dossier as the edit form shows it."""
    bank = dossier.bank
    return DossierDraft(
        siren=dossier.siren,
        name=dossier.name,
        mode=dossier.mode.value,
        space_id=dossier.space_id or "",
        email_entreprise=dossier.email_entreprise,
        email_connexion=dossier.email_connexion,
        iban=bank.iban if bank else "",
        bic=bank.bic if bank else "",
        mandate_type=bank.mandate_type.value if bank else "B2B",
        notes=dossier.notes,
    )


def mode_change_text(dossier: Dossier, new_mode_label: str) -> str:
    """What a mode change does to the checklist, in the user's words."""
    done = events_summary(procedure(dossier.procedure_id), dossier.events)
    text = (
        f"Passer {dossier.name} du mode {MODE_LABELS[dossier.mode]} au mode {new_mode_label} "
        "recommence la procédure : la liste des étapes devient celle du nouveau mode et "
        "repart de zéro"
    )
    if done:
        return text + f" ; étapes cochées effacées (l'historique les garde) : {done}."
    return text + " (aucune étape n'était cochée)."


def cmd_edit(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    workspace = ctx.workspace
    base = workspace.get(args.siren)
    given = {field: getattr(args, dest) for dest, field in FIELDS.items()}
    given = {field: value for field, value in given.items() if value is not None}
    if not given:
        ctx.err.print(
            Text("Rien à modifier : donnez au moins une option (--nom, --mode, --notes…).")
        )
        return EXIT_FAILURE
    draft = DossierDraft(**{**draft_of(base).__dict__, **given})
    if "mode" in given:
        mode = clean_mode(given["mode"])
        if mode is not base.mode:
            explained = mode_change_text(base, MODE_LABELS[mode])
            if base.events and not args.oui:
                ctx.err.print(Text(f"{explained} Relancez avec --oui pour confirmer."))
                return EXIT_FAILURE
            ctx.out.print(Text(explained))
            spaces = workspace.spaces()
            if mode is Mode.EXPERT and "space_id" not in given and len(spaces) == 1:
                # As `add` does: the cabinet's only expert space.
                draft = replace(draft, space_id=spaces[0].id)
    change = workspace.edit_dossier(base.siren, draft, base=base)
    ctx.out.print(Text(change.message))
    for warning in change.warnings:
        ctx.warn(warning)
    return EXIT_OK
