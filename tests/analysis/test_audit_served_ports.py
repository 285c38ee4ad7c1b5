"""A pod a Service fronts on both of ActiveMQ's own ports (OpenWire 61616, the console's 8161)
runs ActiveMQ, whatever its image is called, and keeps its messages in its data directory. One
port alone, or an image already named for another store, says no such thing. Small hand-made
Kubernetes estates."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of


def _estate(ports: str, image: str = "example.org/acme/shop-queue:2", claim: bool = False) -> str:
    mount = (
        "\n        volumeMounts: [{name: d, mountPath: /opt/apache-activemq/data}]" if claim else ""
    )
    volume = "\n      volumes: [{name: d, persistentVolumeClaim: {claimName: q}}]" if claim else ""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: queue, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: queue}}}}
  template:
    metadata: {{labels: {{app: queue}}}}
    spec:
      containers:
      - name: queue
        image: {image}{mount}{volume}
---
apiVersion: v1
kind: Service
metadata: {{name: queue, namespace: ns}}
spec:
  selector: {{app: queue}}
  ports: {ports}
"""


_BOTH = "[{name: http, port: 8161}, {name: endpoint, port: 61616}]"


def test_a_pod_served_on_activemqs_ports_keeps_its_messages(audit_files: Auditor) -> None:
    report = audit_files(**{"q.yaml": _estate(_BOTH)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "queue")
    (queue,) = report.components
    assert str(queue.lifecycle) == "persistent"


@pytest.mark.parametrize(
    ("ports", "image", "claim"),
    [
        ("[{port: 61616}]", "example.org/acme/shop-queue:2", False),  # one port alone
        (_BOTH, "example.org/acme/shop-queue:2", True),  # its data directory on a claim
        (_BOTH, "redis:7", False),  # an image named for another store keeps its family
    ],
)
def test_one_port_a_claim_or_another_store_is_no_activemq_without_a_volume(
    audit_files: Auditor, ports: str, image: str, claim: bool
) -> None:
    report = audit_files(**{"q.yaml": _estate(ports, image, claim)})
    messages = [f.message for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert not any("activemq" in m for m in messages)


def test_the_activemq_image_keeps_its_messages_under_its_home(audit_files: Auditor) -> None:
    report = audit_files(**{"q.yaml": _estate("[{port: 5672}]", "apache/activemq-classic:6.1")})
    (finding,) = [f for f in report.findings if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert "/opt/apache-activemq/data" in finding.message
