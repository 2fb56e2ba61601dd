"""The README's command table and the CLI's help describe the same commands and options.

Each row of the table under « Using it » starts with a code span `espace-tui COMMAND ...`;
every option the CLI accepts for that command must appear somewhere in the row, and every
command or option the row names must exist. A failure says exactly what to write.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from espace_tui.cli import build_parser

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_HEADING = "## Using it"
# Accepted by every command (parents=[common]); the README explains it once, in prose.
COMMON_OPTIONS = frozenset({"-h", "--help", "--data-dir"})
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass
class Command:
    path: tuple[str, ...]
    parser: argparse.ArgumentParser
    # One entry per option, with its aliases (-o, --sortie): naming any one documents it.
    options: list[tuple[str, ...]] = field(default_factory=list)

    def accepts(self) -> set[str]:
        return {alias for aliases in self.options for alias in aliases}

    @property
    def name(self) -> str:
        return " ".join(("espace-tui", *self.path))


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_commands() -> dict[tuple[str, ...], Command]:
    """Every command the user can run, including the bare `espace-tui` (the dashboard)."""
    found: dict[tuple[str, ...], Command] = {}

    def walk(path: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        children = _subparsers(parser)
        options = [
            tuple(a.option_strings)
            for a in parser._actions
            if a.option_strings and not set(a.option_strings) & COMMON_OPTIONS
        ]
        # A group (`espace`) with no option of its own is documented through its actions.
        if not children or options or not path:
            found[path] = Command(path, parser, options)
        for name, child in children.items():
            walk((*path, name), child)

    walk((), build_parser())
    return found


def readme_rows() -> list[tuple[str, str]]:
    """(first code span, whole row) for each row of the command table."""
    text = README.read_text(encoding="utf-8")
    assert TABLE_HEADING in text, f"README.md has lost its « {TABLE_HEADING} » section"
    section = text.split(TABLE_HEADING, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `espace-tui"):
            continue
        first = CODE_SPAN.search(line)
        assert first is not None
        rows.append((first.group(1), line))
    return rows


def command_of(span: str, commands: dict[tuple[str, ...], Command]) -> tuple[str, ...]:
    """The longest run of words after `espace-tui` that names a command."""
    words = span.split()[1:]
    path: tuple[str, ...] = ()
    for word in words:
        if (*path, word) in commands or any(p[: len(path) + 1] == (*path, word) for p in commands):
            path = (*path, word)
        else:
            break
    return path


def usage_line(command: Command) -> str:
    """The row to paste: argparse's usage without the options every command shares."""
    usage = " ".join(command.parser.format_usage().split())
    usage = usage.split(":", 1)[1].strip() if ":" in usage.split()[1] else usage
    for noise in ("[-h]", "[--data-dir DOSSIER]"):
        usage = usage.replace(noise + " ", "").replace(" " + noise, "")
    usage = re.sub(r"\{([^}]*)\}", lambda m: m.group(1).replace(",", "|"), usage)
    return usage.replace("|", "\\|")


def readme_by_command() -> dict[tuple[str, ...], str]:
    commands = cli_commands()
    rows: dict[tuple[str, ...], str] = {}
    for span, row in readme_rows():
        path = command_of(span, commands)
        rows[path] = rows.get(path, "") + "\n" + row
    return rows


def test_every_cli_command_has_a_readme_row() -> None:
    documented = readme_by_command()
    missing = [c for path, c in cli_commands().items() if path not in documented]
    if missing:
        pytest.fail(
            "README.md, table under « Using it », lacks a row for each of these commands; add:\n"
            + "\n".join(f"| `{usage_line(c)}` | <what it does> |" for c in missing),
            pytrace=False,
        )


def test_every_cli_option_is_in_its_readme_row() -> None:
    documented = readme_by_command()
    problems = []
    for path, command in cli_commands().items():
        row = documented.get(path)
        if row is None:
            continue  # reported by the test above
        named = set(OPTION.findall(row))
        absent = [aliases[0] for aliases in command.options if not set(aliases) & named]
        if absent:
            problems.append(
                f"  the row of `{command.name}` does not mention {', '.join(absent)}; "
                f"its usage is `{usage_line(command)}`"
            )
    if problems:
        pytest.fail("README.md, table under « Using it »:\n" + "\n".join(problems), pytrace=False)


def test_every_readme_command_and_option_exists() -> None:
    commands = cli_commands()
    problems = []
    for span, row in readme_rows():
        path = command_of(span, commands)
        words = span.split()[1:]
        if path not in commands:
            problems.append(f"  `{span}`: no such command in `espace-tui --help`")
            continue
        extra = words[len(path)] if len(words) > len(path) else ""
        if extra and not extra.startswith("-") and _subparsers(commands[path].parser):
            problems.append(
                f"  `{span}`: « {extra} » is not a command of `{commands[path].name}` "
                f"(see `{commands[path].name} --help`)"
            )
        accepted = commands[path].accepts() | COMMON_OPTIONS
        for option in sorted(set(OPTION.findall(row)) - accepted):
            problems.append(
                f"  `{span}`: {option} is not an option of "
                f"{commands[path].name} (its usage: `{usage_line(commands[path])}`)"
            )
    if problems:
        pytest.fail(
            "README.md names what the CLI does not accept:\n" + "\n".join(problems), pytrace=False
        )


def test_common_options_are_explained_once() -> None:
    text = README.read_text(encoding="utf-8")
    assert "--data-dir" in text, "README.md must explain --data-dir (accepted by every command)"
