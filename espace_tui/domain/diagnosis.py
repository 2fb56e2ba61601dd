"""From a pasted message to ranked blockages, and the remedies that apply to one dossier.

Matching is plain stdlib on purpose: the catalogue holds a few dozen short phrasings, so a
weighted token overlap (accents, quotes and case folded by `unicodedata`, a light French
suffix stripping, `difflib` for typos) ranks them in well under a millisecond, explains
itself, and needs no compiled dependency. Rare words weigh more than words every entry
shares (« code », « SIREN »), so one distinctive word outweighs three common ones.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from espace_tui.domain.diagnosis_catalogue import (
    CATALOGUE,
    CATALOGUE_BY_ID,
    REQUIREMENT_REASONS,
    Action,
    BlockageKind,
    Lift,
    Remedy,
    Requirement,
    StepRef,
    remedy_by_id,
)
from espace_tui.domain.display import format_duration
from espace_tui.domain.dossier import MODE_LABELS, Dossier, ExpertSpace
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE, clock_time
from espace_tui.domain.procedures import (
    FACT_LABELS,
    PROCEDURES,
    Condition,
    Fact,
    Owner,
    procedure,
)
from espace_tui.domain.teleservices import ServiceState

# A candidate below this score is noise, not a diagnosis.
MATCH_THRESHOLD = 0.5
# Next to a clear winner, weaker candidates are echoes of common words: keep those close.
RELATIVE_THRESHOLD = 0.65
# An entry that cannot arise in the dossier's mode still shows, a little lower.
OUT_OF_MODE_FACTOR = 0.8
# Matched words must weigh at least this much (about one word only this entry uses), so a
# lone « SIREN » or « code » is not a diagnosis.
MIN_EVIDENCE = 2.4
# Beyond this, a pasted text is a whole mailbox: its head is where the message is.
MAX_TEXT_CHARS = 100_000

_STOPWORDS = frozenset(
    (
        *("a", "ai", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de"),
        *("des", "du", "elle", "en", "est", "et", "il", "j", "je", "l", "la", "le", "les"),
        *("leur", "lui", "m", "ma", "me", "mes", "mon", "nos", "notre", "nous", "on", "ou"),
        *("par", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "t"),
        *("ta", "te", "tes", "ton", "un", "une", "vos", "votre", "vous", "y", "ete", "etre"),
        *("avez", "avoir", "bien", "tres", "the", "n", "ne", "pas", "plus", "non"),
    )
)
# « n'est plus valide » is the opposite of « valide », « le lien a expiré » of « le lien
# marche »: a text matches only if it says something is wrong, with a negation, a generic
# word (« erreur ») or one of the trouble words of the phrasing itself. Otherwise its score
# is cut below the threshold.
_NEGATIONS = frozenset(("ne", "n", "pas", "plus", "jamais", "non", "aucun", "aucune", "rien"))
_GENERIC_TROUBLE = frozenset(
    ("erreur", "impossibl", "bloqu", "problem", "souci", "echec", "echou", "introuvabl", "sans")
)
_TROUBLE = frozenset(
    (
        *("expir", "perdu", "rejet", "deja", "manquant", "reconnu", "lent", "lenteur"),
        *("ralentiss", "rame", "trop", "invalid", "inaccessibl", "chang"),
    )
)
UNTROUBLED_FACTOR = 0.45
# Longest first: the first suffix that leaves a stem of 4 letters or more is stripped.
_SUFFIXES = ("ations", "ation", "ements", "ement", "ees", "ee", "es", "er", "e", "s", "x")
# Words people use for the same thing, mapped onto the stem the catalogue uses.
_SYNONYMS = {
    "email": "mail",
    "courriel": "mail",
    "mel": "mail",
    "electroniqu": "mail",
    "lettr": "courri",
    "prelev": "paiement",
    "refus": "rejet",
    "perim": "expir",
    "inconnu": "reconnu",
    "absent": "manquant",
    "egar": "perdu",
    "adherant": "adherent",
    "domiciliatair": "domicili",
}
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})
_WORD = re.compile(r"[a-z]+|[0-9]+")
_TYPO_QUALITY = 0.8
_TRUNCATED_QUALITY = 0.9


def normalize(text: str) -> str:
    """Lower case, no accents, no quotes or punctuation, single spaces."""
    plain = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(plain))


def stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return _SYNONYMS.get(word, word)


def _words(text: str) -> list[str]:
    return [w for w in normalize(text).split() if w not in _STOPWORDS and len(w) > 1]


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _words(text)]


def _negated(text: str) -> bool:
    return any(w in _NEGATIONS for w in normalize(text).split())


def _troubled(text: str) -> bool:
    """Does the text say, in general words, that something went wrong?"""
    words = normalize(text).split()
    return any(w in _NEGATIONS or stem(w) in _GENERIC_TROUBLE for w in words)


@dataclass(frozen=True)
class _Pattern:
    kind: BlockageKind
    text: str
    stems: frozenset[str]
    negated: bool

    @property
    def trouble(self) -> frozenset[str]:
        return self.stems & _TROUBLE

    def troubled_in(self, found: dict[str, float], text_troubled: bool) -> bool:
        """Does the text say something is wrong, as this phrasing does?"""
        if not self.trouble and not self.negated:
            return True
        return text_troubled or any(s in found for s in self.trouble)


@dataclass(frozen=True)
class _Index:
    patterns: tuple[_Pattern, ...]
    weights: dict[str, float]
    vocabulary: tuple[str, ...]
    # Typos rarely hit the first letter: fuzzy matching only looks among stems sharing it,
    # which keeps a pasted mailbox of unknown words fast.
    by_initial: dict[str, tuple[str, ...]]
    unknown_weight: float


@cache
def _index(catalogue: tuple[BlockageKind, ...] = CATALOGUE) -> _Index:
    patterns = tuple(
        _Pattern(kind, text, frozenset(_stems(text)), _negated(text))
        for kind in catalogue
        for text in (kind.message, kind.title, *kind.patterns)
    )
    kinds_with: dict[str, set[str]] = {}
    for pattern in patterns:
        for s in pattern.stems:
            kinds_with.setdefault(s, set()).add(pattern.kind.id)
    total = len(catalogue)
    weights = {s: math.log(1 + total / len(ids)) for s, ids in kinds_with.items()}
    vocabulary = tuple(sorted(weights))
    by_initial: dict[str, list[str]] = {}
    for vocab_stem in vocabulary:
        by_initial.setdefault(vocab_stem[0], []).append(vocab_stem)
    return _Index(
        patterns,
        weights,
        vocabulary,
        {k: tuple(v) for k, v in by_initial.items()},
        math.log(1 + total),
    )


def _found_stems(text: str, index: _Index) -> dict[str, float]:
    """Catalogue stems present in `text`, each with how sure we are (1 exact, less fuzzy)."""
    words = _words(text[:MAX_TEXT_CHARS])
    found: dict[str, float] = {}

    def note(vocab_stem: str, quality: float) -> None:
        found[vocab_stem] = max(found.get(vocab_stem, 0.0), quality)

    for word in set(words):
        s = stem(word)
        if s in index.weights:
            note(s, 1.0)
        elif len(s) >= 5:
            near = index.by_initial.get(s[0], ())
            for close in difflib.get_close_matches(s, near, n=1, cutoff=0.85):
                note(close, _TYPO_QUALITY)
    # A pasted message is often cut mid-word at either end.
    if words and len(words[-1]) >= 3:
        for vocab_stem in index.vocabulary:
            if vocab_stem.startswith(words[-1]) and vocab_stem != words[-1]:
                note(vocab_stem, _TRUNCATED_QUALITY)
    if words and len(words[0]) >= 3:
        for vocab_stem in index.vocabulary:
            if vocab_stem.endswith(words[0]) and vocab_stem != words[0]:
                note(vocab_stem, _TRUNCATED_QUALITY)
    return found


def _text_weights(text: str, index: _Index) -> list[tuple[float, str | None]]:
    """Each distinct stem of the text with its weight and the catalogue stem it stands for."""
    rows: list[tuple[float, str | None]] = []
    for s in set(_stems(text[:MAX_TEXT_CHARS])):
        if s in index.weights:
            rows.append((index.weights[s], s))
        else:
            rows.append((index.unknown_weight, None))
    return rows


def _pattern_score(
    pattern: _Pattern,
    found: dict[str, float],
    text_rows: list[tuple[float, str | None]],
    index: _Index,
) -> float:
    if not pattern.stems:
        return 0.0
    total = sum(index.weights[s] for s in pattern.stems)
    hit = sum(index.weights[s] * found.get(s, 0.0) for s in pattern.stems)
    recall = hit / total
    evidence = min(1.0, hit / MIN_EVIDENCE)
    # A short fragment of the message: most of what was typed belongs to this pattern.
    text_total = sum(w for w, _ in text_rows)
    covered = sum(w for w, s in text_rows if s is not None and s in pattern.stems)
    precision = covered / text_total if text_total else 0.0
    return max(recall, precision * math.sqrt(recall)) * evidence


# -- contextual remedies ------------------------------------------------------------------


@dataclass(frozen=True)
class RemedyOption:
    remedy: Remedy
    # Why it does not apply to this dossier; empty when it does.
    reason: str = ""

    @property
    def applies(self) -> bool:
        return not self.reason


def _requirement_met(requirement: Requirement, dossier: Dossier, spaces: Sequence[object]) -> bool:
    if requirement is Requirement.SPACE_TO_WRITE_FROM:
        return (
            dossier.space_id is not None
            or bool(spaces)
            or any(state is ServiceState.ACTIVE for state in dossier.services.values())
        )
    if requirement is Requirement.IN_EXPERT_SPACE:
        return dossier.space_id is not None
    if requirement is Requirement.NO_EXPERT_SPACE:
        return dossier.space_id is None
    if requirement is Requirement.NOT_ADHERED_YET:
        return "adhesion" not in dossier.events
    if requirement is Requirement.MESSAGERIE_REQUESTED:
        return Condition.MESSAGERIE_REQUESTED in dossier.conditions()
    raise ValueError(requirement)


def why_not(remedy: Remedy, dossier: Dossier, spaces: Sequence[ExpertSpace]) -> str:
    """The French reason `remedy` does not fit this dossier, or "" when it does."""
    if remedy.procedures and dossier.procedure_id not in remedy.procedures:
        wanted = " ou ".join(PROCEDURES[p].label for p in sorted(remedy.procedures))
        current = PROCEDURES[dossier.procedure_id].label
        return f"réservé à : {wanted} — ce dossier suit : {current}"
    if remedy.modes and dossier.mode not in remedy.modes:
        wanted = " ou ".join(MODE_LABELS[m] for m in remedy.modes)
        return f"ne concerne que le mode {wanted}"
    for requirement in remedy.requires:
        if not _requirement_met(requirement, dossier, spaces):
            return REQUIREMENT_REASONS[requirement]
    return ""


def remedy_options(
    kind: BlockageKind, dossier: Dossier | None, spaces: Sequence[ExpertSpace] = ()
) -> tuple[RemedyOption, ...]:
    """Every remedy of `kind`; without a dossier, all of them apply."""
    if dossier is None:
        return tuple(RemedyOption(r) for r in kind.remedies)
    return tuple(RemedyOption(r, why_not(r, dossier, spaces)) for r in kind.remedies)


@dataclass(frozen=True)
class Candidate:
    kind: BlockageKind
    score: float
    # The catalogue phrasing that matched best.
    matched: str
    options: tuple[RemedyOption, ...]

    @property
    def applicable(self) -> tuple[Remedy, ...]:
        return tuple(o.remedy for o in self.options if o.applies)


@dataclass(frozen=True)
class Diagnosis:
    query: str
    candidates: tuple[Candidate, ...]

    @property
    def matched(self) -> bool:
        return bool(self.candidates)


def rank(
    text: str, dossier: Dossier | None = None, catalogue: tuple[BlockageKind, ...] = CATALOGUE
) -> list[tuple[BlockageKind, float, str]]:
    """Every entry scoring above the threshold, best first (catalogue order breaks ties)."""
    index = _index(catalogue)
    found = _found_stems(text, index)
    if not found:
        return []
    text_rows = _text_weights(text, index)
    text_troubled = _troubled(text[:MAX_TEXT_CHARS])
    best: dict[str, tuple[float, str]] = {}
    for pattern in index.patterns:
        score = _pattern_score(pattern, found, text_rows, index)
        if not pattern.troubled_in(found, text_troubled):
            score *= UNTROUBLED_FACTOR
        if dossier is not None and pattern.kind.modes and dossier.mode not in pattern.kind.modes:
            score *= OUT_OF_MODE_FACTOR
        if score > best.get(pattern.kind.id, (0.0, ""))[0]:
            best[pattern.kind.id] = (score, pattern.text)
    kinds = {kind.id: kind for kind in catalogue}
    order = {kind.id: i for i, kind in enumerate(catalogue)}
    floor = max(MATCH_THRESHOLD, RELATIVE_THRESHOLD * max((s for s, _ in best.values()), default=0))
    ranked = [(kinds[kid], s, m) for kid, (s, m) in best.items() if s >= floor]
    ranked.sort(key=lambda row: (-round(row[1], 6), order[row[0].id]))
    return ranked


def diagnose(
    text: str,
    dossier: Dossier | None = None,
    spaces: Sequence[ExpertSpace] = (),
    limit: int = 4,
) -> Diagnosis:
    candidates = tuple(
        Candidate(kind, score, matched, remedy_options(kind, dossier, spaces))
        for kind, score, matched in rank(text, dossier)[:limit]
    )
    return Diagnosis(text, candidates)


def diagnose_kind(
    kind_id: str, dossier: Dossier | None = None, spaces: Sequence[ExpertSpace] = ()
) -> Candidate:
    """The diagnosis of a known blockage (picked from the catalogue or found by a check)."""
    kind = CATALOGUE_BY_ID[kind_id]
    return Candidate(kind, 1.0, kind.message, remedy_options(kind, dossier, spaces))


# -- what screens and the CLI print about a remedy ---------------------------------------


def countdown_text(ref: StepRef) -> str:
    """« Saisir le code pour activer les services : 60 j (départ : … ) »."""
    step = procedure(ref.procedure_id).step(ref.step_id)
    countdown = step.countdown
    if countdown is None:
        return step.label
    anchor = countdown.anchors[0]
    if anchor in {f.value for f in Fact}:
        start = FACT_LABELS[Fact(anchor)]
    else:
        # « Remplir le formulaire : SIREN, … » → « Remplir le formulaire ».
        start = f"étape « {procedure(ref.procedure_id).step(anchor).label.split(' :')[0]} »"
    if not countdown.duration:
        return f"{step.label} : avant la {start[0].lower()}{start[1:]}"
    hours = countdown.duration.total_seconds() / 3600
    # The site speaks of 48 h and 72 h, not of 2 or 3 days.
    duration = f"{hours:.0f} h" if hours <= 72 else format_duration(countdown.duration)
    return f"{step.label} : {duration} (départ : {start})"


def remedy_steps(remedy: Remedy, dossier: Dossier | None = None) -> list[tuple[str, Owner]]:
    """What to do, in order, and who does it: the remedy's own advice, then the steps of the
    procedure it starts (taken from the procedure, not copied)."""
    lines = [(text, remedy.owner) for text in remedy.steps]
    target = remedy.procedure_id
    if target is None and remedy.action is Action.RESTART and dossier is not None:
        target = dossier.procedure_id
    if target is not None and remedy.action is not Action.TRACK:
        lines += [(s.label, s.owner) for s in procedure(target).steps]
    return lines


def lift_text(remedy: Remedy) -> str:
    if remedy.lift is Lift.ON_APPLY:
        return "Le blocage est levé : la nouvelle procédure suit ce qui reste à faire."
    if remedy.lift is Lift.ON_STEP and remedy.lift_step:
        label = next(
            (
                p.step(remedy.lift_step).label
                for p in PROCEDURES.values()
                if p.has_step(remedy.lift_step)
            ),
            remedy.lift_step,
        )
        return f"Le blocage reste ouvert jusqu'à l'étape « {label} »."
    return "Le blocage reste ouvert jusqu'à ce que vous le leviez."


def lifted_by(dossier: Dossier, step_id: str) -> tuple[str, ...]:
    """Ids of the open blockages whose chosen remedy ends when `step_id` is done."""
    ids = []
    for blockage in dossier.open_blockages:
        remedy = remedy_by_id(blockage.remedy) if blockage.remedy else None
        if remedy is not None and remedy.lift is Lift.ON_STEP and remedy.lift_step == step_id:
            ids.append(blockage.id)
    return tuple(ids)


def helpline_text() -> str:
    line = TELEPROCEDURES_HELPLINE
    days = "du lundi au vendredi" if line.weekdays == frozenset(range(5)) else "en semaine"
    holidays = " (hors jours fériés)" if line.closed_on_public_holidays else ""
    hours = f"de {clock_time(line.opens)} à {clock_time(line.closes)}"
    # Number and hours come from the cabinet's tutorial only: said, not hidden.
    return (
        f"{line.label} : {line.number}, {days} {hours}{holidays}, ou le formulaire de contact "
        "en ligne (numéro et horaires non vérifiés)."
    )
