"""The status report as one self-contained HTML page, printable: a page per client section.

No external resource (inline CSS, no script, no font or image to fetch), so the file opens
offline and prints to PDF from any browser. Every piece of user text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import STATUS_LABELS, Status
from espace_tui.domain.display import format_long_date
from espace_tui.domain.identifiers import format_siren
from espace_tui.report import fields
from espace_tui.report.model import COUNTS_TITLE, STATUS_ORDER, Report

_CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d5dae1; --paper: #ffffff; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
  background: #eef1f5; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
header.cover, section.dossier { background: var(--paper); border: 1px solid var(--line);
  border-radius: 6px; padding: 1.2rem 1.5rem; margin-bottom: 1.2rem; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 0 0 .6rem; display: flex; gap: .6rem; align-items: baseline;
  flex-wrap: wrap; }
.muted { color: var(--muted); }
.siren { font-variant-numeric: tabular-nums; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin-top: .6rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
  border-bottom: 1px solid var(--line); }
th { font-size: .85rem; color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.counts { width: auto; min-width: 18rem; }
table.counts caption { text-align: left; font-weight: 600; }
p.selection { font-weight: 600; margin-top: .8rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; white-space: pre-line; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; border: 1px solid transparent; white-space: nowrap; }
.s-ok { background: #e3f4e8; color: #17613a; border-color: #a9d8b8; }
.s-soon { background: #fff4d6; color: #7a5300; border-color: #f0d189; }
.s-urgent { background: #fde2e0; color: #a01a12; border-color: #f3a59f; }
.s-expired { background: #f3d3d3; color: #6e0d0d; border-color: #d99a9a; }
.s-blocked { background: #efe2f7; color: #5d2382; border-color: #cfb0e3; }
.s-done { background: #eceff3; color: #4a5260; border-color: #cfd5dd; }
tr.done td { color: var(--muted); }
.mark { width: 1.5rem; text-align: center; }
.alert { border-left: 4px solid #c0392b; background: #fdf0ef; padding: .4rem .7rem;
  margin: .6rem 0 0; }
.note { font-size: .85rem; color: var(--muted); }
h3.history { font-size: 1rem; margin: .8rem 0 .2rem; }
ul.history { margin: 0; padding-left: 1.2rem; font-size: .85rem; color: var(--muted); }
footer { font-size: .8rem; color: var(--muted); text-align: center; margin: 1rem 0 2rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { background: none; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  header.cover, section.dossier { border: none; border-radius: 0; padding: 0; margin: 0; }
  section.dossier { break-before: page; page-break-before: always; }
  tr, dl { break-inside: avoid; page-break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  footer { display: none; }
}
"""


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _badge(status: Status) -> str:
    return f'<span class="badge s-{status.value}">{e(STATUS_LABELS[status])}</span>'


def _cover(report: Report) -> list[str]:
    now = report.generated_at
    name = report.cabinet.name or "Cabinet"
    out = [
        '<header class="cover">',
        f"<h1>Suivi des espaces professionnels — {e(name)}</h1>",
        f'<p class="muted">Rapport du {e(format_long_date(now))} à '
        f"{to_paris(now):%H:%M} (heure de Paris)"
        + (
            " · SIREN du cabinet "
            f'<span class="siren">{e(format_siren(report.cabinet.siren))}</span>'
            if report.cabinet.siren
            else ""
        )
        + "</p>",
    ]
    out.append('<table class="counts">')
    out.append(f"<caption>{e(COUNTS_TITLE)}</caption>")
    out.append("<thead><tr><th>Statut</th><th>Dossiers</th></tr></thead>")
    out.append("<tbody>")
    out += [
        f'<tr><td>{_badge(s)}</td><td class="num">{report.counts[s]}</td></tr>'
        for s in STATUS_ORDER
    ]
    out.append(f'<tr><th>Total</th><td class="num"><strong>{report.total}</strong></td></tr>')
    out += [
        "</tbody></table>",
        f'<p class="selection">{e(report.selection_text)}.</p>',
        "</header>",
    ]
    return out


def _section(summary: dict[str, Any], report: Report) -> list[str]:
    now = report.generated_at
    status = Status(summary["status"])
    out = [
        f'<section class="dossier" id="d{e(summary["siren"])}" data-status="{status.value}">',
        f'<h2><span class="siren">{e(summary["siren_formatted"])}</span> '
        f"<span>{e(summary['name'])}</span> {_badge(status)}</h2>",
        "<dl>",
        f"<dt>Procédure</dt><dd>{e(fields.procedure_text(summary))}</dd>",
    ]
    if summary["space_id"]:
        out.append(f"<dt>Espace expert</dt><dd>{e(summary['space_id'])}</dd>")
    rows = [
        ("Prochaine échéance", fields.deadline_text(summary["next_deadline"], now)),
        ("Étape suivante", fields.next_step_text(summary)),
        ("Services", fields.services_text(summary)),
        ("Compte et mandat", fields.mandate_text(summary)),
    ]
    if summary["activation_code_masked"]:
        rows.append(("Code d'activation", summary["activation_code_masked"]))
    if summary["notes"]:
        rows.append(("Notes", summary["notes"]))
    rows.append(("Dernière relance", fields.last_chase_text(summary)))
    out += [f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in rows]
    out.append("</dl>")
    out += [
        f'<p class="alert"><strong>Blocage ouvert :</strong> {e(text)}</p>'
        for text in fields.blockage_lines(summary)
    ]
    out.append(
        '<table class="steps"><thead><tr><th class="mark"></th><th>Étape</th><th>Qui</th>'
        "<th>Où en est-on</th></tr></thead><tbody>"
    )
    for line in fields.step_lines(summary, now):
        state = e(line.state)
        if not line.done and line.status in (Status.SOON, Status.URGENT, Status.EXPIRED):
            state += f" {_badge(line.status)}"
        if line.note:
            state += f'<br><span class="note">{e(line.note)}</span>'
        out.append(
            f'<tr class="{"done" if line.done else "todo"}">'
            f'<td class="mark">{"✓" if line.done else "☐"}</td>'
            f"<td>{e(line.label)}</td><td>{e(line.owner)}</td><td>{state}</td></tr>"
        )
    out.append("</tbody></table>")
    history = fields.history_lines(summary)
    if history:
        out.append('<h3 class="history">Historique</h3><ul class="history">')
        out += [f"<li>{e(line)}</li>" for line in history]
        out.append("</ul>")
    out.append("</section>")
    return out


def render_html(report: Report) -> str:
    title = f"Suivi des espaces professionnels — {report.cabinet.name or 'Cabinet'}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        *_cover(report),
    ]
    for summary in report.dossiers:
        parts += _section(summary, report)
    parts += [
        "<footer>Généré par espace-tui · IBAN et codes d'activation masqués.</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
