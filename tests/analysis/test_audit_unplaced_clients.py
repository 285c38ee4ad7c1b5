"""A workload whose manifest names no namespace is applied into the one chosen at ``kubectl
apply -n`` time: addressing a bare name, it reaches the one Service of that name the estate
declares."""

from __future__ import annotations

from .conftest import Auditor

_STORE = """
apiVersion: v1
kind: Service
metadata: {name: objects, namespace: %s}
spec: {selector: {app: objects}, ports: [{port: 4566}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: objects, namespace: %s}
spec:
  selector: {matchLabels: {app: objects}}
  template:
    metadata: {labels: {app: objects}}
    spec: {containers: [{name: s3, image: example/s3-emulator:1, ports: [{containerPort: 4566}]}]}
"""
_CLIENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: engine%s}
spec:
  selector: {matchLabels: {app: engine}}
  template:
    metadata: {labels: {app: engine}}
    spec:
      containers: [{name: engine, image: example/engine:1, ports: [{containerPort: 80}],
                    env: [{name: STORE_ENDPOINT, value: 'http://objects:4566'}]}]
"""


def test_a_client_applied_with_no_namespace_reaches_the_one_service_of_its_name(
    audit_files: Auditor,
) -> None:
    """The client's manifest names no namespace: it is applied beside the one Service of the
    name it addresses. Two Services of that name, or a client placed elsewhere, say nothing."""
    report = audit_files(**{"store.yaml": _STORE % ("lab", "lab"), "client.yaml": _CLIENT % ""})
    by_id = {c.name: c for c in report.components}
    assert by_id["engine"].depends_on == (by_id["objects"].id,)
    two = _STORE % ("lab", "lab") + "---\n" + _STORE % ("prod", "prod")
    report = audit_files(**{"store.yaml": two, "client.yaml": _CLIENT % ""})
    assert {c.name: c for c in report.components}["engine"].depends_on == ()
    placed = _CLIENT % ", namespace: apps"
    report = audit_files(**{"store.yaml": _STORE % ("lab", "lab"), "client.yaml": placed})
    assert {c.name: c for c in report.components}["engine"].depends_on == ()


_CLUSTER = """
apiVersion: graphdb.example.com/v1
kind: GraphCluster
metadata: {name: main, namespace: %s}
spec: {replicas: 3, storage: {volumeClaimTemplate: {resources: {requests: {storage: 10Gi}}}}}
"""
_SCHEDULE = """
apiVersion: %s
kind: GraphBackupSchedule
metadata: {name: nightly%s}
spec: {schedule: '0 0 * * *', backupTemplate: {clusterName: main}}
"""


def test_a_resource_applied_with_no_namespace_names_the_one_resource_of_its_group(
    audit_files: Auditor,
) -> None:
    """Its manifest names no namespace: it is applied beside the one resource of its API group
    by the name it gives. Two such namespaces, another group, or a placed resource say nothing."""

    def depends(cluster: str, schedule: str) -> tuple[str, ...]:
        report = audit_files(**{"cluster.yaml": cluster, "schedule.yaml": schedule})
        return {c.name: c for c in report.components}["nightly"].depends_on

    group = "graphdb.example.com/v1"
    assert depends(_CLUSTER % "graph", _SCHEDULE % (group, "")) == ("k8s:GraphCluster/graph/main",)
    two = _CLUSTER % "graph" + "---\n" + _CLUSTER % "other"
    assert depends(two, _SCHEDULE % (group, "")) == ()
    assert depends(_CLUSTER % "graph", _SCHEDULE % ("backups.example.org/v1", "")) == ()
    placed = _SCHEDULE % (group, ", namespace: apps")
    assert depends(_CLUSTER % "graph", placed) == ()


_UNPLACED_SERVICE = """
apiVersion: v1
kind: Service
metadata: {name: objects}
spec: {selector: {app: objects}, ports: [{port: 4566}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: objects, namespace: lab}
spec:
  selector: {matchLabels: {app: objects}}
  template:
    metadata: {labels: {app: objects}}
    spec: {containers: [{name: s3, image: example/s3-emulator:1, ports: [{containerPort: 4566}]}]}
"""


def test_a_service_applied_with_no_namespace_selects_the_pods_beside_its_client(
    audit_files: Auditor,
) -> None:
    """The Service's manifest names no namespace, its client's and its pods' do: applied into
    theirs (a Flux Kustomization places the folder), it selects the pods there. A client of
    another namespace, with no such pods beside it, reaches nothing."""
    here = _CLIENT % ", namespace: lab"
    report = audit_files(**{"store.yaml": _UNPLACED_SERVICE, "client.yaml": here})
    by_id = {c.name: c for c in report.components}
    assert by_id["engine"].depends_on == (by_id["objects"].id,)
    there = _CLIENT % ", namespace: apps"
    report = audit_files(**{"store.yaml": _UNPLACED_SERVICE, "client.yaml": there})
    assert {c.name: c for c in report.components}["engine"].depends_on == ()
