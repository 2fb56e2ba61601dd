"""Store failures, each with the French message the user reads (no traceback ever).

Imports only `backup_catalog` (which reads names, never writes): the store's modules all
import this one, so it must import none of them.
"""

from __future__ import annotations

import errno
from pathlib import Path

from espace_tui.domain.errors import UserError
from espace_tui.store import backup_catalog

# Why a write failed, in words a user can act on.
_WRITE_REASONS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota du disque est dépassé",
    errno.EROFS: "le disque est en lecture seule",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.ENOTDIR: "ce n'est pas un dossier",
    errno.ELOOP: "c'est un lien symbolique, jamais suivi",
}


def french_reason(err: OSError) -> str:
    """Why a file operation failed, in French when the cause is a common one."""
    return _WRITE_REASONS.get(err.errno or 0, err.strerror or str(err))


class StoreError(UserError):
    """The data folder or file cannot be used; nothing was written."""


def _restore_hint(path: Path) -> str:
    folder = backup_catalog.backup_dir(path.parent)
    try:
        backup = backup_catalog.newest_backup(path.parent)
    except OSError as err:
        return (
            f"Le dossier des sauvegardes {folder} est illisible ({french_reason(err)}) : rendez-le "
            "lisible pour retrouver la plus récente, puis « espace-tui restore »."
        )
    if backup is None:
        return (
            "Aucune sauvegarde n'existe encore dans ce dossier : corrigez le fichier à la main "
            "ou mettez-le de côté."
        )
    return (
        f"Sauvegarde la plus récente : {backup.path}. « espace-tui restore » la remet en place "
        "(le fichier actuel est gardé à côté, renommé)."
    )


class StoreCorruptError(StoreError):
    """The data file cannot be read: it is never overwritten."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"Le fichier de données {path} est illisible ({reason}). Il n'a pas été modifié. "
            + _restore_hint(path)
        )
        self.path = path
        self.reason = reason


def _missing_hint(path: Path) -> str:
    if backup_catalog.backup_dir(path.parent).is_dir():
        try:
            if backup_catalog.newest_backup(path.parent) is not None:
                return _restore_hint(path)
        except OSError:
            return _restore_hint(path)
    return "Aucune sauvegarde n'existe encore : remettez le fichier en place s'il a été déplacé."


class StoreMissingError(StoreError):
    """The data file was there and is gone (deleted or moved by another program)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"Le fichier de données {path} a disparu (supprimé ou déplacé par un autre "
            "programme). " + _missing_hint(path)
        )
        self.path = path


class StoreNewerSchemaError(StoreCorruptError):
    """Written by a newer espace-tui: readable by it, not by us; never overwritten."""

    def __init__(self, path: Path, version: int, supported: int) -> None:
        StoreError.__init__(
            self,
            f"Le fichier de données {path} a été écrit par une version plus récente "
            f"d'espace-tui (schéma {version}, cette version lit jusqu'au schéma {supported}). "
            "Il n'a pas été modifié : mettez espace-tui à jour. " + _restore_hint(path),
        )
        self.path = path
        self.reason = f"schéma {version}"


class StoreLockedError(StoreError):
    """Another program holds the write lock; nothing was written."""


class StoreSymlinkError(StoreError):
    """A file of the program is a symbolic link: never read, written or chmodded through."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} est un lien symbolique : espace-tui ne lit ni n'écrit jamais à travers un "
            "lien (il pourrait modifier un fichier qui n'est pas le sien). Rien n'a été lu ni "
            "modifié. Remplacez le lien par le fichier lui-même, ou indiquez le vrai chemin "
            "(--data-dir pour le dossier de données)."
        )
        self.path = path


class StoreNotAFileError(StoreError):
    """A directory, a device or a pipe where the program expects its own regular file."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} n'est pas un fichier ordinaire (c'est un dossier ou un fichier spécial) : "
            "espace-tui ne l'utilise pas. Rien n'a été lu ni modifié ; déplacez-le, ou "
            "choisissez un autre dossier avec --data-dir."
        )
        self.path = path


class StoreWriteError(StoreError):
    """The disk refused the write (full, read-only…): the file on disk is unchanged."""

    def __init__(self, path: Path, err: OSError) -> None:
        reason = french_reason(err)
        super().__init__(
            f"Enregistrement impossible dans {path.parent} : {reason}. La modification n'a pas "
            "été enregistrée ; les données déjà enregistrées sont intactes."
        )
        self.path = path
        self.errno = err.errno
