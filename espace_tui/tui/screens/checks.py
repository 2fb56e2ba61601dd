"""The automatic checks over every dossier and expert space (`B`, and the palette): each
finding names its blockage and its remedies; Enter opens the diagnosis of that dossier."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.domain.checks import Finding, run_checks
from espace_tui.domain.diagnosis import diagnose_kind, helpline_text
from espace_tui.domain.diagnosis_catalogue import blockage_title
from espace_tui.domain.dossier import Dossier
from espace_tui.domain.identifiers import format_siren
from espace_tui.tui.screens.diagnosis import DiagnosisScreen
from espace_tui.workspace import Change, Workspace

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard


def open_checks(screen: Dashboard, dossier: Dossier | None) -> None:
    def picked(choice: tuple[str, str] | None) -> None:
        if choice is None:
            return
        siren, kind_id = choice
        target = screen.workspace.store.get_dossier(siren)
        if target is None:
            return
        screen.reload(select=siren)
        if screen.read_only:
            # Applying a remedy writes: a read-only dashboard only shows where the trouble is.
            screen.app.notify("Tableau de bord en lecture seule : remèdes non applicables ici.")
            return

        def done(change: Change | None) -> None:
            if change is not None:
                screen.apply_change(change)

        screen.app.push_screen(DiagnosisScreen(screen.workspace, target, kind_id), done)

    screen.app.push_screen(ChecksScreen(screen.workspace), picked)


class ChecksScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Fermer", id="checks_cancel"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossiers = {d.siren: d for d in workspace.dossiers()}
        self.findings: list[Finding] = run_checks(
            list(self.dossiers.values()), workspace.spaces(), workspace.now(), workspace.thresholds
        )

    def compose(self) -> ComposeResult:
        count = len(self.findings)
        title = (
            "Vérifications automatiques : aucun blocage détecté"
            if not count
            else f"Vérifications automatiques : {count} blocage(s) détecté(s)"
        )
        with Vertical(classes="dialog checks"):
            yield Static(Text(title), classes="dialog-title")
            yield OptionList(
                *(self._option(i, f) for i, f in enumerate(self.findings)), id="checks-list"
            )
            yield Static(id="checks-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Diagnostiquer (Entrée)", variant="primary", id="checks-open")
                yield Button("Fermer (Échap)", id="checks-close")

    def on_mount(self) -> None:
        if self.findings:
            self._show(0)
        else:
            self.query_one("#checks-detail", Static).update(
                Text("Délais, espaces experts, mandats B2B et e-mails de connexion : tout va bien.")
            )
        self.query_one("#checks-list", OptionList).focus()

    def _who(self, finding: Finding) -> str:
        dossier = self.dossiers.get(finding.siren or "")
        if dossier is not None:
            return f"{format_siren(dossier.siren)} {dossier.name}"
        return f"Espace expert « {finding.space_id} »"

    def _option(self, index: int, finding: Finding) -> Option:
        prompt = Text(self._who(finding), style="bold")
        prompt.append(f" — {blockage_title(finding.kind)}\n")
        prompt.append(f"  {finding.message}", style="dim")
        return Option(prompt, id=str(index))

    @on(OptionList.OptionHighlighted, "#checks-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is not None:
            self._show(int(event.option.id))

    def _show(self, index: int) -> None:
        finding = self.findings[index]
        dossier = self.dossiers.get(finding.siren or "")
        candidate = diagnose_kind(finding.kind, dossier, self.workspace.spaces())
        text = Text("Remèdes : ", style="bold")
        labels = [r.label for r in candidate.applicable]
        text.append(" ; ".join(labels) if labels else "aucun ne s'applique — " + helpline_text())
        if dossier is None:
            text.append(
                "\nÀ faire depuis la liste des espaces experts (A : ajouter un espace expert).",
                style="dim",
            )
        self.query_one("#checks-detail", Static).update(text)

    @on(OptionList.OptionSelected, "#checks-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    @on(Button.Pressed, "#checks-open")
    def action_open(self) -> None:
        option = self.query_one("#checks-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return
        finding = self.findings[int(option.id)]
        if finding.siren is None:
            self.notify(
                "Ce blocage concerne un espace expert, pas un dossier : voir ses remèdes.",
                timeout=5,
            )
            return
        self.dismiss((finding.siren, finding.kind))

    @on(Button.Pressed, "#checks-close")
    def action_cancel(self) -> None:
        self.dismiss(None)
