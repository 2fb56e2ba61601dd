"""What the company registry (API Recherche d'entreprises) says of a SIREN, and what it means
for the dossier: its name, the siège address the DGFiP posts the code to, whether it ceased,
and the advice that fits an entrepreneur individuel, a collectivité or an association.

Pure: the response is parsed here, fetched elsewhere (workspace.registry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from espace_tui.domain.dossier import Mode
from espace_tui.domain.errors import InvalidInput

# A company created within this span may be unknown to the DGFiP yet.
RECENT_SPAN = timedelta(weeks=6)
ADDRESS_LABEL = "Adresse du siège (où part le courrier)"


class RegistryFormatError(ValueError):
    """The registry answered something that is not the documented shape."""


class CompanyKind(StrEnum):
    COMPANY = "societe"
    SOLE_TRADER = "entrepreneur_individuel"
    LOCAL_AUTHORITY = "collectivite"
    ASSOCIATION = "association"


@dataclass(frozen=True)
class KindAdvice:
    label: str
    advice: str
    # The mode to pre-select, when the kind decides it.
    mode: Mode | None = None
    # Answers to pre-fill in the mode chooser (advisor question id -> answer).
    answers: tuple[tuple[str, bool], ...] = ()


KIND_ADVICE: dict[CompanyKind, KindAdvice] = {
    CompanyKind.COMPANY: KindAdvice("société", ""),
    CompanyKind.SOLE_TRADER: KindAdvice(
        "entrepreneur individuel",
        "Entrepreneur individuel : l'espace professionnel est distinct de son espace "
        "particulier (impôt sur le revenu) ; il y trouve l'avis de CFE (en ligne seulement) "
        "et la TVA s'il y est assujetti. Mode simplifié s'il crée l'espace lui-même.",
    ),
    CompanyKind.LOCAL_AUTHORITY: KindAdvice(
        "collectivité territoriale",
        "Collectivité territoriale : le mode simplifié lui est fermé, mode expert uniquement.",
        mode=Mode.EXPERT,
        answers=(("collectivite", True),),
    ),
    CompanyKind.ASSOCIATION: KindAdvice(
        "association",
        "Association : l'espace professionnel ne lui sert que si elle a des obligations "
        "fiscales professionnelles (TVA, taxe sur les salaires, impôt sur les sociétés) ; "
        "vérifiez-le avant de le créer (à confirmer).",
        answers=(("collectivite", False),),
    ),
}


@dataclass(frozen=True)
class CompanyRecord:
    """The registry's answer for one SIREN, reduced to what the app uses."""

    siren: str
    name: str
    address: str = ""
    ceased: bool = False
    closed_on: date | None = None
    created_on: date | None = None
    legal_form: str = ""  # nature juridique, INSEE code (« 5710 »)
    kind: CompanyKind = CompanyKind.COMPANY

    @property
    def kind_advice(self) -> KindAdvice:
        return KIND_ADVICE[self.kind]

    def is_recent(self, today: date) -> bool:
        return self.created_on is not None and today - self.created_on <= RECENT_SPAN

    def warnings(self, today: date) -> list[str]:
        """What the accountant should know before creating the espace."""
        found: list[str] = []
        if self.ceased:
            when = f" le {self.closed_on:%d/%m/%Y}" if self.closed_on else ""
            found.append(f"Entreprise cessée{when} selon l'annuaire des entreprises.")
        if self.kind_advice.advice:
            found.append(self.kind_advice.advice)
        if self.is_recent(today) and self.created_on is not None:
            found.append(
                f"Entreprise créée le {self.created_on:%d/%m/%Y} : la DGFiP peut ne pas encore "
                "la connaître ; si la création de l'espace est refusée, réessayez dans quelques "
                "semaines."
            )
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "siren": self.siren,
            "name": self.name,
            "address": self.address,
            "ceased": self.ceased,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "created_on": self.created_on.isoformat() if self.created_on else None,
            "legal_form": self.legal_form,
            "kind": self.kind.value,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CompanyRecord:
        """From `as_json` (the cache). Raises RegistryFormatError on anything else."""
        try:
            return cls(
                siren=str(data["siren"]),
                name=str(data["name"]),
                address=str(data.get("address") or ""),
                ceased=bool(data.get("ceased")),
                closed_on=_date(data.get("closed_on")),
                created_on=_date(data.get("created_on")),
                legal_form=str(data.get("legal_form") or ""),
                kind=CompanyKind(data.get("kind", CompanyKind.COMPANY.value)),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise RegistryFormatError(str(err)) from None


def _date(value: object) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _kind(result: dict[str, Any]) -> CompanyKind:
    complements = result.get("complements")
    extra = complements if isinstance(complements, dict) else {}
    legal_form = _text(result.get("nature_juridique"))
    if extra.get("collectivite_territoriale") or legal_form.startswith("72"):
        return CompanyKind.LOCAL_AUTHORITY
    if extra.get("est_entrepreneur_individuel") or legal_form == "1000":
        return CompanyKind.SOLE_TRADER
    if extra.get("est_association") or legal_form.startswith("92"):
        return CompanyKind.ASSOCIATION
    return CompanyKind.COMPANY


def parse_search_response(payload: object, siren: str) -> CompanyRecord | None:
    """The record whose `siren` is the one asked, from a `/search` answer; None when the
    registry does not know it. RegistryFormatError when the answer is not the documented
    shape ({"results": [{"siren": …, "nom_complet": …, "siege": {"adresse": …}, …}]})."""
    if not isinstance(payload, dict) or not isinstance(payload.get("results"), list):
        raise RegistryFormatError("pas de liste « results »")
    for result in payload["results"]:
        if not isinstance(result, dict) or result.get("siren") != siren:
            continue
        name = _text(result.get("nom_raison_sociale")) or _text(result.get("nom_complet"))
        if not name:
            raise RegistryFormatError("résultat sans nom")
        siege = result.get("siege")
        address = _text(siege.get("adresse")) if isinstance(siege, dict) else ""
        return CompanyRecord(
            siren=siren,
            name=name,
            address=address,
            ceased=result.get("etat_administratif") == "C",
            closed_on=_date(result.get("date_fermeture")),
            created_on=_date(result.get("date_creation")),
            legal_form=_text(result.get("nature_juridique")),
            kind=_kind(result),
        )
    return None


def cached_is_fresh(fetched_at: datetime, now: datetime, max_age: timedelta) -> bool:
    return timedelta(0) <= now - fetched_at <= max_age


def check_not_ceased(record: CompanyRecord, *, force: bool = False) -> None:
    """A ceased company gets no espace professionnel, unless the accountant insists."""
    if record.ceased and not force:
        when = f" le {record.closed_on:%d/%m/%Y}" if record.closed_on else ""
        raise InvalidInput(
            "SIREN",
            f"{record.siren[:3]} {record.siren[3:6]} {record.siren[6:]} ({record.name}) est "
            f"cessée{when} selon l'annuaire des entreprises : il n'y a pas d'espace "
            "professionnel à créer. Ajoutez --force pour la suivre quand même.",
        )
