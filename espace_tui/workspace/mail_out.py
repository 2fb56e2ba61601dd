"""Sending a client letter through the cabinet's SMTP server, and recording it once accepted.

The password is taken from ESPACE_TUI_SMTP_MOT_DE_PASSE, else the system keyring, else asked
(the caller's `ask`); it is never written in the data folder, a log or an export. A refused
or failed send raises a French UserError and records nothing.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import normalize_email
from espace_tui.domain.mail_settings import Security, SmtpSettings, smtp_from_settings
from espace_tui.report.letter_mail import letter_message
from espace_tui.report.letters import Letter
from espace_tui.workspace.core import Change

if TYPE_CHECKING:
    from espace_tui.workspace import Workspace

PASSWORD_ENV = "ESPACE_TUI_SMTP_MOT_DE_PASSE"
KEYRING_SERVICE = "espace-tui-smtp"
SMTP_TIMEOUT_S = 15.0


class MailError(UserError):
    pass


class PasswordNeeded(MailError):
    """No password in the environment or the keyring, and none typed."""


def configured_smtp(settings: dict[str, Any]) -> SmtpSettings:
    smtp = smtp_from_settings(settings)
    if smtp is None:
        raise UserError(
            "aucun serveur d'envoi configuré : « espace-tui config smtp --hote … --port … "
            "--securite starttls --expediteur … »."
        )
    return smtp


def keyring_password(smtp: SmtpSettings) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, smtp.keyring_user)
        except KeyringError:
            return None
    except Exception:  # no usable backend (headless server…): fall back to asking
        return None


def store_in_keyring(smtp: SmtpSettings, password: str) -> bool:
    """True when the system keyring took it."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, smtp.keyring_user, password)
        return True
    except Exception:
        return False


def find_password(smtp: SmtpSettings, ask: Callable[[], str | None] | None) -> str | None:
    if not smtp.user:
        return None
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    stored = keyring_password(smtp)
    if stored:
        return stored
    answer = ask() if ask is not None else None
    if not answer:
        raise PasswordNeeded(
            f"mot de passe SMTP de {smtp.user} inconnu : mettez-le dans le trousseau du "
            f"système (« espace-tui config smtp --trousseau »), dans {PASSWORD_ENV}, ou "
            "tapez-le quand il est demandé."
        )
    return answer


def recipient(dossier: Dossier, override: str | None) -> str:
    if override:
        return normalize_email(override, "--a")
    if not dossier.email_entreprise:
        raise InvalidInput(
            "--a",
            f"{dossier.name} n'a pas d'e-mail d'entreprise : ajoutez-le au dossier ou "
            "donnez l'adresse avec --a.",
        )
    return dossier.email_entreprise


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security is Security.SSL:
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_S, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT_S)
    if smtp.security is Security.STARTTLS:
        client.starttls(context=context)
    return client


def send_message(smtp: SmtpSettings, password: str | None, message: EmailMessage) -> None:
    """Hand the message to the server; MailError (French, why) if it does not accept it."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        client = _connect(smtp)
        try:
            if smtp.user:
                client.login(smtp.user, password or "")
            refused = client.send_message(message)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"le serveur {where} refuse l'identifiant ou le mot de passe.") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(
            f"le serveur {where} ne propose pas ce mode (STARTTLS ou authentification) : "
            "vérifiez --securite et --port."
        ) from None
    except smtplib.SMTPRecipientsRefused as err:
        reasons = "; ".join(f"{rcpt} : {_reply(r[1])}" for rcpt, r in err.recipients.items())
        raise MailError(f"le serveur {where} refuse le destinataire ({reasons}).") from None
    except smtplib.SMTPSenderRefused as err:
        raise MailError(
            f"le serveur {where} refuse l'expéditeur {err.sender} ({_reply(err.smtp_error)})."
        ) from None
    except smtplib.SMTPResponseException as err:
        raise MailError(
            f"le serveur {where} a refusé la lettre ({err.smtp_code} {_reply(err.smtp_error)})."
        ) from None
    except ssl.SSLError as err:
        raise MailError(
            f"connexion chiffrée à {where} impossible ({err.reason or err}) : vérifiez "
            "--securite (ssl pour le port 465, starttls pour 587)."
        ) from None
    except TimeoutError:
        raise MailError(f"le serveur {where} ne répond pas.") from None
    except (smtplib.SMTPException, OSError) as err:
        detail = getattr(err, "strerror", None) or type(err).__name__
        raise MailError(f"serveur d'envoi {where} injoignable ({detail}).") from None
    if refused:
        raise MailError(f"le serveur {where} refuse : {', '.join(refused)}.")


def _reply(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:200]


def send_letter(
    workspace: Workspace,
    dossier: Dossier,
    letter: Letter,
    *,
    to: str | None = None,
    ask_password: Callable[[], str | None] | None = None,
) -> Change:
    """Send, then record « Lettre … envoyée à … » in the history. Returns the Change."""
    smtp = configured_smtp(workspace.settings())
    address = recipient(dossier, to)
    password = find_password(smtp, ask_password)
    message = letter_message(letter, sender=smtp.sender, to=address, now=workspace.now())
    send_message(smtp, password, message)
    return workspace.record_letter_sent(dossier.siren, letter.template.label, address)
