"""How long a writer waits for another's lock: 5 s, or ESPACE_TUI_LOCK_TIMEOUT."""

from __future__ import annotations

from pathlib import Path

import pytest

from espace_tui.store.repository import (
    DEFAULT_LOCK_TIMEOUT,
    LOCK_TIMEOUT_ENV,
    Store,
    lock_timeout_from_env,
)


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [
        (None, DEFAULT_LOCK_TIMEOUT),
        ("0.25", 0.25),
        ("30", 30.0),
        ("", DEFAULT_LOCK_TIMEOUT),
        ("cinq", DEFAULT_LOCK_TIMEOUT),
        ("0", DEFAULT_LOCK_TIMEOUT),  # never wait forever, never give up at once
        ("-1", DEFAULT_LOCK_TIMEOUT),
        ("nan", DEFAULT_LOCK_TIMEOUT),
        ("1e9", DEFAULT_LOCK_TIMEOUT),
    ],
)
def test_lock_timeout_from_the_environment(
    raw: str | None, seconds: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    if raw is None:
        monkeypatch.delenv(LOCK_TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(LOCK_TIMEOUT_ENV, raw)
    assert lock_timeout_from_env() == seconds


def test_an_explicit_timeout_wins(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "0.25")
    assert Store(data_dir)._lock.timeout == 0.25
    assert Store(data_dir, lock_timeout=2)._lock.timeout == 2
