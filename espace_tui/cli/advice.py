"""Guidance commands: `conseil` (which route for a client) and `guide` (the procedure guide).

`conseil` asks its questions on a terminal; scripts pass every answer as a flag
(`--collectivite non`…) and get an error naming the first missing one instead of a prompt.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.advisor import (
    QUESTIONS,
    LineKind,
    Question,
    Recommendation,
    next_question,
    parse_answer,
    recommend,
    recommendation_lines,
)
from espace_tui.domain.diagnosis_catalogue import CATALOGUE
from espace_tui.domain.dossier import DEFAULT_PROCEDURE
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.guide import render_markdown
from espace_tui.store.paths import DATA_FILE


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    advice = sub.add_parser(
        "conseil",
        parents=[common],
        help="quel mode pour un client ? (questions, ou réponses en options pour un script)",
        description="Recommande la procédure (mode simplifié, adhésion depuis l'espace "
        "expert, substitution) et les délais qu'elle fera courir. Sans réponse en option, "
        "pose les questions dans le terminal.",
    )
    for question in QUESTIONS:
        advice.add_argument(question.flag, dest=question.id, metavar="oui|non", help=question.text)
    advice.add_argument("--format", choices=["text", "json"], default="text")
    advice.set_defaults(handler=cmd_advice)

    guide = sub.add_parser(
        "guide",
        parents=[common],
        help="affiche le guide des procédures (étapes, délais, comparaison, bonnes pratiques)",
    )
    guide.add_argument(
        "--format",
        choices=["text", "md"],
        default="text",
        help="text (mis en forme, par défaut) ou md (Markdown brut, à enregistrer)",
    )
    guide.set_defaults(handler=cmd_guide)


def ask_yes_no(question: Question, read: Callable[[str], str], ctx: Context) -> bool:
    """Ask until the answer is oui or non."""
    ctx.err.print(Text(question.text, style="bold"))
    if question.help:
        ctx.err.print(Text(question.help, style="dim"))
    while True:
        try:
            raw = read("oui / non ? ")
        except EOFError:
            raise UserError("Questions interrompues : aucune recommandation.") from None
        try:
            return parse_answer(raw, question)
        except InvalidInput:
            ctx.err.print("Répondez « oui » ou « non ».")


def gather_answers(
    given: dict[str, bool],
    interactive: bool,
    ctx: Context,
    read: Callable[[str], str] | None = None,
) -> dict[str, bool]:
    """Complete the answers by asking on a terminal; off a terminal, missing ones are errors."""
    read = read or input
    answers = dict(given)
    while (question := next_question(answers)) is not None:
        if not interactive:
            break  # recommend() names the missing flag
        answers[question.id] = ask_yes_no(question, read, ctx)
    return answers


def _has_expert_space(ctx: Context) -> bool:
    # Asking for advice must not create a data folder where there was none.
    if not (ctx.data_dir / DATA_FILE).exists():
        return False
    return bool(ctx.workspace.spaces())


def cmd_advice(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    given = {
        q.id: parse_answer(getattr(args, q.id), q)
        for q in QUESTIONS
        if getattr(args, q.id) is not None
    }
    answers = gather_answers(given, sys.stdin.isatty(), ctx)
    result = recommend(answers, has_expert_space=_has_expert_space(ctx))
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print_recommendation(ctx, result)
    return EXIT_OK


# Rich styles per kind of line (the CLI has no theme; the dashboard uses theme variables).
LINE_STYLES: dict[LineKind, str] = {
    LineKind.TITLE: "bold cyan",
    LineKind.TEXT: "",
    LineKind.SOURCE: "dim",
    LineKind.HEADING: "bold",
    LineKind.ITEM: "",
    LineKind.WARNING: "yellow",
    LineKind.NOTE: "",
}


def print_recommendation(ctx: Context, result: Recommendation) -> None:
    for kind, line in recommendation_lines(result):
        indent = "  " if kind is LineKind.ITEM else ""
        ctx.out.print(Text(indent + line, style=LINE_STYLES[kind]))
    if result.prerequisite is not None and result.prerequisite.needed:
        ctx.out.print(Text("Déclarez-le avec « espace-tui espace add ».", style="yellow"))
    ctx.out.print(
        Text(
            f"Pour créer le dossier : espace-tui add SIREN --nom « … » --mode {result.mode.value}",
            style="dim",
        )
    )
    switch = _switch_command(result.procedure.id, result)
    if switch:
        ctx.out.print(Text(f"Puis, pour suivre cette procédure : {switch}", style="dim"))
    for alternative in result.alternatives:
        switch = _switch_command(alternative.id, result)
        if switch:
            ctx.out.print(Text(f"Pour passer à « {alternative.label} » : {switch}", style="dim"))


def _switch_command(procedure_id: str, result: Recommendation) -> str | None:
    """The diagnose command that moves a new dossier from its mode's default procedure to
    this one (substitution), found in the blockage catalogue's remedies."""
    if procedure_id == DEFAULT_PROCEDURE[result.mode]:
        return None
    for kind in CATALOGUE:
        for remedy in kind.remedies:
            if remedy.procedure_id == procedure_id:
                return (
                    f"espace-tui diagnose --siren SIREN --blocage {kind.id} --appliquer {remedy.id}"
                )
    return None


def cmd_guide(args: argparse.Namespace) -> int:
    text = render_markdown()
    if args.format == "md":
        sys.stdout.write(text)
        return EXIT_OK
    ctx = Context.from_args(args)
    # Wrapped by Rich at the terminal width (the console soft-wraps plain messages).
    from rich.markdown import Markdown  # 70 ms of imports, paid only by `guide`

    ctx.out.print(Markdown(text), soft_wrap=False)
    return EXIT_OK
