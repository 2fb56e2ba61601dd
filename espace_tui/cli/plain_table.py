"""A light table for long listings: aligned columns, Rich styles, one write.

Rich's Table measures and wraps every cell through its renderable protocol: with 10,000
dossiers `espace-tui list` spent ~10 s there. This lays out plain cells (no wrapping) and
writes the lines at once. On a narrow terminal a `Narrow` plan keeps one column readable
(the client's name): a long column first goes to a line of its own under the row, then the
columns of least value are dropped, and only then is anything cut with « … ». Piped into a
file or grep (or with `full=True`), every column and character is kept.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.text import Text

from espace_tui.domain.display import column_text
from espace_tui.domain.errors import visible_controls

GAP = "  "
_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}
MIN_FLEX = 8


@dataclass(frozen=True)
class Narrow:
    """How to give way on a narrow terminal, by column header."""

    readable: str  # kept whole up to `readable_width` characters (the name)
    own_line: str  # goes to a line of its own first (the next step)
    drop: tuple[str, ...] = ()  # then dropped in this order (least useful first)
    readable_width: int = 28
    own_line_width: int = 40  # below this on the row, it goes to its own line


def _layout(
    headers: Sequence[str], natural: list[int], narrow: Narrow, total: int
) -> tuple[list[int], bool]:
    """The columns kept on the row (indexes) and whether `own_line` went below it."""
    keep = list(range(len(headers)))
    readable = headers.index(narrow.readable)
    wanted = min(natural[readable], narrow.readable_width)

    own_line = headers.index(narrow.own_line)
    at_least = {readable: wanted, own_line: min(natural[own_line], narrow.own_line_width)}

    def needed(columns: list[int], name_width: int) -> int:
        widths = [at_least.get(i, natural[i]) for i in columns]
        widths[columns.index(readable)] = name_width
        return sum(widths) + len(GAP) * (len(columns) - 1)

    if needed(keep, natural[readable]) <= total:
        return keep, False
    keep.remove(own_line)
    for name in narrow.drop:
        if needed(keep, wanted) <= total:
            break
        keep.remove(headers.index(name))
    return keep, True


def _plain(cell: str | Text) -> str:
    # As drawn: emoji glue dropped, line breaks as spaces (see column_text).
    return column_text(cell if isinstance(cell, str) else cell.plain)


def _style(cell: str | Text) -> str:
    return "" if isinstance(cell, str) else str(cell.style or "")


def _fit(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def _widths(
    headers: Sequence[str], rows: Sequence[Sequence[str | Text]], flexible: set[int], total: int
) -> list[int]:
    widths = [
        max([cell_len(h)] + [cell_len(_plain(row[i])) for row in rows])
        for i, h in enumerate(headers)
    ]
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - total
    while excess > 0 and flexible:
        widest = max(flexible, key=lambda i: widths[i])
        if widths[widest] <= MIN_FLEX:
            break
        cut = min(excess, widths[widest] - MIN_FLEX, max(1, widths[widest] // 4))
        widths[widest] -= cut
        excess -= cut
    return widths


def print_table(
    console: Console,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str | Text]],
    flexible: Sequence[str] = (),
    narrow: Narrow | None = None,
    full: bool = False,
) -> None:
    """Cells are plain strings or Text (never parsed as markup); a Text keeps its base style."""
    # Cut to the terminal's width; piped into a file or grep, keep every character.
    limit = console.width if console.is_terminal and not full else sys.maxsize
    below: int | None = None  # the column shown on a line of its own, under its row
    keep = list(range(len(headers)))
    if narrow is not None and limit != sys.maxsize:
        natural = _widths(headers, rows, set(), sys.maxsize)
        keep, moved = _layout(headers, natural, narrow, limit)
        below = headers.index(narrow.own_line) if moved else None
        flexible = [narrow.readable] if moved else [narrow.readable, narrow.own_line]
    flex = {keep.index(headers.index(name)) for name in flexible if headers.index(name) in keep}
    shown_headers = [headers[i] for i in keep]
    widths = _widths(shown_headers, [[row[i] for i in keep] for row in rows], flex, limit)
    indent = " " * (widths[0] + len(GAP)) if below is not None else ""
    system = None if console.no_color else _SYSTEMS.get(console.color_system or "")
    styles: dict[str, str] = {}

    def styled(text: str, style: str) -> str:
        if system is None or not style:
            return text
        if style not in styles:  # an ANSI prefix and suffix around a marker, once per style
            styles[style] = console.get_style(style).render("\0", color_system=system)
        return styles[style].replace("\0", text)

    def under(text: str) -> str:
        return indent + _fit(text, max(MIN_FLEX, limit - len(indent))).rstrip()

    lines = [styled(title, "bold"), styled(GAP.join(map(_fit, shown_headers, widths)), "bold")]
    if below is not None:
        lines.append(styled(under(headers[below]), "bold"))
    lines.append(GAP.join("─" * w for w in widths))
    for row in rows:
        cells = [
            styled(_fit(visible_controls(_plain(cell)), width), _style(cell))
            for cell, width in zip((row[i] for i in keep), widths, strict=True)
        ]
        lines.append(GAP.join(cells).rstrip())
        if below is not None:
            lines.append(styled(under(visible_controls(_plain(row[below]))), "dim"))
    console.file.write("\n".join(lines) + "\n")
    console.file.flush()
