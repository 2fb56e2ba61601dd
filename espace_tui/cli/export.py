"""`espace-tui export`: the status report (md, csv, html, json) or the calendar (ics)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.selection import FILTER_HELP, parse_selection
from espace_tui.report.export import FORMATS, check_output_path, export_bytes, write_export
from espace_tui.report.model import Progress as ProgressCallback
from espace_tui.store.paths import resolve_data_dir

# Below this many dossiers an export is instant: no bar flickering on screen.
PROGRESS_FROM = 200


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser(
        "export",
        parents=[common],
        help="exporte le rapport d'avancement (md, csv, html, json) ou les échéances (ics)",
        description="Exporte où en est chaque dossier, ou les échéances pour un agenda. "
        "IBAN et codes d'activation sont masqués.",
    )
    export.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help="html (imprimable), md, csv (Excel), json, ics (calendrier)",
    )
    export.add_argument(
        "--filtre",
        action="append",
        default=[],
        metavar="CRITÈRE",
        help="seulement ces dossiers : statuts (ok, bientôt, urgent, expiré, bloqué, terminé) "
        f"ou {FILTER_HELP}",
    )
    export.add_argument(
        "-o", "--sortie", type=Path, metavar="FICHIER", help="fichier (sinon : sortie standard)"
    )
    add_overwrite_option(export)
    export.set_defaults(handler=cmd_export)


@contextmanager
def progress_bar(ctx: Context, title: str) -> Iterator[ProgressCallback | None]:
    """A Rich bar on stderr for long exports, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=ctx.err,
        transient=True,
    ) as bar:
        task = bar.add_task(title, total=None, visible=False)

        def advance(done: int, total: int) -> None:
            if total < PROGRESS_FROM:
                return
            bar.update(task, completed=done, total=total, visible=True)
            if done == total:  # every dossier read: the file is being laid out
                bar.update(task, description="Mise en forme du fichier…")

        yield advance


def add_overwrite_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ecraser",
        action="store_true",
        help="remplace un fichier de sortie qui existe déjà (sinon : refusé)",
    )


def output_path(args: argparse.Namespace, path: Path, field: str = "-o") -> Path:
    """A file given on the command line to write: never in the data folder, never an
    existing file without --ecraser (see check_output_path)."""
    return check_output_path(
        path,
        field,
        data_dir=resolve_data_dir(getattr(args, "data_dir", None)),
        overwrite=bool(getattr(args, "ecraser", False)),
    )


def cmd_export(args: argparse.Namespace) -> int:
    selection = parse_selection(args.filtre)
    target = None if args.sortie is None else output_path(args, args.sortie)
    ctx = Context.from_args(args)
    with progress_bar(ctx, "Lecture des dossiers") as progress:
        payload = export_bytes(ctx.workspace, args.format, selection.statuses, progress, selection)
    if target is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return EXIT_OK
    write_export(target, payload, overwrite=args.ecraser)
    ctx.out.print(Text(f"Export {args.format} écrit dans {target} ({len(payload)} octets)."))
    return EXIT_OK
