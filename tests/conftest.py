"""Fixtures for the real services the tests use (started by ``scripts/services.sh``).

A test that needs a service asks for ``pg_url`` or ``engine_url``. When the service is not there
the test is skipped with the exact cause, loudly, so a green run never hides a missing service.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from tests.services import engine_problem, service_down

import stateward

# Speed is measured in bench/, never asserted in tests: hypothesis's per-example deadline
# (200 ms) is a timing assertion that fails on a loaded machine, so it is off everywhere.
settings.register_profile("stateward", deadline=None)
settings.load_profile("stateward")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the package's bytecode once, before any test starts a process.

    Many tests run ``stateward``, ``pytest`` or a spawned child as a process of its own. With
    ``PYTHONDONTWRITEBYTECODE`` set (as in some shells, these machines' included) no process
    writes the bytecode it compiles, so each compiled every module it imports again (about
    0.6 CPU s for ``stateward history``), which no install does. Python still checks the
    bytecode against its source's time stamp and size on every import. Only the package: the
    tests' folders hold estates whose files (a ``.py`` among them) the audit reads.
    """
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller has compiled it
    compileall.compile_dir(Path(stateward.__file__).parent, quiet=1)


def _require(var: str) -> str:
    value = os.environ.get(var, "")
    if not value:
        pytest.skip(
            f"SERVICE MISSING: ${var} is not set; run `make services` "
            "(scripts/services.sh) and source scripts/services.env"
        )
    return value


@pytest.fixture(scope="session")
def pg_url() -> str:
    """URL of the test PostgreSQL database (``$STATEWARD_TEST_PG``), checked to answer."""
    url = _require("STATEWARD_TEST_PG")
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        service_down("PostgreSQL", f"{url} does not answer a query: {exc}".strip())
    return url


@pytest.fixture(scope="session")
def engine_url() -> str:
    """``unix://`` URL of the test Podman engine (``$STATEWARD_TEST_ENGINE``), checked to run a
    container."""
    url = _require("STATEWARD_TEST_ENGINE")
    problem = engine_problem(url)
    if problem:
        service_down("container engine", problem)
    return url


@pytest.fixture(scope="session")
def registry() -> str:
    """``host:port`` of the loopback test registry (``$STATEWARD_TEST_REGISTRY``)."""
    return _require("STATEWARD_TEST_REGISTRY")


@pytest.fixture(autouse=True)
def _config_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stores keep their keys in the user's config directory: never the real one in a test.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


# The test Kubernetes API server and Debian kubectl (tests/kubeapi).
pytest_plugins = ["tests.kubeapi.fixtures"]
