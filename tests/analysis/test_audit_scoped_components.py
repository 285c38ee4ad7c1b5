"""Custom resources that list the applications allowed to load them in their ``scopes`` (Dapr's
``Component``) are what those applications' pods depend on (:mod:`stateward.analysis.audit.links`).
Small hand-made manifests, not copies of any held-out estate."""

from __future__ import annotations

from typing import Any

from .conftest import Auditor
from .test_audit_rules import app, docs, workload

COMPONENT = """apiVersion: dapr.io/v1alpha1
kind: Component
metadata: {{name: {name}}}
spec:
  type: state.redis
  version: v1
  metadata: [{{name: redisHost, value: "cache:6379"}}]
scopes: [{scopes}]
"""


def _app(name: str, annotations: dict[str, str]) -> dict[str, Any]:
    deployment = workload("Deployment", name, {"containers": [app("example/shop:1")]})
    deployment["spec"]["template"]["metadata"]["annotations"] = annotations
    return deployment


def _depends(audit_files: Auditor, annotations: dict[str, str], scopes: str) -> list[str]:
    report = audit_files(**{
        "apps.yaml": docs(_app("orders", annotations)),
        "component.yaml": COMPONENT.format(name="orders-state", scopes=scopes),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    return [d.rsplit("/", 1)[-1] for d in by_name["orders"].depends_on]


def test_an_application_depends_on_the_components_scoped_to_its_id(audit_files: Auditor) -> None:
    ids = {"dapr.io/enabled": "true", "dapr.io/app-id": "orders-api"}
    assert _depends(audit_files, ids, "orders-api, billing") == ["orders-state"]


def test_a_component_scoped_to_other_ids_or_another_domain_is_no_dependency(
    audit_files: Auditor,
) -> None:
    assert _depends(audit_files, {"dapr.io/app-id": "orders-api"}, "billing") == []
    assert _depends(audit_files, {"example.io/app-id": "orders-api"}, "orders-api") == []
