"""A resource that names a claim a StatefulSet makes from its templates
(``<template>-<set>-<ordinal>``) depends on the workload whose pod mounts it: the operator
resource that asks for claims, or the StatefulSet with that template."""

from __future__ import annotations

import pytest

from .conftest import Auditor, custom_resource

API = "directory.example.org/v1"
DIRECTORY = custom_resource(
    API,
    "Directory",
    "spec: {replicas: 2, podTemplate: {volumeClaimSpec: {accessModes: [ReadWriteOnce], "
    "resources: {requests: {storage: 2Gi}}}}}",
    name="idrepo",
)
STATEFULSET = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: ns}
spec:
  replicas: 1
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
        - name: db
          image: example/ledger:1
          volumeMounts: [{name: data, mountPath: /var/lib/ledger}]
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def _backup(claim: str) -> str:
    spec = (
        f"spec: {{claimToBackup: {claim}, podTemplate: {{volumeClaimSpec: {{accessModes: "
        "[ReadWriteOnce], resources: {requests: {storage: 5Gi}}}}}"
    )
    # of another API group: not read as acting on the one cluster of its own group
    return custom_resource("backup.example.net/v1", "VolumeBackup", spec, name="nightly")


@pytest.mark.parametrize(
    ("claim", "target"),
    [
        ("data-idrepo-0", "idrepo"),  # the operator's template name, whatever it is
        ("data-idrepo-1", "idrepo"),  # the second of its two pods
        ("data-db-0", "db"),
        ("data-idrepo-2", None),  # no third pod
        ("logs-db-0", None),  # no such template
        ("data-idrepo", None),  # no ordinal: a claim of that name, which none mounts
    ],
)
def test_a_claim_named_for_a_pod_of_a_claim_template_names_its_workload(
    audit_files: Auditor, claim: str, target: str | None
) -> None:
    report = audit_files(**{"d.yaml": DIRECTORY, "s.yaml": STATEFULSET, "b.yaml": _backup(claim)})
    backup = next(c for c in report.components if c.name == "nightly")
    named = {c.name for c in report.components if c.id in backup.depends_on}
    assert named == ({target} if target else set())
