"""Letters sent through a real local SMTP server (aiosmtpd), and .eml drafts."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import FrozenClock
from espace_tui.store.repository import Store
from espace_tui.workspace import Workspace
from tests.smtp_server import PASSWORD, USER, FakeSmtp, serve_smtp

SIREN = "552081317"


@pytest.fixture
def cabinet(cli_env: Path, smtp: FakeSmtp) -> Path:
    assert (
        main(
            [
                "add",
                SIREN,
                "--nom",
                "Danone",
                "--mode",
                "simplifie",
                "--email-entreprise",
                "compta@danone.example",
            ]
        )
        == 0
    )
    assert main(["tick", SIREN, "formulaire"]) == 0
    return cli_env


def configure(smtp: FakeSmtp, user: str = USER) -> int:
    return main(
        [
            "config", "smtp", "--hote", "localhost", "--port", str(smtp.port),
            "--securite", "aucune", "--utilisateur", user,
            "--expediteur", "experts@cabinet.example",
        ]
    )  # fmt: skip


def history(siren: str = SIREN) -> list[str]:
    """The dossier's history as stored (the data folder comes from ESPACE_TUI_DATA_DIR)."""
    from espace_tui.store.paths import resolve_data_dir

    store = Store(resolve_data_dir())
    try:
        return [h.detail for h in Workspace(store, FrozenClock()).get(siren).history]
    finally:
        store.close()


def test_send_records_only_once_accepted(
    cabinet: Path,
    smtp: FakeSmtp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert configure(smtp) == 0
    monkeypatch.setenv("ESPACE_TUI_SMTP_MOT_DE_PASSE", PASSWORD)
    assert main(["lettre", SIREN, "--envoyer"]) == 0, capsys.readouterr().err
    (message,) = smtp.received
    assert message["To"] == "compta@danone.example"
    assert message["From"] == "experts@cabinet.example"
    assert "Danone" in message.get_content() or "552 081 317" in message.get_content()
    assert smtp.logins == [(USER, PASSWORD)]
    sent = [h for h in history() if "envoyée à compta@danone.example" in h]
    assert len(sent) == 1
    # The password went to the server, never to the data folder.
    for path in cabinet.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_refused_or_failed_sends_record_nothing(
    cabinet: Path,
    smtp: FakeSmtp,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = history()
    assert configure(smtp) == 0
    monkeypatch.setenv("ESPACE_TUI_SMTP_MOT_DE_PASSE", "mauvais")
    assert main(["lettre", SIREN, "--envoyer"]) == 1
    assert "refuse l'identifiant ou le mot de passe" in capsys.readouterr().err
    monkeypatch.setenv("ESPACE_TUI_SMTP_MOT_DE_PASSE", PASSWORD)
    assert main(["lettre", SIREN, "--envoyer", "--a", "x@refuse.example"]) == 1
    err = capsys.readouterr().err
    assert "refuse le destinataire" in err and "Boite inconnue" in err
    assert smtp.received == []
    assert history() == before
    smtp_port = smtp.port
    main(["config", "smtp", "--hote", "localhost", "--port", str(smtp_port + 1),
          "--securite", "aucune", "--expediteur", "experts@cabinet.example"])  # fmt: skip
    assert main(["lettre", SIREN, "--envoyer"]) == 1
    assert "injoignable" in capsys.readouterr().err
    assert history() == before


def test_no_email_no_password_no_server(
    cli_env: Path, smtp: FakeSmtp, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", SIREN, "--nom", "Danone", "--mode", "simplifie"]) == 0
    main(["tick", SIREN, "formulaire"])
    assert main(["lettre", SIREN, "--envoyer"]) == 1
    assert "aucun serveur d'envoi configuré" in capsys.readouterr().err
    assert configure(smtp) == 0
    assert main(["lettre", SIREN, "--envoyer"]) == 2
    assert "n'a pas d'e-mail d'entreprise" in capsys.readouterr().err
    # No password anywhere and no terminal to ask on: said, nothing sent.
    assert main(["lettre", SIREN, "--envoyer", "--a", "compta@danone.example"]) == 1
    assert "mot de passe SMTP de cabinet inconnu" in capsys.readouterr().err
    assert smtp.received == []


def test_config_refuses_clear_text_to_a_remote_server(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["config", "smtp", "--hote", "smtp.example.com", "--securite", "aucune",
                 "--expediteur", "a@b.example"])  # fmt: skip
    assert code == 2 and "--securite" in capsys.readouterr().err
    assert main(["config", "smtp", "--hote", "smtp.example.com", "--securite", "starttls",
                 "--expediteur", "a@b.example", "--utilisateur", "moi"]) == 0  # fmt: skip
    assert main(["config"]) == 0
    assert "smtp.example.com:587 (starttls" in capsys.readouterr().out
    stored = json.loads((cli_env / "espace-tui.json").read_text())
    assert "password" not in json.dumps(stored)


def test_eml_draft_opens_ready_to_send(
    cabinet: Path, smtp: FakeSmtp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert configure(smtp) == 0
    target = tmp_path / "relance.eml"
    assert main(["lettre", SIREN, "--eml", str(target)]) == 0
    raw = target.read_bytes()
    assert b"\r\n" in raw
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "compta@danone.example"
    assert message["From"] == "experts@cabinet.example"
    assert message["Subject"]
    assert smtp.received == []  # a draft is not a send
    assert not any("envoyée" in h for h in history())


def test_password_from_the_system_keyring(
    cabinet: Path, smtp: FakeSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    secrets: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1

        def get_password(self, service: str, username: str) -> str | None:
            return secrets.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            secrets[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(Memory())  # type: ignore[no-untyped-call]  # keyring has no types
    try:
        assert configure(smtp) == 0
        from espace_tui.domain.mail_settings import clean_smtp
        from espace_tui.workspace.mail_out import store_in_keyring

        settings = clean_smtp("localhost", smtp.port, "aucune", "experts@cabinet.example", USER)
        assert store_in_keyring(settings, PASSWORD)
        assert main(["lettre", SIREN, "--envoyer"]) == 0
        assert smtp.logins == [(USER, PASSWORD)]
    finally:
        keyring.set_keyring(previous)


def test_starttls_with_a_certificate_checked(
    tmp_path: Path,
    cli_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The default security: STARTTLS, the server's certificate verified (here a local CA
    file stands for the system's), login only once encrypted."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl absent: no certificate to test STARTTLS with")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv("ESPACE_TUI_SMTP_MOT_DE_PASSE", PASSWORD)
    with serve_smtp(tls_context=context, require_starttls=True, auth_require_tls=True) as fake:
        assert main(["add", SIREN, "--nom", "Danone", "--mode", "simplifie",
                     "--email-entreprise", "compta@danone.example"]) == 0  # fmt: skip
        main(["tick", SIREN, "formulaire"])
        assert main(["config", "smtp", "--hote", "localhost", "--port", str(fake.port),
                     "--securite", "starttls", "--utilisateur", USER,
                     "--expediteur", "experts@cabinet.example"]) == 0  # fmt: skip
        assert main(["lettre", SIREN, "--envoyer"]) == 0
        assert len(fake.received) == 1 and fake.logins == [(USER, PASSWORD)]
        # Without the certificate trusted, nothing is sent and the reason is given.
        monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "absent.pem"))
        capsys.readouterr()
        assert main(["lettre", SIREN, "--envoyer"]) == 1
        assert "connexion chiffrée à localhost" in capsys.readouterr().err
        assert len(fake.received) == 1
