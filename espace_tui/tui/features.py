"""The dashboard's pluggable actions: one line per feature, read by the main screen.

Each Feature becomes a Binding (with its id, so users can remap it), a Footer entry and a
command-palette entry. Its handler lives in its own module and is imported on first use, so
adding a feature never slows the dashboard's start-up nor touches the main screen.
See EXTENDING.md.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from espace_tui.domain.dossier import Dossier
    from espace_tui.tui.dashboard import Dashboard

    FeatureHandler = Callable[[Dashboard, Dossier | None], None]
    StartupHook = Callable[[Dashboard], None]


@dataclass(frozen=True)
class Feature:
    id: str  # Binding id (remappable through the keymap), snake_case English
    key: str  # Textual key name: "b", "r", "g", "ctrl+l"…
    description: str  # French, short: shown in the Footer and the help screen
    palette: str  # French, explicit: shown in the command palette
    handler: str  # "package.module:function", called as function(main_screen, dossier)
    needs_dossier: bool = True  # disabled when no dossier is selected
    writes: bool = False  # disabled when the dashboard is read-only
    show: bool = True  # shown in the Footer


# Features added by other modules: append one line each (keep keys unique; the main screen
# owns a j k / s a e d u x space n R ? f1 q tab enter).
FEATURES: list[Feature] = [
    Feature(
        id="guide",
        key="G",
        description="Guide",
        palette="Aide : guide des procédures (étapes, délais, choix du mode)",
        handler="espace_tui.tui.screens.guide:open_guide",
        needs_dossier=False,
        show=False,  # the Footer stays short: ? then g, or the palette
    ),
    Feature(
        id="first_run",
        key="I",
        description="Cabinet et import",
        palette="Démarrage : saisir le cabinet, importer des clients (CSV), ouvrir la démo",
        handler="espace_tui.tui.screens.first_run:open_first_run",
        needs_dossier=False,
        writes=True,
        show=False,
    ),
]

# Reports: export dialog, agenda, client letter.
FEATURES += [
    Feature(
        id="export",
        key="r",
        description="Exporter",
        palette="Export : rapport d'avancement (md, csv, html, json) ou calendrier (ics)",
        handler="espace_tui.tui.screens.export:open_export",
        needs_dossier=False,
    ),
    Feature(
        id="agenda",
        key="g",
        description="Agenda",
        palette="Agenda : échéances en retard, du jour et des 7 jours, par personne à relancer",
        handler="espace_tui.tui.screens.agenda:open_agenda",
        needs_dossier=False,
    ),
    Feature(
        id="client_letter",
        key="l",
        description="Lettre",
        palette="Dossier : lettre de relance du client (code, lien, mandat B2B)",
        handler="espace_tui.tui.screens.letter:open_letter",
        writes=True,
    ),
]

# Diagnosis: from an error message to a remedy applied to the dossier.
FEATURES += [
    Feature(
        id="diagnosis",
        key="b",
        description="Diagnostic",
        palette="Dossier : diagnostiquer un blocage (message d'erreur, causes, remèdes)",
        handler="espace_tui.tui.screens.diagnosis:open_diagnosis",
        writes=True,
    ),
    Feature(
        id="checks",
        key="B",
        description="Vérifications",
        palette="Diagnostic : vérifications automatiques (délais, espaces, mandats, e-mails)",
        handler="espace_tui.tui.screens.checks:open_checks",
        needs_dossier=False,
        show=False,
    ),
]

# Dates and mandate (QA findings): a step at a past date, the dossier's dated facts, the
# B2B mandate's progress.
FEATURES += [
    Feature(
        id="tick_at",
        key="t",
        description="Cocher à une date",
        palette="Dossier : cocher une étape à une date passée…",
        handler="espace_tui.tui.screens.dates:open_tick_at",
        writes=True,
    ),
    Feature(
        id="facts",
        key="D",
        description="Dates",
        palette="Dossier : date d'impression du courrier, date du premier paiement",
        handler="espace_tui.tui.screens.dates:open_facts",
        writes=True,
        show=False,
    ),
    Feature(
        id="mandate",
        key="m",
        description="Mandat",
        palette="Dossier : suivi du mandat B2B (à imprimer, envoyé, enregistré)",
        handler="espace_tui.tui.screens.dates:open_mandate",
        writes=True,
        show=False,
    ),
]

# Alerts for a dashboard left open: which channels (toast, bell, desktop notification).
FEATURES += [
    Feature(
        id="alert_settings",
        key="f2",
        description="Alertes",
        palette="Réglages : alertes (notification, sonnerie, notification du bureau)",
        handler="espace_tui.tui.screens.alert_settings:open_alert_settings",
        needs_dossier=False,
        writes=True,
        show=False,
    ),
]

# Working fast: marks for batch actions, « Qui » filter.
FEATURES += [
    Feature(
        id="mark",
        key="v",
        description="Marquer",
        palette="Liste : marquer / démarquer le dossier (actions groupées)",
        handler="espace_tui.tui.screens.batch:toggle_mark",
    ),
    Feature(
        id="mark_all",
        key="asterisk",
        description="Tout marquer",
        palette="Liste : marquer tous les dossiers affichés (ou tout démarquer)",
        handler="espace_tui.tui.screens.batch:mark_all",
        needs_dossier=False,
        show=False,
    ),
    Feature(
        id="batch",
        key="M",
        description="Actions groupées",
        palette="Dossiers marqués : cocher, dater, mandat, lettres, export (aperçu, confirmation)",
        handler="espace_tui.tui.screens.batch:open_batch",
        needs_dossier=False,
        writes=True,
    ),
    Feature(
        id="owner_filter",
        key="w",
        description="Qui",
        palette="Liste : n'afficher que ce qui attend le cabinet, le client, la DGFiP, la banque",
        handler="espace_tui.tui.screens.batch:cycle_owner_filter",
        needs_dossier=False,
    ),
]

# "package.module:function" called once with the main screen (a Dashboard) once it is shown
# (e.g. a first-run screen pushed when the data folder is empty).
STARTUP_HOOKS: list[str] = ["espace_tui.tui.screens.first_run_check:maybe_show"]


def resolve(target: str) -> Callable[..., None]:
    module_name, _, attribute = target.partition(":")
    function: Callable[..., None] = getattr(importlib.import_module(module_name), attribute)
    return function


def feature(feature_id: str) -> Feature:
    for item in FEATURES:
        if item.id == feature_id:
            return item
    raise KeyError(feature_id)
