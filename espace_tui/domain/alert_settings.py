"""Which alerts a dashboard left open gives when something turns urgent or expires: a toast,
the terminal bell, a desktop notification. Each can be switched off (settings key "alerts")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

SETTING_KEY = "alerts"
# When the dashboard was last open: the « Depuis votre dernière ouverture » summary starts there.
LAST_SEEN_KEY = "last_seen_at"

CHANNEL_LABELS: dict[str, str] = {
    "toast": "Notification dans le tableau de bord",
    "bell": "Sonnerie du terminal",
    "desktop": "Notification du bureau (OSC 9 / 777, ou notify-send)",
}


@dataclass(frozen=True)
class AlertSettings:
    toast: bool = True
    bell: bool = True
    desktop: bool = True

    def as_json(self) -> dict[str, bool]:
        return asdict(self)

    def describe(self) -> str:
        on = [
            CHANNEL_LABELS[f.name].split(" (")[0].lower()
            for f in fields(self)
            if getattr(self, f.name)
        ]
        return ", ".join(on) if on else "aucune"


def alert_settings(settings: Mapping[str, Any]) -> AlertSettings:
    """The stored choice; anything missing or not a boolean keeps its default (on)."""
    raw = settings.get(SETTING_KEY)
    if not isinstance(raw, Mapping):
        return AlertSettings()
    chosen = {
        f.name: raw[f.name] for f in fields(AlertSettings) if isinstance(raw.get(f.name), bool)
    }
    return AlertSettings(**chosen)
