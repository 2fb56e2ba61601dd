"""Drive the real dashboard with keys and check what the store holds afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input, Static

from espace_tui.domain.deadlines import Status
from espace_tui.tui.app import EspaceApp
from espace_tui.tui.rows import SortOrder
from espace_tui.tui.screens.dossier_form import DossierForm
from espace_tui.tui.screens.main import MainScreen
from espace_tui.workspace import Workspace
from tests.tui.conftest import SIZE, fill, palette_offers, shown_line, shown_lines, wait_until

AppFactory = Callable[..., EspaceApp]


def main_screen(app: EspaceApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def shown_sirens(app: EspaceApp) -> list[str]:
    """The dossiers' rows, in order (the cabinet's expert spaces have rows too)."""
    return main_screen(app).dossier_list.table.sirens()


async def test_opens_sorted_by_urgency(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = [d.siren for d, _ in demo_workspace.by_urgency()]
        assert shown_sirens(app) == expected
        assert main_screen(app).dossier_list.rows[expected[0]].status is Status.URGENT


async def test_space_ticks_the_highlighted_step_and_saves(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        siren = screen.selected_siren
        assert siren is not None
        step = screen.detail.checklist.highlighted_step
        assert step is not None
        assert step not in demo_workspace.store.get_dossier(siren).events  # type: ignore[union-attr]
        await pilot.press("enter")  # into the checklist
        await pilot.press("space")
        await pilot.pause()
        saved = demo_workspace.store.get_dossier(siren)
        assert saved is not None and step in saved.events
        assert "☑" in screen.detail.checklist.get_option(step).prompt.plain  # type: ignore[union-attr]
        # u puts it back, in the store too.
        await pilot.press("u")
        await pilot.pause()
        restored = demo_workspace.store.get_dossier(siren)
        assert restored is not None and step not in restored.events


async def test_x_unticks_a_done_step(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        siren = screen.selected_siren
        assert siren is not None
        await pilot.press("enter", "home")  # first step: done in the demo's top dossier
        await pilot.pause()
        step = screen.detail.checklist.highlighted_step
        assert step is not None and step in demo_workspace.get(siren).events
        await pilot.press("x")
        await pilot.pause()
        assert step not in demo_workspace.get(siren).events


async def test_filter_as_you_type(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"garage")
        await pilot.pause()
        names = [demo_workspace.get(s).name for s in shown_sirens(app)]
        assert names == ["Garage des Alpes"]
        await pilot.press("escape")  # leaves the field and clears the filter
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_sirens(app)) == len(demo_workspace.dossiers())
        await pilot.press("slash", *"expiré")
        await pilot.pause()
        rows = main_screen(app).dossier_list.rows
        assert {rows[s].status for s in shown_sirens(app)} == {Status.EXPIRED}


async def test_s_cycles_sort(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert main_screen(app).dossier_list.order is SortOrder.NAME
        names = [demo_workspace.get(s).name.casefold() for s in shown_sirens(app)]
        assert names == sorted(names)
        await pilot.press("s")
        await pilot.pause()
        assert shown_sirens(app) == sorted(shown_sirens(app))


async def test_add_dossier_bad_then_good_siren(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    before = len(demo_workspace.dossiers())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DossierForm)
        await fill(pilot, form.query_one("#field-siren", Input), "732829321")  # bad Luhn key
        await pilot.pause()
        error = form.query_one("#error-siren")
        assert error.display and "SIREN" in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and len(demo_workspace.dossiers()) == before
        await pilot.press("backspace", "0")
        await fill(pilot, form.query_one("#field-name", Input), "Nouvelle SARL")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        added = demo_workspace.store.get_dossier("732829320")
        assert added is not None and added.name == "Nouvelle SARL"
        assert main_screen(app).selected_siren == "732829320"


async def test_escape_cancels_the_form(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    before = len(demo_workspace.dossiers())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"732829320", "tab", *"Pas enregistré", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(demo_workspace.dossiers()) == before


async def test_delete_asks_then_deletes(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = main_screen(app).selected_siren
        assert siren is not None
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # first: cancel
        await pilot.pause()
        assert demo_workspace.store.get_dossier(siren) is not None
        await pilot.press("d", "o")
        await pilot.pause()
        assert demo_workspace.store.get_dossier(siren) is None
        assert siren not in shown_sirens(app)
        counts = str(app.screen.query_one("#counts", Static).render())
        assert f"│ {len(demo_workspace.dossiers())}" in counts


async def test_q_quits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_theme_is_remembered_without_losing_other_settings(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    store = demo_workspace.store
    store.put_settings({**store.settings(), "keymap": {"undo": "z"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    settings = store.settings()
    assert settings["theme"] == "textual-light"
    assert settings["keymap"] == {"undo": "z"}
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_keymap_from_settings_remaps_a_binding(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    store = demo_workspace.store
    store.put_settings({**store.settings(), "keymap": {"cycle_sort": "o"}})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        assert main_screen(app).dossier_list.order is SortOrder.NAME


async def test_help_lists_the_focused_pane_first(make_app: AppFactory) -> None:
    from espace_tui.tui.screens.help import HelpScreen, collect_help

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        groups = collect_help(app.screen)
        assert groups[0][0] == "Volet actif : Liste des dossiers"
        assert ("j", "Bas") in groups[0][1]
        await pilot.press("enter")  # focus the checklist
        await pilot.pause()
        assert collect_help(app.screen)[0][0] == "Volet actif : Étapes du dossier"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_restart_an_expired_dossier_keeps_history(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        expired = next(
            s for s in shown_sirens(app) if screen.dossier_list.rows[s].status is Status.EXPIRED
        )
        before = demo_workspace.get(expired)
        screen.dossier_list.select(expired)
        await pilot.pause()
        await pilot.press("R", "o")
        await pilot.pause()
        after = demo_workspace.get(expired)
        assert after.events == {}
        assert after.history[: len(before.history)] == before.history
        assert after.history[-1].action == "restarted"
        assert screen.dossier_list.rows[expired].status is not Status.EXPIRED
        # The counts at the top follow, without recounting everything.
        expired_left = sum(r.status is Status.EXPIRED for r in screen.dossier_list.rows.values())
        counts = str(screen.query_one("#counts", Static).render())
        assert f"expiré {expired_left}" in counts


async def test_countdowns_and_statuses_follow_the_clock(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from datetime import timedelta

    from espace_tui.domain.clock import FrozenClock

    clock = demo_workspace.clock
    assert isinstance(clock, FrozenClock)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        top = shown_sirens(app)[0]
        row = screen.dossier_list.rows[top]
        assert row.status is Status.URGENT
        assert shown_line(app, screen.dossier_list.table, row.siren_text).endswith("urgent 12 h")
        clock.advance(timedelta(hours=11, minutes=13))
        screen.tick()
        await pilot.pause()
        assert shown_line(app, screen.dossier_list.table, row.siren_text).endswith("urgent 47 min")
        clock.advance(timedelta(hours=1))
        screen.tick()
        await pilot.pause()
        row = screen.dossier_list.rows[top]
        assert row.status is Status.EXPIRED
        assert shown_line(app, screen.dossier_list.table, row.siren_text).endswith(
            "expiré expiré depuis 13 min"
        )
        assert "Recommencer la création" in str(screen.detail.query_one("#advice").render())


async def test_edit_notes_and_name(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = main_screen(app).selected_siren
        assert siren is not None
        await pilot.press("n", *"Rappeler lundi", "ctrl+s")
        await pilot.pause()
        assert demo_workspace.get(siren).notes.endswith("Rappeler lundi")
        await pilot.press("e")
        await pilot.pause()
        name_field = app.screen.query_one("#field-name")
        name_field.value = "Garage des Alpes SARL"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_workspace.get(siren).name == "Garage des Alpes SARL"


async def test_add_expert_space(make_app: AppFactory, demo_workspace: Workspace) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("A")
        for field, text in (("space_id", "lyon"), ("label", "Agence de Lyon")):
            await fill(pilot, app.screen.query_one(f"#field-{field}", Input), text)
        await pilot.press("tab", *"pas-un-mail", "ctrl+s")
        await pilot.pause()
        assert "lyon" not in {s.id for s in demo_workspace.spaces()}
        error = app.screen.query_one("#error-login_email")
        assert error.display
        await fill(
            pilot, app.screen.query_one("#field-login_email", Input), "agence-lyon@cabinet.fr"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "lyon" in {s.id for s in demo_workspace.spaces()}


async def test_palette_lists_actions_in_french_and_runs_them(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from espace_tui.tui.commands import EspaceCommands

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [name for name, _, _ in EspaceCommands(app.screen)._entries()]
        for expected in (
            "Dossier : ajouter un dossier",
            "Liste : changer le tri (urgence, nom, SIREN, qui)",
            "Quitter le tableau de bord",
        ):
            assert expected in names
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: bool(app.screen.query("CommandInput")), "the palette")
        await fill(pilot, app.screen.query_one("CommandInput", Input), "changer le tri")
        await wait_until(pilot, lambda: palette_offers(app, "changer le tri"), "the sort offered")
        await pilot.press("enter")
        await pilot.pause()
        assert main_screen(app).dossier_list.order is SortOrder.NAME


async def test_filter_ignores_accents_and_matches_owner(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        typed = main_screen(app).dossier_list.query_one("#filter", Input)
        await fill(pilot, typed, "elegance")
        await pilot.pause()
        assert [demo_workspace.get(s).name for s in shown_sirens(app)] == ["Coiffure Élégance"]
        await fill(pilot, typed, "expire")
        await pilot.pause()
        rows = main_screen(app).dossier_list.rows
        assert shown_sirens(app) and {rows[s].status for s in shown_sirens(app)} == {Status.EXPIRED}
        await fill(pilot, typed, "dgfip")
        await pilot.pause()
        assert shown_sirens(app) and {rows[s].owner for s in shown_sirens(app)} == {"DGFiP"}
        await pilot.press(*"zz")
        await pilot.pause()
        message = main_screen(app).dossier_list.query_one("#no-match", Static)
        assert not shown_sirens(app) and message.display
        assert "Aucun dossier ne correspond à « dgfipzz »" in str(message.render())


async def test_small_terminal_keeps_status_and_deadline(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = main_screen(app).dossier_list.table
        keys = [key for key, _, _ in table.columns]
        assert keys[-3:] == ["owner", "status", "countdown"] and "name" in keys
        lines = ["".join(seg.text for seg in table.render_line(y)) for y in range(12)]
        assert any("expiré " in line and "expiré depuis 5 j" in line for line in lines)


async def test_wide_terminal_shows_whole_names(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        table = main_screen(app).dossier_list.table
        assert [key for key, _, _ in table.columns][:3] == ["siren", "name", "mode"]
        lines = ["".join(s.text for s in table.render_line(y)) for y in range(table.row_count)]
        assert any("Clinique vétérinaire Faure" in line for line in lines)


async def test_add_form_services_follow_mode_until_touched(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from textual.widgets import Select, SelectionList

    from espace_tui.domain.dossier import DEFAULT_SERVICES, Mode

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a", *"732829320", "tab", *"Services SARL")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DossierForm)
        services = form.query_one("#field-services", SelectionList)
        assert set(services.selected) == set(DEFAULT_SERVICES[Mode.SIMPLIFIED])
        form.query_one("#field-mode", Select).focus()
        await pilot.press("enter", "down", "enter")  # expert
        await pilot.pause()
        assert set(services.selected) == set(DEFAULT_SERVICES[Mode.EXPERT])
        services.focus()
        await pilot.press("home", "space")  # the user changes the first service
        await pilot.pause()
        chosen = set(services.selected)
        assert chosen != set(DEFAULT_SERVICES[Mode.EXPERT])
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert set(demo_workspace.get("732829320").services) == chosen


async def test_palette_is_french(make_app: AppFactory) -> None:
    from textual.command import CommandInput, CommandList, CommandPalette

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(CommandInput).placeholder == "Rechercher une commande…"
        commands = palette.query_one(CommandList)

        def titles() -> list[str]:
            count = commands.option_count
            return [str(commands.get_option_at_index(i).prompt) for i in range(count)]

        await wait_until(
            pilot,
            lambda: "Affichage : choisir le thème" in "\n".join(titles()),
            "the commands listed",
        )
        text = "\n".join(titles())
        assert "Dossier : ajouter un dossier" in text
        for english in ("Scroll", "Focus", "Copy", "Quit the app", "Open the command palette"):
            assert english not in text
        await fill(pilot, palette.query_one(CommandInput), "zzzzq")
        await wait_until(
            pilot,
            lambda: any("Aucune commande ne correspond" in t for t in titles()),
            "the palette says nothing matches",
        )


async def test_footer_and_help_name_keys_in_french_footer_rebuilt_only_on_change(
    make_app: AppFactory,
) -> None:
    from espace_tui.tui.screens.help import collect_help
    from espace_tui.tui.widgets.key_bar import KeyBar

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        bar = main_screen(app).query_one(KeyBar)

        def keys() -> list[str]:
            return [shown.display for shown in bar.keys]

        def drawn() -> str:
            return " ".join(shown_lines(app, bar))

        # The bar shows the list's keys once it has the focus.
        await wait_until(pilot, lambda: "␣" in keys(), "the list's keys in the footer")
        assert keys()[:4] == ["F1", "q", "Ctrl+P", "␣"]  # the essential ones fit 80 columns
        assert drawn().startswith("F1 Aide q Quitter Ctrl+P Commandes ␣ Cocher")
        groups = collect_help(main_screen(app))  # what F1 shows, the list focused
        shown = {key for _, rows in groups for key, _ in rows}
        for name in ("Début", "Fin", "Page préc.", "Échap", "Ctrl+T", "F1"):
            assert name in shown, name
        assert "f1" not in shown  # the key is printed « F1 » on keyboards and in the help

        # A dialog opened then closed gives the list its keys back: nothing redrawn.
        builds = bar.builds
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, DossierForm), "the add form")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), "the list again")
        await pilot.pause()
        assert bar.builds == builds

        def dimmed() -> set[str]:
            return {shown.display for shown in bar.keys if not shown.enabled}

        # On an expert space's row the dossier-only keys are dimmed, and lit again after.
        table = main_screen(app).dossier_list.table
        space_row = next(i for i, key in enumerate(table.keys()) if key not in table.sirens())
        await pilot.press(*["down"] * space_row)
        await wait_until(pilot, lambda: {"e", "d"} <= dimmed(), "dossier keys dimmed")
        await pilot.press("up")
        await wait_until(pilot, lambda: not dimmed(), "dossier keys lit again")
        # The filter field has keys of its own (no « ␣ »): shown, then the list's again.
        await pilot.press("slash")
        await wait_until(pilot, lambda: "␣" not in keys(), "the filter's keys in the footer")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "␣" in keys(), "the list's keys back in the footer")


async def test_a_click_on_a_footer_key_presses_it_unless_dimmed(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from espace_tui.tui.widgets.key_bar import KeyBar

    app = make_app()
    bells: list[bool] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(True))
    async with app.run_test(size=SIZE) as pilot:
        bar = main_screen(app).query_one(KeyBar)
        await wait_until(pilot, lambda: any(k.display == "␣" for k in bar.keys), "the keys")

        def column(display: str) -> int:
            return next(
                x for x in range(bar.size.width) if getattr(bar.key_at(x), "display", "") == display
            )

        # On an expert space's row « e » (edit a dossier) is dimmed: a click only rings.
        table = main_screen(app).dossier_list.table
        space_row = next(i for i, key in enumerate(table.keys()) if key not in table.sirens())
        await pilot.press(*["down"] * space_row)
        await wait_until(
            pilot, lambda: not next(k for k in bar.keys if k.display == "e").enabled, "e dimmed"
        )
        await pilot.click(KeyBar, offset=(column("e") + 2, 0))  # on its description
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and bells == [True]
        # « a » (add a dossier) is lit: a click opens the form, as the key would.
        await pilot.click(KeyBar, offset=(column("a"), 0))
        await wait_until(pilot, lambda: isinstance(app.screen, DossierForm), "the add form")


async def test_toasts_do_not_cover_dialog_buttons(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import Button

    # « Tri : … » lasts 2 s: on a loaded machine the toasts could be gone before they are
    # laid out. Here they last: where they are drawn is under test, not how long.
    real_notify = EspaceApp.notify

    def lasting(self: EspaceApp, message: str, **kwargs: Any) -> None:
        real_notify(self, message, **{**kwargs, "timeout": 600})

    monkeypatch.setattr(EspaceApp, "notify", lasting)
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("s", "s", "s", "a")  # three toasts (« Tri : … »), then the add form
        dialog = app.screen

        def laid_out() -> bool:
            toasts = list(dialog.query("Toast"))
            return bool(toasts) and all(t.region.area for t in toasts)

        await wait_until(pilot, laid_out, "the toasts shown")
        await pilot.pause()
        toasts = list(dialog.query("Toast"))
        for button in dialog.query(Button):
            for toast in toasts:
                assert not button.region.overlaps(toast.region)


async def test_edit_form_shows_and_changes_services(
    make_app: AppFactory, demo_workspace: Workspace
) -> None:
    from textual.widgets import SelectionList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        siren = main_screen(app).selected_siren
        assert siren is not None
        before = set(demo_workspace.get(siren).services)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DossierForm)
        services = form.query_one("#field-services", SelectionList)
        assert set(services.selected) == before
        services.focus()
        await pilot.press("end", "space", "ctrl+s")  # toggle the last service of the catalogue
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        after = set(demo_workspace.get(siren).services)
        assert after != before and after ^ before == {services.get_option_at_index(-1).value}
