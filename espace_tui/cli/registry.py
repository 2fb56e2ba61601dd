"""`espace-tui annuaire SIREN`: what the company registry says of a SIREN (cached)."""

from __future__ import annotations

import argparse
from typing import Any

import orjson
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.clock import to_paris
from espace_tui.domain.errors import NotFound
from espace_tui.domain.identifiers import format_siren, normalize_siren
from espace_tui.domain.registry import ADDRESS_LABEL, CompanyRecord
from espace_tui.workspace.registry import Registry, RegistryUnavailable, open_registry

OFFLINE_HELP = "ne consulte pas l'annuaire des entreprises (seulement ce qui est en cache)"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cmd = sub.add_parser(
        "annuaire",
        parents=[common],
        help="ce que l'annuaire des entreprises dit d'un SIREN (nom, siège, état)",
        description="Interroge l'API Recherche d'entreprises (recherche-entreprises.api.gouv.fr,"
        " seul le SIREN est envoyé) et garde la réponse en cache dans le dossier des données.",
    )
    cmd.add_argument("siren", metavar="SIREN")
    cmd.add_argument("--hors-ligne", action="store_true", help=OFFLINE_HELP)
    cmd.add_argument(
        "--actualiser", action="store_true", help="interroge l'annuaire même si le cache répond"
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.set_defaults(handler=cmd_registry)


def registry_for(ctx: Context, offline: bool = False) -> Registry:
    return open_registry(ctx.data_dir, ctx.clock, ctx.store.settings(), offline=offline)


def record_lines(record: CompanyRecord, ctx: Context) -> list[str]:
    today = to_paris(ctx.clock.now()).date()
    lines = [
        f"{format_siren(record.siren)}  {record.name}",
        f"{ADDRESS_LABEL} : {record.address or 'non communiquée'}",
        "État : " + ("cessée" if record.ceased else "active"),
        f"Type : {record.kind_advice.label}"
        + (f" (forme juridique {record.legal_form})" if record.legal_form else ""),
    ]
    if record.created_on:
        lines.append(f"Créée le : {record.created_on:%d/%m/%Y}")
    lines.extend(f"À savoir : {w}" for w in record.warnings(today))
    return lines


def cmd_registry(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    siren = normalize_siren(args.siren)
    registry = registry_for(ctx, args.hors_ligne)
    record = registry.lookup(siren, refresh=args.actualiser)
    if record is None:
        raise NotFound(
            f"{format_siren(siren)} est inconnu de l'annuaire des entreprises (SIREN non "
            "diffusible, trop récent, ou erroné)."
        )
    if args.format == "json":
        print(orjson.dumps(record.as_json(), option=orjson.OPT_INDENT_2).decode())
        return EXIT_OK
    for line in record_lines(record, ctx):
        ctx.out.print(Text(line))
    return EXIT_OK


def siege_line(ctx: Context, siren: str) -> str:
    """« Adresse du siège (où part le courrier) : … » for `show`: the cache, else one lookup."""
    registry = registry_for(ctx)
    record = registry.cached(siren)
    if record is None and not registry.offline:
        try:
            record = registry.lookup(siren)
        except RegistryUnavailable as err:
            return f"{ADDRESS_LABEL} : inconnue ({err.message.rstrip('.')})"
    if record is None:
        where = "hors ligne, rien en cache" if registry.offline else "inconnue de l'annuaire"
        return f"{ADDRESS_LABEL} : {where}"
    return f"{ADDRESS_LABEL} : {record.address or 'non communiquée'}"
