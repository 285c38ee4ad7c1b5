"""Fuzzing profiles: bounded under ``make test``, long under ``make fuzz`` (STATEWARD_FUZZ=long).

Crashes found are kept as explicit ``@example`` cases on the test that found them, so every run
replays them first; ``make fuzz`` also saves any new failing input in ``tests/fuzz/corpus``
(hypothesis' example database), which ``make test`` replays read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

CORPUS = DirectoryBasedExampleDatabase(Path(__file__).parent / "corpus")
_COMMON = {
    "deadline": 5000,  # ms per input: "bounded time" is part of the property
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                              HealthCheck.data_too_large, HealthCheck.filter_too_much],
}  # fmt: skip
# About a minute in all across tests/fuzz on the project's 2-core CI machine.
settings.register_profile("fuzz-ci", max_examples=300, database=ReadOnlyDatabase(CORPUS), **_COMMON)
settings.register_profile("fuzz-long", max_examples=5_000, database=CORPUS, **_COMMON)


def fuzz_settings() -> settings:
    """The profile for this run, applied per test (the suite's default profile stays as it is)."""
    long = os.environ.get("STATEWARD_FUZZ") == "long"
    return settings.get_profile("fuzz-long" if long else "fuzz-ci")
