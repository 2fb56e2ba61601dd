"""Hostile input: odd identifiers, broken CSV files, ANSI sequences and Rich markup.

Whatever is typed or imported: a French refusal naming the field (exit 2), or the value
shown as text; never a traceback, never an escape sequence reaching the terminal.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from espace_tui.cli import main
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import (
    normalize_bic,
    normalize_email,
    normalize_iban,
    normalize_siren,
)
from espace_tui.domain.validation import DossierDraft, clean_draft, clean_name, clean_notes
from espace_tui.store import atomic
from espace_tui.workspace import Workspace, csv_import
from tests.sirens import valid_sirens

CAPTURE = pytest.CaptureFixture[str]
ANSI = ["\x1b[2J\x1b[H", "\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x9b31m", "a\x07b", "\x1b[?1049h"]
MARKUP = ["[@click=app.quit]x[/]", "[/]", "[bold red]gras[/]", "[link=https://x.fr]x[/link]"]


def _run(argv: list[str], capsys: CAPTURE) -> tuple[int, str, str]:
    """Run one command; fail on anything but a success or a French refusal.

    An exception nobody expected exits with EXIT_INTERNAL and « Erreur inattendue »: both
    are checked, so a crash can never pass for a refusal.
    """
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse refusing the arguments (usage on stderr)
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    assert code != EXIT_INTERNAL and "Erreur inattendue" not in err, (argv, code, err)
    assert code in (EXIT_OK, EXIT_FAILURE, EXIT_INVALID), (argv, code, err)
    assert "Traceback" not in out + err
    assert "\x1b" not in out + err and "\x9b" not in out + err, (argv, out, err)
    assert "\x07" not in out + err
    return code, out, err


@pytest.mark.parametrize(
    ("raw", "accepted"),
    [
        ("552 081 317", True),
        ("552.081.317", True),
        (" 552081317 ", True),
        ("55208131A", False),
        ("５５２０８１３１７", False),  # fullwidth digits
        ("٥٥٢٠٨١٣١٧", False),  # Arabic-Indic digits
        ("55208131", False),
        ("5520813170", False),
        ("552081318", False),  # bad check digit
        ("", False),
        ("\x1b[31m552081317", False),
    ],
)
def test_sirens(raw: str, accepted: bool, cli_env: Path, capsys: CAPTURE) -> None:
    code, out, err = _run(["add", raw, "--nom", "Danone", "--mode", "simplifie"], capsys)
    if accepted:
        assert code == 0 and "552 081 317" in out
    else:
        assert code == 2 and err.startswith("Erreur : SIREN : ")


@pytest.mark.parametrize(
    "email",
    [
        "a",
        "a@",
        "@b.fr",
        "a@@b.fr",
        "a b@c.fr",
        "a@b",
        "a@b..fr",
        "a@-b.fr",
        "é@" + "x" * 300 + ".fr",
    ],
)
def test_malformed_emails_are_refused(email: str, cli_env: Path, capsys: CAPTURE) -> None:
    code, _, err = _run(
        ["add", "552081317", "--nom", "D", "--mode", "simplifie", "--email-entreprise", email],
        capsys,
    )
    assert code == 2 and "E-mail de l'entreprise" in err


@pytest.mark.parametrize(
    "iban",
    [
        "FR76 3000 6000 0112 3456 7890 188",  # bad checksum
        "FR76",
        "FR76-3000-6000-0112-3456-7890-189",
        "XX00 0000",
        "FR763000600001123456789018９",
        "1234567890",
    ],
)
def test_malformed_ibans_are_refused(iban: str, cli_env: Path, capsys: CAPTURE) -> None:
    code, out, err = _run(
        [
            "add",
            "552081317",
            "--nom",
            "D",
            "--mode",
            "simplifie",
            "--iban",
            iban,
            "--bic",
            "BNPAFRPP",
        ],
        capsys,
    )
    assert code == 2 and "IBAN" in err
    assert "30006000" not in out


def test_ansi_in_names_and_notes_refused_markup_shown_as_text(
    cli_env: Path, capsys: CAPTURE
) -> None:
    for text in ANSI:
        code, _, err = _run(["add", "552081317", "--nom", text, "--mode", "simplifie"], capsys)
        assert code == 2 and "Nom" in err
        code, _, err = _run(
            ["add", "552081317", "--nom", "D", "--mode", "simplifie", "--notes", text], capsys
        )
        assert code == 2 and "Notes" in err
    for siren, text in zip(valid_sirens(len(MARKUP)), MARKUP, strict=True):
        code, _, _ = _run(
            ["add", siren, "--nom", text, "--mode", "simplifie", "--notes", f"note {text}"], capsys
        )
        assert code == 0
        _, out, _ = _run(["show", siren], capsys)
        assert text in out and f"Notes : note {text}" in out  # literally, not interpreted
    _, out, _ = _run(["list"], capsys)
    assert all(text in out for text in MARKUP)
    _, out, _ = _run(["list", "--format", "json"], capsys)
    assert {r["name"] for r in json.loads(out)} == set(MARKUP)


NAMES = st.text(max_size=40)


VALIDATORS: tuple[Callable[[str], object], ...] = (
    normalize_siren,
    lambda r: normalize_email(r, "E-mail"),
    normalize_iban,
    normalize_bic,
    clean_name,
    clean_notes,
    lambda r: clean_draft(DossierDraft(siren=r, name=r, mode=r, iban=r, bic=r)),
)


def test_no_string_crashes_the_validators(figures: Callable[[str], None]) -> None:
    tried = {"strings": 0, "refused": 0}

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(raw=st.text(max_size=60))
    @example(raw="\x00")
    @example(raw="٥٥٢٠٨١٣١٧")
    def run(raw: str) -> None:
        tried["strings"] += 1
        for check in VALIDATORS:
            try:
                check(raw)
            except InvalidInput as err:
                tried["refused"] += 1
                assert err.field and err.message.startswith(f"{err.field} : ")
                assert "\x1b" not in err.message

    run()
    figures(
        f"{tried['strings']} generated strings × {len(VALIDATORS)} validators: "
        f"{tried['refused']} refusals in French, 0 crashes"
    )


def test_an_unexpected_error_fails_the_check(
    cli_env: Path, capsys: CAPTURE, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fuzz tests below rely on `_run` to see a crash: a bug injected deep in a
    command must exit EXIT_INTERNAL, in French, without a traceback, and fail the check."""
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == EXIT_OK

    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Workspace, "state", bug)
    capsys.readouterr()
    assert main(["show", "552081317"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Erreur inattendue (ZeroDivisionError)" in err and "Traceback" not in err
    with pytest.raises(AssertionError):
        _run(["show", "552081317"], capsys)


def test_no_argument_crashes_the_cli(
    cli_env: Path, capsys: CAPTURE, figures: Callable[[str], None]
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    capsys.readouterr()
    tried = {"n": 0}
    before = {"codes": set()}  # type: dict[str, set[int]]

    commands = st.one_of(
        st.tuples(st.just("add"), NAMES, st.just("--nom"), NAMES, st.just("--mode"), NAMES),
        st.tuples(
            st.just("add"),
            st.sampled_from(valid_sirens(50)),
            st.just("--nom"),
            NAMES,
            st.just("--mode"),
            st.sampled_from(["simplifie", "expert"]),
            st.just("--notes"),
            NAMES,
        ),
        st.tuples(
            st.just("add"),
            st.sampled_from(valid_sirens(50)),
            st.just("--nom"),
            st.just("Client"),
            st.just("--mode"),
            st.just("simplifie"),
            st.sampled_from(["--email-entreprise", "--iban", "--bic", "--mandat"]),
            NAMES,
        ),
        st.tuples(
            st.just("tick"),
            st.just("552081317"),
            st.sampled_from(["formulaire", "lien_email", "activation"]),
            st.just("--at"),
            st.one_of(NAMES, st.datetimes().map(lambda d: d.isoformat())),
        ),
        st.tuples(st.just("tick"), NAMES, NAMES),
        st.tuples(st.just("tick"), st.just("552081317"), NAMES, st.just("--at"), NAMES),
        st.tuples(st.just("untick"), NAMES, NAMES),
        st.tuples(st.just("show"), NAMES),
        st.tuples(st.just("restore"), NAMES),
        st.tuples(st.just("import"), NAMES),
    )

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(argv=commands)
    @example(argv=("add", "\x1b[2J", "--nom", "[/]", "--mode", "\x1b[31m"))
    @example(argv=("tick", "552081317", "\x1b]52;c;aGk=\x07"))
    @example(argv=("tick", "", "-\x07"))  # an unknown option quoted back by argparse
    @example(argv=("import", "/dev/zero"))
    @example(argv=("restore", "[@click=app.quit]"))
    @example(argv=("restore", "~0"))  # `~user` of no known user
    def run(argv: tuple[str, ...]) -> None:
        tried["n"] += 1
        code, _, _ = _run(list(argv), capsys)
        before["codes"].add(code)

    run()
    figures(
        f"{tried['n']} generated command lines: exit codes {sorted(before['codes'])}, 0 crashes"
    )


CSV_ROWS = st.lists(
    st.lists(st.text(max_size=15), min_size=0, max_size=5).map(";".join), max_size=20
).map(lambda rows: ("siren;nom;mode;email_connexion\n" + "\n".join(rows)).encode())


def test_no_file_crashes_the_import(
    cli_env: Path, tmp_path: Path, capsys: CAPTURE, figures: Callable[[str], None]
) -> None:
    path = tmp_path / "clients.csv"
    codes: dict[int, int] = {}

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(content=st.one_of(st.binary(max_size=3000), CSV_ROWS, st.text().map(str.encode)))
    @example(content=b"siren;nom;mode\n\x1b[2J;\x1b[31m;simplifie\n")
    @example(content=b"siren;nom;mode;email_connexion\n552081317;Danone\n;\n")  # short rows
    @example(content=b"siren;nom\x1b[5m;mode;col\x1b[2J\n552081317;A;simplifie;x\n")
    def run(content: bytes) -> None:
        path.write_bytes(content)
        code, _, _ = _run(["import", str(path), "--skip-invalid"], capsys)
        codes[code] = codes.get(code, 0) + 1

    run()
    figures(f"{sum(codes.values())} generated CSV files imported: exit codes {codes}, 0 crashes")


# -- CSV files as people and programs produce them -------------------------------------


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "clients.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_latin1_file_is_read_with_its_accents(
    cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    name = "Société Générale Crèmerie"
    csv_file = _csv(tmp_path, f"siren;nom;mode\n552081317;{name};simplifié\n", "latin-1")
    code, _, err = _run(["import", csv_file], capsys)
    assert code == 0 and "Windows-1252" in err
    _, out, _ = _run(["list", "--format", "json"], capsys)
    assert json.loads(out)[0]["name"] == name


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_usual_delimiters_are_recognised(
    delimiter: str, cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    rows = ["siren", "nom", "mode"], ["552081317", "Danone", "simplifie"]
    csv_file = _csv(tmp_path, "\n".join(delimiter.join(r) for r in rows) + "\n")
    assert _run(["import", csv_file], capsys)[0] == 0


def test_unknown_delimiter_or_missing_columns_refused_naming_them(
    cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    code, _, err = _run(
        ["import", _csv(tmp_path, "siren|nom|mode\n552081317|D|simplifie\n")], capsys
    )
    assert code == 2 and "colonnes manquantes" in err
    code, _, err = _run(["import", _csv(tmp_path, "siren;raison\n552081317;D\n")], capsys)
    assert code == 2 and "nom" in err and "mode" in err


def test_duplicate_rows_merged_and_said_with_their_lines(
    cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    # Two rows of one SIREN are two establishments of one company: one dossier, said once.
    text = "siren;nom;mode\n552081317;D;simplifie\n552 081 317;D;simplifie\n"
    code, out, err = _run(["import", _csv(tmp_path, text)], capsys)
    assert code == 0 and "1 dossier(s) importé(s)" in out
    assert err.count("sur 2 lignes (2, 3)") == 1
    _, out, _ = _run(["list", "--format", "json"], capsys)
    assert [d["siren"] for d in json.loads(out)] == ["552081317"]


def test_a_row_clashing_with_a_saved_dossier_imports_nothing(
    cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    assert _run(["add", "552081317", "--nom", "D", "--mode", "simplifie"], capsys)[0] == 0
    before = (cli_env / "espace-tui.json").read_bytes()
    text = "siren;nom;mode\n732829320;Neuf;simplifie\n552081317;D;simplifie\n"
    code, _, err = _run(["import", _csv(tmp_path, text)], capsys)
    assert code == 2 and "Ligne 3" in err and "Rien n'a été importé" in err
    assert (cli_env / "espace-tui.json").read_bytes() == before  # the valid row neither
    code, out, _ = _run(["import", _csv(tmp_path, text), "--skip-invalid"], capsys)
    assert code == 0 and "1 dossier(s) importé(s)" in out
    _, out, _ = _run(["list", "--format", "json"], capsys)
    assert sorted(r["siren"] for r in json.loads(out)) == ["552081317", "732829320"]


def test_ten_thousand_rows_in_one_write(
    cli_env: Path,
    tmp_path: Path,
    capsys: CAPTURE,
    monkeypatch: pytest.MonkeyPatch,
    figures: Callable[[str], None],
) -> None:
    lines = ["siren;nom;mode;notes"]
    lines += [f"{s};Client {i};simplifie;ligne {i}" for i, s in enumerate(valid_sirens(10_000))]
    csv_file = _csv(tmp_path, "\n".join(lines) + "\n")
    writes: list[Path] = []
    real = atomic.atomic_write_bytes

    def counting(path: Path, payload: bytes) -> None:
        writes.append(path)
        real(path, payload)

    monkeypatch.setattr(atomic, "atomic_write_bytes", counting)
    started = time.perf_counter()
    code, out, _ = _run(["import", csv_file], capsys)
    elapsed = time.perf_counter() - started
    assert code == 0 and "10000 dossier(s) importé(s)" in out
    assert len(writes) == 1
    figures(f"10,000-row CSV imported in one write, {elapsed:.1f} s")  # bench/ tracks speed


@pytest.mark.parametrize("target", ["50 MB file", "/dev/zero", "a folder"])
def test_huge_or_endless_inputs_refused_in_bounded_memory(
    target: str, cli_env: Path, tmp_path: Path, capsys: CAPTURE
) -> None:
    import tracemalloc

    if target == "50 MB file":
        path = tmp_path / "enorme.csv"
        with path.open("wb") as handle:
            handle.write(b"siren;nom;mode\n")
            handle.truncate(50 * 1024 * 1024)
        arg = str(path)
    elif target == "a folder":
        arg = str(tmp_path)
    else:
        arg = target
    tracemalloc.start()
    try:
        code, _, err = _run(["import", arg], capsys)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2 and "Fichier CSV" in err
    assert peak < csv_import.MAX_BYTES + 4 * 1024 * 1024


def test_escape_sequences_in_a_hand_edited_file_are_shown_escaped(
    cli_env: Path, capsys: CAPTURE
) -> None:
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "simplifie"]) == 0
    data = cli_env / "espace-tui.json"
    doc = json.loads(data.read_bytes())
    record = doc["dossiers"]["552081317"]
    record["name"] = "Dan\x1b[2Jone"
    record["notes"] = "ligne 1\nligne \x1b]52;c;aGk=\x07 2"
    data.write_text(json.dumps(doc), encoding="utf-8")
    for argv in (["list"], ["show", "552081317"], ["list", "--format", "json"]):
        _, out, _ = _run(argv, capsys)  # asserts no ESC or BEL reached the output
        assert "Dan" in out
    _, out, _ = _run(["show", "552081317"], capsys)
    assert "Dan\\x1b[2Jone" in out and "ligne 1" in out
