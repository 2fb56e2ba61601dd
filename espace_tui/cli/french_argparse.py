"""argparse speaks English; the accountants do not. Translate its few messages to French."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from espace_tui.cli.exit_codes import EXIT_INVALID
from espace_tui.domain.errors import visible_controls

_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "expected one argument": "une valeur est attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (choisir parmi %(choices)s)"
    ),
    "argument %(argument_name)s: %(message)s": "%(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "not allowed with argument %s": "incompatible avec %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
}


def _translate(message: str) -> str:
    return _FRENCH.get(message, message)


# argparse looks its `_` up at call time: replacing it translates every built-in message.
argparse._ = _translate  # type: ignore[attr-defined]


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        # The message quotes what was typed: a bell or an escape sequence is shown, not sent.
        self.exit(EXIT_INVALID, f"Erreur : {visible_controls(message)}\n")
