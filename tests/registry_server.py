"""A real HTTP server on 127.0.0.1 answering like the API Recherche d'entreprises.

Each SIREN behaves as the test says: a record in the documented shape (found, ceased,
entrepreneur individuel, collectivité…), not found, HTTP 429, too slow, or malformed JSON.
Every request is kept so tests can check that only the SIREN was sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


def company(
    siren: str,
    name: str,
    *,
    address: str = "17 BOULEVARD HAUSSMANN 75009 PARIS",
    state: str = "A",
    created: str = "1955-01-01",
    closed: str | None = None,
    legal_form: str = "5599",
    sole_trader: bool = False,
    local_authority: bool = False,
) -> dict[str, Any]:
    """One result of `/search`, with the fields the API documents (others left out)."""
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": None if sole_trader else name,
        "sigle": None,
        "nature_juridique": legal_form,
        "date_creation": created,
        "date_fermeture": closed,
        "etat_administratif": state,
        "siege": {
            "siret": f"{siren}00012",
            "adresse": address,
            "code_postal": address.split()[-2] if len(address.split()) > 1 else "",
            "etat_administratif": state,
        },
        "complements": {
            "est_entrepreneur_individuel": sole_trader,
            "collectivite_territoriale": {"code": "75056", "niveau": "commune"}
            if local_authority
            else None,
            "est_association": legal_form.startswith("92"),
        },
        "matching_etablissements": [],
    }


@dataclass
class FakeRegistry:
    url: str = ""
    # SIREN -> a result dict, or one of "429", "slow", "malformed", "500".
    answers: dict[str, Any] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    slow_seconds: float = 2.0
    retry_after: str | None = None

    def hits(self, siren: str) -> int:
        return sum(1 for r in self.requests if r["query"].get("q") == [siren])


def _handler(fake: FakeRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            fake.requests.append(
                {"path": parts.path, "query": query, "headers": dict(self.headers.items())}
            )
            siren = (query.get("q") or [""])[0]
            answer = fake.answers.get(siren)
            if parts.path != "/search":
                self._send(404, b'{"erreur":"introuvable"}')
            elif answer == "429":
                headers = {"Retry-After": fake.retry_after} if fake.retry_after else {}
                self._send(429, b'{"erreur":"Trop de requetes"}', headers)
            elif answer == "slow":
                time.sleep(fake.slow_seconds)
                self._send(200, b'{"results":[]}')
            elif answer == "malformed":
                self._send(200, b'{"results": [{"siren": ')
            elif answer == "500":
                self._send(500, b"<html>erreur</html>")
            else:
                results = [answer] if isinstance(answer, dict) else []
                body = {
                    "results": results,
                    "total_results": len(results),
                    "page": 1,
                    "per_page": 10,
                    "total_pages": 1,
                }
                self._send(200, json.dumps(body).encode())

    return Handler


@contextmanager
def serve_registry() -> Iterator[FakeRegistry]:
    fake = FakeRegistry()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
