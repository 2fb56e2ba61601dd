"""The main screen: dossier list on the left, the selected dossier on the right.

Widgets post messages up; this screen calls the Workspace (the only writer) and pushes the
new state down. One tick drives every countdown and picks up other processes' writes: it runs
when something shown changes (tui/alarm.py) or the data file was written (store/watch.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from espace_tui.domain.alert_settings import LAST_SEEN_KEY, AlertSettings, alert_settings
from espace_tui.domain.deadlines import Status, TrackState
from espace_tui.domain.dossier import Dossier, ExpertSpace
from espace_tui.domain.errors import UserError
from espace_tui.domain.helpline import is_public_holiday
from espace_tui.domain.identifiers import format_siren
from espace_tui.store.collector import SetAside, collector_paused
from espace_tui.store.errors import StoreError, StoreLockedError, StoreMissingError
from espace_tui.tui.alarm import Alarm, Cancel, next_minute
from espace_tui.tui.alerts import (
    ALERT_TITLES,
    SUMMARY_TITLE,
    Alert,
    Alerter,
    summary_text,
    turned_alarming,
    what_to_do,
)
from espace_tui.tui.data_guard import READ_ONLY_NOTE, LastGood, Snapshot
from espace_tui.tui.due_rows import DueRows
from espace_tui.tui.features import FEATURES, feature, resolve
from espace_tui.tui.rows import SORT_LABELS, RowView, row_view, space_id_of, space_row_view
from espace_tui.tui.widgets.dossier_detail import DossierDetail
from espace_tui.tui.widgets.dossier_list import DossierList
from espace_tui.tui.widgets.key_bar import KeyBar
from espace_tui.tui.widgets.top_bar import TopBar

if TYPE_CHECKING:
    from espace_tui.store.watch import FileWatch
    from espace_tui.workspace import Change, Workspace

T = TypeVar("T")

# A change that finds the data locked by another program is tried again this often, this long.
LOCK_RETRY_EVERY = 0.5
LOCK_RETRY_FOR = 10

# How often the data file is looked at for other programs' writes: every second when the
# system does not report them; when it does, only for what it cannot see (a network share,
# a machine woken from sleep), with the header's minute: each wake of an idle dashboard
# costs more CPU than all it does.
LOOK_EVERY = 1.0
LOOK_EVERY_WATCHED = 60.0
# Two changes this close are shown by one tick, at the later one: the header's minute and
# the countdowns drawn a second after it wake the dashboard once, not twice.
MERGE_WITHIN = 1.5

# Actions that change data: disabled (and hidden) when the dashboard is read-only.
WRITE_ACTIONS = frozenset(
    {"toggle_step", "undo", "redo", "add", "edit", "delete", "notes", "restart", "add_space"}
)
# Actions that need a selected dossier.
DOSSIER_ACTIONS = frozenset({"edit", "delete", "notes"})
# Actions for a selected dossier or the cabinet's expert space.
STEP_ACTIONS = frozenset({"toggle_step", "restart", "history"})

# (key, action, Footer description, binding id, palette name, shown in the Footer)
_CORE_KEYS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    # First in the Footer, so a narrow terminal (80 columns) still shows them; same ids as
    # the app's bindings, so a keymap entry remaps both.
    ("f1", "app.help", "Aide", "help", "Aide : toutes les touches", True),
    ("q", "app.quit", "Quitter", "quit", "Quitter le tableau de bord", True),
    ("ctrl+p", "app.command_palette", "Commandes", "command_palette", "", True),
    ("space", "toggle_step", "Cocher", "toggle_step", "Dossier : cocher / décocher l'étape sélectionnée", True),  # noqa: E501
    ("x", "toggle_step", "Cocher", "toggle_step_x", "", False),
    ("u", "undo", "Annuler", "undo", "Annuler la dernière modification (même faite ailleurs)", True),  # noqa: E501
    ("U,ctrl+y", "redo", "Rétablir", "redo", "Rétablir la modification annulée", False),
    ("a", "add", "Ajouter", "add_dossier", "Dossier : ajouter un dossier", True),
    ("e", "edit", "Modifier", "edit_dossier", "Dossier : modifier le dossier", True),
    ("d", "delete", "Supprimer", "delete_dossier", "Dossier : supprimer le dossier (avec confirmation)", True),  # noqa: E501
    ("n", "notes", "Notes", "edit_notes", "Dossier : modifier les notes", False),
    ("h", "history", "Historique", "show_history", "Dossier : tout l'historique (dates, relances, modifications)", False),  # noqa: E501
    ("R", "restart", "Recommencer", "restart_procedure", "Dossier : recommencer la procédure (l'historique est gardé)", False),  # noqa: E501
    ("A", "add_space", "Espace expert", "add_space", "Espace expert : ajouter un espace expert du cabinet", False),  # noqa: E501
    ("s", "cycle_sort", "Trier", "cycle_sort", "Liste : changer le tri (urgence, nom, SIREN, qui)", True),  # noqa: E501
    ("slash", "filter", "Filtrer", "filter", "Liste : filtrer par SIREN, nom ou statut", True),
    ("escape", "clear_filter", "Effacer le filtre", "clear_filter", "Liste : effacer le filtre", False),  # noqa: E501
    ("ctrl+t", "toggle_theme", "Thème", "toggle_theme", "Affichage : thème clair / sombre", False),
)  # fmt: skip

CORE_BINDINGS: list[BindingType] = [
    Binding(key, action, description, show=show, id=binding_id, tooltip=palette)
    for key, action, description, binding_id, palette, show in _CORE_KEYS
]


def _feature_bindings() -> list[BindingType]:
    return [
        Binding(f.key, f"feature('{f.id}')", f.description, show=f.show, id=f.id, tooltip=f.palette)
        for f in FEATURES
    ]


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [*CORE_BINDINGS, *_feature_bindings()]

    class DataFileChanged(Message):
        """The system says the data file was written, replaced or removed (any program)."""

    class Ring(Message):
        """The alarm went off: time for the tick."""

    def __init__(self, workspace: Workspace, *, read_only: bool = False) -> None:
        super().__init__(id="main")
        self.workspace = workspace
        self.read_only = read_only
        self._read_only_asked = read_only
        # What was last read without error, and the copy shown while the file is bad.
        self._last_good = LastGood()
        self._snapshot: Snapshot | None = None
        # When the tick must next run, and when each row must be recomputed.
        self._alarm = Alarm(self._start_timer, LOOK_EVERY)
        self._due = DueRows(self._wake_at)
        self._watch: FileWatch | None = None
        self._merged = False  # this ring was put off to meet the next change (MERGE_WITHIN)
        self._set_aside = SetAside()
        # The store generation the list was built from (see Store.generation).
        self._generation = 0
        self.alerter = Alerter(self._toast, self._bell, self._write_terminal)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(self.workspace.cabinet().name, read_only=self.read_only)
        with Horizontal(id="panes"):
            yield DossierList(self.now(), wake=self._wake_at, id="dossier-list")
            yield DossierDetail(wake=self._wake_at, id="dossier-detail")
        # The palette is a key like the others: Textual's docked one overlapped the last key
        # on narrow terminals (a stray letter after « ^p palette »).
        yield KeyBar(id="keys")

    # The panes are looked up once: the tick uses them all, and a query walks the DOM.
    @cached_property
    def dossier_list(self) -> DossierList:
        return self.query_one(DossierList)

    @cached_property
    def detail(self) -> DossierDetail:
        return self.query_one(DossierDetail)

    @cached_property
    def top_bar(self) -> TopBar:
        return self.query_one(TopBar)

    def on_mount(self) -> None:
        # The helpline's state needs the public-holiday calendar (~100 ms to load): loaded
        # off the UI thread once the first screen is up, then the header says open or closed.
        self.top_bar.show_time(self.now())
        self.set_timer(0.3, self._load_holiday_calendar)
        self.reload()
        # After the first paint: what turned urgent, expired or changed while closed.
        self.set_timer(0.6, self.summarize_since_last_time)
        self.set_timer(0.4, self._watch_data_file)
        # At once, not deferred as `focus()` is: the footer then draws the keys of the list
        # the first time, instead of the app's keys then all again.
        self.set_focus(self.dossier_list.table)
        now = self.now()
        self._alarm.ask(self._soonest(now), now)  # all was just drawn as at `now`

    # -- when the tick runs --------------------------------------------------------------

    def _start_timer(self, delay: float) -> Cancel:
        # Not `set_timer`: it wraps its callback anew each time, and Textual then inspects
        # each wrapper (inspect.signature, twice) when it rings.
        return asyncio.get_running_loop().call_later(delay, self._ring).cancel

    def _ring(self) -> None:
        """The alarm went off. Most rings find nothing due (the slow check for outside
        changes): they touch as little as they can, since code run after a sleep runs
        several times slower. Otherwise the tick runs as a message, like any other."""
        try:
            now = self.now()
            asked = self._alarm.rang(now)
            if not self._data_may_have_changed():
                if not asked:
                    self._alarm.ask(self._soonest(now), now)
                    return
                later = self._soonest(now, after=now)
                if not self._merged and (later - now).total_seconds() <= MERGE_WITHIN:
                    self._merged = True  # once: a chain of changes must not put it off
                    self._alarm.ask(later, now)
                    return
        except Exception:  # the tick meets it again, where Textual reports it
            pass
        self._merged = False
        self.post_message(self.Ring())

    def _data_may_have_changed(self) -> bool:
        store = self.workspace.store
        return (
            self._snapshot is not None  # whether the file came back: the tick looks
            or store.generation != self._generation
            or store.changed_on_disk()
            or (self._last_good.file_existed and not store.path.exists())
        )

    @on(Ring)
    def _rang(self) -> None:
        self.tick()

    def _wake_at(self, at: datetime) -> None:
        """Some part shows another text at `at`: the tick runs by then."""
        self._alarm.ask(at, self.now())

    def _soonest(self, now: datetime, after: datetime | None = None) -> datetime:
        """When anything shown next reads otherwise (only instants later than `after`, if
        given): the clock, a row's status, a countdown in the list or in the detail pane."""
        instants = (
            self._due.next_at,
            self.dossier_list.table.text_change_at,
            self.detail.countdowns_change_at,
        )
        return min(
            [
                next_minute(now),
                *(at for at in instants if at is not None and (after is None or at > after)),
            ]
        )

    def _watch_data_file(self) -> None:
        """Be told of other programs' writes rather than look for them every second."""
        from espace_tui.store.watch import FileWatch  # after the first paint: ~10 ms

        path = self.workspace.store.path
        if self._watch is not None:
            if self._watch.path == path:
                return
            self._watch.stop()
        self._watch = FileWatch(path, self._data_file_written)
        self._watch.start()
        self._look_as_often_as_needed()

    def _look_as_often_as_needed(self) -> None:
        watched = self._watch is not None and self._watch.running and self._snapshot is None
        self._alarm.longest = LOOK_EVERY_WATCHED if watched else LOOK_EVERY

    def _data_file_written(self) -> None:
        # On the watch's thread: Textual's post_message is thread-safe, the rest is not.
        self.post_message(self.DataFileChanged())

    @on(DataFileChanged)
    def _data_file_changed(self) -> None:
        # Our own saves are reported too: they need nothing more than this look.
        if self._data_may_have_changed():
            self.tick()

    # -- alerts --------------------------------------------------------------------------

    def _toast(self, title: str, message: str) -> None:
        self.notify(message, title=title, severity="warning", timeout=15)

    def _bell(self) -> None:
        self.app.bell()

    def _write_terminal(self, sequence: str) -> None:
        driver = self.app._driver  # Textual has no public way to send an OSC sequence
        if driver is not None:
            driver.write(sequence)

    def alert_settings(self) -> AlertSettings:
        try:
            return alert_settings(self.workspace.settings())
        except StoreError:
            return AlertSettings()

    def _show_alarm(self) -> None:
        counts = self.dossier_list.per_status
        self.top_bar.show_alarm(counts[Status.URGENT], counts[Status.EXPIRED])

    def _subject(self, key: str) -> Dossier | ExpertSpace | None:
        space_id = space_id_of(key)
        store = self.workspace.store
        return store.get_dossier(key) if space_id is None else store.get_space(space_id)

    def remember_seen(self) -> None:
        """Note that the dashboard was open until now (read by the next opening's summary)."""
        if self.read_only or not self.dossier_list.rows:
            return  # nothing to summarize later; an empty folder stays untouched
        # On failure the next summary simply starts earlier.
        with contextlib.suppress(StoreError):
            self.workspace.set_setting(LAST_SEEN_KEY, self.now().isoformat())

    def summarize_since_last_time(self) -> None:
        """« Depuis votre dernière ouverture » : what expired, turned urgent, or was changed
        by another program since the dashboard was last open."""
        try:
            raw = self.workspace.settings().get(LAST_SEEN_KEY)
            last = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except (StoreError, ValueError):
            last = None
        # Written at quit only (app.action_quit): a write at every start would make every
        # other dashboard on this folder reload.
        now = self.now()
        if last is None or last.tzinfo is None or last >= now:
            return
        try:
            lines = self._since(last, now)
        except StoreError:
            return  # the tick says what is wrong with the data file
        if lines:
            self.notify(summary_text(lines), title=SUMMARY_TITLE, timeout=30)

    def _since(self, last: datetime, now: datetime) -> list[str]:
        lines: list[str] = []
        mentioned: set[str] = set()
        for key, row in self.dossier_list.rows.items():
            if row.status not in ALERT_TITLES:
                continue
            subject = self._subject(key)
            if subject is None or self.workspace.state(subject, last).status == row.status:
                continue
            verb = "a expiré" if row.status is Status.EXPIRED else "est devenu urgent"
            lines.append(
                f"{row.name} {verb} — {what_to_do(self.workspace.state(subject, now), now)}"
            )
            mentioned.add(key)
        for dossier in self.workspace.dossiers():
            if dossier.siren in mentioned or not dossier.history:
                continue
            entry = dossier.history[-1]
            if entry.at > last:
                lines.append(f"{dossier.name} modifié ailleurs : {entry.detail}")
        return lines

    def _load_holiday_calendar(self) -> None:
        def load() -> None:
            is_public_holiday(self.now())
            self.app.call_from_thread(lambda: self.top_bar.show_time(self.now()))

        self.run_worker(load, thread=True, exclusive=True, group="holidays")

    # -- public API for features (see EXTENDING.md) ---------------------------------------

    def now(self) -> datetime:
        return self.workspace.now()

    @property
    def selected_siren(self) -> str | None:
        return self.dossier_list.selected_siren

    @property
    def highlighted_step(self) -> str | None:
        return self.detail.checklist.highlighted_step

    def switch_workspace(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.top_bar.show_cabinet(workspace.cabinet().name)
        self.reload()
        if self._watch is not None:  # another folder: watched instead
            self._watch_data_file()

    def selected_dossier(self) -> Dossier | None:
        siren = self.selected_siren
        return None if siren is None else self.workspace.store.get_dossier(siren)

    @property
    def selected_space_id(self) -> str | None:
        """The cabinet's expert space under the cursor (its own row in the list)."""
        return self.dossier_list.selected_space_id

    def reload(self, select: str | None = None) -> None:
        """Re-read every dossier and expert space from the store and redraw both panes."""
        # A state and a row per dossier: acyclic objects by the thousand (see collector.py).
        with collector_paused():
            self._reload(select)
        # What was just read stays until the next reload: kept out of the collector's scans,
        # which would traverse every dossier (~100 ms each at 10,000); reference counting
        # still frees it once replaced (dossiers and rows hold no cycles).
        self._set_aside.set_aside()

    def _reload(self, select: str | None) -> None:
        now = self.now()
        workspace = self.workspace
        dossiers = workspace.dossiers()
        if self._snapshot is None:
            self._last_good.remember(workspace, dossiers)
        rows = [row_view(d, workspace.state, now, workspace.thresholds) for d in dossiers]
        members: dict[str, int] = {}
        for dossier in dossiers:
            if dossier.space_id:
                members[dossier.space_id] = members.get(dossier.space_id, 0) + 1
        rows += [
            space_row_view(s, workspace.state, now, workspace.thresholds, members.get(s.id, 0))
            for s in workspace.spaces()
        ]
        self._due.reset(rows)
        self.dossier_list.load(rows, now, select=select)
        self._show_detail(self.dossier_list.selected_key)
        self._show_alarm()
        self.show_undo_hint()
        self._generation = workspace.store.generation

    def _space_row(self, space: ExpertSpace, now: datetime) -> RowView:
        workspace = self.workspace
        members = len(workspace.space_members(space.id))
        return space_row_view(space, workspace.state, now, workspace.thresholds, members)

    def refresh_space(self, space: ExpertSpace) -> None:
        """One expert space changed: update its row and the detail pane."""
        now = self.now()
        row = self._space_row(space, now)
        self._due.add(row)
        self.dossier_list.put(row, now)
        if self.selected_space_id == space.id:
            self.detail.show_space(space, self.workspace.state(space, now), now)

    def refresh_dossier(self, dossier: Dossier) -> None:
        """One dossier changed (through the Workspace): update its row and the detail pane."""
        now = self.now()
        self._last_good.dossiers[dossier.siren] = dossier
        row = row_view(dossier, self.workspace.state, now, self.workspace.thresholds)
        self._due.add(row)
        self.dossier_list.put(row, now)
        if self.selected_siren == dossier.siren:
            self.detail.show(dossier, self.workspace.state(dossier, now), now)

    def refresh_dossiers(self, dossiers: list[Dossier]) -> None:
        """Many dossiers changed (a batch): their rows updated, the list redrawn once."""
        now = self.now()
        workspace = self.workspace
        rows = []
        for dossier in dossiers:
            self._last_good.dossiers[dossier.siren] = dossier
            rows.append(row_view(dossier, workspace.state, now, workspace.thresholds))
            self._due.add(rows[-1])
        self.dossier_list.put_many(rows, now)
        selected = next((d for d in dossiers if d.siren == self.selected_siren), None)
        if selected is not None:
            self.detail.show(selected, workspace.state(selected, now), now)
        self.show_undo_hint()

    def apply_change(
        self, change: Change, siren: str | None = None, *, quiet: bool = False
    ) -> None:
        """Show a Workspace Change: refresh its dossier (or drop it) and tell the user.

        `quiet`: the change shows by itself (a ticked box), only warnings are notified.
        """
        if change.dossier is not None:
            self.refresh_dossier(change.dossier)
        elif siren is not None:
            self._last_good.dossiers.pop(siren, None)
            self.dossier_list.drop(siren)
            self._show_detail(self.selected_siren)
        for warning in change.warnings:
            self.notify(warning, title="Attention", severity="warning", timeout=10)
        if change.message and not quiet:
            self.notify(change.message, timeout=4)
        self.show_undo_hint()

    def show_undo_hint(self) -> None:
        """Say what `u` would take back (the journal is shared: maybe a CLI change)."""
        if self.read_only:
            self.dossier_list.show_undo_hint("")
            return
        try:
            entry, redo = self.workspace.next_undo(), self.workspace.next_redo()
        except StoreError:
            return
        text = f"u : annuler « {entry.label} »" if entry else "u : rien à annuler"
        if redo is not None:
            text += " · U : rétablir"
        self.dossier_list.show_undo_hint(text)

    def run_safely(
        self, label: str, command: Callable[[], T], then: Callable[[T], None] | None = None
    ) -> T | None:
        """Run a Workspace command; a UserError or StoreError becomes a French notification.

        `then` gets the result. When another program holds the data lock, the command is
        retried from a timer (the screen stays responsive and says it is waiting) and `then`
        runs once it went through."""
        try:
            result = command()
        except StoreLockedError as err:
            if then is None:
                self.notify(str(err), title=label, severity="error", timeout=8)
            else:
                self._retry_when_free(label, command, then, err)
            return None
        except (UserError, StoreError) as err:
            self.notify(str(err), title=label, severity="error", timeout=8)
            return None
        if then is not None:
            then(result)
        return result

    def _retry_when_free(
        self, label: str, command: Callable[[], T], then: Callable[[T], None], err: StoreError
    ) -> None:
        self.notify(
            f"{err.message.split(' Réessayez')[0]} Votre modification attend son tour "
            f"(nouvel essai en arrière-plan pendant {LOCK_RETRY_FOR} s).",
            title=label,
            severity="warning",
            timeout=LOCK_RETRY_FOR,
        )
        tries = {"left": int(LOCK_RETRY_FOR / LOCK_RETRY_EVERY)}

        def retry() -> None:
            tries["left"] -= 1
            try:
                result = command()
            except StoreLockedError as again:
                if tries["left"] > 0:
                    return
                timer.stop()
                self.notify(str(again), title=label, severity="error", timeout=10)
                return
            except (UserError, StoreError) as other:
                timer.stop()
                self.notify(str(other), title=label, severity="error", timeout=8)
                return
            timer.stop()
            then(result)
            self.notify(f"{label} : enregistré (les données sont libres).", timeout=4)

        timer = self.set_interval(LOCK_RETRY_EVERY, retry, name="lock-retry")

    # -- the tick ------------------------------------------------------------------------

    def tick(self) -> None:
        now = self.now()
        self.top_bar.show_time(now)
        try:
            self._follow_store(now)
        except StoreError as err:  # never a traceback: say it, keep the last data, read-only
            self.data_problem(err)
        # The countdowns on screen (the rows' statuses were brought to `now` above).
        self.dossier_list.show_time(now)
        self._show_alarm()
        self._set_aside.sweep_if_due()
        self._alarm.ask(self._soonest(now), now)

    def _follow_store(self, now: datetime) -> None:
        if self._snapshot is not None:
            reopened = self._snapshot.reopened()
            if reopened is not None:
                self._data_back(reopened)
            return
        if self._data_may_have_changed():
            store = self.workspace.store
            if self._last_good.file_existed and not store.path.exists():
                raise StoreMissingError(store.path)
            # Another process (a CLI command) wrote, maybe already read by another part of
            # the screen (the detail pane, the alerts): take its data, keep the selection.
            self.reload(self.dossier_list.selected_key)
            return
        recomputed = self._refresh_due_rows(now)
        detail = self.detail
        subject = detail.subject
        # Only when something it shows reads otherwise: a countdown, or a status (its row's).
        if subject is not None and (detail.key in recomputed or detail.countdowns_due(now)):
            detail.refresh_time(now, self.workspace.state(subject, now))

    def data_problem(self, err: StoreError) -> None:
        """The data file is unreadable or gone: show the last good data, read-only."""
        if self._snapshot is None:
            self._snapshot = Snapshot(self._last_good, self.workspace)
            self.workspace = self._snapshot.workspace
            self._set_read_only(True)
            self._look_as_often_as_needed()  # whether it came back: looked at every second
            self.reload(self.dossier_list.selected_key)
        self.notify(str(err) + READ_ONLY_NOTE, title="Données", severity="error", timeout=60)

    def _data_back(self, workspace: Workspace) -> None:
        assert self._snapshot is not None
        self._snapshot.close()
        self._snapshot = None
        self.workspace = workspace
        if self._watch is not None:
            # Watched anew: the folder may have been removed, then made again.
            self._watch.stop()
            self._watch = None
            self._watch_data_file()
        self._look_as_often_as_needed()
        self._set_read_only(self._read_only_asked)
        self.reload(self.dossier_list.selected_key)
        self.notify("Le fichier de données est de nouveau lisible : données rechargées.", timeout=8)

    def _set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self.top_bar.show_read_only(read_only)
        self.refresh_bindings()

    def on_unmount(self) -> None:
        self._alarm.stop()
        if self._watch is not None:
            self._watch.stop()
        if self._snapshot is not None:
            self._snapshot.close()
        self._set_aside.release()  # the collector's again (tests run many apps)

    def _refresh_due_rows(self, now: datetime) -> list[str]:
        """Recompute the rows whose status changes now, on screen or not (most ticks: none);
        their keys."""
        dossier_list = self.dossier_list
        due = self._due.pop_due(now, dossier_list.rows)
        store, workspace = self.workspace.store, self.workspace
        alerts: list[Alert] = []
        changed: list[RowView] = []
        for key in due:
            before = dossier_list.rows.get(key)
            space_id = space_id_of(key)
            subject: Dossier | ExpertSpace | None
            if space_id is not None:
                subject = store.get_space(space_id)
                row = None if subject is None else self._space_row(subject, now)
            else:
                subject = store.get_dossier(key)
                row = (
                    None
                    if subject is None
                    else row_view(subject, workspace.state, now, workspace.thresholds)
                )
            if subject is None or row is None:
                continue
            self._due.add(row)
            changed.append(row)
            if turned_alarming(None if before is None else before.status, row.status):
                todo = what_to_do(workspace.state(subject, now), now)
                alerts.append(Alert(row.status, row.name, todo))
        # At once: a cabinet's dossiers created together cross their thresholds together.
        dossier_list.put_many(changed, now)
        if alerts:
            self.alerter.give(alerts, self.alert_settings())
        return due

    # -- messages from the panes ---------------------------------------------------------

    @on(DossierList.Highlighted)
    def _highlighted(self, event: DossierList.Highlighted) -> None:
        self._show_detail(event.siren)

    @on(DossierList.Opened)
    def _opened(self, event: DossierList.Opened) -> None:
        self._show_detail(event.siren)
        self.detail.checklist.focus()

    def _show_detail(self, key: str | None) -> None:
        # Some keys act on a dossier only (check_action): the footer dims them on a space row.
        self.refresh_bindings()
        detail = self.detail
        space_id = space_id_of(key)
        if space_id is not None:
            space = self.workspace.store.get_space(space_id)
            if space is not None:
                if detail.subject != space:
                    now = self.now()
                    detail.show_space(space, self.workspace.state(space, now), now)
                return
            key = None
        siren = key
        dossier = None if siren is None else self.workspace.store.get_dossier(siren)
        if dossier is not None and detail.dossier == dossier:
            return
        now = self.now()
        state: TrackState | None = None if dossier is None else self.workspace.state(dossier, now)
        detail.show(dossier, state, now)

    # -- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "feature" and parameters:
            item = feature(str(parameters[0]))
            if item.writes and self.read_only:
                return False
            if item.needs_dossier and self.selected_siren is None:
                return None
            return True
        if action in WRITE_ACTIONS and self.read_only:
            return False
        if action in DOSSIER_ACTIONS and self.selected_siren is None:
            return None
        if action in STEP_ACTIONS and self.dossier_list.selected_key is None:
            return None
        return True

    def action_feature(self, feature_id: str) -> None:
        item = feature(feature_id)
        resolve(item.handler)(self, self.selected_dossier())

    def action_toggle_step(self) -> None:
        siren = self.selected_siren
        step_id = self.detail.checklist.highlighted_step
        space_id = self.selected_space_id
        if space_id is not None and step_id is not None:
            shown_space = self.detail.subject
            same = isinstance(shown_space, ExpertSpace) and shown_space.id == space_id
            on_screen = shown_space if same and isinstance(shown_space, ExpertSpace) else None
            self.run_safely(
                "Étape",
                lambda: self.workspace.toggle_space(space_id, step_id, base=on_screen),
                self.refresh_space,
            )
            return
        if siren is None or step_id is None:
            return
        from espace_tui.tui.screens.dates import LETTER_STEP, ask_print_date

        shown = self.detail.dossier
        base = shown if shown is not None and shown.siren == siren else None

        # What the user sees decides tick or untick; a change made elsewhere is not flipped.
        def done(change: Change) -> None:
            self.apply_change(change, quiet=True)
            if step_id == LETTER_STEP and change.dossier and step_id in change.dossier.events:
                # The letter's print date starts the activation countdown: ask for it now.
                ask_print_date(self, change.dossier)

        self.run_safely("Étape", lambda: self.workspace.toggle(siren, step_id, base=base), done)

    def action_undo(self) -> None:
        self.run_safely("Annuler", self.workspace.undo, self._show_replay)

    def action_redo(self) -> None:
        self.run_safely("Rétablir", self.workspace.redo, self._show_replay)

    def _show_replay(self, change: Change) -> None:
        if change.removed or not change.touched:
            self.reload(self.selected_siren)  # a dossier (re)created or removed
        else:
            self.refresh_dossiers(list(change.touched))  # only those rows: a batch is fast
        self.notify(change.message, timeout=4)

    def action_cycle_sort(self) -> None:
        order = self.dossier_list.cycle_sort()
        self.notify(f"Tri : {SORT_LABELS[order]}", timeout=2)

    def action_filter(self) -> None:
        field = self.dossier_list.filter_input
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self.dossier_list.filter_input
        if field.value:
            field.value = ""
        field.display = False
        # At once, not deferred as `focus()` is: the footer then draws the keys of the list
        # the first time, instead of the app's keys then all again.
        self.set_focus(self.dossier_list.table)

    def action_toggle_theme(self) -> None:
        app = self.app
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"

    def action_add(self) -> None:
        from espace_tui.tui.screens.dossier_form import DossierForm

        def done(change: Change | None) -> None:
            if change is not None and change.dossier is not None:
                self.reload(change.dossier.siren)
                self.apply_change(change)

        self.app.push_screen(DossierForm(self.workspace), done)

    def action_edit(self) -> None:
        from espace_tui.tui.screens.dossier_form import DossierForm

        dossier = self.selected_dossier()
        if dossier is None:
            return

        def done(change: Change | None) -> None:
            if change is not None:
                self.apply_change(change)

        self.app.push_screen(DossierForm(self.workspace, dossier), done)

    def action_delete(self) -> None:
        from espace_tui.tui.screens.confirm import ConfirmScreen

        dossier = self.selected_dossier()
        if dossier is None:
            return
        siren = dossier.siren

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            self.run_safely(
                "Supprimer",
                lambda: self.workspace.delete_dossier(siren),
                lambda change: self.apply_change(change, siren),
            )

        question = ConfirmScreen.question(
            "Supprimer le dossier",
            f"Supprimer le dossier {format_siren(siren)} — ",
            dossier.name,
            " ? (u annule la suppression tant que le tableau de bord reste ouvert)",
        )
        self.app.push_screen(ConfirmScreen(question, confirm_label="Supprimer"), done)

    def action_notes(self) -> None:
        from espace_tui.tui.screens.notes import NotesScreen

        dossier = self.selected_dossier()
        if dossier is None:
            return

        def done(change: Change | None) -> None:
            if change is not None:
                self.apply_change(change)

        self.app.push_screen(NotesScreen(self.workspace, dossier), done)

    def action_restart(self) -> None:
        from espace_tui.tui.screens.confirm import ConfirmScreen

        space_id = self.selected_space_id
        if space_id is not None:
            self._restart_space(space_id)
            return
        dossier = self.selected_dossier()
        if dossier is None:
            return
        siren = dossier.siren
        label = self.workspace.state(dossier).procedure.restart_label

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            # base: the dossier the user confirmed on (steps done elsewhere since: refused).
            self.run_safely(
                label, lambda: self.workspace.restart(siren, base=dossier), self.apply_change
            )

        question = ConfirmScreen.question(
            label,
            f"{label} pour ",
            dossier.name,
            " ? Les étapes repartent de zéro ; l'historique garde tout ce qui a été fait.",
        )
        self.app.push_screen(ConfirmScreen(question, confirm_label=label), done)

    def action_history(self) -> None:
        from espace_tui.tui.screens.history import HistoryScreen

        detail = self.detail
        space, dossier = detail.space, detail.dossier
        if space is not None:
            title = f"espace expert « {space.label} »"
        elif dossier is not None:
            title = f"{dossier.name} ({format_siren(dossier.siren)})"
        else:
            return
        self.app.push_screen(HistoryScreen(title, detail.history, chased=dossier is not None))

    def _restart_space(self, space_id: str) -> None:
        from espace_tui.tui.screens.confirm import ConfirmScreen

        space = self.workspace.store.get_space(space_id)
        if space is None:
            return
        label = self.workspace.state(space).procedure.restart_label

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            after = self.run_safely(label, lambda: self.workspace.restart_space(space_id))
            if after is not None:
                self.refresh_space(after)
                self.notify(f"{label} : espace « {space_id} ».", timeout=4)

        question = ConfirmScreen.question(
            label,
            f"{label} pour l'espace expert ",
            space.label,
            " ? Les étapes repartent de zéro ; l'historique garde tout ce qui a été fait.",
        )
        self.app.push_screen(ConfirmScreen(question, confirm_label=label), done)

    def action_add_space(self) -> None:
        from espace_tui.tui.screens.space_form import SpaceForm

        def done(message: str | None) -> None:
            if message:
                self.reload(self.dossier_list.selected_key)
                self.notify(message, timeout=4)

        self.app.push_screen(SpaceForm(self.workspace), done)

    # -- for the app ---------------------------------------------------------------------

    def restyle(self) -> None:
        self.dossier_list.restyle()
        detail = self.detail
        if detail.subject is not None:
            now = self.now()
            detail.restyle(self.workspace.state(detail.subject, now), now)
