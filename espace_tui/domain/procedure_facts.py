"""The procedure facts the program encodes, each with its source and verdict, as Markdown.

`docs/procedure.md` is this text (written by `scripts/generate_docs.py`; a test fails when it
drifts from the data), so a newcomer reads the sources without leaving the repository.
"""

from __future__ import annotations

from espace_tui.domain.advisor import RULES
from espace_tui.domain.deadline_text import countdown_text, owners_text
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.helpline import TELEPROCEDURES_HELPLINE, clock_time
from espace_tui.domain.procedures import (
    EXPERT_SPACE_SOFT_LIMIT,
    PROCEDURES,
    procedure,
)
from espace_tui.domain.sources import SOURCES, SOURCES_BY_CITATION, UNSOURCED
from espace_tui.domain.teleservices import TELESERVICES

CONFIRMED = "confirmé (officiel)"
UNOFFICIAL = "source non officielle"
UNVERIFIED = "**non vérifié**"


def _ref(citation: str) -> str:
    """« [S1] » for a citation of the sources table."""
    return f"[{SOURCES_BY_CITATION[citation].id}]"


def _verdict(citation: str, unverified: bool) -> str:
    if unverified or citation == UNSOURCED:
        return UNVERIFIED
    return CONFIRMED if SOURCES_BY_CITATION[citation].official else UNOFFICIAL


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_facts() -> str:
    out = [
        "# Les faits de procédure encodés dans espace-tui",
        "",
        "Généré depuis les données du programme (`espace_tui/domain/`) par "
        "`python scripts/generate_docs.py` ; un test échoue si ce fichier ne correspond plus "
        "aux données. Verdicts de la revue du 1er décembre 2026 : « confirmé » quand la source "
        "citée le dit, « non vérifié » sinon (le programme l'affiche alors comme tel).",
        "",
        "## Sources",
        "",
        "| Réf. | Source | Officielle | Adresse | Ce qui y a été lu |",
        "|---|---|---|---|---|",
    ]
    for source in SOURCES:
        official = "oui" if source.official else "non"
        url = source.url or "—"
        out.append(
            f"| {source.id} | {_cell(source.title)} | {official} | {url} | {_cell(source.covers)} |"
        )
    out.append("")

    out += ["## Étapes, responsables et délais", ""]
    for proc in PROCEDURES.values():
        out += [f"### {proc.label} (`{proc.id}`)", ""]
        if proc.unverified:
            out += [f"Procédure entière {UNVERIFIED} : {proc.known}", ""]
        elif proc.known:
            out += [proc.known, ""]
        out += ["| Étape | Libellé | Qui | Délai | Source | Verdict |", "|---|---|---|---|---|---|"]
        for step in proc.steps:
            deadline = countdown_text(step.countdown, proc) if step.countdown else "—"
            if step.countdown and step.countdown.anchor_note:
                deadline += f" — {step.countdown.anchor_note}"
            out.append(
                f"| `{step.id}` | {_cell(step.label)} | {owners_text(step)} | {_cell(deadline)} "
                f"| {_ref(step.source)} | {_verdict(step.source, step.unverified)} |"
            )
        out.append("")

    out += [
        "## Services",
        "",
        "Hors mode simplifié : adhésion complémentaire. Paiement : un service « Payer » d'un "
        "impôt autoliquidé, qui demande le mandat B2B à la banque avant le premier paiement "
        f"{_ref(procedure('simplifie').step('mandat_b2b').source)}.",
        "",
        "Libellés : liste indicative, non vérifiés un à un. Le verdict porte sur l'inclusion "
        "en mode simplifié (exclusion des démarches TVA UE : [S1]).",
        "",
        "| Service | Inclus en mode simplifié | Paiement (mandat B2B) | Verdict (inclusion) |",
        "|---|---|---|---|",
    ]
    for service in TELESERVICES:
        included = "non" if service.complementary else "oui"
        payment = "oui" if service.payment else "non"
        # Labels and the TVA UE exclusion: [S1]; DAC6 and TGAP exclusion: tutorial only.
        verdict = UNVERIFIED if service.unverified else CONFIRMED
        out.append(f"| {service.label} (`{service.id}`) | {included} | {payment} | {verdict} |")
    out.append("")

    out += [
        "## Choix du mode",
        "",
        "| Règle | Procédure | Raison | Source |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        out.append(
            f"| `{rule.id}` | {procedure(rule.procedure_id).label} | {_cell(rule.reason)} "
            f"| {_ref(rule.source)} |"
        )
    out.append("")

    out += ["## Blocages et remèdes", ""]
    for kind in CATALOGUE:
        quoted = (
            "message cité par le tutoriel (libellé exact du site non vérifié)"
            if kind.official_message
            else "symptôme décrit avec nos mots"
        )
        out.append(
            f"- **{kind.title}** (`{kind.id}`, {quoted}) {_ref(kind.source)} "
            f"{_verdict(kind.source, kind.unverified)}"
        )
        for remedy in kind.remedies:
            out.append(
                f"   - {remedy.label} (`{remedy.id}`) {_ref(remedy.source)} "
                f"{_verdict(remedy.source, remedy.unverified)}"
            )
    out.append("")

    out += [
        "## Autres chiffres",
        "",
        f"- Environ {EXPERT_SPACE_SOFT_LIMIT} SIREN (ou IDSP) par espace : une recommandation "
        f"de la DGFiP, pas un plafond [S4] {CONFIRMED}.",
        f"- {TELEPROCEDURES_HELPLINE.label} : {TELEPROCEDURES_HELPLINE.number}, du lundi au "
        f"vendredi de {clock_time(TELEPROCEDURES_HELPLINE.opens)} à "
        f"{clock_time(TELEPROCEDURES_HELPLINE.closes)} [SEED] {UNVERIFIED} (aucune page officielle "
        "lue ; donnée modifiable).",
        f"- Mot de passe d'au moins 20 caractères : tutoriel seulement [SEED] {UNVERIFIED} ; "
        "le programme ne stocke jamais de mot de passe.",
        "",
    ]
    return "\n".join(out)
