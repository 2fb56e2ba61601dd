"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it accepts.

Logins: user « cabinet », password « secret ». Recipients at « refuse.example » are refused
with 550, as a real server refuses an unknown mailbox.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "cabinet", "secret"


@dataclass
class FakeSmtp:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)


class _Handler:
    def __init__(self, fake: FakeSmtp) -> None:
        self.fake = fake

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.endswith("@refuse.example"):
            return "550 5.1.1 Boite inconnue"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.fake.received.append(message)
        self.fake.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_smtp(**smtp_options: Any) -> Iterator[FakeSmtp]:
    fake = FakeSmtp(port=_free_port())

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> Any:
        if not isinstance(auth, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth.login.decode(), auth.password.decode()
        fake.logins.append((login, password))
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)

    controller = Controller(
        _Handler(fake),
        hostname=fake.host,
        port=fake.port,
        authenticator=authenticator,
        **{"auth_require_tls": False, **smtp_options},
    )
    controller.start()
    try:
        yield fake
    finally:
        controller.stop()
