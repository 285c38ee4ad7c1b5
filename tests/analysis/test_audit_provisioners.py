"""A pod depends on the workload running the provisioner of its claim's StorageClass
(:mod:`stateward.analysis.audit.provisioners`, :func:`stateward.analysis.audit.by_name.claim_providers`)."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit

from .conftest import Auditor

_POD = """apiVersion: v1
kind: Pod
metadata: {name: writer, namespace: ns}
spec:
  containers:
  - name: w
    image: busybox:1
    command: [sh, -c, 'echo x > /data/x && sleep 3600']
    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ns}
spec: {storageClassName: %s, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def _class(name: str, provisioner: str) -> str:
    return (
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\n"
        f"metadata: {{name: {name}}}\nprovisioner: {provisioner}\n"
    )


def _runner(name: str, image: str, env: str = "[]", args: str = "[]") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: kube-system}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: p, image: '{image}', env: {env}, args: {args}}}]
"""


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def test_a_provisioner_told_its_name_makes_the_claims_of_its_class(audit_files: Auditor) -> None:
    report = audit_files(**{
        "p.yaml": _POD % "nfs-client",
        "c.yaml": _class("nfs-client", "example.com/nfs"),
        "r.yaml": _runner("nfs", "acme/nfs-server:1", env="[{name: PROVISIONER_NAME, value: example.com/nfs}]"),
        "o.yaml": _runner("other", "acme/nfs-server:1", args="['--provisioner=example.com/other']"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["writer"].depends_on == (by_name["nfs"].id,)


def test_a_flag_or_the_image_names_the_provisioner(audit_files: Auditor) -> None:
    report = audit_files(**{
        "p.yaml": _POD % "local-path",
        "c.yaml": _class("local-path", "rancher.io/local-path"),
        "r.yaml": _runner("local", "docker.io/rancher/local-path-provisioner:v0.0.37"),
        "f.yaml": _runner("flagged", "acme/csi:1", args="['--provisioner-name', 'rancher.io/x']"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["writer"].depends_on == (by_name["local"].id,)
    report = audit_files(**{"c.yaml": _class("local-path", "rancher.io/x")})
    by_name = _by_name(report)
    assert by_name["writer"].depends_on == (by_name["flagged"].id,)


def test_a_class_no_workload_provisions_names_no_one(audit_files: Auditor) -> None:
    report = audit_files(**{
        "p.yaml": _POD % "gp3",
        "c.yaml": _class("gp3", "ebs.csi.aws.com"),
        "r.yaml": _runner("ebs", "acme/ebs:1"),  # an image not named for a provisioner
    })  # fmt: skip
    assert _by_name(report)["writer"].depends_on == ()
