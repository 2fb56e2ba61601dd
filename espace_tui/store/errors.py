"""Store failures, each with the French message the user reads (no traceback ever)."""

from __future__ import annotations

import errno
from pathlib import Path

from espace_tui.domain.errors import UserError

# Why a write failed, in words a user can act on.
_WRITE_REASONS = {
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota du disque est dépassé",
    errno.EROFS: "le disque est en lecture seule",
    errno.EACCES: "accès refusé",
    errno.EPERM: "opération non permise",
    errno.EIO: "erreur d'entrée-sortie du disque",
}


class StoreError(UserError):
    """The data folder or file cannot be used; nothing was written."""


def _restore_hint(path: Path) -> str:
    from espace_tui.store.backups import newest_backup

    backup = newest_backup(path.parent)
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
    pass


class StoreWriteError(StoreError):
    """The disk refused the write (full, read-only…): the file on disk is unchanged."""

    def __init__(self, path: Path, err: OSError) -> None:
        reason = _WRITE_REASONS.get(err.errno or 0, err.strerror or str(err))
        super().__init__(
            f"Enregistrement impossible dans {path.parent} : {reason}. La modification n'a pas "
            "été enregistrée ; les données déjà enregistrées sont intactes."
        )
        self.path = path
        self.errno = err.errno
