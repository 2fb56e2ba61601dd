"""The status report as CSV for Excel in French: `;` separator, UTF-8 with a BOM.

A short preamble (cabinet, date, counts per status) comes first, then a blank line and one
row per dossier under a header row.
"""

from __future__ import annotations

import csv
import io

from espace_tui.domain.deadlines import STATUS_LABELS
from espace_tui.domain.display import format_datetime
from espace_tui.report import fields
from espace_tui.report.model import COUNTS_TITLE, STATUS_ORDER, Report

BOM = "\ufeff"
HEADER = (
    "SIREN",
    "Nom",
    "Mode",
    "Procédure",
    "Espace expert",
    "Statut",
    "Prochaine échéance",
    "Délai",
    "Étape suivante",
    "Étapes",
    "Blocages ouverts",
    "Services",
    "Compte et mandat",
    "Notes",
    "Dernière relance",
)
# Excel runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: Report) -> str:
    now = report.generated_at
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Cabinet", cell(report.cabinet.name)])
    writer.writerow(["Date du rapport", format_datetime(now)])
    for status in STATUS_ORDER:
        writer.writerow([f"{COUNTS_TITLE} : {STATUS_LABELS[status]}", report.counts[status]])
    writer.writerow([f"{COUNTS_TITLE} : total", report.total])
    label, _, selection = report.selection_text.partition(" : ")
    writer.writerow([label, selection])
    writer.writerow([])
    writer.writerow(HEADER)
    for summary in report.dossiers:
        steps = " | ".join(
            f"{'[x]' if line.done else '[ ]'} {line.label} ({line.owner}) : {line.state}"
            for line in fields.step_lines(summary, now)
        )
        writer.writerow(
            [
                summary["siren"],
                cell(summary["name"]),
                summary["mode_label"],
                summary["procedure_label"],
                cell(summary["space_id"] or ""),
                fields.status_label(summary),
                fields.when(summary["next_deadline"]),
                fields.countdown_text(summary["next_deadline"], now),
                fields.next_step_text(summary),
                steps,
                cell(" | ".join(fields.blockage_lines(summary))),
                fields.services_text(summary),
                fields.mandate_text(summary),
                cell(summary["notes"]),
                fields.last_chase_text(summary),
            ]
        )
    return BOM + buffer.getvalue()
