"""The status report as data: the cabinet, the date, counts per status, one summary per dossier.

Every format (Markdown, CSV, HTML, JSON) renders this one object; each dossier is the
`dossier_summary` dict, so masking happens in a single place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from espace_tui.domain.clock import to_paris
from espace_tui.domain.deadlines import (
    STATUS_LABELS,
    STATUS_RANK,
    Status,
    Thresholds,
    TrackState,
    status_from_text,
    track_state,
)
from espace_tui.domain.dossier import CabinetInfo, Dossier, ExpertSpace
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.selection import Selection
from espace_tui.report.summary import dossier_summary

# Called after each dossier with (done, total): the CLI draws a progress bar from it.
Progress = Callable[[int, int], None]


class ReportSource(Protocol):
    """What the reports read: a Workspace, or a Snapshot of one for a background thread."""

    @property
    def thresholds(self) -> Thresholds: ...
    def now(self) -> datetime: ...
    def dossiers(self) -> list[Dossier]: ...
    def spaces(self) -> list[ExpertSpace]: ...
    def cabinet(self) -> CabinetInfo: ...
    def state(self, item: Dossier | ExpertSpace, now: datetime | None = None) -> TrackState: ...


@dataclass(frozen=True)
class Snapshot:
    """The data read once (on the UI thread): exporting from it never touches the store."""

    thresholds: Thresholds
    instant: datetime
    dossier_list: tuple[Dossier, ...]
    space_list: tuple[ExpertSpace, ...]
    cabinet_info: CabinetInfo

    @classmethod
    def of(cls, source: ReportSource) -> Snapshot:
        return cls(
            source.thresholds,
            source.now(),
            tuple(source.dossiers()),
            tuple(source.spaces()),
            source.cabinet(),
        )

    def now(self) -> datetime:
        return self.instant

    def dossiers(self) -> list[Dossier]:
        return list(self.dossier_list)

    def spaces(self) -> list[ExpertSpace]:
        return list(self.space_list)

    def cabinet(self) -> CabinetInfo:
        return self.cabinet_info

    def state(self, item: Dossier | ExpertSpace, now: datetime | None = None) -> TrackState:
        return track_state(item, now or self.instant, self.thresholds)


STATUS_ORDER: tuple[Status, ...] = tuple(sorted(Status, key=lambda s: STATUS_RANK[s]))


def parse_statuses(texts: Iterable[str], field: str = "--filtre") -> tuple[Status, ...]:
    """« urgent,expiré » or repeated options; French labels and ids, accents optional."""
    wanted: list[Status] = []
    for text in texts:
        for part in text.split(","):
            if not part.strip():
                continue
            status = status_from_text(part)
            if status is None:
                known = ", ".join(STATUS_LABELS[s] for s in STATUS_ORDER)
                raise InvalidInput(field, f"statut « {part.strip()} » inconnu (statuts : {known}).")
            if status not in wanted:
                wanted.append(status)
    return tuple(wanted)


# The title of the counts block in every format: they cover every dossier, filter or not.
COUNTS_TITLE = "Tous les dossiers"


@dataclass(frozen=True)
class Report:
    cabinet: CabinetInfo
    generated_at: datetime
    statuses: tuple[Status, ...]
    counts: dict[Status, int]  # every dossier, whatever the filter
    dossiers: tuple[dict[str, Any], ...]
    # Criteria beyond the statuses (who must act, mode, expert space): `--filtre qui=client`.
    selection: Selection = field(default_factory=Selection)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def filter_label(self) -> str:
        if not self.selection.empty:
            return replace(self.selection, statuses=self.statuses).label
        return ", ".join(STATUS_LABELS[s] for s in self.statuses) if self.statuses else ""

    @property
    def selection_text(self) -> str:
        """What the list below the counts holds: the counts always cover every dossier, so a
        filtered list says it is a part of them."""
        if not self.filter_label:
            return f"Sélection : tous les dossiers ({len(self.dossiers)})"
        return (
            f"Sélection : {len(self.dossiers)} dossier(s) sur {self.total} "
            f"(filtre : {self.filter_label})"
        )

    def to_json(self) -> dict[str, Any]:
        criteria: dict[str, Any] = {}
        if not self.selection.empty:
            criteria["filter_owners"] = [o.value for o in self.selection.owners]
            criteria["filter_modes"] = [m.value for m in self.selection.modes]
            criteria["filter_spaces"] = list(self.selection.spaces)
        return {
            "cabinet": {"name": self.cabinet.name, "siren": self.cabinet.siren or None},
            "generated_at": to_paris(self.generated_at).isoformat(),
            "filter": [s.value for s in self.statuses],
            **criteria,
            "counts": {s.value: self.counts[s] for s in STATUS_ORDER},
            "total": self.total,
            "selected": len(self.dossiers),
            "dossiers": list(self.dossiers),
        }


def build_report(
    workspace: ReportSource,
    statuses: tuple[Status, ...] = (),
    progress: Progress | None = None,
    selection: Selection | None = None,
) -> Report:
    """All dossiers by urgency (or those whose status is in `statuses` and that match
    `selection`); counts cover all."""
    now = workspace.now()
    dossiers = workspace.dossiers()
    total = len(dossiers)
    rows = []
    for done, dossier in enumerate(dossiers, start=1):
        rows.append((dossier, workspace.state(dossier, now)))
        if progress is not None:
            progress(done, total)
    rows.sort(key=lambda row: (*row[1].sort_key(), row[0].name.lower()))
    counts = {s: 0 for s in STATUS_ORDER}
    for _, state in rows:
        counts[state.status] += 1
    wanted = selection or Selection()
    selected = tuple(
        dossier_summary(d, s)
        for d, s in rows
        if (not statuses or s.status in statuses) and wanted.matches(d, s)
    )
    return Report(workspace.cabinet(), now, statuses, counts, selected, wanted)


def tracked_rows(
    workspace: ReportSource,
    statuses: tuple[Status, ...] = (),
    progress: Progress | None = None,
    selection: Selection | None = None,
) -> list[tuple[Dossier | ExpertSpace, TrackState]]:
    """Dossiers and expert spaces with their states, those of `statuses` only if given.

    With a `selection`, dossiers must match it; an expert space is kept unless the selection
    names a mode or who must act (a space has neither), or other spaces."""
    now = workspace.now()
    items: list[Dossier | ExpertSpace] = [*workspace.dossiers(), *workspace.spaces()]
    rows: list[tuple[Dossier | ExpertSpace, TrackState]] = []
    wanted = selection or Selection()
    for done, item in enumerate(items, start=1):
        state = workspace.state(item, now)
        if (not statuses or state.status in statuses) and _keeps(wanted, item, state):
            rows.append((item, state))
        if progress is not None:
            progress(done, len(items))
    return rows


def _keeps(selection: Selection, item: Dossier | ExpertSpace, state: TrackState) -> bool:
    if selection.empty:
        return True
    if isinstance(item, Dossier):
        return selection.matches(item, state)
    if selection.modes or selection.owners:
        return False
    if selection.statuses and state.status not in selection.statuses:
        return False
    return not selection.spaces or item.id in selection.spaces
