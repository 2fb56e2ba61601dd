"""Which dossiers a command acts on: by status, by who must act next (« Qui »), by mode, by
expert space. `--filtre` on the command line and the dashboard's « Qui » filter read this."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from espace_tui.domain.agenda import OWNER_ORDER
from espace_tui.domain.deadlines import STATUS_LABELS, Status, TrackState, status_from_text
from espace_tui.domain.dossier import MODE_LABELS, Dossier, Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import OWNER_LABELS, Owner

# « statut=urgent », « qui=client », « mode=expert », « espace=principal »; a bare word is a
# status (« --filtre urgent,expiré » as before).
KEYS = ("statut", "qui", "mode", "espace")
FILTER_HELP = (
    "statut=urgent, qui=client (cabinet, client, dgfip, banque), mode=expert, espace=ID ; "
    "un mot seul est un statut ; virgules : l'un ou l'autre (qui=client,banque) ; "
    "répétable : tous à la fois"
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def next_owner(state: TrackState) -> Owner | None:
    """Who must act next: the cabinet when a window expired (it restarts the step), else the
    owner of the next step; None when everything is done."""
    if state.expired_steps:
        return Owner.CABINET
    nxt = state.next_step
    return None if nxt is None else nxt.template.owner


def owner_rank(owner: Owner | None) -> int:
    """Sort key by who must act; finished dossiers (nobody) last."""
    return len(OWNER_ORDER) if owner is None else OWNER_ORDER.index(owner)


def owner_from_text(text: str) -> Owner | None:
    wanted = _plain(text)
    for owner, label in OWNER_LABELS.items():
        if wanted in (owner.value, _plain(label)):
            return owner
    return None


def _mode_from_text(text: str) -> Mode | None:
    wanted = _plain(text)
    for mode, label in MODE_LABELS.items():
        if wanted in (mode.value, _plain(label)):
            return mode
    return None


@dataclass(frozen=True)
class Selection:
    """Dossiers matching every criterion given (one of the values of each)."""

    statuses: tuple[Status, ...] = ()
    owners: tuple[Owner, ...] = ()
    modes: tuple[Mode, ...] = ()
    spaces: tuple[str, ...] = ()
    # Dossiers picked one by one (the dashboard's marks).
    sirens: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.statuses or self.owners or self.modes or self.spaces or self.sirens)

    def matches(self, dossier: Dossier, state: TrackState) -> bool:
        if self.statuses and state.status not in self.statuses:
            return False
        if self.owners and next_owner(state) not in self.owners:
            return False
        if self.modes and dossier.mode not in self.modes:
            return False
        if self.sirens and dossier.siren not in self.sirens:
            return False
        return not self.spaces or dossier.space_id in self.spaces

    @property
    def label(self) -> str:
        """« statut : urgent ; qui : Client » — what the selection holds, in French."""
        parts = []
        if self.statuses:
            parts.append("statut : " + ", ".join(STATUS_LABELS[s] for s in self.statuses))
        if self.owners:
            parts.append("qui : " + ", ".join(OWNER_LABELS[o] for o in self.owners))
        if self.modes:
            parts.append("mode : " + ", ".join(MODE_LABELS[m] for m in self.modes))
        if self.spaces:
            parts.append("espace : " + ", ".join(self.spaces))
        if self.sirens:
            parts.append(f"{len(self.sirens)} dossier(s) marqué(s)")
        return " ; ".join(parts)


def parse_selection(texts: Iterable[str], field: str = "--filtre") -> Selection:
    """« qui=client », « urgent,expiré », « mode=expert,statut=urgent »: each comma-separated
    word belongs to the last key named before it (statut when none)."""
    statuses: list[Status] = []
    owners: list[Owner] = []
    modes: list[Mode] = []
    spaces: list[str] = []
    for text in texts:
        key = "statut"
        for part in text.split(","):
            word = part.strip()
            if not word:
                continue
            if "=" in word:
                named, _, word = (w.strip() for w in word.partition("="))
                key = _plain(named)
                if key not in KEYS:
                    raise InvalidInput(
                        field,
                        f"« {named} » inconnu (attendu : {', '.join(KEYS)}, ex. qui=client).",
                    )
            if key == "statut":
                statuses.append(_status(word, field))
            elif key == "qui":
                owners.append(_owner(word, field))
            elif key == "mode":
                modes.append(_mode(word, field))
            elif word:
                spaces.append(word)
            else:
                raise InvalidInput(field, "espace= sans identifiant (ex. espace=principal).")
    return Selection(
        tuple(dict.fromkeys(statuses)),
        tuple(dict.fromkeys(owners)),
        tuple(dict.fromkeys(modes)),
        tuple(dict.fromkeys(spaces)),
    )


def _status(word: str, field: str) -> Status:
    status = status_from_text(word)
    if status is None:
        known = ", ".join(STATUS_LABELS.values())
        raise InvalidInput(field, f"statut « {word} » inconnu (statuts : {known}).")
    return status


def _owner(word: str, field: str) -> Owner:
    owner = owner_from_text(word)
    if owner is None:
        raise InvalidInput(
            field, f"qui « {word} » inconnu (attendu : cabinet, client, dgfip ou banque)."
        )
    return owner


def _mode(word: str, field: str) -> Mode:
    mode = _mode_from_text(word)
    if mode is None:
        raise InvalidInput(field, f"mode « {word} » inconnu (attendu : simplifie ou expert).")
    return mode
