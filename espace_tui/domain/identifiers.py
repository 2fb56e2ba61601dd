"""Validation and display of identifiers, delegated to python-stdnum and email-validator."""

from __future__ import annotations

import unicodedata

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren

from espace_tui.domain.errors import InvalidInput

SIREN_FIELD = "SIREN"


def _ascii_digits_only(text: str) -> bool:
    # stdnum accepts unicode digits via int(); a SIREN is typed in ASCII digits only.
    return all(ch in "0123456789" for ch in text)


def normalize_siren(raw: str, field: str = SIREN_FIELD) -> str:
    """Return the 9-digit SIREN or raise InvalidInput with a French reason."""
    compact = "".join(raw.split()).replace(".", "").replace("-", "")
    if not compact:
        raise InvalidInput(field, "obligatoire (9 chiffres, par exemple 552 081 317).")
    if not _ascii_digits_only(compact):
        raise InvalidInput(field, f"« {raw} » ne doit contenir que des chiffres (9 chiffres).")
    if len(compact) != 9:
        raise InvalidInput(
            field, f"« {raw} » compte {len(compact)} chiffres, il en faut 9 (ex. 552 081 317)."
        )
    try:
        return str(stdnum_siren.validate(compact))
    except StdnumError:
        raise InvalidInput(
            field,
            f"« {raw} » n'est pas un SIREN valide (clé de contrôle incorrecte) : "
            "vérifiez-le sur l'avis de situation SIRENE.",
        ) from None


def format_siren(siren: str) -> str:
    if len(siren) == 9 and siren.isascii() and siren.isdigit():  # stored form: the fast path
        return f"{siren[:3]} {siren[3:6]} {siren[6:]}"  # stdnum's cleaning costs 40 µs a call
    return str(stdnum_siren.format(siren))


def normalize_email(raw: str, field: str) -> str:
    text = unicodedata.normalize("NFC", raw.strip())
    if not text:
        raise InvalidInput(field, "obligatoire (adresse de la forme nom@domaine.fr).")
    # Imported on first use: its regular expressions cost ~25 ms at every start-up.
    from email_validator import EmailNotValidError, validate_email

    try:
        return str(validate_email(text, check_deliverability=False).normalized)
    except (EmailNotValidError, ValueError, UnicodeError):
        raise InvalidInput(
            field,
            f"« {raw.strip()} » n'est pas une adresse e-mail valide (attendu : nom@domaine.fr).",
        ) from None


def normalize_iban(raw: str, field: str = "IBAN") -> str:
    compact = "".join(raw.split()).upper()
    if not compact:
        raise InvalidInput(field, "obligatoire (par exemple FR76 3000 6000 0112 3456 7890 189).")
    if not compact.isascii() or not compact.isalnum():
        raise InvalidInput(field, "ne doit contenir que des lettres et des chiffres.")
    try:
        return str(stdnum_iban.validate(compact))
    except StdnumError:
        raise InvalidInput(
            field, "IBAN invalide (longueur ou clé de contrôle incorrecte) : recopiez-le du RIB."
        ) from None


def normalize_bic(raw: str, field: str = "BIC") -> str:
    compact = "".join(raw.split()).upper()
    if not compact:
        raise InvalidInput(field, "obligatoire (8 ou 11 caractères, par exemple BNPAFRPP).")
    if not compact.isascii():
        raise InvalidInput(field, "ne doit contenir que des lettres et des chiffres.")
    try:
        return str(stdnum_bic.validate(compact))
    except StdnumError:
        raise InvalidInput(
            field, f"« {raw.strip()} » n'est pas un BIC valide (8 ou 11 caractères, ex. BNPAFRPP)."
        ) from None


def mask_iban(iban: str) -> str:
    """FR76 **** **** **** **** ***0 189: country, key and last four digits only."""
    compact = "".join(iban.split())
    if len(compact) <= 8:
        return "*" * len(compact)
    masked = compact[:4] + "*" * (len(compact) - 8) + compact[-4:]
    return " ".join(masked[i : i + 4] for i in range(0, len(masked), 4))


def mask_code(code: str) -> str:
    """Activation codes are never shown in full outside the store."""
    compact = "".join(code.split())
    if len(compact) <= 2:
        return "*" * len(compact)
    return "*" * (len(compact) - 2) + compact[-2:]
