"""Custom resources of no known operator family: a spec that asks for persistent storage makes
a data holder on claims (moderate confidence), its name references are edges, and a spec that
asks for none stays quiet."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of


def _cr(spec: str, kind: str = "Store", name: str = "x", api: str = "db.example.com/v1") -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: ns}}\nspec: {spec}\n"


ASKS_FOR_STORAGE = [
    ("{replicas: 3, volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: "
     "[ReadWriteOnce], resources: {requests: {storage: 30Gi}}}}]}", "30Gi"),
    ("{dataVolumeClaimTemplate: {spec: {resources: {requests: {storage: 8Gi}}}}}", "8Gi"),
    ("{persistence: {enabled: true, size: 12Gi}}", "12Gi"),
    ("{template: {spec: {volumes: [{name: data, storage: 100Gi}]}}}", "100Gi"),
    ("{nodes: [{name: a, diskSize: 40Gi}]}", "40Gi"),
    ("{resource: {storage: {pvcSize: 10Gi}}}", "pvcSize 10Gi"),  # a size named for its claim
    ("{claimSize: 5Gi}", "claimSize 5Gi"),
    # the storage request of its claim (OpenStack telemetry's MetricStorage)
    ("{stack: {storage: {strategy: persistent, persistent: {pvcStorageRequest: 20G}}}}",
     "pvcStorageRequest 20G"),
    ("{volume: {storageClassName: fast}}", "storageClassName fast"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "said"), ASKS_FOR_STORAGE)
def test_a_custom_resource_asking_for_persistent_storage_holds_data_on_claims(
    audit_files: Auditor, spec: str, said: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == ("Store", Lifecycle.PERSISTENT)
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")
    assert "OPERATOR_CLAIMS" not in rules_of(report, "x")  # no family's documented meaning
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert said in finding.message and "moderate confidence" in finding.message
    assert str(component.loss) != "data"  # on claims: a replacement keeps it
    assert component.gravity > 0


QUIET = [
    "{}",
    "{endpoints: [{port: web, interval: 30s}]}",  # a ServiceMonitor-like object
    "{heapSize: 1Gi, resources: {requests: {memory: 2Gi}}, size: 3}",  # memory, a count
    "{limits: {memoryRequest: 2Gi, cpuRequest: 500m}}",  # requests that size no storage
    "{pvcCount: 3, claimTimeout: 30s}",  # a claim's count and timeout, no size
    "{cache: {emptyDir: {sizeLimit: 1Gi}}}",
    "{overlay: {volumes: [{name: d, ephemeral: {volumeClaimTemplate: {spec: {resources: "
    "{requests: {storage: 100Gi}}}}}}]}}",  # a generic ephemeral volume dies with its pod
    "{persistence: {enabled: false, size: 8Gi}}",
    # A chart's values describe the StatefulSet it renders, not this resource.
    "{chart: {spec: {chart: postgresql}}, values: {primary: {persistence: {size: 8Gi}}}}",
    # A node's root disk (Karpenter's EC2NodeClass) is no application data.
    "{amiFamily: AL2023, blockDeviceMappings: [{deviceName: /dev/xvda, ebs: {volumeSize: 100Gi}}]}",
]


@pytest.mark.parametrize("spec", QUIET)
def test_a_custom_resource_asking_for_no_persistent_storage_stays_quiet(
    audit_files: Auditor, spec: str
) -> None:
    # a kind that says nothing itself (a ``…Store`` is a store by its name: store_kinds)
    report = audit_files(**{"cr.yaml": _cr(spec, kind="Widget")})
    assert report.components == ()
    assert rules_of(report) == set()


def test_kubernetes_own_groups_are_not_custom_resources(audit_files: Auditor) -> None:
    spec = "{storage: 5Gi}"
    report = audit_files(**{"a.yaml": _cr(spec, api="gateway.networking.k8s.io/v1")})
    assert report.components == ()


def test_name_references_of_a_custom_resource_are_edges_to_resources_of_that_kind(
    audit_files: Auditor,
) -> None:
    """``shardRef`` names a Shard, ``cluster`` a Cluster (kinds matched regardless of case);
    ``credentialsSecretRef`` names a Secret, which is no component."""
    storage = "storage: 1Gi"
    report = audit_files(**{
        "a.yaml": _cr(f"{{{storage}, shardRef: {{name: c}}, cluster: {{name: main}}, "
                      "credentialsSecretRef: {name: s}}", "Worker", "w"),
        "b.yaml": _cr(f"{{{storage}}}", "Shard", "c"),
        "c.yaml": _cr(f"{{{storage}}}", "Cluster", "main"),
        "d.yaml": _cr(f"{{{storage}}}", "Shard", "other"),
        "s.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: ns}\n",
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["w"].depends_on) == {by_name["c"].id, by_name["main"].id}
    assert by_name["c"].gravity > by_name["other"].gravity  # reached by the worker


def test_a_group_of_claim_fields_is_read_inside_and_size_counts_members(
    audit_files: Auditor,
) -> None:
    """``storageConfig`` holding claim specs (not itself one): each claim's size counts, and a
    member count in ``spec.size`` makes the members' claims weigh as copies."""
    claim = "{{resources: {{requests: {{storage: {}}}}}}}"
    big = (
        f"{{size: 9, storageConfig: {{dataVolumeClaimSpec: {claim.format('500Gi')}, "
        f"additionalVolumes: [{{name: logs, pvcSpec: {claim.format('100Gi')}}}]}}}}"
    )
    small = f"{{size: 3, storageConfig: {{dataVolumeClaimSpec: {claim.format('10Gi')}}}}}"
    report = audit_files(**{"a.yaml": _cr(big, name="big"), "b.yaml": _cr(small, name="small")})
    messages = " ".join(f.message for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE")
    assert "500Gi" in messages and "100Gi" in messages and "?" not in messages
    assert "SINGLE_REPLICA_RWO" not in rules_of(report, "small")  # three members
    gravity = {c.name: c.gravity for c in report.components}
    assert gravity["big"] > gravity["small"]


@pytest.mark.parametrize(
    "kind", ["Backup", "MedusaBackup", "ScheduledBackup", "VolumeSnapshot", "BackupRepo"]
)
def test_a_custom_resource_named_for_a_backup_holds_a_copy(audit_files: Auditor, kind: str) -> None:
    spec = "{mariaDbRef: {name: db}, storage: {persistentVolumeClaim: {resources: " \
           "{requests: {storage: 1Gi}}}}}"  # fmt: skip
    report = audit_files(**{"cr.yaml": _cr(spec, kind=kind)})
    (component,) = report.components
    assert (component.lifecycle, str(component.loss)) == (
        Lifecycle.EPHEMERAL_WITH_WARM_UP,
        "rebuildable",
    ), component.explanation


@pytest.mark.parametrize("kind", ["BackupRepo", "BackupRepository", "Repo", "BackupRepoPolicy"])
def test_only_a_repository_of_backups_holds_their_copies(audit_files: Auditor, kind: str) -> None:
    """KubeBlocks' ``BackupRepo`` asking for ``volumeCapacity`` holds the backups' copies; a
    ``Repo`` of no backups, or a kind only beginning with the words, still holds records."""
    spec = "{storageProviderRef: s3, volumeCapacity: 100Gi, pvReclaimPolicy: Retain}"
    report = audit_files(**{"cr.yaml": _cr(spec, kind=kind)})
    (component,) = report.components
    copy = kind in ("BackupRepo", "BackupRepository")
    expected = Lifecycle.EPHEMERAL_WITH_WARM_UP if copy else Lifecycle.PERSISTENT
    assert component.lifecycle == expected, component.explanation


NODE_DISKS = [
    ("{type: Replica1, storage: [{node: kube1, device: /dev/vdc}]}", True),
    ("{type: Replica3, storage: [{node: kube1, path: /exports/data}]}", True),
    ("{storage: [{node: kube1, path: /proc/1}]}", False),  # a node's system view
    ("{routes: [{node: kube1, device: /dev/vdc}]}", False),  # not under storage
    ("{storage: [{device: /dev/vdc}]}", False),  # no node named
]


@pytest.mark.parametrize(("spec", "kept"), NODE_DISKS)
def test_a_storage_item_naming_a_node_and_its_disk_keeps_data_there(
    audit_files: Auditor, spec: str, kept: bool
) -> None:
    report = audit_files(**{"pool.yaml": _cr(spec, "Pool", api="pools.example.com/v1")})
    pool = next((c for c in report.components if c.name == "x"), None)
    assert (pool is not None and str(pool.lifecycle) == "persistent") is kept
