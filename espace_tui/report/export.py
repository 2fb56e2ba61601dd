"""The export formats as data, and one entry point used by the CLI and the dashboard."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from espace_tui.domain.agenda import closed_deadlines, open_deadlines
from espace_tui.domain.deadlines import Status
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.selection import Selection
from espace_tui.report.csv_report import render_csv
from espace_tui.report.html_report import render_html
from espace_tui.report.markdown import render_markdown
from espace_tui.report.model import Progress, Report, ReportSource, build_report, tracked_rows
from espace_tui.store.atomic import atomic_write_bytes

# How long a closed window is still sent (as cancelled): long enough for the next imports.
CLOSED_KEPT = timedelta(days=30)


def _json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class ExportFormat:
    id: str
    label: str
    extension: str
    # Renders the status report; None for the calendar, which lists deadlines instead.
    render: Callable[[Report], str] | None


# The first one is the dashboard's default: a report to print for a client meeting.
FORMATS: dict[str, ExportFormat] = {
    f.id: f
    for f in (
        ExportFormat("html", "HTML imprimable (une page par client)", "html", render_html),
        ExportFormat("md", "Markdown (rapport lisible)", "md", render_markdown),
        ExportFormat("csv", "CSV pour Excel (séparateur « ; »)", "csv", render_csv),
        ExportFormat("json", "JSON (pour d'autres outils)", "json", _json),
        ExportFormat("ics", "Calendrier (échéances avec rappel)", "ics", None),
    )
}


def export_bytes(
    workspace: ReportSource,
    format_id: str,
    statuses: tuple[Status, ...] = (),
    progress: Progress | None = None,
    selection: Selection | None = None,
) -> bytes:
    render = FORMATS[format_id].render
    if render is None:
        rows = tracked_rows(workspace, statuses, progress, selection)
        now = workspace.now()
        deadlines = open_deadlines(rows) + closed_deadlines(rows, now - CLOSED_KEPT)
        from espace_tui.report.ics import render_ics  # icalendar: 40 ms of imports

        return render_ics(deadlines, now, workspace.thresholds)
    return render(build_report(workspace, statuses, progress, selection)).encode("utf-8")


def check_output_path(path: Path, field: str = "-o") -> Path:
    """The file to write, `~` expanded; its folder must exist and it must not be one."""
    target = path.expanduser()
    if target.is_dir():
        raise InvalidInput(field, f"{target} est un dossier : donnez un nom de fichier.")
    if not target.parent.is_dir():
        raise InvalidInput(field, f"le dossier {target.parent} n'existe pas.")
    return target


def write_export(path: Path, payload: bytes) -> None:
    """Atomically, readable by the user only: reports hold clients' e-mail addresses."""
    atomic_write_bytes(path, payload)
