"""The blockages of the procedure as data: message or symptom, causes, remedies.

Every entry comes from ../shared/reference/PROCEDURE.md (table « Blockages »). Remedies that
restart or switch a procedure name it by id and take its steps and countdowns from
`procedures.PROCEDURES`; only hands-on advice is written here as text. Matching lives in
`diagnosis.py`, the changes a remedy makes in `espace_tui/remedies.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from espace_tui.domain.dossier import Mode
from espace_tui.domain.procedures import (
    EXPERT_ADHESION,
    EXPERT_SPACE,
    SIMPLIFIED,
    SOURCE_FAQ,
    SOURCE_SEED,
    SUBSTITUTION,
    Owner,
)

SOURCE_REFERENCE = "Procédure de référence du cabinet (PROCEDURE.md)"
SOURCE_SUBSTITUTION = "Fiche impots.gouv.fr « Remplacer le titulaire d'un service » (substitution)"


class Action(StrEnum):
    """What applying a remedy does to the dossier (implemented in espace_tui.workspace.remedies)."""

    # Start `procedure_id` (or the dossier's own procedure) over; history is kept.
    RESTART = "restart"
    # Move the SIREN into an expert space (chosen or created) on the adhesion procedure.
    JOIN_EXPERT_SPACE = "join_expert_space"
    # Start the creation of the dossier's expert space over.
    RESTART_SPACE = "restart_space"
    # Record which of the cabinet's expert spaces the dossier belongs to; nothing restarts.
    ATTACH_SPACE = "attach_space"
    # Nothing to switch: record the remedy on the blockage and follow its steps by hand.
    TRACK = "track"


class Lift(StrEnum):
    """When the blockage stops blocking the dossier."""

    # The remedy starts a procedure whose own steps and countdowns now track what is left.
    ON_APPLY = "on_apply"
    # When `lift_step` of the dossier's procedure is ticked.
    ON_STEP = "on_step"
    # When the user says it is solved.
    BY_HAND = "by_hand"


class Requirement(StrEnum):
    """Named predicates on a dossier (evaluated in diagnosis.py) that a remedy needs."""

    # A space to write from: the secure messagerie exists once an espace exists.
    SPACE_TO_WRITE_FROM = "space_to_write_from"
    # The dossier belongs to an expert space.
    IN_EXPERT_SPACE = "in_expert_space"
    # The adhesion has not been made yet (moving it to another space loses nothing).
    NOT_ADHERED_YET = "not_adhered_yet"
    # The « Messagerie » service was requested.
    MESSAGERIE_REQUESTED = "messagerie_requested"
    # The dossier belongs to no expert space yet.
    NO_EXPERT_SPACE = "no_expert_space"


REQUIREMENT_REASONS: dict[Requirement, str] = {
    Requirement.SPACE_TO_WRITE_FROM: "la demande part de la messagerie d'un espace existant : "
    "créez d'abord l'espace expert du cabinet",
    Requirement.IN_EXPERT_SPACE: "le dossier n'est rattaché à aucun espace expert",
    Requirement.NOT_ADHERED_YET: "l'adhésion est déjà faite depuis cet espace",
    Requirement.MESSAGERIE_REQUESTED: "le service « Messagerie » n'a pas été demandé",
    Requirement.NO_EXPERT_SPACE: "le dossier est déjà rattaché à un espace expert",
}


@dataclass(frozen=True)
class StepRef:
    """A step of a procedure, referenced rather than copied."""

    procedure_id: str
    step_id: str


@dataclass(frozen=True)
class Remedy:
    id: str
    label: str
    owner: Owner
    action: Action
    source: str
    # Procedure the remedy starts (RESTART: None means the dossier's own procedure).
    procedure_id: str | None = None
    # Hands-on steps, for what no procedure describes.
    steps: tuple[str, ...] = ()
    # Countdowns the remedy starts (their duration and expiry live in the procedure).
    countdowns: tuple[StepRef, ...] = ()
    # Where it applies: empty means everywhere.
    procedures: frozenset[str] = frozenset()
    modes: frozenset[Mode] = frozenset()
    requires: tuple[Requirement, ...] = ()
    lift: Lift = Lift.BY_HAND
    lift_step: str | None = None
    # JOIN_EXPERT_SPACE: the target must be another space than the dossier's own.
    other_space: bool = False
    unverified: bool = False


@dataclass(frozen=True)
class BlockageKind:
    id: str
    title: str
    # The message as the site shows it (`official_message`) or the symptom in words.
    message: str
    causes: tuple[str, ...]
    remedies: tuple[Remedy, ...]
    source: str
    official_message: bool = False
    # Other phrasings people paste or type; matching also uses `message` and `title`.
    patterns: tuple[str, ...] = ()
    # Expired windows that mean this blockage (automatic diagnosis).
    expired_steps: tuple[StepRef, ...] = ()
    # Where it arises; empty means everywhere (used to rank candidates for a dossier).
    modes: frozenset[Mode] = frozenset()

    def remedy(self, remedy_id: str) -> Remedy:
        for remedy in self.remedies:
            if remedy.id == remedy_id:
                return remedy
        raise KeyError(remedy_id)


_SIMPLIFIED = frozenset({SIMPLIFIED.id})
_ADHESIONS = frozenset({EXPERT_ADHESION.id, SUBSTITUTION.id})
_EXPERT = frozenset({Mode.EXPERT})

RESTART_SIMPLIFIED = Remedy(
    id="recommencer_creation",
    label=SIMPLIFIED.restart_label,
    owner=Owner.CLIENT,
    action=Action.RESTART,
    procedure_id=SIMPLIFIED.id,
    countdowns=(StepRef(SIMPLIFIED.id, "lien_email"), StepRef(SIMPLIFIED.id, "activation")),
    procedures=_SIMPLIFIED,
    lift=Lift.ON_APPLY,
    source=SOURCE_FAQ,
)

ADHERE_AGAIN = Remedy(
    id="adherer_a_nouveau",
    label=EXPERT_ADHESION.restart_label,
    owner=Owner.CABINET,
    action=Action.RESTART,
    countdowns=(StepRef(EXPERT_ADHESION.id, "activation_services"),),
    procedures=_ADHESIONS,
    lift=Lift.ON_APPLY,
    source=SOURCE_FAQ,
)

CHECK_ADDRESS = Remedy(
    id="verifier_adresse",
    label="Vérifier l'adresse de l'entreprise connue de la DGFiP",
    owner=Owner.CLIENT,
    action=Action.TRACK,
    steps=(
        "Comparer l'adresse du siège (registre SIRENE, Kbis) avec celle où le courrier est "
        "attendu.",
        "Si elle a changé : la faire mettre à jour (formalité de modification, ou le SIE), "
        "puis redemander le code.",
    ),
    source=SOURCE_REFERENCE,
)

CATALOGUE: tuple[BlockageKind, ...] = (
    BlockageKind(
        id="deja_adherent",
        title="Déjà un adhérent pour ce SIREN",
        message="Il existe déjà un adhérent aux téléprocédures pour ce SIREN",
        official_message=True,
        patterns=(
            "Il existe déjà un adhérent pour ce SIREN",
            "adhérent aux téléprocédures déjà existant",
            "SIREN déjà adhérent",
            "SIREN déjà abonné",
            "un autre cabinet détient déjà les services",
        ),
        causes=(
            "Un autre titulaire détient déjà les services de ce SIREN : souvent l'ancien "
            "cabinet comptable.",
            "Le client (ou un de ses salariés) a déjà créé un espace professionnel.",
        ),
        remedies=(
            Remedy(
                id="substitution",
                label="Demander une substitution",
                owner=Owner.CABINET,
                action=Action.RESTART,
                procedure_id=SUBSTITUTION.id,
                countdowns=(StepRef(SUBSTITUTION.id, "activation_services"),),
                procedures=frozenset({SIMPLIFIED.id, EXPERT_ADHESION.id}),
                requires=(Requirement.SPACE_TO_WRITE_FROM,),
                lift=Lift.ON_APPLY,
                source=SOURCE_SUBSTITUTION,
            ),
            Remedy(
                id="adhesion_expert",
                label="Adhérer en mode expert",
                owner=Owner.CABINET,
                action=Action.JOIN_EXPERT_SPACE,
                procedure_id=EXPERT_ADHESION.id,
                steps=("Choisir l'espace expert du cabinet qui suivra ce SIREN, ou en créer un.",),
                countdowns=(StepRef(EXPERT_ADHESION.id, "activation_services"),),
                procedures=_SIMPLIFIED,
                lift=Lift.ON_APPLY,
                source=SOURCE_SEED,
            ),
            Remedy(
                id="delegation",
                label="Demander au titulaire actuel de déléguer ou de se retirer",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Identifier le titulaire (ancien cabinet, client) avec le client.",
                    "Lui demander de déléguer les services au cabinet ou de résilier son adhésion.",
                ),
                source=SOURCE_REFERENCE,
            ),
        ),
        source=SOURCE_SEED,
    ),
    BlockageKind(
        id="lien_expire",
        title="Lien de validation expiré (72 h)",
        message="Le lien de validation reçu par e-mail n'a pas été cliqué dans les 72 heures",
        patterns=(
            "Le lien de validation a expiré",
            "lien expiré",
            "Ce lien n'est plus valide",
            "le lien d'activation n'est plus valable",
            "délai de 72 heures dépassé",
        ),
        causes=("La fenêtre de 72 h suivant l'envoi du formulaire est passée.",),
        remedies=(RESTART_SIMPLIFIED,),
        expired_steps=(StepRef(SIMPLIFIED.id, "lien_email"),),
        modes=frozenset({Mode.SIMPLIFIED}),
        source=SOURCE_SEED,
    ),
    BlockageKind(
        id="code_expert_expire",
        title="Code d'activation de l'espace expert expiré (48 h)",
        message="Le code d'activation de l'espace expert, reçu par e-mail, n'a pas été saisi "
        "dans les 48 heures",
        patterns=(
            "code d'activation de l'espace expert expiré",
            "espace expert non activé dans les 48 heures",
            "code reçu par e-mail expiré 48 h",
        ),
        causes=("La fenêtre de 48 h suivant la création de l'espace expert est passée.",),
        remedies=(
            Remedy(
                id="recommencer_espace_expert",
                label=EXPERT_SPACE.restart_label,
                owner=Owner.CABINET,
                action=Action.RESTART_SPACE,
                procedure_id=EXPERT_SPACE.id,
                countdowns=(StepRef(EXPERT_SPACE.id, "activation_espace"),),
                requires=(Requirement.IN_EXPERT_SPACE,),
                lift=Lift.ON_APPLY,
                source=SOURCE_SEED,
            ),
        ),
        expired_steps=(StepRef(EXPERT_SPACE.id, "activation_espace"),),
        modes=_EXPERT,
        source=SOURCE_SEED,
    ),
    BlockageKind(
        id="code_expire",
        title="Code d'activation par courrier expiré (60 jours)",
        message="Le code d'activation reçu par courrier n'est plus valable (plus de 60 jours)",
        patterns=(
            "Le code d'activation a expiré",
            "Votre code d'activation n'est plus valide",
            "code d'activation périmé",
            "code d'activation invalide",
            "courrier de plus de 60 jours",
        ),
        causes=("Le code n'a pas été saisi dans les 60 jours suivant l'impression du courrier.",),
        remedies=(RESTART_SIMPLIFIED, ADHERE_AGAIN),
        expired_steps=(
            StepRef(SIMPLIFIED.id, "activation"),
            StepRef(EXPERT_ADHESION.id, "activation_services"),
            StepRef(SUBSTITUTION.id, "activation_services"),
        ),
        source=SOURCE_FAQ,
    ),
    BlockageKind(
        id="courrier_non_recu",
        title="Courrier du code d'activation perdu ou jamais reçu",
        message="Le courrier contenant le code d'activation n'est jamais arrivé ou a été perdu",
        patterns=(
            "courrier jamais reçu",
            "je n'ai pas reçu le courrier avec le code",
            "le client n'a pas reçu le code d'activation",
            "code d'activation pas reçu",
            "lettre perdue",
            "code d'activation perdu",
            "courrier égaré",
        ),
        causes=(
            "L'adresse de l'entreprise connue de la DGFiP n'est pas à jour.",
            "Le courrier s'est perdu, ou le client ne l'a pas transmis.",
        ),
        remedies=(CHECK_ADDRESS, RESTART_SIMPLIFIED, ADHERE_AGAIN),
        source=SOURCE_REFERENCE,
    ),
    BlockageKind(
        id="email_deja_utilise",
        title="Adresse e-mail déjà utilisée",
        message="Adresse e-mail déjà utilisée",
        official_message=True,
        patterns=(
            "Cette adresse électronique est déjà utilisée",
            "adresse mail déjà associée à un espace",
            "e-mail de connexion déjà utilisé",
            "e-mail déjà pris",
        ),
        causes=("Une adresse e-mail ne peut servir de connexion qu'à un seul espace.",),
        remedies=(
            Remedy(
                id="autre_email",
                label="Utiliser une autre adresse de connexion",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Choisir une adresse de connexion propre à la personne (une adresse par "
                    "personne et par espace).",
                    "Corriger l'e-mail de connexion du dossier, puis recommencer le formulaire.",
                ),
                source=SOURCE_SEED,
            ),
        ),
        source=SOURCE_SEED,
    ),
    BlockageKind(
        id="siren_inconnu",
        title="SIREN non reconnu",
        message="Le SIREN saisi n'est pas reconnu",
        patterns=(
            "SIREN inconnu",
            "numéro SIREN introuvable",
            "SIREN non reconnu",
        ),
        causes=(
            "L'entreprise vient d'être créée et n'est pas encore connue de la DGFiP.",
            "Erreur de saisie du numéro.",
        ),
        remedies=(
            Remedy(
                id="verifier_sirene",
                label="Vérifier le SIREN dans le registre SIRENE",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Rechercher le numéro sur annuaire-entreprises.data.gouv.fr (registre SIRENE).",
                    "Corriger le SIREN s'il y a une faute de frappe.",
                ),
                source=SOURCE_REFERENCE,
            ),
            Remedy(
                id="attendre_contacter",
                label="Attendre puis contacter le SIE ou l'assistance",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Entreprise récente : attendre quelques jours son enregistrement.",
                    "Ensuite, contacter le service des impôts des entreprises (SIE) ou "
                    "l'assistance téléprocédures.",
                ),
                source=SOURCE_REFERENCE,
            ),
        ),
        source=SOURCE_REFERENCE,
    ),
    BlockageKind(
        id="paiement_rejete",
        title="Premier paiement rejeté (mandat B2B)",
        message="Le premier paiement (TVA, IS…) a été rejeté",
        patterns=(
            "paiement rejeté",
            "prélèvement rejeté",
            "rejet du prélèvement de TVA",
            "paiement refusé par la banque",
            "mandat B2B non enregistré",
        ),
        causes=(
            "Le mandat SEPA B2B n'a pas été envoyé à la banque, ou la banque ne l'a pas "
            "enregistré.",
        ),
        expired_steps=(
            StepRef(SIMPLIFIED.id, "mandat_b2b"),
            StepRef(EXPERT_ADHESION.id, "mandat_b2b"),
        ),
        remedies=(
            Remedy(
                id="mandat_b2b",
                label="Éditer le mandat B2B et l'envoyer à la banque",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Espace professionnel > Gérer les comptes bancaires : vérifier que le "
                    "mandat B2B est « Valide ».",
                    "Sinon « Éditer le mandat », le signer et l'envoyer à la banque, qui "
                    "l'enregistre.",
                ),
                countdowns=(StepRef(SIMPLIFIED.id, "mandat_b2b"),),
                procedures=frozenset({SIMPLIFIED.id, EXPERT_ADHESION.id}),
                lift=Lift.ON_STEP,
                lift_step="mandat_b2b",
                source=SOURCE_FAQ,
            ),
        ),
        source=SOURCE_FAQ,
    ),
    BlockageKind(
        id="service_manquant",
        title="Service absent après la création simplifiée",
        message="Un service n'apparaît pas après la création en mode simplifié (remboursement "
        "de TVA UE, DAC6, taxe polluante…)",
        patterns=(
            "service manquant",
            "je ne trouve pas le service remboursement de TVA UE",
            "le service DAC6 n'apparaît pas",
            "service introuvable dans l'espace",
            "remboursement de TVA UE absent",
            "taxe sur les activités polluantes absente",
        ),
        causes=("Certains services ne sont pas inclus d'office par la création simplifiée.",),
        remedies=(
            Remedy(
                id="adhesion_complementaire",
                label="Demander une adhésion complémentaire",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Mes services > Adhérer aux services : cocher le service manquant.",
                    "Activer ensuite le service avec le code reçu par courrier.",
                ),
                modes=frozenset({Mode.SIMPLIFIED}),
                source=SOURCE_FAQ,
                unverified=True,
            ),
        ),
        modes=frozenset({Mode.SIMPLIFIED}),
        source=SOURCE_FAQ,
    ),
    BlockageKind(
        id="espace_sature",
        title="Espace expert surchargé (plus de 100 SIREN)",
        message="L'espace expert ralentit ou se bloque : il gère plus d'une centaine de SIREN",
        patterns=(
            "espace expert très lent",
            "l'espace expert rame",
            "lenteurs dans l'espace expert",
            "ralentissements en période de déclaration",
            "trop de SIREN dans l'espace expert",
            "plus de 100 SIREN",
        ),
        causes=("Un espace expert gère au mieux une centaine de SIREN.",),
        remedies=(
            Remedy(
                id="repartir_espaces",
                label="Répartir les SIREN sur plusieurs espaces",
                owner=Owner.CABINET,
                action=Action.JOIN_EXPERT_SPACE,
                procedure_id=EXPERT_ADHESION.id,
                steps=(
                    "Créer (ou choisir) un autre espace expert, avec sa propre adresse de "
                    "connexion.",
                    "Y faire les prochaines adhésions.",
                ),
                countdowns=(StepRef(EXPERT_ADHESION.id, "activation_services"),),
                modes=_EXPERT,
                requires=(Requirement.IN_EXPERT_SPACE, Requirement.NOT_ADHERED_YET),
                other_space=True,
                lift=Lift.ON_APPLY,
                source=SOURCE_SEED,
            ),
        ),
        modes=_EXPERT,
        source=SOURCE_SEED,
    ),
    BlockageKind(
        id="sans_espace_expert",
        title="Dossier expert rattaché à aucun espace expert",
        message="Le dossier est en mode expert mais n'est rattaché à aucun espace expert du "
        "cabinet",
        patterns=(
            "dossier expert rattaché à aucun espace",
            "dossier en mode expert sans espace expert du cabinet",
            "client en mode expert sans espace du cabinet",
        ),
        causes=(
            "Dossier ajouté ou importé en mode expert avant que l'espace expert du cabinet "
            "soit déclaré, ou sans préciser lequel quand il y en a plusieurs.",
            "En mode expert, l'adhésion se fait depuis l'espace expert du cabinet : sans lui, "
            "ni ses délais ni sa limite d'une centaine de SIREN ne sont suivis.",
        ),
        remedies=(
            Remedy(
                id="rattacher_espace",
                label="Rattacher à un espace expert du cabinet",
                owner=Owner.CABINET,
                action=Action.ATTACH_SPACE,
                steps=(
                    "Choisir l'espace expert depuis lequel l'adhésion est (ou sera) faite, ou "
                    "le déclarer (A dans le tableau de bord, « espace-tui espace add »).",
                ),
                modes=_EXPERT,
                requires=(Requirement.NO_EXPERT_SPACE,),
                lift=Lift.ON_APPLY,
                source=SOURCE_REFERENCE,
            ),
        ),
        modes=_EXPERT,
        source=SOURCE_REFERENCE,
    ),
    BlockageKind(
        id="messagerie_inactive",
        title="Messagerie inopérante (e-mail de l'entreprise non validé)",
        message="La messagerie sécurisée ne fonctionne pas pour ce SIREN",
        patterns=(
            "messagerie ne marche pas",
            "messagerie inaccessible",
            "pas de messagerie",
            "e-mail de l'entreprise non validé",
        ),
        causes=("L'adresse e-mail de l'entreprise n'a pas été validée par le lien reçu.",),
        remedies=(
            Remedy(
                id="revalider_email",
                label="Renvoyer le lien de validation de l'e-mail de l'entreprise",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Renvoyer le lien de validation depuis l'espace.",
                    "Le client clique sur le lien reçu à l'adresse de l'entreprise.",
                ),
                procedures=frozenset({EXPERT_ADHESION.id}),
                requires=(Requirement.MESSAGERIE_REQUESTED,),
                lift=Lift.ON_STEP,
                lift_step="messagerie_email",
                source=SOURCE_SEED,
            ),
        ),
        modes=_EXPERT,
        source=SOURCE_SEED,
    ),
)

CATALOGUE_BY_ID: dict[str, BlockageKind] = {kind.id: kind for kind in CATALOGUE}


def blockage_kind(kind_id: str) -> BlockageKind:
    return CATALOGUE_BY_ID[kind_id]


def blockage_title(kind_id: str) -> str:
    """The French title screens show for a stored `Blockage.kind` (the id if unknown)."""
    kind = CATALOGUE_BY_ID.get(kind_id)
    return kind.title if kind else kind_id


def remedy_by_id(remedy_id: str) -> Remedy | None:
    for kind in CATALOGUE:
        for remedy in kind.remedies:
            if remedy.id == remedy_id:
                return remedy
    return None


def remedy_label(remedy_id: str) -> str:
    remedy = remedy_by_id(remedy_id)
    return remedy.label if remedy else remedy_id
