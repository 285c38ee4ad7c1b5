"""A NetworkPolicy that lets one workload's pods connect to another's is a dependency edge
(ingress ``from`` and egress ``to`` peers given by ``podSelector``); a peer of every pod, of
other namespaces or of an address block names no workload. Hand-made manifests."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor


def _deployment(name: str, image: str) -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: {name}, image: "{image}", ports: [{{containerPort: 8080}}]}}]
---
"""


POLICIES = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: repo-policy, namespace: ns}
spec:
  podSelector: {matchLabels: {app: repo}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: api}}
    - namespaceSelector: {matchLabels: {team: monitoring}}
      podSelector: {matchLabels: {app: scraper}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: worker-egress, namespace: ns}
spec:
  podSelector: {matchLabels: {app: worker}}
  egress:
  - to: [{podSelector: {matchLabels: {app: repo}}}]
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open, namespace: ns}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {}}]}]
"""


def _depends(report: AuditReport) -> dict[str, set[str]]:
    names = {c.id: c.name for c in report.components}
    return {c.name: {names[d] for d in c.depends_on} for c in report.components}


def test_a_network_policy_admitting_a_workload_is_its_dependency(audit_files: Auditor) -> None:
    workloads = "".join(
        _deployment(n, "example/svc:1") for n in ("api", "repo", "worker", "scraper")
    )
    depends = _depends(audit_files(**{"all.yaml": workloads + POLICIES}))
    assert depends["api"] == {"repo"}  # ingress from api's pods
    assert depends["worker"] == {"repo"}  # egress to repo's pods
    # Another namespace's scraper and the policy of every pod name no workload.
    assert depends["scraper"] == set()
    assert depends["repo"] == set()
