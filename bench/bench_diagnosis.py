"""Diagnosis timings: matching short messages and a pasted mailbox, and the automatic checks
over a large cabinet (what the dialogs compute when they open).

Run: .venv/bin/python bench/bench_diagnosis.py [--dossiers 1000] [--max-ms 200]
Exits 1 when the mailbox match or the checks take longer than --max-ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import datetime

from espace_tui.domain.checks import run_checks
from espace_tui.domain.clock import PARIS
from espace_tui.domain.diagnosis import diagnose
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.dossier import ExpertSpace
from espace_tui.workspace.demo import demo_dossiers, demo_siren

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
SHORT = [kind.message for kind in CATALOGUE] + ["lien expiré", "Merci pour la facture"]
MAILBOX = (
    "Il existe déjà un adhérent aux téléprocédures pour ce SIREN\n\n"
    + "> Bonjour, suite à notre échange de la semaine dernière, voici les pièces. " * 1300
)


def timed_ms(run: object, repeat: int = 1) -> float:
    assert callable(run)
    start = time.perf_counter()
    for _ in range(repeat):
        run()
    return (time.perf_counter() - start) * 1000 / repeat


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--max-ms", type=float, default=200.0)
    args = parser.parse_args()

    diagnose("warm-up: build the index once")
    short = timed_ms(lambda: [diagnose(m) for m in SHORT], repeat=20) / len(SHORT)
    print(f"message court      : {short:8.2f} ms par message ({len(SHORT)} messages)")
    mailbox = timed_ms(lambda: diagnose(MAILBOX))
    found = diagnose(MAILBOX).candidates[0].kind.id
    print(f"boîte mail collée  : {mailbox:8.2f} ms ({len(MAILBOX) // 1000} k caractères → {found})")

    templates = demo_dossiers(NOW)
    dossiers = [
        replace(
            template,
            siren=demo_siren(i),
            name=f"Client {i:04d}",
            # One login per client, as the Workspace enforces.
            email_connexion=f"gerant{i}@client.fr" if template.email_connexion else "",
        )
        for i, template in ((i, templates[i % len(templates)]) for i in range(args.dossiers))
    ]
    spaces = [
        ExpertSpace("principal", "Principal", "experts@cabinet.fr", NOW),
        ExpertSpace("annexe", "Annexe", "lyon@cabinet.fr", NOW),
    ]
    checks = timed_ms(lambda: run_checks(dossiers, spaces, NOW))
    findings = run_checks(dossiers, spaces, NOW)
    print(
        f"vérifications      : {checks:8.2f} ms ({len(dossiers)} dossiers, {len(findings)} alertes)"
    )

    worst = max(mailbox, checks)
    if worst > args.max_ms:
        print(f"TROP LENT : {worst:.0f} ms > {args.max_ms:.0f} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
