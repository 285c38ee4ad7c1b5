"""Operator kinds the audit has never seen, linked to the resources they name or select
(:mod:`stateward.analysis.audit.links`, :mod:`stateward.analysis.audit.estate`) and read for the
storage their switches and member groups ask for (:mod:`stateward.analysis.audit.custom`,
:mod:`stateward.analysis.audit.data_systems`, :mod:`stateward.analysis.audit.managed`). The
kinds and groups are made up: no family is registered for them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, ComponentAudit, Lifecycle

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

API = "acme.example.io/v1"


def _by_name(report: AuditReport) -> dict[str, ComponentAudit]:
    return {c.name: c for c in report.components}


def _labelled(kind: str, name: str, labels: str, spec: str = "spec: {}") -> str:
    """A resource of ``API`` whose manifest names no namespace (cluster-scoped)."""
    return (
        f"apiVersion: {API}\nkind: {kind}\nmetadata: {{name: {name}, labels: {labels}}}\n{spec}\n"
    )


def test_a_field_named_for_a_kind_names_the_resource_of_that_kind(audit_files: Auditor) -> None:
    report = audit_files(**{
        "v.yaml": _cr(API, "Vault", "spec: {}", "main"),
        "e.yaml": _cr(API, "VaultExport", "spec: {vault: main, storage: {pvc: {resources: "
                      "{requests: {storage: 2Gi}}}}}", "nightly"),  # fmt: skip
        "o.yaml": _cr(API, "Vault", "spec: {}", "other"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert "other" not in by_name  # a Vault nothing names stays quiet
    assert by_name["nightly"].depends_on == (by_name["main"].id,)
    # an export is a copy of what its source still holds: rebuilt by the next run
    assert str(by_name["nightly"].loss) == "rebuildable"


def test_a_label_selector_chooses_resources_of_its_own_group(audit_files: Auditor) -> None:
    collector = _cr(API, "Collector", "spec: {image: 'acme/collector:1', replicas: 2, "
                    "cfgSelector: {matchLabels: {role: main}}}", "agg")  # fmt: skip
    config = _labelled("ClusterCollectorConfig", "cfg", "{role: main}",
                       "spec: {outputSelector: {matchExpressions: [{key: out, operator: In, "
                       "values: ['yes']}]}, filterSelector: {}}")  # fmt: skip
    report = audit_files(**{
        "c.yaml": collector, "g.yaml": config,
        "o.yaml": _labelled("ClusterOutput", "out", "{out: 'yes'}"),
        "f.yaml": _labelled("ClusterFilter", "filter", "{out: 'no'}"),
        "x.yaml": _labelled("ClusterOutput", "stranger", "{role: main}").replace(
            API, "other.example.io/v1"),  # another group's resource: not chosen
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["agg"].depends_on == (by_name["cfg"].id,)
    assert by_name["cfg"].depends_on == (by_name["out"].id,)
    # an empty selector selects everything: it names nothing in particular
    assert "filter" not in by_name and "stranger" not in by_name


def test_a_name_reference_makes_the_quiet_resource_it_names_a_component(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "g.yaml": _cr(API, "Grid", "spec: {replicas: 1}", "grid"),
        "b.yaml": _cr(API, "GridBatch", "spec: {cluster: grid, config: 'create counter c'}", "b"),
        "c.yaml": _cr(API, "GridCache", "spec: {clusterName: grid, template: '<cache/>'}", "c"),
        "a.yaml": _cr(API, "Agent", "spec: {image: 'acme/agent:1', agentConfigName: conf}", "a"),
        "k.yaml": _labelled("ClusterAgentConfig", "conf", "{x: y}"),
        "s.yaml": _cr(API, "Grid", "spec: {replicas: 1}", "unnamed"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["b"].depends_on == (by_name["grid"].id,)
    assert by_name["c"].depends_on == (by_name["grid"].id,)
    # ``agentConfigName`` names a cluster-scoped twin of its kind (``ClusterAgentConfig``)
    assert by_name["a"].depends_on == (by_name["conf"].id,)
    assert "unnamed" not in by_name


def test_a_persistence_switch_asks_for_the_operators_claim_unless_a_cluster_keeps_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "q.yaml": _cr(API, "Relay", "spec: {deploymentPlan: {size: 2, persistenceEnabled: true}}",
                      "kept"),  # fmt: skip
        "p.yaml": _cr(API, "Relay", "spec: {persistence: {enabled: true}, replicas: 1}", "switched"),
        "e.yaml": _cr(API, "Broker", "spec: {deploymentPlan: {size: 2, persistenceEnabled: false}}",
                      "lost"),  # fmt: skip
        "h.yaml": _cr(API, "Grid", "spec: {storage: {size: 8Gi}}", "grid"),
        "m.yaml": _cr(API, "GridMap", "spec: {gridResourceName: grid, persistenceEnabled: true}",
                      "map"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["kept"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["kept"].loss) == "none"  # on claims
    assert by_name["switched"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["lost"].loss) == "data"
    # the map's switch turns on the grid's persistence for it: the grid's claims keep it
    assert str(by_name["map"].lifecycle) == "ephemeral-safe"
    assert by_name["map"].depends_on == (by_name["grid"].id,)


def test_a_secret_a_resource_names_is_no_cluster_it_lives_in(audit_files: Auditor) -> None:
    mysql = "mysql.example.io/v1"
    report = audit_files(**{
        "a.yaml": _cr(mysql, "AcmeCluster", "spec: {replicas: 2, rootPasswordSecretName: root}",
                      "db"),  # fmt: skip
        "n.yaml": _cr(API, "Tables", "spec: {dataNode: {nodeCount: 2}, sqlNode: {nodeCount: 1}}",
                      "tables"),  # fmt: skip
        "q.yaml": _cr(API, "Tables", "spec: {sqlNode: {nodeCount: 1}}", "front"),
    })  # fmt: skip
    by_name = _by_name(report)
    # a whole-system kind of a group named for MySQL, whatever its secrets are called
    assert by_name["db"].lifecycle is Lifecycle.PERSISTENT
    # a data-node group counting its members by ``nodeCount``
    assert by_name["tables"].lifecycle is Lifecycle.PERSISTENT
    assert "front" not in by_name or str(by_name["front"].lifecycle) == "ephemeral-safe"


def test_a_local_database_switch_outweighs_the_login_it_is_given(audit_files: Auditor) -> None:
    report = audit_files(**{
        "l.yaml": _cr(API, "Portal", "spec: {database: {enableLocalDb: true, "
                      "authSecretName: login}}", "local"),  # fmt: skip
        "x.yaml": _cr(API, "Portal", "spec: {database: {enableLocalDb: false, "
                      "authSecretName: login}}", "external"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["local"].lifecycle is Lifecycle.PERSISTENT
    assert "external" not in by_name or str(by_name["external"].lifecycle) == "ephemeral-safe"


def test_the_tiers_of_one_cluster_holding_nothing_reach_the_tier_that_holds_data(
    audit_files: Auditor,
) -> None:
    tier = "spec: {{cluster: shared, replicas: 1, image: 'acme/grid:1', grid: {{{extra}}}}}"
    report = audit_files(**{
        "s.yaml": _cr(API, "Grid", tier.format(extra="persistence: {persistentVolumeClaim: "
                      "{resources: {requests: {storage: 1Gi}}}}"), "storage"),  # fmt: skip
        "p.yaml": _cr(API, "Grid", tier.format(extra="storageEnabled: false"), "proxy"),
        "o.yaml": _cr(API, "Grid", tier.format(extra="storageEnabled: false").replace(
            "shared", "elsewhere"), "other"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["proxy"].depends_on == (by_name["storage"].id,)
    assert by_name["other"].depends_on == ()  # a tier of another cluster
    assert by_name["storage"].depends_on == ()  # the holder reaches no tier
    assert by_name["storage"].gravity > by_name["proxy"].gravity


def test_a_coordination_service_weighs_less_than_the_data_system_it_serves(
    audit_files: Auditor,
) -> None:
    # The file system reaches the ensemble through a znode resource; a tools pod reaches both,
    # which alone would rank the ensemble (three dependents) above the file system (one).
    tools = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: tools, namespace: ns}\n"
        "spec:\n  selector: {matchLabels: {app: tools}}\n  template:\n    metadata: {labels: "
        "{app: tools}}\n    spec:\n      containers:\n      - name: t\n        image: busybox:1\n"
        "        env: [{name: FS, value: 'files:8020'}, {name: ZK, value: 'zk:2181'}]\n"
    )
    report = audit_files(**{
        "z.yaml": _cr("zookeeper.example.io/v1", "ZookeeperCluster",
                      "spec: {servers: {roleGroups: {default: {replicas: 1}}}}", "zk"),
        "n.yaml": _cr("zookeeper.example.io/v1", "ZookeeperZnode", "spec: {clusterRef: {name: zk}}",
                      "znode"),
        "h.yaml": _cr("hdfs.example.io/v1", "HdfsCluster",
                      "spec: {clusterConfig: {zookeeperConfigMapName: znode}, "
                      "dataNodes: {roleGroups: {default: {replicas: 1}}}}", "files"),
        "t.yaml": tools,
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["files"].depends_on == (by_name["znode"].id,)
    assert by_name["zk"].gravity > 0
    assert by_name["files"].gravity > by_name["zk"].gravity


def test_a_client_naming_a_products_discovery_config_map_depends_on_that_cluster(
    audit_files: Auditor,
) -> None:
    """Stackable names a cluster's discovery ConfigMap for the cluster; a mapping named for
    another word (``logging``) names a ConfigMap the resource mounts, no peer."""
    report = audit_files(**{
        "h.yaml": _cr("hdfs.example.io/v1", "HdfsCluster",
                      "spec: {dataNodes: {roleGroups: {default: {replicas: 1}}}}", "files"),
        "d.yaml": _cr("druid.example.io/v1", "DruidCluster",
                      "spec: {clusterConfig: {deepStorage: {hdfs: {configMapName: files}}, "
                      "metadataDatabase: {postgresql: {host: pg}}}}", "olap"),
        "m.yaml": _cr("druid.example.io/v1", "DruidCluster",
                      "spec: {clusterConfig: {logging: {configMapName: files}}}", "mounts"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["olap"].depends_on == (by_name["files"].id,)
    assert by_name["files"].id not in by_name["mounts"].depends_on
    assert by_name["files"].gravity > by_name["olap"].gravity


def test_ovns_southbound_database_is_computed_again_its_northbound_is_kept(
    audit_files: Auditor,
) -> None:
    """ovn-northd writes the Southbound database from the Northbound one; the chassis report
    the rest. Another product's ``dbType: SB`` says nothing of the kind."""
    spec = "spec: {{storageRequest: 10G, storageClass: local, dbType: {}}}"
    report = audit_files(**{
        "n.yaml": _cr("ovn.example.org/v1beta1", "OVNDBCluster", spec.format("NB"), "nb"),
        "s.yaml": _cr("ovn.example.org/v1beta1", "OVNDBCluster", spec.format("SB"), "sb"),
        "o.yaml": _cr("acme.example.org/v1", "AcmeDBCluster", spec.format("SB"), "other"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["nb"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["other"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["sb"].lifecycle) == "ephemeral-with-warm-up"
    assert by_name["nb"].gravity > by_name["sb"].gravity


@pytest.mark.parametrize(
    ("backends", "lifecycle"),
    [("fast:rbd,cheap:swift", "ephemeral-with-warm-up"),
     ("fast:rbd, shared:file", "persistent"),  # a file store keeps the images on the claim
     ("", "persistent")],  # no stores named: Glance's default file store
)  # fmt: skip
def test_a_glance_whose_images_are_in_other_stores_keeps_staging_and_cache(
    audit_files: Auditor, backends: str, lifecycle: str
) -> None:
    config = f'"[DEFAULT]\\nenabled_backends={backends}\\n"' if backends else "''"
    spec = (
        f"spec: {{customServiceConfig: {config}, databaseInstance: openstack, "
        "storage: {storageClass: local, storageRequest: 10G}}"
    )
    report = audit_files(**{"g.yaml": _cr("glance.example.org/v1beta1", "Glance", spec, "glance")})
    assert str(_by_name(report)["glance"].lifecycle) == lifecycle


def test_the_cluster_a_backup_copies_holds_data(audit_files: Auditor) -> None:
    report = audit_files(**{
        "g.yaml": _cr(API, "Grid", "spec: {replicas: 1}", "grid"),
        "b.yaml": _cr(API, "GridBackup", "spec: {cluster: grid, container: {memory: 1Gi}}", "b"),
        "h.yaml": _cr(API, "Grid", "spec: {replicas: 1}", "plain"),
        "t.yaml": _cr(API, "GridTask", "spec: {cluster: plain, config: 'create counter c'}", "t"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["grid"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["grid"].gravity > by_name["b"].gravity
    # named by a task only, the cluster is a component for that edge, holding nothing known
    assert str(by_name["plain"].lifecycle) == "ephemeral-safe"
    assert by_name["t"].depends_on == (by_name["plain"].id,)


def test_read_positions_on_a_node_directory_are_a_warm_up(audit_files: Auditor) -> None:
    report = audit_files(**{
        "a.yaml": _cr(API, "Shipper", "spec: {image: 'acme/ship:1', positionDB: {hostPath: "
                      "{path: /var/lib/ship/}}}", "ship"),  # fmt: skip
        "d.yaml": _cr(API, "Store", "spec: {image: 'acme/store:1', dataVolumeSource: {hostPath: "
                      "{path: /mnt/disks/vol1}}}", "store"),  # fmt: skip
        "v.yaml": _cr(API, "Watcher", "spec: {image: 'acme/w:1', logs: {hostPath: "
                      "{path: /var/log}}}", "watch"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["ship"].loss) == "rebuildable"
    assert by_name["store"].lifecycle is Lifecycle.PERSISTENT  # a node's directory of data
    assert str(by_name["watch"].lifecycle) == "ephemeral-safe"  # a view of the node


_CLAIM = "persistentVolumeClaimSpec: {resources: {requests: {storage: 256Mi}}}"


def test_storage_for_what_memory_spills_over_is_a_warm_up(audit_files: Auditor) -> None:
    """Vineyard's ``spill`` claim holds objects written out of memory when it runs short; the
    same claim under another name is the store's."""
    report = audit_files(**{
        "s.yaml": _cr(API, "ObjectCache", f"spec: {{replicas: 2, spill: {{path: /spill, {_CLAIM}}}}}",
                      "spill"),  # fmt: skip
        "k.yaml": _cr(API, "ObjectCache", f"spec: {{replicas: 2, store: {{path: /data, {_CLAIM}}}}}",
                      "kept"),  # fmt: skip
    })  # fmt: skip
    by_name = _by_name(report)
    assert str(by_name["spill"].loss) == "rebuildable"
    assert by_name["kept"].lifecycle is Lifecycle.PERSISTENT


def test_a_configuration_buffering_in_files_makes_its_reader_hold_records(
    audit_files: Auditor,
) -> None:
    aggregator = (
        "spec: {{image: 'acme/agg:1', replicas: 3, cfgSelector: {{matchLabels: {{c: {}}}}}}}"
    )
    output = "spec: {{outputs: [{{stdout: {{}}, buffer: {{type: {}, path: /buffers/out}}}}]}}"
    report = audit_files(**{
        "a.yaml": _cr(API, "Aggregator", aggregator.format("disk"), "disk"),
        "m.yaml": _cr(API, "Aggregator", aggregator.format("mem"), "mem"),
        "c.yaml": _labelled("ClusterAggConfig", "cfg-disk", "{c: disk}",
                            "spec: {outputSelector: {matchLabels: {o: disk}}}"),
        "d.yaml": _labelled("ClusterAggConfig", "cfg-mem", "{c: mem}",
                            "spec: {outputSelector: {matchLabels: {o: mem}}}"),
        "o.yaml": _labelled("ClusterOutput", "out-disk", "{o: disk}", output.format("file")),
        "p.yaml": _labelled("ClusterOutput", "out-mem", "{o: mem}", output.format("memory")),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["disk"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["mem"].lifecycle) == "ephemeral-safe"
    assert by_name["disk"].gravity > by_name["out-disk"].gravity


def test_an_application_operator_runs_its_database_unless_told_of_another(
    audit_files: Auditor,
) -> None:
    quay = "quay.redhat.com/v1"
    report = audit_files(**{
        "b.yaml": "apiVersion: rhdh.redhat.com/v1alpha5\nkind: Backstage\nmetadata: {name: bs1, "
                  "namespace: ns}\n",
        "e.yaml": _cr("rhdh.redhat.com/v1alpha5", "Backstage",
                      "spec: {database: {enableLocalDb: false}}", "external"),
        "q.yaml": _cr(quay, "QuayRegistry", "spec: {components: [{kind: clair, managed: false}]}",
                      "managed"),
        "u.yaml": _cr(quay, "QuayRegistry", "spec: {configBundleSecret: c, components: "
                      "[{kind: postgres, managed: false}, {kind: objectstorage, managed: false}]}",
                      "unmanaged"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["bs1"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["external"].lifecycle) == "ephemeral-safe"
    assert by_name["managed"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["unmanaged"].lifecycle) == "ephemeral-safe"


def test_microcks_and_noobaa_keep_records_in_the_databases_their_operators_run_by_default(
    audit_files: Auditor,
) -> None:
    microcks, noobaa = "microcks.io/v1alpha1", "noobaa.io/v1alpha1"
    report = audit_files(**{
        "m.yaml": _cr(microcks, "Microcks", "spec: {version: 1.10.1}", "mocks"),
        "e.yaml": _cr(microcks, "Microcks", "spec: {mongodb: {install: false, uri: m:27017}, "
                      "keycloak: {enabled: false}}", "reused"),
        "p.yaml": _cr(microcks, "Microcks", "spec: {mongodb: {persistent: false}, "
                      "keycloak: {install: false}}", "scratch"),
        "n.yaml": _cr(noobaa, "NooBaa", "spec: {}", "objects"),
        "x.yaml": _cr(noobaa, "NooBaa", "spec: {externalPgSecret: {name: pg}}", "external"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["mocks"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["objects"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["reused"].lifecycle) == "ephemeral-safe"
    assert str(by_name["external"].lifecycle) == "ephemeral-safe"
    # MongoDB on an emptyDir: the mocks are lost with the pod, not kept on a claim
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "scratch")
    assert "OPERATOR_EPHEMERAL" not in rules_of(report, "mocks")


def test_a_securesign_keeps_its_logs_in_the_trillian_database_its_operator_creates(
    audit_files: Auditor,
) -> None:
    rhtas = "rhtas.redhat.com/v1"
    report = audit_files(**{
        "s.yaml": _cr(rhtas, "Securesign", "spec: {fulcio: {config: {oidcIssuers: []}}}", "sig"),
        "e.yaml": _cr(rhtas, "Securesign", "spec: {trillian: {database: {create: false, "
                      "uri: 'u:p@tcp(db:3306)/trillian'}}}", "external"),
        "t.yaml": _cr(rhtas, "Trillian", "spec: {database: {pvc: {size: 9Gi}}}", "log"),
        "x.yaml": _cr(rhtas, "Trillian", "spec: {database: {create: false}}", "outside"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["sig"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["log"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["external"].lifecycle) == "ephemeral-safe"
    assert str(by_name["outside"].lifecycle) == "ephemeral-safe"
    # the claim asked for is the one the spec sizes, else the operator's 5Gi default
    sizes = {f.component: f.message for f in report.findings if "trillian-mysql" in f.message}
    assert "9Gi" in sizes["k8s:Trillian/ns/log"] and "5Gi" in sizes["k8s:Securesign/ns/sig"]


def _crd(kind: str, spec_properties: str) -> str:
    """A CustomResourceDefinition of ``kind`` in ``API``'s group with these spec properties."""
    return (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        f"metadata: {{name: {kind.lower()}s.acme.example.io}}\n"
        f"spec:\n  group: acme.example.io\n  names: {{kind: {kind}, plural: {kind.lower()}s}}\n"
        "  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n"
        "    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n"
        f"          spec:\n            type: object\n            properties: {spec_properties}\n"
    )


def test_the_defaults_a_shipped_crd_declares_are_read_as_the_api_server_fills_them(
    audit_files: Auditor,
) -> None:
    kept = ("{replicas: {type: integer}, persistence: {type: object, default: {}, properties: "
            "{size: {type: string, default: 5Gi}}}}")  # fmt: skip
    nested = ("{replicas: {type: integer}, persistence: {type: object, properties: "
              "{size: {type: string, default: 5Gi}}}}")  # fmt: skip
    report = audit_files(**{
        "crd.yaml": _crd("Relay", kept),
        "r.yaml": _cr(API, "Relay", "spec: {replicas: 2}", "relay"),
        "crd2.yaml": _crd("Pipe", nested),
        "p.yaml": _cr(API, "Pipe", "spec: {replicas: 2}", "pipe"),
        "q.yaml": _cr(API, "Pipe", "spec: {replicas: 2, persistence: {}}", "kept-pipe"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["relay"].lifecycle is Lifecycle.PERSISTENT
    # a default under an object the manifest leaves out, itself with no default, is not filled
    assert "pipe" not in by_name
    assert by_name["kept-pipe"].lifecycle is Lifecycle.PERSISTENT


def test_a_quiet_resource_of_the_one_cluster_of_its_group_is_applied_to_that_cluster(
    audit_files: Auditor,
) -> None:
    other = "other.example.io/v1"
    report = audit_files(**{
        "c.yaml": _labelled("StoreCluster", "store", "{}", "spec: {storage: {size: 8Gi}}"),
        "s.yaml": _labelled("NodeSetting", "all-nodes", "{}"),
        "o.yaml": _labelled("NodeSetting", "elsewhere", "{}").replace(API, other),
        "n.yaml": _cr(API, "NodeSetting", "spec: {}", "in-ns"),
    })  # fmt: skip
    by_name = _by_name(report)
    assert by_name["all-nodes"].depends_on == (by_name["store"].id,)
    assert str(by_name["all-nodes"].loss) == "none"
    assert by_name["store"].gravity > by_name["all-nodes"].gravity
    # another API group, or a namespace with no cluster of the group: no cluster it belongs to
    assert "elsewhere" not in by_name
    assert "in-ns" not in by_name


def test_a_quiet_resource_of_a_group_with_two_clusters_stays_quiet(audit_files: Auditor) -> None:
    report = audit_files(**{
        "a.yaml": _labelled("StoreCluster", "a", "{}", "spec: {storage: {size: 8Gi}}"),
        "b.yaml": _labelled("StoreCluster", "b", "{}", "spec: {storage: {size: 8Gi}}"),
        "s.yaml": _labelled("NodeSetting", "all-nodes", "{}"),
    })  # fmt: skip
    assert "all-nodes" not in _by_name(report)


def test_a_label_keyed_by_its_groups_first_label_names_a_resource_of_the_group(
    audit_files: Auditor,
) -> None:
    """``acme/monitored-by: watcher`` on an ``acme.example.io`` store names the resource of
    that group and name (its Sentinel); a prefix that is not the group's, or a name no resource
    of the group answers, names nothing."""
    store = (
        f"apiVersion: {API}\nkind: Store\nmetadata: {{name: main, namespace: ns, labels: "
        "{acme/monitored-by: watcher, other/monitored-by: watcher, acme/owner: nobody}}\n"
        "spec: {type: standard, image: 'apache/kvrocks:2', replicas: 3}\n"
    )
    watcher = _cr(API, "Store", "spec: {type: sentinel, image: 'redis:7', replicas: 3}", "watcher")
    by_name = _by_name(audit_files(**{"s.yaml": store, "w.yaml": watcher}))
    assert by_name["main"].depends_on == (by_name["watcher"].id,)
    assert by_name["watcher"].depends_on == ()
