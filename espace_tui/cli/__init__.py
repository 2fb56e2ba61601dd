"""Command line: no arguments opens the dashboard; subcommands serve scripts.

Exit codes: 0 success, 2 invalid input (French message naming the field on stderr),
1 any other failure. No traceback reaches the user. Textual is imported only to open the
dashboard, never on a subcommand's path.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from espace_tui import __version__
from espace_tui.cli import advice as advice_commands
from espace_tui.cli import agenda as agenda_commands
from espace_tui.cli import diagnose as diagnose_commands
from espace_tui.cli import dossiers as dossier_commands
from espace_tui.cli import export as export_commands
from espace_tui.cli import letters as letter_commands
from espace_tui.cli import maintenance as maintenance_commands
from espace_tui.cli import spaces as space_commands
from espace_tui.cli.exit_codes import EXIT_FAILURE, EXIT_INVALID, EXIT_OK
from espace_tui.cli.french_argparse import FrenchArgumentParser
from espace_tui.domain.errors import InvalidInput, UserError

# Each module adds its subcommands with `register(subparsers, common)`.
COMMAND_MODULES: tuple[ModuleType, ...] = (
    dossier_commands,
    space_commands,
    advice_commands,
    diagnose_commands,
    export_commands,
    agenda_commands,
    letter_commands,
    maintenance_commands,
)


def build_parser() -> argparse.ArgumentParser:
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
    )
    parser.add_argument("--version", action="version", version=f"espace-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="ouvre le tableau de bord sur un cabinet de démonstration (dossier séparé, "
        "rempli à neuf)",
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMANDE", parser_class=FrenchArgumentParser
    )
    for module in COMMAND_MODULES:
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
        return EXIT_FAILURE
