"""Which dossiers a command acts on: SIRENs typed, or `--filtre`, or both; and how a batch's
outcome is printed."""

from __future__ import annotations

import argparse

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.selection import FILTER_HELP, parse_selection
from espace_tui.workspace import BatchResult


def add_target_options(parser: argparse.ArgumentParser, *, preview: bool = True) -> None:
    parser.add_argument(
        "--filtre",
        action="append",
        default=[],
        metavar="CRITÈRE",
        help=f"les dossiers qui correspondent, en plus des SIREN donnés : {FILTER_HELP}",
    )
    if preview:
        parser.add_argument(
            "--apercu", action="store_true", help="montre ce qui changerait, sans rien enregistrer"
        )


def target_sirens(ctx: Context, sirens: list[str], filters: list[str]) -> list[str]:
    """Every SIREN typed (each must be a dossier: checked before anything changes), then the
    dossiers `--filtre` selects, most urgent first, without repeats."""
    if not sirens and not filters:
        raise InvalidInput("SIREN", "donnez au moins un SIREN, ou --filtre (ex. qui=client).")
    chosen = [ctx.workspace.get(s).siren for s in sirens]
    if filters:
        selection = parse_selection(filters)
        chosen += [d.siren for d in ctx.workspace.select(selection)]
        if not chosen:
            raise InvalidInput("--filtre", f"aucun dossier ne correspond ({selection.label}).")
    return list(dict.fromkeys(chosen))


def print_batch(ctx: Context, result: BatchResult, *, preview: bool) -> None:
    for dossier, change in result.done:
        ctx.out.print(Text(f"  {format_siren(dossier.siren)}  {dossier.name} : {change.message}"))
    for dossier, why in result.skipped:
        ctx.out.print(
            Text(f"  {format_siren(dossier.siren)}  {dossier.name} : ignoré ({why})", style="dim")
        )
    for warning in result.warnings:
        ctx.warn(warning)
    if preview:
        ctx.out.print(Text(f"Aperçu, rien n'a été enregistré — {result.summary()}"))
    else:
        undo = " « espace-tui undo » annule le tout." if len(result.done) > 1 else ""
        ctx.out.print(Text(result.summary() + undo))
