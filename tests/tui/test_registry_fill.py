"""The dashboard's add form asks the registry in a worker: the name fills itself."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from espace_tui.tui.app import create_app
from espace_tui.tui.screens.dossier_form import DossierForm
from espace_tui.workspace import Workspace
from tests.registry_server import FakeRegistry, company
from tests.sirens import valid_sirens
from tests.tui.conftest import wait_for_workers_until

DANONE = "552081317"
TOWN, CEASED = valid_sirens(2, 72_000_000)


async def open_form(pilot: object, workspace: Workspace) -> DossierForm:
    form = DossierForm(workspace)
    await pilot.app.push_screen(form)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return form


async def test_add_form_fills_name_address_and_mode(
    workspace: Workspace, registry_server: FakeRegistry, data_dir: Path
) -> None:
    registry_server.answers[DANONE] = company(DANONE, "DANONE")
    registry_server.answers[TOWN] = company(TOWN, "COMMUNE DE TRUC", legal_form="7210",
                                            local_authority=True)  # fmt: skip
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, workspace)
        await pilot.press(*DANONE)
        name = form.query_one("#field-name", Input)
        await wait_for_workers_until(pilot, lambda: name.value == "DANONE", "the name filled")
        info = str(form.query_one("#registry-info", Static).render())
        assert "Adresse du siège (où part le courrier) : 17 BOULEVARD HAUSSMANN" in info
        # A collectivité: mode expert pre-selected, the chooser knows it.
        siren = form.query_one("#field-siren", Input)
        siren.value = TOWN
        await wait_for_workers_until(
            pilot, lambda: name.value == "COMMUNE DE TRUC", "the name filled"
        )
        assert form.query_one("#field-mode", Select).value == "expert"
        assert "mode expert uniquement" in str(form.query_one("#registry-info", Static).render())


async def test_typed_name_is_kept_and_unreachable_registry_is_said(
    workspace: Workspace, registry_server: FakeRegistry
) -> None:
    registry_server.answers[DANONE] = "500"
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, workspace)
        form.query_one("#field-name", Input).value = "Mon client"
        form.query_one("#field-siren", Input).focus()
        await pilot.press(*DANONE)
        info = form.query_one("#registry-info", Static)
        await wait_for_workers_until(
            pilot, lambda: "tapez le nom" in str(info.render()), "the advice to type the name"
        )
        assert form.query_one("#field-name", Input).value == "Mon client"


async def test_ceased_company_asks_before_adding(
    workspace: Workspace, registry_server: FakeRegistry
) -> None:
    registry_server.answers[CEASED] = company(CEASED, "VIEILLE", state="C", closed="2020-01-31")
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        form = await open_form(pilot, workspace)
        await pilot.press(*CEASED)
        name = form.query_one("#field-name", Input)
        await wait_for_workers_until(pilot, lambda: name.value == "VIEILLE", "the name filled")
        await pilot.press("ctrl+s")
        await wait_for_workers_until(
            pilot, lambda: app.screen is not form, "the question about the ceased company"
        )
        assert workspace.dossiers() == []  # asked, not yet added
        await pilot.press("escape")
        await wait_for_workers_until(pilot, lambda: app.screen is form, "back to the form")
        assert workspace.dossiers() == []


async def test_detail_pane_shows_the_siege_address(
    workspace: Workspace, registry_server: FakeRegistry
) -> None:
    from espace_tui.domain.validation import DossierDraft

    registry_server.answers[DANONE] = company(DANONE, "DANONE")
    workspace.add_dossier(DossierDraft(siren=DANONE, name="Danone", mode="simplifie"))
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        title = app.screen.query_one("#detail-title", Static)
        await wait_for_workers_until(
            pilot, lambda: "Adresse du siège" in str(title.render()), "the siège address shown"
        )
        assert "17 BOULEVARD HAUSSMANN 75009 PARIS" in str(title.render())
    assert registry_server.hits(DANONE) == 1


async def test_detail_pane_offline_never_calls(
    workspace: Workspace, registry_server: FakeRegistry
) -> None:
    from espace_tui.domain.validation import DossierDraft

    workspace.set_setting("annuaire_hors_ligne", True)
    workspace.add_dossier(DossierDraft(siren=DANONE, name="Danone", mode="simplifie"))
    app = create_app(workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert "Danone" in str(app.screen.query_one("#detail-title", Static).render())
    assert registry_server.requests == []
