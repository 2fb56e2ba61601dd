"""The procedures of impots.gouv.fr as data: ordered steps, owners and countdowns.

Every fact cites a source of `sources.SOURCES` (listed with their address in
docs/procedure.md); facts no source confirms carry `unverified=True` so screens can say so.
Widgets and exporters read these tables; nothing else in the program hard-codes a step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from espace_tui.domain.sources import S1, S2, S3, S5, S6, S7, S8, S11, S13, SEED, UNSOURCED
from espace_tui.domain.teleservices import ServiceState

SOURCE_SEED = SEED


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
    # A new code asked for (lost, or posted to an outdated address): when, to chase it.
    CODE_REQUESTED_AGAIN = "code_redemande"


FACT_LABELS: dict[Fact, str] = {
    Fact.LETTER_PRINTED: "Date d'impression du courrier (en haut de la lettre)",
    Fact.FIRST_PAYMENT: "Date du premier paiement (TVA, IS, taxe sur les salaires…)",
    Fact.CODE_REQUESTED_AGAIN: "Nouveau code redemandé le (code perdu, ancienne adresse)",
}


class Condition(StrEnum):
    """Named predicates on a dossier that decide whether a step applies."""

    MESSAGERIE_REQUESTED = "messagerie_requested"
    # A « Payer … » service for a self-assessed tax is requested: each bank account has both a
    # CORE and a B2B mandate, and the B2B one must be at the bank before the first payment.
    PAYMENT_REQUESTED = "payment_requested"


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
    # Said when the first anchor starts the window but no source confirms it does.
    anchor_note: str = ""

    def note(self, fallback: bool) -> str:
        """Which anchor the window runs from, when that needs saying."""
        return self.fallback_note if fallback else self.anchor_note


@dataclass(frozen=True)
class StepTemplate:
    id: str
    label: str
    owner: Owner
    help: str = ""
    countdown: Countdown | None = None
    condition: Condition | None = None
    source: str = SEED
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
    # The whole procedure's order and steps are not confirmed by any source read.
    unverified: bool = False
    # What is and is not known about it, for the guide.
    known: str = ""
    # Where the procedure as a whole (its summary, when it applies) comes from.
    source: str = SEED

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

# No source read says from when the code's 60 days run: the print date is an assumption.
CODE_ANCHOR_NOTE = (
    "Point de départ non vérifié : aucune source ne dit d'où courent les 60 jours ; délai "
    "compté depuis la date d'impression du courrier."
)

_SIMPLIFIED_BANK_ACCOUNT = StepTemplate(
    id="compte_bancaire",
    label="Déclarer le compte bancaire (IBAN, BIC) dans l'espace de l'entreprise",
    owner=Owner.CLIENT,
    help="Espace professionnel > Gérer les comptes bancaires, une fois l'espace activé. Chaque "
    "compte a deux mandats, CORE et B2B : ce n'est pas un choix entre les deux.",
    condition=Condition.PAYMENT_REQUESTED,
    source=S11,
)

_B2B_HELP = (
    "Obligatoire avant le premier paiement d'un impôt autoliquidé (TVA, IS, taxe sur les "
    "salaires, CVAE, TSCA…), dès qu'un service « Payer » est demandé ; sinon le paiement est "
    "rejeté. Un compte utilisé seulement pour la CFE n'en a pas besoin."
)
_B2B_COUNTDOWN = Countdown(
    anchors=(Fact.FIRST_PAYMENT,),
    duration=timedelta(0),
    expiry="Le premier paiement sera rejeté : mandat B2B non enregistré par la banque.",
    remedy="Payer l'impôt par un autre moyen, puis faire enregistrer le mandat B2B par la banque",
    restart=False,
)

_SIMPLIFIED_B2B_MANDATE = StepTemplate(
    id="mandat_b2b",
    label="Imprimer, signer et envoyer le mandat B2B à la banque ; la banque l'enregistre",
    owner=Owner.CLIENT,
    also_owner=Owner.BANQUE,
    help=_B2B_HELP,
    countdown=_B2B_COUNTDOWN,
    condition=Condition.PAYMENT_REQUESTED,
    source=S8,
)

# In an adhesion the services, hence the account and its mandates, live in the cabinet's
# espace: the client has no espace to declare them in.
_CABINET_BANK_ACCOUNT = StepTemplate(
    id="compte_bancaire",
    label="Déclarer le compte bancaire du client (IBAN, BIC) dans l'espace du cabinet",
    owner=Owner.CABINET,
    help="Espace du cabinet > Gérer les comptes bancaires : le compte est déclaré dans "
    "l'espace qui détient les services « Payer ». Chaque compte a deux mandats, CORE et B2B.",
    condition=Condition.PAYMENT_REQUESTED,
    source=S7,
)

_CABINET_B2B_MANDATE = StepTemplate(
    id="mandat_b2b",
    label="Le client signe le mandat B2B édité par le cabinet et le remet à sa banque, qui "
    "l'enregistre",
    owner=Owner.CLIENT,
    also_owner=Owner.BANQUE,
    help="Le cabinet l'édite depuis son espace (Gérer les comptes bancaires > Éditer le "
    "mandat) et l'envoie au client. " + _B2B_HELP,
    countdown=_B2B_COUNTDOWN,
    condition=Condition.PAYMENT_REQUESTED,
    source=S7,
)

SIMPLIFIED = Procedure(
    id="simplifie",
    label="Mode simplifié",
    summary="L'entreprise crée son propre espace pour son SIREN et en garde seule la gestion ; "
    "tous les services courants sont activés automatiquement.",
    restart_label=_RESTART_SIMPLIFIED,
    source=S1,
    steps=(
        StepTemplate(
            id="formulaire",
            label="Remplir le formulaire : SIREN, e-mail de l'entreprise, e-mail de connexion, "
            "mot de passe, coordonnées du titulaire",
            owner=Owner.CLIENT,
            help="L'e-mail de l'entreprise (obligatoire) reçoit la messagerie DGFiP ; l'e-mail "
            "de connexion est personnel (une adresse = un espace).",
            source=S1,
        ),
        StepTemplate(
            id="lien_email",
            label="Cliquer sur le lien de validation reçu par e-mail",
            owner=Owner.CLIENT,
            help="Le lien part à l'adresse e-mail de l'entreprise.",
            countdown=Countdown(
                anchors=("formulaire",),
                duration=LINK_WINDOW,
                expiry="Le lien de validation a expiré (72 h).",
                remedy=_RESTART_SIMPLIFIED,
            ),
            source=S1,
        ),
        StepTemplate(
            id="courrier_code",
            label="La DGFiP imprime et envoie le code d'activation par courrier à l'entreprise",
            owner=Owner.DGFIP,
            help="Délai d'arrivée non confirmé : « quelques jours » à deux semaines environ.",
            source=S11,
            unverified=True,
            services_become=ServiceState.AWAITING_CODE,
        ),
        StepTemplate(
            id="activation",
            label="Activer l'espace et les services avec le code reçu par courrier",
            owner=Owner.CLIENT,
            also_owner=Owner.CABINET,
            help="« Activer mon espace / mes services ». Le cabinet peut le faire une fois que "
            "le client lui a transmis le code. Code valable 60 jours (point de départ non "
            "précisé par l'administration).",
            countdown=Countdown(
                anchors=(Fact.LETTER_PRINTED, "lien_email"),
                duration=CODE_VALIDITY,
                expiry="Le code d'activation n'est plus valable (60 jours) : tout est à refaire.",
                remedy=_RESTART_SIMPLIFIED,
                fallback_note="Date d'impression du courrier inconnue : délai compté depuis le "
                "clic sur le lien de validation (plus tôt, donc plus prudent).",
                anchor_note=CODE_ANCHOR_NOTE,
            ),
            source=S3,
            services_become=ServiceState.ACTIVE,
        ),
        _SIMPLIFIED_BANK_ACCOUNT,
        _SIMPLIFIED_B2B_MANDATE,
        StepTemplate(
            id="confirmation_pdf",
            label="Télécharger les « informations récapitulatives de votre espace » (PDF) et "
            "les archiver",
            owner=Owner.CLIENT,
            also_owner=Owner.CABINET,
            help="Le client les télécharge en fin de création et en garde une copie ; le cabinet "
            "en classe une au dossier. Ce n'est pas une attestation de régularité fiscale.",
            source=S13,
        ),
    ),
)

EXPERT_SPACE = Procedure(
    id="espace_expert",
    label="Espace expert du cabinet",
    summary="L'espace du cabinet, depuis lequel il adhère aux services pour chaque SIREN client.",
    restart_label="Recommencer la création de l'espace expert",
    source=S2,
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
            source=S2,
        ),
        StepTemplate(
            id="coordonnees",
            label="Saisir les coordonnées, le SIREN du cabinet et la question de confiance",
            owner=Owner.CABINET,
            source=S2,
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
            source=S2,
        ),
    ),
)

_ADHESION_CODE_NOTE = (
    "Durée du code d'adhésion non confirmée (60 jours comme à la création) ; point de départ "
    "non vérifié : délai compté depuis la date d'impression du courrier."
)

_ACTIVATION_SERVICES = StepTemplate(
    id="activation_services",
    label="Saisir le code pour activer les services demandés par le cabinet",
    owner=Owner.CABINET,
    help="Le code active les services que le cabinet a demandés pour ce SIREN ; s'il expire, "
    "le cabinet adhère à nouveau (rien n'est à refaire côté client).",
    countdown=Countdown(
        anchors=(Fact.LETTER_PRINTED, "adhesion"),
        duration=CODE_VALIDITY,
        expiry="Le code d'activation n'est plus valable (60 jours) : le cabinet doit adhérer "
        "à nouveau.",
        remedy=_READHERE,
        fallback_note="Date d'impression du courrier inconnue : délai compté depuis l'adhésion "
        "(plus tôt, donc plus prudent).",
        anchor_note=_ADHESION_CODE_NOTE,
    ),
    source=S3,
    unverified=True,
    services_become=ServiceState.ACTIVE,
)

_LETTER_TO_COMPANY = StepTemplate(
    id="courrier_code",
    label="La DGFiP envoie le code d'activation par courrier à l'entreprise",
    owner=Owner.DGFIP,
    help="Le courrier part à l'adresse de l'entreprise connue de la DGFiP, pas à celle du "
    "cabinet (délai d'arrivée non confirmé : deux semaines environ).",
    source=SEED,
    unverified=True,
    services_become=ServiceState.AWAITING_CODE,
)

_CODE_PASSED_ON = StepTemplate(
    id="code_transmis",
    label="Le client transmet le code d'activation au cabinet",
    owner=Owner.CLIENT,
    help="De préférence par téléphone ou en main propre plutôt que par simple e-mail.",
    source=SEED,
)

EXPERT_ADHESION = Procedure(
    id="adhesion_expert",
    label="Mode expert (adhésion depuis l'espace du cabinet)",
    summary="Le cabinet adhère aux services pour ce SIREN depuis son espace expert ; le code "
    "arrive chez le client, qui le transmet.",
    restart_label=_READHERE,
    source=S2,
    steps=(
        StepTemplate(
            id="adhesion",
            label="Mes services > J'adhère : SIREN du client, qualité (représentant légal ou "
            "personne mandatée), services cochés",
            owner=Owner.CABINET,
            source=S2,
        ),
        StepTemplate(
            id="messagerie_email",
            label="Le client valide l'e-mail de l'entreprise (lien reçu pour la messagerie)",
            owner=Owner.CLIENT,
            help="Seulement si le service « Messagerie » a été coché. Aucune durée officielle.",
            condition=Condition.MESSAGERIE_REQUESTED,
            source=SEED,
        ),
        _LETTER_TO_COMPANY,
        _CODE_PASSED_ON,
        _ACTIVATION_SERVICES,
        _CABINET_BANK_ACCOUNT,
        _CABINET_B2B_MANDATE,
    ),
)

SUBSTITUTION = Procedure(
    id="substitution",
    label="Substitution du titulaire des services",
    summary="Un autre adhérent (souvent l'ancien cabinet) détient déjà les services de ce "
    "SIREN : le cabinet demande à le remplacer.",
    restart_label="Recommencer la demande de substitution",
    unverified=True,
    source=S6,
    known="La démarche existe (fiche « Demander à remplacer le titulaire d'un service "
    "(substitution) ») et le tutoriel du cabinet dit qu'elle part de la messagerie sécurisée "
    "une fois un espace créé. Ni l'ordre des étapes, ni les pièces demandées, ni le délai de "
    "traitement, ni le fait qu'un code soit envoyé ensuite ne sont confirmés : les étapes "
    "ci-dessous sont une hypothèse de travail, à ajuster au dossier.",
    steps=(
        StepTemplate(
            id="demande_substitution",
            label="Envoyer la demande « Remplacer le titulaire d'un service » depuis la "
            "messagerie sécurisée",
            owner=Owner.CABINET,
            help="Possible dès qu'un espace existe (celui du client ou l'espace expert). Joindre "
            "le mandat du client si le service gestionnaire le demande.",
            source=S6,
            unverified=True,
        ),
        StepTemplate(
            id="reponse_dgfip",
            label="La DGFiP traite la demande et retire l'ancien titulaire",
            owner=Owner.DGFIP,
            source=S6,
            unverified=True,
        ),
        StepTemplate(
            id="adhesion",
            label="Adhérer aux services pour ce SIREN",
            owner=Owner.CABINET,
            help="Mes services > J'adhère, depuis l'espace du cabinet.",
            source=S6,
            unverified=True,
        ),
        replace(_LETTER_TO_COMPANY, source=S6),
        replace(_CODE_PASSED_ON, source=S6, unverified=True),
        replace(_ACTIVATION_SERVICES, source=S6),
        replace(_CABINET_BANK_ACCOUNT, source=S7, unverified=True),
        replace(_CABINET_B2B_MANDATE, source=S7, unverified=True),
    ),
)

HABILITATION = Procedure(
    id="habilitation",
    label="Accès à l'espace existant du client (habilitation)",
    summary="Le client a déjà son espace : son administrateur habilite le cabinet aux "
    "services à gérer, sans rien recréer.",
    restart_label="Redemander l'habilitation",
    source=S5,
    known="L'administrateur d'un espace (et son suppléant) crée, suspend, réactive ou "
    "supprime les habilitations d'autres utilisateurs. Les intitulés exacts des menus et "
    "l'ordre des étapes ci-dessous ne sont pas confirmés.",
    steps=(
        StepTemplate(
            id="administrateur_identifie",
            label="Identifier avec le client l'administrateur de son espace (ou le suppléant)",
            owner=Owner.CABINET,
            also_owner=Owner.CLIENT,
            help="Si l'administrateur a quitté l'entreprise : l'administrateur suppléant peut "
            "agir ; sinon, voir le diagnostic « titulaire parti ».",
            source=S5,
        ),
        StepTemplate(
            id="adresse_cabinet_transmise",
            label="Transmettre au client l'adresse de connexion de l'espace du cabinet et la "
            "liste des services à déléguer",
            owner=Owner.CABINET,
            source=UNSOURCED,
            unverified=True,
        ),
        StepTemplate(
            id="habilitation_donnee",
            label="L'administrateur de l'espace du client habilite le cabinet aux services choisis",
            owner=Owner.CLIENT,
            help="Depuis la gestion des habilitations de son espace (intitulé exact non vérifié).",
            source=S5,
        ),
        StepTemplate(
            id="acces_verifie",
            label="Vérifier depuis l'espace du cabinet que les services du client apparaissent",
            owner=Owner.CABINET,
            source=UNSOURCED,
            unverified=True,
        ),
    ),
)

PROCEDURES: dict[str, Procedure] = {
    p.id: p for p in (SIMPLIFIED, EXPERT_SPACE, EXPERT_ADHESION, SUBSTITUTION, HABILITATION)
}


def procedure(procedure_id: str) -> Procedure:
    return PROCEDURES[procedure_id]
