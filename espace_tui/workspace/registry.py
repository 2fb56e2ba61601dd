"""Asking the company registry (API Recherche d'entreprises, public, no key) about a SIREN.

Only the SIREN leaves the machine: `GET {base}/search?q={siren}`, nothing else in the query,
no cookie. At most 7 requests a second (the API's published limit; one more answers 429),
3 s at most per network step, and every answer cached in the data folder. Offline (the
`--hors-ligne` option, the `annuaire_hors_ligne` setting or ESPACE_TUI_HORS_LIGNE=1) it is
never called: what the cache holds is used, however old.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from espace_tui.domain.clock import Clock
from espace_tui.domain.errors import UserError
from espace_tui.domain.identifiers import format_siren, normalize_siren
from espace_tui.domain.registry import CompanyRecord, RegistryFormatError, parse_search_response
from espace_tui.store.registry_cache import RegistryCache

if TYPE_CHECKING:
    import httpx

BASE_URL_ENV = "ESPACE_TUI_ANNUAIRE_URL"
OFFLINE_ENV = "ESPACE_TUI_HORS_LIGNE"
OFFLINE_SETTING = "annuaire_hors_ligne"
DEFAULT_BASE_URL = "https://recherche-entreprises.api.gouv.fr"
TIMEOUT_S = 3.0
RATE_PER_SECOND = 7
# A 429's Retry-After is honoured once, if it asks no longer than this.
MAX_RETRY_AFTER_S = 3.0
USER_AGENT = "espace-tui"


class RegistryUnavailable(UserError):
    """The registry could not answer (offline, unreachable, slow, refused, garbled)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message.rstrip(".")


class RegistryOffline(RegistryUnavailable):
    pass


class RateLimiter:
    """Spaces request starts at least 1/rate seconds apart, across threads."""

    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = self._monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)


# One for the whole process: the limit is per machine (per IP), not per lookup.
LIMITER = RateLimiter(RATE_PER_SECOND)


def offline_wanted(settings: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get(OFFLINE_ENV, "").strip().lower() in {"1", "oui", "true", "yes"}:
        return True
    return bool(settings.get(OFFLINE_SETTING, False))


def base_url(environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return (env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL).rstrip("/")


def _unreachable(detail: str) -> RegistryUnavailable:
    return RegistryUnavailable(f"annuaire des entreprises injoignable ({detail}).", detail)


@dataclass
class Registry:
    cache: RegistryCache
    clock: Clock
    base_url: str = DEFAULT_BASE_URL
    offline: bool = False
    timeout: float = TIMEOUT_S
    limiter: RateLimiter = field(default_factory=lambda: LIMITER)
    transport: httpx.BaseTransport | None = None

    def cached(self, siren: str) -> CompanyRecord | None:
        """What the cache knows, however old; never the network."""
        return self.cache.stale(siren)

    def known(self, siren: str) -> tuple[bool, CompanyRecord | None]:
        """(True, record or None) when asking the registry again would bring nothing new:
        a record cached, however old, or a fresh « unknown »."""
        record = self.cache.stale(siren)
        if record is not None:
            return True, record
        return self.cache.get(siren, self.clock.now())

    def lookup(self, raw_siren: str, *, refresh: bool = False) -> CompanyRecord | None:
        """The record, or None when the registry does not know this SIREN.

        Raises RegistryOffline / RegistryUnavailable (French message) when it cannot say.
        """
        siren = normalize_siren(raw_siren)
        now = self.clock.now()
        if not refresh:
            known, record = self.cache.get(siren, now)
            if known:
                return record
        if self.offline:
            record = self.cache.stale(siren)
            if record is not None:
                return record
            raise RegistryOffline(
                f"hors ligne : l'annuaire n'est pas consulté et rien n'est en cache pour "
                f"{format_siren(siren)}."
            )
        record = self._fetch(siren)
        self.cache.put(siren, record, self.clock.now())
        return record

    def _fetch(self, siren: str) -> CompanyRecord | None:
        import httpx  # 60 ms of imports: only when the network is really used

        try:
            with httpx.Client(
                timeout=self.timeout,
                transport=self.transport,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                follow_redirects=False,
                trust_env=False,  # no proxy credentials or .netrc from the environment
            ) as client:
                response = self._get(client, siren)
                if response.status_code == 429:
                    wait = _retry_after(response.headers.get("Retry-After"))
                    if wait is None:
                        raise RegistryUnavailable(
                            "l'annuaire des entreprises limite les appels (trop de demandes) : "
                            "réessayez dans un instant."
                        )
                    time.sleep(wait)
                    response = self._get(client, siren)
        except httpx.TimeoutException:
            raise _unreachable(f"pas de réponse en {self.timeout:g} s") from None
        except httpx.ConnectError:
            raise _unreachable("connexion impossible") from None
        except httpx.HTTPError as err:
            raise _unreachable(type(err).__name__) from None
        if response.status_code == 429:
            raise RegistryUnavailable(
                "l'annuaire des entreprises limite les appels (trop de demandes) : réessayez "
                "dans un instant."
            )
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _unreachable(f"réponse HTTP {response.status_code}")
        try:
            return parse_search_response(response.json(), siren)
        except (ValueError, RegistryFormatError):
            raise RegistryUnavailable(
                "l'annuaire des entreprises a répondu dans un format inattendu."
            ) from None

    def _get(self, client: httpx.Client, siren: str) -> httpx.Response:
        self.limiter.wait()
        return client.get(f"{self.base_url}/search", params={"q": siren})


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return 1.0
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds <= MAX_RETRY_AFTER_S else None


def open_registry(
    data_dir: os.PathLike[str] | str,
    clock: Clock,
    settings: Mapping[str, Any],
    *,
    offline: bool = False,
) -> Registry:
    from pathlib import Path

    return Registry(
        cache=RegistryCache(Path(data_dir)),
        clock=clock,
        base_url=base_url(),
        offline=offline or offline_wanted(settings),
    )
