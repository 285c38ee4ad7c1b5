"""A store its configuration keeps in memory loses what it holds on replace: a data source name
set to ``memory`` (in the environment, or in the file the service binds with or without ``./``,
unless the environment's ``DSN`` overrides the file), a Vald agent's index in memory mode with no
index path and no backup sidecar. Small hand-made Compose projects and manifests."""

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


def _agent(config: str, sidecar: str = "") -> str:
    body = "\n".join("        " + line for line in config.splitlines())
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: agent-config, namespace: ns}}
data:
  config.yaml: |
{body}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: vald-agent, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: vald-agent}}}}
  template:
    metadata: {{labels: {{app: vald-agent}}}}
    spec:
      containers:
      - name: vald-agent
        image: vdaas/vald-agent-ngt:v1.7.17
        volumeMounts: [{{name: config, mountPath: /etc/server/}}]
{sidecar}      volumes:
      - {{name: config, configMap: {{name: agent-config}}}}
"""


_SIDECAR = "      - {name: sidecar, image: vdaas/vald-agent-sidecar:v1.7.17}\n"


def test_a_vector_index_in_memory_mode_loses_its_vectors(audit_files: Auditor) -> None:
    config = 'ngt:\n  index_path: ""\n  enable_in_memory_mode: true\n'
    report = audit_files(**{"agent.yaml": _agent(config)})
    assert "IN_PROCESS_STORE" in rules_of(report, "vald-agent")


@pytest.mark.parametrize(
    ("config", "sidecar"),
    [
        ("ngt:\n  index_path: /var/ngt/index\n  enable_in_memory_mode: true\n", ""),
        ('ngt:\n  index_path: ""\n  enable_in_memory_mode: false\n', ""),
        ('ngt:\n  index_path: ""\n  enable_in_memory_mode: true\n', _SIDECAR),
    ],
)
def test_an_index_on_a_path_or_backed_up_is_not_in_memory_only(
    audit_files: Auditor, config: str, sidecar: str
) -> None:
    report = audit_files(**{"agent.yaml": _agent(config, sidecar)})
    assert "IN_PROCESS_STORE" not in rules_of(report, "vald-agent")
