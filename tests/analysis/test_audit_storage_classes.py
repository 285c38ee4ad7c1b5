"""An operator resource naming a class of storage of its own API group, declared in the shape
of a StorageClass (``provisioner`` and ``reclaimPolicy``), is a claim on it: it holds what the
class's provisioner made for it (:func:`stateward.analysis.audit.links.storage_class`). The
``acme`` kinds are made up: no family is registered for them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, custom_resource

ACME = "storage.acme.example.io/v1alpha1"


def _provider(spec: str) -> str:
    return custom_resource(ACME, "StoreProvider", spec, name="rds-mysql")


def _node(field: str = "storeProviderName") -> str:
    return custom_resource(ACME, "StoreNode", f"spec: {{{field}: rds-mysql, schema: app}}")


@pytest.mark.parametrize("policy", ["Delete", "Retain"])
def test_a_node_naming_a_class_with_a_provisioner_holds_what_it_provisioned(
    audit_files: Auditor, policy: str
) -> None:
    provider = _provider(
        f"spec: {{provisioner: acme.example.io/rds, reclaimPolicy: {policy},"
        " parameters: {engine: mysql}}"
    )
    report = audit_files(**{"p.yaml": provider, "n.yaml": _node()})
    by_kind = {c.kind: c for c in report.components}
    assert by_kind["StoreNode"].lifecycle is Lifecycle.PERSISTENT
    assert by_kind["StoreProvider"].lifecycle is Lifecycle.EPHEMERAL_SAFE  # the class holds none
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert "provisioned by acme.example.io/rds" in finding.message


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {provisioner: acme.example.io/rds, parameters: {engine: mysql}}",  # no policy
        "spec: {provisioner: acme.example.io/rds, reclaimPolicy: Sometimes}",
        "spec: {engine: mysql, reclaimPolicy: Delete}",  # no provisioner
    ],
)
def test_a_resource_not_shaped_as_a_class_of_storage_provisions_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"p.yaml": _provider(spec), "n.yaml": _node()})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)
