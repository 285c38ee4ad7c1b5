"""Edges through addresses a peer answers on outside its name: a single-page app's browser-side
variables reach what the project publishes on the host, and a Kubernetes Service's external IP
reaches the workloads behind it at its port. Small hand-made estates, each beside the case that
must stay unlinked."""

from __future__ import annotations

import pytest

from .conftest import Auditor
from .test_audit_compose_edges import _depends

FRONTEND = """
services:
  orders:
    image: example/orders:1
    ports: ["8080:8080"]
  billing:
    image: example/billing:1
    ports: ["8100:8100"]
  front:
    image: example/front:1
    environment:
      - "{variable}=http://localhost:8080"
    ports: ["3000:80"]
"""


@pytest.mark.parametrize(
    ("variable", "linked"),
    [
        ("REACT_APP_ORDERS_BACKEND", {"orders"}),
        ("VUE_APP_ORDERS_BACKEND", {"orders"}),
        ("ORDERS_BACKEND", set()),  # read in the container: localhost is the container itself
    ],
)
def test_a_browser_variable_reaches_the_port_the_project_publishes(
    audit_files: Auditor, variable: str, linked: set[str]
) -> None:
    report = audit_files(**{"compose.yaml": FRONTEND.format(variable=variable)})
    assert _depends(report)["front"] == linked


MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: front}}
spec:
  selector: {{matchLabels: {{app: front}}}}
  template:
    metadata: {{labels: {{app: front}}}}
    spec:
      containers:
        - name: front
          image: example/front:1
          env: [{{name: API_URL, value: "http://203.0.113.7:{port}"}}]
---
{backend}
---
{backend2}
"""

BACKEND = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: {name}, image: "example/{name}:1"}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}}}
spec:
  type: LoadBalancer
  {address}
  selector: {{app: {name}}}
  ports: [{{port: {port}, targetPort: {port}}}]
"""


@pytest.mark.parametrize(
    ("port", "address", "linked"),
    [
        ("8100", "loadBalancerIP: 203.0.113.7", {"orders"}),
        ("8090", "loadBalancerIP: 203.0.113.7", {"billing"}),  # one IP, the port picks
        ("8100", "externalIPs: [203.0.113.7]", {"orders"}),
        ("9999", "loadBalancerIP: 203.0.113.7", set()),  # no Service on that port
        ("8100", "loadBalancerIP: 198.51.100.1", set()),  # another address
    ],
)
def test_a_services_external_address_reaches_the_workloads_behind_it(
    audit_files: Auditor, port: str, address: str, linked: set[str]
) -> None:
    backends = [
        BACKEND.format(name=name, port=p, address=address)
        for name, p in (("orders", 8100), ("billing", 8090))
    ]
    text = MANIFESTS.format(port=port, backend=backends[0], backend2=backends[1])
    report = audit_files(**{"all.yaml": text})
    depends = {k.rsplit("/", 1)[-1]: {v.rsplit("/", 1)[-1] for v in vs}
               for k, vs in _depends(report).items()}  # fmt: skip
    assert depends["front"] == linked
