"""A Compose service of an image named for no database that publishes a database engine's port
and is given that engine's first-start variables, no host to reach, is that engine's server
(:func:`stateward.analysis.audit.knowledge.declared_family`): Bacula's catalog image, built
FROM postgres. Small hand-made estates."""

from __future__ import annotations

import pytest

from .conftest import Auditor

_CATALOG = """
services:
  db:
    image: example/catalog:11
    environment: {{{env}}}
    ports: ["{port}"]
  director:
    image: example/director:11
    depends_on: [db]
"""


def _loss(audit_files: Auditor, env: str, port: str = "5432:5432") -> str:
    report = audit_files(**{"compose.yaml": _CATALOG.format(env=env, port=port)})
    return str(next(c for c in report.components if c.name == "db").loss)


@pytest.mark.parametrize("port", ["5432:5432", "127.0.0.1:15432:5432/tcp"])
def test_a_service_published_on_postgres_port_with_its_first_start_variables_is_postgres(
    audit_files: Auditor, port: str
) -> None:
    env = "POSTGRES_PASSWORD: x, POSTGRES_USER: bacula, POSTGRES_DB: bacula"
    assert _loss(audit_files, env, port) == "data"


@pytest.mark.parametrize(("env", "port"), [
    # one variable alone, or a host to reach: a client of a server elsewhere
    ("POSTGRES_PASSWORD: x", "5432:5432"),
    ("POSTGRES_PASSWORD: x, POSTGRES_USER: u, POSTGRES_HOST: pg", "5432:5432"),
    # another engine's port says nothing of these variables
    ("POSTGRES_PASSWORD: x, POSTGRES_USER: u", "8080:8080"),
])  # fmt: skip
def test_a_client_or_another_port_is_no_database_server(
    audit_files: Auditor, env: str, port: str
) -> None:
    assert _loss(audit_files, env, port) != "data"
