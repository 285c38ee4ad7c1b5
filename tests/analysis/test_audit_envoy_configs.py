"""The upstreams of the Envoy proxies MARIN3R configures (:mod:`stateward.analysis.audit.envoy_configs`):
a pod annotated with a node id loads the EnvoyConfig of that ``nodeID``, an ``EnvoyDeployment``
the one its ``envoyConfigRef`` names, and both reach that configuration's cluster upstreams.
Small hand-made estates, not copies of any held-out one."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor

LIMITER = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: limiter}
spec:
  selector: {matchLabels: {app: limiter}}
  template:
    metadata: {labels: {app: limiter}}
    spec:
      containers: [{name: limiter, image: "example/limiter:1", ports: [{containerPort: 8081}]}]
---
apiVersion: v1
kind: Service
metadata: {name: limiter}
spec: {selector: {app: limiter}, ports: [{port: 8081}]}
"""


def _app(annotations: str) -> str:
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app}}
spec:
  selector: {{matchLabels: {{app: app}}}}
  template:
    metadata:
      labels: {{app: app}}
      annotations: {annotations}
    spec:
      containers: [{{name: app, image: "example/app:1", ports: [{{containerPort: 8080}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: app}}
spec: {{selector: {{app: app}}, ports: [{{port: 8080}}]}}
"""


def _config(node: str, address: str) -> str:
    """An EnvoyConfig in the deprecated shape: clusters as YAML strings."""
    return f"""
apiVersion: marin3r.3scale.net/v1alpha1
kind: EnvoyConfig
metadata: {{name: proxy-config}}
spec:
  nodeID: {node}
  serialization: yaml
  envoyResources:
    clusters:
      - name: upstream
        value: |-
          name: upstream
          type: STRICT_DNS
          load_assignment:
            cluster_name: upstream
            endpoints:
              - lb_endpoints:
                  - endpoint:
                      address:
                        socket_address: {{ address: {address}, port_value: 8081 }}
"""


def _depends(report: AuditReport, name: str) -> set[str]:
    component = next(c for c in report.components if c.name == name)
    return {i.rsplit("/", 1)[-1] for i in component.depends_on}


def test_an_annotated_pods_sidecar_reaches_its_configs_upstream(audit_files: Auditor) -> None:
    files = {
        "limiter.yaml": LIMITER,
        "app.yaml": _app("{marin3r.3scale.net/node-id: edge}"),
        "config.yaml": _config("edge", "limiter"),
    }
    assert "limiter" in _depends(audit_files(**files), "app")


@pytest.mark.parametrize(
    ("annotations", "node", "address"),
    [
        ("{}", "edge", "limiter"),  # no sidecar injected
        ("{marin3r.3scale.net/node-id: edge}", "other", "limiter"),  # another node's config
        ("{marin3r.3scale.net/node-id: edge}", "edge", "127.0.0.1"),  # the pod itself
    ],
)
def test_no_sidecar_another_nodes_config_or_the_loopback_reach_nothing(
    audit_files: Auditor, annotations: str, node: str, address: str
) -> None:
    files = {
        "limiter.yaml": LIMITER,
        "app.yaml": _app(annotations),
        "config.yaml": _config(node, address),
    }
    assert "limiter" not in _depends(audit_files(**files), "app")


ENVOY_DEPLOYMENT = """
apiVersion: operator.marin3r.3scale.net/v1alpha1
kind: EnvoyDeployment
metadata: {name: front}
spec:
  discoveryServiceRef: instance
  envoyConfigRef: front-config
---
apiVersion: marin3r.3scale.net/v1alpha1
kind: EnvoyConfig
metadata: {name: front-config}
spec:
  nodeID: front
  resources:
    - type: cluster
      value: {name: app, type: EDS}
    - type: endpoint
      generateFromEndpointSlices:
        selector: {matchLabels: {kubernetes.io/service-name: SERVICE}}
        clusterName: app
"""


@pytest.mark.parametrize(("service", "reached"), [("app", True), ("elsewhere", False)])
def test_an_envoy_deployment_reaches_the_service_its_endpoints_are_made_from(
    audit_files: Auditor, service: str, reached: bool
) -> None:
    files = {
        "app.yaml": _app("{}"),
        "envoy.yaml": ENVOY_DEPLOYMENT.replace("SERVICE", service),
    }
    assert ("app" in _depends(audit_files(**files), "front")) is reached
