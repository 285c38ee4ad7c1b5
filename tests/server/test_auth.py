"""Every route needs a token (but health and, with --public-log, the log); a read token cannot
sign; failed attempts are limited; tokens are stored and logged as digests or not at all."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

import pytest
import requests
from tests.server.conftest import SHOP, Served, running, scanned_shop, stateward, tokens

from stateward.server import Settings
from stateward.server.auth import FAILURES, FailedAuth, KnownTokens

# every route the server has, with a request that is valid given a token
ROUTES = [
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/estates"),
    ("GET", "/api/v1/estates/shop/observations"),
    ("GET", "/api/v1/estates/shop/components"),
    ("GET", "/api/v1/estates/shop/components/k8s:StatefulSet/shop/postgres"),
    ("GET", "/api/v1/estates/shop/timeline"),
    ("GET", "/api/v1/estates/shop/audit"),
    ("GET", "/api/v1/estates/shop/cost"),
    ("GET", "/api/v1/drift?desired=shop@%231&live=shop"),
    ("GET", "/api/v1/parity?a=shop@%231&b=shop"),
    ("GET", "/api/v1/evidence"),
    ("GET", "/api/v1/ledger/checkpoint"),
    ("POST", "/api/v1/ledger/checkpoint"),
    ("GET", "/api/v1/ledger/entries/0/proof"),
    ("POST", "/api/v1/ledger/consistency"),
    ("GET", "/log/checkpoint"),
    ("GET", "/log/tile/0/000.p/2"),
    ("GET", "/log/tile/entries/000.p/2"),
    ("GET", "/metrics"),
    ("GET", "/"),
    ("GET", "/estates/shop"),
    ("GET", "/estates/shop/components/k8s:StatefulSet/shop/postgres"),
    ("GET", "/estates/shop/timeline"),
    ("GET", "/estates/shop/map"),
    ("GET", "/estates/shop/audit"),
    ("GET", "/drift?desired=shop@%231&live=shop"),
    ("GET", "/parity?a=shop@%231&b=shop"),
    ("GET", "/ledger"),
    ("GET", "/estates/shop/cost?changes=1..2&deploys_per_day=3"),
    ("GET", "/evidence"),
]
ADMIN = {("POST", "/api/v1/ledger/checkpoint")}


def _template(path: str) -> str:
    path = path.split("?")[0].replace("k8s:StatefulSet/shop/postgres", "{component}")
    return path.replace("/shop/", "/{estate}/").replace("/0/", "/{index}/")


def test_the_route_list_covers_every_documented_route(served: Served) -> None:
    document = requests.get(
        served.url + "/api/v1/openapi.json", headers=served.auth(served.read), timeout=30
    )
    documented = {
        (method.upper(), path)
        for path, methods in document.json()["paths"].items()
        for method in methods
    }
    routes = {(method, _template(path)) for method, path in ROUTES}
    # a bundle's address differs per store: test_evidence.py asks for those with and without
    # a token
    bundles = {("GET", "/api/v1/evidence/{address}"), ("GET", "/api/v1/evidence/{address}/bundle")}
    assert documented - {("GET", "/log/tile/{path}")} - bundles <= routes
    assert {p for _, p in ROUTES if p.startswith("/log/")} == {
        "/log/checkpoint",
        "/log/tile/0/000.p/2",
        "/log/tile/entries/000.p/2",
    }


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_without_a_token_is_401(served: Served, method: str, path: str) -> None:
    for headers in ({}, served.auth("swt_00000000_not-a-token"), {"Authorization": "Basic eDp5"}):
        answer = requests.request(method, served.url + path, headers=headers, timeout=30)
        assert answer.status_code == 401, (headers, answer.text)
        assert answer.headers["WWW-Authenticate"] == 'Bearer realm="stateward"'


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_read_token_is_refused_only_on_admin_routes(
    served: Served, method: str, path: str
) -> None:
    body = {"checkpoint": _checkpoint(served)} if path.endswith("consistency") else None
    answer = requests.request(
        method, served.url + path, headers=served.auth(served.read), json=body, timeout=60
    )
    assert answer.status_code == (403 if (method, path) in ADMIN else 200), answer.text
    admin = requests.request(
        method, served.url + path, headers=served.auth(served.admin), json=body, timeout=60
    )
    assert admin.status_code == 200, admin.text


def _checkpoint(served: Served) -> str:
    answer = requests.get(
        served.url + "/log/checkpoint", headers=served.auth(served.read), timeout=30
    )
    return answer.text


def test_health_needs_no_token(served: Served) -> None:
    assert requests.get(served.url + "/healthz", timeout=30).json() == {"status": "ok"}
    assert requests.get(served.url + "/readyz", timeout=30).json() == {"status": "ready"}


def test_public_log_opens_the_log_only(served: Served) -> None:
    with running(served.location, Settings(public_log=True)) as url:
        assert requests.get(url + "/log/checkpoint", timeout=30).status_code == 200
        assert requests.get(url + "/log/tile/0/000.p/2", timeout=30).status_code == 200
        assert requests.get(url + "/api/v1/estates", timeout=30).status_code == 401


def test_failed_attempts_are_limited_per_client(served: Served) -> None:
    with running(served.location, Settings()) as url:  # a limiter of its own
        for _ in range(FAILURES * 2):  # a request without a token guesses nothing
            assert requests.get(url + "/api/v1/estates", timeout=30).status_code == 401
        for _ in range(FAILURES):
            wrong = requests.get(
                url + "/api/v1/estates", headers=served.auth("swt_guess"), timeout=30
            )
            assert wrong.status_code == 401
        limited = requests.get(
            url + "/api/v1/estates", headers=served.auth(served.read), timeout=30
        )
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 61
        assert requests.get(url + "/healthz", timeout=30).status_code == 200


def test_tokens_are_stored_as_digests_and_never_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    read, admin = tokens(location)
    assert read.startswith("swt_") and len(read) > 40 and read != admin
    made = json.loads(
        stateward("tokens", "create", "--role", "read", "--json", "--store", location)
    )
    assert made["role"] == "read" and made["token"].startswith(f"swt_{made['token_id']}_")
    with sqlite3.connect(tmp_path / "store" / "store.db") as db:
        rows = db.execute("SELECT digest, role FROM api_tokens ORDER BY rowid").fetchall()
        dump = "\n".join(db.iterdump())
    assert [role for _, role in rows] == ["read", "admin", "read"]
    assert all(token not in dump for token in (read, admin, made["token"]))
    caplog.set_level(logging.INFO, logger="stateward.server.access")
    with running(location, Settings()) as url:
        headers = {"Authorization": f"Bearer {read}"}
        assert requests.get(url + "/api/v1/estates?x=secret-query", headers=headers, timeout=30).ok
    lines = [r.getMessage() for r in caplog.records if r.name == "stateward.server.access"]
    assert any(" GET /api/v1/estates 200 role=read " in line for line in lines), lines
    assert not any(read in line or "secret-query" in line for line in lines)


def test_the_failed_attempts_table_forgets_old_clients() -> None:
    limiter = FailedAuth(failures=3, window_s=0.2)
    for n in range(500):  # an address-spraying client
        limiter.failed(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter) == 500
    for n in range(50):  # clients that never failed are not remembered
        assert limiter.retry_after(f"10.9.0.{n}") == 0
    assert len(limiter) == 500
    for _ in range(3):
        limiter.failed("10.1.0.1")
    assert limiter.retry_after("10.1.0.1") >= 1
    time.sleep(0.3)
    assert limiter.retry_after("10.1.0.1") == 0
    assert len(limiter) == 0


def test_a_read_token_proof_writes_nothing(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    read, admin = tokens(location)
    stateward("ledger", "checkpoint", "--store", location)
    stateward("scan", str(SHOP / "production"), "--estate", "shop", "--store", location)

    def kept() -> int:
        with sqlite3.connect(tmp_path / "store" / "store.db") as db:
            return int(db.execute("SELECT count(*) FROM ledger_checkpoints").fetchone()[0])

    before = kept()
    with running(location, Settings()) as url:
        for _ in range(5):
            proof = requests.get(
                url + "/api/v1/ledger/entries/1/proof", headers=_bearer(read), timeout=30
            )
            assert proof.status_code == 200, proof.text
            assert proof.json()["tree_size"] == 2
        newest = requests.get(
            url + "/api/v1/ledger/entries/2/proof", headers=_bearer(read), timeout=30
        )
        assert newest.status_code == 400
        assert "newer than the last checkpoint" in newest.json()["detail"]
        assert kept() == before
        fresh = requests.get(
            url + "/api/v1/ledger/entries/2/proof", headers=_bearer(admin), timeout=30
        )
        assert fresh.status_code == 200 and fresh.json()["tree_size"] == 3
    assert kept() == before + 1


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_found_token_is_remembered_for_a_while_and_a_wrong_one_never(tmp_path: Path) -> None:
    location = scanned_shop(str(tmp_path / "store"))
    read, _ = tokens(location)
    known = KnownTokens(location, known_s=0.5)
    assert known.remembered(read) is None
    assert known.role(read) == "read" and known.remembered(read) == "read"
    with sqlite3.connect(tmp_path / "store" / "store.db") as db:
        db.execute("DELETE FROM api_tokens")
    assert known.role(read) == "read"  # not read again while remembered
    time.sleep(0.6)
    assert known.remembered(read) is None and known.role(read) is None
    assert known.role("swt_guess") is None and known.remembered("swt_guess") is None
