"""The blockages of the procedure as data: message or symptom, causes, remedies.

Every entry cites a source of `sources.SOURCES`; what no source confirms is flagged
`unverified`. Remedies that restart or switch a procedure name it by id and take its steps
and countdowns from `procedures.PROCEDURES`; only hands-on advice is written here as text.
Matching lives in `diagnosis.py`, the changes a remedy makes in
`espace_tui/workspace/remedies.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from espace_tui.domain.dossier import Mode
from espace_tui.domain.procedures import (
    EXPERT_ADHESION,
    EXPERT_SPACE,
    HABILITATION,
    SIMPLIFIED,
    SUBSTITUTION,
    Owner,
)
from espace_tui.domain.sources import S1, S2, S3, S4, S5, S6, S7, S8, S12, SEED, UNSOURCED


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
    # No source confirms the entry (its causes or that the situation blocks like this).
    unverified: bool = False
    # Other phrasings people paste or type; matching also uses `message` and `title`.
    patterns: tuple[str, ...] = ()
    # Expired windows that mean this blockage (automatic diagnosis).
    expired_steps: tuple[StepRef, ...] = ()
    # Where it arises; empty means everywhere (used to rank candidates for a dossier).
    modes: frozenset[Mode] = frozenset()
    # The client letter (report.letters id) to send when the client must act.
    letter: str = ""

    @property
    def message_label(self) -> str:
        """How screens introduce `message`: a quote (never claimed verbatim) or a symptom."""
        if self.official_message:
            return "Message cité par le tutoriel (libellé exact du site non vérifié)"
        return "Symptôme"

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
    source=S1,
)

ADHERE_AGAIN = Remedy(
    id="adherer_a_nouveau",
    label=EXPERT_ADHESION.restart_label,
    owner=Owner.CABINET,
    action=Action.RESTART,
    countdowns=(StepRef(EXPERT_ADHESION.id, "activation_services"),),
    procedures=_ADHESIONS,
    lift=Lift.ON_APPLY,
    source=S2,
    unverified=True,
)

CHECK_ADDRESS = Remedy(
    id="verifier_adresse",
    label="Vérifier l'adresse de l'entreprise connue de la DGFiP",
    owner=Owner.CLIENT,
    action=Action.TRACK,
    steps=(
        "Comparer l'adresse du siège (registre SIRENE, Kbis) avec celle où le courrier est "
        "attendu.",
        "Courrier chez un domiciliataire : lui demander de le réexpédier sans attendre.",
        "Si l'adresse a changé : la faire mettre à jour (formalité de modification, ou le "
        "SIE), puis redemander le code et noter la date (« espace-tui date SIREN "
        "code_redemande AAAA-MM-JJ », ou D dans le tableau de bord).",
    ),
    source=UNSOURCED,
    unverified=True,
)

SUBSTITUTION_REMEDY = Remedy(
    id="substitution",
    label="Demander une substitution",
    owner=Owner.CABINET,
    action=Action.RESTART,
    procedure_id=SUBSTITUTION.id,
    countdowns=(StepRef(SUBSTITUTION.id, "activation_services"),),
    procedures=frozenset({SIMPLIFIED.id, EXPERT_ADHESION.id}),
    requires=(Requirement.SPACE_TO_WRITE_FROM,),
    lift=Lift.ON_APPLY,
    source=S6,
    unverified=True,
)

HABILITATION_REMEDY = Remedy(
    id="habilitation",
    label="Se faire habiliter par l'administrateur de l'espace du client",
    owner=Owner.CLIENT,
    action=Action.RESTART,
    procedure_id=HABILITATION.id,
    procedures=frozenset({SIMPLIFIED.id, EXPERT_ADHESION.id}),
    lift=Lift.ON_APPLY,
    source=S5,
)

PAY_ANOTHER_WAY = Remedy(
    id="payer_autrement",
    label="Payer l'impôt tout de suite par un autre moyen",
    owner=Owner.CLIENT,
    action=Action.TRACK,
    steps=(
        "Le rejet n'annule pas la dette : l'impôt reste dû à sa date, avec majoration en cas "
        "de retard.",
        "Le payer sans attendre par un autre moyen accepté (virement, par exemple), puis "
        "régler le mandat B2B pour les échéances suivantes.",
    ),
    source=UNSOURCED,
    unverified=True,
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
            # What people type, not the site's word (the site says « adhérent »).
            "SIREN déjà abonné",
            "un autre cabinet détient déjà les services",
        ),
        causes=(
            "Un autre titulaire détient déjà les services de ce SIREN : souvent l'ancien "
            "cabinet comptable.",
            "Le client (ou un de ses salariés) a déjà créé un espace professionnel.",
        ),
        remedies=(
            SUBSTITUTION_REMEDY,
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
                source=SEED,
            ),
            HABILITATION_REMEDY,
            Remedy(
                id="delegation",
                label="Demander au titulaire actuel de déléguer ou de se retirer",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Identifier le titulaire (ancien cabinet, client) avec le client.",
                    "Lui demander de déléguer les services au cabinet ou de résilier son adhésion.",
                ),
                source=UNSOURCED,
                unverified=True,
            ),
        ),
        source=SEED,
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
        source=SEED,
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
                source=SEED,
            ),
        ),
        expired_steps=(StepRef(EXPERT_SPACE.id, "activation_espace"),),
        modes=_EXPERT,
        source=SEED,
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
        causes=(
            "Le code n'a pas été saisi dans les 60 jours de sa validité (point de départ non "
            "précisé par l'administration).",
        ),
        remedies=(RESTART_SIMPLIFIED, ADHERE_AGAIN),
        expired_steps=(
            StepRef(SIMPLIFIED.id, "activation"),
            StepRef(EXPERT_ADHESION.id, "activation_services"),
            StepRef(SUBSTITUTION.id, "activation_services"),
        ),
        source=S3,
    ),
    BlockageKind(
        id="courrier_non_recu",
        letter="adresse",
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
        source=UNSOURCED,
        unverified=True,
    ),
    BlockageKind(
        id="email_deja_utilise",
        title="Adresse e-mail déjà utilisée",
        # A topic heading of the tutorial, not a message quoted from the site.
        message="L'adresse e-mail de connexion sert déjà à un autre espace",
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
                source=SEED,
            ),
        ),
        source=SEED,
    ),
    BlockageKind(
        id="siren_inconnu",
        title="SIREN non reconnu",
        message="Le SIREN saisi n'est pas reconnu",
        patterns=(
            "SIREN inconnu",
            "numéro SIREN introuvable",
            "SIREN non reconnu",
            "société qui vient d'être créée pas encore connue des impôts",
            "entreprise en cours d'immatriculation",
            "SIREN pas encore connu de la DGFiP",
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
                source=UNSOURCED,
                unverified=True,
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
                source=UNSOURCED,
                unverified=True,
            ),
        ),
        source=UNSOURCED,
        unverified=True,
    ),
    BlockageKind(
        id="paiement_rejete",
        letter="paiement",
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
            "Changement de banque : le mandat B2B du nouveau compte n'est pas encore enregistré.",
        ),
        expired_steps=(
            StepRef(SIMPLIFIED.id, "mandat_b2b"),
            StepRef(EXPERT_ADHESION.id, "mandat_b2b"),
        ),
        remedies=(
            PAY_ANOTHER_WAY,
            Remedy(
                id="mandat_b2b",
                label="Éditer le mandat B2B et l'envoyer à la banque",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Gérer les comptes bancaires (dans l'espace qui détient les services "
                    "« Payer » : celui du cabinet en mode expert) : vérifier que le mandat B2B "
                    "est « Valide ».",
                    "Sinon « Éditer le mandat », le signer et l'envoyer à la banque, qui "
                    "l'enregistre.",
                ),
                countdowns=(StepRef(SIMPLIFIED.id, "mandat_b2b"),),
                procedures=frozenset({SIMPLIFIED.id, EXPERT_ADHESION.id}),
                lift=Lift.ON_STEP,
                lift_step="mandat_b2b",
                source=S8,
            ),
        ),
        source=S8,
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
                    "Mes services > J'adhère : cocher le service manquant.",
                    "Activer ensuite le service avec le code reçu par courrier (non vérifié).",
                ),
                modes=frozenset({Mode.SIMPLIFIED}),
                source=S1,
            ),
        ),
        modes=frozenset({Mode.SIMPLIFIED}),
        source=S1,
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
                source=S4,
            ),
        ),
        modes=_EXPERT,
        source=S4,
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
                source=S2,
            ),
        ),
        modes=_EXPERT,
        source=S2,
    ),
    BlockageKind(
        id="messagerie_inactive",
        letter="messagerie",
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
                source=SEED,
            ),
        ),
        modes=_EXPERT,
        source=SEED,
    ),
    # -- situations of the cabinets' daily work, most frequent first ---------------------
    BlockageKind(
        id="espace_client_existant",
        letter="habilitation",
        title="Le client a déjà son espace : le cabinet n'y a pas accès",
        message="Le client a déjà créé son espace professionnel (souvent seul, en mode "
        "simplifié) et le cabinet ne voit pas ses services",
        patterns=(
            "le client a déjà un espace professionnel",
            "le client a créé son espace seul",
            "le client a créé son espace en mode simplifié",
            "nous n'avons pas accès à l'espace du client",
            "pas d'accès à l'espace professionnel du client",
            "habilitation délégation administrateur de l'espace",
            "comment obtenir une délégation sur l'espace du client",
            "se faire habiliter sur l'espace du client",
        ),
        causes=(
            "Le mode simplifié est prévu pour une entreprise qui ne partage pas la gestion de "
            "ses services en ligne : l'espace créé ainsi n'est ouvert qu'au client.",
            "Seul l'administrateur de l'espace (ou son suppléant) peut habiliter d'autres "
            "utilisateurs, dont le cabinet.",
        ),
        remedies=(HABILITATION_REMEDY, SUBSTITUTION_REMEDY),
        source=S1,
    ),
    BlockageKind(
        id="changement_cabinet",
        title="Changement de cabinet : l'ancien détient encore les services",
        message="Le client vient d'un autre cabinet, qui détient encore ses services en ligne",
        patterns=(
            "changement d'expert-comptable",
            "reprise du dossier d'un autre cabinet",
            "l'ancien cabinet a encore les accès",
            "ancien cabinet toujours titulaire des accès aux services",
            "nouveau client qui quitte son cabinet",
            "ancien expert-comptable toujours titulaire",
        ),
        causes=(
            "L'ancien cabinet a adhéré aux services de ce SIREN depuis son espace expert et "
            "reste titulaire tant qu'il ne s'est pas retiré.",
        ),
        remedies=(
            SUBSTITUTION_REMEDY,
            Remedy(
                id="retrait_ancien_cabinet",
                label="Demander à l'ancien cabinet de résilier son adhésion",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Écrire à l'ancien cabinet (confraternellement, avec la lettre de mission "
                    "signée) pour qu'il résilie son adhésion aux services de ce SIREN.",
                    "Une fois fait, adhérer depuis l'espace du cabinet (Mes services > J'adhère).",
                ),
                source=UNSOURCED,
                unverified=True,
            ),
        ),
        modes=_EXPERT,
        source=S6,
        unverified=True,
    ),
    BlockageKind(
        id="code_mauvaise_adresse",
        letter="adresse",
        title="Code envoyé à une ancienne adresse ou chez un domiciliataire",
        message="Le courrier du code est parti à une adresse périmée (siège déménagé) ou "
        "chez une société de domiciliation qui le réexpédie en retard",
        patterns=(
            "le siège a déménagé",
            "courrier parti à l'ancienne adresse",
            "changement d'adresse du siège social",
            "société de domiciliation",
            "domiciliataire réexpédie le courrier en retard",
            "courrier parti chez le domiciliataire",
            "courrier réexpédié trop tard",
            "code redemandé",
        ),
        causes=(
            "La DGFiP écrit à l'adresse qu'elle connaît (celle du registre SIRENE ou du SIE), "
            "pas forcément l'adresse actuelle.",
            "Le domiciliataire fait suivre le courrier avec retard : le code arrive tard, "
            "voire expiré.",
        ),
        remedies=(CHECK_ADDRESS, RESTART_SIMPLIFIED, ADHERE_AGAIN),
        source=UNSOURCED,
        unverified=True,
    ),
    BlockageKind(
        id="espace_particulier",
        title="Entreprise individuelle : espace particulier confondu avec l'espace pro",
        message="Un entrepreneur individuel ou micro-entrepreneur utilise son espace "
        "particulier (numéro fiscal) au lieu de l'espace professionnel (SIREN)",
        patterns=(
            "micro-entrepreneur",
            "auto-entrepreneur",
            "entreprise individuelle",
            "je me connecte avec mon numéro fiscal",
            "espace particulier au lieu de l'espace professionnel",
            "je ne trouve pas mon avis de CFE",
            "avis de CFE introuvable",
        ),
        causes=(
            "L'espace particulier (impôt sur le revenu, numéro fiscal) et l'espace "
            "professionnel (SIREN) sont deux espaces distincts : l'entrepreneur individuel "
            "a besoin des deux.",
            "L'avis de CFE ne s'obtient qu'en ligne, dans l'espace professionnel "
            "(Consulter > Avis C.F.E.) ; la TVA aussi, s'il y est assujetti.",
        ),
        remedies=(
            Remedy(
                id="creer_espace_pro",
                label="Créer l'espace professionnel du SIREN, distinct de l'espace particulier",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Créer l'espace professionnel avec le SIREN (mode simplifié s'il gère "
                    "seul ; sinon adhésion par le cabinet), avec une adresse de connexion "
                    "différente de celle de l'espace particulier.",
                    "Y consulter l'avis de CFE et, s'il est assujetti, déclarer et payer la TVA.",
                ),
                source=UNSOURCED,
                unverified=True,
            ),
        ),
        source=UNSOURCED,
        unverified=True,
    ),
    BlockageKind(
        id="email_entreprise_manquant",
        letter="email",
        title="Pas d'adresse e-mail propre à l'entreprise, ou adresse partagée",
        message="Le client n'a pas d'adresse e-mail d'entreprise, ou la partage avec une "
        "autre société ou une autre personne",
        patterns=(
            "le client n'a pas d'adresse e-mail",
            "pas d'adresse mail pour la société",
            "même adresse e-mail pour plusieurs sociétés",
            "adresse e-mail partagée entre associés",
            "adresse e-mail de l'entreprise obligatoire",
        ),
        causes=(
            "L'adresse e-mail de l'entreprise est obligatoire : elle reçoit le lien de "
            "validation et la messagerie DGFiP.",
            "Une adresse de connexion ne sert qu'à un seul espace.",
        ),
        remedies=(
            Remedy(
                id="adresse_dediee",
                label="Créer une adresse e-mail propre à l'entreprise",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Ouvrir une boîte propre à l'entreprise (elle reste si une personne part).",
                    "Prévoir en plus une adresse de connexion par personne et par espace.",
                    "La noter au dossier (e-mail de l'entreprise), puis remplir le formulaire.",
                ),
                source=SEED,
            ),
        ),
        source=S1,
    ),
    BlockageKind(
        id="sci_identifiant_dossier",
        title="SCI ou entité sans SIREN : identifiant de dossier (IDSP) demandé",
        message="Une SCI doit gérer ses taxes foncières (Gérer mes biens immobiliers) et le "
        "site demande un identifiant de dossier (IDSP)",
        patterns=(
            "SCI taxe foncière",
            "identifiant de dossier",
            "IDSP",
            "identifiant provisoire de la société",
            "gérer mes biens immobiliers pour une SCI",
        ),
        causes=(
            "Certaines entités sont suivies par la DGFiP sous un identifiant provisoire "
            "(IDSP) plutôt que sous un SIREN ; il compte dans la centaine par espace.",
        ),
        remedies=(
            Remedy(
                id="retrouver_idsp",
                label="Retrouver l'identifiant de dossier (IDSP) et adhérer avec",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Le chercher sur les courriers de la DGFiP reçus par l'entité, ou le "
                    "demander au SIE (non vérifié).",
                    "Adhérer avec cet identifiant (Mes services > J'adhère).",
                ),
                source=S4,
                unverified=True,
            ),
        ),
        source=S4,
    ),
    BlockageKind(
        id="titulaire_parti",
        letter="administrateur",
        title="Le titulaire de l'espace est parti, ou le mot de passe est perdu",
        message="Plus personne n'accède à l'espace : le titulaire (administrateur) a quitté "
        "l'entreprise, ou le mot de passe est perdu",
        patterns=(
            "mot de passe oublié",
            "mot de passe perdu",
            "le gérant est parti avec les identifiants",
            "l'administrateur a quitté la société",
            "plus personne n'a accès à l'espace professionnel",
            "ancien salarié titulaire de l'espace",
        ),
        causes=(
            "L'espace est rattaché à l'adresse de connexion d'une personne qui n'est plus là.",
            "Aucun administrateur suppléant n'a été désigné.",
        ),
        remedies=(
            Remedy(
                id="administrateur_suppleant",
                label="Faire reprendre la main par l'administrateur suppléant",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "L'administrateur suppléant se connecte et gère les habilitations à la "
                    "place de l'administrateur.",
                    "Désigner dès maintenant un suppléant dans chaque espace, pour la prochaine "
                    "fois.",
                ),
                source=S5,
            ),
            Remedy(
                id="mot_de_passe_oublie",
                label="Réinitialiser le mot de passe",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "« Mot de passe oublié » sur la page de connexion : le lien part à "
                    "l'adresse de connexion, qui doit donc être encore lue.",
                    "Adresse de connexion perdue aussi : contacter le SIE ou l'assistance "
                    "téléprocédures.",
                ),
                source=UNSOURCED,
                unverified=True,
            ),
        ),
        source=S5,
    ),
    BlockageKind(
        id="changement_banque",
        letter="banque",
        title="Changement de banque : nouveau mandat B2B avant la prochaine échéance",
        message="Le client change de banque ou de compte : les prélèvements d'impôts doivent "
        "passer sur le nouveau compte",
        patterns=(
            "changement de banque",
            "nouveau compte bancaire",
            "nouvel IBAN",
            "clôture du compte bancaire",
            "le client change de banque",
        ),
        causes=(
            "Le mandat B2B est propre à un compte et à une banque : le nouveau compte en "
            "demande un nouveau, enregistré par la nouvelle banque.",
        ),
        remedies=(
            Remedy(
                id="nouveau_mandat_b2b",
                label="Déclarer le nouveau compte et faire enregistrer son mandat B2B",
                owner=Owner.CLIENT,
                action=Action.TRACK,
                steps=(
                    "Déclarer le nouveau compte dans l'espace qui détient les services "
                    "« Payer » (celui de l'entreprise, ou celui du cabinet en mode expert).",
                    "Éditer le mandat B2B du nouveau compte, le faire signer et le remettre à "
                    "la nouvelle banque avant la prochaine échéance.",
                    "Ne clôturer l'ancien compte qu'une fois le nouveau mandat enregistré.",
                ),
                source=S7,
            ),
        ),
        source=S8,
    ),
    BlockageKind(
        id="partenaire_edi",
        title="Déclarations déposées par un partenaire EDI : l'espace reste nécessaire",
        message="Un partenaire EDI (EDI-TVA, EDI-TDFC) dépose les déclarations de "
        "l'entreprise : faut-il encore un espace professionnel ?",
        patterns=(
            "partenaire EDI",
            "EDI-TVA",
            "EDI-TDFC",
            "nos déclarations passent par le logiciel en EDI",
            "télédéclaration EDI par le cabinet",
        ),
        causes=(
            "Le partenaire EDI dépose les déclarations sous mandat de l'entreprise ; cela ne "
            "donne accès ni au compte fiscal, ni à la messagerie, ni aux avis.",
        ),
        remedies=(
            Remedy(
                id="garder_espace",
                label="Garder l'espace pour le compte fiscal, la messagerie et les avis",
                owner=Owner.CABINET,
                action=Action.TRACK,
                steps=(
                    "Le dépôt passe par le partenaire EDI (mandat de l'entreprise).",
                    "L'espace professionnel reste nécessaire : compte fiscal, messagerie "
                    "sécurisée, avis (CFE), comptes bancaires et mandats.",
                    "Éviter de déposer la même déclaration aussi en ligne (non vérifié).",
                ),
                source=S12,
            ),
        ),
        source=S12,
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
