"""Domain objects to and from the JSON documents kept in TinyDB (datetimes as ISO 8601)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from espace_tui.domain.clock import to_paris
from espace_tui.domain.dossier import (
    BankAccount,
    Blockage,
    CabinetInfo,
    Dossier,
    ExpertSpace,
    HistoryEntry,
    MandateState,
    MandateType,
    Mode,
)
from espace_tui.domain.errors import visible_controls
from espace_tui.domain.procedures import PROCEDURES
from espace_tui.domain.teleservices import ServiceState

Doc = dict[str, Any]


def _iso(instant: datetime) -> str:
    return to_paris(instant).isoformat()


class RecordError(ValueError):
    """A field of a stored record has the wrong type or value (said without its value:
    records hold personal data)."""

    def __init__(self, field: str, expected: str, value: object) -> None:
        super().__init__(f"champ « {field} » : {expected} attendu, trouvé {_kind(value)}")
        self.field = field


_MISSING = object()
_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "un booléen"),
    (int, "un nombre"),
    (float, "un nombre"),
    (str, "un texte non conforme"),
    (list, "une liste"),
    (dict, "un objet"),
)


def _kind(value: object) -> str:
    if value is _MISSING:
        return "rien (champ absent)"
    if value is None:
        return "null"
    for kind, label in _KINDS:
        if isinstance(value, kind):
            return label
    return "une valeur inconnue"


def _str(doc: Doc, key: str, default: object = _MISSING, where: str = "") -> str:
    value = doc.get(key, default)
    if type(value) is not str:
        raise RecordError(where + key, "un texte", value)
    return value


def _opt_str(doc: Doc, key: str, where: str = "") -> str | None:
    value = doc.get(key)
    if value is not None and type(value) is not str:
        raise RecordError(where + key, "un texte ou null", value)
    return value


def _mapping(doc: Doc, key: str, where: str = "") -> Doc:
    value = doc.get(key, {})
    if type(value) is not dict:
        raise RecordError(where + key, "un objet", value)
    return value


def _items(doc: Doc, key: str, where: str = "") -> list[Doc]:
    value = doc.get(key, [])
    if type(value) is not list:
        raise RecordError(where + key, "une liste d'objets", value)
    for item in value:
        if type(item) is not dict:
            raise RecordError(where + key, "une liste d'objets", item)
    return value


# Enum members by value: a dict lookup is ~10 times faster than Enum(value), and 100,000
# dossiers hold a million of them.
_MEMBERS: dict[Any, dict[str, Any]] = {}


def _choice(enum: Any, value: object, field: str) -> Any:
    members = _MEMBERS.get(enum)
    if members is None:
        members = _MEMBERS[enum] = {m.value: m for m in enum}
    member = members.get(value) if type(value) is str else None
    if member is None:
        raise RecordError(field, "une valeur connue", value)
    return member


K = TypeVar("K")
V = TypeVar("V")

# Dates read so far, by text, for every record: a step's date is most often its history
# entry's too, and dates typed as days or ticked in a batch repeat across dossiers. Only
# valid dates are kept (a bad one is refused each time); bounded: emptied when full.
Instants = dict[str, datetime]
_READ: Instants = {}
_READ_MAX = 1 << 16


def _instant(text: object, field: str = "date", read: Instants | None = None) -> datetime:
    if type(text) is not str:
        raise RecordError(field, "une date ISO 8601", text)
    if read is not None and (known := read.get(text)) is not None:
        return known
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(field, "une date ISO 8601", text) from None
    if value.tzinfo is None:
        raise RecordError(field, "une date avec son fuseau horaire", text)
    value = value.astimezone(UTC)  # absolute instants inside the program, see clock.Clock
    if read is not None:
        _keep(read, text, value, _READ_MAX)
    return value


def _keep(table: dict[K, V], key: K, value: V, limit: int) -> None:
    """Remember `value` in a table shared by every record read: emptied when full."""
    if len(table) >= limit:
        table.clear()
    table[key] = value


def _text(value: str) -> str:
    """Free text as read from the file: input is checked when typed, but a file edited by
    hand could hold an ANSI sequence; every screen and export then shows it escaped."""
    return visible_controls(value)


def _history_to_doc(history: tuple[HistoryEntry, ...]) -> list[Doc]:
    return [{"at": _iso(h.at), "action": h.action, "detail": h.detail} for h in history]


# History entries read so far, by their stored texts, for every record: a batch (an import,
# a step ticked for many dossiers) writes the same entry into each dossier. Entries are
# immutable; only valid ones are kept; bounded: emptied when full.
_ENTRIES: dict[tuple[str, str, str], HistoryEntry] = {}
_ENTRIES_MAX = 1 << 16


def _history_from_doc(doc: Doc, read: Instants | None = None) -> tuple[HistoryEntry, ...]:
    entries = []
    known = _ENTRIES if read is not None else {}
    for h in _items(doc, "history"):
        at_text, action, detail = h.get("at"), h.get("action"), h.get("detail", "")
        if type(action) is not str or type(detail) is not str:
            field = "history.action" if type(action) is not str else "history.detail"
            raise RecordError(field, "un texte", action if field.endswith("n") else detail)
        if type(at_text) is str and (entry := known.get((at_text, action, detail))) is not None:
            entries.append(entry)
            continue
        at = _instant(at_text, "history.at", read)
        entry = HistoryEntry(at, action, _text(detail))
        if read is not None:
            _keep(known, (str(at_text), action, detail), entry, _ENTRIES_MAX)
        entries.append(entry)
    return tuple(entries)


def _events_to_doc(events: dict[str, datetime]) -> Doc:
    return {key: _iso(value) for key, value in events.items()}


def _events_from_doc(doc: Doc, read: Instants | None = None) -> dict[str, datetime]:
    return {
        key: _instant(value, f"events.{key}", read)
        for key, value in _mapping(doc, "events").items()
    }


def dossier_to_doc(d: Dossier) -> Doc:
    return {
        "siren": d.siren,
        "name": d.name,
        "mode": d.mode.value,
        "procedure_id": d.procedure_id,
        "created_at": _iso(d.created_at),
        "email_entreprise": d.email_entreprise,
        "email_connexion": d.email_connexion,
        "space_id": d.space_id,
        "services": {k: v.value for k, v in d.services.items()},
        "bank": None
        if d.bank is None
        else {
            "iban": d.bank.iban,
            "bic": d.bank.bic,
            "mandate_type": d.bank.mandate_type.value,
            "mandate_state": d.bank.mandate_state.value,
        },
        "notes": d.notes,
        "activation_code": d.activation_code,
        "events": _events_to_doc(d.events),
        "blockages": [
            {
                "id": b.id,
                "kind": b.kind,
                "opened_at": _iso(b.opened_at),
                "remedy": b.remedy,
                "resolved_at": _iso(b.resolved_at) if b.resolved_at else None,
                "note": b.note,
            }
            for b in d.blockages
        ],
        "history": _history_to_doc(d.history),
    }


def _siren(doc: Doc) -> str:
    siren = doc.get("siren", _MISSING)
    if type(siren) is not str or len(siren) != 9 or not siren.isascii() or not siren.isdigit():
        raise RecordError("siren", "un texte de 9 chiffres", siren)
    return siren


def _bank_from_doc(doc: Doc) -> BankAccount | None:
    bank = doc.get("bank")
    if not bank:
        return None
    if type(bank) is not dict:
        raise RecordError("bank", "un objet ou null", bank)
    return BankAccount(
        iban=_str(bank, "iban", where="bank."),
        bic=_str(bank, "bic", "", "bank."),
        mandate_type=_choice(MandateType, bank.get("mandate_type"), "bank.mandate_type"),
        mandate_state=_choice(MandateState, bank.get("mandate_state"), "bank.mandate_state"),
    )


def _blockage_from_doc(b: Doc) -> Blockage:
    return Blockage(
        id=_str(b, "id", where="blockages."),
        kind=_str(b, "kind", where="blockages."),
        opened_at=_instant(b.get("opened_at"), "blockages.opened_at"),
        remedy=_opt_str(b, "remedy", "blockages."),
        resolved_at=_instant(b["resolved_at"], "blockages.resolved_at")
        if b.get("resolved_at")
        else None,
        note=_text(_str(b, "note", "", "blockages.")),
    )


def dossier_from_doc(doc: Doc) -> Dossier:
    """Every field checked: a record of the wrong shape raises RecordError, never a
    TypeError later in a screen or an export."""
    procedure_id = _str(doc, "procedure_id", "")
    if procedure_id and procedure_id not in PROCEDURES:
        raise RecordError("procedure_id", "une procédure connue", procedure_id)
    services = _mapping(doc, "services")
    read = _READ
    return Dossier(
        siren=_siren(doc),
        name=_text(_str(doc, "name")),
        mode=_choice(Mode, doc.get("mode"), "mode"),
        procedure_id=procedure_id,
        created_at=_instant(doc.get("created_at", _MISSING), "created_at", read),
        email_entreprise=_str(doc, "email_entreprise", ""),
        email_connexion=_str(doc, "email_connexion", ""),
        space_id=_opt_str(doc, "space_id"),
        services={k: _choice(ServiceState, v, f"services.{k}") for k, v in services.items()},
        bank=_bank_from_doc(doc),
        notes=_text(_str(doc, "notes", "")),
        activation_code=_str(doc, "activation_code", ""),
        events=_events_from_doc(doc, read),
        blockages=tuple(_blockage_from_doc(b) for b in _items(doc, "blockages")),
        history=_history_from_doc(doc, read),
    )


def space_to_doc(s: ExpertSpace) -> Doc:
    return {
        "id": s.id,
        "label": s.label,
        "login_email": s.login_email,
        "created_at": _iso(s.created_at),
        "events": _events_to_doc(s.events),
        "history": _history_to_doc(s.history),
    }


def space_from_doc(doc: Doc) -> ExpertSpace:
    return ExpertSpace(
        id=_str(doc, "id"),
        label=_text(_str(doc, "label")),
        login_email=_str(doc, "login_email", ""),
        created_at=_instant(doc.get("created_at", _MISSING), "created_at"),
        events=_events_from_doc(doc),
        history=_history_from_doc(doc),
    )


def cabinet_to_doc(c: CabinetInfo) -> Doc:
    return {"name": c.name, "siren": c.siren}


def cabinet_from_doc(doc: Doc) -> CabinetInfo:
    return CabinetInfo(name=_str(doc, "name", ""), siren=_str(doc, "siren", ""))
