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

from rich.markdown import Markdown
from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.advisor import (
    QUESTIONS,
    Question,
    Recommendation,
    next_question,
    parse_answer,
    recommend,
)
from espace_tui.domain.errors import InvalidInput, UserError
from espace_tui.domain.guide import UNVERIFIED_MARK, render_markdown
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


def _flag(unverified: bool) -> str:
    return f" ({UNVERIFIED_MARK})" if unverified else ""


def print_recommendation(ctx: Context, result: Recommendation) -> None:
    out = ctx.out
    out.print(Text.assemble(("Recommandation : ", "bold"), (result.procedure.label, "bold cyan")))
    out.print(Text(f"Pourquoi : {result.reason}"))
    out.print(Text(f"Source : {result.rule.source}", style="dim"))
    if result.deadlines:
        out.print(Text("Délais qui démarreront :", style="bold"))
        for d in result.deadlines:
            out.print(Text(f"  • {d.step_label} ({d.owners}) : {d.text}{_flag(d.unverified)}"))
    prerequisite = result.prerequisite
    if prerequisite is not None:
        if prerequisite.needed:
            out.print(
                Text(
                    f"Prérequis : {prerequisite.procedure.label}, aucun déclaré pour "
                    "l'instant (espace-tui espace add).",
                    style="yellow",
                )
            )
            for d in prerequisite.deadlines:
                out.print(Text(f"  • {d.step_label} ({d.owners}) : {d.text}"))
        else:
            out.print(Text(f"Prérequis : {prerequisite.procedure.label} (déjà déclaré)."))
    for alternative in result.alternatives:
        out.print(Text(f"Autre voie possible : {alternative.label}. {alternative.summary}"))
    out.print(
        Text(
            f"Pour créer le dossier : espace-tui add SIREN --nom « … » --mode {result.mode.value}",
            style="dim",
        )
    )


def cmd_guide(args: argparse.Namespace) -> int:
    text = render_markdown()
    if args.format == "md":
        sys.stdout.write(text)
        return EXIT_OK
    ctx = Context.from_args(args)
    ctx.out.print(Markdown(text))
    return EXIT_OK
