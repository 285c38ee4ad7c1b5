"""Two test runs on one shared engine at once (several developers, or CI beside a developer)
must not collide: every volume, Compose project and published port a test makes is its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.engine

ROOT = Path(__file__).resolve().parents[2]
# The tests that name volumes and publish ports: run twice, at the same time.
NAMED = [
    "tests/engine/test_source.py::test_facts_of_a_container",
    "tests/engine/test_source.py::test_component_context_uses_compose_spellings",
    "tests/engine/test_compose_parity.py::test_container_made_as_compose_says_has_the_services_context",
]


def test_two_runs_on_one_engine_at_once_do_not_collide(engine_url: str) -> None:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *NAMED]
    env = {**os.environ, "STATEWARD_TEST_ENGINE": engine_url}
    runs = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
        assert f"{len(NAMED)} passed" in output, output[-3000:]
