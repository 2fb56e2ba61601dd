"""The core (everything but espace_tui.tui) imports no Textual; the domain imports no storage."""

from __future__ import annotations

import subprocess
import sys

_IMPORT_ALL = """
import importlib, pkgutil, sys
import espace_tui as root

def walk(path, prefix):
    # Not pkgutil.walk_packages: it imports every package, the skipped one included.
    for info in pkgutil.iter_modules(path, prefix):
        if info.name.startswith({skip!r}) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if info.ispkg:
            walk(module.__path__, info.name + ".")

walk(root.__path__, "espace_tui.")
print(sorted({{m.split(".")[0] if not m.startswith("espace_tui") else ".".join(m.split(".")[:2])
              for m in sys.modules if m.split(".")[0] in {forbidden!r}
              or m.startswith({forbidden_own!r})}}))
"""


def _imported(
    package: str, skip: str, forbidden: tuple[str, ...], forbidden_own: tuple[str, ...]
) -> str:
    code = _IMPORT_ALL.replace("espace_tui as root", f"{package} as root").replace(
        '"espace_tui."', f'"{package}."'
    )
    code = code.format(skip=skip, forbidden=forbidden, forbidden_own=forbidden_own)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_everything_outside_tui_imports_no_textual() -> None:
    assert _imported("espace_tui", "espace_tui.tui", ("textual",), ("espace_tui.tui",)) == "[]"


def test_domain_imports_neither_storage_nor_ui() -> None:
    found = _imported(
        "espace_tui.domain",
        "espace_tui.domain.__never__",
        ("textual", "tinydb", "filelock"),
        ("espace_tui.store", "espace_tui.tui", "espace_tui.cli"),
    )
    assert found == "[]"


def test_store_imports_no_textual() -> None:
    found = _imported(
        "espace_tui.store", "espace_tui.store.__never__", ("textual",), ("espace_tui.tui",)
    )
    assert found == "[]"


def test_opening_the_dashboard_parses_options_without_importing_command_modules() -> None:
    code = (
        "import sys\n"
        "from espace_tui.cli import parse\n"
        "args = parse(['--data-dir', '/tmp/x', '--demo'])\n"
        "assert args.demo and args.data_dir == '/tmp/x'\n"
        "print(sorted(m for m in sys.modules if m.startswith('espace_tui.cli.')"
        " and m.rsplit('.', 1)[1] in ('dossiers', 'export', 'advice', 'diagnose')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
