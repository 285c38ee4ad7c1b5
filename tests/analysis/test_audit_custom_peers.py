"""Custom resources of no known family reach their peers: a reference object, a field named
for the resource it acts on, a URL or endpoint naming the Service an operator names after its
resource; such a resource is a component for that edge, as is one that runs members of an image
(a service its peers address)."""

from __future__ import annotations

import pytest

from .conftest import Auditor, custom_resource, deployment

API = "lake.example.com/v1"
LAKE = custom_resource(API, "Lake", "spec: {datanode: {replicas: 3}}", "lake")
ELSEWHERE = custom_resource(API, "Lake", "spec: {datanode: {replicas: 3}}", "other")

REACHES_THE_LAKE = [
    "spec: {dependencies: {lake: {bootstrapEndpoint: 'lake:9071'}}}",
    "spec: {dependencies: {lake: {url: 'http://lake.ns.svc.cluster.local:8080'}}}",
    "spec: {lakeResourceName: lake}",
    "spec: {name: csi, filesystemName: lake}",
    "spec: {backupService: {name: lake, namespace: ns}}",
    "spec: {dependencies: {lake: {clusterRef: {name: lake}}}}",
    # the server it acts on by a bare ``instance`` (El Carro's Backup and BackupSchedule)
    "spec: {instance: lake, type: Physical}",
    "spec: {backupSpec: {instance: lake, type: Physical}, schedule: '*/5 * * * *'}",
    # a reference in a list of one inside a list of one (Instaclustr's ``targetCluster``)
    "spec: {target: [{managed: [{clusterRef: {name: lake, clusterKind: Lake}}]}]}",
    # Runs an image (a component) configured with the lake's Service as a seed node.
    "spec: {image: b, config: {seed-nodes: [{host-name: lake.ns.svc.cluster.local, port: 3000}]}}",
    # Debezium's connector property for its database server, bare (a DebeziumServer's source)
    "spec: {image: d, source: {config: {database.hostname: lake, database.port: 5432}}}",
]


@pytest.mark.parametrize("spec", REACHES_THE_LAKE)
def test_a_custom_resource_naming_or_addressing_an_operator_resource_depends_on_it(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{
        "lake.yaml": LAKE, "other.yaml": ELSEWHERE,
        "client.yaml": custom_resource(API, "LakeClient", spec, "client"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["client"].depends_on == (by_name["lake"].id,)
    assert by_name["lake"].gravity > by_name["other"].gravity


def test_a_custom_resource_running_members_is_a_service_its_peers_reach(
    audit_files: Auditor,
) -> None:
    registry = custom_resource(
        API, "Registry", "spec: {replicas: 3, image: {application: r}}", "reg"
    )
    proxy = "spec: {replicas: 1, image: p, dependencies: {registry: {url: 'http://reg:8081'}}}"
    report = audit_files(**{
        "reg.yaml": registry, "proxy.yaml": custom_resource(API, "Proxy", proxy, "proxy"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["proxy"].depends_on == (by_name["reg"].id,)
    assert str(by_name["reg"].loss) == "none"


NAMES_NO_PEER = [
    "spec: {source: {repoURL: 'https://lake'}}",  # where manifests come from
    "spec: {credentials: {name: lake}}",  # what it mounts
    "spec: {hosts: [lake]}",  # names it answers to
    "spec: {replicas: 2}",  # no image: a count of something else
]


@pytest.mark.parametrize("spec", NAMES_NO_PEER)
def test_a_custom_resource_naming_no_peer_is_no_component(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{
        "lake.yaml": LAKE, "client.yaml": custom_resource(API, "LakeClient", spec, "client"),
    })  # fmt: skip
    assert [c.name for c in report.components] == ["lake"]


def _cluster(name: str, api: str = API) -> str:
    return custom_resource(api, "LakeCluster", "spec: {storage: {size: 10Gi}}", name)


POOL = custom_resource(API, "LakePool", "spec: {replicated: {size: 3}}", "pool")


@pytest.mark.parametrize(
    ("clusters", "made_in"),
    [
        ({"a.yaml": _cluster("main")}, {"main"}),
        ({"a.yaml": _cluster("main"), "b.yaml": _cluster("second")}, set()),  # which one?
        ({"a.yaml": _cluster("main", "other.example.com/v1")}, set()),  # another operator's
    ],
)
def test_a_custom_resource_naming_no_peer_is_made_in_the_one_cluster_of_its_group(
    audit_files: Auditor, clusters: dict[str, str], made_in: set[str]
) -> None:
    report = audit_files(**{"pool.yaml": POOL, **clusters})
    by_id = {c.id: c.name for c in report.components}
    (pool,) = [c for c in report.components if c.name == "pool"]
    assert {by_id[i] for i in pool.depends_on} == made_in


def _claimed(pool_named: str) -> dict[str, str]:
    storage_class = (
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
        f"provisioner: lake.csi.example.com\nparameters: {{clusterID: ns, pool: {pool_named}}}\n"
    )
    claim = (
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data, namespace: ns}\n"
        "spec: {storageClassName: fast, resources: {requests: {storage: 1Gi}}}\n"
    )
    pod = "volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]"
    return {
        "pool.yaml": POOL, "sc.yaml": storage_class, "pvc.yaml": claim,
        "app.yaml": deployment("app", pod),
    }  # fmt: skip


@pytest.mark.parametrize(("pool_named", "edge"), [("pool", True), ("elsewhere", False)])
def test_a_workload_depends_on_the_operator_resource_its_claims_storage_class_names(
    audit_files: Auditor, pool_named: str, edge: bool
) -> None:
    report = audit_files(**_claimed(pool_named))
    by_name = {c.name: c for c in report.components}
    assert (by_name["pool"].id in by_name["app"].depends_on) is edge
