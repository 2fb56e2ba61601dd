"""Adding, editing, deleting and importing dossiers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from espace_tui.domain.dossier import (
    DEFAULT_SERVICES,
    MODE_LABELS,
    BankAccount,
    Dossier,
    ExpertSpace,
    MandateState,
    Mode,
)
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.french_dates import parse_french_datetime
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import FACT_LABELS, Fact, procedure
from espace_tui.domain.teleservices import ServiceState
from espace_tui.domain.validation import CleanDossier, DossierDraft, ImportedDraft, clean_draft
from espace_tui.workspace.core import (
    FUTURE_TOLERANCE,
    Change,
    WorkspaceCore,
    events_summary,
    transactional,
)
from espace_tui.workspace.fresh import check_fresh, field_value, merge_services, user_changes


@dataclass
class ImportReport:
    imported: list[Dossier] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


_CHANGE_LABELS = {
    "name": "nom",
    "email_entreprise": "e-mail de l'entreprise",
    "email_connexion": "e-mail de connexion",
    "space_id": "espace expert",
    "bank": "compte bancaire",
    "notes": "notes",
    "mode": "mode (procédure recommencée)",
    "services": "services",
}


def unattached_warning(sirens: list[str], spaces: list[ExpertSpace]) -> str:
    """Expert dossiers left without an expert space: said once, with the way to fix it."""
    shown = ", ".join(format_siren(s) for s in sirens[:5]) + (" …" if len(sirens) > 5 else "")
    how = (
        f"rattachez-les à un espace ({', '.join(s.id for s in spaces)}) : "
        "« espace-tui espace attach SIREN ID » ou la touche b du tableau de bord"
        if spaces
        else "déclarez d'abord l'espace expert du cabinet (« espace-tui espace add »), puis "
        "« espace-tui espace attach SIREN ID »"
    )
    return (
        f"{len(sirens)} dossier(s) en mode expert rattaché(s) à aucun espace expert "
        f"({shown}) : {how}."
    )


class DossierCommands(WorkspaceCore):
    def _check_new(
        self,
        clean: CleanDossier,
        dossiers: list[Dossier],
        spaces: list[ExpertSpace],
        known_sirens: set[str] | None = None,
    ) -> list[str]:
        # An import passes the SIRENs it knows: scanning every dossier for each of 10,000
        # rows was 50 million comparisons.
        if (
            clean.siren in known_sirens
            if known_sirens is not None
            else any(d.siren == clean.siren for d in dossiers)
        ):
            raise InvalidInput(
                "SIREN", f"{format_siren(clean.siren)} est déjà suivi (un dossier par SIREN)."
            )
        if clean.mode is Mode.EXPERT and clean.space_id is None and len(spaces) == 1:
            clean = replace(clean, space_id=spaces[0].id)
        if clean.space_id is not None and all(s.id != clean.space_id for s in spaces):
            self.get_space(clean.space_id)  # raises the French message
        owner = self._login_owner(clean.email_connexion, dossiers, spaces, but=clean.siren)
        if owner:
            raise InvalidInput(
                "E-mail de connexion",
                f"{clean.email_connexion} est déjà utilisée par {owner} : une adresse ne peut "
                "servir qu'à un seul espace (une adresse par personne).",
            )
        return self._space_warnings(clean.space_id, dossiers, clean.siren)

    def _build(self, clean: CleanDossier, now: datetime, spaces: list[ExpertSpace]) -> Dossier:
        space_id = clean.space_id
        if clean.mode is Mode.EXPERT and space_id is None and len(spaces) == 1:
            space_id = spaces[0].id
        bank = BankAccount(clean.iban, clean.bic, clean.mandate_type) if clean.iban else None
        dossier = Dossier(
            siren=clean.siren,
            name=clean.name,
            mode=clean.mode,
            created_at=now,
            email_entreprise=clean.email_entreprise,
            email_connexion=clean.email_connexion,
            space_id=space_id,
            bank=bank,
            notes=clean.notes,
            services={
                sid: ServiceState.REQUESTED
                for sid in (
                    clean.services if clean.services is not None else DEFAULT_SERVICES[clean.mode]
                )
            },
        )
        where = f" dans l'espace expert « {space_id} »" if space_id else ""
        detail = f"Dossier créé (mode {MODE_LABELS[clean.mode]}){where}."
        return dossier.with_history(now, "created", detail)

    def add_dossier(self, draft: DossierDraft) -> Change:
        clean = clean_draft(draft)
        with self.store.transaction(), self._recording():
            dossiers, spaces = self.dossiers(), self.spaces()
            warnings = self._check_new(clean, dossiers, spaces)
            dossier = self._build(clean, self.now(), spaces)
            self.store.put_dossier(dossier)
            self._remember(dossier.siren, None, "Création", dossier)
        if dossier.mode is Mode.EXPERT and dossier.space_id is None:
            warnings.append(unattached_warning([dossier.siren], spaces))
        return Change(dossier, tuple(warnings), f"Dossier {format_siren(dossier.siren)} ajouté.")

    @transactional  # read the dossier under the lock too: never edit a stale copy
    def edit_dossier(
        self, siren: str, draft: DossierDraft, *, base: Dossier | None = None
    ) -> Change:
        """Replace the editable fields; the SIREN itself cannot change.

        `base`: the dossier the form showed when it opened. Only the fields the user changed
        from it are written, on top of the dossier stored now; a field changed both here
        and elsewhere refuses the save (StaleDialog). Without a base every field is set."""
        before = self.get(siren)
        clean = clean_draft(replace(draft, siren=before.siren))
        if base is not None:
            clean = self._on_top(base, before, clean)
        dossiers, spaces = self.dossiers(), self.spaces()
        if clean.space_id is not None and all(s.id != clean.space_id for s in spaces):
            self.get_space(clean.space_id)
        owner = self._login_owner(clean.email_connexion, dossiers, spaces, but=before.siren)
        if owner:
            raise InvalidInput(
                "E-mail de connexion", f"{clean.email_connexion} est déjà utilisée par {owner}."
            )
        warnings: list[str] = []
        if clean.space_id != before.space_id:
            warnings = self._space_warnings(clean.space_id, dossiers, before.siren)
        bank = before.bank
        if clean.iban:
            same = bank is not None and bank.iban == clean.iban
            bank = BankAccount(
                clean.iban,
                clean.bic,
                clean.mandate_type,
                bank.mandate_state if same and bank else MandateState.TO_PRINT,
            )
        else:
            bank = None
        changes: dict[str, Any] = {
            "name": clean.name,
            "email_entreprise": clean.email_entreprise,
            "email_connexion": clean.email_connexion,
            "space_id": clean.space_id,
            "bank": bank,
            "notes": clean.notes,
        }
        if clean.services is not None:
            changes["services"] = {
                sid: before.services.get(sid, ServiceState.REQUESTED) for sid in clean.services
            }
        if clean.mode is not before.mode:
            changes.update(mode=clean.mode, procedure_id="", events={})
        changed = [k for k, v in changes.items() if getattr(before, k) != v]
        if not changed:
            return Change(before, (), "Aucune modification.")
        # A new mode resets the procedure and its steps: « mode (procédure recommencée) » says it.
        shown = [k for k in changed if k in _CHANGE_LABELS]
        detail = "Modifié : " + ", ".join(_CHANGE_LABELS[k] for k in shown) + "."
        dossier = before.with_history(self.now(), "edited", detail, **changes)
        self.store.put_dossier(dossier)
        self._remember(before.siren, before, detail, dossier)
        return Change(dossier, tuple(warnings), detail)

    @staticmethod
    def _on_top(base: Dossier, current: Dossier, clean: CleanDossier) -> CleanDossier:
        """The form's values reduced to what the user changed from `base`, applied on the
        stored `current` dossier; refuses if one of those fields changed there too."""
        has_iban = bool(clean.iban)
        shown = {
            "name": clean.name,
            "mode": clean.mode,
            "email_entreprise": clean.email_entreprise,
            "email_connexion": clean.email_connexion,
            "space_id": clean.space_id,
            "bank.iban": clean.iban,
            "bank.bic": clean.bic if has_iban else "",
            # Without an IBAN the form still shows a mandate type: it means nothing.
            "bank.mandate_type": clean.mandate_type if has_iban else None,
            "notes": clean.notes,
        }
        mine = user_changes(base, shown)
        if "mode" in mine:  # a new mode restarts the procedure: it must be the one shown
            check_fresh(base, current, ("mode", "procedure_id"), mine)
        check_fresh(base, current, tuple(mine), mine)
        merged = {key: mine.get(key, field_value(current, key)) for key in shown}
        services = clean.services
        if services is not None and set(services) != set(base.services):
            services = tuple(merge_services(base, current, services))
        else:
            services = None  # untouched in the form: whatever is stored now stays
        iban = merged["bank.iban"]
        return replace(
            clean,
            name=merged["name"],
            mode=merged["mode"],
            email_entreprise=merged["email_entreprise"],
            email_connexion=merged["email_connexion"],
            space_id=merged["space_id"],
            iban=iban,
            bic=merged["bank.bic"] if iban else "",
            mandate_type=merged["bank.mandate_type"] or clean.mandate_type,
            notes=merged["notes"],
            services=services,
        )

    @transactional
    def delete_dossier(self, siren: str) -> Change:
        before = self.get(siren)
        self.store.delete_dossier(before.siren)
        self._remember(before.siren, before, "Suppression", None)
        return Change(None, (), f"Dossier {format_siren(before.siren)} supprimé.")

    def import_drafts(
        self,
        rows: list[tuple[int, DossierDraft]],
        *,
        skip_invalid: bool = False,
        dry_run: bool = False,
    ) -> ImportReport:
        """Validate every row, then write all good ones at once (or none if any is bad).

        `dry_run` is the preview: the same checks, what would be imported, nothing written.
        """
        report = ImportReport()
        with self.store.transaction():
            dossiers, spaces = self.dossiers(), self.spaces()
            now = self.now()
            pending: list[Dossier] = []
            known = {d.siren for d in dossiers}
            in_file: dict[str, int] = {}  # SIREN -> line: a repeat is the file's, not « suivi »
            for line, draft in rows:
                try:
                    clean = clean_draft(draft)
                    if clean.siren in in_file:
                        raise InvalidInput(
                            "SIREN",
                            f"{format_siren(clean.siren)} en double dans le fichier (déjà "
                            f"ligne {in_file[clean.siren]}) : gardez une seule ligne.",
                        )
                    warnings = self._check_new(clean, dossiers + pending, spaces, known)
                except InvalidInput as err:
                    report.errors.append((line, err.message))
                    continue
                report.warnings.extend(f"ligne {line} : {w}" for w in warnings[:1])
                built = self._build(clean, now, spaces)
                if isinstance(draft, ImportedDraft) and draft.dates:
                    try:
                        built = _with_imported_dates(built, draft.dates, now)
                    except InvalidInput as err:
                        report.errors.append((line, err.message))
                        continue
                pending.append(built)
                known.add(clean.siren)
                in_file[clean.siren] = line
            unattached = [d.siren for d in pending if d.mode is Mode.EXPERT and not d.space_id]
            if unattached:
                report.warnings.append(unattached_warning(unattached, spaces))
            if dry_run:
                report.imported = pending
                return report
            if report.errors and not skip_invalid:
                return report
            self.store.insert_dossiers(pending)
            report.imported = pending
        return report


FACT_VALUES = frozenset(f.value for f in Fact)
# A first payment is planned ahead: a future date is its normal case.
FUTURE_FACTS = frozenset({Fact.FIRST_PAYMENT.value})


def _with_imported_dates(
    dossier: Dossier, dates: tuple[tuple[str, str], ...], now: datetime
) -> Dossier:
    """The steps and facts an imported row says were done, typed the French way (or ISO)."""
    proc = procedure(dossier.procedure_id)
    events: dict[str, datetime] = {}
    for key, typed in dates:
        if not typed.strip():
            continue
        is_fact = key in FACT_VALUES
        label = FACT_LABELS[Fact(key)] if is_fact else key
        if not is_fact and not proc.has_step(key):
            raise InvalidInput(
                f"Colonne {key}", f"pas d'étape « {key} » dans la procédure « {proc.label} »."
            )
        if not is_fact:
            label = proc.step(key).label
        when = parse_french_datetime(typed, f"Colonne {key}", now)
        if key not in FUTURE_FACTS and when > now + FUTURE_TOLERANCE:
            raise InvalidInput(f"Colonne {key}", f"« {typed} » ({label}) est dans le futur.")
        events[key] = when
    if not events:
        return dossier
    done = events_summary(proc, events)
    return dossier.with_history(now, "imported_dates", f"Dates importées : {done}.", events=events)
