"""Shared helpers for the diff tests: reading fixture manifests the way the sources do."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.manifests import parse_manifests

FIXTURES = Path(__file__).parent / "fixtures"
KEEPER = SecretKeeper(b"\x07" * 32)


def read_resources(path: Path) -> list[Resource]:
    """Every object in a fixture file; a fixture with a bad document is a broken test."""
    result = parse_manifests(str(path), path.read_text(encoding="utf-8"), KEEPER)
    assert not result.errors, [e.diagnostics() for e in result.errors]
    return result.resources


@pytest.fixture
def keeper() -> SecretKeeper:
    return KEEPER
