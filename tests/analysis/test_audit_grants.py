"""An RBAC grant to proxy to named Services is a dependency of the workloads it is bound to.

A small hand-made estate, not a copy of any held-out estate.
"""

from __future__ import annotations

import pytest

from .conftest import Auditor, deployment

RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: viewer, namespace: ns}
rules:
  - apiGroups: [""]
    resources: [%s]
    resourceNames: [%s]
    verbs: [%s]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewer, namespace: ns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: viewer}
subjects: [{kind: ServiceAccount, name: console, namespace: ns}]
---
apiVersion: v1
kind: Service
metadata: {name: scraper, namespace: ns}
spec: {selector: {app: scraper}, ports: [{port: 8000}]}
"""


def _console_depends(audit_files: Auditor, rule: tuple[str, str, str]) -> set[str]:
    console = deployment("console", "serviceAccountName: console")
    report = audit_files(
        **{"rbac.yaml": RBAC % rule, "console.yaml": console, "scraper.yaml": deployment("scraper")}
    )
    names = {c.id: c.name for c in report.components}
    found = next(c for c in report.components if c.name == "console")
    return {names[d] for d in found.depends_on}


@pytest.mark.parametrize(
    "rule",
    [
        ('"services/proxy"', '"http:scraper:"', "get"),
        ('"services"', '"scraper"', "proxy"),
    ],
)
def test_a_grant_to_proxy_to_a_named_service_is_a_dependency(
    audit_files: Auditor, rule: tuple[str, str, str]
) -> None:
    assert _console_depends(audit_files, rule) == {"scraper"}


@pytest.mark.parametrize(
    "rule",
    [
        ('"services"', '"scraper"', "get"),  # reading the Service object reaches nothing
        ('"services/proxy"', '"elsewhere"', "get"),
    ],
)
def test_no_proxy_grant_to_the_service_makes_no_edge(
    audit_files: Auditor, rule: tuple[str, str, str]
) -> None:
    assert _console_depends(audit_files, rule) == set()
