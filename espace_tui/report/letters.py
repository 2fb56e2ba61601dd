"""Ready-to-send French e-mails asking a client to do its part, the deadline filled in.

The templates are data: which waiting steps they answer, whose deadline they quote, and
the wording. User text (names, addresses) only ever fills placeholders; it is never read as
a template, so a name like « {cabinet} » stays literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from espace_tui.domain.deadlines import StepState, TrackState
from espace_tui.domain.display import (
    format_countdown,
    format_letter_date,
    format_time_left,
    format_written_datetime,
)
from espace_tui.domain.dossier import CabinetInfo, Dossier
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import EXPERT_ADHESION, OWNER_LABELS, SUBSTITUTION, Owner


@dataclass(frozen=True)
class LetterWording:
    """What the letter says on one route (the client's own espace, or the cabinet's)."""

    subject: str
    body: str  # placeholders: {client} {siren} {societe} {email_entreprise} {echeance_phrase}
    deadline_sentence: str  # placeholders: {echeance} {delai}
    no_deadline_sentence: str


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    label: str
    # The letter fits when the dossier's next step is one of these; the last one is what the
    # letter asks the client to do.
    steps: tuple[str, ...]
    # The deadline quoted: the first open window among these steps.
    deadline_steps: tuple[str, ...]
    subject: str
    body: str
    deadline_sentence: str
    no_deadline_sentence: str
    # The wording when the cabinet holds the services (expert adhesion, substitution): the
    # code activates the services it asked for, the account lives in its espace.
    expert: LetterWording | None = None

    def wording(self, procedure_id: str) -> LetterWording:
        if self.expert is not None and procedure_id in CABINET_ROUTES:
            return self.expert
        return LetterWording(
            self.subject, self.body, self.deadline_sentence, self.no_deadline_sentence
        )


# Routes where the services live in the cabinet's espace.
CABINET_ROUTES = frozenset({EXPERT_ADHESION.id, SUBSTITUTION.id})

_UNREACHED = (
    "Si le courrier n'est pas arrivé d'ici deux semaines, ou si le siège a changé d'adresse "
    "(ou le courrier part chez un domiciliataire), merci de nous prévenir : nous vérifierons "
    "l'adresse connue de l'administration."
)
_SAFE_CHANNEL = (
    "merci de nous communiquer ce code de préférence par téléphone (ou de nous remettre le "
    "courrier) plutôt que par simple e-mail : il donne accès aux services fiscaux de la société"
)

LETTERS: tuple[LetterTemplate, ...] = (
    LetterTemplate(
        id="code",
        label="Transmettre le code d'activation reçu par courrier",
        steps=("courrier_code", "code_transmis", "activation"),
        deadline_steps=("activation", "activation_services"),
        subject="{client} : code d'activation de votre espace professionnel impots.gouv.fr",
        body=(
            "La DGFiP a envoyé (ou va envoyer) par courrier à {societe}, un code d'activation "
            "de son espace professionnel sur impots.gouv.fr.\n\n"
            f"Dès réception, vous pouvez l'activer vous-même ; sinon, {_SAFE_CHANNEL}. La date "
            "d'impression, en haut de la lettre, nous est aussi utile.\n\n"
            "{echeance_phrase}\n\n" + _UNREACHED
        ),
        deadline_sentence=(
            "Ce code doit être saisi avant le {echeance} ({delai}). Passé ce délai, il n'est "
            "plus valable et la création de l'espace est à recommencer."
        ),
        no_deadline_sentence=(
            "Ce code n'est valable que 60 jours, et l'administration ne précise pas à partir "
            "de quand : mieux vaut le saisir dès réception. Passé ce délai, la création de "
            "l'espace est à recommencer."
        ),
        expert=LetterWording(
            subject="{client} : code d'activation des services impots.gouv.fr demandés par "
            "notre cabinet",
            body=(
                "Nous avons demandé pour {societe}, l'accès à ses services en ligne sur "
                "impots.gouv.fr, depuis l'espace professionnel de notre cabinet. La DGFiP "
                "envoie (ou va envoyer) par courrier, à l'adresse de la société, le code qui "
                "active ces services.\n\n"
                f"Dès réception, {_SAFE_CHANNEL}. La date d'impression, en haut de la lettre, "
                "nous est aussi utile.\n\n"
                "{echeance_phrase}\n\n" + _UNREACHED
            ),
            deadline_sentence=(
                "Nous devons saisir ce code avant le {echeance} ({delai}). Passé ce délai, il "
                "n'est plus valable et nous referons la demande : vous n'auriez rien d'autre à "
                "faire que nous transmettre le nouveau code."
            ),
            no_deadline_sentence=(
                "La validité de ce code est limitée dans le temps, et l'administration ne "
                "précise pas à partir de quand : merci de nous le transmettre dès réception."
            ),
        ),
    ),
    LetterTemplate(
        id="lien",
        label="Cliquer sur le lien de validation reçu par e-mail",
        steps=("lien_email",),
        deadline_steps=("lien_email",),
        subject="{client} : lien de validation de votre espace professionnel à cliquer",
        body=(
            "La création de l'espace professionnel de {societe}, sur impots.gouv.fr, attend "
            "une action de votre part : cliquer sur le lien de validation reçu par e-mail à "
            "l'adresse de l'entreprise (expéditeur impots.gouv.fr ; pensez à regarder dans "
            "les courriers indésirables).\n\n"
            "{echeance_phrase}\n\n"
            "Merci de nous prévenir dès que c'est fait, ou si vous ne trouvez pas le message."
        ),
        deadline_sentence=(
            "Le lien n'est valable que 72 heures : il doit être cliqué avant le {echeance} "
            "({delai}). Passé ce délai, la création est à recommencer."
        ),
        no_deadline_sentence=(
            "Le lien n'est valable que 72 heures après la demande ; passé ce délai, la "
            "création est à recommencer."
        ),
    ),
    LetterTemplate(
        id="messagerie",
        label="Valider l'adresse e-mail de l'entreprise (messagerie)",
        steps=("messagerie_email",),
        deadline_steps=(),
        subject="{client} : adresse e-mail à valider pour la messagerie impots.gouv.fr",
        body=(
            "Nous avons demandé pour {societe}, l'accès à la messagerie sécurisée des impôts. "
            "L'administration a envoyé un lien de validation à l'adresse de l'entreprise "
            "({email_entreprise}).\n\n"
            "Pouvez-vous cliquer sur ce lien (pensez à regarder dans les courriers "
            "indésirables), puis nous prévenir ?\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de le faire avant le {echeance} ({delai}).",
        no_deadline_sentence=(
            "Merci de le faire dès que possible : sans cette validation, la messagerie "
            "ne fonctionne pas."
        ),
    ),
    LetterTemplate(
        id="mandat",
        label="Faire enregistrer le mandat de prélèvement B2B par la banque",
        steps=("mandat_b2b",),
        deadline_steps=("mandat_b2b",),
        subject="{client} : mandat de prélèvement SEPA B2B à remettre à votre banque",
        body=(
            "Pour que les impôts de {societe}, puissent être prélevés (TVA, impôt sur les "
            "sociétés…), votre banque doit avoir enregistré le mandat de prélèvement SEPA "
            "B2B.\n\n"
            "Pouvez-vous imprimer ce mandat depuis votre espace professionnel (Gérer les "
            "comptes bancaires > Éditer le mandat), le signer et le remettre à votre banque, "
            "puis nous confirmer qu'elle l'a bien enregistré ?\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence=(
            "Le premier paiement est prévu le {echeance} ({delai}) : sans mandat enregistré "
            "d'ici là, il sera rejeté, et l'impôt resterait dû."
        ),
        no_deadline_sentence=(
            "Sans mandat enregistré avant le premier paiement d'un impôt, celui-ci sera "
            "rejeté par la banque, et l'impôt resterait dû."
        ),
        expert=LetterWording(
            subject="{client} : mandat de prélèvement SEPA B2B à signer et remettre à votre banque",
            body=(
                "Pour que les impôts de {societe}, puissent être prélevés (TVA, impôt sur les "
                "sociétés…), votre banque doit avoir enregistré le mandat de prélèvement SEPA "
                "B2B. Nous avons déclaré votre compte dans l'espace professionnel de notre "
                "cabinet, qui gère vos services, et édité ce mandat : nous vous le "
                "transmettons avec ce message.\n\n"
                "Pouvez-vous le signer et le remettre à votre banque, puis nous confirmer "
                "qu'elle l'a bien enregistré ?\n\n"
                "{echeance_phrase}"
            ),
            deadline_sentence=(
                "Le premier paiement est prévu le {echeance} ({delai}) : sans mandat "
                "enregistré d'ici là, il sera rejeté, et l'impôt resterait dû."
            ),
            no_deadline_sentence=(
                "Sans mandat enregistré avant le premier paiement d'un impôt, celui-ci sera "
                "rejeté par la banque, et l'impôt resterait dû."
            ),
        ),
    ),
    LetterTemplate(
        id="habilitation",
        label="Habiliter le cabinet sur l'espace professionnel du client",
        steps=("administrateur_identifie", "habilitation_donnee"),
        deadline_steps=(),
        subject="{client} : accès de notre cabinet à votre espace professionnel impots.gouv.fr",
        body=(
            "{Societe}, dispose déjà de son propre espace professionnel sur impots.gouv.fr. "
            "Pour que nous puissions gérer pour vous les services convenus (déclarations, "
            "paiements, messagerie), l'administrateur de cet espace doit habiliter notre "
            "cabinet : rien n'est à recréer.\n\n"
            "Pouvez-vous nous dire qui administre cet espace (ou qui en est l'administrateur "
            "suppléant) ? Nous lui indiquerons l'adresse de connexion de notre cabinet et les "
            "services à nous déléguer ; l'habilitation se fait ensuite depuis votre "
            "espace.\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de le faire avant le {echeance} ({delai}).",
        no_deadline_sentence=(
            "Aucun délai n'est imposé, mais tant que cette habilitation n'est pas faite, nous "
            "ne pouvons pas agir pour votre compte. Merci de nous prévenir si la personne qui "
            "administrait l'espace a quitté la société."
        ),
    ),
    LetterTemplate(
        id="adresse",
        label="Vérifier l'adresse connue des impôts (code non reçu ou parti ailleurs)",
        steps=("activation_services", "activation"),
        deadline_steps=(),
        subject="{client} : adresse de votre société connue des impôts (code d'activation)",
        body=(
            "Le code d'activation des services impots.gouv.fr de {societe}, part par courrier à "
            "l'adresse que l'administration connaît. Il semble ne pas vous être parvenu, ou "
            "être parti à une ancienne adresse (siège déménagé, courrier reçu par un "
            "domiciliataire).\n\n"
            "Pouvez-vous nous confirmer l'adresse actuelle du siège et, si la société est "
            "domiciliée, demander à votre domiciliataire de vous faire suivre sans attendre "
            "tout courrier des impôts ? Si l'adresse a changé, nous la ferons mettre à jour "
            "puis demanderons un nouveau code.\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de nous répondre avant le {echeance} ({delai}).",
        no_deadline_sentence=(
            "Merci de nous répondre rapidement : un nouveau code ne sera utile qu'une fois "
            "l'adresse vérifiée."
        ),
    ),
    LetterTemplate(
        id="email",
        label="Créer une adresse e-mail propre à l'entreprise",
        steps=(),
        deadline_steps=(),
        subject="{client} : une adresse e-mail propre à votre société pour les impôts",
        body=(
            "Pour l'espace professionnel de {societe}, sur impots.gouv.fr, l'administration "
            "demande une adresse e-mail de l'entreprise : elle reçoit les liens de validation "
            "et la messagerie des impôts. Chaque personne qui se connecte a en plus sa propre "
            "adresse de connexion, qui ne peut servir qu'à un seul espace.\n\n"
            "Pouvez-vous créer (ou nous indiquer) une adresse propre à la société, qui ne soit "
            "partagée ni avec une autre société ni avec une seule personne susceptible de "
            "partir ?\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de nous la communiquer avant le {echeance} ({delai}).",
        no_deadline_sentence=(
            "Merci de nous la communiquer dès que possible : la démarche ne peut pas commencer "
            "sans elle."
        ),
    ),
    LetterTemplate(
        id="paiement",
        label="Payer l'impôt rejeté, puis régulariser le mandat B2B",
        steps=(),
        deadline_steps=(),
        subject="{client} : prélèvement d'impôt rejeté, paiement à faire sans attendre",
        body=(
            "Le prélèvement d'un impôt de {societe}, a été rejeté par votre banque, faute de "
            "mandat SEPA B2B enregistré.\n\n"
            "Le rejet n'annule pas l'impôt : il reste dû à sa date, et un retard peut entraîner "
            "une majoration. Merci de nous appeler sans attendre pour que nous organisions le "
            "paiement par un autre moyen (virement, par exemple).\n\n"
            "Ensuite, pour les prochaines échéances, merci de remettre à votre banque le mandat "
            "B2B signé et de nous confirmer qu'elle l'a enregistré.\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de le faire avant le {echeance} ({delai}).",
        no_deadline_sentence="Merci de nous prévenir dès que c'est fait.",
    ),
    LetterTemplate(
        id="banque",
        label="Changement de banque : nouveau mandat B2B",
        steps=(),
        deadline_steps=(),
        subject="{client} : changement de banque et prélèvements des impôts",
        body=(
            "Vous nous avez indiqué que {societe}, change de banque ou de compte. Les impôts "
            "prélevés (TVA, impôt sur les sociétés…) doivent passer par le nouveau compte, qui "
            "a besoin de son propre mandat SEPA B2B enregistré par la nouvelle banque.\n\n"
            "Pouvez-vous nous transmettre le RIB du nouveau compte ? Nous vous préparerons le "
            "mandat à signer et à remettre à la nouvelle banque. Merci de ne clôturer l'ancien "
            "compte qu'une fois le nouveau mandat enregistré.\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence=(
            "La prochaine échéance est prévue le {echeance} ({delai}) : le mandat doit être "
            "enregistré d'ici là."
        ),
        no_deadline_sentence=(
            "Le nouveau mandat doit être enregistré avant la prochaine échéance, sinon le "
            "paiement sera rejeté et l'impôt resterait dû."
        ),
    ),
    LetterTemplate(
        id="administrateur",
        label="Reprendre la main sur l'espace (titulaire parti, mot de passe perdu)",
        steps=(),
        deadline_steps=(),
        subject="{client} : accès à votre espace professionnel impots.gouv.fr à rétablir",
        body=(
            "L'espace professionnel de {societe}, n'est plus accessible : la personne qui en "
            "était l'administrateur a quitté la société, ou le mot de passe est perdu.\n\n"
            "Si un administrateur suppléant a été désigné, il peut reprendre la main et "
            "désigner un nouvel administrateur. Sinon, la personne qui se connectait peut "
            "utiliser « Mot de passe oublié » sur la page de connexion, si elle lit encore "
            "son adresse de connexion. Pouvez-vous nous dire laquelle de ces voies est "
            "possible ? Nous vous guiderons ensuite.\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de nous répondre avant le {echeance} ({delai}).",
        no_deadline_sentence=(
            "Pour la suite, nous vous conseillons de désigner un administrateur suppléant : "
            "il évite de perdre l'accès si une personne part."
        ),
    ),
)

LETTERS_BY_ID: dict[str, LetterTemplate] = {t.id: t for t in LETTERS}
# Windows shorter than this are quoted with their hour (« à 21 h »), longer ones by day only.
HOURS_MATTER_BELOW = timedelta(days=4)
GREETING = "Bonjour,"
SIGNATURE = "Bien cordialement,"


@dataclass(frozen=True)
class Letter:
    template: LetterTemplate
    to: str
    subject: str
    body: str
    deadline: datetime | None

    @property
    def text(self) -> str:
        head = f"À : {self.to}\n" if self.to else ""
        return f"{head}Objet : {self.subject}\n\n{self.body}\n"


def suggested_letter(state: TrackState) -> LetterTemplate | None:
    """The letter for the step the dossier waits on, if one fits it. The one rule the
    command line (`lettre` without --type) and the dashboard (`l`) both follow."""
    step = state.next_step
    if step is None:
        return None
    return next((t for t in LETTERS if step.template.id in t.steps), None)


def no_letter_reason(state: TrackState) -> str:
    """Why no letter is suggested, naming the step awaited and whose it is."""
    step = state.next_step
    if step is None:
        return "Toutes les étapes de ce dossier sont faites : aucune relance à envoyer."
    template = step.template
    if template.owner is Owner.CLIENT:
        return f"Aucune lettre type pour l'étape attendue du client « {template.label} »."
    return (
        "Ce dossier n'attend rien du client pour l'instant : l'étape attendue, « "
        f"{template.label} », revient à : {OWNER_LABELS[template.owner]}."
    )


def _deadline_step(template: LetterTemplate, state: TrackState) -> StepState | None:
    return next(
        (s for s in state.steps if s.template.id in template.deadline_steps and s.window_open),
        None,
    )


def choose_letter(type_id: str | None, state: TrackState) -> LetterTemplate:
    if type_id:
        template = LETTERS_BY_ID.get(type_id.strip().lower())
        if template is None:
            raise InvalidInput(
                "--type", f"« {type_id} » inconnu (types : {', '.join(LETTERS_BY_ID)})."
            )
        return template
    template = suggested_letter(state)
    if template is None:
        raise UserError(
            f"{no_letter_reason(state)} Pour relancer quand même, choisissez une lettre avec "
            f"--type ({', '.join(LETTERS_BY_ID)})."
        )
    return template


def already_done(template: LetterTemplate, dossier: Dossier) -> str | None:
    """Why this letter is probably useless (the client already did what it asks), or None."""
    if not template.steps:  # a situation, not a step: nothing to compare with
        return None
    when = dossier.events.get(template.steps[-1])  # the step the letter asks the client for
    if when is None:
        return None
    return (
        f"« {template.label} » est déjà fait pour {dossier.name} (le "
        f"{format_written_datetime(when)}) : cette relance est sans doute inutile."
    )


def letter_warnings(template: LetterTemplate, dossier: Dossier) -> list[str]:
    """What makes this letter doubtful: the client already did what it asks, or there is no
    address to send it to."""
    done = already_done(template, dossier)
    warnings = [] if done is None else [done]
    if not dossier.email_entreprise:
        warnings.append(
            f"{dossier.name} n'a pas d'e-mail de l'entreprise : la lettre n'a pas de "
            f"destinataire. Renseignez-le (espace-tui edit {dossier.siren} --email-entreprise "
            "ADRESSE, ou « e » dans le tableau de bord)."
        )
    return warnings


def render_letter(
    template: LetterTemplate,
    dossier: Dossier,
    state: TrackState,
    cabinet: CabinetInfo,
    now: datetime,
) -> Letter:
    """The e-mail, or a UserError if the deadline it would quote has already passed, or if
    it must quote the company's e-mail and there is none (never a placeholder sentence)."""
    wording = template.wording(dossier.procedure_id)
    if "{email_entreprise}" in wording.body and not dossier.email_entreprise:
        raise InvalidInput(
            "E-mail de l'entreprise",
            f"manquant pour {dossier.name} : la lettre « {template.label} » doit citer "
            f"l'adresse où le lien a été envoyé. Renseignez-la (espace-tui edit {dossier.siren} "
            "--email-entreprise ADRESSE, ou « e » dans le tableau de bord).",
        )
    window = _deadline_step(template, state)
    deadline = window.deadline if window is not None else None
    if window is not None and deadline is not None and deadline <= now:
        countdown = window.template.countdown
        what = f"{countdown.expiry} À faire : {countdown.remedy}." if countdown else ""
        raise UserError(
            f"L'échéance de cette lettre est passée ({format_countdown(deadline, now)}) : "
            f"relancer le client ne suffit plus. {what}".strip()
        )
    if window is not None and deadline is not None:
        # The hour matters for a window of hours (72 h link), not for one of days.
        countdown = window.template.countdown
        hours = countdown is not None and timedelta(0) < countdown.duration < HOURS_MATTER_BELOW
        sentence = wording.deadline_sentence.format(
            echeance=format_letter_date(deadline, with_time=hours),
            delai=format_time_left(deadline, now),
        )
    else:
        sentence = wording.no_deadline_sentence
    societe = f"votre société, {dossier.name} (SIREN {format_siren(dossier.siren)})"
    values = {
        "client": dossier.name,
        "siren": format_siren(dossier.siren),
        "societe": societe,
        "Societe": societe[0].upper() + societe[1:],
        "email_entreprise": dossier.email_entreprise,
        "echeance_phrase": sentence,
    }
    body = wording.body.format_map(values)
    signature = cabinet.name or "Votre cabinet comptable"
    return Letter(
        template=template,
        to=dossier.email_entreprise,
        subject=wording.subject.format_map(values),
        body=f"{GREETING}\n\n{body}\n\n{SIGNATURE}\n{signature}",
        deadline=deadline,
    )
