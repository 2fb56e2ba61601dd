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
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE, Helpline
from espace_tui.domain.procedures import (
    CODE_VALIDITY,
    EXPERT_ADHESION,
    EXPERT_SPACE,
    EXPERT_SPACE_SOFT_LIMIT,
    PROCEDURES,
    SIMPLIFIED,
    SOURCE_FAQ,
    SOURCE_SEED,
    SUBSTITUTION,
    Condition,
    Procedure,
    procedure,
)
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
    SIMPLIFIED.id: "Une fois, par l'entreprise, pour son propre SIREN.",
    EXPERT_SPACE.id: "Une fois par cabinet (un espace par e-mail de connexion).",
    EXPERT_ADHESION.id: "Pour chaque SIREN client, depuis l'espace expert du cabinet.",
    SUBSTITUTION.id: "Quand un autre adhérent (souvent l'ancien cabinet) détient déjà les "
    "services du SIREN.",
}

CONDITION_NOTES: dict[Condition, str] = {
    Condition.MESSAGERIE_REQUESTED: "seulement si le service « Messagerie » est demandé",
    Condition.B2B_MANDATE: "seulement avec un mandat B2B",
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
        creation_time=Sourced("3 étapes en ligne, puis un code par courrier", SOURCE_SEED),
        services=Sourced(
            f"Tous activés d'office, sauf : {_complementary_services()} (adhésion complémentaire)",
            SOURCE_FAQ,
        ),
        suits=Sourced("TPE ou PME qui gère son seul SIREN, sans espace existant", SOURCE_SEED),
        blocks=Sourced(
            "SIREN déjà abonné (« Il existe déjà un adhérent aux téléprocédures pour ce "
            "SIREN ») : substitution nécessaire",
            SOURCE_SEED,
        ),
    ),
    ModeProfile(
        mode=Mode.EXPERT,
        procedure_ids=(EXPERT_SPACE.id, EXPERT_ADHESION.id),
        creation_time=Sourced(
            "Espace : quelques étapes 100 % en ligne, code immédiat par e-mail ; puis une "
            "adhésion par SIREN, avec un code par courrier à l'entreprise",
            SOURCE_SEED,
        ),
        services=Sourced("À choisir pour chaque SIREN (Mes services > J'adhère)", SOURCE_SEED),
        suits=Sourced(
            "Cabinets, groupes, collectivités, ou SIREN qui a déjà un espace", SOURCE_SEED
        ),
        blocks=Sourced(
            f"Au-delà d'environ {EXPERT_SPACE_SOFT_LIMIT} SIREN par espace : ralentissements ; "
            "services détenus par un autre adhérent : substitution",
            SOURCE_SEED,
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
    """« du lundi au vendredi, 08:00–19:30, fermée les jours fériés »."""
    days = sorted(line.weekdays)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 1:
        when = f"du {_WEEKDAYS[days[0]]} au {_WEEKDAYS[days[-1]]}"
    else:
        when = ", ".join(_WEEKDAYS[d] for d in days)
    text = f"{when}, {line.opens:%H:%M}–{line.closes:%H:%M}"
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
            SOURCE_SEED,
        ),
    ),
    Practice(
        "Le mandat B2B avant le premier paiement",
        Sourced(_B2B.help, _B2B.source, _B2B.unverified),
    ),
    Practice(
        "Services non inclus en mode simplifié",
        Sourced("Ils demandent une adhésion complémentaire :", SOURCE_FAQ),
        tuple(
            Sourced(s.label, SOURCE_SEED if s.unverified else SOURCE_FAQ, s.unverified)
            for s in TELESERVICES
            if s.complementary
        ),
    ),
    Practice(
        "Un espace expert pour une centaine de SIREN au plus",
        Sourced(
            f"Au-delà d'environ {EXPERT_SPACE_SOFT_LIMIT} SIREN, l'espace ralentit ou se bloque "
            "en période chargée : répartissez le portefeuille sur plusieurs espaces.",
            SOURCE_SEED,
        ),
    ),
    Practice(
        "Gardez chaque code et chaque document",
        Sourced(
            "Conservez les codes reçus, les courriers (leur date d'impression fait courir les "
            f"{CODE_VALIDITY.days} jours) et l'attestation PDF de création.",
            SOURCE_SEED,
        ),
    ),
    Practice(
        TELEPROCEDURES_HELPLINE.label,
        Sourced(
            f"{TELEPROCEDURES_HELPLINE.number}, {helpline_hours(TELEPROCEDURES_HELPLINE)} ; ou "
            "le formulaire de contact en ligne de l'espace professionnel.",
            SOURCE_SEED,
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
            condition=CONDITION_NOTES.get(step.condition) if step.condition else None,
            help=step.help,
            source=step.source,
            unverified=step.unverified,
        )
        for index, step in enumerate(proc.steps, start=1)
    )
    return GuideRoute(proc.id, proc.label, proc.summary, ROUTE_WHEN.get(proc.id, ""), steps)


def _deadlines_cell(deadlines: list[DeadlineInfo]) -> Sourced:
    parts = [
        f"{d.window} : {short_step_label(procedure(d.procedure_id).step(d.step_id))}"
        for d in deadlines
    ]
    return Sourced(
        " ; ".join(parts),
        SOURCE_FAQ if all(d.source == SOURCE_FAQ for d in deadlines) else SOURCE_SEED,
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
        out += [f"### {route.label}", "", route.summary]
        if route.when:
            out += ["", f"*{route.when}*"]
        out.append("")
        for step in route.steps:
            line = f"{step.number}. **{step.label}** ({step.owners})"
            if step.condition:
                line += f", {step.condition}"
            line += f" {sources.mark(step.source, step.unverified)}"
            out.append(line)
            if step.deadline:
                out.append(f"   - Délai : {step.deadline}. {step.expiry or ''}".rstrip())
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
        out.append(f"- **{kind.title}** : {message} {sources.mark(kind.source)}")
        causes = " ; ".join(cause.rstrip(".") for cause in kind.causes)
        out.append(f"   - Causes : {causes}.")
        remedies = [f"{r.label} {sources.mark(r.source, r.unverified)}" for r in kind.remedies]
        out.append(f"   - Solutions : {' ; '.join(remedies)}")
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
