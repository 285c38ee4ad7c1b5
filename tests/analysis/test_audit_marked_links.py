"""Custom resources a plain workload names by a label of their API group's domain, and those a
spec names in a list named for their kind (:mod:`stateward.analysis.audit.links`), as Kueue's
Jobs, LocalQueues, ClusterQueues and ResourceFlavors name one another. The ``acme`` kinds are
made up: no family is registered for them."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, ComponentAudit, Effect
from stateward.analysis.audit.custom import is_custom
from stateward.model.resource import ResourceKey

from .conftest import Auditor
from .conftest import custom_resource as _cr

KUEUE = "kueue.x-k8s.io/v1beta2"
ACME = "batch.acme.example.io/v1"


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _job(name: str, labels: str) -> str:
    return f"""apiVersion: batch/v1
kind: Job
metadata: {{name: {name}, namespace: ns, labels: {labels}}}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{{name: main, image: 'busybox:1', args: [sleep, '60']}}]
"""


def _cluster_scoped(api: str, kind: str, name: str, spec: str = "spec: {}") -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}}}\n{spec}\n"


def test_a_job_labelled_for_a_queue_reaches_it_and_the_queue_its_quota(
    audit_files: Auditor,
) -> None:
    cluster_queue = ("spec: {namespaceSelector: {}, resourceGroups: [{coveredResources: [cpu], "
                     "flavors: [{name: default-flavor, resources: [{name: cpu, "
                     "nominalQuota: 9}]}]}]}")  # fmt: skip
    report = audit_files(**{
        "j.yaml": _job("sample", "{kueue.x-k8s.io/queue-name: user-queue}"),
        "l.yaml": _cr(KUEUE, "LocalQueue", "spec: {clusterQueue: cluster-queue}", "user-queue"),
        "c.yaml": _cluster_scoped(KUEUE, "ClusterQueue", "cluster-queue", cluster_queue),
        "f.yaml": _cluster_scoped(KUEUE, "ResourceFlavor", "default-flavor"),
        "o.yaml": _cluster_scoped(KUEUE, "ResourceFlavor", "spot"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["sample"].depends_on == (by_name["user-queue"].id,)
    assert by_name["user-queue"].depends_on == (by_name["cluster-queue"].id,)
    assert by_name["cluster-queue"].depends_on == (by_name["default-flavor"].id,)
    assert "spot" not in by_name  # a flavor no queue names stays quiet
    # the queues hold quotas: the pending jobs are objects in the API server
    assert all(str(c.loss) == "none" for c in report.components)


def test_a_label_names_only_a_resource_of_that_group_and_name(audit_files: Auditor) -> None:
    report = audit_files(**{
        "a.yaml": _job("a", "{acme.example.io/pool: gpu}"),  # the group's parent domain
        "b.yaml": _job("b", "{kueue.x-k8s.io/queue-name: gpu}"),  # another group's domain
        "c.yaml": _job("c", "{acme.example.io/pool: missing}"),  # no resource of that name
        "d.yaml": _job("d", "{acme.example.io/issuer: gpu}"),  # what it trusts: no peer
        "p.yaml": _cr(ACME, "Pool", "spec: {}", "gpu"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["a"].depends_on == (by_name["gpu"].id,)
    assert by_name["b"].depends_on == by_name["c"].depends_on == by_name["d"].depends_on == ()


def test_a_list_names_a_kind_in_the_plural_only_when_one_kind_answers(
    audit_files: Auditor,
) -> None:
    spec = ("spec: {replicas: 1, image: 'acme/runner:1', shards: [{name: east}], "
            "volumes: [{name: west}], ids: [east]}")  # fmt: skip
    report = audit_files(**{
        "r.yaml": _cr(ACME, "Runner", spec, "runner"),
        "e.yaml": _cr(ACME, "RegionShard", "spec: {}", "east"),
        "w.yaml": _cr(ACME, "DataVolume", "spec: {}", "west"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["runner"].depends_on == (by_name["east"].id,)
    assert "west" not in by_name  # a pod's volumes name no resource


def test_a_subprojects_group_is_a_custom_one() -> None:
    assert is_custom(ResourceKey("kueue.x-k8s.io", "ClusterQueue", "", "q"))
    assert not is_custom(ResourceKey("networking.k8s.io", "Ingress", "ns", "i"))
    assert not is_custom(ResourceKey("apps", "Deployment", "ns", "d"))


def _mounting(claim: str) -> str:
    return f"""apiVersion: apps/v1
kind: StatefulSet
metadata: {{name: reader, namespace: ns}}
spec:
  serviceName: reader
  selector: {{matchLabels: {{app: reader}}}}
  template:
    metadata: {{labels: {{app: reader}}}}
    spec:
      containers: [{{name: r, image: 'nginx:1', volumeMounts: [{{name: d, mountPath: /data}}]}}]
      volumes: [{{name: d, persistentVolumeClaim: {{claimName: {claim}}}}}]
"""


def test_a_claim_no_manifest_declares_is_the_one_made_for_the_resource_of_its_name(
    audit_files: Auditor,
) -> None:
    """``claimName: demo`` with no claim ``demo`` declared: the volume the operator of the
    ``Dataset`` ``demo`` makes for it. A declared claim of that name, or a name no resource
    has, names no custom resource."""
    dataset = _cr("data.acme.example.io/v1", "Dataset", "spec: {mounts: [{name: m}]}", "demo")
    report = audit_files(**{"d.yaml": dataset, "w.yaml": _mounting("demo")})
    by_name = _by_name(report)
    assert by_name["reader"].depends_on == (by_name["demo"].id,)
    claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: demo, namespace: ns}\n"
    declared = audit_files(**{"d.yaml": dataset, "w.yaml": _mounting("demo"), "c.yaml": claim})
    assert "demo" not in _by_name(declared)
    other = audit_files(**{"d.yaml": dataset, "w.yaml": _mounting("other")})
    assert "demo" not in _by_name(other)
    # What the made claim holds is the Dataset's: the reader keeps none of it; a claim of a
    # name no resource has may be the reader's own.
    assert _pvc_effect(report) is Effect.CONTEXT
    assert _pvc_effect(other) is Effect.DURABLE


def _pvc_effect(report: AuditReport) -> Effect | None:
    (finding,) = [f for f in report.findings if f.rule == "PVC"]
    return report.effect_of(finding)
