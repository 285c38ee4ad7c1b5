"""Atomix's stores (:mod:`stateward.analysis.audit.atomix_stores`): a shared-memory store keeps
the primitives in its node's memory; a Raft cluster keeps its log on a claim only when its
persistence is enabled, on an emptyDir otherwise."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of


def _cr(api: str, kind: str, spec: str | None) -> str:
    body = f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: store}}\n"
    return body + (f"spec: {spec}\n" if spec is not None else "")


def test_a_shared_memory_store_keeps_its_primitives_in_memory(audit_files: Auditor) -> None:
    # The documented example asks for nothing: no spec at all.
    report = audit_files(
        **{"cr.yaml": _cr("sharedmemory.atomix.io/v1beta1", "SharedMemoryStore", None)}
    )
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report)
    assert "process memory" in component.explanation
    # The same kind in another group is not Atomix's: only its name says it is a store kept in
    # memory (:mod:`stateward.analysis.audit.store_kinds`), with none of Atomix's reading.
    other = audit_files(**{"cr.yaml": _cr("example.org/v1", "SharedMemoryStore", None)})
    (stranger,) = other.components
    assert "process memory" not in stranger.explanation
    assert "members' memory" in stranger.explanation


@pytest.mark.parametrize(("spec", "loss", "rule"), [
    ("{replicas: 3}", "data", "OPERATOR_EPHEMERAL"),  # persistence off by default
    ("{replicas: 3, persistence: {enabled: false, size: 1Gi}}", "data", "OPERATOR_EPHEMERAL"),
    ("{replicas: 3, persistence: {enabled: true, size: 1Gi}}", "none", "OPERATOR_CLAIMS"),
])  # fmt: skip
def test_a_raft_cluster_keeps_its_log_on_a_claim_only_when_persistence_is_enabled(
    audit_files: Auditor, spec: str, loss: str, rule: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr("raft.atomix.io/v1beta3", "RaftCluster", spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    assert str(component.loss) == loss
    assert rule in rules_of(report)
