"""Fixtures of the ledger tests that run on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.store.conftest import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def location(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A fresh store location on each backend (a database of its own on PostgreSQL, whose
    key files go to the test's directory)."""
    monkeypatch.setenv("STATEWARD_KEY_FILE", str(tmp_path / "pg.key"))
    if request.param == "sqlite":
        yield str(tmp_path / "store")
        return
    yield from fresh_database(request.getfixturevalue("pg_url"))
