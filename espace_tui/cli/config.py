"""`espace-tui config`: the outgoing mail server and the company registry's offline switch."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.alert_settings import SETTING_KEY as ALERTS_KEY
from espace_tui.domain.alert_settings import AlertSettings, alert_settings
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.mail_settings import SETTING_KEY, clean_smtp, smtp_from_settings
from espace_tui.workspace.mail_out import PASSWORD_ENV, store_in_keyring
from espace_tui.workspace.registry import OFFLINE_SETTING, base_url

YES_NO = {"oui": True, "non": False}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    config = sub.add_parser(
        "config",
        parents=[common],
        help="réglages : serveur d'envoi des e-mails (smtp), annuaire des entreprises",
        description="Sans sous-commande : affiche les réglages (jamais de mot de passe).",
    )
    config.set_defaults(handler=cmd_show_config)
    inner = config.add_subparsers(dest="config_command", metavar="REGLAGE")

    smtp = inner.add_parser(
        "smtp",
        parents=[common],
        help="serveur d'envoi des lettres aux clients",
        description="Le mot de passe n'est jamais écrit dans le dossier des données : il vient "
        f"du trousseau du système (--trousseau), de {PASSWORD_ENV}, ou est demandé au premier "
        "envoi.",
    )
    smtp.add_argument("--hote", required=True, metavar="HOTE", help="ex. smtp.cabinet.fr")
    smtp.add_argument("--port", metavar="PORT", help="défaut : 587 (starttls), 465 (ssl)")
    smtp.add_argument(
        "--securite",
        required=True,
        choices=["starttls", "ssl", "aucune"],
        help="« aucune » seulement pour un serveur local",
    )
    smtp.add_argument("--utilisateur", default="", metavar="U", help="identifiant de connexion")
    smtp.add_argument("--expediteur", required=True, metavar="ADRESSE", help="adresse From")
    smtp.add_argument(
        "--trousseau",
        action="store_true",
        help="demande le mot de passe et le garde dans le trousseau du système",
    )
    smtp.set_defaults(handler=cmd_config_smtp)

    registry = inner.add_parser(
        "annuaire", parents=[common], help="consulter ou non l'annuaire des entreprises"
    )
    registry.add_argument("--hors-ligne", required=True, choices=sorted(YES_NO))
    registry.set_defaults(handler=cmd_config_registry)

    alerts = inner.add_parser(
        "alertes",
        parents=[common],
        help="alertes du tableau de bord quand un dossier devient urgent ou expire",
    )
    alerts.add_argument("--notification", choices=sorted(YES_NO), help="dans le tableau de bord")
    alerts.add_argument("--sonnerie", choices=sorted(YES_NO), help="sonnerie du terminal")
    alerts.add_argument(
        "--bureau", choices=sorted(YES_NO), help="notification du bureau (OSC 9/777, notify-send)"
    )
    alerts.set_defaults(handler=cmd_config_alerts)


def cmd_show_config(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    settings = ctx.store.settings()
    smtp = smtp_from_settings(settings)
    if smtp is None:
        ctx.out.print("Envoi des e-mails : non configuré (espace-tui config smtp).")
    else:
        who = f", utilisateur {smtp.user}" if smtp.user else ", sans authentification"
        ctx.out.print(
            Text(
                f"Envoi des e-mails : {smtp.host}:{smtp.port} ({smtp.security.value}{who}), "
                f"expéditeur {smtp.sender}"
            )
        )
    offline = bool(settings.get(OFFLINE_SETTING, False))
    ctx.out.print(
        Text(
            "Annuaire des entreprises : "
            + ("hors ligne (jamais consulté)" if offline else f"consulté ({base_url()})")
        )
    )
    ctx.out.print(Text(f"Alertes du tableau de bord : {alert_settings(settings).describe()}"))
    return EXIT_OK


def cmd_config_smtp(args: argparse.Namespace) -> int:
    smtp = clean_smtp(args.hote, args.port, args.securite, args.expediteur, args.utilisateur)
    ctx = Context.from_args(args)
    ctx.workspace.set_setting(SETTING_KEY, smtp.as_json())
    ctx.out.print(
        Text(f"Serveur d'envoi enregistré : {smtp.host}:{smtp.port} ({smtp.security.value}).")
    )
    if args.trousseau:
        if not smtp.user:
            raise InvalidInput("--trousseau", "sans --utilisateur, pas de mot de passe à garder.")
        if not sys.stdin.isatty():
            raise InvalidInput("--trousseau", "le mot de passe se tape dans un terminal.")
        password = getpass.getpass(f"Mot de passe SMTP de {smtp.user} : ")
        if password and store_in_keyring(smtp, password):
            ctx.out.print("Mot de passe gardé dans le trousseau du système.")
        else:
            ctx.warn(
                f"trousseau du système indisponible : le mot de passe sera demandé à chaque "
                f"envoi (ou mettez-le dans {PASSWORD_ENV})."
            )
    return EXIT_OK


def cmd_config_registry(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    offline = YES_NO[args.hors_ligne]
    ctx.workspace.set_setting(OFFLINE_SETTING, offline)
    ctx.out.print(
        "Annuaire des entreprises : "
        + ("jamais consulté (hors ligne)." if offline else "consulté quand il le faut.")
    )
    return EXIT_OK


def cmd_config_alerts(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    current = alert_settings(ctx.store.settings())
    chosen = AlertSettings(
        toast=current.toast if args.notification is None else YES_NO[args.notification],
        bell=current.bell if args.sonnerie is None else YES_NO[args.sonnerie],
        desktop=current.desktop if args.bureau is None else YES_NO[args.bureau],
    )
    ctx.workspace.set_setting(ALERTS_KEY, chosen.as_json())
    ctx.out.print(Text(f"Alertes du tableau de bord : {chosen.describe()}."))
    return EXIT_OK
