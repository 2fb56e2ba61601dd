"""French wording of a dossier summary's parts, shared by the Markdown, CSV and HTML reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from espace_tui.domain.deadlines import STATUS_LABELS, Status
from espace_tui.domain.display import format_countdown, format_datetime
from espace_tui.domain.procedures import OWNER_LABELS, Owner

NONE = "—"


def instant(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def when(value: str | None) -> str:
    moment = instant(value)
    return NONE if moment is None else format_datetime(moment)


def deadline_text(value: str | None, now: datetime) -> str:
    """« 04/12/2026 09:00 (3 j) » or « … (expiré depuis 2 j) »."""
    moment = instant(value)
    if moment is None:
        return NONE
    return f"{format_datetime(moment)} ({format_countdown(moment, now)})"


def countdown_text(value: str | None, now: datetime) -> str:
    moment = instant(value)
    return NONE if moment is None else format_countdown(moment, now)


def owner_text(step: dict[str, Any]) -> str:
    also = step.get("also_owner")
    label = str(step["owner_label"])
    return f"{label} → {OWNER_LABELS[Owner(also)]}" if also else label


@dataclass(frozen=True)
class StepLine:
    id: str
    label: str
    owner: str
    done: bool
    state: str  # « fait le … », « échéance … », « à faire »
    status: Status
    note: str = ""


def step_lines(summary: dict[str, Any], now: datetime) -> list[StepLine]:
    """The steps that apply to this dossier, with what happened or what is due."""
    lines = []
    for step in summary["steps"]:
        if not step["applies"]:
            continue
        status = Status(step["status"])
        note = ""
        if step["done_at"]:
            state = f"fait le {when(step['done_at'])}"
        elif step["deadline"]:
            state = f"échéance {deadline_text(step['deadline'], now)}"
            if step["deadline_from_fallback"]:
                note = "délai compté depuis une date de repli (date de départ inconnue)"
        else:
            state = "à faire"
        lines.append(
            StepLine(
                step["id"],
                step["label"],
                owner_text(step),
                bool(step["done_at"]),
                state,
                status,
                note,
            )
        )
    return lines


def next_step_text(summary: dict[str, Any]) -> str:
    """The next step and who does it; for an expired window, its remedy (as the dashboard)."""
    remedy = summary.get("expired_remedy")
    if remedy:
        return f"{remedy} ({OWNER_LABELS[Owner.CABINET]})"
    step_id = summary["next_step"]
    if step_id is None:
        return NONE
    step = next(s for s in summary["steps"] if s["id"] == step_id)
    return f"{step['label']} ({owner_text(step)})"


def blockage_lines(summary: dict[str, Any]) -> list[str]:
    """Open blockages only: « <title> (depuis le …) — remède : … »."""
    lines = []
    for blockage in summary["blockages"]:
        if blockage["resolved_at"]:
            continue
        label = blockage["kind_label"]
        remedy = blockage["remedy_label"] or "aucun remède choisi"
        lines.append(f"{label} (depuis le {when(blockage['opened_at'])}) — remède : {remedy}")
    return lines


def services_text(summary: dict[str, Any]) -> str:
    services = summary["services"]
    if not services:
        return NONE
    return ", ".join(f"{s['label']} ({s['state_label']})" for s in services)


def mandate_text(summary: dict[str, Any]) -> str:
    bank = summary["bank"]
    if bank is None:
        return "compte bancaire non renseigné"
    # Every account has a CORE and a B2B mandate; only the B2B one is followed.
    return f"B2B — {bank['mandate_state_label']} (IBAN {bank['iban_masked']})"


def procedure_text(summary: dict[str, Any]) -> str:
    """« Mode simplifié », or the procedure followed with its mode when the label omits it."""
    label = str(summary["procedure_label"])
    mode = str(summary["mode_label"])
    return label if mode.casefold() in label.casefold() else f"{label} (mode {mode})"


def status_label(summary: dict[str, Any]) -> str:
    return STATUS_LABELS[Status(summary["status"])]


def last_chase_text(summary: dict[str, Any]) -> str:
    """« Dernière relance » : when the client was last sent a reminder."""
    return when(summary.get("last_chased_at")) if summary.get("last_chased_at") else "jamais"


def history_lines(summary: dict[str, Any]) -> list[str]:
    """The history, newest first: « 01/12/2026 09:00 — Étape … faite. »."""
    return [f"{when(h['at'])} — {h['detail']}" for h in reversed(summary.get("history", []))]
