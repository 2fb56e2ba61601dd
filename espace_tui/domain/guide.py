"""The procedure guide, generated from the procedure data so it never disagrees with it.

Steps, owners and deadlines come from `PROCEDURES`; the choice of mode from the advisor's
decision table; services from the catalogue; the helpline from its data. What the data did
not hold yet (the comparison of the two modes, the best practices) is below, as typed
tables, each fact with its source. `render_markdown` is the one rendering: the command line
prints it, the dashboard shows it cut into `guide_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass

from espace_tui.domain.advisor import QUESTIONS, QUESTIONS_BY_ID, RULES
from espace_tui.domain.deadline_text import (
    DeadlineInfo,
    countdown_text,
    owners_text,
    procedure_deadlines,
    short_step_label,
)
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, BlockageKind
from espace_tui.domain.dossier import Mode
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE, Helpline, clock_time
from espace_tui.domain.procedures import (
    CODE_VALIDITY,
    EXPERT_ADHESION,
    EXPERT_SPACE,
    EXPERT_SPACE_SOFT_LIMIT,
    HABILITATION,
    PROCEDURES,
    SIMPLIFIED,
    SUBSTITUTION,
    Condition,
    Procedure,
    procedure,
)
from espace_tui.domain.sources import S1, S2, S4, S5, S13, SEED
from espace_tui.domain.teleservices import TELESERVICES

UNVERIFIED_MARK = "non vérifié"


@dataclass(frozen=True)
class Sourced:
    """A fact and where it comes from."""

    text: str
    source: str
    unverified: bool = False


# When each route is followed (the procedures say how, not how often).
ROUTE_WHEN: dict[str, str] = {
    SIMPLIFIED.id: "Une fois, par l'entreprise, pour son propre SIREN, quand elle ne "
    "partagera la gestion de ses services en ligne avec personne.",
    EXPERT_SPACE.id: f"Une fois par adresse de connexion : au-delà d'environ "
    f"{EXPERT_SPACE_SOFT_LIMIT} SIREN, le cabinet en ouvre un autre.",
    EXPERT_ADHESION.id: "Pour chaque SIREN client, depuis l'espace expert du cabinet.",
    SUBSTITUTION.id: "Quand un autre adhérent (souvent l'ancien cabinet) détient déjà les "
    "services du SIREN.",
    HABILITATION.id: "Quand le client a déjà son propre espace (créé seul, par exemple en "
    "mode simplifié) et que le cabinet doit y accéder.",
}

CONDITION_NOTES: dict[Condition, str] = {
    Condition.MESSAGERIE_REQUESTED: "seulement si le service « Messagerie » est demandé",
    Condition.PAYMENT_REQUESTED: "dès qu'un service « Payer » (impôt autoliquidé) est demandé",
}


@dataclass(frozen=True)
class ModeProfile:
    """The seed tutorial's « récapitulatif rapide », one column per mode."""

    mode: Mode
    procedure_ids: tuple[str, ...]
    creation_time: Sourced
    services: Sourced
    suits: Sourced
    blocks: Sourced


def _complementary_services() -> str:
    names = [
        f"{s.label} ({UNVERIFIED_MARK})" if s.unverified else s.label
        for s in TELESERVICES
        if s.complementary
    ]
    return ", ".join(names)


MODE_PROFILES: tuple[ModeProfile, ...] = (
    ModeProfile(
        mode=Mode.SIMPLIFIED,
        procedure_ids=(SIMPLIFIED.id,),
        creation_time=Sourced("3 étapes en ligne, puis un code par courrier", SEED),
        services=Sourced(
            f"Tous activés d'office, sauf : {_complementary_services()} (adhésion complémentaire)",
            S1,
        ),
        suits=Sourced(
            "Entreprise qui gère seule son SIREN, sans espace existant, et ne partagera la "
            "gestion de ses services en ligne avec personne (pas même le cabinet)",
            S1,
        ),
        blocks=Sourced(
            "SIREN déjà adhérent (« Il existe déjà un adhérent aux téléprocédures pour ce "
            "SIREN ») : substitution, habilitation ou adhésion en mode expert",
            SEED,
        ),
    ),
    ModeProfile(
        mode=Mode.EXPERT,
        procedure_ids=(EXPERT_SPACE.id, EXPERT_ADHESION.id),
        creation_time=Sourced(
            "Espace : quelques étapes 100 % en ligne, code immédiat par e-mail ; puis une "
            "adhésion par SIREN, avec un code par courrier à l'entreprise",
            S2,
        ),
        services=Sourced("À choisir pour chaque SIREN (Mes services > J'adhère)", S2),
        suits=Sourced("Cabinets, groupes, collectivités, ou SIREN qui a déjà un espace", S1),
        blocks=Sourced(
            f"au-delà d'environ {EXPERT_SPACE_SOFT_LIMIT} SIREN par espace : ralentissements ; "
            "services détenus par un autre adhérent : substitution",
            S4,
        ),
    ),
)

MODE_TITLES: dict[Mode, str] = {Mode.SIMPLIFIED: "Mode simplifié", Mode.EXPERT: "Mode expert"}


@dataclass(frozen=True)
class Practice:
    title: str
    text: Sourced
    details: tuple[Sourced, ...] = ()


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def helpline_hours(line: Helpline) -> str:
    """« du lundi au vendredi, de 8 h à 19 h 30, fermée les jours fériés »."""
    days = sorted(line.weekdays)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
        when = f"du {_WEEKDAYS[days[0]]} au {_WEEKDAYS[days[-1]]}"
    else:
        when = ", ".join(_WEEKDAYS[d] for d in days)
    text = f"{when}, de {clock_time(line.opens)} à {clock_time(line.closes)}"
    if line.closed_on_public_holidays:
        text += ", fermée les jours fériés"
    return text


_B2B = SIMPLIFIED.step("mandat_b2b")

BEST_PRACTICES: tuple[Practice, ...] = (
    Practice(
        "Une adresse e-mail par espace",
        Sourced(
            "Deux espaces ne peuvent pas partager la même adresse de connexion : prévoyez une "
            "adresse par personne et par espace.",
            SEED,
        ),
    ),
    Practice(
        "Le mandat B2B avant le premier paiement",
        Sourced(_B2B.help, _B2B.source, _B2B.unverified),
    ),
    Practice(
        "Services non inclus en mode simplifié",
        Sourced("Ils demandent une adhésion complémentaire (Mes services > J'adhère) :", S1),
        tuple(
            Sourced(s.label, SEED if s.unverified else S1, s.unverified)
            for s in TELESERVICES
            if s.complementary
        ),
    ),
    Practice(
        "Un espace expert pour une centaine de SIREN au plus",
        Sourced(
            f"Au-delà d'environ {EXPERT_SPACE_SOFT_LIMIT} SIREN, l'espace ralentit ou se bloque "
            "en période chargée (une recommandation de la DGFiP, pas un plafond) : "
            "répartissez le portefeuille sur plusieurs espaces.",
            S4,
        ),
    ),
    Practice(
        "Gardez chaque code et chaque document",
        Sourced(
            "Conservez les codes reçus et les courriers : le code vaut "
            f"{CODE_VALIDITY.days} jours, et la date d'impression, en haut du courrier, est le "
            "point de départ le plus prudent connu.",
            SEED,
        ),
        (
            Sourced(
                "L'administration ne dit pas d'où courent les "
                f"{CODE_VALIDITY.days} jours : le programme les compte depuis la date "
                "d'impression, à défaut depuis le clic sur le lien ou l'adhésion.",
                SEED,
                unverified=True,
            ),
            Sourced(
                "En fin de création, le client télécharge les « informations récapitulatives "
                "de votre espace » (PDF) et les garde ; le cabinet en classe une copie.",
                S13,
            ),
        ),
    ),
    Practice(
        "Un administrateur suppléant dans chaque espace",
        Sourced(
            "L'administrateur d'un espace gère les habilitations des autres utilisateurs (dont "
            "le cabinet) ; un suppléant évite de tout perdre si le titulaire part.",
            S5,
        ),
    ),
    Practice(
        TELEPROCEDURES_HELPLINE.label,
        Sourced(
            f"{TELEPROCEDURES_HELPLINE.number}, {helpline_hours(TELEPROCEDURES_HELPLINE)} ; ou "
            "le formulaire de contact en ligne de l'espace professionnel.",
            SEED,
            unverified=True,
        ),
    ),
)


# -- the guide as a structure ------------------------------------------------------------


@dataclass(frozen=True)
class GuideStep:
    number: int
    step_id: str
    label: str
    owners: str
    deadline: str | None
    expiry: str | None
    remedy: str | None
    # Which event the window runs from, when no source confirms it.
    anchor_note: str
    condition: str | None
    help: str
    source: str
    unverified: bool


@dataclass(frozen=True)
class GuideRoute:
    procedure_id: str
    label: str
    summary: str
    when: str
    steps: tuple[GuideStep, ...]
    unverified: bool = False
    known: str = ""
    source: str = ""


@dataclass(frozen=True)
class DecisionRow:
    conditions: str
    procedure_label: str
    reason: str
    source: str


@dataclass(frozen=True)
class ComparisonRow:
    label: str
    cells: tuple[Sourced, ...]


@dataclass(frozen=True)
class Guide:
    questions: tuple[str, ...]
    decisions: tuple[DecisionRow, ...]
    routes: tuple[GuideRoute, ...]
    comparison_modes: tuple[str, ...]
    comparison: tuple[ComparisonRow, ...]
    blockages: tuple[BlockageKind, ...]
    practices: tuple[Practice, ...]


def route_of(proc: Procedure) -> GuideRoute:
    steps = tuple(
        GuideStep(
            number=index,
            step_id=step.id,
            label=step.label,
            owners=owners_text(step),
            deadline=countdown_text(step.countdown, proc) if step.countdown else None,
            expiry=step.countdown.expiry if step.countdown else None,
            remedy=step.countdown.remedy if step.countdown else None,
            anchor_note=step.countdown.anchor_note if step.countdown else "",
            condition=CONDITION_NOTES.get(step.condition) if step.condition else None,
            help=step.help,
            source=step.source,
            unverified=step.unverified,
        )
        for index, step in enumerate(proc.steps, start=1)
    )
    return GuideRoute(
        proc.id,
        proc.label,
        proc.summary,
        ROUTE_WHEN.get(proc.id, ""),
        steps,
        proc.unverified,
        proc.known,
        proc.source,
    )


def _deadlines_cell(deadlines: list[DeadlineInfo]) -> Sourced:
    parts = [
        f"{d.window} : {short_step_label(procedure(d.procedure_id).step(d.step_id))}"
        for d in deadlines
    ]
    sources = {d.source for d in deadlines}
    return Sourced(
        " ; ".join(parts),
        sources.pop() if len(sources) == 1 else SEED,
        any(d.unverified for d in deadlines),
    )


def _comparison() -> tuple[ComparisonRow, ...]:
    deadlines = [
        _deadlines_cell([d for p in m.procedure_ids for d in procedure_deadlines(procedure(p))])
        for m in MODE_PROFILES
    ]
    return (
        ComparisonRow("Temps de création", tuple(m.creation_time for m in MODE_PROFILES)),
        ComparisonRow("Délais clés", tuple(deadlines)),
        ComparisonRow("Services", tuple(m.services for m in MODE_PROFILES)),
        ComparisonRow("Idéal pour", tuple(m.suits for m in MODE_PROFILES)),
        ComparisonRow("Ce qui bloque", tuple(m.blocks for m in MODE_PROFILES)),
    )


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def build_guide() -> Guide:
    decisions = tuple(
        DecisionRow(
            conditions=" et ".join(
                f"{QUESTIONS_BY_ID[q].short} : {_yes_no(v)}" for q, v in rule.when.items()
            ),
            procedure_label=procedure(rule.procedure_id).label,
            reason=rule.reason,
            source=rule.source,
        )
        for rule in RULES
    )
    return Guide(
        questions=tuple(q.text for q in QUESTIONS),
        decisions=decisions,
        routes=tuple(route_of(p) for p in PROCEDURES.values()),
        comparison_modes=tuple(MODE_TITLES[m.mode] for m in MODE_PROFILES),
        comparison=_comparison(),
        blockages=CATALOGUE,
        practices=BEST_PRACTICES,
    )


# -- rendering -----------------------------------------------------------------------------


class _Sources:
    """Numbers the sources in order of first use: « [1] »."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def mark(self, source: str, unverified: bool = False) -> str:
        if source not in self.order:
            self.order.append(source)
        text = f"[{self.order.index(source) + 1}]"
        return f"{text} *({UNVERIFIED_MARK})*" if unverified else text

    def cite(self, fact: Sourced) -> str:
        return f"{fact.text} {self.mark(fact.source, fact.unverified)}"


def lower_first(text: str) -> str:
    """« Recommencer… » → « recommencer… », but « SIE », « DGFiP » keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def joined(parts: tuple[str, ...] | list[str]) -> str:
    """Sentences joined by « ; »: no capital after the semicolon, one final stop."""
    cleaned = [part.rstrip(".") for part in parts]
    return " ; ".join(cleaned[:1] + [lower_first(p) for p in cleaned[1:]])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(guide: Guide | None = None) -> str:
    guide = guide or build_guide()
    sources = _Sources()
    out: list[str] = ["# Guide des procédures : espace professionnel impots.gouv.fr", ""]

    out += ["## Choisir le bon mode", "", "Les questions à se poser :", ""]
    out += [f"{i}. {q}" for i, q in enumerate(guide.questions, start=1)]
    out += ["", "La première ligne qui correspond décide :", ""]
    out += ["| Si… | Alors | Pourquoi |", "|---|---|---|"]
    for row in guide.decisions:
        reason = f"{row.reason} {sources.mark(row.source)}"
        out.append(f"| {_cell(row.conditions)} | {_cell(row.procedure_label)} | {_cell(reason)} |")
    out.append("")

    out += ["## Les étapes de chaque procédure", ""]
    for route in guide.routes:
        out += [f"### {route.label}", "", f"{route.summary} {sources.mark(route.source)}"]
        if route.when:
            out += ["", f"*{route.when}*"]
        if route.known:
            status = "Procédure non vérifiée" if route.unverified else "Ce qui est connu"
            mark = sources.mark(route.source, route.unverified)
            out += ["", f"> **{status}** : {route.known} {mark}"]
        out.append("")
        for step in route.steps:
            line = f"{step.number}. **{step.label}** ({step.owners})"
            if step.condition:
                line += f", {step.condition}"
            line += f" {sources.mark(step.source, step.unverified)}"
            out.append(line)
            if step.deadline:
                line = f"   - Délai : {step.deadline}."
                if step.remedy:
                    line += f" Passé ce délai : {lower_first(step.remedy)}."
                out.append(line)
            if step.anchor_note:
                out.append(f"   - {step.anchor_note}")
            if step.help:
                out.append(f"   - {step.help}")
        out.append("")

    out += ["## Comparer les deux modes", ""]
    out += ["| | " + " | ".join(guide.comparison_modes) + " |"]
    out += ["|---|" + "---|" * len(guide.comparison_modes)]
    for comparison_row in guide.comparison:
        cells = " | ".join(_cell(sources.cite(c)) for c in comparison_row.cells)
        out.append(f"| **{comparison_row.label}** | {cells} |")
    out.append("")

    out += ["## Blocages et solutions", ""]
    for kind in guide.blockages:
        message = f"« {kind.message} »" if kind.official_message else kind.message
        mark = sources.mark(kind.source, kind.unverified)
        out.append(f"- **{kind.title}** : {message} {mark}")
        if kind.official_message:
            out.append("   - Libellé cité par le tutoriel ; libellé exact du site non vérifié.")
        out.append(f"   - Causes : {joined(kind.causes)}.")
        if kind.letter:
            out.append(f"   - Lettre au client : `espace-tui lettre SIREN --type {kind.letter}`")
        out.append("   - Solutions :")
        for r in kind.remedies:
            out.append(f"      - {r.label} {sources.mark(r.source, r.unverified)}")
            out += [f"         - {step}" for step in r.steps]
    out.append("")

    out += ["## Bonnes pratiques", ""]
    for practice in guide.practices:
        out.append(f"- **{practice.title}** : {sources.cite(practice.text)}")
        out += [f"   - {sources.cite(detail)}" for detail in practice.details]
    out.append("")

    out += ["## Sources", ""]
    out += [f"{i}. {source}" for i, source in enumerate(sources.order, start=1)]
    out += [
        "",
        f"*({UNVERIFIED_MARK})* : information non confirmée par une source officielle ; "
        "vérifiez-la sur impots.gouv.fr.",
        "",
    ]
    return "\n".join(out)


@dataclass(frozen=True)
class GuideSection:
    """A heading and the Markdown up to the next one (the heading line included)."""

    level: int
    title: str
    markdown: str


def guide_sections(markdown: str | None = None) -> tuple[GuideSection, ...]:
    """The guide cut at each heading; joined back, the sections give the text unchanged."""
    text = render_markdown() if markdown is None else markdown
    sections: list[GuideSection] = []
    lines: list[str] = []
    level, title = 0, ""
    for line in text.splitlines(keepends=True):
        if line.startswith("#") and lines:
            sections.append(GuideSection(level, title, "".join(lines)))
            lines = []
        if line.startswith("#"):
            marks, _, rest = line.partition(" ")
            level, title = len(marks), rest.strip()
        lines.append(line)
    if lines:
        sections.append(GuideSection(level, title, "".join(lines)))
    return tuple(sections)
