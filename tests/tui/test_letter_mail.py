"""The letter dialog sends through a real local SMTP server and writes .eml drafts."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from espace_tui.domain.mail_settings import SETTING_KEY, clean_smtp
from espace_tui.domain.validation import DossierDraft
from espace_tui.tui.app import create_app
from espace_tui.tui.screens.letter import LetterScreen
from espace_tui.tui.screens.password import PasswordScreen
from espace_tui.workspace import Workspace
from tests.smtp_server import PASSWORD, USER, FakeSmtp
from tests.tui.conftest import wait_for_workers_until

SIREN = "552081317"


@pytest.fixture
def client(workspace: Workspace, smtp: FakeSmtp) -> Workspace:
    workspace.add_dossier(
        DossierDraft(
            siren=SIREN, name="Danone", mode="simplifie", email_entreprise="compta@danone.example"
        )
    )
    workspace.tick(SIREN, "formulaire")
    settings = clean_smtp("localhost", smtp.port, "aucune", "experts@cabinet.example", USER)
    workspace.set_setting(SETTING_KEY, settings.as_json())
    return workspace


def history(workspace: Workspace) -> list[str]:
    return [h.detail for h in workspace.get(SIREN).history]


async def send_with_password(pilot: Pilot[Any], client: Workspace, password: str) -> LetterScreen:
    """Open the letter, send it (ctrl+e, confirm), give `password` when asked."""
    app = pilot.app
    letter = LetterScreen(client, client.get(SIREN))
    await app.push_screen(letter)
    await pilot.pause()
    await pilot.press("ctrl+e")
    await wait_for_workers_until(pilot, lambda: app.screen is not letter, "the confirmation")
    await pilot.press("o")  # confirm « Envoyer la lettre à … »
    await wait_for_workers_until(
        pilot, lambda: isinstance(app.screen, PasswordScreen), "the password dialog"
    )
    app.screen.query_one("#password", Input).value = password
    await pilot.press("enter")
    return letter


async def test_send_asks_the_password_then_records_once_accepted(
    client: Workspace, smtp: FakeSmtp
) -> None:
    app = create_app(client)
    async with app.run_test(size=(120, 36)) as pilot:
        await send_with_password(pilot, client, PASSWORD)
        await wait_for_workers_until(pilot, lambda: len(smtp.received) == 1, "the letter received")
        await wait_for_workers_until(
            pilot,
            lambda: any("envoyée à compta@danone" in h for h in history(client)),
            "the sending recorded",
        )
    assert smtp.received[0]["To"] == "compta@danone.example"
    assert sum("envoyée à" in h for h in history(client)) == 1


async def test_wrong_password_says_why_and_records_nothing(
    client: Workspace, smtp: FakeSmtp
) -> None:
    before = history(client)
    app = create_app(client)
    async with app.run_test(size=(120, 36)) as pilot:
        letter = await send_with_password(pilot, client, "faux")
        error = letter.query_one("#letter-error", Static)
        await wait_for_workers_until(
            pilot, lambda: "refuse l'identifiant" in str(error.render()), "the refusal said"
        )
    assert smtp.received == []
    assert history(client) == before


async def test_draft_eml(client: Workspace, smtp: FakeSmtp, tmp_path: Path) -> None:
    app = create_app(client)
    async with app.run_test(size=(120, 36)) as pilot:
        letter = LetterScreen(client, client.get(SIREN))
        await app.push_screen(letter)
        await pilot.pause()
        letter.query_one("#letter-path", Input).value = str(tmp_path / "relance.txt")
        await pilot.press("ctrl+b")
        await wait_for_workers_until(
            pilot, lambda: (tmp_path / "relance.eml").exists(), "the draft written"
        )
    message = email.message_from_bytes(
        (tmp_path / "relance.eml").read_bytes(), policy=policy.default
    )
    assert message["X-Unsent"] == "1" and message["To"] == "compta@danone.example"
    assert smtp.received == []
