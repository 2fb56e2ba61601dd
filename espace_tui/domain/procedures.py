"""The procedures of impots.gouv.fr as data: ordered steps, owners and countdowns.

Every fact comes from ../shared/reference/PROCEDURE.md; facts it marks unverified carry
`unverified=True` so screens can say so. Widgets and exporters read these tables; nothing
else in the program hard-codes a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from espace_tui.domain.teleservices import ServiceState

SOURCE_FAQ = "FAQ officielle impots.gouv.fr (espace professionnel)"
SOURCE_SEED = "Tutoriel « Créer son espace professionnel » (source non officielle)"


class Owner(StrEnum):
    CABINET = "cabinet"
    CLIENT = "client"
    DGFIP = "dgfip"
    BANQUE = "banque"


OWNER_LABELS: dict[Owner, str] = {
    Owner.CABINET: "Cabinet",
    Owner.CLIENT: "Client",
    Owner.DGFIP: "DGFiP",
    Owner.BANQUE: "Banque",
}


class Fact(StrEnum):
    """Dated events that are not steps but start or end a countdown."""

    LETTER_PRINTED = "courrier_imprime"
    FIRST_PAYMENT = "premier_paiement"


FACT_LABELS: dict[Fact, str] = {
    Fact.LETTER_PRINTED: "Date d'impression du courrier (en haut de la lettre)",
    Fact.FIRST_PAYMENT: "Date du premier paiement (TVA, IS, taxe sur les salaires…)",
}


class Condition(StrEnum):
    """Named predicates on a dossier that decide whether a step applies."""

    MESSAGERIE_REQUESTED = "messagerie_requested"
    B2B_MANDATE = "b2b_mandate"


@dataclass(frozen=True)
class Countdown:
    """A window that opens when its anchor event happens and must close before it ends.

    `anchors` are event keys (step ids or facts) tried in order: the first one recorded
    starts the window. Using any but the first is a fallback the screens must mention.
    """

    anchors: tuple[str, ...]
    duration: timedelta
    expiry: str
    remedy: str
    fallback_note: str = ""
    restart: bool = True


@dataclass(frozen=True)
class StepTemplate:
    id: str
    label: str
    owner: Owner
    help: str = ""
    countdown: Countdown | None = None
    condition: Condition | None = None
    source: str = SOURCE_SEED
    unverified: bool = False
    also_owner: Owner | None = None
    # Ticking the step moves the dossier's services to this state (letter sent, code entered).
    services_become: ServiceState | None = None


@dataclass(frozen=True)
class Procedure:
    id: str
    label: str
    summary: str
    restart_label: str
    steps: tuple[StepTemplate, ...]

    def step(self, step_id: str) -> StepTemplate:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        return any(step.id == step_id for step in self.steps)


LINK_WINDOW = timedelta(hours=72)
EXPERT_ACTIVATION_WINDOW = timedelta(hours=48)
CODE_VALIDITY = timedelta(days=60)
EXPERT_SPACE_SOFT_LIMIT = 100

_RESTART_SIMPLIFIED = "Recommencer la création"
_READHERE = "Adhérer à nouveau"

_BANK_ACCOUNT = StepTemplate(
    id="compte_bancaire",
    label="Renseigner le compte bancaire (IBAN, BIC) et le type de mandat SEPA (CORE ou B2B)",
    owner=Owner.CLIENT,
    help="Espace professionnel > Gérer les comptes bancaires.",
    source=SOURCE_FAQ,
)

_B2B_MANDATE = StepTemplate(
    id="mandat_b2b",
    label="Imprimer, signer et envoyer le mandat B2B à la banque ; la banque l'enregistre",
    owner=Owner.CLIENT,
    also_owner=Owner.BANQUE,
    help=(
        "Obligatoire avant le premier paiement d'un impôt autoliquidé (TVA, IS, taxe sur les "
        "salaires, CVAE, TSCA…), sinon le paiement est rejeté. Un compte utilisé seulement pour "
        "la CFE n'en a pas besoin."
    ),
    countdown=Countdown(
        anchors=(Fact.FIRST_PAYMENT,),
        duration=timedelta(0),
        expiry="Le premier paiement sera rejeté : mandat B2B non enregistré par la banque.",
        remedy="Éditer le mandat B2B et l'envoyer à la banque",
        restart=False,
    ),
    condition=Condition.B2B_MANDATE,
    source=SOURCE_FAQ,
)

SIMPLIFIED = Procedure(
    id="simplifie",
    label="Mode simplifié",
    summary="L'entreprise crée son propre espace pour son SIREN ; tous les services courants "
    "sont activés automatiquement.",
    restart_label=_RESTART_SIMPLIFIED,
    steps=(
        StepTemplate(
            id="formulaire",
            label="Remplir le formulaire : SIREN, e-mail de l'entreprise, e-mail de connexion, "
            "mot de passe, coordonnées du titulaire",
            owner=Owner.CLIENT,
            help="L'e-mail de l'entreprise reçoit la messagerie DGFiP ; l'e-mail de connexion "
            "est personnel (une adresse = un espace).",
        ),
        StepTemplate(
            id="lien_email",
            label="Cliquer sur le lien de validation reçu par e-mail",
            owner=Owner.CLIENT,
            countdown=Countdown(
                anchors=("formulaire",),
                duration=LINK_WINDOW,
                expiry="Le lien de validation a expiré (72 h).",
                remedy=_RESTART_SIMPLIFIED,
            ),
        ),
        StepTemplate(
            id="courrier_code",
            label="La DGFiP imprime et envoie le code d'activation par courrier à l'entreprise",
            owner=Owner.DGFIP,
            help="Arrive en général sous deux semaines environ.",
            unverified=True,
            services_become=ServiceState.AWAITING_CODE,
        ),
        StepTemplate(
            id="activation",
            label="Activer l'espace et les services avec le code reçu par courrier",
            owner=Owner.CLIENT,
            also_owner=Owner.CABINET,
            help="« Activer mon espace / mes services ». Le cabinet peut le faire une fois que "
            "le client lui a transmis le code.",
            countdown=Countdown(
                anchors=(Fact.LETTER_PRINTED, "lien_email"),
                duration=CODE_VALIDITY,
                expiry="Le code d'activation n'est plus valable (60 jours) : tout est à refaire.",
                remedy=_RESTART_SIMPLIFIED,
                fallback_note="Date d'impression du courrier inconnue : délai compté depuis le "
                "clic sur le lien de validation.",
            ),
            source=SOURCE_FAQ,
            services_become=ServiceState.ACTIVE,
        ),
        _BANK_ACCOUNT,
        _B2B_MANDATE,
        StepTemplate(
            id="confirmation_pdf",
            label="Télécharger l'attestation de création (PDF) et l'archiver",
            owner=Owner.CABINET,
            also_owner=Owner.CLIENT,
        ),
    ),
)

EXPERT_SPACE = Procedure(
    id="espace_expert",
    label="Espace expert du cabinet",
    summary="L'espace du cabinet, depuis lequel il adhère aux services pour chaque SIREN client.",
    restart_label="Recommencer la création de l'espace expert",
    steps=(
        StepTemplate(
            id="cgu_captcha",
            label="Accepter les CGU et remplir le CAPTCHA",
            owner=Owner.CABINET,
            unverified=True,
        ),
        StepTemplate(
            id="identifiants",
            label="Choisir l'e-mail de connexion et le mot de passe",
            owner=Owner.CABINET,
        ),
        StepTemplate(
            id="coordonnees",
            label="Saisir les coordonnées, le SIREN du cabinet et la question de confiance",
            owner=Owner.CABINET,
        ),
        StepTemplate(
            id="activation_espace",
            label="Saisir le code d'activation reçu immédiatement par e-mail",
            owner=Owner.CABINET,
            countdown=Countdown(
                anchors=("coordonnees", "identifiants"),
                duration=EXPERT_ACTIVATION_WINDOW,
                expiry="Le code d'activation de l'espace expert a expiré (48 h).",
                remedy="Recommencer la création de l'espace expert",
                fallback_note="Date de fin de création inconnue : délai compté depuis le choix "
                "des identifiants.",
            ),
        ),
    ),
)

_ACTIVATION_SERVICES = StepTemplate(
    id="activation_services",
    label="Saisir le code pour activer les services",
    owner=Owner.CABINET,
    countdown=Countdown(
        anchors=(Fact.LETTER_PRINTED, "adhesion"),
        duration=CODE_VALIDITY,
        expiry="Le code d'activation n'est plus valable (60 jours).",
        remedy=_READHERE,
        fallback_note="Date d'impression du courrier inconnue : délai compté depuis l'adhésion.",
    ),
    source=SOURCE_FAQ,
    services_become=ServiceState.ACTIVE,
)

_LETTER_TO_COMPANY = StepTemplate(
    id="courrier_code",
    label="La DGFiP envoie le code d'activation par courrier à l'entreprise",
    owner=Owner.DGFIP,
    help="Le courrier part à l'adresse de l'entreprise, pas à celle du cabinet (sous deux "
    "semaines environ).",
    unverified=True,
    services_become=ServiceState.AWAITING_CODE,
)

_CODE_PASSED_ON = StepTemplate(
    id="code_transmis",
    label="Le client transmet le code d'activation au cabinet",
    owner=Owner.CLIENT,
)

EXPERT_ADHESION = Procedure(
    id="adhesion_expert",
    label="Mode expert (adhésion depuis l'espace du cabinet)",
    summary="Le cabinet adhère aux services pour ce SIREN depuis son espace expert ; le code "
    "arrive chez le client, qui le transmet.",
    restart_label=_READHERE,
    steps=(
        StepTemplate(
            id="adhesion",
            label="Mes services > J'adhère : SIREN du client, qualité (représentant légal ou "
            "personne mandatée), services cochés",
            owner=Owner.CABINET,
        ),
        StepTemplate(
            id="messagerie_email",
            label="Le client valide l'e-mail de l'entreprise (lien reçu pour la messagerie)",
            owner=Owner.CLIENT,
            help="Seulement si le service « Messagerie » a été coché. Aucune durée officielle.",
            condition=Condition.MESSAGERIE_REQUESTED,
        ),
        _LETTER_TO_COMPANY,
        _CODE_PASSED_ON,
        _ACTIVATION_SERVICES,
        _BANK_ACCOUNT,
        _B2B_MANDATE,
    ),
)

SUBSTITUTION = Procedure(
    id="substitution",
    label="Substitution du titulaire des services",
    summary="Un autre adhérent détient déjà les services de ce SIREN : le cabinet demande à le "
    "remplacer.",
    restart_label="Recommencer la demande de substitution",
    steps=(
        StepTemplate(
            id="demande_substitution",
            label="Envoyer la demande « Remplacer le titulaire d'un service » depuis la "
            "messagerie sécurisée",
            owner=Owner.CABINET,
            help="Possible dès qu'un espace existe (celui du client ou l'espace expert).",
        ),
        StepTemplate(
            id="reponse_dgfip",
            label="La DGFiP traite la demande et retire l'ancien titulaire",
            owner=Owner.DGFIP,
            unverified=True,
        ),
        StepTemplate(
            id="adhesion",
            label="Adhérer aux services pour ce SIREN",
            owner=Owner.CABINET,
            unverified=True,
        ),
        _LETTER_TO_COMPANY,
        _CODE_PASSED_ON,
        _ACTIVATION_SERVICES,
    ),
)

PROCEDURES: dict[str, Procedure] = {
    p.id: p for p in (SIMPLIFIED, EXPERT_SPACE, EXPERT_ADHESION, SUBSTITUTION)
}


def procedure(procedure_id: str) -> Procedure:
    return PROCEDURES[procedure_id]
