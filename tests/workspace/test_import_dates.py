"""Date columns of an imported client list: French forms, Paris time, refusals per line."""

from __future__ import annotations

from datetime import datetime

from espace_tui.domain.clock import PARIS
from espace_tui.workspace import Workspace
from espace_tui.workspace.csv_import import parse_csv_text

HEADER = "siren;nom;mode;formulaire;date_lien_email;courrier_imprime\n"


def test_steps_and_facts_dated_the_french_way(workspace: Workspace) -> None:
    parsed = parse_csv_text(
        HEADER
        + "552081317;Danone;simplifie;28/11/2026 14h30;hier;\n"
        + "732829320;Client B;simplifie;2026-11-20;;25/11\n"
    )
    assert parsed.ignored_columns == []
    report = workspace.import_drafts(parsed.rows)
    assert report.errors == []
    danone = workspace.get("552081317")
    assert danone.events == {
        "formulaire": datetime(2026, 11, 28, 14, 30, tzinfo=PARIS),
        "lien_email": datetime(2026, 11, 30, 9, 0, tzinfo=PARIS),  # « hier », frozen clock
    }
    assert danone.history[-1].action == "imported_dates"
    other = workspace.get("732829320")
    assert other.events["courrier_imprime"] == datetime(2026, 11, 25, tzinfo=PARIS)


def test_bad_dates_refuse_their_line_in_french(workspace: Workspace) -> None:
    parsed = parse_csv_text(
        HEADER
        + "552081317;Danone;simplifie;29/03/2026 02h30;;\n"
        + "732829320;Client B;simplifie;;demain;\n"
        + "443061841;Client C;simplifie;05/12/2026;;\n"
    )
    report = workspace.import_drafts(parsed.rows)
    errors = dict(report.errors)
    assert "n'existe pas à Paris" in errors[2]
    assert errors[3].startswith("Colonne lien_email : « demain »")
    assert "dans le futur" in errors[4]
    assert workspace.dossiers() == []  # all or nothing
