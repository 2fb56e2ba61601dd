"""Read a client list (CSV) into dossier drafts, tolerating what Excel and people produce.

Excel in French writes semicolons and Windows-1252; others write commas and UTF-8 (with or
without BOM). Headers are matched without case, accents or punctuation.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.validation import DossierDraft

MAX_BYTES = 20 * 1024 * 1024
# DossierDraft fields a row cannot go without, with the header users are told to write.
REQUIRED = {"siren": "siren", "name": "nom", "mode": "mode"}
# Header (normalised) -> DossierDraft field.
COLUMNS = {
    "siren": "siren",
    "nom": "name",
    "raison_sociale": "name",
    "denomination": "name",
    "mode": "mode",
    "espace": "space_id",
    "espace_expert": "space_id",
    "email_entreprise": "email_entreprise",
    "e_mail_entreprise": "email_entreprise",
    "email_connexion": "email_connexion",
    "e_mail_connexion": "email_connexion",
    "iban": "iban",
    "bic": "bic",
    "mandat": "mandate_type",
    "type_mandat": "mandate_type",
    "notes": "notes",
    "services": "services",
}


@dataclass
class ParsedCsv:
    rows: list[tuple[int, DossierDraft]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _normalise_header(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else "_" for ch in plain).strip("_")


def decode(raw: bytes) -> tuple[str, str | None]:
    """The text and, when it was not UTF-8, a notice naming the encoding used."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), (
            "Fichier non UTF-8 : lu comme Windows-1252 (Excel). Vérifiez les accents."
        )


def parse_csv_text(text: str) -> ParsedCsv:
    result = ParsedCsv()
    if "\x00" in text:
        raise InvalidInput("Fichier CSV", "contenu binaire : ce n'est pas un fichier texte CSV.")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") >= sample.count(",") else ","  # type: ignore[misc]
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(
            "Fichier CSV", "vide (il faut au moins les colonnes siren, nom, mode)."
        ) from None
    except csv.Error as err:
        raise InvalidInput("Fichier CSV", f"illisible ({err}).") from None
    fields = [COLUMNS.get(_normalise_header(h)) for h in header]
    missing = [label for name, label in REQUIRED.items() if name not in fields]
    if missing:
        raise InvalidInput(
            "Fichier CSV",
            f"colonnes manquantes : {', '.join(missing)} (en-tête lu : {'; '.join(header)}). "
            "Attendu au moins : siren;nom;mode.",
        )
    result.ignored_columns = [h for h, f in zip(header, fields, strict=True) if f is None]
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(fields):
                result.errors.append(
                    (line, f"{len(record)} colonnes, l'en-tête en a {len(fields)}.")
                )
                continue
            values = {f: cell for f, cell in zip(fields, record, strict=False) if f is not None}
            result.rows.append(
                (line, DossierDraft(**{"siren": "", "name": "", "mode": "", **values}))
            )
    except csv.Error as err:
        result.errors.append((reader.line_num, f"ligne illisible ({err})."))
    return result


def _too_big(path: Path, size: int) -> InvalidInput:
    return InvalidInput(
        "Fichier CSV",
        f"{path} fait {size // (1024 * 1024)} Mo ; au plus {MAX_BYTES // (1024 * 1024)} Mo "
        "(découpez-le).",
    )


def read_csv_file(path: Path) -> ParsedCsv:
    try:
        if not path.is_file():  # a folder, /dev/zero, a pipe: never read without end
            if path.exists():
                raise InvalidInput("Fichier CSV", f"{path} n'est pas un fichier ordinaire.")
            raise FileNotFoundError
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(path, size)
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # the file may have grown since stat()
        if len(raw) > MAX_BYTES:
            raise _too_big(path, len(raw))
    except FileNotFoundError:
        raise InvalidInput("Fichier CSV", f"{path} introuvable.") from None
    except ValueError:  # a NUL byte in the name
        raise InvalidInput("Fichier CSV", "nom de fichier invalide.") from None
    except OSError as err:
        raise UserError(f"Lecture de {path} impossible : {err.strerror}.") from None
    text, notice = decode(raw)
    parsed = parse_csv_text(text)
    if notice:
        parsed.notices.append(notice)
    return parsed
