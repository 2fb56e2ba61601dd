"""`diagnose`: from an error message to its causes and remedies; without a message, the
automatic checks. `--appliquer` applies a remedy to a dossier, as the dashboard does."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.text import Text

from espace_tui.cli.context import Context
from espace_tui.cli.exit_codes import EXIT_OK
from espace_tui.domain.checks import findings_for, run_checks
from espace_tui.domain.deadlines import STATUS_LABELS
from espace_tui.domain.diagnosis import (
    Candidate,
    Diagnosis,
    countdown_text,
    diagnose_kind,
    helpline_text,
    lift_text,
    remedy_steps,
)
from espace_tui.domain.diagnosis_catalogue import CATALOGUE, blockage_title
from espace_tui.domain.dossier import Dossier
from espace_tui.domain.errors import InvalidInput
from espace_tui.domain.identifiers import format_siren
from espace_tui.domain.procedures import OWNER_LABELS
from espace_tui.report.diagnosis import diagnosis_payload, findings_payload
from espace_tui.report.summary import dossier_summary
from espace_tui.workspace.remedies import Remedies, note_from

# A whole e-mail fits; a runaway pipe does not.
MAX_STDIN_CHARS = 1_000_000


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    diag = sub.add_parser(
        "diagnose",
        parents=[common],
        help="explique un message d'erreur (causes, remèdes) ; sans message : vérifications "
        "automatiques",
        description="Cherche le blocage correspondant à un message d'impots.gouv.fr (collez-le "
        "tel quel, même au milieu d'un e-mail ; « - » le lit sur l'entrée standard). Avec "
        "--siren, ne propose que les remèdes qui s'appliquent à ce dossier. Sans message, "
        "lance les vérifications automatiques (délais expirés, espace expert surchargé, "
        "mandat B2B, e-mail de connexion partagé).",
    )
    diag.add_argument("message", metavar="MESSAGE", nargs="?", help="le message ou le symptôme")
    diag.add_argument("--siren", metavar="SIREN", help="le dossier concerné")
    diag.add_argument(
        "--format", choices=["text", "json"], default="text", help="text (par défaut) ou json"
    )
    diag.add_argument(
        "--appliquer",
        metavar="REMEDE",
        help="applique ce remède au dossier --siren (identifiant affiché entre crochets)",
    )
    diag.add_argument(
        "--blocage",
        metavar="TYPE",
        help="le blocage visé (identifiant du catalogue) au lieu du premier trouvé",
    )
    diag.add_argument(
        "--espace", metavar="ID", help="espace expert cible (adhésion en mode expert)"
    )
    diag.add_argument(
        "--etape-faite",
        action="store_true",
        help="avec --appliquer : la première étape de la nouvelle procédure est faite maintenant "
        "(ses délais démarrent tout de suite)",
    )
    diag.set_defaults(handler=cmd_diagnose)


def _read_message(raw: str | None) -> str | None:
    if raw == "-":
        return sys.stdin.read(MAX_STDIN_CHARS)
    return raw


def cmd_diagnose(args: argparse.Namespace) -> int:
    ctx = Context.from_args(args)
    remedies = Remedies(ctx.workspace)
    message = _read_message(args.message)
    if args.appliquer:
        return _apply(ctx, remedies, args, message)
    if args.blocage:
        candidate = remedies.for_kind(args.blocage, args.siren)
        return _print_candidates(ctx, args, candidate.kind.message, (candidate,))
    if message is None or not message.strip():
        return _checks(ctx, args)
    diagnosis = remedies.diagnose(message, args.siren)
    return _print_candidates(ctx, args, message, diagnosis.candidates)


def _dossier(ctx: Context, siren: str | None) -> Dossier | None:
    return ctx.workspace.get(siren) if siren else None


def _print_candidates(
    ctx: Context, args: argparse.Namespace, query: str, candidates: tuple[Candidate, ...]
) -> int:
    dossier = _dossier(ctx, args.siren)
    state = ctx.workspace.state(dossier) if dossier else None
    if args.format == "json":
        payload = diagnosis_payload(Diagnosis(query, candidates), dossier, state)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    if dossier is not None and state is not None:
        ctx.out.print(
            Text(
                f"Dossier {format_siren(dossier.siren)} {dossier.name} — {state.procedure.label}, "
                f"statut {STATUS_LABELS[state.status]}",
                style="bold",
            )
        )
    if not candidates:
        ctx.out.print(Text("Aucun blocage connu ne correspond à ce message.", style="bold"))
        ctx.out.print("Blocages du catalogue (relancez avec --blocage TYPE) :")
        for kind in CATALOGUE:
            ctx.out.print(Text(f"  [{kind.id}] {kind.title}"))
    for rank, candidate in enumerate(candidates, 1):
        _print_candidate(ctx, rank, candidate, dossier)
    ctx.out.print(Text(helpline_text(), style="dim"))
    return EXIT_OK


def _print_candidate(
    ctx: Context, rank: int, candidate: Candidate, dossier: Dossier | None
) -> None:
    kind = candidate.kind
    out = ctx.out
    title = Text(f"{rank}. {kind.title}", style="bold")
    title.append(f"  [{kind.id}]  correspondance {round(candidate.score * 100)} %", style="dim")
    out.print(title)
    quote = kind.message_label
    out.print(Text(f"   {quote} : « {kind.message} »"))
    out.print("   Causes :")
    for cause in kind.causes:
        out.print(Text(f"     • {cause}"))
    applicable = [o for o in candidate.options if o.applies]
    out.print("   Remèdes :" if applicable else "   Aucun remède ne s'applique à ce dossier.")
    for letter, option in zip("abcdefgh", applicable, strict=False):
        remedy = option.remedy
        line = Text(f"     {letter}. {remedy.label}", style="bold")
        line.append(f"  [{remedy.id}] — {OWNER_LABELS[remedy.owner]}", style="")
        out.print(line)
        for number, (label, owner) in enumerate(remedy_steps(remedy, dossier), 1):
            out.print(Text(f"        {number}. {label} ({OWNER_LABELS[owner]})"))
        for ref in remedy.countdowns:
            out.print(Text(f"        Délai : {countdown_text(ref)}"))
        out.print(Text(f"        {lift_text(remedy)}", style="dim"))
        source = remedy.source + (" (non vérifié)" if remedy.unverified else "")
        out.print(Text(f"        Source : {source}", style="dim"))
    excluded = [o for o in candidate.options if not o.applies]
    if excluded:
        out.print("   Ne s'applique pas à ce dossier :")
        for option in excluded:
            out.print(Text(f"     – {option.remedy.label} : {option.reason}", style="dim"))


def _checks(ctx: Context, args: argparse.Namespace) -> int:
    ws = ctx.workspace
    dossiers, spaces = ws.dossiers(), ws.spaces()
    findings = run_checks(dossiers, spaces, ws.now(), ws.thresholds)
    dossier = _dossier(ctx, args.siren)
    if dossier is not None:
        findings = findings_for(dossier.siren, findings, dossier)
    by_siren = {d.siren: d for d in dossiers}
    rows = []
    for finding in findings:
        owner = by_siren.get(finding.siren) if finding.siren else None
        rows.append((finding, diagnose_kind(finding.kind, owner, spaces), owner))
    if args.format == "json":
        print(json.dumps(findings_payload(rows), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not rows:
        ctx.out.print("Aucun blocage détecté.")
        return EXIT_OK
    ctx.out.print(Text(f"{len(rows)} blocage(s) détecté(s) :", style="bold"))
    for finding, candidate, owner in rows:
        who = (
            f"{format_siren(owner.siren)} {owner.name}"
            if owner
            else f"espace expert « {finding.space_id} »"
        )
        ctx.out.print(Text(f"• {who} — {blockage_title(finding.kind)}", style="bold"))
        ctx.out.print(Text(f"  {finding.message}"))
        labels = [f"{o.remedy.label} [{o.remedy.id}]" for o in candidate.options if o.applies]
        if labels:
            ctx.out.print(Text(f"  Remèdes : {' ; '.join(labels)}", style="dim"))
    return EXIT_OK


def _apply(ctx: Context, remedies: Remedies, args: argparse.Namespace, message: str | None) -> int:
    if not args.siren:
        raise InvalidInput("--siren", "indiquez le dossier auquel appliquer le remède.")
    kind_id = args.blocage
    if kind_id is None:
        if message is None or not message.strip():
            raise InvalidInput("MESSAGE", "donnez le message, ou le blocage avec --blocage TYPE.")
        diagnosis = remedies.diagnose(message, args.siren)
        if not diagnosis.matched:
            raise InvalidInput(
                "MESSAGE", "aucun blocage connu ne correspond ; précisez-le avec --blocage TYPE."
            )
        kind_id = diagnosis.candidates[0].kind.id
    change = remedies.apply(
        args.siren,
        kind_id,
        args.appliquer,
        space_id=args.espace,
        first_step_done=args.etape_faite,
        note=note_from(message),
    )
    if args.format == "json":
        dossier = change.dossier
        state = ctx.workspace.state(dossier) if dossier else None
        payload = {
            "message": change.message,
            "warnings": list(change.warnings),
            "dossier": dossier_summary(dossier, state) if dossier and state else None,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return EXIT_OK
    ctx.out.print(Text(change.message))
    for warning in change.warnings:
        ctx.warn(warning)
    return EXIT_OK
