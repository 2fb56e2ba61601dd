"""A realistic demo cabinet, dated relative to the clock, so every status shows up today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from stdnum import iban as stdnum_iban
from stdnum import luhn

from espace_tui.domain.display import format_date
from espace_tui.domain.dossier import (
    DEFAULT_PROCEDURE,
    MODE_LABELS,
    BankAccount,
    Blockage,
    CabinetInfo,
    Dossier,
    ExpertSpace,
    HistoryEntry,
    MandateState,
    MandateType,
    Mode,
)
from espace_tui.domain.procedures import FACT_LABELS, Fact, procedure
from espace_tui.domain.teleservices import ServiceState
from espace_tui.store.repository import Store

DEMO_CABINET = CabinetInfo(name="Cabinet Durand & Associés", siren="")
H = timedelta(hours=1)
D = timedelta(days=1)

BASIC_SERVICES = (
    "messagerie",
    "compte_fiscal",
    "declarer_tva",
    "payer_tva",
    "declarer_is",
    "payer_is",
)


def demo_siren(index: int) -> str:
    base = f"{81234567 + index * 104729:08d}"[-8:]
    return base + luhn.calc_check_digit(base)


def demo_iban(index: int) -> str:
    bban = f"3000400003{index:011d}{(index * 37) % 100:02d}"
    return "FR" + stdnum_iban.calc_check_digits("FR00" + bban) + bban


@dataclass(frozen=True)
class _Spec:
    name: str
    mode: Mode
    # Event key -> how long ago it happened (negative: in the future, for facts).
    ago: dict[str, timedelta] = field(default_factory=dict)
    space: str | None = None
    bank: MandateState | None = None
    core: bool = False
    blockage: str | None = None
    notes: str = ""


_SPECS: tuple[_Spec, ...] = (
    _Spec("Boulangerie Martin", Mode.SIMPLIFIED, {"formulaire": 2 * H}),
    _Spec(
        "Garage des Alpes",
        Mode.SIMPLIFIED,
        {"formulaire": 60 * H},
        notes="Relancer le gérant par SMS.",
    ),
    _Spec("Menuiserie Lefèvre", Mode.SIMPLIFIED, {"formulaire": 4 * D}),
    _Spec(
        "Fleurs & Jardins",
        Mode.SIMPLIFIED,
        {"formulaire": 21 * D, "lien_email": 20 * D, Fact.LETTER_PRINTED: 18 * D},
    ),
    _Spec("Cabinet dentaire Roux", Mode.SIMPLIFIED, {"formulaire": 56 * D, "lien_email": 55 * D}),
    _Spec(
        "Atelier Moreau",
        Mode.SIMPLIFIED,
        {
            "formulaire": 48 * D,
            "lien_email": 47 * D,
            Fact.LETTER_PRINTED: 46 * D,
            "courrier_code": 40 * D,
        },
    ),
    _Spec(
        "Dubois Transports SARL",
        Mode.SIMPLIFIED,
        {
            "formulaire": 90 * D,
            "lien_email": 89 * D,
            "courrier_code": 80 * D,
            "activation": 75 * D,
            "compte_bancaire": 74 * D,
            "mandat_b2b": 70 * D,
            "confirmation_pdf": 74 * D,
        },
        bank=MandateState.CONFIRMED,
    ),
    _Spec(
        "Pharmacie du Centre",
        Mode.SIMPLIFIED,
        {
            "formulaire": 40 * D,
            "lien_email": 40 * D,
            "courrier_code": 30 * D,
            "activation": 28 * D,
            "compte_bancaire": 27 * D,
            Fact.FIRST_PAYMENT: -36 * H,
        },
        bank=MandateState.SENT_TO_BANK,
        notes="Premier paiement de TVA le 15 : vérifier que la banque a bien enregistré le mandat.",
    ),
    _Spec("Librairie Papier", Mode.SIMPLIFIED, {"formulaire": 2 * D}, blockage="deja_adherent"),
    _Spec("Café de la Gare", Mode.SIMPLIFIED),
    _Spec(
        "Plomberie Girard",
        Mode.SIMPLIFIED,
        {"formulaire": 70 * D, "lien_email": 69 * D, Fact.LETTER_PRINTED: 65 * D},
    ),
    _Spec(
        "Coiffure Élégance",
        Mode.SIMPLIFIED,
        {
            "formulaire": 120 * D,
            "lien_email": 120 * D,
            "courrier_code": 110 * D,
            "activation": 105 * D,
            "compte_bancaire": 104 * D,
            "mandat_b2b": 100 * D,
            "confirmation_pdf": 104 * D,
        },
        bank=MandateState.CONFIRMED,
    ),
    _Spec("Transports Lambert", Mode.EXPERT, {"adhesion": 3 * D}, space="principal"),
    _Spec(
        "Immobilière Océan",
        Mode.EXPERT,
        {
            "adhesion": 30 * D,
            "messagerie_email": 29 * D,
            Fact.LETTER_PRINTED: 28 * D,
            "courrier_code": 22 * D,
        },
        space="principal",
    ),
    _Spec(
        "Boucherie Petit",
        Mode.EXPERT,
        {"adhesion": 50 * D, "messagerie_email": 49 * D},
        space="principal",
    ),
    _Spec(
        "Bernard BTP",
        Mode.EXPERT,
        {"adhesion": 61 * D, "messagerie_email": 60 * D, "courrier_code": 50 * D},
        space="principal",
        notes="Le client dit ne jamais avoir reçu le courrier.",
    ),
    _Spec(
        "Clinique vétérinaire Faure",
        Mode.EXPERT,
        {
            "adhesion": 100 * D,
            "messagerie_email": 99 * D,
            "courrier_code": 90 * D,
            "code_transmis": 88 * D,
            "activation_services": 88 * D,
            "compte_bancaire": 87 * D,
            "mandat_b2b": 80 * D,
        },
        space="principal",
        bank=MandateState.CONFIRMED,
    ),
    _Spec(
        "Auto-école Rousseau",
        Mode.EXPERT,
        {"adhesion": 25 * D, "messagerie_email": 24 * D},
        space="principal",
        blockage="courrier_non_recu",
    ),
    _Spec(
        "Hôtel du Lac",
        Mode.EXPERT,
        {
            "adhesion": 47 * D,
            "messagerie_email": 47 * D,
            Fact.LETTER_PRINTED: 46 * D,
            "courrier_code": 40 * D,
        },
        space="principal",
    ),
    _Spec(
        "Restaurant Le Provençal",
        Mode.EXPERT,
        {
            "adhesion": 45 * D,
            "messagerie_email": 44 * D,
            "courrier_code": 35 * D,
            "code_transmis": 33 * D,
            "activation_services": 32 * D,
            "compte_bancaire": 30 * D,
            Fact.FIRST_PAYMENT: -6 * D,
        },
        space="annexe",
        bank=MandateState.TO_PRINT,
    ),
    _Spec(
        "Bijouterie Mercier",
        Mode.EXPERT,
        {
            "adhesion": 200 * D,
            "messagerie_email": 199 * D,
            "courrier_code": 190 * D,
            "code_transmis": 188 * D,
            "activation_services": 188 * D,
            "compte_bancaire": 187 * D,
            "mandat_b2b": 180 * D,
        },
        space="principal",
        bank=MandateState.CONFIRMED,
    ),
    _Spec("Imprimerie Blanc", Mode.EXPERT, {"adhesion": 1 * D}, space="annexe"),
)


def _spaces(now: datetime) -> list[ExpertSpace]:
    done = {
        "cgu_captcha": 400 * D,
        "identifiants": 400 * D,
        "coordonnees": 400 * D,
        "activation_espace": 399 * D,
    }
    fresh = {"cgu_captcha": 5 * H, "identifiants": 5 * H, "coordonnees": 5 * H}
    return [
        ExpertSpace(
            id="principal",
            label="Espace expert principal",
            login_email="experts@cabinet-durand.fr",
            created_at=now - 400 * D,
            events={k: now - v for k, v in done.items()},
            history=(HistoryEntry(now - 400 * D, "created", "Espace expert créé."),),
        ),
        ExpertSpace(
            id="annexe",
            label="Espace expert n° 2 (agence de Lyon)",
            login_email="lyon@cabinet-durand.fr",
            created_at=now - 5 * H,
            events={k: now - v for k, v in fresh.items()},
            history=(HistoryEntry(now - 5 * H, "created", "Espace expert créé."),),
        ),
    ]


_FACTS = frozenset(f.value for f in Fact)


def _dossier(index: int, spec: _Spec, now: datetime) -> Dossier:
    siren = demo_siren(index)
    events = {key: now - ago for key, ago in spec.ago.items()}
    created = min(events.values(), default=now - 1 * H)
    created = min(created, now - 1 * H)
    slug = spec.name.lower().split()[0].replace("é", "e").replace("&", "")
    services = {s: ServiceState.REQUESTED for s in BASIC_SERVICES}
    if "courrier_code" in events:
        services = {s: ServiceState.AWAITING_CODE for s in services}
    if "activation" in events or "activation_services" in events:
        services = {s: ServiceState.ACTIVE for s in services}
    bank = None
    if spec.bank is not None:
        bank = BankAccount(
            iban=demo_iban(index),
            bic="BNPAFRPPXXX",
            mandate_type=MandateType.CORE if spec.core else MandateType.B2B,
            mandate_state=spec.bank,
        )
    blockages: tuple[Blockage, ...] = ()
    if spec.blockage:
        blockages = (Blockage(id=f"demo{index:02d}", kind=spec.blockage, opened_at=now - 20 * H),)
    history = [HistoryEntry(created, "created", f"Dossier créé (mode {MODE_LABELS[spec.mode]}).")]
    for key, when in sorted(events.items(), key=lambda item: item[1]):
        if key in _FACTS:  # recorded when known, which may be before the date itself
            at = min(when, now - 2 * H)
            history.append(
                HistoryEntry(at, "fact", f"{FACT_LABELS[Fact(key)]} : {format_date(when)}.")
            )
        else:
            label = procedure(DEFAULT_PROCEDURE[spec.mode]).step(key).label
            history.append(HistoryEntry(when, "step_done", f"Étape « {label} » faite."))
    history.sort(key=lambda entry: entry.at)
    return Dossier(
        siren=siren,
        name=spec.name,
        mode=spec.mode,
        created_at=created,
        email_entreprise=f"contact@{slug}.fr",
        email_connexion=f"gerant@{slug}.fr" if spec.mode is Mode.SIMPLIFIED else "",
        space_id=spec.space,
        services=services,
        bank=bank,
        notes=spec.notes,
        events=events,
        blockages=blockages,
        history=tuple(history),
    )


def demo_dossiers(now: datetime) -> list[Dossier]:
    return [_dossier(i, spec, now) for i, spec in enumerate(_SPECS)]


def fill_demo(store: Store, now: datetime) -> int:
    """Write the demo cabinet into an empty store; the caller checks emptiness."""
    dossiers = demo_dossiers(now)
    with store.transaction():
        store.put_cabinet(DEMO_CABINET)
        for space in _spaces(now):
            store.put_space(space)
        store.insert_dossiers(dossiers)
    return len(dossiers)
