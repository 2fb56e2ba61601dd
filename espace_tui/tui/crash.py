"""An unexpected error in the dashboard: one French line on screen, the details in a private
log file, never a traceback with local variables (they hold IBANs, e-mails, names).

The log holds the traceback without locals; e-mail addresses and IBANs in its messages are
masked as in exports.
"""

from __future__ import annotations

import os
import re
import traceback
from datetime import UTC, datetime
from pathlib import Path

import platformdirs

CRASH_EXIT = 70  # EX_SOFTWARE: an internal error, not the user's input
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")


def log_dir() -> Path:
    return platformdirs.user_log_path("espace-tui", appauthor=False)


def masked(text: str) -> str:
    return _IBAN.sub("<IBAN masqué>", _EMAIL.sub("<e-mail masqué>", text))


def write_crash_log(error: BaseException, now: datetime | None = None) -> Path | None:
    """The traceback (no locals), masked, in a new 0600 file; None if it cannot be written."""
    when = now or datetime.now(UTC)
    folder = log_dir()
    text = masked("".join(traceback.format_exception(error)))
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"plantage-{when:%Y%m%d-%H%M%S}-{os.getpid()}.log"
        # O_EXCL: never follow or overwrite a file someone put there.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"espace-tui : erreur inattendue le {when.isoformat()}\n\n{text}")
    except OSError:
        return None
    return path


def crash_line(error: BaseException, log: Path | None) -> str:
    where = f" Détails : {log}" if log else ""
    return (
        f"espace-tui : erreur inattendue ({type(error).__name__}), le tableau de bord s'est "
        f"fermé. Vos données enregistrées sont intactes.{where}"
    )
