"""Marks and batch actions: mark dossiers (`v`, `*`), then act on all of them at once (`M`):
tick a step, set a date, move the B2B mandate, write the chase letters, export. The dialog
previews what will change for each dossier (a dry run: nothing is written) and applies it on
one confirmation, as one change that one `u` takes back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from espace_tui.domain.dossier import MANDATE_STATE_LABELS, Dossier, MandateState
from espace_tui.domain.errors import UserError
from espace_tui.domain.french_dates import DATE_HINT, format_input_datetime, parse_french_datetime
from espace_tui.domain.procedures import FACT_LABELS, PROCEDURES, Fact
from espace_tui.domain.selection import Selection
from espace_tui.report.export import FORMATS, export_bytes, write_export
from espace_tui.report.letters import already_done, choose_letter, render_letter
from espace_tui.store.errors import StoreError
from espace_tui.store.paths import user_path
from espace_tui.tui.screens.overwrite import checked
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import BatchResult, Workspace
from espace_tui.workspace.output_folders import prepare_folder, proposed_folder, remember_folder

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard

# (id, label): what can be done to every marked dossier.
ACTIONS: tuple[tuple[str, str], ...] = (
    ("tick", "Cocher une étape"),
    ("letter_printed", FACT_LABELS[Fact.LETTER_PRINTED]),
    ("first_payment", FACT_LABELS[Fact.FIRST_PAYMENT]),
    ("mandate", "État du mandat B2B"),
    ("letters", "Lettres de relance (un fichier par client)"),
    ("export", "Exporter les dossiers marqués"),
)
FACTS = {"letter_printed": Fact.LETTER_PRINTED, "first_payment": Fact.FIRST_PAYMENT}
# Which parameter fields each action shows.
FIELDS: dict[str, tuple[str, ...]] = {
    "tick": ("step", "date"),
    "letter_printed": ("date",),
    "first_payment": ("date",),
    "mandate": ("mandate",),
    "letters": ("path",),
    "export": ("format", "path"),
}


def step_choices() -> list[tuple[str, str]]:
    """Every step of every procedure, once (same id, same label), in procedure order."""
    seen: dict[str, str] = {}
    for proc in PROCEDURES.values():
        for step in proc.steps:
            seen.setdefault(step.id, step.label)
    return list(seen.items())


@dataclass(frozen=True)
class Outcome:
    """What the dialog did, for the main screen to say."""

    message: str
    warnings: tuple[str, ...] = ()
    # The dossiers as saved: only their rows are redrawn (a full reload reads every dossier).
    changed: tuple[Dossier, ...] = ()


class BatchScreen(ModalScreen[Outcome | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="batch_cancel"),
        Binding("ctrl+s", "apply", "Confirmer", id="batch_apply", priority=True),
    ]

    def __init__(self, workspace: Workspace, sirens: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.sirens = sirens

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        count = len(self.sirens)
        with Vertical(classes="dialog batch"):
            yield Static(
                Text(f"Actions groupées — {count} dossier{'s' if count > 1 else ''} marqué"
                     f"{'s' if count > 1 else ''}"),
                classes="dialog-title",
            )  # fmt: skip
            # Fields and preview scroll; the buttons stay in sight (80x24 too).
            with ScrollPane(id="batch-body"):
                yield Select(
                    [(label, action) for action, label in ACTIONS],
                    value="tick",
                    allow_blank=False,
                    id="batch-action",
                )
                yield Label("Étape", id="label-step", classes="batch-field")
                yield Select(
                    [(Text(label), sid) for sid, label in step_choices()],
                    allow_blank=False,
                    id="batch-step",
                    classes="batch-field",
                )
                yield Static(  # wraps: every accepted form stays readable at 80 columns
                    Text(f"Date ({DATE_HINT})"), id="label-date", classes="batch-field"
                )
                yield Input(
                    format_input_datetime(self.workspace.now()),
                    id="batch-date",
                    classes="batch-field",
                )
                yield Select(
                    [(label, state.value) for state, label in MANDATE_STATE_LABELS.items()],
                    allow_blank=False,
                    id="batch-mandate",
                    classes="batch-field",
                )
                yield Select(
                    [(f.label, f.id) for f in FORMATS.values()],
                    allow_blank=False,
                    id="batch-format",
                    classes="batch-field",
                )
                yield Label("Dossier ou fichier", id="label-path", classes="batch-field")
                yield Input(
                    str(proposed_folder(self.workspace)), id="batch-path", classes="batch-field"
                )
                yield Static(id="batch-error", classes="field-error")
                yield Static(id="batch-preview-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Confirmer (ctrl+s)", variant="primary", id="apply")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#batch-action", Select).focus()

    @property
    def action(self) -> str:
        return str(self.query_one("#batch-action", Select).value)

    def _show_fields(self) -> None:
        wanted = FIELDS[self.action]
        for name in ("step", "date", "mandate", "format", "path"):
            shown = name in wanted
            for widget in self.query(f"#batch-{name}, #label-{name}"):
                widget.display = shown
        if self.action == "export":
            path = self.query_one("#batch-path", Input)
            if Path(path.value).suffix == "":
                fmt = str(self.query_one("#batch-format", Select).value)
                day = self.workspace.now().date().isoformat()
                path.value = str(Path(path.value) / f"espace-tui-selection-{day}.{fmt}")
        self._preview()

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        if event.select.id == "batch-action":
            self._show_fields()
        else:
            self._preview()

    @on(Input.Changed, "#batch-date")
    def _date_typed(self) -> None:
        self._preview()

    # -- preview and apply ---------------------------------------------------------------

    def _error(self, message: str) -> None:
        error = self.query_one("#batch-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    def _run(self, preview: bool) -> BatchResult | None:
        """The batch for the chosen action (a dry run when `preview`)."""
        ws, action = self.workspace, self.action
        if action == "tick":
            step = str(self.query_one("#batch-step", Select).value)
            typed = self.query_one("#batch-date", Input).value.strip()
            at = parse_french_datetime(typed, "Date", ws.now()) if typed else None
            return ws.tick_many(self.sirens, step, at, preview=preview)
        if action in FACTS:
            typed = self.query_one("#batch-date", Input).value.strip()
            when = parse_french_datetime(typed, "Date", ws.now()) if typed else None
            return ws.set_fact_many(self.sirens, FACTS[action], when, preview=preview)
        if action == "mandate":
            state = MandateState(str(self.query_one("#batch-mandate", Select).value))
            return ws.set_mandate_many(self.sirens, state, preview=preview)
        return None

    def _letters(self) -> tuple[dict[str, tuple[Dossier, str, str]], list[str]]:
        """{siren: (dossier, letter id, text)} and why the others get none."""
        ws = self.workspace
        now = ws.now()
        ready: dict[str, tuple[Dossier, str, str]] = {}
        left: list[str] = []
        for siren in self.sirens:
            dossier = ws.get(siren)
            state = ws.state(dossier, now)
            try:
                template = choose_letter(None, state)
                letter = render_letter(template, dossier, state, ws.cabinet(), now)
            except UserError as err:
                left.append(f"{dossier.name} : {err.message}")
                continue
            done = already_done(template, dossier)
            if done is not None:
                left.append(done)
                continue
            ready[siren] = (dossier, template.id, letter.text)
        return ready, left

    def _preview(self) -> None:
        self._error("")
        lines = Text()
        try:
            if self.action == "letters":
                ready, left = self._letters()
                for dossier, kind, _ in ready.values():
                    lines.append(f"✓ {dossier.name} : lettre « {kind} »\n")
                for why in left:
                    lines.append(f"– {why}\n", "dim")
                lines.append(f"{len(ready)} lettre(s), une par fichier ; chaque relance est notée.")
            elif self.action == "export":
                lines.append(f"{len(self.sirens)} dossier(s) dans un seul fichier.")
            else:
                result = self._run(preview=True)
                assert result is not None
                for dossier, change in result.done:
                    lines.append(f"✓ {dossier.name} : {change.message}\n")
                    for warning in change.warnings:
                        lines.append(f"  ⚠ {warning}\n", "bold")
                for dossier, why in result.skipped:
                    lines.append(f"– {dossier.name} : ignoré ({why})\n", "dim")
                lines.append(result.summary())
        except (UserError, StoreError) as err:
            self._error(str(err))
        self.query_one("#batch-preview-text", Static).update(lines)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        try:
            outcome = self._apply()
        except (UserError, StoreError, OSError) as err:
            self._error(getattr(err, "message", None) or str(err))
            return
        if outcome is not None:
            self.dismiss(outcome)

    def _apply(self) -> Outcome | None:
        action = self.action
        if action == "letters":
            return self._write_letters()
        if action == "export":
            return self._export()
        result = self._run(preview=False)
        assert result is not None
        if not result.done:
            self._error(f"Rien à faire : {result.summary()}")
            return None
        changed = tuple(c.dossier for _, c in result.done if c.dossier is not None)
        return Outcome(result.summary() + " (u : tout annuler)", tuple(result.warnings), changed)

    def _folder(self) -> Path:
        folder = user_path(self.query_one("#batch-path", Input).value.strip())
        if not folder.is_absolute():
            folder = proposed_folder(self.workspace) / folder
        prepare_folder(folder / "x")
        if not folder.is_dir():
            raise UserError(f"Dossier : {folder} n'existe pas.")
        return folder

    def _write_letters(self) -> Outcome | None:
        ready, _ = self._letters()
        if not ready:
            self._error("Aucune lettre à écrire pour ces dossiers (voir l'aperçu).")
            return None
        folder = self._folder()
        for siren, (_, kind, text) in ready.items():
            target = checked(self.workspace, folder / f"lettre-{siren}-{kind}.txt", overwrite=False)
            write_export(target, text.encode("utf-8"))
        remember_folder(self.workspace, folder / "x")
        labels = {siren: f"lettre « {kind} »" for siren, (_, kind, _) in ready.items()}
        result = self.workspace.chase_many(labels)
        return Outcome(f"{len(ready)} lettre(s) écrite(s) dans {folder} ; {result.summary()}")

    def _export(self) -> Outcome:
        fmt = str(self.query_one("#batch-format", Select).value)
        typed = self.query_one("#batch-path", Input).value.strip()
        target = user_path(typed)
        if not target.is_absolute():
            target = proposed_folder(self.workspace) / target
        prepare_folder(target)
        target = checked(self.workspace, target, overwrite=False)
        selection = Selection(sirens=tuple(self.sirens))
        payload = export_bytes(self.workspace, fmt, (), None, selection)
        write_export(target, payload)
        remember_folder(self.workspace, target)
        return Outcome(f"Export de {len(self.sirens)} dossier(s) écrit dans {target}.")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# -- feature handlers (features.py) --------------------------------------------------------


def toggle_mark(screen: Dashboard, dossier: Dossier | None) -> None:
    if dossier is None:
        return
    listing = screen.dossier_list
    listing.toggle_mark(dossier.siren)
    listing.table.action_move(1)  # mark the next one with the same key


def mark_all(screen: Dashboard, dossier: Dossier | None) -> None:
    count = screen.dossier_list.mark_all_shown()
    screen.app.notify(f"{count} dossier(s) marqué(s).", timeout=2)


def cycle_owner_filter(screen: Dashboard, dossier: Dossier | None) -> None:
    owner = screen.dossier_list.cycle_owner_filter()
    screen.app.notify(f"Qui : {owner or 'tous'}", timeout=2)


def open_batch(screen: Dashboard, dossier: Dossier | None) -> None:
    listing = screen.dossier_list
    # Marked dossiers in the order shown (hidden ones too: a mark is kept across filters).
    shown = listing.table.sirens()
    sirens = [s for s in shown if s in listing.marked]
    sirens += sorted(listing.marked - set(sirens))
    if not sirens:
        screen.app.notify(
            "Aucun dossier marqué : v marque le dossier sélectionné, * tous ceux affichés.",
            title="Actions groupées",
            severity="warning",
            timeout=6,
        )
        return

    def done(outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.changed:
            screen.refresh_dossiers(list(outcome.changed))
        else:
            screen.reload(screen.selected_siren)
        for warning in outcome.warnings:
            screen.app.notify(warning, title="Attention", severity="warning", timeout=10)
        screen.app.notify(outcome.message, timeout=6)

    screen.app.push_screen(BatchScreen(screen.workspace, sirens), done)
