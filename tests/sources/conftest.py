"""Shared fixtures for source tests: a keeper and a helper to observe files written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stateward.api import observe
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper


@pytest.fixture
def keeper(tmp_path: Path) -> SecretKeeper:
    return SecretKeeper.at(tmp_path / "test.key")


Observer = Callable[..., Observation]


@pytest.fixture
def observe_files(tmp_path: Path, keeper: SecretKeeper) -> Observer:
    """Write ``{relative path: text or bytes}`` under a fresh directory and observe it."""

    def run(files: dict[str, str | bytes], *targets: str) -> Observation:
        root = tmp_path / "in"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        locations = [str(root / t) for t in targets] or [str(root)]
        return observe(locations, estate="test", keeper=keeper)

    return run
