"""A Service selecting a Prometheus Operator resource's pods by the labels its
``spec.podMetadata`` asks the operator to put on them reaches that resource (kube-prometheus'
``prometheus-k8s``), as one selecting them by the reserved labels does. The client is served (a
port and its Service), or it would be read as a background worker depending on every store of
its directory."""

from __future__ import annotations

import pytest

from .conftest import Auditor

PROMETHEUS = """apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec:
  replicas: 2
  podMetadata:
    labels: {app.kubernetes.io/component: prometheus, app.kubernetes.io/part-of: kube-prometheus}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  ports: [{name: web, port: 9090}]
  selector: {%s}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: adapter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: adapter}}
  template:
    metadata: {labels: {app: adapter}}
    spec:
      containers:
        - name: adapter
          image: registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0
          args: ["--prometheus-url=http://prometheus-k8s.monitoring.svc:9090/"]
          ports: [{containerPort: 6443}]
---
apiVersion: v1
kind: Service
metadata: {name: adapter, namespace: monitoring}
spec:
  ports: [{port: 443, targetPort: 6443}]
  selector: {app: adapter}
"""


@pytest.mark.parametrize(("selector", "reached"), [
    # podMetadata's labels with the reserved instance label
    ("app.kubernetes.io/component: prometheus, app.kubernetes.io/part-of: kube-prometheus, "
     "app.kubernetes.io/instance: k8s", True),
    ("app.kubernetes.io/part-of: kube-prometheus", True),
    # a label neither reserved nor asked for: the Service selects other pods
    ("app.kubernetes.io/part-of: kube-prometheus, tier: edge", False),
])  # fmt: skip
def test_a_service_selecting_the_pod_metadata_labels_reaches_the_resource(
    audit_files: Auditor, selector: str, reached: bool
) -> None:
    report = audit_files(**{"m.yaml": PROMETHEUS % selector})
    by_name = {c.name: c for c in report.components}
    expected = (by_name["k8s"].id,) if reached else ()
    assert by_name["adapter"].depends_on == expected
