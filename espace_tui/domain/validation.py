"""Field-by-field validation of what users type, with the French message of each refusal.

Forms call `validate_field` as the user types; the CLI and the importer validate a whole
`DossierDraft`. Both give the same messages.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from espace_tui.domain.dossier import MandateType, Mode
from espace_tui.domain.errors import BIDI_CONTROLS, InvalidInput, normalize_line_breaks
from espace_tui.domain.identifiers import (
    normalize_bic,
    normalize_email,
    normalize_iban,
    normalize_siren,
)
from espace_tui.domain.teleservices import parse_services

NAME_MAX = 200
NOTES_MAX = 10_000

FIELD_LABELS: dict[str, str] = {
    "siren": "SIREN",
    "name": "Nom",
    "mode": "Mode",
    "space_id": "Espace expert",
    "email_entreprise": "E-mail de l'entreprise",
    "email_connexion": "E-mail de connexion",
    "iban": "IBAN",
    "bic": "BIC",
    "mandate_type": "Type de mandat",
    "notes": "Notes",
    "services": "Services",
}


def _has_control_chars(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def clean_name(raw: str, field: str = FIELD_LABELS["name"]) -> str:
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput(field, "obligatoire (la raison sociale de l'entreprise).")
    if len(name) > NAME_MAX:
        raise InvalidInput(field, f"trop long ({len(name)} caractères, {NAME_MAX} au plus).")
    if _has_control_chars(raw, allowed="\t\n\r"):
        raise InvalidInput(field, "contient des caractères de contrôle (séquences ANSI…).")
    if any(ch in BIDI_CONTROLS for ch in raw):
        raise InvalidInput(
            field, "contient des caractères invisibles qui inversent le sens d'écriture."
        )
    return name


def clean_notes(raw: str) -> str:
    raw = normalize_line_breaks(raw)  # U+2028, NEL, CR LF: one plain « \n »
    if len(raw) > NOTES_MAX:
        raise InvalidInput(FIELD_LABELS["notes"], f"trop longues ({NOTES_MAX} caractères au plus).")
    if _has_control_chars(raw, allowed="\t\n\r"):
        raise InvalidInput(
            FIELD_LABELS["notes"], "contiennent des caractères de contrôle (séquences ANSI…)."
        )
    if any(ch in BIDI_CONTROLS for ch in raw):
        raise InvalidInput(
            FIELD_LABELS["notes"],
            "contiennent des caractères invisibles qui inversent le sens d'écriture.",
        )
    return raw.strip()


def clean_mode(raw: str) -> Mode:
    text = raw.strip().lower().replace("é", "e")
    for mode in Mode:
        if text == mode.value:
            return mode
    raise InvalidInput(FIELD_LABELS["mode"], f"« {raw} » inconnu (attendu : simplifie ou expert).")


def clean_mandate_type(raw: str) -> MandateType:
    text = raw.strip().upper()
    for kind in MandateType:
        if text == kind.value:
            return kind
    raise InvalidInput(FIELD_LABELS["mandate_type"], f"« {raw} » inconnu (attendu : CORE ou B2B).")


FIELD_VALIDATORS: dict[str, Callable[[str], object]] = {
    "siren": normalize_siren,
    "name": clean_name,
    "mode": clean_mode,
    "email_entreprise": lambda raw: (
        normalize_email(raw, FIELD_LABELS["email_entreprise"]) if raw.strip() else ""
    ),
    "email_connexion": lambda raw: (
        normalize_email(raw, FIELD_LABELS["email_connexion"]) if raw.strip() else ""
    ),
    "iban": lambda raw: normalize_iban(raw) if raw.strip() else "",
    "bic": lambda raw: normalize_bic(raw) if raw.strip() else "",
    "mandate_type": clean_mandate_type,
    "notes": clean_notes,
}


def validate_field(name: str, raw: str) -> str | None:
    """The French message for `raw` in field `name`, or None when it is acceptable."""
    try:
        FIELD_VALIDATORS[name](raw)
    except InvalidInput as err:
        return err.message
    return None


@dataclass(frozen=True)
class DossierDraft:
    """What a user typed for a dossier, before validation (all strings)."""

    siren: str
    name: str
    mode: str
    space_id: str = ""
    email_entreprise: str = ""
    email_connexion: str = ""
    iban: str = ""
    bic: str = ""
    mandate_type: str = "B2B"
    notes: str = ""
    # Service ids or labels, comma-separated. None: the mode's defaults (add) or unchanged (edit).
    services: str | None = None


@dataclass(frozen=True)
class ImportedDraft(DossierDraft):
    """A row of an imported list: a draft and its date columns."""

    # (step or fact id, date as typed: « 28/11/2026 », « 28/11/2026 14h30 », ISO…).
    dates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CleanDossier:
    siren: str
    name: str
    mode: Mode
    space_id: str | None
    email_entreprise: str
    email_connexion: str
    iban: str
    bic: str
    mandate_type: MandateType
    notes: str
    services: tuple[str, ...] | None = None


def clean_draft(draft: DossierDraft) -> CleanDossier:
    """Validate every field; raise the first InvalidInput in form order."""
    siren = normalize_siren(draft.siren)
    name = clean_name(draft.name)
    mode = clean_mode(draft.mode)
    email_entreprise = str(FIELD_VALIDATORS["email_entreprise"](draft.email_entreprise))
    email_connexion = str(FIELD_VALIDATORS["email_connexion"](draft.email_connexion))
    iban = str(FIELD_VALIDATORS["iban"](draft.iban))
    bic = str(FIELD_VALIDATORS["bic"](draft.bic))
    if bool(iban) != bool(bic):
        missing = "BIC" if iban else "IBAN"
        raise InvalidInput(missing, "à renseigner avec l'autre coordonnée bancaire (IBAN et BIC).")
    mandate_type = clean_mandate_type(draft.mandate_type or "B2B")
    space_id = draft.space_id.strip() or None
    if mode is Mode.SIMPLIFIED and space_id:
        raise InvalidInput(
            FIELD_LABELS["space_id"], "seulement en mode expert (le mode simplifié n'en a pas)."
        )
    return CleanDossier(
        siren=siren,
        name=name,
        mode=mode,
        space_id=space_id,
        email_entreprise=email_entreprise,
        email_connexion=email_connexion,
        iban=iban,
        bic=bic,
        mandate_type=mandate_type,
        notes=clean_notes(draft.notes),
        services=parse_services(draft.services or "") if (draft.services or "").strip() else None,
    )
