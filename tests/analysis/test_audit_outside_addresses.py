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


PINNED = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: api}}
spec:
  selector: {{matchLabels: {{app: api}}}}
  template:
    metadata: {{labels: {{app: api}}}}
    spec:
      containers:
        - name: api
          image: example/api:1
          ports: [{{containerPort: 8080}}]  # no background worker, linked to its neighbours
          env: [{{name: DB_HOST, value: "{host}"}}, {{name: DB_PORT, value: "5432"}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: db}}
spec:
  serviceName: db
  selector: {{matchLabels: {{app: db}}}}
  template:
    metadata: {{labels: {{app: db}}}}
    spec:
      containers: [{{name: db, image: "postgres:16"}}]
---
apiVersion: v1
kind: Service
metadata: {{name: db}}
spec:
  clusterIP: {cluster_ip}
  selector: {{app: db}}
  ports: [{{port: 5432}}]
"""


@pytest.mark.parametrize(
    ("host", "cluster_ip", "linked"),
    [
        ("10.43.150.34", "10.43.150.34", {"db"}),  # the address the Service pins
        ("10.43.150.35", "10.43.150.34", set()),  # another address: nothing known answers
    ],
)
def test_a_host_variable_holding_a_services_pinned_cluster_ip_reaches_its_pods(
    audit_files: Auditor, host: str, cluster_ip: str, linked: set[str]
) -> None:
    report = audit_files(**{"app.yaml": PINNED.format(host=host, cluster_ip=cluster_ip)})
    assert _depends(report)["api"] == linked


def test_a_pinned_cluster_ip_is_reached_from_another_namespace(audit_files: Auditor) -> None:
    """A Service's cluster IP answers clients of any namespace, unlike its short name."""
    manifests = PINNED.format(host="10.43.150.34", cluster_ip="10.43.150.34")
    api, db, service = manifests.split("---")
    db = db.replace("metadata: {name: db}", "metadata: {name: db, namespace: data}")
    service = service.replace("metadata: {name: db}", "metadata: {name: db, namespace: data}")
    assert "namespace: data" in db and "namespace: data" in service
    report = audit_files(**{"app.yaml": "---".join((api, db, service))})
    assert _depends(report)["api"] == {"db"}
