"""A Tempo whose configuration file (a ConfigMap it mounts) keeps its trace blocks on local
disk holds the only copy of the traces it is sent there: on no volume, they go with the
container. Blocks on a claim, or in an object store, are no such finding. Small hand-made
Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

_LOCAL = """\
storage:
  trace:
    backend: local
    local: {path: /var/tempo/blocks}
    wal: {path: /var/tempo/wal}
"""
_S3 = "storage:\n  trace:\n    backend: s3\n    s3: {bucket: traces}\n    wal: {path: /var/tempo/wal}\n"


def _estate(config: str, image: str = "grafana/tempo:2.7.2", claim: bool = False) -> str:
    data = "\n".join("    " + line for line in config.splitlines())
    mount = ", {name: data, mountPath: /var/tempo}" if claim else ""
    volume = "\n      - {name: data, persistentVolumeClaim: {claimName: tempo}}" if claim else ""
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: tempo-config, namespace: ns}}
data:
  tempo.yaml: |
{data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: tempo, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: tempo}}}}
  template:
    metadata: {{labels: {{app: tempo}}}}
    spec:
      containers:
      - name: tempo
        image: {image}
        args: [-config.file=/etc/tempo/tempo.yaml]
        volumeMounts: [{{name: config, mountPath: /etc/tempo}}{mount}]
      volumes:
      - {{name: config, configMap: {{name: tempo-config}}}}{volume}
"""


def _findings(report: AuditReport) -> list[str]:
    return [f.message for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]


def test_local_trace_blocks_on_no_volume_are_lost_with_the_container(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"tempo.yaml": _estate(_LOCAL)})
    found = _findings(report)
    assert len(found) == 2 and all("tempo-config" in f for f in found)
    assert any("/var/tempo/blocks, on no volume" in f for f in found)
    (tempo,) = report.components
    assert str(tempo.lifecycle) == "persistent"


@pytest.mark.parametrize(
    ("config", "image", "claim"),
    [
        (_LOCAL, "grafana/tempo:2.7.2", True),  # the blocks on a claim
        (_S3, "grafana/tempo:2.7.2", False),  # the blocks in a bucket
        (_LOCAL, "example.org/acme/collector:1", False),  # no Tempo reads this file
    ],
)
def test_blocks_kept_or_elsewhere_are_no_finding(
    audit_files: Auditor, config: str, image: str, claim: bool
) -> None:
    report = audit_files(**{"tempo.yaml": _estate(config, image, claim)})
    assert _findings(report) == []
