"""The client letter: shown, sent by e-mail, saved as a .eml draft, copied or saved to a file.

A send is recorded in the history once the server accepted it; a copy or a file records the
chase.

The clipboard goes through OSC 52, which many terminals (and tmux by default) ignore
silently: saving to a file is always offered next to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import UserError
from espace_tui.domain.mail_settings import smtp_from_settings
from espace_tui.report.export import write_export
from espace_tui.report.letter_mail import draft_bytes
from espace_tui.report.letters import (
    LETTERS,
    LETTERS_BY_ID,
    Letter,
    letter_warnings,
    no_letter_reason,
    render_letter,
    suggested_letter,
)
from espace_tui.store.errors import StoreError
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.screens.overwrite import ask_overwrite, checked, prepared_target
from espace_tui.tui.screens.password import PasswordScreen
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Change, Workspace
from espace_tui.workspace.mail_out import (
    PasswordNeeded,
    configured_smtp,
    recipient,
    send_letter,
)
from espace_tui.workspace.output_folders import (
    proposed_folder,
    remember_folder,
    shown_path,
)

if TYPE_CHECKING:
    from espace_tui.tui.dashboard import Dashboard


def default_letter_path(workspace: Workspace, dossier: Dossier, letter_id: str) -> Path:
    return proposed_folder(workspace) / f"lettre-{dossier.siren}-{letter_id}.txt"


class LetterScreen(ModalScreen[Change | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Fermer", id="letter_cancel"),
        Binding("ctrl+y", "copy", "Copier", id="letter_copy", priority=True),
        Binding("ctrl+s", "save", "Enregistrer", id="letter_save", priority=True),
        Binding("ctrl+e", "send", "Envoyer", id="letter_send", priority=True),
        Binding("ctrl+b", "draft", "Brouillon .eml", id="letter_draft", priority=True),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier) -> None:
        super().__init__(classes="dialog-screen")
        self._workspace = workspace
        self._dossier = dossier
        self._letter: Letter | None = None
        # The history records the chase once, at the first copy or save.
        self._change: Change | None = None
        self._sending = False
        # Same rule as `espace-tui lettre`: the letter for the step awaited, or none and why.
        state = workspace.state(dossier)
        suggested = suggested_letter(state)
        self._type_id: str | None = suggested.id if suggested else None
        self._no_letter = "" if suggested else no_letter_reason(state)

    def compose(self) -> ComposeResult:
        # Scrolls as a whole on a short terminal: the letter keeps a readable height (80x24).
        with ScrollPane(classes="dialog letter"):
            title = Text("Lettre au client — ")
            title.append(self._dossier.name)
            yield Static(title, classes="dialog-title")
            yield Select(
                [(Text(t.label), t.id) for t in LETTERS],
                value=self._type_id if self._type_id else Select.NULL,
                allow_blank=self._type_id is None,
                prompt="Choisir une lettre",
                id="letter-type",
            )
            yield TextArea("", id="letter-text", read_only=True, soft_wrap=True)
            yield Label("Enregistrer dans le fichier")
            yield Input(self._default_path(self._type_id), id="letter-path")
            yield Static(id="letter-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Envoyer", variant="primary", id="send")
                yield Button("Brouillon .eml", id="draft")
                yield Button("Copier", id="copy")
                yield Button("Enregistrer", id="save")
                yield Button("Fermer", id="close")
            # Five buttons fit 80 columns only without their keys: the keys go on one line.
            yield Static(
                Text("ctrl+e envoyer · ctrl+b brouillon · ctrl+y copier · ctrl+s enregistrer"),
                id="letter-keys",
            )

    def on_mount(self) -> None:
        self._render_letter()
        self.query_one("#letter-text", TextArea).focus()

    def _show_error(self, message: str) -> None:
        error = self.query_one("#letter-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    def _default_path(self, type_id: str | None) -> str:
        if not type_id:
            return ""
        return shown_path(default_letter_path(self._workspace, self._dossier, type_id))

    def _render_letter(self) -> None:
        workspace, dossier = self._workspace, self._dossier
        now = workspace.now()
        if self._type_id is None:
            self._letter, text = None, ""
            problem = f"{self._no_letter} Pour relancer quand même, choisissez une lettre."
        else:
            try:
                self._letter = render_letter(
                    LETTERS_BY_ID[self._type_id],
                    dossier,
                    workspace.state(dossier, now),
                    workspace.cabinet(),
                    now,
                )
                text, problem = self._letter.text, ""
                # Already done by the client, or no address: said, the letter still offered.
                doubts = letter_warnings(self._letter.template, dossier)
                if doubts:
                    problem = "Attention : " + " ".join(doubts)
            except UserError as err:
                self._letter, text, problem = None, "", str(err)
        self.query_one("#letter-text", TextArea).load_text(text)
        self._show_error(problem)
        for button in ("copy", "save", "send", "draft"):
            self.query_one(f"#{button}", Button).disabled = self._letter is None

    @on(Select.Changed, "#letter-type")
    def _type_changed(self, event: Select.Changed) -> None:
        if not isinstance(event.value, str) or event.value == self._type_id:
            return
        path = self.query_one("#letter-path", Input)
        if path.value == self._default_path(self._type_id):
            path.value = self._default_path(event.value)
        self._type_id = event.value
        self._render_letter()

    def _record(self) -> None:
        if self._change is not None or self._letter is None:
            return
        try:
            self._change = self._workspace.record_client_chased(
                self._dossier.siren, self._letter.template.label
            )
        except (UserError, StoreError) as err:
            self.notify(str(err), title="Historique", severity="error", timeout=8, markup=False)

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        if self._letter is None:
            return
        self.app.copy_to_clipboard(self._letter.text)
        self._record()
        self.notify(
            "Lettre envoyée au presse-papiers. Si le collage ne donne rien (tmux, certains "
            "terminaux), enregistrez-la dans un fichier (ctrl+s).",
            title="Copié",
            timeout=8,
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self._letter is None:
            return
        try:
            target = prepared_target(self._workspace, self.query_one("#letter-path", Input).value)
        except UserError as err:
            self._show_error(str(err))
            return
        ask_overwrite(self, target, lambda overwrite: self._save_to(target, overwrite))

    def _save_to(self, target: Path, overwrite: bool) -> None:
        if self._letter is None:
            return
        written = self._write(target, self._letter.text.encode("utf-8"), overwrite)
        if written is None:
            return
        target = written
        if not getattr(self.app, "read_only", False):
            remember_folder(self._workspace, target)
        self.notify(
            f"Lettre enregistrée dans {target}.", title="Enregistré", timeout=8, markup=False
        )

    def _write(self, target: Path, payload: bytes, overwrite: bool) -> Path | None:
        """Write the letter's file (text or draft) and record the chase; None once the
        refusal is shown."""
        try:
            target = checked(self._workspace, target, overwrite=overwrite)
            write_export(target, payload, overwrite=overwrite)
        except UserError as err:
            self._show_error(str(err))
            return None
        except OSError as err:
            self._show_error(f"Écriture impossible : {err.strerror or err}.")
            return None
        self._show_error("")
        self._record()
        return target

    # -- e-mail --------------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        """Confirm, then send in a thread; the history records it once the server accepted."""
        if self._letter is None or self._sending:
            return
        try:
            configured_smtp(self._workspace.settings())
            address = recipient(self._dossier, None)
        except UserError as err:
            self._show_error(str(err))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._send(None)

        question = ConfirmScreen.question(
            "Envoyer la lettre", "Envoyer la lettre à ", address, " maintenant ?"
        )
        self.app.push_screen(ConfirmScreen(question, confirm_label="Envoyer"), confirmed)

    def _send(self, password: str | None) -> None:
        self._sending = True
        self.query_one("#send", Button).disabled = True
        self._show_error("")
        self.notify("Connexion au serveur d'envoi…", title="Lettre", timeout=4)
        self._send_worker(password)

    @work(thread=True, exclusive=True, group="send", exit_on_error=False)
    def _send_worker(self, password: str | None) -> None:
        letter = self._letter
        if letter is None:
            return
        try:
            change = send_letter(
                self._workspace,
                self._dossier,
                letter,
                ask_password=(lambda: password) if password else None,
            )
        except PasswordNeeded:
            self.app.call_from_thread(self._ask_password)
            return
        except (UserError, StoreError) as err:
            self.app.call_from_thread(self._send_failed, str(err))
            return
        except Exception as err:  # never a traceback from a worker
            self.app.call_from_thread(self._send_failed, f"échec inattendu ({type(err).__name__})")
            return
        self.app.call_from_thread(self._sent, change)

    def _ask_password(self) -> None:
        smtp = smtp_from_settings(self._workspace.settings())
        who = Text("Pour ")
        who.append(smtp.user if smtp else "", style="bold")
        who.append(f" sur {smtp.host}" if smtp else "")
        who.append(" (gardé en mémoire pour cet envoi seulement) :")

        def typed(password: str | None) -> None:
            if password:
                self._send(password)
            else:
                self._send_failed("envoi annulé : pas de mot de passe.")

        self.app.push_screen(PasswordScreen(who), typed)

    def _send_failed(self, message: str) -> None:
        self._sending = False
        self.query_one("#send", Button).disabled = self._letter is None
        self._show_error(f"Lettre non envoyée : {message}")

    def _sent(self, change: Change) -> None:
        self._sending = False
        self.query_one("#send", Button).disabled = self._letter is None
        self._change = change
        self.notify(change.message, title="Envoyée", timeout=8, markup=False)

    @on(Button.Pressed, "#draft")
    def action_draft(self) -> None:
        """A .eml next to where the letter would be saved: Outlook opens it ready to send."""
        if self._letter is None:
            return
        try:
            raw = self.query_one("#letter-path", Input).value
            target = prepared_target(self._workspace, raw, ".eml")
        except UserError as err:
            self._show_error(str(err))
            return
        ask_overwrite(self, target, lambda overwrite: self._draft_to(target, overwrite))

    def _draft_to(self, target: Path, overwrite: bool) -> None:
        if self._letter is None:
            return
        smtp = smtp_from_settings(self._workspace.settings())
        to = self._dossier.email_entreprise
        payload = draft_bytes(
            self._letter, sender=smtp.sender if smtp else "", to=to, now=self._workspace.now()
        )
        written = self._write(target, payload, overwrite)
        if written is None:
            return
        target = written
        missing = "" if to else " Le dossier n'a pas d'e-mail : destinataire à remplir."
        self.notify(
            f"Brouillon enregistré dans {target} : ouvrez-le pour l'envoyer.{missing}",
            title="Brouillon",
            timeout=10,
            markup=False,
        )

    @on(Button.Pressed, "#close")
    def action_cancel(self) -> None:
        self.dismiss(self._change)


def open_letter(screen: Dashboard, dossier: Dossier | None) -> None:
    """Feature handler (features.py): the letter for the selected dossier."""
    if dossier is None:
        return

    def done(change: Change | None) -> None:
        if change is not None:
            screen.apply_change(change)

    screen.app.push_screen(LetterScreen(screen.workspace, dossier), done)
