"""Saving a file from the dashboard: never in the data folder, and an existing file is
replaced only once the user said so (the dashboard's « --ecraser »)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.screen import Screen

from espace_tui.domain.errors import UserError
from espace_tui.report.export import check_output_path
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.workspace import Workspace
from espace_tui.workspace.output_folders import prepare_folder, resolve_target


def checked(workspace: Workspace, target: Path, *, overwrite: bool) -> Path:
    """check_output_path for the dashboard: the same refusals, the dashboard's words."""
    return check_output_path(
        target,
        "Fichier",
        data_dir=workspace.store.data_dir,
        overwrite=overwrite,
        overwrite_hint="choisissez un autre nom (ou confirmez son remplacement)",
    )


def prepared_target(workspace: Workspace, typed: str, suffix: str | None = None) -> Path:
    """The file the user typed, its folder ready and every refusal but « it exists » said
    now (that one is asked by ask_overwrite): UserError in French otherwise."""
    target = resolve_target(workspace, typed)
    if suffix is not None:
        target = target.with_suffix(suffix)
    try:
        prepare_folder(target)
    except OSError as err:
        raise UserError(
            f"Dossier {target.parent} impossible à créer : {err.strerror or err}."
        ) from None
    return checked(workspace, target, overwrite=True)


def ask_overwrite(screen: Screen[Any], target: Path, write: Callable[[bool], None]) -> None:
    """Call `write(overwrite)`: at once for a new file, after a « Remplacer » for an
    existing one (nothing happens if the user declines)."""
    if not (target.exists() and target.is_file() and not target.is_symlink()):
        write(False)
        return
    question = ConfirmScreen.question(
        "Remplacer le fichier",
        "Le fichier ",
        str(target),
        " existe déjà. Le remplacer par le nouveau ?",
    )

    def answered(replace: bool | None) -> None:
        if replace:
            write(True)

    screen.app.push_screen(ConfirmScreen(question, confirm_label="Remplacer"), answered)
