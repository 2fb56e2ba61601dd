"""Right pane: what to do now and by when, the checklist with live countdowns, the notes and
the latest history, then the other facts (dates, services, bank). Also shows the cabinet's
own expert spaces (their steps, countdown and history).

All user text (names, notes, history) goes through rich Text objects, never markup strings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.domain.checks import alert_lines, dossier_findings
from espace_tui.domain.deadlines import STATUS_LABELS, StepState, TrackState
from espace_tui.domain.display import (
    countdown_changes_at,
    format_countdown,
    format_datetime,
    format_long_date,
)
from espace_tui.domain.dossier import (
    MANDATE_STATE_LABELS,
    MODE_LABELS,
    Dossier,
    ExpertSpace,
    HistoryEntry,
)
from espace_tui.domain.history import last_chase, latest
from espace_tui.domain.identifiers import format_siren, mask_iban
from espace_tui.domain.procedures import FACT_LABELS, OWNER_LABELS, Owner
from espace_tui.domain.registry import ADDRESS_LABEL
from espace_tui.domain.teleservices import SERVICE_STATE_LABELS, TELESERVICES_BY_ID
from espace_tui.tui.rows import space_key, space_title
from espace_tui.tui.widgets.status_style import status_style
from espace_tui.workspace.registry import Registry, open_registry

# Latest history entries shown under the checklist (h: the whole history).
RECENT_SHOWN = 3
NOTES_LINES = 3
PANE_PARTS = ("detail-status", "alerts", "advice", "notes", "recent", "facts", "services", "bank")
DOSSIER_ONLY = ("facts", "services", "bank")
SCROLL_HINT = "↓ suite plus bas (Maj+↓ ou molette)"


def _remedy(state: TrackState) -> str | None:
    for step in state.expired_steps:
        countdown = step.template.countdown
        if countdown is not None and countdown.remedy:
            return countdown.remedy
    return None


class StepChecklist(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Bas", show=False, id="steps_down"),
        Binding("k", "cursor_up", "Haut", show=False, id="steps_up"),
    ]

    @property
    def highlighted_step(self) -> str | None:
        option = self.highlighted_option
        return None if option is None else option.id


class DossierDetail(VerticalScroll):
    def __init__(
        self, *, wake: Callable[[datetime], None] = lambda at: None, id: str | None = None
    ) -> None:
        """`wake(at)`: a countdown shown here reads otherwise at `at` (the screen's tick
        must run by then)."""
        super().__init__(id=id)
        self._wake = wake
        self.dossier: Dossier | None = None
        self.space: ExpertSpace | None = None
        self.state: TrackState | None = None
        self._prompts: list[str] = []
        self._texts: dict[str, str] = {}
        # When a countdown shown here next shows another text (None: no countdown shown).
        self._countdowns_change_at: datetime | None = None
        self._registry_memo: Registry | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title")
        yield Static(id="detail-status")
        yield Static(id="alerts")
        yield Static(id="advice")
        yield StepChecklist(id="checklist")
        # Docked at the pane's bottom: the notes and the latest history stay in view however
        # long the checklist is, and whatever the pane is scrolled to.
        with Vertical(id="digest"):
            yield Static(id="notes")
            yield Static(id="recent")
        yield Static(id="facts", classes="section")
        yield Static(id="services", classes="section")
        yield Static(id="bank", classes="section")

    @property
    def subject(self) -> Dossier | ExpertSpace | None:
        """What the pane shows: a dossier or one of the cabinet's expert spaces."""
        return self.space if self.space is not None else self.dossier

    @property
    def key(self) -> str | None:
        """The list's row key of what the pane shows (a SIREN or an expert space's key)."""
        if self.space is not None:
            return space_key(self.space.id)
        return None if self.dossier is None else self.dossier.siren

    @property
    def countdowns_change_at(self) -> datetime | None:
        return self._countdowns_change_at

    def countdowns_due(self, now: datetime) -> bool:
        """A countdown shown here reads otherwise at `now` (its status changes come with its
        row's: the screen refreshes the pane then too)."""
        at = self._countdowns_change_at
        return at is not None and now >= at

    def _note_countdowns(self, state: TrackState, now: datetime) -> None:
        # The steps whose countdown is shown: every open window (the status line's is one).
        at = self._countdowns_change_at = min(
            (
                countdown_changes_at(step.deadline, now)
                for step in state.steps
                if step.window_open and step.deadline is not None
            ),
            default=None,
        )
        if at is not None:
            self._wake(at)

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        subject = self.subject
        return () if subject is None else subject.history

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._show_scroll_hint()

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_scroll_hint)

    def _show_scroll_hint(self) -> None:
        """Say that the pane scrolls when something is below its bottom edge."""
        hint = SCROLL_HINT if self.max_scroll_y > 0 and self.scroll_y < self.max_scroll_y else ""
        if self.border_subtitle != hint:
            self.border_subtitle = hint

    @property
    def checklist(self) -> StepChecklist:
        return self.query_one(StepChecklist)

    def _set(self, widget_id: str, text: Text) -> None:
        """Update a Static only when its text changed (every tick calls this)."""
        key = f"{text.plain}\x00{text.spans!r}"
        if self._texts.get(widget_id) == key:
            return
        self._texts[widget_id] = key
        static = self.query_one(f"#{widget_id}", Static)
        static.update(text)
        static.display = bool(text.plain)

    def _style(self, state: StepState | TrackState) -> str:
        status = state.status if isinstance(state, TrackState) else state.urgency
        return status_style(status, self.app.theme_variables)

    # -- whole dossier -------------------------------------------------------------------

    def show_space(self, space: ExpertSpace, state: TrackState, now: datetime) -> None:
        """Show one of the cabinet's expert spaces: its steps, countdown and history."""
        same = self.space is not None and self.space.id == space.id
        self._show_subject(None, space, state, now, same)

    def show(self, dossier: Dossier | None, state: TrackState | None, now: datetime) -> None:
        """Show another dossier (or the same one after a change): steps are rebuilt."""
        same = (
            self.dossier is not None and dossier is not None and self.dossier.siren == dossier.siren
        )
        self._show_subject(dossier, None, state, now, same)

    def _show_subject(
        self,
        dossier: Dossier | None,
        space: ExpertSpace | None,
        state: TrackState | None,
        now: datetime,
        same: bool,
    ) -> None:
        checklist = self.checklist
        keep = checklist.highlighted if same else None
        self.dossier, self.space, self.state = dossier, space, state
        if (dossier is None and space is None) or state is None:
            self._countdowns_change_at = None
            self._prompts = []
            checklist.clear_options()
            for widget_id in PANE_PARTS:
                self._set(widget_id, Text())
            self._set("detail-title", Text("Aucun dossier sélectionné (a : ajouter un dossier)."))
            self._show_scroll_hint()
            return
        if same and len(self._prompts) == len(state.steps):
            # Same dossier after a change: rewrite only the steps that changed (no re-layout
            # of the whole list, which is what makes a tick feel instant).
            self.refresh_time(now, state)
            self._show_static(state, now)  # the history, notes, dates may have changed
            return
        self._note_countdowns(state, now)
        prompts = [self._step_prompt(step, now) for step in state.steps]
        self._prompts = [p.plain for p in prompts]
        checklist.set_options(
            Option(prompt, id=step.template.id)
            for prompt, step in zip(prompts, state.steps, strict=True)
        )
        if keep is None:
            nxt = state.next_step
            keep = state.steps.index(nxt) if nxt is not None else 0
        checklist.highlighted = min(keep, len(state.steps) - 1)
        if not same:
            self.scroll_home(animate=False)
        self._show_static(state, now)
        self.call_after_refresh(self._show_scroll_hint)

    def restyle(self, state: TrackState, now: datetime) -> None:
        """The theme changed: redraw everything with the new colours (the caches compare text)."""
        self._texts.clear()
        self._prompts = []
        if self.space is not None:
            self.show_space(self.space, state, now)
        else:
            self.show(self.dossier, state, now)

    def refresh_time(self, now: datetime, state: TrackState) -> None:
        """The tick: rewrite only the step lines whose countdown text changed."""
        if self.subject is None:
            return
        self.state = state
        self._note_countdowns(state, now)
        checklist = self.checklist
        for index, step in enumerate(state.steps):
            prompt = self._step_prompt(step, now)
            if index < len(self._prompts) and prompt.plain != self._prompts[index]:
                self._prompts[index] = prompt.plain
                checklist.replace_option_prompt_at_index(index, prompt)
        # Only what time changes (the countdown, an expiry); notes, history, dates, services
        # and bank change with the dossier, through show().
        self._show_timed(state, now)
        if self.dossier is not None:
            self._set("alerts", self._alerts(self.dossier, state))

    def _show_timed(self, state: TrackState, now: datetime) -> None:
        self._set("detail-status", self._status(state, now))
        self._set("advice", self._advice(state))

    def _show_static(self, state: TrackState, now: datetime) -> None:
        self._show_timed(state, now)
        dossier, space = self.dossier, self.space
        if space is not None:
            title = Text(space_title(space), style="bold")
            title.append(f"  {space.id} · connexion {space.login_email}")
            self._set("detail-title", title)
            self._set("alerts", Text())
            self._set("notes", Text())
            self._set("recent", self._recent(space.history, None))
            for widget_id in DOSSIER_ONLY:
                self._set(widget_id, Text())
            return
        if dossier is None:
            return
        title = Text(dossier.name, style="bold")
        title.append(f"  {format_siren(dossier.siren)} · {MODE_LABELS[dossier.mode]}")
        if dossier.space_id:
            title.append(f" · espace « {dossier.space_id} »")
        title.append_text(self._siege(dossier))
        self._set("detail-title", title)
        self._set("alerts", self._alerts(dossier, state))
        self._set("notes", self._notes(dossier))
        self._set("recent", self._recent(dossier.history, dossier))
        self._set("facts", self._facts(dossier))
        self._set("services", self._services(dossier))
        self._set("bank", self._bank(dossier))

    def _status(self, state: TrackState, now: datetime) -> Text:
        """The status, then what to do now, who does it and by when."""
        status = Text()
        status.append(f" {STATUS_LABELS[state.status]} ", style=self._style(state))
        status.append(f" · {state.procedure.label}")
        remedy = _remedy(state)
        nxt = state.next_step
        if remedy is not None:
            # An expired window cannot be done any more: what to do is the remedy.
            status.append("\nÀ faire maintenant : ", style="bold")
            status.append(f"{OWNER_LABELS[Owner.CABINET]} — {remedy}")
        elif nxt is not None:
            status.append("\nÀ faire maintenant : ", style="bold")
            status.append(f"{OWNER_LABELS[nxt.template.owner]} — {nxt.template.label}")
            if nxt.deadline is not None:
                status.append("\nAvant le ")
                status.append(format_datetime(nxt.deadline), style="bold")
                status.append(
                    f" (reste {format_countdown(nxt.deadline, now)})", style=self._style(nxt)
                )
        else:
            status.append("\nRien à faire : toutes les étapes sont faites.")
        return status

    @staticmethod
    def _notes(dossier: Dossier) -> Text:
        notes = Text("Notes", style="bold")
        notes.append(" (n : modifier)\n", style="dim")
        lines = dossier.notes.splitlines()
        notes.append("\n".join(lines[:NOTES_LINES]) or "—")
        if len(lines) > NOTES_LINES:
            notes.append(f"\n… ({len(lines) - NOTES_LINES} ligne(s) de plus : n)", style="dim")
        return notes

    @staticmethod
    def _recent(history: tuple[HistoryEntry, ...], dossier: Dossier | None) -> Text:
        text = Text("Historique récent", style="bold")
        text.append(f" (h : tout l'historique, {len(history)} entrée", style="dim")
        text.append(f"{'s' if len(history) > 1 else ''})", style="dim")
        if dossier is not None:
            chase = last_chase(history)
            text.append("\nDernière relance : ")
            text.append(format_datetime(chase.at) if chase else "jamais", style="bold")
        for entry in latest(history, RECENT_SHOWN):
            text.append(f"\n{format_datetime(entry.at)} ", style="dim")
            text.append(entry.detail)
        if not history:
            text.append("\n—")
        return text

    # -- pieces --------------------------------------------------------------------------

    def _registry(self) -> Registry | None:
        workspace = getattr(self.app, "workspace", None)
        if workspace is None:
            return None
        if self._registry_memo is None:
            self._registry_memo = open_registry(
                workspace.store.data_dir, workspace.clock, workspace.settings()
            )
        return self._registry_memo

    def _siege(self, dossier: Dossier) -> Text:
        """The address the activation code is posted to, from the registry's cache; looked
        up in a thread when not cached (never when offline)."""
        registry = self._registry()
        if registry is None:
            return Text()
        known, record = registry.known(dossier.siren)
        if not known:
            if not registry.offline:
                # Once the screen is drawn: the lookup's thread imports the HTTP client
                # (~100 ms holding the interpreter), which would delay the first screen.
                self.call_after_refresh(self._lookup_siege, registry, dossier.siren)
            return Text()
        if record is None:
            return Text()
        text = Text(f"\n{ADDRESS_LABEL} : ", style="dim")
        text.append(record.address or "non communiquée")
        return text

    @work(thread=True, exclusive=True, group="siege", exit_on_error=False)
    def _lookup_siege(self, registry: Registry, siren: str) -> None:
        try:
            registry.lookup(siren)
        except Exception:  # offline, slow, refused: the pane simply shows no address
            return
        self.app.call_from_thread(self._siege_found, siren)

    def _siege_found(self, siren: str) -> None:
        if self.dossier is not None and self.dossier.siren == siren and self.state is not None:
            self._show_static(self.state, self.app.workspace.now())  # type: ignore[attr-defined]

    def _step_prompt(self, step: StepState, now: datetime) -> Text:
        template = step.template
        box = "☑" if step.done else "☐"
        text = Text(f"{box} {template.label}", style="" if step.applies else "dim")
        owners = OWNER_LABELS[template.owner]
        if template.also_owner is not None:
            owners += f" + {OWNER_LABELS[template.also_owner]}"
        text.append(f"\n   {owners}", style="dim")
        if not step.applies:
            text.append(" · sans objet pour ce dossier", style="dim")
        elif step.done_at is not None:
            text.append(f" · fait le {format_datetime(step.done_at)}", style="dim")
            if step.late:
                text.append(" (après l'échéance)", style=self._style(step))
        elif step.deadline is not None:
            text.append(" · ")
            left = format_countdown(step.deadline, now)
            label = left if step.expired else f"reste {left}"
            text.append(label, style=self._style(step))
            text.append(f" (échéance {format_datetime(step.deadline)})", style="dim")
            if step.anchor_note:
                text.append(f"\n   {step.anchor_note}", style="dim italic")
        if template.unverified:
            text.append("\n   (information non vérifiée)", style="dim italic")
        return text

    def _alerts(self, dossier: Dossier, state: TrackState) -> Text:
        """Open blockages by name, then what the automatic checks see on this dossier."""
        # An expired window is already explained by the advice box below, with its remedy.
        shown = {s.template.countdown.expiry for s in state.expired_steps if s.template.countdown}
        findings = [f for f in dossier_findings(dossier, state) if f.message not in shown]
        lines = alert_lines(dossier, findings)
        return Text("\n".join(f"⚠ {line}" for line in lines))

    def _advice(self, state: TrackState) -> Text:
        text = Text()
        for step in state.expired_steps:
            countdown = step.template.countdown
            if countdown is None:
                continue
            if text:
                text.append("\n")
            text.append(f"⚠ {countdown.expiry}\n", style=self._style(step))
            text.append(f"→ {countdown.remedy}")
            if countdown.restart:
                text.append(
                    "  (touche R : « " + state.procedure.restart_label + " »)", style="bold"
                )
        return text

    @staticmethod
    def _facts(dossier: Dossier) -> Text:
        text = Text("Dates", style="bold")
        text.append(" (D : modifier, t : cocher à une date)", style="dim")
        for fact, label in FACT_LABELS.items():
            when = dossier.events.get(fact.value)
            text.append(f"\n{label} : {format_long_date(when) if when else '—'}")
        return text

    def _services(self, dossier: Dossier) -> Text:
        text = Text("Services", style="bold")
        if not dossier.services:
            text.append("\n—")
        for service_id, state in dossier.services.items():
            service = TELESERVICES_BY_ID.get(service_id)
            label = service.label if service else service_id
            text.append(f"\n• {label} : {SERVICE_STATE_LABELS[state]}")
        return text

    def _bank(self, dossier: Dossier) -> Text:
        text = Text("Compte bancaire", style="bold")
        bank = dossier.bank
        if bank is None:
            text.append("\n— (pas encore renseigné)")
            return text
        text.append(f"\nIBAN {mask_iban(bank.iban)} · BIC {bank.bic}")
        # Every account has a CORE and a B2B mandate; only the B2B one is followed.
        text.append(f"\nMandat B2B : {MANDATE_STATE_LABELS[bank.mandate_state]}")
        text.append(" (m : changer)", style="dim")
        return text
