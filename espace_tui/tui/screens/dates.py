"""Dated entries the space bar cannot give: a step done at a past date, and the dossier's
facts (letter print date, first payment) that start or end a countdown.

Dates are typed the French way (« 28/11/2026 14h30 », « hier »…, or ISO) in Europe/Paris and
parsed by the domain (`parse_french_datetime`); the Workspace's own refusals (a date in the
future…) are shown under the field, in its words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from espace_tui.domain.dossier import MANDATE_STATE_LABELS, Dossier, MandateState
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.french_dates import (
    DATE_EXAMPLE,
    DATE_HINT,
    format_input_datetime,
    parse_french_datetime,
)
from espace_tui.domain.procedures import FACT_LABELS, Fact, procedure
from espace_tui.store.errors import StoreError
from espace_tui.tui.screens.reloadable import ReloadableDialog
from espace_tui.workspace import Change, Workspace

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard

# The step whose letter carries the print date that starts the activation countdown.
LETTER_STEP = "courrier_code"


def date_text(instant: datetime) -> str:
    """Pre-filled as the screens show dates: the parser reads it back unchanged."""
    return format_input_datetime(instant)


def merge(changes: list[Change]) -> Change | None:
    """Several Workspace changes shown as one: the last dossier, every warning and message."""
    if not changes:
        return None
    warnings = tuple(w for c in changes for w in c.warnings)
    message = " ".join(c.message for c in changes if c.message)
    return Change(changes[-1].dossier, warnings, message)


class TickAtScreen(ReloadableDialog):
    """« Cocher à une date… »: a step of the dossier's procedure, done at the date typed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="tick_at_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="tick_at_save", priority=True),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier, step_id: str | None) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossier = dossier
        self.step_id = step_id
        self.reloaded()

    def reloaded(self) -> None:
        self.steps = procedure(self.dossier.procedure_id).steps
        ids = [s.id for s in self.steps]
        self.step_id = self.step_id if self.step_id in ids else ids[0]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text("Cocher une étape à une date — ")
            title.append(self.dossier.name)
            yield Static(title, classes="dialog-title")
            yield Label("Étape")
            yield Select(
                [(Text(s.label), s.id) for s in self.steps],
                value=self.step_id,
                allow_blank=False,
                id="tick-step",
            )
            yield Static(Text(f"Dates : {DATE_HINT}."), classes="dialog-hint")
            yield Label("Fait le")
            yield Input(date_text(self.workspace.now()), placeholder=DATE_EXAMPLE, id="tick-date")
            yield Static(id="tick-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cocher (ctrl+s)", variant="primary", id="save")
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#tick-date", Input).focus()

    def _error(self, message: str) -> None:
        error = self.query_one("#tick-error", Static)
        error.update(Text(message))
        error.display = bool(message)
        self.query_one("#tick-date", Input).set_class(bool(message), "-invalid")

    @on(Input.Changed, "#tick-date")
    def _typed(self) -> None:
        self._error("")

    @on(Input.Submitted, "#tick-date")
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        step = self.query_one("#tick-step", Select).value
        text = self.query_one("#tick-date", Input).value
        try:
            when = parse_french_datetime(text, "Date", self.workspace.now())
            change = self.workspace.tick(self.dossier.siren, str(step), when, base=self.dossier)
        except InvalidInput as err:
            self._error(err.message)
            return
        except (UserError, StoreError) as err:
            self._error(str(err))
            self.refused(err)
            return
        self.dismiss(change)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class FactsScreen(ReloadableDialog):
    """The dossier's dated facts, one field each: a date sets it, an empty field clears it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="facts_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="facts_save", priority=True),
    ]

    def __init__(
        self,
        workspace: Workspace,
        dossier: Dossier,
        facts: tuple[Fact, ...] = tuple(FACT_LABELS),
        *,
        title: str = "Dates du dossier — ",
        cancel_label: str = "Annuler (Échap)",
        prefill_now: bool = False,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossier = dossier
        self.facts = facts
        self._title = title
        self._cancel_label = cancel_label
        self._prefill_now = prefill_now

    def _initial(self, fact: Fact) -> str:
        when = self.dossier.events.get(fact.value)
        if when is not None:
            return date_text(when)
        return date_text(self.workspace.now()) if self._prefill_now else ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = Text(self._title)
            title.append(self.dossier.name)
            yield Static(title, classes="dialog-title")
            yield Static(
                Text(f"Dates : {DATE_HINT}. Champ vide : date effacée."), classes="dialog-hint"
            )
            for fact in self.facts:
                yield Label(FACT_LABELS[fact])
                yield Input(self._initial(fact), placeholder=DATE_EXAMPLE, id=f"fact-{fact.value}")
                yield Static(id=f"fact-error-{fact.value}", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Enregistrer (ctrl+s)", variant="primary", id="save")
                yield Button(self._cancel_label, id="cancel")

    def on_mount(self) -> None:
        self.query_one(f"#fact-{self.facts[0].value}", Input).focus()

    def _error(self, fact: Fact, message: str) -> None:
        error = self.query_one(f"#fact-error-{fact.value}", Static)
        error.update(Text(message))
        error.display = bool(message)
        self.query_one(f"#fact-{fact.value}", Input).set_class(bool(message), "-invalid")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        fact = Fact((event.input.id or "").removeprefix("fact-"))
        self._error(fact, "")

    def _wanted(self) -> dict[Fact, datetime | None] | None:
        """The facts whose field differs from the dossier; None when a field is invalid."""
        wanted: dict[Fact, datetime | None] = {}
        valid = True
        for fact in self.facts:
            text = self.query_one(f"#fact-{fact.value}", Input).value.strip()
            try:
                when = (
                    parse_french_datetime(text, FACT_LABELS[fact], self.workspace.now())
                    if text
                    else None
                )
            except InvalidInput as err:
                self._error(fact, err.message)
                valid = False
                continue
            if when != self.dossier.events.get(fact.value):
                wanted[fact] = when
        return wanted if valid else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        wanted = self._wanted()
        if wanted is None:
            return
        try:
            # All the dates or none; only those changed here, on top of the stored dossier.
            changes = self.workspace.set_facts(self.dossier.siren, wanted, base=self.dossier)
        except InvalidInput as err:
            field = next((f for f in wanted if FACT_LABELS[f] == err.field), next(iter(wanted)))
            self._error(field, err.message)
            return
        except (UserError, StoreError) as err:
            self._error(next(iter(wanted), self.facts[0]), str(err))
            self.refused(err)
            return
        self.dismiss(merge(changes) or Change(self.dossier, (), "Dates inchangées."))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class MandateScreen(ReloadableDialog):
    """Where the B2B mandate is: to print, sent to the bank, registered by the bank."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="mandate_cancel"),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossier = dossier

    def compose(self) -> ComposeResult:
        current = self.dossier.bank.mandate_state if self.dossier.bank else None
        with Vertical(classes="dialog"):
            title = Text("Mandat B2B — ")
            title.append(self.dossier.name)
            yield Static(title, classes="dialog-title")
            options = [
                Option(label + (" (actuel)" if state is current else ""), id=state.value)
                for state, label in MANDATE_STATE_LABELS.items()
            ]
            yield OptionList(*options, id="mandate-states")
            yield Static(id="mandate-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Annuler (Échap)", id="cancel")

    def on_mount(self) -> None:
        states = self.query_one("#mandate-states", OptionList)
        current = self.dossier.bank.mandate_state if self.dossier.bank else None
        states.highlighted = list(MandateState).index(current) if current else 0
        states.focus()

    @on(OptionList.OptionSelected, "#mandate-states")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        state = MandateState(str(event.option.id))
        try:
            change = self.workspace.set_mandate_state(self.dossier.siren, state, base=self.dossier)
        except (UserError, StoreError) as err:
            error = self.query_one("#mandate-error", Static)
            error.update(Text(str(err)))
            error.display = True
            self.refused(err)
            return
        self.dismiss(change)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


# -- feature handlers (features.py) --------------------------------------------------------


def ask_print_date(screen: Dashboard, dossier: Dossier) -> None:
    """After the letter step is ticked: its print date starts the activation countdown."""
    screen.app.push_screen(
        FactsScreen(
            screen.workspace,
            dossier,
            (Fact.LETTER_PRINTED,),
            title="Courrier reçu — date imprimée en haut de la lettre ? ",
            cancel_label="Passer (Échap)",
            prefill_now=True,
        ),
        _applier(screen),
    )


def _applier(screen: Dashboard) -> Callable[[Change | None], None]:
    def done(change: Change | None) -> None:
        if change is not None:
            screen.apply_change(change)

    return done


def open_tick_at(screen: Dashboard, dossier: Dossier | None) -> None:
    if dossier is None:
        return
    step_id = screen.highlighted_step

    def done(change: Change | None) -> None:
        if change is None:
            return
        screen.apply_change(change)
        ticked = change.dossier
        letter = None if ticked is None else ticked.events.get(LETTER_STEP)
        if ticked is not None and letter is not None and letter != dossier.events.get(LETTER_STEP):
            ask_print_date(screen, ticked)

    screen.app.push_screen(TickAtScreen(screen.workspace, dossier, step_id), done)


def open_facts(screen: Dashboard, dossier: Dossier | None) -> None:
    if dossier is not None:
        screen.app.push_screen(FactsScreen(screen.workspace, dossier), _applier(screen))


def open_mandate(screen: Dashboard, dossier: Dossier | None) -> None:
    if dossier is not None:
        screen.app.push_screen(MandateScreen(screen.workspace, dossier), _applier(screen))
