"""Where each procedure fact comes from: the pages read, with their address and what they say.

Every step, countdown, blockage, remedy and guide entry cites one of these by its
`citation` (the text screens and the guide show). A fact no page confirms is flagged
`unverified` where it is used; `UNSOURCED` names the facts that rest on the cabinets'
practice alone. `docs/procedure.md` is generated from this table and the procedure data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    # Web address, or "" when none was recorded (Fiches FOCUS read as PDF copies, the tutorial).
    url: str
    official: bool
    # What was read in it, in a few words (the review of 2026-12-01).
    covers: str

    @property
    def citation(self) -> str:
        kind = " (impots.gouv.fr)" if self.official and not self.url else ""
        kind = kind if self.official else " (non officiel)"
        where = f" — {self.url}" if self.url else ""
        return f"{self.title}{kind}{where}"


SOURCES: tuple[Source, ...] = (
    Source(
        "S1",
        "impots.gouv.fr, « Le mode simplifié »",
        "https://www.impots.gouv.fr/professionnel/le-mode-simplifie",
        True,
        "mode simplifié réservé à une entreprise dont la gestion des services en ligne n'est "
        "pas partagée ; lien de 72 h envoyé à l'adresse de l'entreprise ; adhésion "
        "automatique à tous les services sauf les démarches TVA UE ; collectivités : expert",
    ),
    Source(
        "S2",
        "impots.gouv.fr, « Le mode expert »",
        "https://impots.gouv.fr/portail/professionnel/le-mode-expert",
        True,
        "formulaire (e-mail, mot de passe, nom, SIREN du cabinet, coordonnées, question de "
        "confiance) ; code par e-mail valable 48 h ; adhésion par Mes services > J'adhère "
        "(page lue tronquée : rien sur la durée du code d'adhésion)",
    ),
    Source(
        "S3",
        "impots.gouv.fr, FAQ « J'ai effectué les démarches de création de mon espace : quand "
        "pourrai-je… »",
        "https://impots.gouv.fr/professionnel/questions/"
        "jai-effectue-les-demarches-de-creation-de-mon-espace-quand-pourrai-je",
        True,
        "code d'activation valable 60 jours, sans dire à partir de quand",
    ),
    Source(
        "S4",
        "Fiche FOCUS « Créer un espace professionnel simplifié et adhérer aux services » "
        "(janvier 2022)",
        "",
        True,
        "les deux modes ; environ 100 SIREN (ou IDSP) par espace ; l'IDSP",
    ),
    Source(
        "S5",
        "Fiche FOCUS « Désigner un administrateur suppléant » (novembre 2022)",
        "",
        True,
        "rôles d'administrateur et d'administrateur suppléant ; habilitations (création, "
        "suspension, réactivation, suppression)",
    ),
    Source(
        "S6",
        "Fiche « Demander à remplacer le titulaire d'un service (substitution) »",
        "",
        True,
        "titre seul lu : la démarche existe, ses étapes ne sont pas connues",
    ),
    Source(
        "S7",
        "Fiche FOCUS « Gérer les comptes bancaires » (janvier 2022)",
        "",
        True,
        "comptes et mandats déclarés dans l'espace qui détient les services « Payer »",
    ),
    Source(
        "S8",
        "trucdecomptable.fr, « Mandat SEPA impôts »",
        "https://trucdecomptable.fr/Comment/mandat-sepa-impots.html",
        False,
        "chaque compte a une colonne de mandat CORE et une colonne B2B ; B2B avant le "
        "paiement d'un impôt autoliquidé",
    ),
    Source(
        "S9",
        "pretweb.com, « B2B DGFiP : quel est ce prélèvement »",
        "https://www.pretweb.com/b2b-dgfip-quel-est-ce-prelevement-dans-le-paysage-fiscal-des-"
        "transactions-interentreprises",
        False,
        "B2B pour les impôts autoliquidés ; les impôts sur rôle (CFE) suivent un autre circuit",
    ),
    Source(
        "S11",
        "edifiscale.com, « Créer son espace professionnel impots »",
        "https://edifiscale.com/blog/creer-espace-professionnel-impots",
        False,
        "compte bancaire après l'activation ; courrier en « quelques jours »",
    ),
    Source(
        "S12",
        "BOFiP BOI-BIC-DECLA-30-60-30-20 (partenaires EDI)",
        "https://bofip.impots.gouv.fr/node/5814",
        True,
        "un partenaire EDI dépose les déclarations sous mandat de l'entreprise",
    ),
    Source(
        "S13",
        "Fiche FOCUS « Créer un espace professionnel expert » (mai 2018)",
        "",
        True,
        "« informations récapitulatives de votre espace » à télécharger en fin de création",
    ),
    Source(
        "S14",
        "gocardless.com, « Mandat SEPA de prélèvement interentreprises »",
        "https://gocardless.com/fr/guides/articles/mandat-sepa-de-prelevement-interentreprises",
        False,
        "fonctionnement du mandat B2B : signé par le débiteur, enregistré par sa banque",
    ),
    Source(
        "SEED",
        "Tutoriel du cabinet « Création d'un espace professionnel impots.gouv.fr »",
        "",
        False,
        "les deux modes pas à pas, les délais, le message « Il existe déjà un adhérent… », "
        "les bonnes pratiques, l'assistance téléprocédures",
    ),
    Source(
        "PRACTICE",
        "Pratique des cabinets, aucune page lue ne le confirme",
        "",
        False,
        "situations courantes décrites par les cabinets ; à vérifier au cas par cas",
    ),
)

SOURCES_BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}
SOURCES_BY_CITATION: dict[str, Source] = {s.citation: s for s in SOURCES}


def cite(source_id: str) -> str:
    return SOURCES_BY_ID[source_id].citation


S1, S2, S3, S4, S5, S6, S7 = (cite(f"S{n}") for n in range(1, 8))
S8, S9, S11, S12, S13, S14 = (cite(f"S{n}") for n in (8, 9, 11, 12, 13, 14))
SEED = cite("SEED")
# Facts from the cabinets' practice only: always shown as unverified.
UNSOURCED = cite("PRACTICE")
