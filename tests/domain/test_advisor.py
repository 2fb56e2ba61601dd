"""The mode chooser: every path through its questions, and what each recommends."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.advisor import (
    QUESTIONS,
    RULES,
    first_rule,
    next_question,
    parse_answer,
    recommend,
)
from espace_tui.domain.dossier import Mode
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.procedures import PROCEDURES

Y, N = True, False

# The expected leaves, written from PROCEDURE.md « Choosing the mode » and the seed tutorial:
# (answers along the path) -> (procedure, rule). « The SIREN already has an espace / services
# [...] → expert »: an existing espace leads to the expert adhesion (substitution only if the
# site then refuses it), never straight to the substitution.
EXPECTED_PATHS: dict[tuple[tuple[str, bool], ...], tuple[str, str]] = {
    (("pour_elle_meme", Y), ("services_existants", Y)): ("adhesion_expert", "espace_existant"),
    (("pour_elle_meme", N), ("services_existants", Y)): ("adhesion_expert", "espace_existant"),
    (
        ("pour_elle_meme", Y),
        ("services_existants", N),
        ("collectivite", N),
        ("gestion_partagee", Y),
    ): ("adhesion_expert", "gestion_partagee"),
    (("pour_elle_meme", Y), ("services_existants", N), ("collectivite", Y)): (
        "adhesion_expert",
        "collectivite",
    ),
    (("pour_elle_meme", N), ("services_existants", N), ("collectivite", Y)): (
        "adhesion_expert",
        "collectivite",
    ),
    (
        ("pour_elle_meme", Y),
        ("services_existants", N),
        ("collectivite", N),
        ("gestion_partagee", N),
        ("plusieurs_societes", N),
    ): ("simplifie", "entreprise_seule"),
    (
        ("pour_elle_meme", Y),
        ("services_existants", N),
        ("collectivite", N),
        ("gestion_partagee", N),
        ("plusieurs_societes", Y),
    ): ("adhesion_expert", "plusieurs_entreprises"),
    (("pour_elle_meme", N), ("services_existants", N), ("collectivite", N)): (
        "adhesion_expert",
        "cabinet_pour_client",
    ),
}


def walk(
    answers: tuple[tuple[str, bool], ...] = (),
) -> list[tuple[tuple[tuple[str, bool], ...], str, str]]:
    """Every path the interactive chooser can take, as a user answering would."""
    question = next_question(dict(answers))
    if question is None:
        result = recommend(dict(answers))
        return [(answers, result.procedure.id, result.rule.id)]
    return walk((*answers, (question.id, Y))) + walk((*answers, (question.id, N)))


def test_every_path_through_the_questions_leads_to_the_expected_route() -> None:
    leaves = {path: (proc, rule) for path, proc, rule in walk()}
    assert leaves == EXPECTED_PATHS


def all_combinations() -> list[dict[str, bool]]:
    ids = [q.id for q in QUESTIONS]
    return [
        dict(zip(ids, values, strict=True)) for values in itertools.product((Y, N), repeat=len(ids))
    ]


def test_the_rules_cover_every_combination_and_each_rule_is_reachable() -> None:
    fired = set()
    for answers in all_combinations():
        rule = first_rule(answers)
        assert rule is not None, answers
        fired.add(rule.id)
        assert recommend(answers).rule is rule
    assert fired == {r.id for r in RULES}


def test_an_existing_espace_means_expert_adhesion_with_substitution_as_fallback() -> None:
    for answers in all_combinations():
        if answers["services_existants"]:
            result = recommend(answers)
            assert result.procedure.id == "adhesion_expert"
            assert result.mode is Mode.EXPERT
            # The reason says when to switch to the substitution, and how.
            assert "Il existe déjà un adhérent aux téléprocédures pour ce SIREN" in result.reason
            assert "substitution" in result.reason and "espace-tui diagnose" in result.reason
            # Or, when the client holds the espace itself, be given access to it.
            assert [p.id for p in result.alternatives] == ["habilitation", "substitution"]
    assert all(recommend(a).procedure.id != "substitution" for a in all_combinations())


def test_a_collectivite_is_never_sent_to_simplified_mode() -> None:
    for answers in all_combinations():
        if answers["collectivite"]:
            result = recommend(answers)
            assert result.mode is Mode.EXPERT
            if not answers["services_existants"]:
                assert result.procedure.id == "adhesion_expert"
                assert "collectivité territoriale" in result.reason


def test_simplified_mode_only_for_a_lone_company_without_a_space() -> None:
    simplified = [a for a in all_combinations() if recommend(a).procedure.id == "simplifie"]
    assert simplified == [
        {
            "pour_elle_meme": Y,
            "services_existants": N,
            "collectivite": N,
            "gestion_partagee": N,
            "plusieurs_societes": N,
        }
    ]


def test_simplified_mode_is_never_advised_when_the_cabinet_will_manage_the_services() -> None:
    """The official criterion: simplified mode is for a company « dont vous ne partagerez pas
    la gestion des services en ligne »; the question says why it matters."""
    for answers in all_combinations():
        if answers["gestion_partagee"]:
            assert recommend(answers).procedure.id != "simplifie"
    question = next(q for q in QUESTIONS if q.id == "gestion_partagee")
    assert "ne partagerez pas la gestion des services en ligne" in question.help
    assert "pas accès" in question.help


@pytest.mark.parametrize("path", list(EXPECTED_PATHS))
def test_countdowns_are_those_of_the_procedure_data(path: tuple[tuple[str, bool], ...]) -> None:
    result = recommend(dict(path))
    proc = PROCEDURES[result.procedure.id]
    expected = [(s.id, s.countdown.duration) for s in proc.steps if s.countdown is not None]
    assert [(d.step_id, d.duration) for d in result.deadlines] == expected
    assert all(d.text for d in result.deadlines)
    if result.procedure.id == "simplifie":
        assert result.prerequisite is None
        assert [d.window for d in result.deadlines] == ["72 h", "60 j", "avant le premier paiement"]
    else:
        assert result.prerequisite is not None
        assert result.prerequisite.procedure.id == "espace_expert"
        assert [d.window for d in result.prerequisite.deadlines] == ["48 h"]


def test_prerequisite_is_needed_only_without_an_expert_space() -> None:
    answers = {"pour_elle_meme": N, "services_existants": N, "collectivite": N}
    first = recommend(answers, has_expert_space=False).prerequisite
    second = recommend(answers, has_expert_space=True).prerequisite
    assert first is not None and first.needed
    assert second is not None and not second.needed


def test_missing_answer_names_the_flag_of_the_next_question() -> None:
    with pytest.raises(InvalidInput) as err:
        recommend({"pour_elle_meme": N, "services_existants": N})
    assert err.value.field == "--collectivite"
    with pytest.raises(InvalidInput) as err:
        recommend({})
    assert err.value.field == "--pour-elle-meme"


def test_parse_answer() -> None:
    question = QUESTIONS[0]
    assert parse_answer(" OUI ", question) is True
    assert parse_answer("o", question) is True
    assert parse_answer("Non", question) is False
    assert parse_answer("n", question) is False
    with pytest.raises(InvalidInput) as err:
        parse_answer("peut-être", question)
    assert err.value.field == "--pour-elle-meme"


# -- command line ------------------------------------------------------------------------


def _flags(path: tuple[tuple[str, bool], ...]) -> list[str]:
    out: list[str] = []
    for qid, value in path:
        out += ["--" + qid.replace("_", "-"), "oui" if value else "non"]
    return out


@pytest.mark.parametrize("path", list(EXPECTED_PATHS))
def test_cli_json_for_every_path(
    path: tuple[tuple[str, bool], ...], cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["conseil", *_flags(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    proc, rule = EXPECTED_PATHS[path]
    assert (data["procedure_id"], data["rule"]) == (proc, rule)
    assert data["answers"] == dict(path)
    assert data["reason"].endswith(".")
    assert {d["step_id"] for d in data["deadlines"]} == {
        s.id for s in PROCEDURES[proc].steps if s.countdown is not None
    }
    # Asking for advice on a fresh machine must not create the data folder.
    assert not cli_env.exists()


def test_cli_text_and_the_expert_space_already_declared(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ["--pour-elle-meme", "non", "--services-existants", "non", "--collectivite", "non"]
    assert main(["conseil", *flags]) == 0
    out = capsys.readouterr().out
    assert "Mode expert (adhésion depuis l'espace du cabinet)" in out
    assert "60 j après la date d'impression du courrier" in out
    assert "aucun n'est déclaré" in out and "48 h après" in out
    assert main(["espace", "add", "principal", "--email-connexion", "cab@example.fr"]) == 0
    capsys.readouterr()
    assert main(["conseil", *flags]) == 0
    out = capsys.readouterr().out
    assert "(déjà déclaré)" in out and "48 h après" not in out


def test_cli_missing_or_bad_answer_off_a_terminal_exits_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["conseil", "--pour-elle-meme", "oui", "--services-existants", "non"]) == 2
    assert "--collectivite" in capsys.readouterr().err
    assert main(["conseil", "--collectivite", "bof"]) == 2
    assert "--collectivite" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_cli_asks_only_the_needed_questions_on_a_terminal(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = iter(["peut-être", "oui", "non", "non", "non", "non"])
    asked: list[str] = []

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", fake_input)
    assert main(["conseil", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["procedure_id"] == "simplifie"
    # One refused answer, then the five questions of this path.
    assert len(asked) == 6
    assert "Répondez « oui » ou « non »" in captured.err
    for question in QUESTIONS:
        assert question.text in captured.err


def test_cli_on_a_terminal_stops_asking_once_decided(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = iter(["oui"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr("builtins.input", lambda _prompt: next(replies))
    assert main(["conseil", "--pour-elle-meme", "non", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["procedure_id"] == "adhesion_expert"


def test_cli_existing_espace_says_how_to_switch_to_the_substitution(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["conseil", "--pour-elle-meme", "non", "--services-existants", "oui"]) == 0
    out = capsys.readouterr().out
    assert "Recommandation : Mode expert (adhésion depuis l'espace du cabinet)" in out
    assert "--mode expert" in out
    assert "Pour passer à « Substitution du titulaire des services » :" in out
    command = "espace-tui diagnose --siren SIREN --blocage deja_adherent --appliquer substitution"
    assert command in out
    # The hint works: a dossier added in expert mode moves to the substitution procedure.
    assert main(["espace", "add", "principal", "--email-connexion", "cab@example.fr"]) == 0
    assert main(["add", "552081317", "--nom", "Danone", "--mode", "expert"]) == 0
    assert main(command.replace("SIREN", "552081317").split()[1:]) == 0
    assert main(["show", "552081317"]) == 0
    assert "Substitution du titulaire des services" in capsys.readouterr().out
    flags = ["--pour-elle-meme", "non", "--services-existants", "non", "--collectivite", "non"]
    assert main(["conseil", *flags]) == 0
    assert "diagnose" not in capsys.readouterr().out


def test_each_reason_is_one_french_sentence() -> None:
    for rule in RULES:
        assert rule.reason.endswith("."), rule.id
        assert ". " not in rule.reason[:-1], rule.id
        assert rule.reason[0].isupper(), rule.id
