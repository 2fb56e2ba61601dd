"""Each export parsed back with a real reader (json, csv, html.parser), for the demo cabinet."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from espace_tui.domain.clock import PARIS
from espace_tui.domain.identifiers import mask_iban
from espace_tui.domain.validation import DossierDraft
from espace_tui.report.export import FORMATS, export_bytes
from espace_tui.workspace import Workspace
from tests.report.demo_data import DEMO_COUNT, secrets

GARAGE = "813392966"  # Garage des Alpes: form sent 60 h ago, link to click within 12 h
LIBRAIRIE = "820723997"  # Librairie Papier: blocked, « déjà un adhérent »
LIB_NAME = "Librairie Papier"
PHARMACIE = "819676701"  # Pharmacie du Centre: B2B mandate sent to the bank
DEMO_COUNTS = {"urgent": 4, "expired": 3, "blocked": 2, "soon": 4, "ok": 5, "done": 4}
HOSTILE_NAME = "<script>alert(1)</script> | *Cie* & [/] {cabinet}"


def export(workspace: Workspace, fmt: str, statuses: tuple[Any, ...] = ()) -> bytes:
    return export_bytes(workspace, fmt, statuses)


def add_hostile(workspace: Workspace) -> None:
    workspace.add_dossier(
        DossierDraft(
            siren="552081317",
            name=HOSTILE_NAME,
            mode="simplifie",
            notes='=HYPERLINK("http://x") <img src=x onerror=alert(1)>',
        )
    )


# -- JSON ------------------------------------------------------------------------------


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value] + [k2 for v in value.values() for k2 in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def test_json_report_holds_cabinet_date_counts_and_dossiers(demo: Workspace) -> None:
    data = json.loads(export(demo, "json"))
    assert data["cabinet"]["name"] == "Cabinet Durand & Associés"
    assert datetime.fromisoformat(data["generated_at"]) == datetime(2026, 12, 1, 9, tzinfo=PARIS)
    assert data["counts"] == DEMO_COUNTS
    assert data["total"] == data["selected"] == len(data["dossiers"]) == DEMO_COUNT
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in _keys(data))
    garage = next(d for d in data["dossiers"] if d["siren"] == GARAGE)
    assert garage["status"] == "urgent"
    assert garage["next_deadline"] == "2026-12-01T21:00:00+01:00"
    assert garage["next_step"] == "lien_email"
    librairie = next(d for d in data["dossiers"] if d["siren"] == LIBRAIRIE)
    (blockage,) = librairie["blockages"]
    assert blockage["kind"] == "deja_adherent"
    assert blockage["kind_label"] == "Déjà un adhérent pour ce SIREN"
    # Sorted by urgency: every urgent dossier before the first finished one.
    statuses = [d["status"] for d in data["dossiers"]]
    assert statuses.index("done") > max(i for i, s in enumerate(statuses) if s == "urgent")


def test_filter_accepts_french_labels_and_keeps_the_counts(demo: Workspace) -> None:
    from espace_tui.report.model import parse_statuses

    data = json.loads(export(demo, "json", parse_statuses(["expiré,Bloque"])))
    assert {d["status"] for d in data["dossiers"]} == {"expired", "blocked"}
    assert data["selected"] == DEMO_COUNTS["expired"] + DEMO_COUNTS["blocked"]
    assert data["filter"] == ["expired", "blocked"]
    assert data["total"] == DEMO_COUNT


def test_a_filtered_export_says_the_counts_cover_every_dossier(demo: Workspace) -> None:
    """The counts (all dossiers) above a filtered list must not read as a contradiction."""
    from espace_tui.report.model import parse_statuses

    statuses = parse_statuses(["expiré,bloqué"])
    selected = DEMO_COUNTS["expired"] + DEMO_COUNTS["blocked"]
    selection = f"Sélection : {selected} dossier(s) sur {DEMO_COUNT} (filtre : expiré, bloqué)"
    preamble, rows = _csv(export(demo, "csv", statuses))
    assert len(rows) == selected
    assert preamble["Tous les dossiers : urgent"] == str(DEMO_COUNTS["urgent"])
    assert preamble["Tous les dossiers : total"] == str(DEMO_COUNT)
    assert f"Sélection : {preamble['Sélection']}" == selection
    markdown = export(demo, "md", statuses).decode()
    counts_at, selection_at = markdown.index("**Tous les dossiers**"), markdown.index(selection)
    # The counts, then the selection line, then the selected dossiers.
    assert counts_at < markdown.index("| **total** | **22** |") < selection_at
    assert selection_at < markdown.index("\n## ")
    html = export(demo, "html", statuses).decode()
    assert "<caption>Tous les dossiers</caption>" in html
    assert f'<p class="selection">{selection}.</p>' in html
    assert html.index("<caption>") < html.index('class="selection"') < html.index("<section")


# -- CSV -------------------------------------------------------------------------------


def _csv(payload: bytes) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The preamble (label → value) and the dossier rows, read like Excel would."""
    assert payload.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig")), delimiter=";"))
    blank = rows.index([])
    preamble = {row[0]: row[1] for row in rows[:blank]}
    header = rows[blank + 1]
    return preamble, [dict(zip(header, row, strict=True)) for row in rows[blank + 2 :]]


def test_csv_for_excel(demo: Workspace) -> None:
    preamble, rows = _csv(export(demo, "csv"))
    assert preamble["Cabinet"] == "Cabinet Durand & Associés"
    assert preamble["Date du rapport"] == "01/12/2026 09:00"
    assert preamble["Tous les dossiers : urgent"] == "4"
    assert preamble["Tous les dossiers : total"] == str(DEMO_COUNT)
    assert preamble["Sélection"] == f"tous les dossiers ({DEMO_COUNT})"
    assert len(rows) == DEMO_COUNT
    garage = next(r for r in rows if r["SIREN"] == GARAGE)
    assert garage["Nom"] == "Garage des Alpes"
    assert garage["Statut"] == "urgent"
    assert garage["Prochaine échéance"] == "01/12/2026 21:00"
    assert garage["Délai"] == "12 h"
    assert "[x] Remplir le formulaire" in garage["Étapes"]
    assert "(Client) : échéance 01/12/2026 21:00" in garage["Étapes"]
    librairie = next(r for r in rows if r["SIREN"] == LIBRAIRIE)
    assert "Déjà un adhérent pour ce SIREN" in librairie["Blocages ouverts"]
    pharmacie = next(r for r in rows if r["SIREN"] == PHARMACIE)
    assert "envoyé à la banque" in pharmacie["Compte et mandat"]


def test_csv_defuses_formulas(demo: Workspace) -> None:
    add_hostile(demo)
    _, rows = _csv(export(demo, "csv"))
    hostile = next(r for r in rows if r["SIREN"] == "552081317")
    assert hostile["Nom"] == HOSTILE_NAME
    assert hostile["Notes"].startswith("'=HYPERLINK")


# -- HTML ------------------------------------------------------------------------------


class ReportParser(HTMLParser):
    """Collects the dossier sections, their text, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.sections: list[dict[str, Any]] = []
        self.title = ""
        self._in_title = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if tag == "title":
            self._in_title = True
        if tag == "section" and attributes.get("class") == "dossier":
            self.sections.append({"status": attributes["data-status"], "text": ""})
            self._depth = 1
        elif tag == "section" and self._depth:
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "section" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._depth:
            self.sections[-1]["text"] += data


def parse_html(payload: bytes) -> ReportParser:
    parser = ReportParser()
    parser.feed(payload.decode("utf-8"))
    parser.close()
    return parser


def test_html_is_self_contained_with_a_section_per_dossier(demo: Workspace) -> None:
    payload = export(demo, "html")
    parsed = parse_html(payload)
    assert parsed.title == "Suivi des espaces professionnels — Cabinet Durand & Associés"
    assert "Rapport du 1er déc. 2026 à 09:00" in payload.decode()
    assert len(parsed.sections) == DEMO_COUNT
    assert [s["status"] for s in parsed.sections].count("urgent") == DEMO_COUNTS["urgent"]
    garage = next(s["text"] for s in parsed.sections if "Garage des Alpes" in s["text"])
    assert "813 392 966" in garage
    assert "01/12/2026 21:00 (12 h)" in garage
    assert "Cliquer sur le lien de validation reçu par e-mail" in garage
    # Self-contained: nothing fetched, nothing run; printable one section per page.
    assert not {"script", "link", "img", "iframe"} & set(parsed.tags)
    text = payload.decode()
    assert "page-break-before: always" in text and "@page" in text
    assert not re.search(r"(src|href)=", text)


def test_html_escapes_user_text(demo: Workspace) -> None:
    add_hostile(demo)
    parsed = parse_html(export(demo, "html"))
    assert "script" not in parsed.tags and parsed.tags.count("img") == 0
    hostile = next(s["text"] for s in parsed.sections if "552 081 317" in s["text"])
    assert HOSTILE_NAME in hostile


def test_open_blockage_shows_the_remedy_chosen(demo: Workspace) -> None:
    (blockage,) = demo.get(LIBRAIRIE).open_blockages
    _, rows = _csv(export(demo, "csv"))
    row = next(r for r in rows if r["SIREN"] == LIBRAIRIE)
    assert "remède : aucun remède choisi" in row["Blocages ouverts"]
    demo.choose_remedy(LIBRAIRIE, blockage.id, "delegation")
    _, rows = _csv(export(demo, "csv"))
    row = next(r for r in rows if r["SIREN"] == LIBRAIRIE)
    expected = "remède : Demander au titulaire actuel de déléguer ou de se retirer"
    assert expected in row["Blocages ouverts"]
    section = next(
        s["text"] for s in parse_html(export(demo, "html")).sections if LIB_NAME in s["text"]
    )
    assert expected in section
    assert expected in export(demo, "md").decode()


def test_cabinet_siren_is_grouped_like_every_other_siren(demo: Workspace) -> None:
    demo.set_cabinet("Cabinet Durand & Associés", "552081317")
    html = export(demo, "html").decode()
    assert "SIREN du cabinet" in html and "552081317" not in html
    assert '<span class="siren">552 081 317</span>' in html
    assert "SIREN du cabinet : 552 081 317." in export(demo, "md").decode()


# -- Markdown --------------------------------------------------------------------------


def test_markdown_report(demo: Workspace) -> None:
    add_hostile(demo)
    text = export(demo, "md").decode()
    assert text.startswith("# Suivi des espaces professionnels — Cabinet Durand & Associés\n")
    assert "Rapport du 01/12/2026 09:00 (heure de Paris)." in text
    assert "| urgent | 4 |" in text
    assert len(re.findall(r"^## ", text, flags=re.M)) == DEMO_COUNT + 1
    assert "## 813 392 966 — Garage des Alpes" in text
    # The hostile name cannot open a table cell, emphasis or raw HTML.
    heading = next(line for line in text.splitlines() if line.startswith("## 552 081 317"))
    assert "<script>" not in heading and r"\|" in heading and r"\*Cie\*" in heading


# -- Secrets ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_export_holds_a_full_iban_or_an_activation_code(demo: Workspace, fmt: str) -> None:
    payload = export(demo, fmt)
    # ICS folds long lines: unfold before searching.
    text = payload.decode("utf-8").replace("\r\n ", "").replace("\\n", "\n")
    for secret in secrets(demo):
        assert secret not in text
    if fmt != "ics":  # the masked form is there instead
        unescaped = text.replace("\\*", "*")
        masked = [mask_iban(d.bank.iban) for d in demo.dossiers() if d.bank is not None]
        assert masked and all(m in unescaped for m in masked)


def test_empty_cabinet_exports(workspace: Workspace) -> None:
    assert json.loads(export(workspace, "json"))["dossiers"] == []
    _, rows = _csv(export(workspace, "csv"))
    assert rows == []
    assert parse_html(export(workspace, "html")).sections == []
