"""Matching a pasted message to the catalogue: real-world variants must find their entry,
unrelated or reassuring messages must find nothing."""

from __future__ import annotations

import unicodedata

import pytest

from espace_tui.domain.diagnosis import MATCH_THRESHOLD, diagnose, normalize, rank
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, CATALOGUE_BY_ID

# Phrasings written by hand, not copied from the catalogue: what clients and accountants
# actually type or forward.
VARIANTS: dict[str, list[str]] = {
    "deja_adherent": [
        "Il existe déjà un adhérent aux téléprocédures pour ce SIREN",
        "il existe deja un adherent aux teleprocedures pour ce siren",
        "Il existe déjà un adhérant aux téléprocédures",  # common misspelling
        "déjà un adhérent",
        "le site me dit qu'un adhérent existe déjà pour ce siren",
    ],
    "lien_expire": [
        "Le lien de validation a expiré",
        "le lien reçu par mail ne marche plus, il a expiré",
        "Lien de validation périmé",
        "j'ai cliqué trop tard sur le lien, plus de 72 heures après",
    ],
    "code_expert_expire": [
        "Le code d'activation de mon espace expert a expiré",
        "espace expert pas activé dans les 48h",
        "code reçu par email pour l'espace expert : expiré",
    ],
    "code_expire": [
        "Votre code d'activation n'est plus valide",
        "le code d'activation du courrier est périmé",
        "CODE D'ACTIVATION EXPIRÉ",
        "code invalide, le courrier date de plus de 60 jours",
    ],
    "courrier_non_recu": [
        "Le client n'a jamais reçu le courrier avec le code",
        "courrier perdu",
        "ma cliente a égaré la lettre de la DGFiP",
        "toujours pas reçu le code d'activation par courrier",
    ],
    "email_deja_utilise": [
        "Adresse e-mail déjà utilisée",
        "Cette adresse électronique est déjà utilisée",
        "adresse mail deja utilisee",
        "l'email est déjà pris par un autre espace",
    ],
    "siren_inconnu": [
        "SIREN inconnu",
        "Le numéro SIREN saisi n'est pas reconnu",
        "siren non reconnu, la société vient d'être créée",
    ],
    "paiement_rejete": [
        "Le prélèvement de la TVA a été rejeté",
        "premier paiement IS refusé par la banque",
        "rejet de paiement : mandat B2B",
    ],
    "service_manquant": [
        "je ne trouve pas le service remboursement de TVA UE",
        "DAC6 absent de mes services",
        "service manquant après la création",
    ],
    "espace_sature": [
        "l'espace expert est très lent",
        "lenteurs dans l'espace expert en période de TVA",
        "on a plus de 100 SIREN dans l'espace, ça rame",
    ],
    "sans_espace_expert": [
        "ce dossier expert n'est rattaché à aucun espace",
        "dossier en mode expert sans espace expert du cabinet",
        "client en mode expert mais sans espace du cabinet",
    ],
    "messagerie_inactive": [
        "la messagerie ne fonctionne pas",
        "messagerie sécurisée inaccessible pour ce client",
        "impossible d'utiliser la messagerie",
    ],
    # Situations described in the accountant's own words rather than a site message.
    "espace_client_existant": [
        "le client a créé son espace tout seul et on n'y a pas accès",
        "comment se faire habiliter sur l'espace professionnel du client ?",
        "le client a déjà un espace pro en mode simplifié, nous ne voyons rien",
    ],
    "changement_cabinet": [
        "nouveau client qui quitte son ancien expert-comptable",
        "l'ancien cabinet a toujours les accès aux services",
        "reprise de dossier : l'ancien expert-comptable est toujours titulaire",
    ],
    "code_mauvaise_adresse": [
        "le siège a déménagé, le courrier est parti à l'ancienne adresse",
        "la société de domiciliation nous a réexpédié le courrier trop tard",
        "courrier envoyé chez le domiciliataire",
    ],
    "espace_particulier": [
        "le micro-entrepreneur se connecte avec son numéro fiscal",
        "auto-entrepreneur : il ne trouve pas son avis de CFE",
        "entreprise individuelle confondue avec l'espace particulier",
    ],
    "email_entreprise_manquant": [
        "le client n'a pas d'adresse e-mail",
        "les deux sociétés ont la même adresse e-mail",
        "pas d'adresse mail pour la société",
    ],
    "sci_identifiant_dossier": [
        "SCI : le site demande un identifiant de dossier pour la taxe foncière",
        "où trouver l'IDSP de la SCI ?",
        "identifiant de dossier demandé pour gérer mes biens immobiliers",
    ],
    "titulaire_parti": [
        "Mot de passe oublié",
        "le gérant est parti avec les identifiants de l'espace",
        "l'administrateur de l'espace a quitté la société, plus personne n'a accès",
    ],
    "changement_banque": [
        "le client change de banque",
        "nouvel IBAN : changement de compte bancaire",
        "changement de banque, que faire pour les prélèvements ?",
    ],
    "partenaire_edi": [
        "nos déclarations passent par un partenaire EDI",
        "télédéclaration EDI-TVA par le cabinet : faut-il un espace ?",
        "EDI-TDFC déposé par le logiciel",
    ],
}

# Messages that must not match anything: unrelated, or saying that all is well.
NO_MATCH = [
    "Bonjour, merci pour la facture de novembre.",
    "Votre déclaration de TVA a bien été reçue",
    "Merci pour le rendez-vous de mardi, à bientôt",
    "Votre espace professionnel a bien été créé",
    "Le SIREN 552081317 est valide",
    "J'ai reçu mon code d'activation",
    "le lien de validation fonctionne",
    "Le service Payer TVA est actif",
    "La banque a enregistré le mandat",
    "siren",
    "code",
    "",
    "   ",
    "« » \" ' ’",
    "[/] [@click=app.quit]x[/]",
]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _mail(text: str) -> str:
    return (
        "Objet : TR: problème espace professionnel\n\n"
        "Bonjour Madame Durand,\n\n"
        "En voulant faire la démarche hier soir, le site m'a affiché ceci :\n"
        f"> {text}\n\n"
        "Pouvez-vous regarder ce qu'il faut faire ? Je suis joignable demain matin.\n\n"
        "Bien cordialement,\nJean Martin\nGérant\n06 12 34 56 78"
    )


# Copies that missed the end (or the start) of the message, cut mid-word.
TRUNCATED: dict[str, list[str]] = {
    "deja_adherent": [
        "Il existe déjà un adhérent aux téléprocédures pour ce SIR",
        "existe déjà un adhérent aux télépro",
        "ste déjà un adhérent aux téléprocédures pour ce SIREN",
    ],
    "lien_expire": ["Le lien de validation a expi"],
    "code_expert_expire": ["Le code d'activation de l'espace expert a expi"],
    "code_expire": ["Votre code d'activation n'est plus val"],
    "courrier_non_recu": ["Le client n'a jamais reçu le courr"],
    "email_deja_utilise": ["Adresse e-mail déjà utilis", "resse e-mail déjà utilisée"],
    "siren_inconnu": ["Le numéro SIREN saisi n'est pas recon"],
    "paiement_rejete": ["Le prélèvement de la TVA a été reje"],
    "service_manquant": ["je ne trouve pas le service rembourse"],
    "espace_sature": ["lenteurs dans l'espace exp"],
    "sans_espace_expert": ["dossier expert rattaché à aucun espa"],
    "messagerie_inactive": ["la messagerie ne fonctionne p"],
    "espace_client_existant": ["le client a créé son espace seul et on n'y a pas acc"],
    "changement_cabinet": ["l'ancien cabinet a encore les acc"],
    "code_mauvaise_adresse": ["le courrier est parti à l'ancienne adre"],
    "espace_particulier": ["le micro-entrepreneur se connecte avec son numéro fisc"],
    "email_entreprise_manquant": ["le client n'a pas d'adresse e-ma"],
    "sci_identifiant_dossier": ["le site demande l'identifiant de doss"],
    "titulaire_parti": ["Mot de passe oubl"],
    "changement_banque": ["le client change de banq"],
    "partenaire_edi": ["nos déclarations passent par un partenaire ED"],
}


TRANSFORMS = {
    "as_is": lambda t: t,
    "upper": str.upper,
    "lower_no_accents": lambda t: _strip_accents(t).lower(),
    "french_quotes": lambda t: f"« {t} »",
    "double_quotes": lambda t: f'"{t}"',
    "curly_apostrophes": lambda t: t.replace("'", "’"),
    "extra_spaces": lambda t: "  " + "   ".join(t.split()) + " \n",
    "embedded_in_mail": _mail,
}

CASES = [
    pytest.param(kind_id, text, transform, id=f"{kind_id}-{i}-{transform}")
    for kind_id, texts in VARIANTS.items()
    for i, text in enumerate(texts)
    for transform in TRANSFORMS
] + [
    pytest.param(kind_id, text, transform, id=f"{kind_id}-cut{i}-{transform}")
    for kind_id, texts in TRUNCATED.items()
    for i, text in enumerate(texts)
    for transform in ("as_is", "french_quotes", "lower_no_accents")
]


def test_every_catalogue_entry_has_variants() -> None:
    assert set(VARIANTS) == set(CATALOGUE_BY_ID) == set(TRUNCATED)


@pytest.mark.parametrize(("kind_id", "text", "transform"), CASES)
def test_variant_finds_its_entry_first(kind_id: str, text: str, transform: str) -> None:
    pasted = TRANSFORMS[transform](text)
    ranked = rank(pasted)
    assert ranked, f"nothing matched {pasted!r}"
    assert ranked[0][0].id == kind_id, [(k.id, round(s, 2)) for k, s, _ in ranked]


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda k: k.id)
def test_the_catalogue_message_itself_scores_full(kind: object) -> None:
    from espace_tui.domain.diagnosis_catalogue import BlockageKind

    assert isinstance(kind, BlockageKind)
    ((best, score, _), *_) = rank(kind.message)
    assert best.id == kind.id
    assert score == pytest.approx(1.0)


@pytest.mark.parametrize("text", NO_MATCH)
def test_unrelated_messages_match_nothing(text: str) -> None:
    diagnosis = diagnose(text)
    assert not diagnosis.matched, [(c.kind.id, round(c.score, 2)) for c in diagnosis.candidates]


@pytest.mark.parametrize("text", NO_MATCH[:5])
def test_unrelated_mail_matches_nothing(text: str) -> None:
    assert not diagnose(_mail(text)).matched


def test_ambiguous_message_ranks_several_candidates() -> None:
    ids = [c.kind.id for c in diagnose("code d'activation expiré").candidates]
    assert ids[0] == "code_expire"
    assert "code_expert_expire" in ids[1:]


def test_scores_are_sorted_and_above_threshold() -> None:
    candidates = diagnose("code d'activation expiré").candidates
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= MATCH_THRESHOLD for s in scores)


def test_normalize_folds_case_accents_quotes_and_spaces() -> None:
    assert normalize("  « Il  EXISTE   déjà »\t’l’adhérent’ ") == "il existe deja l adherent"
    assert normalize("Œuvre 48h") == "oeuvre 48 h"


def test_a_whole_mailbox_pasted() -> None:
    thread = "Bonjour, ceci est un long fil de discussion sans rapport. Merci, à bientôt. " * 1200
    message = "Il existe déjà un adhérent aux téléprocédures pour ce SIREN"
    assert len(thread) > 90_000
    assert diagnose(message + "\n\n" + thread).candidates[0].kind.id == "deja_adherent"
    assert not diagnose(thread).matched
