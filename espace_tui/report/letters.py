"""Ready-to-send French e-mails asking a client to do its part, the deadline filled in.

The templates are data: which waiting steps they answer, whose deadline they quote, and
the wording. User text (names, addresses) only ever fills placeholders; it is never read as
a template, so a name like « {cabinet} » stays literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from espace_tui.domain.deadlines import StepState, TrackState
from espace_tui.domain.display import format_countdown, format_written_datetime
from espace_tui.domain.dossier import CabinetInfo, Dossier
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import OWNER_LABELS, Owner


@dataclass(frozen=True)
class LetterTemplate:
    id: str
    label: str
    # The letter fits when the dossier's next step is one of these.
    steps: tuple[str, ...]
    # The deadline quoted: the first open window among these steps.
    deadline_steps: tuple[str, ...]
    subject: str
    body: str  # placeholders: {client} {siren} {email_entreprise} {echeance_phrase}
    deadline_sentence: str  # placeholders: {echeance} {delai}
    no_deadline_sentence: str


LETTERS: tuple[LetterTemplate, ...] = (
    LetterTemplate(
        id="code",
        label="Transmettre le code d'activation reçu par courrier",
        steps=("courrier_code", "code_transmis", "activation"),
        deadline_steps=("activation", "activation_services"),
        subject="{client} : code d'activation de votre espace professionnel impots.gouv.fr",
        body=(
            "La DGFiP a envoyé (ou va envoyer) à {client} (SIREN {siren}) un courrier postal "
            "contenant un code d'activation pour l'espace professionnel sur impots.gouv.fr.\n\n"
            "Dès réception, pouvez-vous nous transmettre ce code (par retour de ce message ou "
            "par téléphone), ou une photo du courrier en entier ? La date d'impression, en "
            "haut de la lettre, nous est aussi utile.\n\n"
            "{echeance_phrase}\n\n"
            "Si le courrier n'est pas arrivé d'ici deux semaines, dites-le-nous : nous "
            "vérifierons l'adresse connue de l'administration."
        ),
        deadline_sentence=(
            "Attention : ce code doit être saisi avant le {echeance} (il reste {delai}). "
            "Passé ce délai, il n'est plus valable et toute la démarche est à recommencer."
        ),
        no_deadline_sentence=(
            "Attention : ce code n'est valable que 60 jours après l'impression du courrier ; "
            "passé ce délai, toute la démarche est à recommencer."
        ),
    ),
    LetterTemplate(
        id="lien",
        label="Cliquer sur le lien de validation reçu par e-mail",
        steps=("lien_email",),
        deadline_steps=("lien_email",),
        subject="{client} : lien de validation de votre espace professionnel à cliquer",
        body=(
            "La création de l'espace professionnel de {client} (SIREN {siren}) sur "
            "impots.gouv.fr attend une action de votre part : cliquer sur le lien "
            "de validation reçu par e-mail (expéditeur impots.gouv.fr ; pensez à regarder "
            "dans les courriers indésirables).\n\n"
            "{echeance_phrase}\n\n"
            "Prévenez-nous dès que c'est fait, ou si vous ne trouvez pas le message."
        ),
        deadline_sentence=(
            "Le lien n'est valable que 72 heures : il doit être cliqué avant le {echeance} "
            "(il reste {delai}). Passé ce délai, la création est à recommencer."
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
            "Nous avons demandé pour {client} (SIREN {siren}) l'accès à la messagerie "
            "sécurisée de l'espace professionnel. L'administration a envoyé un lien de "
            "validation à l'adresse de l'entreprise ({email_entreprise}).\n\n"
            "Pouvez-vous cliquer sur ce lien (pensez à regarder dans les courriers "
            "indésirables) ?\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence="Merci de le faire avant le {echeance} (il reste {delai}).",
        no_deadline_sentence=(
            "Merci de le faire dès que possible : sans cette validation, la messagerie "
            "ne fonctionne pas."
        ),
    ),
    LetterTemplate(
        id="mandat",
        label="Envoyer le mandat de prélèvement B2B à la banque",
        steps=("mandat_b2b",),
        deadline_steps=("mandat_b2b",),
        subject="{client} : mandat de prélèvement SEPA B2B à transmettre à votre banque",
        body=(
            "Pour que les impôts de {client} (SIREN {siren}) puissent être prélevés (TVA, "
            "impôt sur les sociétés…), la banque doit avoir enregistré le mandat de "
            "prélèvement SEPA B2B.\n\n"
            "Pouvez-vous imprimer le mandat (espace professionnel > Gérer les comptes "
            "bancaires > Éditer le mandat), le signer et le remettre à votre banque, puis "
            "nous confirmer qu'elle l'a bien enregistré ?\n\n"
            "{echeance_phrase}"
        ),
        deadline_sentence=(
            "Le premier paiement est prévu le {echeance} (dans {delai}) : sans mandat "
            "enregistré d'ici là, il sera rejeté."
        ),
        no_deadline_sentence=(
            "Sans mandat enregistré avant le premier paiement d'un impôt, celui-ci sera "
            "rejeté par la banque."
        ),
    ),
)

LETTERS_BY_ID: dict[str, LetterTemplate] = {t.id: t for t in LETTERS}
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
    if "{email_entreprise}" in template.body and not dossier.email_entreprise:
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
    if deadline is not None:
        sentence = template.deadline_sentence.format(
            echeance=format_written_datetime(deadline), delai=format_countdown(deadline, now)
        )
    else:
        sentence = template.no_deadline_sentence
    values = {
        "client": dossier.name,
        "siren": format_siren(dossier.siren),
        "email_entreprise": dossier.email_entreprise,
        "echeance_phrase": sentence,
    }
    body = template.body.format_map(values)
    signature = cabinet.name or "Votre cabinet comptable"
    return Letter(
        template=template,
        to=dossier.email_entreprise,
        subject=template.subject.format_map(values),
        body=f"{GREETING}\n\n{body}\n\n{SIGNATURE}\n{signature}",
        deadline=deadline,
    )
