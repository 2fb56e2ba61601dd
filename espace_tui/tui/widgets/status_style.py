"""Status colours taken from the current theme's variables (never hard-coded)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from espace_tui.domain.deadlines import Status

# Status -> (theme variable, emphasis). Expired is a badge: background-coloured text on the
# colour, explicit on both sides so that the row cursor cannot make it unreadable.
STATUS_THEME: dict[Status, tuple[str, str]] = {
    Status.OK: ("text-success", ""),
    Status.SOON: ("text-warning", "bold"),
    Status.URGENT: ("text-error", "bold"),
    Status.EXPIRED: ("error", "badge"),
    Status.BLOCKED: ("text-primary", "bold"),
    Status.DONE: ("foreground-darken-3", ""),
}

# Rich styles need plain #RRGGBB (some theme variables are "auto 60%" or carry alpha).
_PLAIN_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def status_style(status: Status, variables: Mapping[str, str]) -> str:
    variable, emphasis = STATUS_THEME[status]
    colour = variables.get(variable, "")
    if not _PLAIN_COLOUR.fullmatch(colour):
        colour = ""
    if emphasis == "badge":
        ground = variables.get("background", "")
        if colour and _PLAIN_COLOUR.fullmatch(ground):
            return f"bold {ground} on {colour}"
        return "bold reverse"
    return f"{emphasis} {colour}".strip()
