"""A service that keeps its records in a database of the estate still keeps data in the project
folder it binds when the database's own data directory is bound inside that folder: the author
keeps the application's state under one folder. Not when the folder is split among services."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of


def _compose(db_folder: str, extra: str = "") -> str:
    return f"""
services:
  forge:
    image: example/forge:1
    ports: ["6610:6610"]
    environment: {{DB_URL: "jdbc:postgresql://postgres:5432/forge"}}
    volumes: ["./forge:/opt/forge"]
    depends_on: [postgres]
  postgres:
    image: postgres:16
    volumes: ["{db_folder}:/var/lib/postgresql/data"]
{extra}"""


_FRONT = """  front:
    image: example/forge-ui:1
    ports: ["80:80"]
    volumes: ["./forge/assets:/srv/assets"]
"""


@pytest.mark.parametrize(
    ("compose", "kept"),
    [
        (_compose("./forge/site/postgres"), True),  # the database inside the app's folder
        (_compose("./pgdata"), False),  # beside it: the records are in the database
        (_compose("./forge/site/postgres", _FRONT), False),  # a folder the stack splits
    ],
)
def test_a_database_bound_inside_the_application_folder_makes_it_data(
    audit_files: Auditor, compose: str, kept: bool
) -> None:
    report = audit_files(**{"compose.yaml": compose})
    forge = next(c for c in report.components if c.name == "forge")
    assert (forge.lifecycle is Lifecycle.PERSISTENT) == kept
    assert ("COMPOSE_BIND" in forge.deciding) == kept
    assert "COMPOSE_BIND" in rules_of(report, "postgres")  # the database's own, either way
