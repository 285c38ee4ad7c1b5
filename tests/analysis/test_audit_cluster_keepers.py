"""The stateless parts of a cluster depend on the members that keep its data, found by the
cluster label each is handed as its cluster's name (the downward API), not by a host.

A small hand-made estate, not a copy of any held-out estate.
"""

from __future__ import annotations

import pytest

from .conftest import Auditor

KEEPER = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: keeper, namespace: ns}
spec:
  serviceName: keeper
  selector: {matchLabels: {component: keeper, kv-cluster: alpha}}
  template:
    metadata: {labels: {component: keeper, kv-cluster: alpha}}
    spec:
      containers:
        - name: keeper
          image: example/keeper:1
          env:
            - name: KEEPER_CLUSTER_NAME
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['kv-cluster']"}}
            - {name: KEEPER_DATA_DIR, value: /data/keeper}
          volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""

FRONT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: ns}
spec:
  selector: {matchLabels: {component: front, kv-cluster: %s}}
  template:
    metadata: {labels: {component: front, kv-cluster: %s}}
    spec:
      containers:
        - name: front
          image: example/front:1
          ports: [{containerPort: 5432}]
          env:
            - name: %s
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['kv-cluster']"}}
"""


def _front_depends(audit_files: Auditor, cluster: str, variable: str) -> set[str]:
    report = audit_files(
        **{"keeper.yaml": KEEPER, "front.yaml": FRONT % (cluster, cluster, variable)}
    )
    names = {c.id: c.name for c in report.components}
    front = next(c for c in report.components if c.name == "front")
    return {names[d] for d in front.depends_on}


def test_a_stateless_member_depends_on_its_clusters_keepers(audit_files: Auditor) -> None:
    assert _front_depends(audit_files, "alpha", "FRONT_CLUSTER_NAME") == {"keeper"}


@pytest.mark.parametrize(
    ("cluster", "variable"), [("beta", "FRONT_CLUSTER_NAME"), ("alpha", "FRONT_ZONE")]
)
def test_another_cluster_or_a_label_not_handed_as_the_cluster_makes_no_edge(
    audit_files: Auditor, cluster: str, variable: str
) -> None:
    assert _front_depends(audit_files, cluster, variable) == set()
