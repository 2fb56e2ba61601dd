"""The export formats as data, and one entry point used by the CLI and the dashboard."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import orjson

from espace_tui.domain.agenda import closed_deadlines, open_deadlines
from espace_tui.domain.deadlines import Status
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.selection import Selection
from espace_tui.report.csv_report import render_csv
from espace_tui.report.html_report import render_html
from espace_tui.report.markdown import render_markdown
from espace_tui.report.model import Progress, Report, ReportSource, build_report, tracked_rows
from espace_tui.store.atomic import atomic_write_bytes
from espace_tui.store.paths import user_path

# How long a closed window is still sent (as cancelled): long enough for the next imports.
CLOSED_KEPT = timedelta(days=30)


def _json(report: Report) -> str:
    # The text json.dumps(ensure_ascii=False, indent=2) gives, from C: its pure-Python
    # indenting took most of an export of 100,000 dossiers.
    return orjson.dumps(report.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"


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


OVERWRITE_HINT = "ajoutez --ecraser pour le remplacer"


def check_output_path(
    path: Path,
    field: str = "-o",
    *,
    data_dir: Path,
    overwrite: bool = False,
    overwrite_hint: str = OVERWRITE_HINT,
) -> Path:
    """The file to write, `~` expanded: its folder must exist; never inside the data folder
    (the data file, its locks and backups are the program's alone); never a symbolic link;
    an existing file only with `overwrite` (`--ecraser`)."""
    target = user_path(path)
    if target.is_dir():
        raise InvalidInput(field, f"{target} est un dossier : donnez un nom de fichier.")
    if not target.parent.is_dir():
        raise InvalidInput(field, f"le dossier {target.parent} n'existe pas.")
    if inside(target, data_dir):
        raise InvalidInput(
            field,
            f"{target} est dans le dossier de données {data_dir} (réservé aux données "
            "d'espace-tui et à leurs sauvegardes) : choisissez un autre dossier.",
        )
    if target.is_symlink():
        raise InvalidInput(field, f"{target} est un lien symbolique : jamais suivi.")
    if target.exists() and not overwrite:
        raise InvalidInput(field, f"{target} existe déjà : {overwrite_hint}.")
    return target


def inside(target: Path, folder: Path) -> bool:
    """Whether `target` is `folder` or in it, links and `..` resolved."""
    try:
        real = target.parent.resolve() / target.name
        home = user_path(folder).resolve()
    except OSError:
        return False
    return real == home or home in real.parents


def write_export(path: Path, payload: bytes, *, overwrite: bool = False) -> None:
    """Atomically, readable by the user only (reports hold clients' e-mail addresses).

    Without `overwrite`, a file that appeared there since the check is not replaced: the
    new content is linked in only if the name is still free."""
    if overwrite:
        if path.is_symlink():
            raise InvalidInput("Fichier", f"{path} est un lien symbolique : jamais suivi.")
        atomic_write_bytes(path, payload)
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise InvalidInput("Fichier", f"{path} existe déjà : {OVERWRITE_HINT}.") from None
        except OSError:  # no hard links here (FAT, some network shares): exclusive create
            _write_new(path, payload)
    finally:
        os.unlink(tmp)


def _write_new(path: Path, payload: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise InvalidInput("Fichier", f"{path} existe déjà : {OVERWRITE_HINT}.") from None
    with os.fdopen(fd, "wb") as out:
        out.write(payload)
