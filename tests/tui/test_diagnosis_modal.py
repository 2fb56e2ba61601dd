"""The diagnosis dialog driven with keys: what the store holds after each remedy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import CommandInput
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static, TextArea

from espace_tui.domain.deadlines import Status
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.dossier import Dossier, Mode
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.screens.diagnosis import NEW_SPACE, DiagnosisScreen, SpacePicker
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, fill, palette_offers, wait_until

AppFactory = Callable[..., EspaceApp]
Snap = Callable[..., bool]
BLOCKED = "Librairie Papier"  # demo dossier stopped by « déjà un adhérent »


def by_name(workspace: Workspace, name: str) -> Dossier:
    return next(d for d in workspace.dossiers() if d.name == name)


async def open_modal(app: EspaceApp, pilot: Pilot[Any], name: str) -> DiagnosisScreen:
    main = app.screen
    assert isinstance(main, MainScreen)
    main.dossier_list.select(by_name(main.workspace, name).siren)
    await pilot.pause()
    await pilot.press("b")
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, DiagnosisScreen)
    return modal


def remedy_ids(modal: DiagnosisScreen) -> list[str | None]:
    remedies = modal.query_one("#diag-remedies", OptionList)
    return [remedies.get_option_at_index(i).id for i in range(remedies.option_count)]


async def test_substitution_from_the_open_blockage(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    before = by_name(demo_workspace, BLOCKED)
    assert demo_workspace.state(before).status is Status.BLOCKED
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_modal(app, pilot, BLOCKED)
        # The dossier's own blockage comes first, with its remedies for this dossier.
        assert modal.kind_id == "deja_adherent"
        assert remedy_ids(modal) == [
            "substitution",
            "adhesion_expert",
            "habilitation",
            "delegation",
        ]
        assert isinstance(app.focused, OptionList) and app.focused.id == "diag-remedies"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        row = app.screen.dossier_list.rows[before.siren]
        assert row.status is not Status.BLOCKED

    after = demo_workspace.store.get_dossier(before.siren)
    assert after is not None
    assert after.procedure_id == "substitution"
    assert demo_workspace.state(after).status is Status.OK
    assert not after.open_blockages and after.blockages[0].remedy == "substitution"
    assert after.history[: len(before.history)] == before.history
    new = [h.detail for h in after.history[len(before.history) :]]
    assert new[0].startswith("Nouvelle procédure : Substitution du titulaire des services.")
    assert "formulaire" in new[0]  # the simplified steps done before are kept
    assert new[-1] == (
        "Blocage levé : Déjà un adhérent pour ce SIREN (remède : Demander une substitution)."
    )


async def test_expert_adhesion_into_an_existing_space(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    before = by_name(demo_workspace, BLOCKED)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, BLOCKED)
        await pilot.press("down", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpacePicker)
        picker.query_one("#space-choice", Select).value = "annexe"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    after = demo_workspace.store.get_dossier(before.siren)
    assert after is not None
    assert (after.mode, after.procedure_id, after.space_id) == (
        Mode.EXPERT,
        "adhesion_expert",
        "annexe",
    )
    assert demo_workspace.state(after).status is not Status.BLOCKED
    assert after.blockages[0].remedy == "adhesion_expert"
    assert after.history[: len(before.history)] == before.history
    assert after.history[-1].detail.endswith("(remède : Adhérer en mode expert).")
    assert any(h.detail.startswith("Nouvelle procédure : Mode expert") for h in after.history)


async def test_expert_adhesion_into_a_new_space(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    before = by_name(demo_workspace, BLOCKED)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_modal(app, pilot, BLOCKED)
        await pilot.press("down", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpacePicker)
        picker.query_one("#space-choice", Select).value = NEW_SPACE
        await pilot.pause()
        for field, value in (
            ("#space-id", "bordeaux"),
            ("#space-label", "Agence de Bordeaux"),
            ("#space-email", "bordeaux@cabinet-durand.fr"),
        ):
            await fill(pilot, picker.query_one(field, Input), value)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    assert "bordeaux" in [s.id for s in demo_workspace.spaces()]
    after = demo_workspace.store.get_dossier(before.siren)
    assert after is not None
    assert (after.procedure_id, after.space_id) == ("adhesion_expert", "bordeaux")


async def test_a_refused_new_space_is_explained_and_nothing_changes(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    before = by_name(demo_workspace, BLOCKED)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_modal(app, pilot, BLOCKED)
        await pilot.press("down", "enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpacePicker)
        picker.query_one("#space-choice", Select).value = NEW_SPACE
        await pilot.pause()
        picker.query_one("#space-id", Input).value = "principal"  # already taken
        picker.query_one("#space-email", Input).value = "autre@cabinet-durand.fr"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        error = modal.query_one("#diag-error", Static)
        assert error.display and "existe déjà" in str(error.render())
    assert demo_workspace.store.get_dossier(before.siren) == before


async def test_pasted_message_then_record_the_blockage(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    name = "Café de la Gare"
    before = by_name(demo_workspace, name)
    assert not before.blockages
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_modal(app, pilot, name)
        message = modal.query_one("#diag-message", TextArea)
        assert app.focused is message
        message.text = "« Adresse e-mail déjà utilisée "  # then the last key, as typed
        message.move_cursor(message.document.end)
        await pilot.press("»")
        await pilot.pause()
        assert modal.kind_id == "email_deja_utilise"
        assert remedy_ids(modal) == ["autre_email"]
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.dossier_list.rows[before.siren].status is Status.BLOCKED
    after = demo_workspace.store.get_dossier(before.siren)
    assert after is not None
    (blockage,) = after.open_blockages
    assert blockage.kind == "email_deja_utilise"
    assert "Adresse e-mail déjà utilisée" in blockage.note


async def test_no_match_offers_the_catalogue_and_the_helpline(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_modal(app, pilot, "Café de la Gare")
        modal.query_one("#diag-message", TextArea).load_text("Merci pour la facture")
        await pilot.pause()
        verdict = str(modal.query_one("#diag-verdict", Static).render())
        assert "Aucun blocage connu" in verdict and "0 809 400 210" in verdict
        kinds = modal.query_one("#diag-kinds", OptionList)
        assert kinds.option_count == len(CATALOGUE)


async def test_the_palette_opens_the_diagnosis(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await fill(pilot, app.screen.query_one(CommandInput), "diagnostiquer")
        await wait_until(pilot, lambda: palette_offers(app, "diagnostiquer"), "the command offered")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DiagnosisScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


def test_diagnosis_modal_snapshot(
    snap_compare: Snap, make_app: AppFactory, demo_workspace: Workspace
) -> None:
    siren = by_name(demo_workspace, BLOCKED).siren

    async def select_blocked(pilot: Pilot[Any]) -> None:
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        main.dossier_list.select(siren)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=select_blocked, press=["b"])


async def test_automatic_checks_lead_to_the_diagnosis(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from espace_tui.domain.checks import run_checks
    from espace_tui.tui.screens.checks import ChecksScreen

    expected = run_checks(demo_workspace.dossiers(), demo_workspace.spaces(), demo_workspace.now())
    first = expected[0]
    assert first.siren is not None
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("B")
        await pilot.pause()
        checks = app.screen
        assert isinstance(checks, ChecksScreen)
        assert checks.query_one("#checks-list", OptionList).option_count == len(expected)
        await pilot.press("enter")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, DiagnosisScreen)
        assert (modal.dossier.siren, modal.kind_id) == (first.siren, first.kind)
        assert first.message in str(modal.query_one("#diag-dossier", Static).render())


async def test_first_step_done_box_ticks_the_new_procedure(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from textual.widgets import Checkbox

    before = by_name(demo_workspace, BLOCKED)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        modal = await open_modal(app, pilot, BLOCKED)
        box = modal.query_one("#diag-first-done", Checkbox)
        assert box.display and "Étape 1 déjà faite" in str(box.label)
        box.value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    after = demo_workspace.store.get_dossier(before.siren)
    assert after is not None
    assert after.procedure_id == "substitution"
    assert list(after.events) == ["demande_substitution"]


async def test_read_only_dashboard_shows_checks_but_applies_nothing(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from espace_tui.tui.screens.checks import ChecksScreen

    data = demo_workspace.store.path
    before, dossiers = data.read_bytes(), demo_workspace.dossiers()
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")  # hidden and disabled when read-only
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, ChecksScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert data.read_bytes() == before  # nothing applied, nothing written
    assert demo_workspace.dossiers() == dossiers


async def test_an_expert_dossier_without_space_is_flagged_and_attached_from_the_dashboard(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from espace_tui.domain.validation import DossierDraft

    # Two spaces in the demo: a new expert dossier is attached to neither by itself.
    demo_workspace.add_dossier(DossierDraft(siren="552081317", name="Danone", mode="expert"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        main.dossier_list.select("552081317")
        await pilot.pause()
        alerts = str(main.detail.query_one("#alerts", Static).render())
        assert "Dossier expert rattaché à aucun espace expert" in alerts
        modal = await open_modal(app, pilot, "Danone")
        assert modal.kind_id == "sans_espace_expert"
        assert remedy_ids(modal) == ["rattacher_espace"]
        await pilot.press("enter")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SpacePicker)
        picker.query_one("#space-choice", Select).value = "annexe"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        alerts = str(main.detail.query_one("#alerts", Static).render())
        assert "aucun espace expert" not in alerts

    after = demo_workspace.store.get_dossier("552081317")
    assert (
        after is not None and after.space_id == "annexe" and after.procedure_id == "adhesion_expert"
    )
