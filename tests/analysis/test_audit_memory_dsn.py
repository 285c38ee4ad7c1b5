"""A data source name set to ``memory`` keeps the program's records in memory only: in the
environment, or in the configuration file the service binds (with or without ``./``), unless
the environment's ``DSN`` overrides the file. Small hand-made Compose projects."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of

_SERVER = "services:\n  keto:\n    image: oryd/keto:v26.2.0\n    command: serve -c /etc/keto.conf\n"
_BIND = "    volumes:\n      - type: bind\n        source: config/keto.conf\n        target: /etc/keto.conf\n"


@pytest.mark.parametrize(
    ("extra", "dsn"),
    [
        (_BIND, "dsn: memory"),
        ("    volumes: ['./config/keto.conf:/etc/keto.conf']\n", '"dsn": "memory"'),
        ("    environment: [DSN=memory]\n", "dsn: postgres://keto@db/keto"),
    ],
)
def test_an_in_memory_data_source_is_records_lost_on_replace(
    audit_files: Auditor, extra: str, dsn: str
) -> None:
    report = audit_files(**{"compose.yaml": _SERVER + extra, "config__keto.conf": f"{dsn}\n"})
    assert "IN_PROCESS_STORE" in rules_of(report, "keto")
    (component,) = report.components
    assert str(component.loss) == "data"


@pytest.mark.parametrize(
    ("extra", "dsn"),
    [
        (_BIND, "dsn: postgres://keto@db:5432/keto"),
        # the variable overrides the file's key
        (_BIND + "    environment: ['DSN=sqlite:///var/lib/keto/db.sqlite']\n", "dsn: memory"),
        # a key of another name, nested: not the data source
        (_BIND, "cache:\n  dsn: memory"),
    ],
)
def test_a_data_source_elsewhere_is_not_in_memory(
    audit_files: Auditor, extra: str, dsn: str
) -> None:
    report = audit_files(**{"compose.yaml": _SERVER + extra, "config__keto.conf": f"{dsn}\n"})
    assert "IN_PROCESS_STORE" not in rules_of(report, "keto")
