"""The diagnosis dialog (`b` on a dossier): paste or pick the message, read causes and the
remedies that fit this dossier, apply one.

Everything it knows comes from the domain (catalogue, matching, checks) and everything it
changes goes through `Remedies`, on top of the Workspace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from espace_tui.domain.checks import findings_for, run_checks
from espace_tui.domain.deadlines import STATUS_LABELS
from espace_tui.domain.diagnosis import (
    Candidate,
    countdown_text,
    diagnose_kind,
    helpline_text,
    lift_text,
    remedy_steps,
)
from espace_tui.domain.diagnosis_catalogue import (
    CATALOGUE,
    Remedy,
    blockage_title,
    remedy_label,
)
from espace_tui.domain.display import format_datetime
from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import OWNER_LABELS
from espace_tui.store.errors import StoreError
from espace_tui.tui.screens.reloadable import ReloadableDialog
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Change, Workspace
from espace_tui.workspace.remedies import (
    PICKS_A_SPACE,
    STARTS_A_PROCEDURE,
    NewSpace,
    Remedies,
    note_from,
    open_blockage_of,
)

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard

NEW_SPACE = "__new__"


def open_diagnosis(screen: Dashboard, dossier: Dossier | None) -> None:
    if dossier is None:
        return

    def done(change: Change | None) -> None:
        if change is not None:
            screen.apply_change(change)

    screen.app.push_screen(DiagnosisScreen(screen.workspace, dossier), done)


class DiagnosisScreen(ReloadableDialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Fermer", id="diagnosis_cancel"),
        Binding("ctrl+s", "apply", "Appliquer le remède", id="diagnosis_apply", priority=True),
        Binding("ctrl+b", "record", "Noter le blocage", id="diagnosis_record", priority=True),
        Binding("ctrl+l", "lift", "Lever le blocage", id="diagnosis_lift", priority=True),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier, kind_id: str | None = None) -> None:
        """`kind_id`: a blockage to show first (picked from the automatic checks)."""
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.remedies = Remedies(workspace)
        self.dossier = dossier
        self.candidates: list[Candidate] = []
        self.kind_id: str | None = None
        self.first_kind = kind_id
        self.reloaded()

    def reloaded(self) -> None:
        ws = self.workspace
        findings = run_checks(ws.dossiers(), ws.spaces(), ws.now())
        self.findings = findings_for(self.dossier.siren, findings, self.dossier)
        self.candidates, self.kind_id = [], None

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog diagnosis"):
            title = Text("Diagnostic d'un blocage — ")
            title.append(self.dossier.name)
            title.append(f" ({format_siren(self.dossier.siren)})")
            yield Static(title, classes="dialog-title")
            yield Static(self._dossier_text(), id="diag-dossier")
            yield TextArea(
                "",
                id="diag-message",
                soft_wrap=True,
                placeholder="ex. : Il existe déjà un adhérent aux téléprocédures pour ce SIREN",
            )
            yield Static(id="diag-verdict")
            with Horizontal(id="diag-body"):
                yield OptionList(id="diag-kinds")
                with ScrollPane(id="diag-info"):
                    yield Static(id="diag-kind-detail")
                    yield OptionList(id="diag-remedies")
                    yield Checkbox(id="diag-first-done", compact=True)
                    yield Static(id="diag-remedy-detail")
            yield Static(id="diag-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Appliquer (ctrl+s)", variant="primary", id="diag-apply", compact=True)
                # Short labels: the four buttons fit 80 columns (the title says « blocage »).
                yield Button("Noter (ctrl+b)", id="diag-record", compact=True)
                yield Button("Lever (ctrl+l)", id="diag-lift", compact=True)
                yield Button("Fermer (Échap)", id="diag-close", compact=True)

    def on_mount(self) -> None:
        message = self.query_one("#diag-message", TextArea)
        message.border_title = "Message affiché par le site, ou symptôme (collez-le tel quel)"
        remedies = self.query_one("#diag-remedies", OptionList)
        remedies.border_title = "Remèdes pour ce dossier (Entrée : appliquer)"
        self._show_candidates("")
        known = [b.kind for b in self.dossier.open_blockages] + [f.kind for f in self.findings]
        if known or self.first_kind:
            self.query_one("#diag-remedies", OptionList).focus()
        else:
            self.query_one("#diag-message", TextArea).focus()

    # -- what the dossier already shows ---------------------------------------------------

    def _dossier_text(self) -> Text:
        dossier = self.dossier
        state = self.workspace.state(dossier)
        text = Text(f"Statut : {STATUS_LABELS[state.status]} · {state.procedure.label}")
        for blockage in dossier.open_blockages:
            text.append(
                f"\nBlocage ouvert : {blockage_title(blockage.kind)} "
                f"(depuis le {format_datetime(blockage.opened_at)})",
                style="bold",
            )
            if blockage.remedy:
                text.append(f" — remède en cours : {remedy_label(blockage.remedy)}")
        for finding in self.findings:
            text.append(f"\n⚠ Vérification automatique : {finding.message}")
        return text

    # -- candidates ------------------------------------------------------------------------

    @on(TextArea.Changed, "#diag-message")
    def _message_changed(self, event: TextArea.Changed) -> None:
        self._show_candidates(event.text_area.text)

    def _show_candidates(self, message: str) -> None:
        verdict = Text()
        if message.strip():
            diagnosis = self.remedies.diagnose(message, self.dossier.siren)
            self.candidates = list(diagnosis.candidates)
            if diagnosis.matched:
                count = len(self.candidates)
                verdict.append(
                    "Un blocage correspond."
                    if count == 1
                    else f"{count} blocages possibles, le plus probable en premier."
                )
            else:
                verdict.append("Aucun blocage connu ne correspond à ce message. ", style="bold")
                verdict.append("Choisissez dans le catalogue, ou appelez l'assistance : ")
                verdict.append(helpline_text())
                self.candidates = self._catalogue()
        else:
            verdict.append("Choisissez le blocage dans la liste, ou collez le message.")
            self.candidates = self._catalogue()
        self.query_one("#diag-verdict", Static).update(verdict)
        kinds = self.query_one("#diag-kinds", OptionList)
        kinds.set_options(self._kind_option(c, bool(message.strip())) for c in self.candidates)
        if self.candidates:
            kinds.highlighted = 0
            self._select_kind(self.candidates[0].kind.id)

    def _catalogue(self) -> list[Candidate]:
        """The whole catalogue, what this dossier already shows first."""
        first = [b.kind for b in self.dossier.open_blockages] + [f.kind for f in self.findings]
        if self.first_kind:
            first.insert(0, self.first_kind)
        order = list(dict.fromkeys([*first, *(k.id for k in CATALOGUE)]))
        spaces = self.workspace.spaces()
        return [diagnose_kind(kind_id, self.dossier, spaces) for kind_id in order]

    def _kind_option(self, candidate: Candidate, scored: bool) -> Option:
        prompt = Text(candidate.kind.title)
        if open_blockage_of(self.dossier, candidate.kind.id) is not None:
            prompt.append("  (ouvert)", style="bold")
        elif any(f.kind == candidate.kind.id for f in self.findings):
            prompt.append("  (détecté)", style="bold")
        if scored:
            prompt.append(f"  {round(candidate.score * 100)} %", style="dim")
        return Option(prompt, id=candidate.kind.id)

    @on(OptionList.OptionHighlighted, "#diag-kinds")
    def _kind_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._select_kind(event.option.id)

    def _candidate(self) -> Candidate | None:
        return next((c for c in self.candidates if c.kind.id == self.kind_id), None)

    def _select_kind(self, kind_id: str) -> None:
        if kind_id == self.kind_id:
            return
        self.kind_id = kind_id
        candidate = self._candidate()
        if candidate is None:
            return
        kind = candidate.kind
        detail = Text(kind.title, style="bold")
        quote = kind.message_label
        detail.append(f"\n{quote} : « {kind.message} »\nCauses :")
        for cause in kind.causes:
            detail.append(f"\n • {cause}")
        excluded = [o for o in candidate.options if not o.applies]
        for option in excluded:
            detail.append(f"\nNe s'applique pas ici : {option.remedy.label}", style="dim")
            detail.append(f" ({option.reason})", style="dim")
        self.query_one("#diag-kind-detail", Static).update(detail)
        # Only what fits this dossier is proposed; the rest is explained above.
        remedies = self.query_one("#diag-remedies", OptionList)
        remedies.set_options(Option(Text(r.label), id=r.id) for r in candidate.applicable)
        if candidate.applicable:
            remedies.highlighted = 0
            self._show_remedy(candidate.applicable[0])
        else:
            self.query_one("#diag-remedy-detail", Static).update(
                Text("Aucun remède ne s'applique à ce dossier. " + helpline_text())
            )
        self.query_one("#diag-lift", Button).disabled = (
            open_blockage_of(self.dossier, kind_id) is None
        )
        self._error("")

    # -- remedies --------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#diag-remedies")
    def _remedy_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        remedy = self._remedy(event.option.id)
        if remedy is not None:
            self._show_remedy(remedy)

    def _remedy(self, remedy_id: str | None) -> Remedy | None:
        candidate = self._candidate()
        if candidate is None or remedy_id is None:
            return None
        return next((r for r in candidate.applicable if r.id == remedy_id), None)

    def _show_remedy(self, remedy: Remedy) -> None:
        text = Text(remedy.label, style="bold")
        text.append(f" — {OWNER_LABELS[remedy.owner]}")
        for number, (label, owner) in enumerate(remedy_steps(remedy, self.dossier), 1):
            text.append(f"\n{number}. {label}")
            text.append(f" ({OWNER_LABELS[owner]})", style="dim")
        for ref in remedy.countdowns:
            text.append(f"\nDélai : {countdown_text(ref)}")
        text.append(f"\n{lift_text(remedy)}", style="italic")
        source = remedy.source + (" (non vérifié)" if remedy.unverified else "")
        text.append(f"\nSource : {source}", style="dim")
        self.query_one("#diag-remedy-detail", Static).update(text)
        # A remedy that starts a procedure may have its first step done right away (the
        # adhesion made while on the site): its countdowns then run at once.
        first_done = self.query_one("#diag-first-done", Checkbox)
        first_done.display = remedy.action in STARTS_A_PROCEDURE
        if first_done.display:
            first_done.label = Text("Étape 1 déjà faite (ses délais démarrent maintenant)")
        else:
            first_done.value = False

    @on(OptionList.OptionSelected, "#diag-remedies")
    def _remedy_chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_apply()

    @on(Button.Pressed, "#diag-apply")
    def action_apply(self) -> None:
        remedies = self.query_one("#diag-remedies", OptionList)
        option = remedies.highlighted_option
        remedy = self._remedy(option.id if option is not None else None)
        if remedy is None or self.kind_id is None:
            self._error("Choisissez d'abord un remède qui s'applique à ce dossier.")
            return
        if remedy.action in PICKS_A_SPACE:
            chosen = remedy

            def picked(target: str | NewSpace | None) -> None:
                if target is not None:
                    self._apply(chosen, target)

            exclude = self.dossier.space_id if remedy.other_space else None
            self.app.push_screen(SpacePicker(self.workspace, exclude), picked)
            return
        self._apply(remedy, None)

    def _apply(self, remedy: Remedy, target: str | NewSpace | None) -> None:
        assert self.kind_id is not None
        try:
            change = self.remedies.apply(
                self.dossier.siren,
                self.kind_id,
                remedy.id,
                space_id=target if isinstance(target, str) else None,
                new_space=target if isinstance(target, NewSpace) else None,
                first_step_done=self.query_one("#diag-first-done", Checkbox).value,
                note=self._note(),
                base=self.dossier,
            )
        except (UserError, StoreError) as err:
            self._error(str(err))
            self.refused(err)
            return
        self.dismiss(change)

    @on(Button.Pressed, "#diag-record")
    def action_record(self) -> None:
        if self.kind_id is None:
            return
        try:
            change = self.remedies.record(self.dossier.siren, self.kind_id, self._note())
        except (UserError, StoreError) as err:
            self._error(str(err))
            return
        self.dismiss(change)

    @on(Button.Pressed, "#diag-lift")
    def action_lift(self) -> None:
        blockage = open_blockage_of(self.dossier, self.kind_id or "")
        if blockage is None:
            self._error("Aucun blocage de ce type n'est ouvert sur ce dossier.")
            return
        try:
            change = self.workspace.resolve_blockage(self.dossier.siren, blockage.id)
        except (UserError, StoreError) as err:
            self._error(str(err))
            return
        self.dismiss(change)

    @on(Button.Pressed, "#diag-close")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _note(self) -> str:
        return note_from(self.query_one("#diag-message", TextArea).text)

    def _error(self, message: str) -> None:
        error = self.query_one("#diag-error", Static)
        error.update(Text(message))
        error.display = bool(message)


class SpacePicker(ModalScreen["str | NewSpace | None"]):
    """Which expert space will follow the SIREN: an existing one, or a new one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="space_pick_cancel"),
        Binding("ctrl+s", "choose", "Valider", id="space_pick_choose", priority=True),
    ]

    def __init__(self, workspace: Workspace, exclude: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.exclude = exclude

    def compose(self) -> ComposeResult:
        dossiers = self.workspace.dossiers()
        choices = [
            (
                Text(
                    f"{s.id} — {s.label} "
                    f"({len(self.workspace.space_members(s.id, dossiers))} SIREN)"
                ),
                s.id,
            )
            for s in self.workspace.spaces()
            if s.id != self.exclude
        ]
        choices.append((Text("Créer un nouvel espace expert…"), NEW_SPACE))
        with Vertical(classes="dialog"):
            yield Static(Text("Espace expert qui suivra ce SIREN"), classes="dialog-title")
            yield Select(choices, value=choices[0][1], allow_blank=False, id="space-choice")
            with Vertical(id="space-new"):
                yield Label("Identifiant de l'espace")
                yield Input(placeholder="court, par exemple lyon", id="space-id")
                yield Label("Nom de l'espace")
                yield Input(placeholder="par exemple Espace expert de Lyon", id="space-label")
                yield Label("E-mail de connexion")
                yield Input(placeholder="une adresse réservée à cet espace", id="space-email")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Valider (ctrl+s)", variant="primary", id="space-ok")
                yield Button("Annuler (Échap)", id="space-cancel")

    def on_mount(self) -> None:
        self._toggle_new()
        self.query_one("#space-choice", Select).focus()

    @on(Select.Changed, "#space-choice")
    def _toggle_new(self) -> None:
        choice = self.query_one("#space-choice", Select).value
        self.query_one("#space-new").display = choice == NEW_SPACE

    @on(Button.Pressed, "#space-ok")
    def action_choose(self) -> None:
        choice = self.query_one("#space-choice", Select).value
        if choice == NEW_SPACE:
            self.dismiss(
                NewSpace(
                    self.query_one("#space-id", Input).value,
                    self.query_one("#space-label", Input).value,
                    self.query_one("#space-email", Input).value,
                )
            )
        elif isinstance(choice, str):
            self.dismiss(choice)

    @on(Button.Pressed, "#space-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
