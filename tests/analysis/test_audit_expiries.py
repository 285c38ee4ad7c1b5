"""A client giving every key it writes into Redis a time to live keeps a cache there
(:mod:`stateward.analysis.audit.expiries`): Quetre's ``REDIS_URL`` with ``REDIS_TTL``."""

from __future__ import annotations

import pytest

from .conftest import Auditor


def _front(*env: str) -> str:
    """A front reaching a Redis on no volume, no database in the project."""
    variables = "".join(f"      - {e}\n" for e in env)
    return (
        "services:\n"
        "  front:\n    image: example/front:1\n    depends_on: [redis]\n"
        f"    environment:\n{variables}"
        "  redis:\n    image: redis:alpine\n"
    )


def _loss(auditor: Auditor, *env: str) -> str:
    report = auditor(**{"compose.yaml": _front(*env)})
    return next(str(c.loss) for c in report.components if c.name == "redis")


@pytest.mark.parametrize(
    "env",
    [
        ("REDIS_URL=redis:6379", "REDIS_TTL=3600"),
        ("REDIS_HOST=redis", "REDIS_DEFAULT_TTL_SECONDS=600"),
    ],
)
def test_a_time_to_live_for_all_a_client_writes_makes_a_cache(
    audit_files: Auditor, env: tuple[str, ...]
) -> None:
    assert _loss(audit_files, *env) == "rebuildable"


@pytest.mark.parametrize(
    "env",
    [
        ("REDIS_URL=redis:6379",),  # nothing said of its use: Redis persists by default
        ("REDIS_URL=redis:6379", "REDIS_TTL=0"),  # no expiry
        ("REDIS_URL=redis:6379", "REDIS_JOB_TTL=3600"),  # a part of what it keeps
        ("REDIS_URL=redis:6379", "SESSION_TTL=3600"),  # named for another thing
    ],
)
def test_no_time_to_live_or_one_for_a_part_says_nothing(
    audit_files: Auditor, env: tuple[str, ...]
) -> None:
    assert _loss(audit_files, *env) == "data"
