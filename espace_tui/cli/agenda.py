"""`espace-tui agenda`: what is overdue, due today and this week, grouped by whom it waits on."""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from rich.table import Table
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.agenda import (
    OWNER_AGENDA_TITLES,
    Agenda,
    AgendaEntry,
    Bucket,
    build_agenda,
    item_siren,
    item_title,
)
from espace_tui.domain.display import format_countdown, format_datetime
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.selection import FILTER_HELP, parse_selection
from espace_tui.report.model import tracked_rows
from espace_tui.report.summary import iso

BUCKET_STYLES: dict[Bucket, str] = {
    Bucket.OVERDUE: "red",
    Bucket.TODAY: "bold red",
    Bucket.WEEK: "yellow",
    Bucket.LATER: "",
}


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    agenda = sub.add_parser(
        "agenda",
        parents=[common],
        help="échéances en retard, du jour et des N prochains jours (7 par défaut), par "
        "personne à relancer",
    )
    agenda.add_argument(
        "--jours", type=int, default=7, metavar="N", help="horizon en jours (défaut : 7)"
    )
    agenda.add_argument("--format", choices=["table", "json"], default="table")
    agenda.add_argument(
        "--filtre", action="append", default=[], metavar="CRITÈRE", help=FILTER_HELP
    )
    agenda.set_defaults(handler=cmd_agenda)


def entry_json(entry: AgendaEntry) -> dict[str, Any]:
    item = entry.item
    return {
        "bucket": entry.bucket.value,
        "kind": item.kind,
        "key": item.key,
        "name": item.name,
        "procedure": item.procedure_id,
        "step": item.step.id,
        "deadline": iso(item.deadline),
        "status": item.urgency.value,
        "waiting_on": item.waiting_on.value,
        "waiting_step": item.waiting_step.id,
        "action": item.action,
        "blocked": item.blocked,
    }


def print_agenda(ctx: Context, agenda: Agenda) -> None:
    now = agenda.now
    if not agenda.entries:
        ctx.out.print(Text(agenda.empty_text()))
        return
    ctx.out.print(Text(f"Agenda du {format_datetime(now)} : {agenda.summary()}.", style="bold"))
    for owner, entries in agenda.by_owner().items():
        if not entries:
            continue
        table = Table(
            title=f"{OWNER_AGENDA_TITLES[owner]} ({len(entries)})",
            title_justify="left",
            title_style="bold",
        )
        table.add_column("Échéance", no_wrap=True)
        table.add_column("Dossier")
        table.add_column("SIREN", no_wrap=True)
        table.add_column("À faire")
        previous: Bucket | None = None
        for entry in entries:
            if previous is not None and entry.bucket is not previous:
                table.add_section()
            previous = entry.bucket
            item = entry.item
            when = Text(format_datetime(item.deadline))
            when.append(f"\n{format_countdown(item.deadline, now)}", BUCKET_STYLES[entry.bucket])
            todo = Text(item.action + (" (dossier bloqué)" if item.blocked else ""))
            if item.step is not item.waiting_step and not item.expired:
                todo.append(f"\navant : {item.step.label}", style="dim")
            table.add_row(when, Text(item_title(item)), Text(item_siren(item)), todo)
        ctx.out.print(table)


def cmd_agenda(args: argparse.Namespace) -> int:
    if not 0 <= args.jours <= 366:
        raise InvalidInput("--jours", "donnez un nombre de jours entre 0 et 366.")
    selection = parse_selection(args.filtre)
    ctx = Context.from_args(args)
    # « qui » picks the deadlines waiting on that person, not whole dossiers.
    rows = tracked_rows(ctx.workspace, selection=replace(selection, owners=()))
    agenda = build_agenda(rows, ctx.clock.now(), timedelta(days=args.jours))
    if selection.owners:
        kept = tuple(e for e in agenda.entries if e.item.waiting_on in selection.owners)
        agenda = replace(agenda, entries=kept)
    if args.format == "json":
        print(json.dumps([entry_json(e) for e in agenda.entries], ensure_ascii=False, indent=2))
        return EXIT_OK
    print_agenda(ctx, agenda)
    return EXIT_OK
