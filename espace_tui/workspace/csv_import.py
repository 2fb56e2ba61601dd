"""Read a client list (CSV) into dossier drafts, tolerating what Excel and people produce.

Excel in French writes semicolons and Windows-1252; others write commas and UTF-8 (with or
without BOM). Headers are matched without case, accents or punctuation, including what
accounting software and INSEE exports write (« N° SIREN », « Siret », « Raison sociale »,
« Courriel »…). A SIRET gives its SIREN; a list without a mode column takes the mode given
for the whole file; two rows of one SIREN (two establishments) become one dossier.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import PROCEDURES, Fact
from espace_tui.domain.validation import DossierDraft, ImportedDraft

MAX_BYTES = 20 * 1024 * 1024
# DossierDraft fields a row cannot go without, with the header users are told to write.
REQUIRED = {"siren": "siren", "name": "nom", "mode": "mode"}
# Header (normalised) -> DossierDraft field.
COLUMNS = {
    "siren": "siren",
    "n_siren": "siren",
    "no_siren": "siren",
    "numero_siren": "siren",
    "siren_entreprise": "siren",
    "siret": "siret",
    "n_siret": "siret",
    "no_siret": "siret",
    "numero_siret": "siret",
    "siret_siege": "siret",
    "nom": "name",
    "raison_sociale": "name",
    "denomination": "name",
    "denomination_sociale": "name",
    "nom_de_l_entreprise": "name",
    "nom_entreprise": "name",
    "entreprise": "name",
    "societe": "name",
    "client": "name",
    "mode": "mode",
    "e_mail": "email_entreprise",
    "email": "email_entreprise",
    "mail": "email_entreprise",
    "courriel": "email_entreprise",
    "adresse_mail": "email_entreprise",
    "adresse_e_mail": "email_entreprise",
    "adresse_email": "email_entreprise",
    "adresse_courriel": "email_entreprise",
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


# Date columns: a step's or a fact's id, or « date_ » before it (« date_formulaire »,
# « courrier_imprime »): what was done before the list was imported, typed as in France.
DATE_PREFIX = "date:"
for _proc in PROCEDURES.values():
    for _step in _proc.steps:
        COLUMNS.setdefault(_step.id, DATE_PREFIX + _step.id)
        COLUMNS.setdefault(f"date_{_step.id}", DATE_PREFIX + _step.id)
for _fact in Fact:
    COLUMNS.setdefault(_fact.value, DATE_PREFIX + _fact.value)
    COLUMNS.setdefault(f"date_{_fact.value}", DATE_PREFIX + _fact.value)


@dataclass
class ParsedCsv:
    rows: list[tuple[int, DossierDraft]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _normalise_header(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    snake = "".join(ch if ch.isalnum() else "_" for ch in plain)
    return "_".join(part for part in snake.split("_") if part)  # « N° SIREN » -> n_siren


def _digits(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-")


def _siren_from_siret(raw: str) -> str:
    """The SIREN of a SIRET (its first 9 digits), once the SIRET is checked."""
    from stdnum.exceptions import ValidationError
    from stdnum.fr import siret

    compact = _digits(raw)
    if not (len(compact) == 14 and compact.isascii() and compact.isdigit()):
        raise InvalidInput("SIRET", f"« {raw} » : 14 chiffres attendus (SIREN + NIC).")
    try:
        return str(siret.validate(compact))[:9]
    except ValidationError:
        # La Poste's establishments break the Luhn rule on purpose; stdnum knows them.
        raise InvalidInput(
            "SIRET", f"« {raw} » n'est pas un SIRET valide (clé de contrôle incorrecte)."
        ) from None


def _with_siren(values: dict[str, str]) -> dict[str, str]:
    siret = values.pop("siret", "").strip()
    if not siret:
        return values
    from_siret = _siren_from_siret(siret)
    given = _digits(values.get("siren", ""))
    if given and given != from_siret:
        raise InvalidInput(
            "SIRET",
            f"« {siret} » n'est pas un établissement du SIREN {values['siren']} "
            f"(il commence par {format_siren(from_siret)}).",
        )
    return {**values, "siren": from_siret}


# The text fields (the date columns are kept from the first row, as a whole).
_DRAFT_FIELDS = tuple(f.name for f in fields(DossierDraft))


def _merge(first: DossierDraft, other: DossierDraft) -> DossierDraft:
    """The first row wins; a later row only fills what it left empty."""
    filled = {
        name: getattr(other, name)
        for name in _DRAFT_FIELDS
        if not (getattr(first, name) or "").strip() and (getattr(other, name) or "").strip()
    }
    return replace(first, **filled) if filled else first


def merge_duplicates(result: ParsedCsv) -> None:
    """Two establishments of one company are one dossier: merged, and said once per SIREN."""
    by_siren: dict[str, int] = {}
    lines: dict[str, list[int]] = {}
    merged: list[tuple[int, DossierDraft]] = []
    for line, draft in result.rows:
        key = _digits(draft.siren)
        if not key or key not in by_siren:
            if key:
                by_siren[key] = len(merged)
                lines[key] = [line]
            merged.append((line, draft))
            continue
        index = by_siren[key]
        merged[index] = (merged[index][0], _merge(merged[index][1], draft))
        lines[key].append(line)
    for key, seen in lines.items():
        if len(seen) > 1:
            where = ", ".join(map(str, seen))
            result.notices.append(
                f"SIREN {format_siren(key) if len(key) == 9 else key} sur {len(seen)} lignes "
                f"({where}) : établissements d'une même entreprise, un seul dossier (la "
                f"ligne {seen[0]} prime)."
            )
    result.rows = merged


def decode(raw: bytes) -> tuple[str, str | None]:
    """The text and, when it was not UTF-8, a notice naming the encoding used."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), (
            "Fichier non UTF-8 : lu comme Windows-1252 (Excel). Vérifiez les accents."
        )


class _ExcelSemicolon(csv.excel):
    delimiter = ";"


def _csv_problem(err: csv.Error) -> str:
    if "field larger than field limit" in str(err):
        return (
            f"une cellule dépasse {csv.field_size_limit():_} caractères".replace("_", "\u202f")
            + " : ligne refusée (raccourcissez la cellule, ou vérifiez les guillemets)."
        )
    return "ligne illisible (guillemets mal fermés ou caractère invalide)."


def _records(reader: Any, result: ParsedCsv) -> Iterator[tuple[int, list[str]]]:
    """The rows with their line numbers; a row the csv module cannot read is a line error
    and reading goes on with the next one (never every following row dropped)."""
    while True:
        before = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            result.errors.append((reader.line_num, _csv_problem(err)))
            if reader.line_num == before:  # nothing consumed: stop rather than loop
                return
            continue
        yield reader.line_num, record


def parse_csv_text(text: str, *, default_mode: str = "", names_later: bool = False) -> ParsedCsv:
    """`default_mode`: the mode of rows without one (and of a file with no mode column).
    `names_later`: names will be taken from the registry, a name column is not required."""
    result = ParsedCsv()
    if "\x00" in text:
        raise InvalidInput("Fichier CSV", "contenu binaire : ce n'est pas un fichier texte CSV.")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        # Our own dialects: assigning csv.excel.delimiter would change it for the whole process.
        dialect = _ExcelSemicolon if sample.count(";") >= sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput(
            "Fichier CSV", "vide (il faut au moins les colonnes siren, nom, mode)."
        ) from None
    except csv.Error as err:
        raise InvalidInput("Fichier CSV", f"en-tête {_csv_problem(err)}") from None
    columns = [COLUMNS.get(_normalise_header(h)) for h in header]
    present = set(columns)
    if "siret" in present:
        present.add("siren")
    if default_mode:
        present.add("mode")
    if names_later:
        present.add("name")
    missing = [label for name, label in REQUIRED.items() if name not in present]
    if missing:
        hints = {
            "siren": "siren (ou siret)",
            "nom": "nom (ou noms pris dans l'annuaire : --completer, case « Noms absents »)",
            "mode": "mode (ou --mode simplifie|expert pour tout le fichier)",
        }
        raise InvalidInput(
            "Fichier CSV",
            f"colonnes manquantes : {', '.join(hints[m] for m in missing)} (en-tête lu : "
            f"{'; '.join(header)}). Attendu au moins : siren;nom;mode.",
        )
    result.ignored_columns = [h for h, f in zip(header, columns, strict=True) if f is None]
    for line, record in _records(reader, result):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(columns):
            result.errors.append((line, f"{len(record)} colonnes, l'en-tête en a {len(columns)}."))
            continue
        values = {f: cell for f, cell in zip(columns, record, strict=False) if f is not None}
        try:
            values = _with_siren(values)
        except InvalidInput as err:
            result.errors.append((line, err.message))
            continue
        if not values.get("mode", "").strip():
            values["mode"] = default_mode
        dates = tuple(
            (key.removeprefix(DATE_PREFIX), values.pop(key))
            for key in list(values)
            if key.startswith(DATE_PREFIX)
        )
        draft = DossierDraft(**{"siren": "", "name": "", "mode": "", **values})
        result.rows.append((line, ImportedDraft(**vars(draft), dates=dates) if dates else draft))
    merge_duplicates(result)
    return result


def _too_big(path: Path, size: int) -> InvalidInput:
    return InvalidInput(
        "Fichier CSV",
        f"{path} fait {size // (1024 * 1024)} Mo ; au plus {MAX_BYTES // (1024 * 1024)} Mo "
        "(découpez-le).",
    )


def read_csv_file(path: Path, *, default_mode: str = "", names_later: bool = False) -> ParsedCsv:
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
    parsed = parse_csv_text(text, default_mode=default_mode, names_later=names_later)
    if notice:
        parsed.notices.append(notice)
    return parsed
