"""« Quel mode choisir ? » — the advisor's questions one at a time, then its recommendation.

`ModeChooser` is a modal returning the Recommendation (or None). `ModeAdvice` is the small
widget the add-dossier form embeds: a button that opens the chooser, the reason once
chosen, and a `Chosen` message the form answers by pre-filling its mode (the user can still
change it). Questions, rules and wording all come from espace_tui.domain.advisor.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from espace_tui.domain.advisor import (
    QUESTIONS_BY_ID,
    LineKind,
    Recommendation,
    next_question,
    recommend,
    recommendation_lines,
)
from espace_tui.workspace import Change, Workspace

# Styles per kind of line; theme-aware names only (no hard-coded colours).
LINE_STYLES: dict[LineKind, str] = {
    LineKind.TITLE: "bold",
    LineKind.TEXT: "",
    LineKind.SOURCE: "dim",
    LineKind.HEADING: "bold",
    LineKind.ITEM: "",
    LineKind.WARNING: "bold",
    LineKind.NOTE: "italic",
}


def recommendation_text(result: Recommendation) -> Text:
    text = Text()
    for kind, line in recommendation_lines(result):
        if text:
            text.append("\n")
        text.append(("  " if kind is LineKind.ITEM else "") + line, style=LINE_STYLES[kind])
    return text


class ModeChooser(ModalScreen[Recommendation | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "answer(True)", "Oui", id="chooser_yes"),
        Binding("n", "answer(False)", "Non", id="chooser_no"),
        Binding("backspace", "back", "Question précédente", id="chooser_back"),
        Binding("escape", "cancel", "Annuler", id="chooser_cancel"),
    ]

    def __init__(self, *, has_expert_space: bool, answers: dict[str, bool] | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.has_expert_space = has_expert_space
        # Pre-filled from what is already known (the company registry: a collectivité…).
        self.answers: dict[str, bool] = dict(answers or {})
        self.result: Recommendation | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog chooser"):
            yield Static(Text("Quel mode choisir ?"), classes="dialog-title")
            yield Static(id="chooser-answers")
            yield Static(id="chooser-question")
            yield Static(id="chooser-result")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Oui (o)", id="chooser-yes", variant="primary")
                yield Button("Non (n)", id="chooser-no", variant="primary")
                yield Button("Appliquer", id="chooser-apply", variant="success")
                yield Button("Retour (⌫)", id="chooser-back")
                yield Button("Annuler (Échap)", id="chooser-cancel")

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        answered = Text()
        for qid, value in self.answers.items():
            if answered:
                answered.append("\n")
            answered.append(f"{QUESTIONS_BY_ID[qid].short} : ", style="dim")
            answered.append("oui" if value else "non", style="bold")
        self.query_one("#chooser-answers", Static).update(answered)
        question = next_question(self.answers)
        asking = question is not None
        for button_id in ("chooser-yes", "chooser-no"):
            self.query_one(f"#{button_id}", Button).display = asking
        self.query_one("#chooser-apply", Button).display = not asking
        self.query_one("#chooser-back", Button).disabled = not self.answers
        question_view = self.query_one("#chooser-question", Static)
        result_view = self.query_one("#chooser-result", Static)
        if question is not None:
            self.result = None
            text = Text(question.text, style="bold")
            if question.help:
                text.append(f"\n{question.help}", style="dim")
            question_view.update(text)
            question_view.display = True
            result_view.display = False
            self.query_one("#chooser-yes", Button).focus()
            return
        self.result = recommend(self.answers, has_expert_space=self.has_expert_space)
        question_view.display = False
        result_view.update(recommendation_text(self.result))
        result_view.display = True
        self.query_one("#chooser-apply", Button).focus()

    def action_answer(self, value: bool) -> None:
        question = next_question(self.answers)
        if question is None:
            return
        self.answers[question.id] = value
        self._show()

    def action_back(self) -> None:
        if self.answers:
            self.answers.popitem()
            self._show()

    @on(Button.Pressed, "#chooser-yes")
    def _yes(self) -> None:
        self.action_answer(True)

    @on(Button.Pressed, "#chooser-no")
    def _no(self) -> None:
        self.action_answer(False)

    @on(Button.Pressed, "#chooser-back")
    def _back(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#chooser-apply")
    def action_apply(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)

    @on(Button.Pressed, "#chooser-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ModeAdvice(Vertical):
    """The chooser's place in the add-dossier form."""

    class Chosen(Message):
        def __init__(self, recommendation: Recommendation) -> None:
            super().__init__()
            self.recommendation = recommendation

    def __init__(self, *, has_expert_space: bool) -> None:
        super().__init__(id="mode-advice")
        self.has_expert_space = has_expert_space
        self.recommendation: Recommendation | None = None
        # Answers the chooser starts with (set by the form from the company registry).
        self.known_answers: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        yield Button("Aide au choix du mode…", id="choose-mode")
        yield Static(id="mode-advice-reason")

    @on(Button.Pressed, "#choose-mode")
    def open_chooser(self) -> None:
        def chosen(result: Recommendation | None) -> None:
            if result is None:
                return
            self.recommendation = result
            text = Text(f"Recommandé : {result.procedure.label}. ", style="bold")
            text.append(result.reason)
            self.query_one("#mode-advice-reason", Static).update(text)
            self.post_message(self.Chosen(result))

        chooser = ModeChooser(has_expert_space=self.has_expert_space, answers=self.known_answers)
        self.app.push_screen(chooser, chosen)

    def start_procedure(self, workspace: Workspace, change: Change) -> Change:
        """After the dossier is added: start the recommended procedure if it is not the mode's
        default (substitution), unless the user chose another mode than the one advised."""
        dossier, advice = change.dossier, self.recommendation
        if dossier is None or advice is None or dossier.mode is not advice.mode:
            return change
        if dossier.procedure_id == advice.procedure.id:
            return change
        restarted = workspace.restart(dossier.siren, advice.procedure.id, base=dossier)
        return replace(
            restarted,
            warnings=change.warnings + restarted.warnings,
            message=f"{change.message} {restarted.message}",
        )
