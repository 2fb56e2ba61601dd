"""Errors the user can act on. Their messages are French and shown as-is."""

from __future__ import annotations

import unicodedata

# Bidirectional overrides and isolates: they reorder what a terminal shows.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> str:
    hidden = (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or ch in BIDI_CONTROLS
    if not hidden:
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


# Line and paragraph separators (U+2028, U+2029, NEL, CR LF) as the one line break
# every terminal, CSV reader and JSON consumer understands.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\x85": "\n"})


def normalize_line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_LINE_BREAKS)


def visible_controls(text: str) -> str:
    """Control characters made visible (\\x1b…): a message quoting user input must never
    send an ANSI sequence or a bell to the terminal. Exotic line breaks become « \\n »."""
    if text.isprintable():
        return text
    return "".join(map(_shown, normalize_line_breaks(text)))


class UserError(Exception):
    """A failure explained to the user in French (CLI exit 1)."""

    def __init__(self, message: str) -> None:
        message = visible_controls(message)
        super().__init__(message)
        self.message = message


class InvalidInput(UserError):
    """Input refused: names the field and what is expected (CLI exit 2)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} : {message}")
        self.field = field
        self.reason = visible_controls(message)


class NotFound(UserError):
    pass
