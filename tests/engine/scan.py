"""Helpers shared by the engine tests: scan the test engine and pick out one container."""

from __future__ import annotations

import hashlib
from typing import Any

from docker.models.containers import Container

from stateward.model.resource import Resource
from stateward.model.secrets import SecretKeeper
from stateward.sources.engine.layer import Budget
from stateward.sources.engine.source import EngineSource
from stateward.sources.interface import Progress, SourceResult


def scan(
    engine_url: str,
    keeper: SecretKeeper,
    budget: Budget | None = None,
    progress: Progress | None = None,
) -> SourceResult:
    """Observe the test engine through ``engine:///<socket>``."""
    source = EngineSource(budget=budget or Budget())
    return source.observe("engine://" + engine_url.removeprefix("unix://"), keeper, progress)


def resource_of(result: SourceResult, container: Container) -> Resource:
    """The resource the scan made for ``container``."""
    found = [r for r in result.resources if r.body["id"] == container.id]
    assert len(found) == 1, f"{container.name} not observed exactly once: {result.errors}"
    return found[0]


def layer_of(result: SourceResult, container: Container) -> dict[str, Any]:
    """The writable-layer changes observed for ``container``, keyed by path."""
    changes: dict[str, Any] = resource_of(result, container).body["writable_layer"]["changes"]
    return changes


def sha256(data: bytes) -> str:
    """The content digest the layer reader records."""
    return "sha256:" + hashlib.sha256(data).hexdigest()
