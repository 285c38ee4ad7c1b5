"""A catalogued application told by its documented settings to keep its records on a database
server (n8n's ``DB_TYPE: postgresdb``, read through the ConfigMap it loads whole) and given the
key it would otherwise write in its directory keeps nothing of its own there; left on its
embedded database, without the key, or told to write files there, it still keeps data."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of

_MAPS = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: n8n-env, namespace: n8n}
data: {DB_TYPE: DBTYPE, DB_POSTGRESDB_HOST: postgres.n8n.svc.cluster.local}
---
apiVersion: v1
kind: Secret
metadata: {name: n8n-secrets, namespace: n8n}
stringData: {DB_POSTGRESDB_PASSWORD: changePassword, KEYNAME: changeThis}
---
"""
_WORKER = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: n8n}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec:
      containers:
        - name: worker
          image: n8nio/n8n:1.80.0
          args: [worker]
          env: ENV
          envFrom:
            - configMapRef: {name: n8n-env}
            - secretRef: {name: n8n-secrets}
"""


def _worker(audit_files: Auditor, db: str = "postgresdb", key: str = "N8N_ENCRYPTION_KEY",
            env: str = "[]") -> AuditReport:  # fmt: skip
    maps = _MAPS.replace("DBTYPE", db).replace("KEYNAME", key)
    return audit_files(**{"n8n.yaml": maps + _WORKER.replace("ENV", env)})


def test_told_to_use_a_server_and_given_its_key_keeps_nothing(audit_files: Auditor) -> None:
    report = _worker(audit_files)
    assert _loss_of(report, "worker") == "none"
    hits = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert all(str(f.severity) == "info" and "DB_TYPE=postgresdb" in f.message for f in hits)


@pytest.mark.parametrize(
    ("db", "key", "env"),
    [
        ("sqlite", "N8N_ENCRYPTION_KEY", "[]"),  # its embedded database
        ("postgresdb", "OTHER_KEY", "[]"),  # no key given: it writes one in ~/.n8n
        # binary data written under ~/.n8n
        ("postgresdb", "N8N_ENCRYPTION_KEY",
         "[{name: N8N_DEFAULT_BINARY_DATA_MODE, value: filesystem}]"),
    ],
)  # fmt: skip
def test_left_on_local_files_it_keeps_data(
    audit_files: Auditor, db: str, key: str, env: str
) -> None:
    report = _worker(audit_files, db, key, env)
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    assert _loss_of(report, "worker") == "data"


def test_its_own_variable_overrides_the_config_map(audit_files: Auditor) -> None:
    report = _worker(audit_files, env="[{name: DB_TYPE, value: sqlite}]")
    assert _loss_of(report, "worker") == "data"


def test_compose_service_told_the_same_keeps_nothing(audit_files: Auditor) -> None:
    service = (
        "services:\n  n8n:\n    image: docker.n8n.io/n8nio/n8n\n    environment:\n"
        "      DB_TYPE: postgresdb\n      DB_POSTGRESDB_HOST: db.example.org\n"
        "      N8N_ENCRYPTION_KEY: ${KEY}\n"
    )
    assert _loss_of(audit_files(**{"compose.yaml": service}), "n8n") == "none"
    unset = service.replace("      DB_TYPE: postgresdb\n", "")
    assert _loss_of(audit_files(**{"compose.yaml": unset}), "n8n") == "data"


def _loss_of(report: AuditReport, name: str) -> str:
    (component,) = [c for c in report.components if c.name == name]
    return str(component.loss)
