"""Add or edit a dossier: every field is checked as it is typed, nothing is saved until valid.

The messages are the core's (`validate_field`, `clean_draft`, the Workspace's own checks), so
the form, the command line and the importer refuse the same things with the same words.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from espace_tui.domain.clock import to_paris
from espace_tui.domain.dossier import DEFAULT_SERVICES, MODE_LABELS, Dossier, MandateType, Mode
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren, normalize_siren
from espace_tui.domain.registry import ADDRESS_LABEL, CompanyRecord
from espace_tui.domain.teleservices import TELESERVICES
from espace_tui.domain.validation import FIELD_LABELS, DossierDraft, validate_field
from espace_tui.store.errors import StoreError
from espace_tui.tui.screens.confirm import ConfirmScreen
from espace_tui.tui.screens.mode_chooser import ModeAdvice
from espace_tui.tui.screens.reloadable import ReloadableDialog
from espace_tui.tui.widgets.scroll_pane import ScrollPane
from espace_tui.workspace import Change, Workspace

TEXT_FIELDS: tuple[tuple[str, str], ...] = (
    ("siren", "9 chiffres, par exemple 732 829 320"),
    ("name", "raison sociale"),
    ("email_entreprise", "reçoit la messagerie DGFiP (facultatif)"),
    ("email_connexion", "identifiant personnel, une adresse = un espace (facultatif)"),
    ("iban", "FR76 … (facultatif)"),
    ("bic", "8 ou 11 caractères (avec l'IBAN)"),
    ("notes", "facultatif"),
)
NO_SPACE = ""


class DossierForm(ReloadableDialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuler", id="form_cancel"),
        Binding("ctrl+s", "save", "Enregistrer", id="form_save", priority=True),
    ]

    def __init__(self, workspace: Workspace, dossier: Dossier | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.workspace = workspace
        self.dossier = dossier
        # The mode whose default services the list shows (followed until the user edits it).
        self._mode = dossier.mode if dossier else Mode.SIMPLIFIED
        # What the company registry said of the SIREN typed (new dossiers only).
        self._record: CompanyRecord | None = None
        self._filled_name = ""  # the name the registry put in, replaced while not edited
        self._ceased_confirmed = False

    def reloaded(self) -> None:
        self._mode = self.dossier.mode if self.dossier else Mode.SIMPLIFIED

    # -- layout --------------------------------------------------------------------------

    def _initial(self, name: str) -> str:
        d = self.dossier
        if d is None:
            return ""
        bank = d.bank
        values = {
            "siren": d.siren,
            "name": d.name,
            "email_entreprise": d.email_entreprise,
            "email_connexion": d.email_connexion,
            "iban": bank.iban if bank else "",
            "bic": bank.bic if bank else "",
            "notes": d.notes,
        }
        return values[name]

    def compose(self) -> ComposeResult:
        d = self.dossier
        title = "Nouveau dossier" if d is None else f"Modifier le dossier {format_siren(d.siren)}"
        spaces = self.workspace.spaces()
        with Vertical(classes="dialog form"):
            yield Static(Text(title), classes="dialog-title")
            with ScrollPane(classes="form-fields"):
                yield from self._text_field(*TEXT_FIELDS[0])
                registry_info = Static(id="registry-info", classes="registry-info")
                registry_info.display = False
                yield registry_info
                yield from self._text_field(*TEXT_FIELDS[1])
                yield Label(FIELD_LABELS["mode"])
                yield Select(
                    [(MODE_LABELS[m], m.value) for m in Mode],
                    value=(d.mode if d else Mode.SIMPLIFIED).value,
                    allow_blank=False,
                    id="field-mode",
                )
                if d is None:
                    yield ModeAdvice(has_expert_space=bool(spaces))
                yield Label(FIELD_LABELS["services"])
                yield self._services_list()
                yield Label(FIELD_LABELS["space_id"])
                yield Select(
                    [("aucun", NO_SPACE)] + [(Text(f"{s.id} — {s.label}"), s.id) for s in spaces],
                    value=(d.space_id if d and d.space_id else NO_SPACE),
                    allow_blank=False,
                    id="field-space_id",
                )
                yield Static(id="error-space_id", classes="field-error")
                for name, placeholder in TEXT_FIELDS[2:6]:
                    yield from self._text_field(name, placeholder)
                yield from self._text_field(*TEXT_FIELDS[6])
            yield Static(id="form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Enregistrer (ctrl+s)", variant="primary", id="save")
                yield Button("Annuler (Échap)", id="cancel")

    def _services_list(self) -> SelectionList[str]:
        d = self.dossier
        chosen = set(d.services) if d is not None else set(DEFAULT_SERVICES[self._mode])
        return SelectionList[str](
            *(
                (
                    Text(s.label + (" (complémentaire)" if s.complementary else "")),
                    s.id,
                    s.id in chosen,
                )
                for s in TELESERVICES
            ),
            id="field-services",
        )

    def _follow_mode(self) -> None:
        """A new mode: its default services, unless the user changed the list by hand."""
        value = self.query_one("#field-mode", Select).value
        if value is Select.NULL or self.dossier is not None:
            return
        mode = Mode(str(value))
        services = self.query_one("#field-services", SelectionList)
        if mode is self._mode:
            return
        if set(services.selected) == set(DEFAULT_SERVICES[self._mode]):
            services.deselect_all()
            for service_id in DEFAULT_SERVICES[mode]:
                services.select(service_id)
        self._mode = mode

    def _text_field(self, name: str, placeholder: str) -> ComposeResult:
        yield Label(FIELD_LABELS[name])
        field = Input(self._initial(name), placeholder=placeholder, id=f"field-{name}")
        if name == "siren" and self.dossier is not None:
            field.disabled = True  # the SIREN identifies the dossier: delete and re-add instead
        yield field
        yield Static(id=f"error-{name}", classes="field-error")

    def on_mount(self) -> None:
        first = "#field-name" if self.dossier is not None else "#field-siren"
        self.query_one(first, Input).focus()
        self._refresh_save()

    # -- validation as you type ----------------------------------------------------------

    def _value(self, name: str) -> str:
        if name in ("mode", "space_id"):
            value = self.query_one(f"#field-{name}", Select).value
            return "" if value is Select.NULL else str(value)
        return self.query_one(f"#field-{name}", Input).value

    def _field_message(self, name: str) -> str | None:
        value = self._value(name)
        if name in ("iban", "bic", "email_entreprise", "email_connexion", "notes") and not value:
            return None
        return validate_field(name, value)

    def _show_error(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(Text(message or ""))
        error.display = bool(message)
        self.query_one(f"#field-{name}").set_class(bool(message), "-invalid")

    def _refresh_save(self) -> None:
        bad = any(self._field_message(name) for name, _ in TEXT_FIELDS)
        missing = not self._value("siren").strip() or not self._value("name").strip()
        self.query_one("#save", Button).disabled = bad or missing

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        # An empty required field is only an error once the user tries to save.
        message = self._field_message(name) if event.value else None
        self._show_error(name, message)
        self.query_one("#form-error", Static).update("")
        self._refresh_save()
        if name == "siren" and self.dossier is None:
            self._siren_typed(event.value, message)

    # -- the company registry ------------------------------------------------------------

    def _show_registry(self, text: Text | None) -> None:
        info = self.query_one("#registry-info", Static)
        info.update(text or "")
        info.display = text is not None

    def _siren_typed(self, value: str, message: str | None) -> None:
        self._record = None
        self._ceased_confirmed = False
        if message is not None or not value.strip():
            self._show_registry(None)
            return
        try:
            siren = normalize_siren(value)
        except InvalidInput:
            return
        self._show_registry(Text("Annuaire des entreprises : recherche…", style="italic"))
        self._lookup(siren)

    @work(thread=True, exclusive=True, group="registry", exit_on_error=False)
    def _lookup(self, siren: str) -> None:
        """In a thread: typing never waits for the network (3 s at most)."""
        from espace_tui.workspace.registry import RegistryUnavailable, open_registry

        try:
            registry = open_registry(
                self.workspace.store.data_dir, self.workspace.clock, self.workspace.settings()
            )
            record = registry.lookup(siren)
        except RegistryUnavailable as err:
            self.app.call_from_thread(self._registry_failed, siren, err.message)
            return
        except Exception as err:  # never a traceback from a worker
            self.app.call_from_thread(self._registry_failed, siren, type(err).__name__)
            return
        self.app.call_from_thread(self._registry_answered, siren, record)

    def _still_typed(self, siren: str) -> bool:
        try:
            return normalize_siren(self._value("siren")) == siren
        except InvalidInput:
            return False

    def _registry_failed(self, siren: str, reason: str) -> None:
        if self._still_typed(siren):
            text = Text(f"Annuaire : {reason.rstrip('.')} — tapez le nom.", style="italic")
            self._show_registry(text)

    def _registry_answered(self, siren: str, record: CompanyRecord | None) -> None:
        if not self._still_typed(siren):
            return  # the user typed another SIREN meanwhile
        if record is None:
            self._show_registry(Text("Inconnu de l'annuaire des entreprises : vérifiez le SIREN."))
            return
        self._record = record
        name_field = self.query_one("#field-name", Input)
        if not name_field.value.strip() or name_field.value == self._filled_name:
            name_field.value = record.name
            self._filled_name = record.name
        text = Text(f"{ADDRESS_LABEL} : ", style="bold")
        text.append(record.address or "non communiquée")
        today = to_paris(self.workspace.now()).date()
        for warning in record.warnings(today):
            text.append(f"\n{warning}", style="bold" if record.ceased else "")
        self._show_registry(text)
        advice = record.kind_advice
        if advice.mode is not None:
            self.query_one("#field-mode", Select).value = advice.mode.value
        self.query_one(ModeAdvice).known_answers = dict(advice.answers)
        self._refresh_save()

    @on(ModeAdvice.Chosen)
    def _mode_advised(self, event: ModeAdvice.Chosen) -> None:
        self.query_one("#field-mode", Select).value = event.recommendation.mode.value

    @on(Select.Changed)
    def _selected(self) -> None:
        self._show_error("space_id", None)
        self._follow_mode()
        self._refresh_save()

    # -- saving --------------------------------------------------------------------------

    def _draft(self) -> DossierDraft:
        return DossierDraft(
            siren=self._value("siren"),
            name=self._value("name"),
            mode=self._value("mode"),
            space_id=self._value("space_id"),
            email_entreprise=self._value("email_entreprise"),
            email_connexion=self._value("email_connexion"),
            iban=self._value("iban"),
            bic=self._value("bic"),
            # No choice to offer: every account has both mandates (the B2B one is followed).
            mandate_type=(
                self.dossier.bank.mandate_type.value
                if self.dossier and self.dossier.bank
                else MandateType.B2B.value
            ),
            notes=self._value("notes"),
            services=",".join(self.query_one("#field-services", SelectionList).selected),
        )

    def _field_of(self, label: str) -> str | None:
        for name, field_label in FIELD_LABELS.items():
            if field_label == label:
                return name
        return None

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        for name, _ in TEXT_FIELDS:
            message = self._field_message(name)
            if message is None and name in ("siren", "name") and not self._value(name).strip():
                message = validate_field(name, "")
            if message:
                self._show_error(name, message)
                self.query_one(f"#field-{name}").focus()
                return
        record = self._record
        ceased = self.dossier is None and record is not None and record.ceased
        if ceased and record is not None and not self._ceased_confirmed:
            self._confirm_ceased(record)
            return
        try:
            if self.dossier is None:
                change = self.workspace.add_dossier(self._draft())
                change = self.query_one(ModeAdvice).start_procedure(self.workspace, change)
            else:
                # Only what the user changed from the dossier shown is saved (base=).
                siren, base = self.dossier.siren, self.dossier
                change = self.workspace.edit_dossier(siren, self._draft(), base=base)
                if not self.query_one("#field-services", SelectionList).selected:
                    # An empty list means « unchanged » to edit_dossier: clear it explicitly.
                    cleared = self.workspace.set_services(siren, [], base=base)
                    change = Change(cleared.dossier, change.warnings, change.message)
        except InvalidInput as err:
            target = self._field_of(err.field)
            if target is not None:
                self._show_error(target, err.message)
                self.query_one(f"#field-{target}").focus()
            else:
                self.query_one("#form-error", Static).update(Text(err.message))
            return
        except (UserError, StoreError) as err:
            self.query_one("#form-error", Static).update(Text(str(err)))
            self.refused(err)
            return
        self.dismiss(change)

    def _confirm_ceased(self, record: CompanyRecord) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._ceased_confirmed = True
                self.action_save()

        body = Text(record.name, style="bold")
        body.append(
            " est cessée selon l'annuaire des entreprises : il n'y a pas d'espace professionnel "
            "à créer. L'ajouter quand même ?"
        )
        question = ("Entreprise cessée", body)
        self.app.push_screen(ConfirmScreen(question, confirm_label="Ajouter quand même"), answered)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
