"""First run: on an empty data folder, enter the cabinet, import clients, or open the demo.

Nothing is written before the user asks: the cabinet and its expert spaces go through the
Workspace when saved, and a CSV is previewed row by row (the Workspace's own checks, in a
dry run) before anything is imported.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    Select,
    Static,
)

from espace_tui.domain.dossier import MODE_LABELS, Mode
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren, normalize_email, normalize_siren
from espace_tui.domain.validation import DossierDraft
from espace_tui.store.errors import StoreError
from espace_tui.store.paths import demo_data_dir, user_path
from espace_tui.store.repository import Store
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.widgets.footer import Footer
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Workspace
from espace_tui.workspace.csv_import import ParsedCsv, read_csv_file
from espace_tui.workspace.demo import fill_demo
from espace_tui.workspace.fresh import StaleDialog
from espace_tui.workspace.registry import open_registry
from espace_tui.workspace.registry_fill import complete_names, rows_to_complete
from espace_tui.workspace.spaces import NewSpace

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard

# What the screen returns: the user chose the demo, or is done (data may have changed).
DEMO, DONE = "demo", "done"

PREVIEW_COLUMNS = ("Ligne", "SIREN", "Nom", "Mode", "Résultat")
FIRST_SPACE_ID = "principal"
# Errors spelled out in full above the table (its last column is cut at the screen's edge).
MAX_ERRORS_LISTED = 8


LIVE_CHECKS: dict[str, Callable[[str], object]] = {
    "fr-cabinet-siren": lambda raw: normalize_siren(raw, "SIREN du cabinet"),
    "fr-space-email": lambda raw: normalize_email(raw, "E-mail de connexion"),
}


class FirstRunScreen(Screen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Retour", id="first_run_back"),
    ]

    def __init__(self, workspace: Workspace, *, data_dir: Path | None = None) -> None:
        super().__init__(id="first-run")
        self.workspace = workspace
        self.data_dir = data_dir
        self._rows: list[tuple[int, DossierDraft]] = []
        # Spaces listed on the cabinet pane, saved with the cabinet (all together).
        self._pending: list[NewSpace] = []
        self._importable = 0
        self._imported = 0

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Text("Bienvenue dans espace-tui", style="bold"), id="first-run-title")
        with ContentSwitcher(initial="fr-welcome", id="fr-panes"):
            with Vertical(id="fr-welcome"):
                yield Static(id="fr-intro")
                yield Static(id="fr-status")
                yield Button("Saisir le cabinet (nom, SIREN, espaces experts)", id="fr-go-cabinet")
                yield Button("Importer une liste de clients (CSV)", id="fr-go-import")
                yield Button(
                    "Ouvrir la démo (cabinet fictif, dans un dossier à part)", id="fr-go-demo"
                )
                yield Button("Plus tard", id="fr-done", variant="primary")
            with ScrollPane(id="fr-cabinet"):
                yield Static(Text("Le cabinet", style="bold"))
                yield Label("Nom du cabinet (affiché en tête de l'écran et des rapports)")
                yield Input(placeholder="ex. Cabinet Martin", id="fr-cabinet-name")
                yield Label("SIREN du cabinet (facultatif)")
                yield Input(placeholder="9 chiffres", id="fr-cabinet-siren")
                yield Static(Text("Espaces experts du cabinet", style="bold"), classes="section")
                yield Static(id="fr-spaces")
                yield Label("Identifiant de l'espace")
                yield Input(
                    FIRST_SPACE_ID, placeholder="court, ex. principal ou lyon", id="fr-space-id"
                )
                yield Label("Nom de l'espace (facultatif)")
                yield Input(placeholder="ex. Espace expert principal", id="fr-space-label")
                yield Label("E-mail de connexion de l'espace (une adresse par espace)")
                yield Input(placeholder="ex. expert@cabinet-martin.fr", id="fr-space-email")
                yield Button("Ajouter cet espace à la liste", id="fr-space-add")
                yield Static(
                    Text(
                        "Les espaces de la liste sont enregistrés avec le cabinet "
                        "(« Enregistrer le cabinet »).",
                        style="dim",
                    )
                )
                yield Static(id="fr-cabinet-error", classes="fr-error")
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Enregistrer le cabinet", variant="primary", id="fr-cabinet-save")
                    yield Button("Retour (Échap)", id="fr-cabinet-back")
            with Vertical(id="fr-import"):
                yield Static(Text("Importer une liste de clients", style="bold"))
                yield Label(
                    "Fichier CSV : colonnes siren (ou siret), nom (ou raison sociale), mode "
                    "(sinon celui choisi ci-dessous) ; facultatives : espace, e-mail, "
                    "email_connexion, iban, bic, mandat, notes"
                )
                with Horizontal(id="fr-import-row"):
                    yield Input(placeholder="chemin du fichier .csv", id="fr-import-path")
                    yield Button("Aperçu", id="fr-import-preview")
                with Horizontal(id="fr-import-mode-row"):
                    # Lists exported from accounting software have no mode column.
                    yield Label("Mode par défaut :")
                    yield Select(
                        [(MODE_LABELS[m], m.value) for m in Mode],
                        value=Mode.SIMPLIFIED.value,
                        allow_blank=False,
                        id="fr-import-mode",
                    )
                    # INSEE extracts give SIRET only: names from the registry, SIREN only sent.
                    yield Checkbox("Noms absents : annuaire", id="fr-import-complete")
                yield Static(id="fr-import-summary")
                yield DataTable(id="fr-import-table", cursor_type="row", zebra_stripes=True)
                with Horizontal(classes="dialog-buttons"):
                    yield Button(
                        "Importer les lignes valides",
                        variant="primary",
                        id="fr-import-go",
                        disabled=True,
                    )
                    yield Button("Retour (Échap)", id="fr-import-back")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#fr-import-table", DataTable).add_columns(*PREVIEW_COLUMNS)
        self._show_cabinet()
        self._show_status()
        self.query_one("#fr-go-cabinet", Button).focus()

    def _show_cabinet(self) -> None:
        # The cabinet as shown: the base its save is checked against (workspace/fresh.py).
        self._cabinet_base = cabinet = self.workspace.cabinet()
        with self.prevent(Input.Changed):  # filled in, not typed: no check, no error cleared
            self.query_one("#fr-cabinet-name", Input).value = cabinet.name
            self.query_one("#fr-cabinet-siren", Input).value = cabinet.siren

    # -- the welcome pane ----------------------------------------------------------------

    def _show_status(self) -> None:
        workspace = self.workspace
        intro = Text()
        if workspace.is_empty():
            intro.append("Le dossier de données ")
            if self.data_dir is not None:
                intro.append(str(self.data_dir), style="bold")
                intro.append(" ")
            intro.append("est vide. Par quoi commencer ?")
        else:
            intro.append("Compléter le cabinet ou importer d'autres clients.")
        self.query_one("#fr-intro", Static).update(intro)
        cabinet = workspace.cabinet()
        spaces = workspace.spaces()
        status = Text()
        status.append("Cabinet : ", style="dim")
        if cabinet.name:
            status.append(cabinet.name, style="bold")
            if cabinet.siren:
                status.append(f" (SIREN {format_siren(cabinet.siren)})")
        else:
            status.append("pas encore saisi")
        status.append("\nEspaces experts : ", style="dim")
        status.append(", ".join(f"{s.id} ({s.login_email})" for s in spaces) or "aucun")
        status.append("\nDossiers clients : ", style="dim")
        status.append(str(len(workspace.dossiers())))
        self.query_one("#fr-status", Static).update(status)
        done = bool(cabinet.name or spaces or self._imported)
        self.query_one("#fr-done", Button).label = (
            "Ouvrir le tableau de bord" if done else "Plus tard"
        )

    def _go(self, pane: str, focus: str) -> None:
        self.query_one("#fr-panes", ContentSwitcher).current = pane
        self.query_one(focus).focus()

    @on(Button.Pressed, "#fr-go-cabinet")
    def _to_cabinet(self) -> None:
        self._show_spaces()  # those already saved, listed on every opening
        self._go("fr-cabinet", "#fr-cabinet-name")

    @on(Button.Pressed, "#fr-go-import")
    def _to_import(self) -> None:
        self._go("fr-import", "#fr-import-path")

    @on(Button.Pressed, "#fr-go-demo")
    def _demo(self) -> None:
        self.dismiss(DEMO)

    @on(Button.Pressed, "#fr-done")
    def _done(self) -> None:
        self.dismiss(DONE)

    @on(Button.Pressed, "#fr-cabinet-back")
    @on(Button.Pressed, "#fr-import-back")
    def action_back(self) -> None:
        switcher = self.query_one("#fr-panes", ContentSwitcher)
        if switcher.current == "fr-welcome":
            self.dismiss(DONE)
            return
        unsaved = self._unsaved() if switcher.current == "fr-cabinet" else []
        if not unsaved:
            self._to_welcome()
            return

        def answered(drop: bool | None) -> None:
            if drop:
                self._forget_typed()
                self._to_welcome()

        body = Text("Pas encore enregistré : ")
        body.append(", ".join(unsaved), style="bold")
        body.append(". Abandonner cette saisie ? (« Enregistrer le cabinet » garde tout.)")
        self.app.push_screen(
            ConfirmScreen(("Abandonner la saisie ?", body), confirm_label="Abandonner"), answered
        )

    def _to_welcome(self) -> None:
        self._show_status()
        self._go("fr-welcome", "#fr-done")

    # -- the cabinet pane ----------------------------------------------------------------

    def _error(self, widget_id: str, message: str) -> None:
        view = self.query_one(f"#{widget_id}", Static)
        view.update(Text(message))
        view.display = bool(message)

    def _suggested_space_id(self) -> str:
        """« principal » for the first space; later ones are named by the user."""
        taken = [s.id for s in self.workspace.spaces()] + [p.id for p in self._pending]
        return "" if taken else FIRST_SPACE_ID

    def _show_spaces(self) -> None:
        ident = self.query_one("#fr-space-id", Input)
        if ident.value == FIRST_SPACE_ID and self._suggested_space_id() != FIRST_SPACE_ID:
            ident.value = ""
            ident.placeholder = "ex. annexe"
        text = Text()
        for space in self.workspace.spaces():
            if text:
                text.append("\n")
            text.append(f"• {space.id}", style="bold")
            text.append(f" — {space.label} — {space.login_email}")
        for new in self._pending:
            if text:
                text.append("\n")
            text.append(f"• {new.id}", style="bold")
            text.append(f" — {new.label} — {new.login_email} ")
            text.append("(à enregistrer)", style="italic")
        self.query_one("#fr-spaces", Static).update(
            text or Text("Aucun pour l'instant.", style="dim")
        )

    def _space_fields(self) -> tuple[Input, Input, Input]:
        return (
            self.query_one("#fr-space-id", Input),
            self.query_one("#fr-space-label", Input),
            self.query_one("#fr-space-email", Input),
        )

    def _list_space(self) -> bool:
        """The space typed goes to the list (checked, not saved yet); False if refused."""
        ident, label, email = self._space_fields()
        try:
            new = self.workspace.check_new_space(
                ident.value, label.value, email.value, pending=self._pending
            )
        except (UserError, StoreError) as err:
            self._error("fr-cabinet-error", str(err))
            email.focus()
            return False
        self._pending.append(new)
        for field in (ident, label, email):
            field.value = ""
        ident.placeholder = "ex. annexe"
        self._error("fr-cabinet-error", "")
        self._show_spaces()
        return True

    def _unsaved(self) -> list[str]:
        """What the cabinet pane holds that is not saved, in the user's words."""
        found = []
        name = self.query_one("#fr-cabinet-name", Input).value.strip()
        siren = self.query_one("#fr-cabinet-siren", Input).value.strip()
        if name != self._cabinet_base.name:
            found.append("le nom du cabinet")
        if siren.replace(" ", "") != self._cabinet_base.siren:
            found.append("le SIREN du cabinet")
        if self._pending:
            count = len(self._pending)
            found.append(
                f"{count} espace{'s' if count > 1 else ''} expert{'s' if count > 1 else ''}"
            )
        _, label, email = self._space_fields()
        if label.value.strip() or email.value.strip():
            found.append("l'espace en cours de saisie")
        return found

    def _forget_typed(self) -> None:
        self._pending = []
        ident, label, email = self._space_fields()
        label.value = email.value = ""
        ident.value = self._suggested_space_id()
        self._show_cabinet()
        self._error("fr-cabinet-error", "")

    @on(Input.Changed, "#fr-cabinet-siren")
    @on(Input.Changed, "#fr-space-email")
    def _check_as_typed(self, event: Input.Changed) -> None:
        """SIREN and e-mail checked as they are typed, with the core's messages."""
        check = LIVE_CHECKS[event.input.id or ""]
        message = ""
        if event.value.strip():
            try:
                check(event.value)
            except InvalidInput as err:
                message = err.message
        event.input.set_class(bool(message), "-invalid")
        self._error("fr-cabinet-error", message)

    @on(Button.Pressed, "#fr-space-add")
    def _space_add(self) -> None:
        if self._list_space():
            self.query_one("#fr-space-id", Input).focus()

    @on(Button.Pressed, "#fr-cabinet-save")
    def _cabinet_save(self) -> None:
        name = self.query_one("#fr-cabinet-name", Input).value
        siren = self.query_one("#fr-cabinet-siren", Input).value
        # A space typed but not listed yet is saved with the cabinet too.
        if self._space_fields()[2].value.strip() and not self._list_space():
            return
        try:
            self._cabinet_base, _ = self.workspace.save_cabinet(
                name, siren, self._pending, base=self._cabinet_base
            )
        except StaleDialog:
            self._show_cabinet()
            self._error(
                "fr-cabinet-error",
                "Le cabinet a été enregistré entre-temps par un autre programme : rien n'a été "
                "enregistré ici. La version enregistrée est affichée ; modifiez-la si besoin "
                "puis enregistrez de nouveau.",
            )
            return
        except (UserError, StoreError) as err:
            self._error("fr-cabinet-error", f"{err} Rien n'a été enregistré.")
            return
        self._pending = []
        self._show_spaces()
        self._show_status()
        self._go("fr-welcome", "#fr-go-import")

    # -- the import pane -----------------------------------------------------------------

    @on(Input.Submitted, "#fr-import-path")
    @on(Button.Pressed, "#fr-import-preview")
    def preview(self) -> None:
        table = self.query_one("#fr-import-table", DataTable)
        table.clear()
        self._rows, self._importable = [], 0
        go = self.query_one("#fr-import-go", Button)
        go.disabled = True
        raw = self.query_one("#fr-import-path", Input).value.strip()
        try:
            if not raw:
                raise UserError("Indiquez le chemin du fichier CSV.")
            mode = self.query_one("#fr-import-mode", Select).value
            complete = self.query_one("#fr-import-complete", Checkbox).value
            parsed = read_csv_file(
                user_path(raw),
                default_mode="" if mode is Select.NULL else str(mode),
                names_later=complete,
            )
        except (UserError, StoreError) as err:
            self.query_one("#fr-import-summary", Static).update(Text(str(err), style="bold"))
            return
        total = rows_to_complete(parsed.rows) if complete else 0
        if total:
            self._registry_progress(0, total)
            self._complete_names(parsed)
            return
        self._show_preview(parsed)

    def _registry_progress(self, done: int, total: int) -> None:
        self.query_one("#fr-import-summary", Static).update(
            Text(f"Annuaire des entreprises : {done}/{total} nom(s) cherché(s)…", style="italic")
        )

    @work(thread=True, exclusive=True, group="import-names", exit_on_error=False)
    def _complete_names(self, parsed: ParsedCsv) -> None:
        """In a thread, at the registry's pace (7 a second): the screen stays usable."""
        try:
            registry = open_registry(
                self.workspace.store.data_dir, self.workspace.clock, self.workspace.settings()
            )
            done = complete_names(
                parsed.rows,
                registry,
                lambda n, total: self.app.call_from_thread(self._registry_progress, n, total),
            )
        except Exception as err:  # never a traceback from a worker
            message = Text(f"Annuaire des entreprises : échec ({type(err).__name__}).")
            self.app.call_from_thread(self.query_one("#fr-import-summary", Static).update, message)
            return
        parsed.rows = done.rows
        parsed.errors.extend(done.errors)
        parsed.notices.extend(done.warnings)
        if done.filled:
            parsed.notices.append(f"{done.filled} nom(s) pris dans l'annuaire des entreprises.")
        self.app.call_from_thread(self._show_preview, parsed)

    def _show_preview(self, parsed: ParsedCsv) -> None:
        table = self.query_one("#fr-import-table", DataTable)
        go = self.query_one("#fr-import-go", Button)
        try:
            report = self.workspace.import_drafts(parsed.rows, dry_run=True)
        except (UserError, StoreError) as err:
            self.query_one("#fr-import-summary", Static).update(Text(str(err), style="bold"))
            return
        errors = dict(parsed.errors) | dict(report.errors)
        lines: list[tuple[int, str, str, str]] = [
            (line, d.siren, d.name, d.mode) for line, d in parsed.rows
        ] + [(line, "", "", "") for line, _ in parsed.errors]
        for line, siren, name, mode in sorted(lines):
            message = errors.get(line)
            result = Text(f"✗ {message}", style="bold") if message else Text("✓ à importer")
            table.add_row(Text(str(line)), Text(siren), Text(name), Text(mode), result)
        self._rows = parsed.rows
        self._importable = len(report.imported)
        bad = len(lines) - self._importable
        summary = Text(f"{self._importable} ligne(s) à importer, {bad} en erreur")
        summary.append(" (ignorées à l'import)." if bad else ".")
        shown = sorted(errors.items())
        for line, message in shown[:MAX_ERRORS_LISTED]:
            summary.append(f"\nligne {line} : {message}")
        if len(shown) > MAX_ERRORS_LISTED:
            summary.append(f"\n… et {len(shown) - MAX_ERRORS_LISTED} autre(s), voir le tableau.")
        for notice in (*parsed.notices, *report.warnings):
            summary.append(f"\n{notice}", style="dim")
        if parsed.ignored_columns:
            summary.append(
                f"\nColonnes ignorées : {', '.join(parsed.ignored_columns)}", style="dim"
            )
        self.query_one("#fr-import-summary", Static).update(summary)
        go.disabled = self._importable == 0

    @on(Checkbox.Changed, "#fr-import-complete")
    @on(Select.Changed, "#fr-import-mode")
    def _mode_changed(self) -> None:
        if self.query_one("#fr-import-path", Input).value.strip():
            self.preview()

    @on(Button.Pressed, "#fr-import-go")
    def import_rows(self) -> None:
        try:
            report = self.workspace.import_drafts(self._rows, skip_invalid=True)
        except (UserError, StoreError) as err:
            self.query_one("#fr-import-summary", Static).update(Text(str(err), style="bold"))
            return
        self._imported += len(report.imported)
        self.notify(f"{len(report.imported)} dossier(s) importé(s).", timeout=4)
        self.dismiss(DONE)


# -- wiring into the app ---------------------------------------------------------------------


def open_demo(screen: Dashboard, folder: Path) -> None:
    """Point the dashboard at a demo cabinet filled afresh in its own folder (as --demo)."""
    if folder.exists():
        shutil.rmtree(folder)
    workspace = Workspace(Store(folder), screen.workspace.clock)
    fill_demo(workspace.store, workspace.now())
    screen.switch_workspace(workspace)
    screen.app.notify(
        "Démonstration : cabinet fictif, dans un dossier à part ; vos données sont intactes.",
        timeout=8,
    )


def after_first_run(screen: Dashboard, result: str | None, demo_folder: Path | None = None) -> None:
    if result == DEMO:
        open_demo(screen, demo_folder or demo_data_dir())
        return
    screen.switch_workspace(screen.workspace)  # the cabinet's name, the imported rows


def show_first_run(screen: Dashboard, *, demo_folder: Path | None = None) -> None:
    data_dir = screen.workspace.store.data_dir
    screen.app.push_screen(
        FirstRunScreen(screen.workspace, data_dir=data_dir),
        lambda result: after_first_run(screen, result, demo_folder),
    )


def open_first_run(screen: Dashboard, dossier: Dossier | None) -> None:
    """Feature handler: the same screen later on, from the palette."""
    show_first_run(screen)
