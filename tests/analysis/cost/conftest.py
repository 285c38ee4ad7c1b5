"""Small estates written to disk, read by the real sources, for the cost tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from stateward.api import observe
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper

Pair = Callable[[str, str], tuple[Observation, Observation]]
KEEPER = SecretKeeper(b"c" * 32)


def observe_text(folder: Path, text: str, name: str = "estate.yaml") -> Observation:
    """Write ``text`` under ``folder`` and observe it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    observation = observe([str(folder)], estate="t", keeper=KEEPER)
    assert observation.errors == [], [e.message for e in observation.errors]
    return observation


@pytest.fixture
def pair(tmp_path: Path) -> Pair:
    """``pair(before_yaml, after_yaml)``: both observed with one secret key."""

    def run(before: str, after: str) -> tuple[Observation, Observation]:
        return observe_text(tmp_path / "before", before), observe_text(tmp_path / "after", after)

    return run
