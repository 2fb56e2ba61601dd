"""Dossier commands: add, tick, untick, date, list, show, import, demo, delete."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from espace_tui.cli import list_halves, plain_table
from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INVALID, EXIT_OK
from espace_tui.cli.registry import OFFLINE_HELP, registry_for, siege_line
from espace_tui.cli.targets import add_target_options, print_batch, target_sirens
from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import STATUS_LABELS, Status, TrackState
from espace_tui.domain.display import format_countdown, format_datetime, plural
from espace_tui.domain.dossier import MANDATE_STATE_LABELS, MODE_LABELS, Dossier
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.french_dates import DATE_FORMS, parse_french_datetime
from espace_tui.domain.history import last_chase
from espace_tui.domain.identifiers import format_siren, mask_iban, normalize_siren
from espace_tui.domain.procedures import FACT_LABELS, OWNER_LABELS, Fact
from espace_tui.domain.registry import check_not_ceased
from espace_tui.domain.selection import (
    FILTER_HELP,
    Selection,
    next_owner,
    owner_rank,
    parse_selection,
)
from espace_tui.domain.teleservices import (
    SERVICE_STATE_LABELS,
    TELESERVICES,
    TELESERVICES_BY_ID,
    parse_services,
)
from espace_tui.domain.validation import DossierDraft
from espace_tui.report.json_stream import json_array_chunks
from espace_tui.report.summary import dossier_summary
from espace_tui.store.collector import collector_paused
from espace_tui.workspace.csv_import import read_csv_file
from espace_tui.workspace.demo import fill_demo
from espace_tui.workspace.registry import RegistryUnavailable
from espace_tui.workspace.registry_fill import Completion, Rows, complete_names, rows_to_complete

# Rich styles per status (the CLI has no theme; the dashboard uses theme variables).
STATUS_STYLES: dict[Status, str] = {
    Status.OK: "green",
    Status.SOON: "yellow",
    Status.URGENT: "bold red",
    Status.EXPIRED: "red",
    Status.BLOCKED: "magenta",
    Status.DONE: "dim",
}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    add = sub.add_parser("add", parents=[common], help="ajoute un dossier client (un SIREN)")
    add.add_argument("siren", metavar="SIREN")
    add.add_argument(
        "--nom",
        help="raison sociale (absente : prise dans l'annuaire des entreprises)",
    )
    add.add_argument("--mode", required=True, help="simplifie ou expert")
    add.add_argument("--espace", default="", metavar="ID", help="espace expert (mode expert)")
    add.add_argument("--email-entreprise", default="", metavar="E")
    add.add_argument("--email-connexion", default="", metavar="E")
    add.add_argument("--iban", default="")
    add.add_argument("--bic", default="")
    # Kept for existing scripts, hidden: every account has both a CORE and a B2B mandate, and
    # the B2B one follows from the « Payer » services, not from a choice.
    add.add_argument("--mandat", default="B2B", help=argparse.SUPPRESS)
    add.add_argument("--notes", default="")
    add.add_argument(
        "--services",
        metavar="LISTE",
        help="services demandés, séparés par des virgules (identifiants ou libellés ; par "
        "défaut : ceux du mode ; voir « espace-tui services »)",
    )
    add.add_argument(
        "--force",
        action="store_true",
        help="ajoute même une entreprise cessée selon l'annuaire, ou dans un mode qu'elle ne "
        "peut pas utiliser (collectivité)",
    )
    add.add_argument("--hors-ligne", action="store_true", help=OFFLINE_HELP)
    add.set_defaults(handler=cmd_add)

    tick = sub.add_parser(
        "tick",
        parents=[common],
        help="coche une étape (maintenant ou --at), pour un ou plusieurs dossiers",
    )
    tick.add_argument(
        "siren", metavar="SIREN", nargs="*", help="un ou plusieurs SIREN (ou --filtre)"
    )
    tick.add_argument("step", metavar="ÉTAPE", help="identifiant de l'étape (voir « show »)")
    tick.add_argument("--at", metavar="DATE", help=f"quand (heure de Paris) : {DATE_FORMS}")
    add_target_options(tick)
    tick.set_defaults(handler=cmd_tick)

    untick = sub.add_parser("untick", parents=[common], help="décoche une étape")
    untick.add_argument("siren", metavar="SIREN")
    untick.add_argument("step", metavar="ÉTAPE")
    untick.set_defaults(handler=cmd_untick)

    date = sub.add_parser(
        "date",
        parents=[common],
        help="enregistre une date clé : courrier_imprime (impression du courrier) ou "
        "premier_paiement, pour un ou plusieurs dossiers",
        usage="espace-tui date [SIREN ...] QUOI [DATE] [--efface] [--filtre CRITÈRE] [--apercu]",
    )
    date.add_argument(
        "words",
        metavar="SIREN… QUOI [DATE]",
        nargs="+",
        help=f"les SIREN (ou --filtre), puis QUOI ({', '.join(f.value for f in Fact)}), puis "
        f"la date : {DATE_FORMS} ; absente avec --efface",
    )
    date.add_argument("--efface", action="store_true", help="efface la date")
    add_target_options(date)
    date.set_defaults(handler=cmd_date)

    lst = sub.add_parser("list", parents=[common], help="liste les dossiers par urgence")
    lst.add_argument("--format", choices=["table", "json"], default="table")
    lst.add_argument("--filtre", action="append", default=[], metavar="CRITÈRE", help=FILTER_HELP)
    lst.add_argument(
        "--tri",
        choices=["urgence", "qui"],
        default="urgence",
        help="ordre : urgence (défaut) ou qui (par personne qui doit agir, puis urgence)",
    )
    lst.add_argument(
        "--large",
        action="store_true",
        help="toutes les colonnes en entier sur une ligne, même si le terminal est étroit "
        "(comme dans un fichier ou un tube)",
    )
    lst.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", parents=[common], help="affiche un dossier et ses étapes")
    show.add_argument("siren", metavar="SIREN")
    show.set_defaults(handler=cmd_show)

    imp = sub.add_parser("import", parents=[common], help="importe une liste de clients (CSV)")
    imp.add_argument("file", metavar="FICHIER.csv", type=Path)
    imp.add_argument(
        "--skip-invalid", action="store_true", help="importe les lignes valides malgré les erreurs"
    )
    imp.add_argument(
        "--mode",
        choices=["simplifie", "expert"],
        help="mode des lignes qui n'en ont pas (et de tout le fichier sans colonne mode)",
    )
    imp.add_argument(
        "--completer",
        action="store_true",
        help="prend dans l'annuaire des entreprises les noms absents (seul le SIREN est envoyé)",
    )
    imp.add_argument("--hors-ligne", action="store_true", help=OFFLINE_HELP)
    imp.set_defaults(handler=cmd_import)

    demo = sub.add_parser(
        "demo", parents=[common], help="remplit un dossier vide avec un cabinet de démonstration"
    )
    demo.set_defaults(handler=cmd_demo)

    delete = sub.add_parser("delete", parents=[common], help="supprime un dossier")
    delete.add_argument("siren", metavar="SIREN")
    delete.add_argument("--oui", action="store_true", help="confirme la suppression")
    delete.set_defaults(handler=cmd_delete)

    services = sub.add_parser(
        "services",
        parents=[common],
        help="affiche ou fixe les services demandés pour un dossier (sans SIREN : le catalogue)",
    )
    services.add_argument("siren", metavar="SIREN", nargs="?")
    services.add_argument(
        "--fixe",
        metavar="LISTE",
        help="nouvelle liste, séparée par des virgules (remplace l'ancienne)",
    )
    services.set_defaults(handler=cmd_services)


def _report_change(ctx: Context, message: str, warnings: tuple[str, ...] | list[str]) -> None:
    ctx.out.print(Text(message))
    for warning in warnings:
        ctx.warn(warning)


def _registry_name(ctx: Context, args: argparse.Namespace) -> tuple[str, list[str]]:
    """The name to use and what the registry says the accountant should know.

    Without --nom the registry must answer; with it, the registry is only asked whether
    the company ceased (and its silence is no error)."""
    name: str | None = args.nom  # "" typed on purpose is refused by validation, as before
    siren = normalize_siren(args.siren)
    registry = registry_for(ctx, args.hors_ligne)
    try:
        record = registry.lookup(siren)
    except RegistryUnavailable as err:
        if name is None:
            raise InvalidInput(
                "--nom", f"annuaire injoignable : indiquez --nom ({err.detail})."
            ) from None
        return name, []
    if record is None:
        if name is None:
            raise InvalidInput(
                "--nom",
                f"{format_siren(siren)} est inconnu de l'annuaire des entreprises : vérifiez le "
                "SIREN ou indiquez --nom.",
            )
        return name, [f"{format_siren(siren)} est inconnu de l'annuaire des entreprises."]
    check_not_ceased(record, force=args.force)
    required = record.kind_advice.mode
    if required is not None and args.mode.strip().lower() != required.value and not args.force:
        raise InvalidInput(
            "--mode",
            f"{record.name} est une {record.kind_advice.label} : {record.kind_advice.advice} "
            f"Indiquez --mode {required.value} (ou --force).",
        )
    today = to_paris(ctx.clock.now()).date()
    notes = record.warnings(today)
    if name is None:
        name = record.name
        ctx.err.print(Text(f"Nom pris dans l'annuaire des entreprises : {record.name}."))
    return name, notes


def cmd_add(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    name, notes = _registry_name(ctx, args)
    draft = DossierDraft(
        siren=args.siren,
        name=name,
        mode=args.mode,
        space_id=args.espace,
        email_entreprise=args.email_entreprise,
        email_connexion=args.email_connexion,
        iban=args.iban,
        bic=args.bic,
        mandate_type=args.mandat,
        notes=args.notes,
        services=args.services,
    )
    change = ctx.workspace.add_dossier(draft)
    _report_change(ctx, change.message, [*notes, *change.warnings])
    return EXIT_OK


def cmd_tick(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    at = parse_french_datetime(args.at, "--at", ctx.clock.now()) if args.at else None
    if len(args.siren) == 1 and not args.filtre and not args.apercu:
        change = ctx.workspace.tick(args.siren[0], args.step, at)
        _report_change(ctx, change.message, change.warnings)
        return EXIT_OK
    sirens = target_sirens(ctx, args.siren, args.filtre)
    result = ctx.workspace.tick_many(sirens, args.step, at, preview=args.apercu)
    print_batch(ctx, result, preview=args.apercu)
    return EXIT_OK


def cmd_untick(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    change = ctx.workspace.untick(args.siren, args.step)
    _report_change(ctx, change.message, change.warnings)
    return EXIT_OK


def _date_words(words: list[str]) -> tuple[list[str], Fact, str | None]:
    """« SIREN… QUOI [DATE] »: QUOI is the first word naming a fact."""
    facts = {f.value: f for f in Fact}
    for index, word in enumerate(words):
        if word in facts:
            rest = words[index + 1 :]
            if len(rest) > 1:
                raise InvalidInput(
                    "DATE", f"une seule date attendue après {word} (reçu : {' '.join(rest)})."
                )
            return words[:index], facts[word], rest[0] if rest else None
    raise InvalidInput("QUOI", f"attendu : {' ou '.join(facts)} (après les SIREN).")


def cmd_date(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    sirens, fact, typed = _date_words(args.words)
    if args.efface:
        if typed is not None:
            raise InvalidInput("DATE", "pas de date avec --efface.")
        when = None
    elif typed is not None:
        when = parse_french_datetime(typed, FACT_LABELS[fact], ctx.clock.now())
    else:
        ctx.err.print("Erreur : DATE manquante (ou --efface pour l'effacer).")
        return EXIT_INVALID
    if len(sirens) == 1 and not args.filtre and not args.apercu:
        change = ctx.workspace.set_fact(sirens[0], fact, when)
        _report_change(ctx, change.message, change.warnings)
        return EXIT_OK
    targets = target_sirens(ctx, sirens, args.filtre)
    result = ctx.workspace.set_fact_many(targets, fact, when, preview=args.apercu)
    print_batch(ctx, result, preview=args.apercu)
    return EXIT_OK


def status_text(status: Status) -> Text:
    return Text(STATUS_LABELS[status], style=STATUS_STYLES[status])


def selected_rows(
    ctx: Context, selection: Selection, order: str = "urgence"
) -> list[tuple[Dossier, TrackState]]:
    """The dossiers `--filtre` keeps, most urgent first (or grouped by who must act)."""
    rows = [(d, s) for d, s in ctx.workspace.by_urgency() if selection.matches(d, s)]
    if order == "qui":
        rows.sort(key=lambda row: owner_rank(next_owner(row[1])))  # stable: urgency inside
    return rows


# At 80 columns the client's name stays readable: the next step goes under the row, then the
# deadline's date (its countdown stays), then the mode are dropped. --large keeps everything.
LIST_NARROW = plain_table.Narrow(readable="Nom", own_line="Étape suivante", drop=("Date", "Mode"))


def print_table(
    ctx: Context, selection: Selection | None = None, order: str = "urgence", *, full: bool = False
) -> None:
    wanted = selection or Selection()
    rows = selected_rows(ctx, wanted, order)
    if not rows and not wanted.empty:
        ctx.out.print(Text(f"Aucun dossier ne correspond au filtre ({wanted.label})."))
        return
    if not rows:
        ctx.out.print(
            f"Aucun dossier pour l'instant dans {ctx.data_dir}. Ajoutez-en un avec "
            "« espace-tui add », importez une liste avec « espace-tui import », "
            "ou essayez « espace-tui --demo »."
        )
        return
    now = ctx.clock.now()
    # A light table: Rich's Table took ~10 s to lay out 10,000 dossiers.
    plain_table.print_table(
        ctx.out,
        f"{len(rows)} dossier{'s' if len(rows) > 1 else ''}, "
        + ("par personne qui doit agir" if order == "qui" else "par urgence")
        + (f" ({wanted.label})" if not wanted.empty else ""),
        ("SIREN", "Nom", "Mode", "Statut", "Échéance", "Date", "Étape suivante"),
        [_row_cells(dossier, state, now) for dossier, state in rows],
        flexible=("Nom", "Étape suivante"),
        narrow=LIST_NARROW,
        full=full,
    )


def _row_cells(dossier: Dossier, state: TrackState, now: Any) -> tuple[str | Text, ...]:
    """Plain strings (never parsed as markup) and the styled status."""
    deadline = date = "—"
    if state.next_deadline is not None:
        deadline = format_countdown(state.next_deadline, now)
        date = format_datetime(state.next_deadline)
    next_step = state.next_step
    step = "—"
    if next_step is not None:
        step = f"{OWNER_LABELS[next_step.template.owner]} : {next_step.template.label}"
    return (
        format_siren(dossier.siren),
        dossier.name,
        MODE_LABELS[dossier.mode],
        status_text(state.status),
        deadline,
        date,
        step,
    )


def cmd_list(args: argparse.Namespace) -> int:
    selection = parse_selection(args.filtre)
    ctx = Context.from_args(args)
    ctx.reading = True  # 100,000 dossiers: the parsed file is not kept beside the dossiers
    if args.format == "json":
        ctx.defer_load = True  # a big file is read by halves, in two processes
        with collector_paused():
            if list_halves.write_json(ctx, selection, args.tri, sys.stdout.buffer):
                return EXIT_OK
            ctx.store.load()
            rows = selected_rows(ctx, selection, args.tri)
            # Same text as json.dumps(indent=2), written piece by piece: with 100,000 dossiers
            # the whole list and its text would take gigabytes.
            out = sys.stdout.buffer
            for piece in json_array_chunks(dossier_summary(d, s) for d, s in rows):
                out.write(piece)
            out.write(b"\n")
            out.flush()
        return EXIT_OK
    print_table(ctx, selection, args.tri, full=args.large)
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    dossier = ctx.workspace.get(args.siren)
    now = ctx.clock.now()
    state = ctx.workspace.state(dossier, now)
    title = Text(f"{format_siren(dossier.siren)}  {dossier.name}  ", style="bold")
    title.append_text(status_text(state.status))
    ctx.out.print(title)
    ctx.out.print(
        Text(
            f"{state.procedure.label}"
            + (f" — espace « {dossier.space_id} »" if dossier.space_id else "")
        )
    )
    ctx.out.print(Text(siege_line(ctx, dossier.siren)))
    table = Table(show_header=True, box=None, padding=(0, 1))
    for header in ("", "Étape", "Qui", "Fait le", "Échéance"):
        table.add_column(header)
    for step in state.steps:
        if not step.applies:
            continue
        mark = "[x]" if step.done else "[ ]"
        deadline = ""
        if step.deadline is not None and not step.done:
            deadline = f"{format_countdown(step.deadline, now)} ({format_datetime(step.deadline)})"
            if step.anchor_note:
                deadline += " *"
        table.add_row(
            Text(mark),
            Text(f"{step.template.id} — {step.template.label}"),
            Text(OWNER_LABELS[step.template.owner]),
            Text(format_datetime(step.done_at) if step.done_at else ""),
            Text(deadline, style=STATUS_STYLES.get(step.urgency, "")),
        )
    ctx.out.print(table)
    for step in state.steps:
        if step.anchor_note and not step.done:
            ctx.out.print(Text(f"* {step.anchor_note}", style="dim"))
        if step.expired and step.template.countdown:
            ctx.out.print(
                Text(
                    f"{step.template.countdown.expiry} À faire : {step.template.countdown.remedy}.",
                    style="red",
                )
            )
    if dossier.bank:
        ctx.out.print(
            Text(
                f"Compte : {mask_iban(dossier.bank.iban)} — mandat B2B : "
                f"{MANDATE_STATE_LABELS[dossier.bank.mandate_state]}"
            )
        )
    if dossier.notes:
        ctx.out.print(Text(f"Notes : {dossier.notes}"))
    chase = last_chase(dossier.history)
    ctx.out.print(Text(f"Dernière relance : {format_datetime(chase.at) if chase else 'jamais'}"))
    ctx.out.print(Text(f"Historique ({len(dossier.history)}) :", style="bold"))
    for entry in reversed(dossier.history):
        line = Text(f"  {format_datetime(entry.at)}  ", style="dim")
        line.append(entry.detail)
        ctx.out.print(line)
    return EXIT_OK


def _complete_names(ctx: Context, args: argparse.Namespace, rows: Rows) -> Completion:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    registry = registry_for(ctx, args.hors_ligne)
    total = rows_to_complete(rows)
    with Progress(
        TextColumn("Annuaire des entreprises"),
        BarColumn(),
        MofNCompleteColumn(),
        console=ctx.err,
        transient=True,
        disable=total == 0,
    ) as bar:
        task = bar.add_task("annuaire", total=total)
        done = complete_names(rows, registry, lambda n, _: bar.update(task, completed=n))
    if done.filled:
        ctx.err.print(Text(f"{done.filled} nom(s) pris dans l'annuaire des entreprises."))
    return done


def cmd_import(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    parsed = read_csv_file(args.file, default_mode=args.mode or "", names_later=args.completer)
    for notice in parsed.notices:
        ctx.warn(notice)
    if parsed.ignored_columns:
        ctx.warn(f"colonnes ignorées : {', '.join(parsed.ignored_columns)}")
    rows, completion_errors = parsed.rows, []
    if args.completer:
        done = _complete_names(ctx, args, rows)
        rows, completion_errors = done.rows, done.errors
        for warning in done.warnings:
            ctx.warn(warning)
    early = parsed.errors + completion_errors
    # All or nothing: rows refused before validation also stop the whole import.
    report = ctx.workspace.import_drafts(
        rows, skip_invalid=args.skip_invalid, dry_run=bool(early) and not args.skip_invalid
    )
    errors = sorted(early + report.errors)
    for line, reason in errors:
        ctx.err.print(Text(f"Ligne {line} : {reason}"))
    for warning in report.warnings:
        ctx.warn(warning)
    if errors and not args.skip_invalid:
        ctx.err.print(
            Text(
                f"Rien n'a été importé : {len(errors)} ligne(s) en erreur. Corrigez-les, ou "
                "relancez avec --skip-invalid pour importer les lignes valides."
            )
        )
        return EXIT_INVALID
    ctx.out.print(
        Text(
            f"{len(report.imported)} dossier(s) importé(s)"
            + (f", {len(errors)} ligne(s) ignorée(s)." if errors else ".")
        )
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    if ctx.store.dossier_count() or ctx.store.spaces():
        raise UserError(
            f"{ctx.data_dir} contient déjà des dossiers : la démonstration ne se mélange pas "
            "aux vrais clients. Utilisez un dossier vide (--data-dir) ou « espace-tui --demo »."
        )
    count = fill_demo(ctx.store, ctx.clock.now())
    ctx.out.print(
        Text(f"Cabinet de démonstration créé : {plural(count, 'dossier')} dans {ctx.data_dir}.")
    )
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    dossier = ctx.workspace.get(args.siren)
    if not args.oui:
        ctx.err.print(
            Text(
                f"Supprimer {format_siren(dossier.siren)} ({dossier.name}) ? Relancez avec --oui "
                "pour confirmer."
            )
        )
        return EXIT_FAILURE
    change = ctx.workspace.delete_dossier(dossier.siren)
    _report_change(ctx, change.message, change.warnings)
    return EXIT_OK


def summaries(ctx: Context) -> list[dict[str, Any]]:
    return [dossier_summary(d, s) for d, s in ctx.workspace.by_urgency()]


def cmd_services(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    if args.siren is None:
        for service in TELESERVICES:
            extra = " (adhésion complémentaire en mode simplifié)" if service.complementary else ""
            ctx.out.print(Text(f"{service.id:<22} {service.label}{extra}"))
        return EXIT_OK
    if args.fixe is not None:
        change = ctx.workspace.set_services(args.siren, list(parse_services(args.fixe)))
        _report_change(ctx, change.message, change.warnings)
        return EXIT_OK
    dossier = ctx.workspace.get(args.siren)
    if not dossier.services:
        ctx.out.print("Aucun service demandé pour ce dossier.")
    for sid, state in dossier.services.items():
        label = TELESERVICES_BY_ID[sid].label if sid in TELESERVICES_BY_ID else sid
        ctx.out.print(Text(f"{label} : {SERVICE_STATE_LABELS[state]}"))
    return EXIT_OK
