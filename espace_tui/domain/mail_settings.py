"""The cabinet's outgoing mail server, as typed in `espace-tui config smtp`: checked here.

The password is never part of it (it lives in the system keyring or the environment).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import normalize_email

SETTING_KEY = "smtp"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class Security(StrEnum):
    STARTTLS = "starttls"
    SSL = "ssl"
    NONE = "aucune"


DEFAULT_PORTS = {Security.STARTTLS: 587, Security.SSL: 465, Security.NONE: 25}


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security
    sender: str
    user: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "security": self.security.value,
            "sender": self.sender,
            "user": self.user,
        }

    @property
    def keyring_user(self) -> str:
        """The keyring entry's name: one password per login on one server."""
        return f"{self.user}@{self.host}:{self.port}"


def clean_smtp(
    host: str, port: str | int | None, security: str, sender: str, user: str = ""
) -> SmtpSettings:
    host = host.strip().lower()
    if not host or any(ch.isspace() or ch in "/@" for ch in host):
        raise InvalidInput("--hote", "nom du serveur SMTP attendu (ex. smtp.cabinet.fr).")
    try:
        level = Security(security.strip().lower())
    except ValueError:
        raise InvalidInput("--securite", "starttls, ssl ou aucune.") from None
    if level is Security.NONE and host not in LOCAL_HOSTS:
        raise InvalidInput(
            "--securite",
            "« aucune » n'est permise que pour un serveur local (localhost) : le mot de passe "
            "et les lettres passeraient en clair. Choisissez starttls ou ssl.",
        )
    if port is None or port == "":
        number = DEFAULT_PORTS[level]
    else:
        try:
            number = int(port)
        except (TypeError, ValueError):
            raise InvalidInput("--port", f"« {port} » : un nombre attendu (587, 465…).") from None
    if not 1 <= number <= 65535:
        raise InvalidInput("--port", f"{number} : entre 1 et 65535.")
    address = normalize_email(sender, "--expediteur")
    user = user.strip()
    if any(ch.isspace() for ch in user):
        raise InvalidInput("--utilisateur", "sans espace.")
    return SmtpSettings(host, number, level, address, user)


def smtp_from_settings(settings: dict[str, Any]) -> SmtpSettings | None:
    raw = settings.get(SETTING_KEY)
    if not isinstance(raw, dict):
        return None
    try:
        return clean_smtp(
            str(raw.get("host", "")),
            raw.get("port"),
            str(raw.get("security", "")),
            str(raw.get("sender", "")),
            str(raw.get("user", "")),
        )
    except InvalidInput:
        return None
