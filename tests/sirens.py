"""Valid, distinct SIRENs for tests (Luhn check digit computed by python-stdnum)."""

from __future__ import annotations

from stdnum import luhn


def valid_sirens(count: int, start: int = 40_000_000) -> list[str]:
    return [f"{base}{luhn.calc_check_digit(str(base))}" for base in range(start, start + count)]
