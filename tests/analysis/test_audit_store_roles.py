"""Containers of a store's image that keep none of its data: a RethinkDB proxy node, a sidecar
named for the store it configures; and a member naming its cluster's Service by a
``…_CLUSTER`` variable."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of

_CLUSTER = """
apiVersion: v1
kind: Service
metadata: {name: rethinkdb}
spec: {clusterIP: None, selector: {db: rethinkdb}, ports: [{port: 29015}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: rethinkdb}
spec:
  serviceName: rethinkdb
  replicas: 3
  selector: {matchLabels: {db: rethinkdb}}
  template:
    metadata: {labels: {db: rethinkdb}}
    spec:
      containers: [{name: rethinkdb, image: rethinkdb:2.4,
                    volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}
"""

# A RethinkDB image built for Kubernetes (the official one declares /data a VOLUME, which the
# audit reads as the data of any program run from it).
_ADMIN = """
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: admin}
spec:
  selector: {matchLabels: {role: admin}}
  template:
    metadata: {labels: {role: admin}}
    spec:
      containers:
      - name: rethinkdb
        image: rosskukulinski/rethinkdb-kubernetes:2.3.5
        ports: [{containerPort: 8080, name: admin}]
        %s
        volumeMounts: [{name: scratch, mountPath: /data}]
      volumes: [{name: scratch, emptyDir: {}}]
"""


@pytest.mark.parametrize("setting", [
    "command: [rethinkdb, proxy, --join, 'rethinkdb:29015', --bind, all]",
    # an image whose entrypoint runs ``rethinkdb proxy`` when PROXY is set
    "env: [{name: PROXY, value: 'true'}, {name: RETHINK_CLUSTER, value: rethinkdb}]",
])  # fmt: skip
def test_a_rethinkdb_proxy_node_keeps_no_table(audit_files: Auditor, setting: str) -> None:
    report = audit_files(**{"db.yaml": _CLUSTER + _ADMIN % setting})
    by_name = {c.name: c for c in report.components}
    assert by_name["admin"].lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert "DATA_ON_EPHEMERAL" not in rules_of(report, "admin")
    # the same image as a member of the cluster keeps its tables on the pod's emptyDir
    member = audit_files(**{"db.yaml": _CLUSTER + _ADMIN % "env: [{name: TZ, value: UTC}]"})
    assert {c.name: c for c in member.components}["admin"].lifecycle is Lifecycle.PERSISTENT


def test_a_variable_named_for_a_cluster_names_its_service(audit_files: Auditor) -> None:
    setting = "env: [{name: PROXY, value: 'true'}, {name: RETHINK_CLUSTER, value: rethinkdb}]"
    report = audit_files(**{"db.yaml": _CLUSTER + _ADMIN % setting})
    by_name = {c.name: c for c in report.components}
    assert by_name["admin"].depends_on == (by_name["rethinkdb"].id,)
    # a bare CLUSTER is a name the program gives itself, not a peer's
    bare = setting.replace("RETHINK_CLUSTER", "CLUSTER")
    report = audit_files(**{"db.yaml": _CLUSTER + _ADMIN % bare})
    assert {c.name: c for c in report.components}["admin"].depends_on == ()


_MONGO = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mongo}
spec:
  serviceName: mongo
  selector: {matchLabels: {app: mongo}}
  template:
    metadata: {labels: {app: mongo}}
    spec:
      containers:
      - {name: mongo, image: 'mongo:6', volumeMounts: [{name: data, mountPath: /data/db}]}
      - {name: helper, image: '%s', env: [{name: MONGO_SIDECAR_POD_LABELS, value: 'app=mongo'}]}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_a_sidecar_named_for_the_store_it_configures_is_no_store(audit_files: Auditor) -> None:
    report = audit_files(**{"mongo.yaml": _MONGO % "cvallance/mongo-k8s-sidecar"})
    assert "SIDECAR_STATEFUL" not in rules_of(report, "mongo")
    second = audit_files(**{"mongo.yaml": _MONGO % "mongo:6"})
    assert "SIDECAR_STATEFUL" in rules_of(second, "mongo")
