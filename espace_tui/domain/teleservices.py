"""The services one adheres to, labelled as on impots.gouv.fr (indicative list)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from espace_tui.domain.errors import InvalidInput


class ServiceState(StrEnum):
    REQUESTED = "requested"
    AWAITING_CODE = "awaiting_code"
    ACTIVE = "active"


SERVICE_STATE_LABELS: dict[ServiceState, str] = {
    ServiceState.REQUESTED: "demandé",
    ServiceState.AWAITING_CODE: "en attente du code",
    ServiceState.ACTIVE: "actif",
}


@dataclass(frozen=True)
class Teleservice:
    id: str
    label: str
    # A « Payer » service for a self-assessed tax: it needs a B2B mandate at the bank.
    payment: bool = False
    # Not included by the simplified creation: needs a complementary adhesion (the official
    # page excludes the « démarches TVA UE »; the tutorial adds DAC6 and the TGAP, unverified).
    complementary: bool = False
    unverified: bool = False


TELESERVICES: tuple[Teleservice, ...] = (
    Teleservice("messagerie", "Messagerie"),
    Teleservice("compte_fiscal", "Consulter le compte fiscal"),
    Teleservice("biens_immobiliers", "Gérer mes biens immobiliers"),
    Teleservice("declarer_tva", "Déclarer TVA"),
    Teleservice("payer_tva", "Payer TVA", payment=True),
    Teleservice("remboursement_tva_ue", "Remboursement de TVA UE", complementary=True),
    Teleservice("guichet_tva_ue", "Guichet de TVA UE", complementary=True),
    Teleservice("franchise_tva_ue", "Franchise en base TVA UE", complementary=True),
    Teleservice("declarer_is", "Déclarer l'impôt sur les sociétés"),
    Teleservice("payer_is", "Payer l'impôt sur les sociétés", payment=True),
    Teleservice("declarer_cvae", "Déclarer la CVAE"),
    Teleservice("payer_cvae", "Payer la CVAE", payment=True),
    Teleservice("declarer_rcm", "Déclarer les RCM"),
    Teleservice("payer_rcm", "Payer les RCM", payment=True),
    Teleservice("taxe_salaires", "Déclarer / Payer la taxe sur les salaires", payment=True),
    Teleservice("tsca", "Déclarer / Payer la TSCA", payment=True),
    Teleservice(
        "tgap",
        "Déclarer / Payer la taxe sur les activités polluantes",
        payment=True,
        complementary=True,
        unverified=True,
    ),
    Teleservice("declarer_resultat", "Déclarer le résultat"),
    Teleservice("dac6", "Déclarer dispositif DAC6", complementary=True, unverified=True),
    Teleservice("tiers_declarants", "Tiers déclarants"),
    Teleservice("cesop", "Déclarer les paiements transfrontaliers (CESOP)"),
    Teleservice("payer_autres", "Payer autres impôts et taxes", payment=True),
)

TELESERVICES_BY_ID: dict[str, Teleservice] = {s.id: s for s in TELESERVICES}

# The simplified creation adheres to every service except the complementary ones.
SIMPLIFIED_AUTOMATIC: tuple[str, ...] = tuple(s.id for s in TELESERVICES if not s.complementary)
# What a cabinet usually ticks at an expert adhesion; each dossier can differ.
EXPERT_USUAL: tuple[str, ...] = (
    "messagerie", "compte_fiscal", "declarer_tva", "payer_tva", "declarer_is", "payer_is",
)  # fmt: skip


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).split())


_BY_FOLDED = {key: s.id for s in TELESERVICES for key in (_folded(s.id), _folded(s.label))}


def parse_services(raw: str, field: str = "Services") -> tuple[str, ...]:
    """Service ids or labels separated by commas or semicolons, in catalogue order."""
    wanted = [part for part in re.split(r"[,;]", raw) if part.strip()]
    unknown = [part.strip() for part in wanted if _folded(part) not in _BY_FOLDED]
    if unknown:
        raise InvalidInput(
            field,
            f"inconnu(s) : {', '.join(unknown)} (identifiants possibles : "
            f"{', '.join(s.id for s in TELESERVICES)}).",
        )
    chosen = {_BY_FOLDED[_folded(part)] for part in wanted}
    return tuple(s.id for s in TELESERVICES if s.id in chosen)
