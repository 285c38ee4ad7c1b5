"""Every store test runs unchanged against SQLite and a real PostgreSQL server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests.services import service_down

from stateward.store import Store, open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store location on each backend (a new database for PostgreSQL)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store")
        return
    yield from fresh_database(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """The store at ``store_location``, opened, and closed after the test."""
    opened = open_store(store_location)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database of its own."""
    yield from fresh_database(pg_url)


def fresh_database(admin_url: str) -> Iterator[str]:
    """Create a database, yield its URL, drop it."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as exc:
        service_down("PostgreSQL", f"cannot create a test database: {exc}")
    base, _, _ = admin_url.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(autouse=True)
def _key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PostgreSQL stores keep their HMAC key in a local file; keep it per test.
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "pg.key"))
