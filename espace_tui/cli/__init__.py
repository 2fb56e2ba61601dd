"""Command line: no arguments opens the dashboard; subcommands serve scripts.

Exit codes: 0 success, 2 invalid input (French message naming the field on stderr),
1 any other failure, 70 an internal error (a bug, to report). No traceback reaches the user.
Textual is imported only to open the dashboard, never on a subcommand's path.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from espace_tui import __version__
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INTERNAL, EXIT_INVALID, EXIT_OK
from espace_tui.cli.french_argparse import FrenchArgumentParser
from espace_tui.domain.errors import InvalidInput, UserError

# Each module adds its subcommands with `register(subparsers, common)`. They are imported
# only when a command (or --help) is asked for: opening the dashboard skips them.
COMMAND_MODULES: tuple[str, ...] = (
    "dossiers",
    "spaces",
    "advice",
    "diagnose",
    "export",
    "agenda",
    "letters",
    "maintenance",
    "registry",
    "config",
    "undo",
    "edit",
)


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    common = FrenchArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DOSSIER",
        # SUPPRESS: a subcommand's absent option must not erase one given before it.
        default=argparse.SUPPRESS,
        help="dossier des données (par défaut : ESPACE_TUI_DATA_DIR, sinon le dossier "
        "de données de l'utilisateur)",
    )
    parser = FrenchArgumentParser(
        prog="espace-tui",
        description="Suivi de la création et de l'activation des espaces professionnels "
        "impots.gouv.fr de vos clients. Sans commande : ouvre le tableau de bord.",
        parents=[common],
        add_help=with_commands,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"espace-tui {__version__}",
        help="affiche la version et quitte",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="ouvre le tableau de bord sur un cabinet de démonstration (dossier séparé, "
        "rempli à neuf)",
    )
    if with_commands:
        subparsers = parser.add_subparsers(
            dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser
        )
        for name in COMMAND_MODULES:
            importlib.import_module(f"espace_tui.cli.{name}").register(subparsers, common)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The dashboard's options alone are parsed without importing any command module."""
    words = list(sys.argv[1:] if argv is None else argv)
    dashboard, rest = build_parser(with_commands=False).parse_known_args(words)
    if not rest:
        return dashboard
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            from espace_tui.cli.dashboard import open_dashboard

            return open_dashboard(args)
        result: int = handler(args)
        return result
    except InvalidInput as err:
        print(f"Erreur : {err.message}", file=sys.stderr)
        return EXIT_INVALID
    except UserError as err:
        print(f"Erreur : {err.message}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        return EXIT_OK
    except OSError as err:
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        print(f"Erreur système : {err.strerror or err}{where}.", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as err:  # the last line of defence: never a traceback
        print(
            f"Erreur inattendue ({type(err).__name__}) : {err}. Les données déjà enregistrées "
            "sont intactes (chaque modification est écrite en une fois). Signalez ce message.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
