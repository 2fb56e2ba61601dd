from __future__ import annotations

from pathlib import Path

from espace_tui.domain.errors import UserError


class StoreError(UserError):
    """The data folder or file cannot be used; nothing was written."""


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"Le fichier de données {path} est illisible ({reason}). Il n'a pas été modifié : "
            "restaurez une sauvegarde (espace-tui restore) ou corrigez-le à la main."
        )
        self.path = path


class StoreLockedError(StoreError):
    pass
