"""The company registry against a real local HTTP server in the API's documented shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from espace_tui.cli import main
from espace_tui.domain.clock import FrozenClock
from espace_tui.domain.registry import CompanyKind
from espace_tui.store.registry_cache import CACHE_FILE, RegistryCache
from espace_tui.workspace.registry import (
    RateLimiter,
    Registry,
    RegistryOffline,
    RegistryUnavailable,
)
from tests.registry_server import FakeRegistry, company
from tests.sirens import valid_sirens

DANONE = "552081317"
CEASED, SOLE, TOWN, NEW, SLOW, BUSY, GARBLED, UNKNOWN, ASSO = valid_sirens(9, 70_000_000)


@pytest.fixture
def fake(registry_server: FakeRegistry) -> FakeRegistry:
    registry_server.answers.update(
        {
            DANONE: company(DANONE, "DANONE"),
            CEASED: company(CEASED, "VIEILLE BOUTIQUE", state="C", closed="2024-06-30"),
            SOLE: company(SOLE, "JEAN DUPONT", legal_form="1000", sole_trader=True),
            TOWN: company(TOWN, "COMMUNE DE TRUC", legal_form="7210", local_authority=True),
            ASSO: company(ASSO, "CLUB DE JUDO", legal_form="9220"),
            NEW: company(NEW, "JEUNE POUSSE", created="2026-11-10"),
            SLOW: "slow",
            BUSY: "429",
            GARBLED: "malformed",
        }
    )
    return registry_server


def registry(data_dir: Path, fake: FakeRegistry, **kw: object) -> Registry:
    data_dir.mkdir(parents=True, exist_ok=True)
    return Registry(
        cache=RegistryCache(data_dir),
        clock=FrozenClock(),
        base_url=fake.url,
        limiter=RateLimiter(1000),
        **kw,  # type: ignore[arg-type]
    )


def test_found_record_is_parsed_and_only_the_siren_is_sent(
    fake: FakeRegistry, data_dir: Path
) -> None:
    record = registry(data_dir, fake).lookup("552 081 317")
    assert record is not None
    assert (record.name, record.address, record.ceased) == (
        "DANONE",
        "17 BOULEVARD HAUSSMANN 75009 PARIS",
        False,
    )
    (request,) = fake.requests
    assert request["path"] == "/search"
    assert request["query"] == {"q": [DANONE]}
    assert "Cookie" not in request["headers"] and "Authorization" not in request["headers"]


def test_lookups_are_cached_in_the_data_folder(fake: FakeRegistry, data_dir: Path) -> None:
    first = registry(data_dir, fake).lookup(DANONE)
    again = registry(data_dir, fake).lookup(DANONE)
    assert first == again and fake.hits(DANONE) == 1
    assert (data_dir / CACHE_FILE).stat().st_mode & 0o777 == 0o600
    offline = registry(data_dir, fake, offline=True).lookup(DANONE)
    assert offline == first and fake.hits(DANONE) == 1


def test_not_found_is_none_and_kinds_are_recognised(fake: FakeRegistry, data_dir: Path) -> None:
    reg = registry(data_dir, fake)
    assert reg.lookup(UNKNOWN) is None
    kinds = {s: reg.lookup(s) for s in (SOLE, TOWN, ASSO, CEASED)}
    sole, town, asso, ceased = (kinds[s] for s in (SOLE, TOWN, ASSO, CEASED))
    assert sole is not None and sole.kind is CompanyKind.SOLE_TRADER
    assert sole.name == "JEAN DUPONT"  # nom_complet when no raison sociale
    assert town is not None and town.kind is CompanyKind.LOCAL_AUTHORITY
    assert asso is not None and asso.kind is CompanyKind.ASSOCIATION
    assert ceased is not None and ceased.ceased


def test_slow_busy_and_garbled_answers_give_french_errors(
    fake: FakeRegistry, data_dir: Path
) -> None:
    reg = registry(data_dir, fake, timeout=0.3)
    with pytest.raises(RegistryUnavailable, match=r"pas de réponse en 0\.3 s"):
        reg.lookup(SLOW)
    with pytest.raises(RegistryUnavailable, match="limite les appels"):
        reg.lookup(BUSY)
    with pytest.raises(RegistryUnavailable, match="format inattendu"):
        reg.lookup(GARBLED)
    # A failure is not cached as « unknown ».
    assert RegistryCache(data_dir).get(SLOW, FrozenClock().now()) == (False, None)


def test_offline_never_calls(fake: FakeRegistry, data_dir: Path) -> None:
    with pytest.raises(RegistryOffline, match="hors ligne"):
        registry(data_dir, fake, offline=True).lookup(DANONE)
    assert fake.requests == []


def test_rate_limiter_spaces_requests_at_seven_a_second() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(7, monotonic=lambda: clock[0], sleep=sleep)
    for _ in range(8):
        limiter.wait()
    # 8 starts need 7 intervals of 1/7 s: the 8th starts a full second after the first.
    assert clock[0] == pytest.approx(1.0)


def test_cli_add_without_name_fills_it(
    fake: FakeRegistry, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", DANONE, "--mode", "simplifie"]) == 0
    assert "Nom pris dans l'annuaire des entreprises : DANONE" in capsys.readouterr().err
    assert main(["show", DANONE]) == 0
    out = capsys.readouterr().out
    assert "DANONE" in out
    assert "Adresse du siège (où part le courrier) : 17 BOULEVARD HAUSSMANN 75009 PARIS" in out


def test_cli_refuses_a_ceased_company_unless_forced(
    fake: FakeRegistry, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", CEASED, "--mode", "simplifie"]) == 2
    assert "cessée le 30/06/2024" in capsys.readouterr().err
    assert main(["add", CEASED, "--nom", "Autre nom", "--mode", "simplifie"]) == 2
    assert main(["add", CEASED, "--mode", "simplifie", "--force"]) == 0


def test_cli_advice_for_kinds_and_recent_companies(
    fake: FakeRegistry, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", TOWN, "--mode", "simplifie"]) == 2
    assert "Indiquez --mode expert" in capsys.readouterr().err
    assert main(["add", TOWN, "--mode", "expert"]) == 0
    assert "mode expert uniquement" in capsys.readouterr().err
    assert main(["add", SOLE, "--mode", "simplifie"]) == 0
    assert "espace particulier" in capsys.readouterr().err
    assert main(["add", NEW, "--mode", "simplifie"]) == 0
    assert "la DGFiP peut ne pas encore la connaître" in capsys.readouterr().err


def test_cli_unreachable_registry_asks_for_a_name(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ESPACE_TUI_HORS_LIGNE")  # online, but the URL is a closed port
    assert main(["add", DANONE, "--mode", "simplifie"]) == 2
    assert "annuaire injoignable : indiquez --nom" in capsys.readouterr().err
    assert main(["add", DANONE, "--mode", "simplifie", "--nom", "Danone"]) == 0


def test_cli_offline_option_and_setting(
    fake: FakeRegistry, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", DANONE, "--mode", "simplifie", "--hors-ligne"]) == 2
    assert fake.requests == []
    assert main(["config", "annuaire", "--hors-ligne", "oui"]) == 0
    assert main(["add", DANONE, "--mode", "simplifie"]) == 2
    assert "indiquez --nom" in capsys.readouterr().err
    assert fake.requests == []
    assert main(["config", "annuaire", "--hors-ligne", "non"]) == 0
    assert main(["add", DANONE, "--mode", "simplifie"]) == 0


def test_cli_annuaire_command(
    fake: FakeRegistry, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["annuaire", SOLE]) == 0
    out = capsys.readouterr().out
    assert "entrepreneur individuel" in out and "Adresse du siège" in out
    assert main(["annuaire", DANONE, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "DANONE"
    assert main(["annuaire", UNKNOWN]) == 1
    assert "inconnu de l'annuaire" in capsys.readouterr().err
    assert main(["annuaire", "123"]) == 2


def test_the_suite_cannot_reach_the_real_registry() -> None:
    """conftest points every test at a closed local port, offline, unless a test starts its
    own local server: the real API is never called by the suite."""
    from espace_tui.workspace.registry import (
        DEFAULT_BASE_URL,
        TIMEOUT_S,
        base_url,
        offline_wanted,
        open_registry,
    )

    assert base_url() == "http://127.0.0.1:9" != DEFAULT_BASE_URL
    assert offline_wanted({})
    assert TIMEOUT_S <= 3
    assert open_registry(Path("/nonexistent"), FrozenClock(), {}).timeout == TIMEOUT_S


def test_429_retry_after_is_honoured_once_when_short(fake: FakeRegistry, data_dir: Path) -> None:
    fake.retry_after = "0"
    with pytest.raises(RegistryUnavailable, match="limite les appels"):
        registry(data_dir, fake).lookup(BUSY)
    assert fake.hits(BUSY) == 2  # asked again once, after the delay the API gave
    fake.retry_after = "60"
    with pytest.raises(RegistryUnavailable, match="limite les appels"):
        registry(data_dir, fake).lookup(BUSY)
    assert fake.hits(BUSY) == 3  # too long to wait for: said at once
