"""Which route for a new client: yes/no questions and a decision table, both as data.

The rules are tried in order and the first whose conditions all hold wins. Questions are
asked in order, skipping any whose answer cannot change the outcome any more, so the table
alone decides what is asked. Facts: the official pages on both modes (the simplified one is
for a company that shares the management of its online services with nobody) and the
cabinet's tutorial, each rule citing its source.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from espace_tui.domain.deadline_text import DeadlineInfo, procedure_deadlines
from espace_tui.domain.dossier import Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import (
    EXPERT_ADHESION,
    EXPERT_SPACE,
    HABILITATION,
    SIMPLIFIED,
    SUBSTITUTION,
    Procedure,
    procedure,
)
from espace_tui.domain.sources import S1, SEED

Answers = Mapping[str, bool]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    # Few words for the decision table (« collectivité territoriale : oui »).
    short: str

    @property
    def flag(self) -> str:
        return "--" + self.id.replace("_", "-")


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="pour_elle_meme",
        text="L'entreprise agit-elle uniquement pour elle-même (elle crée et tient son propre "
        "espace) ?",
        help="Non si c'est le cabinet qui agit pour son compte.",
        short="agit pour elle-même",
    ),
    Question(
        id="services_existants",
        text="Ce SIREN a-t-il déjà un espace professionnel ou des services (créés par "
        "l'entreprise, un ancien cabinet…) ?",
        help="Oui aussi si le site a déjà répondu « Il existe déjà un adhérent aux "
        "téléprocédures pour ce SIREN ».",
        short="espace ou services existants",
    ),
    Question(
        id="collectivite",
        text="Le client est-il une collectivité territoriale ?",
        help="Commune, département, région, intercommunalité…",
        short="collectivité territoriale",
    ),
    Question(
        id="gestion_partagee",
        text="Le cabinet (ou quelqu'un d'autre que le client) doit-il gérer ses services en "
        "ligne : déclarer, payer, lire la messagerie ?",
        help="Le mode simplifié est réservé à l'entreprise « dont vous ne partagerez pas la "
        "gestion des services en ligne ». Si le client crée seul un espace simplifié, le "
        "cabinet n'y a pas accès tant que l'administrateur de cet espace ne l'habilite pas.",
        short="gestion partagée avec le cabinet",
    ),
    Question(
        id="plusieurs_societes",
        text="Gère-t-on plusieurs entreprises depuis le même compte (groupe, filiales) ?",
        help="Un seul espace expert suffit pour une centaine de SIREN.",
        short="plusieurs entreprises",
    ),
)

QUESTIONS_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


@dataclass(frozen=True)
class Rule:
    id: str
    when: Mapping[str, bool]
    procedure_id: str
    reason: str
    source: str
    # Other procedures worth knowing in this situation (shown as « autre voie »).
    alternatives: tuple[str, ...] = ()

    def matches(self, answers: Answers) -> bool:
        return all(answers.get(q) is v for q, v in self.when.items())


RULES: tuple[Rule, ...] = (
    Rule(
        id="espace_existant",
        when={"services_existants": True},
        procedure_id=EXPERT_ADHESION.id,
        reason="Ce SIREN a déjà un espace ou des services : le cabinet adhère aux services de "
        "ce SIREN depuis son espace expert, et si le site répond « Il existe déjà un adhérent "
        "aux téléprocédures pour ce SIREN », il demande la substitution (diagnostic « b » du "
        "tableau de bord ou « espace-tui diagnose »).",
        source=SEED,
        alternatives=(HABILITATION.id, SUBSTITUTION.id),
    ),
    Rule(
        id="collectivite",
        when={"collectivite": True},
        procedure_id=EXPERT_ADHESION.id,
        reason="Une collectivité territoriale ne peut pas utiliser le mode simplifié : il faut "
        "passer par le mode expert et adhérer aux services pour son SIREN.",
        source=S1,
    ),
    Rule(
        id="gestion_partagee",
        when={"pour_elle_meme": True, "gestion_partagee": True},
        procedure_id=EXPERT_ADHESION.id,
        reason="Le mode simplifié est réservé à une entreprise qui ne partage pas la gestion de "
        "ses services en ligne : dès que le cabinet doit y intervenir, il adhère aux services "
        "de ce SIREN depuis son espace expert ; un espace simplifié créé seul par le client "
        "fermerait la porte au cabinet jusqu'à ce qu'il y soit habilité.",
        source=S1,
        alternatives=(HABILITATION.id,),
    ),
    Rule(
        id="entreprise_seule",
        when={"pour_elle_meme": True, "gestion_partagee": False, "plusieurs_societes": False},
        procedure_id=SIMPLIFIED.id,
        reason="L'entreprise agit seulement pour elle-même, ne partagera la gestion de ses "
        "services en ligne avec personne et aucun espace n'existe pour son SIREN : le mode "
        "simplifié crée son espace et active d'office les services courants (hors démarches "
        "TVA UE).",
        source=S1,
    ),
    Rule(
        id="plusieurs_entreprises",
        when={"pour_elle_meme": True, "gestion_partagee": False, "plusieurs_societes": True},
        procedure_id=EXPERT_ADHESION.id,
        reason="Plusieurs entreprises se gèrent depuis un seul espace expert (une centaine de "
        "SIREN au plus), en adhérant aux services pour chaque SIREN.",
        source=SEED,
        alternatives=(SIMPLIFIED.id,),
    ),
    Rule(
        id="cabinet_pour_client",
        when={"pour_elle_meme": False},
        procedure_id=EXPERT_ADHESION.id,
        reason="Le cabinet agit pour le compte du client : il adhère aux services de ce SIREN "
        "depuis son espace expert, et le code arrive chez le client, qui le lui transmet.",
        source=S1,
    ),
)

# The dossier mode each route is recorded under.
ROUTE_MODES: dict[str, Mode] = {
    SIMPLIFIED.id: Mode.SIMPLIFIED,
    EXPERT_ADHESION.id: Mode.EXPERT,
    SUBSTITUTION.id: Mode.EXPERT,
    HABILITATION.id: Mode.EXPERT,
}

# Routes run from the cabinet's expert space, whose own creation has a 48 h window.
NEEDS_EXPERT_SPACE: frozenset[str] = frozenset({EXPERT_ADHESION.id, SUBSTITUTION.id})


def _completions(answers: Answers) -> list[dict[str, bool]]:
    free = [q.id for q in QUESTIONS if q.id not in answers]
    return [
        {**answers, **dict(zip(free, values, strict=True))}
        for values in itertools.product((True, False), repeat=len(free))
    ]


def first_rule(answers: Answers) -> Rule | None:
    return next((rule for rule in RULES if rule.matches(answers)), None)


def _outcomes(answers: Answers) -> set[str | None]:
    return {(r.id if (r := first_rule(c)) else None) for c in _completions(answers)}


def decided_rule(answers: Answers) -> Rule | None:
    """The rule the answers lead to whatever the unanswered questions, or None."""
    outcomes = _outcomes(answers)
    if len(outcomes) != 1:
        return None
    return first_rule(_completions(answers)[0])


def next_question(answers: Answers) -> Question | None:
    """The next question worth asking, or None once the answers decide the route."""
    if decided_rule(answers) is not None:
        return None
    for question in QUESTIONS:
        if question.id in answers:
            continue
        if _outcomes({**answers, question.id: True}) != _outcomes({**answers, question.id: False}):
            return question
    return None


@dataclass(frozen=True)
class Prerequisite:
    procedure: Procedure
    deadlines: tuple[DeadlineInfo, ...]
    # False when the cabinet has already declared an expert space.
    needed: bool


@dataclass(frozen=True)
class Recommendation:
    rule: Rule
    procedure: Procedure
    mode: Mode
    answers: dict[str, bool]
    deadlines: tuple[DeadlineInfo, ...]
    prerequisite: Prerequisite | None
    alternatives: tuple[Procedure, ...]

    @property
    def reason(self) -> str:
        return self.rule.reason

    def as_json(self) -> dict[str, object]:
        prerequisite: dict[str, object] | None = None
        if self.prerequisite is not None:
            prerequisite = {
                "procedure_id": self.prerequisite.procedure.id,
                "label": self.prerequisite.procedure.label,
                "needed": self.prerequisite.needed,
                "deadlines": [d.as_json() for d in self.prerequisite.deadlines],
            }
        return {
            "procedure_id": self.procedure.id,
            "label": self.procedure.label,
            "mode": self.mode.value,
            "rule": self.rule.id,
            "reason": self.reason,
            "source": self.rule.source,
            "answers": dict(self.answers),
            "deadlines": [d.as_json() for d in self.deadlines],
            "prerequisite": prerequisite,
            "alternatives": [{"procedure_id": p.id, "label": p.label} for p in self.alternatives],
        }


class LineKind(StrEnum):
    TITLE = "title"
    TEXT = "text"
    SOURCE = "source"
    HEADING = "heading"
    ITEM = "item"
    WARNING = "warning"
    NOTE = "note"


def recommendation_lines(result: Recommendation) -> list[tuple[LineKind, str]]:
    """The recommendation in French, line by line; each interface styles the kinds."""
    lines = [
        (LineKind.TITLE, f"Recommandation : {result.procedure.label}"),
        (LineKind.TEXT, f"Pourquoi : {result.reason}"),
        (LineKind.SOURCE, f"Source : {result.rule.source}"),
    ]
    if result.deadlines:
        lines.append((LineKind.HEADING, "Délais qui démarreront :"))
        lines += [(LineKind.ITEM, _deadline_line(d)) for d in result.deadlines]
    prerequisite = result.prerequisite
    if prerequisite is not None and prerequisite.needed:
        lines.append(
            (
                LineKind.WARNING,
                f"Prérequis : {prerequisite.procedure.label}, aucun n'est déclaré pour l'instant.",
            )
        )
        lines += [(LineKind.ITEM, _deadline_line(d)) for d in prerequisite.deadlines]
    elif prerequisite is not None:
        lines.append((LineKind.NOTE, f"Prérequis : {prerequisite.procedure.label} (déjà déclaré)."))
    lines += [
        (LineKind.NOTE, f"Autre voie possible : {p.label}. {p.summary}")
        for p in result.alternatives
    ]
    return lines


def _deadline_line(deadline: DeadlineInfo) -> str:
    flag = " (non vérifié)" if deadline.unverified else ""
    return f"• {deadline.step_label} ({deadline.owners}) : {deadline.text}{flag}"


def recommend(answers: Answers, *, has_expert_space: bool = False) -> Recommendation:
    """The route for these answers; InvalidInput names the first question still needed."""
    rule = decided_rule(answers)
    if rule is None:
        missing = next_question(answers)
        assert missing is not None  # the rules cover every combination (tested)
        raise InvalidInput(missing.flag, f"réponse manquante (oui ou non) à « {missing.text} »")
    proc = procedure(rule.procedure_id)
    prerequisite = None
    if proc.id in NEEDS_EXPERT_SPACE:
        prerequisite = Prerequisite(
            EXPERT_SPACE, procedure_deadlines(EXPERT_SPACE), needed=not has_expert_space
        )
    # Unknown keys (a typo in a script) are dropped, not trusted.
    used = {q: v for q, v in answers.items() if q in QUESTIONS_BY_ID}
    return Recommendation(
        rule=rule,
        procedure=proc,
        mode=ROUTE_MODES[proc.id],
        answers=used,
        deadlines=procedure_deadlines(proc),
        prerequisite=prerequisite,
        alternatives=tuple(procedure(p) for p in rule.alternatives),
    )


def parse_answer(raw: str, question: Question) -> bool:
    """« oui », « o », « non », « n » (any case) → bool; anything else names the flag."""
    text = raw.strip().casefold()
    if text in ("oui", "o"):
        return True
    if text in ("non", "n"):
        return False
    raise InvalidInput(question.flag, f"« {raw} » : répondez oui ou non.")
