"""A light table for long listings: aligned columns, Rich styles, one write.

Rich's Table measures and wraps every cell through its renderable protocol: with 10,000
dossiers `espace-tui list` spent ~10 s there. This lays out plain cells (no wrapping; the
flexible columns are cut with « … » to fit a terminal) and writes the lines at once.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

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


def _plain(cell: str | Text) -> str:
    # As drawn: emoji glue dropped, line breaks as spaces (see column_text).
    return column_text(cell if isinstance(cell, str) else cell.plain)


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
) -> None:
    """Cells are plain strings or Text (never parsed as markup); a Text keeps its base style."""
    flex = {headers.index(name) for name in flexible}
    # Cut to the terminal's width; piped into a file or grep, keep every character.
    limit = console.width if console.is_terminal else sys.maxsize
    widths = _widths(headers, rows, flex, limit)
    system = None if console.no_color else _SYSTEMS.get(console.color_system or "")
    styles: dict[str, str] = {}

    def styled(text: str, style: str) -> str:
        if system is None or not style:
            return text
        if style not in styles:  # an ANSI prefix and suffix around a marker, once per style
            styles[style] = console.get_style(style).render("\0", color_system=system)
        return styles[style].replace("\0", text)

    lines = [styled(title, "bold"), styled(GAP.join(map(_fit, headers, widths)), "bold")]
    lines.append(GAP.join("─" * w for w in widths))
    for row in rows:
        cells = [
            styled(
                _fit(visible_controls(_plain(cell)), width),
                "" if isinstance(cell, str) else str(cell.style or ""),
            )
            for cell, width in zip(row, widths, strict=True)
        ]
        lines.append(GAP.join(cells).rstrip())
    console.file.write("\n".join(lines) + "\n")
    console.file.flush()
