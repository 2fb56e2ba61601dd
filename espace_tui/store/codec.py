"""Domain objects to and from the JSON documents kept in TinyDB (datetimes as ISO 8601)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

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
from espace_tui.domain.teleservices import ServiceState

Doc = dict[str, Any]


def _iso(instant: datetime) -> str:
    return to_paris(instant).isoformat()


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"naive datetime in store: {text}")
    return value.astimezone(UTC)  # absolute instants inside the program, see clock.Clock


def _text(value: str) -> str:
    """Free text as read from the file: input is checked when typed, but a file edited by
    hand could hold an ANSI sequence; every screen and export then shows it escaped."""
    return visible_controls(value)


def _history_to_doc(history: tuple[HistoryEntry, ...]) -> list[Doc]:
    return [{"at": _iso(h.at), "action": h.action, "detail": h.detail} for h in history]


def _history_from_doc(items: list[Doc]) -> tuple[HistoryEntry, ...]:
    return tuple(HistoryEntry(_instant(h["at"]), h["action"], _text(h["detail"])) for h in items)


def _events_to_doc(events: dict[str, datetime]) -> Doc:
    return {key: _iso(value) for key, value in events.items()}


def _events_from_doc(doc: Doc) -> dict[str, datetime]:
    return {key: _instant(value) for key, value in doc.items()}


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


def dossier_from_doc(doc: Doc) -> Dossier:
    bank = doc.get("bank")
    return Dossier(
        siren=doc["siren"],
        name=_text(doc["name"]),
        mode=Mode(doc["mode"]),
        procedure_id=doc.get("procedure_id", ""),
        created_at=_instant(doc["created_at"]),
        email_entreprise=doc.get("email_entreprise", ""),
        email_connexion=doc.get("email_connexion", ""),
        space_id=doc.get("space_id"),
        services={k: ServiceState(v) for k, v in doc.get("services", {}).items()},
        bank=None
        if not bank
        else BankAccount(
            iban=bank["iban"],
            bic=bank["bic"],
            mandate_type=MandateType(bank["mandate_type"]),
            mandate_state=MandateState(bank["mandate_state"]),
        ),
        notes=_text(doc.get("notes", "")),
        activation_code=doc.get("activation_code", ""),
        events=_events_from_doc(doc.get("events", {})),
        blockages=tuple(
            Blockage(
                id=b["id"],
                kind=b["kind"],
                opened_at=_instant(b["opened_at"]),
                remedy=b.get("remedy"),
                resolved_at=_instant(b["resolved_at"]) if b.get("resolved_at") else None,
                note=_text(b.get("note", "")),
            )
            for b in doc.get("blockages", [])
        ),
        history=_history_from_doc(doc.get("history", [])),
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
        id=doc["id"],
        label=_text(doc["label"]),
        login_email=doc.get("login_email", ""),
        created_at=_instant(doc["created_at"]),
        events=_events_from_doc(doc.get("events", {})),
        history=_history_from_doc(doc.get("history", [])),
    )


def cabinet_to_doc(c: CabinetInfo) -> Doc:
    return {"name": c.name, "siren": c.siren}


def cabinet_from_doc(doc: Doc) -> CabinetInfo:
    return CabinetInfo(name=doc.get("name", ""), siren=doc.get("siren", ""))
