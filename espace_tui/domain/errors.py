"""Errors the user can act on. Their messages are French and shown as-is."""

from __future__ import annotations


class UserError(Exception):
    """A failure explained to the user in French (CLI exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(UserError):
    """Input refused: names the field and what is expected (CLI exit 2)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} : {message}")
        self.field = field
        self.reason = message


class NotFound(UserError):
    pass
