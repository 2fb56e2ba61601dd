"""The status report in Markdown: a summary table, then one section per dossier."""

from __future__ import annotations

import re

from espace_tui.domain.deadlines import STATUS_LABELS
from espace_tui.domain.display import format_datetime
from espace_tui.domain.identifiers import format_siren
from espace_tui.report import fields
from espace_tui.report.model import COUNTS_TITLE, STATUS_ORDER, Report

# Inline characters Markdown would read as formatting, a link, a cell border or raw HTML
# (user text never starts a line here, so block markers like « # » or « - » are harmless).
_SPECIAL = re.compile(r"([\\`*_\[\]|<>~])")


def md(text: str) -> str:
    """User text shown literally: escaped, and kept on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: Report) -> str:
    now = report.generated_at
    out: list[str] = [
        f"# Suivi des espaces professionnels — {md(report.cabinet.name or 'Cabinet')}"
    ]
    out.append("")
    out.append(f"Rapport du {format_datetime(now)} (heure de Paris).")
    if report.cabinet.siren:
        out.append(f"SIREN du cabinet : {format_siren(report.cabinet.siren)}.")
    out += ["", f"**{COUNTS_TITLE}**, par statut :", "", "| Statut | Dossiers |", "|---|---:|"]
    out += [f"| {STATUS_LABELS[s]} | {report.counts[s]} |" for s in STATUS_ORDER]
    out.append(f"| **total** | **{report.total}** |")
    out += ["", f"**{report.selection_text}.**"]
    for summary in report.dossiers:
        out += ["", f"## {summary['siren_formatted']} — {md(summary['name'])}", ""]
        out.append(f"- **Statut** : {fields.status_label(summary)}")
        out.append(f"- **Procédure** : {fields.procedure_text(summary)}")
        if summary["space_id"]:
            out.append(f"- **Espace expert** : {md(summary['space_id'])}")
        out.append(
            f"- **Prochaine échéance** : {fields.deadline_text(summary['next_deadline'], now)}"
        )
        out.append(f"- **Étape suivante** : {md(fields.next_step_text(summary))}")
        out.append(f"- **Services** : {md(fields.services_text(summary))}")
        out.append(f"- **Compte et mandat** : {md(fields.mandate_text(summary))}")
        if summary["activation_code_masked"]:
            out.append(f"- **Code d'activation** : {md(summary['activation_code_masked'])}")
        blockages = fields.blockage_lines(summary)
        if blockages:
            out.append("- **Blocages ouverts** :")
            out += [f"  - {md(line)}" for line in blockages]
        if summary["notes"]:
            out.append(f"- **Notes** : {md(summary['notes'])}")
        out.append(f"- **Dernière relance** : {fields.last_chase_text(summary)}")
        out += ["", "| | Étape | Qui | Où en est-on |", "|---|---|---|---|"]
        for line in fields.step_lines(summary, now):
            mark = "✓" if line.done else "☐"
            state = line.state + (f" ({line.note})" if line.note else "")
            out.append(f"| {mark} | {md(line.label)} | {md(line.owner)} | {md(state)} |")
        history = fields.history_lines(summary)
        if history:
            out += ["", "Historique :", ""]
            out += [f"- {md(line)}" for line in history]
    return "\n".join(out) + "\n"
