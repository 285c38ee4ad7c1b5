"""Custom resources of no known family that declare a data system by their shape (storage
members, pools of copies, a database kind) hold data where their operator puts it, even when
their spec asks for no storage."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, custom_resource, rules_of

DECLARES_A_DATA_SYSTEM = [
    ("Lake", "spec: {query: {replicas: 2}, datanode: {replicas: 3}}", "datanode"),
    ("Lake", "spec: {feSpec: {replicas: 1, image: f}, beSpec: {replicas: 3, image: b}}", "feSpec"),
    ("Lake", "spec: {lakeBeSpec: {replicas: 3, image: b}}", "lakeBeSpec"),
    ("Lake", "spec: {storageGroup: {replicas: 3}}", "storageGroup"),
    ("Pool", "spec: {failureDomain: host, replicated: {size: 3}}", "3 replica"),
    ("Files", "spec: {metadataPool: {replicated: {size: 2}}, dataPools: [{name: d}]}", "2 replica"),
    ("Bucket", "spec: {dataPool: {erasureCoded: {dataChunks: 2, codingChunks: 1}}}", "erasure"),
    ("TimelineDB", "spec: {base: {image: timeline/server:1}}", "TimelineDB"),
    ("VectorDBStandalone", "spec: {image: v}", "VectorDBStandalone"),
    ("T3DBCluster", "spec: {image: t, replicationFactor: 3}", "T3DBCluster"),  # a digit before DB
    ("Thing", "spec: {image: 'postgres:16', replicas: 1}", "postgres database image"),
    ("Thing", "spec: {image: {repository: bitnami/mongodb, tag: '7'}}", "mongo database image"),
]


@pytest.mark.parametrize(("kind", "spec", "said"), DECLARES_A_DATA_SYSTEM)
def test_a_custom_resource_declaring_a_data_system_holds_data_on_the_operators_storage(
    audit_files: Auditor, kind: str, spec: str, said: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("lake.example.com/v1", kind, spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == (kind, Lifecycle.PERSISTENT)
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert said in finding.message
    assert component.gravity > 0


NO_DATA_SYSTEM = [
    ("Lake", "spec: {gateway: {replicas: 2}, query: {replicas: 3}}"),  # no storage role
    ("Lake", "spec: {datanode: {image: d}}"),  # a role with no members counted
    ("Lake", "spec: {data: 3}"),
    ("Pool", "spec: {replicated: {size: many}}"),
    ("TimelineDBUser", "spec: {username: u}"),  # acts on a database, names none
    ("T3DBUser", "spec: {username: u}"),
    ("Feedback", "spec: {rating: 5}"),
]


@pytest.mark.parametrize(("kind", "spec"), NO_DATA_SYSTEM)
def test_a_custom_resource_declaring_no_data_system_stays_quiet(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("lake.example.com/v1", kind, spec)})
    assert not report.components
    assert rules_of(report, "x") == set()


@pytest.mark.parametrize(
    ("spec", "single"),
    [
        ("spec: {query: {replicas: 1}, datanode: {replicas: 3}}", False),
        ("spec: {query: {replicas: 3}, datanode: {replicas: 1}}", True),
        ("spec: {replicated: {size: 3}}", False),
        ("spec: {replicated: {size: 1}}", True),
        # one member per entry of a nodes list (the Fabric operator's ordering service)
        ("spec: {nodes: [{id: a}, {id: b}, {id: c}], storage: {size: 30Gi}}", False),
        ("spec: {nodes: [{id: a}], storage: {size: 30Gi}}", True),
        ("spec: {nodes: [a, b, c], storage: {size: 30Gi}}", True),  # names, not members
    ],
)
def test_the_members_that_keep_the_data_are_its_replicas(
    audit_files: Auditor, spec: str, single: bool
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("lake.example.com/v1", "Lake", spec)})
    assert ("SINGLE_REPLICA_RWO" in rules_of(report, "x")) is single


def test_members_listed_one_by_one_weigh_their_copies(audit_files: Auditor) -> None:
    """hlf-operator's three-node ordering service (the chain of record) tied a one-node peer
    (a copy of it) before its nodes were counted."""
    three = "spec: {nodes: [{id: a}, {id: b}, {id: c}], storage: {size: 30Gi}}"
    one = "spec: {storage: {size: 30Gi}}"
    report = audit_files(
        **{
            "a.yaml": custom_resource("lake.example.com/v1", "Orderers", three),
            "b.yaml": custom_resource("lake.example.com/v1", "Peer", one),
        }
    )
    gravity = {c.kind: c.gravity for c in report.components}
    assert gravity["Orderers"] == gravity["Peer"] + 10  # copies: 5 per further member


def test_a_database_kind_naming_the_cluster_it_lives_in_holds_nothing_itself(
    audit_files: Auditor,
) -> None:
    spec = "spec: {clusterRef: {name: main}, charset: utf8}"
    report = audit_files(
        **{"cr.yaml": custom_resource("lake.example.com/v1", "ShopDatabase", spec)}
    )
    (component,) = report.components
    assert component.lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")


@pytest.mark.parametrize(
    ("spec", "kept"),
    [
        # the backup it is restored from (the SqlDB operator's restore workflow): a server still
        ("spec: {type: PostgreSQL, backupName: db1-backup}", True),
        ("spec: {type: PostgreSQL}", True),
        # the server it lives inside: a logical database holding nothing of its own
        ("spec: {type: PostgreSQL, serverName: main}", False),
    ],
)
def test_a_database_kind_naming_a_backup_is_still_a_server(
    audit_files: Auditor, spec: str, kept: bool
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("infra.example.com/v1", "SqlDB", spec)})
    (component,) = report.components
    assert (component.lifecycle is Lifecycle.PERSISTENT) is kept


WHOLE_CLUSTERS = [
    ("ide.example.com/v2", "WorkbenchCluster", "spec: {}", True),  # the CRD's defaults
    ("ide.example.com/v2", "WorkbenchCluster", "spec: {networking: {}, auth: {}}", True),
    # a compute engine giving its pods' templates: they mount nothing
    (
        "ray.example.com/v1",
        "GridCluster",
        "spec: {head: {template: {spec: {containers: [{name: h, image: h}]}}}}",
        False,
    ),
    # infrastructure described for Cluster API, not run in this cluster
    ("infrastructure.cluster.x-k8s.io/v1beta1", "CloudCluster", "spec: {region: r}", False),
    ("ide.example.com/v2", "Cluster", "spec: {}", False),  # no product named
    # a query engine's coordinators and workers keep none of the data they query
    (
        "sql.example.com/v1",
        "QueryCluster",
        "spec: {clusterConfig: {catalogLabelSelector: {matchLabels: {q: x}}},"
        " coordinators: {roleGroups: {default: {replicas: 1}}},"
        " workers: {roleGroups: {default: {replicas: 3}}}}",
        False,
    ),
    ("sql.example.com/v1", "QueryCluster", "spec: {workers: {replicas: 2}}", False),
    # a member cluster elsewhere, reached by its API server or a kubeconfig (Clusterpedia)
    (
        "cluster.example.com/v1",
        "MirrorCluster",
        "spec: {apiserver: 'https://10.0.0.1:6443', "
        "caData: '', tokenData: '', syncResources: [{group: apps, resources: [deployments]}]}",
        False,
    ),
    (
        "cluster.example.com/v1",
        "MirrorCluster",
        "spec: {kubeconfig: a2luZA==, syncResources: []}",
        False,
    ),
    # a role beside them that is not the engine's: the product's own default, data
    (
        "sql.example.com/v1",
        "QueryCluster",
        "spec: {coordinators: {roleGroups: {default: {replicas: 1}}},"
        " journals: {roleGroups: {default: {replicas: 3}}}}",
        True,
    ),
    # a member cluster registered by its API server or credentials, to be watched from here
    (
        "search.example.com/v1",
        "IndexedCluster",
        "spec: {apiserver: 'https://10.0.0.1:6443'}",
        False,
    ),
    ("search.example.com/v1", "IndexedCluster", "spec: {kubeconfig: ''}", False),
    ("search.example.com/v1", "IndexedCluster", "spec: {caData: '', syncResources: []}", False),
]


@pytest.mark.parametrize(("api", "kind", "spec", "held"), WHOLE_CLUSTERS)
def test_a_product_cluster_of_no_family_keeps_its_data_on_the_operators_default(
    audit_files: Auditor, api: str, kind: str, spec: str, held: bool
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(api, kind, spec)})
    persistent = [c for c in report.components if c.lifecycle is Lifecycle.PERSISTENT]
    assert bool(persistent) is held
    findings = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert bool(findings) is held
    assert all("the whole of what its operator runs" in f.message for f in findings)


KEPT_ELSEWHERE = [
    ("PermissionsDBCluster", "spec: {config: {datastoreEngine: cockroachdb, replicas: 2}}"),
    ("PermissionsCluster", "spec: {datastoreURI: {secretKeyRef: {name: s, key: uri}}}"),
    ("WorkflowCluster", "spec: {persistence: {defaultStore: {sql: {connectAddr: db.ns:3306}}}}"),
    ("LedgerDB", "spec: {connectionString: {secretRef: {name: s}}}"),
    ("MetastoreCluster", "spec: {clusterConfig: {database: {connString: "
     "'jdbc:postgresql://pg:5432/meta', dbType: postgres}}, metastore: {roleGroups: "
     "{default: {replicas: 1}}}}"),
    ("CatalogCluster", "spec: {jdbcUrl: 'jdbc:mysql://db.ns.svc:3306/c', replicas: 2}"),
    ("HbaseCluster", "spec: {clusterConfig: {hdfsConfigMapName: hdfs, zookeeperConfigMapName: "
     "zk}, regionServers: {roleGroups: {default: {replicas: 2}}}}"),
    ("DruidCluster", "spec: {clusterConfig: {deepStorage: {hdfs: {configMapName: hdfs}}, "
     "metadataDatabase: {postgresql: {host: pg}}}, historicals: {roleGroups: {}}}"),
    ("DruidCluster", "spec: {clusterConfig: {deepStorage: {s3: {bucket: {reference: b}}}, "
     "metadataDatabase: {dbType: mysql, host: db}}, historicals: {roleGroups: {}}}"),
    ("FlowInstance", "spec: {image: 'n8nio/n8n:1', database: {type: postgresdb, secretRef: "
     "{name: pg}}}"),
    # the engine picked by its one key under a field named for a database (Stackable Superset)
    ("SupersetCluster", "spec: {clusterConfig: {metadataDatabase: {postgresql: {host: pg, "
     "database: d, credentialsSecretName: s}}}, nodes: {roleGroups: {default: {}}}}"),
]  # fmt: skip


@pytest.mark.parametrize(
    "conn",
    [
        "jdbc:h2:mem:meta",  # (an embedded file: the test below)
        "sqlite:///data/meta.db",
    ],
)
def test_a_connection_string_naming_no_server_keeps_the_records_in_the_pods(
    audit_files: Auditor, conn: str
) -> None:
    """An embedded database's connection string names a file or memory, no server: the
    ``…Cluster`` still holds what its operator runs (read as data, the operator's default)."""
    spec = (
        f"spec: {{clusterConfig: {{database: {{connString: '{conn}'}}}}, metastore: "
        "{roleGroups: {default: {replicas: 1}}}}"
    )
    report = audit_files(
        **{"cr.yaml": custom_resource("authz.example.com/v1", "MetastoreCluster", spec)}
    )
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")


@pytest.mark.parametrize(
    ("conn", "held"),
    [
        ("jdbc:derby:;databaseName=/tmp/hive;create=true", "embedded Derby database at /tmp/hive"),
        ("jdbc:h2:file:/data/meta", "embedded H2 database at /data/meta"),
        ("jdbc:derby://derby.ns:1527/meta;create=true", ""),  # Derby's network server
        ("jdbc:postgresql://pg:5432/meta", ""),
    ],
)
def test_an_embedded_database_file_of_any_kind_is_data_in_its_pods(
    audit_files: Auditor, conn: str, held: str
) -> None:
    """Kubedoop's ``HiveMetastore``: a kind named for no data system whose metastore keeps its
    catalogue in the embedded Derby its connection string names, in the pod."""
    spec = f"spec: {{clusterConfig: {{database: {{connString: '{conn}', databaseType: derby}}}}}}"
    report = audit_files(
        **{"cr.yaml": custom_resource("hive.example.dev/v1alpha1", "HiveMetastore", spec)}
    )
    findings = [f for f in report.findings if f.rule == "OPERATOR_EPHEMERAL"]
    assert [held in f.message for f in findings] == ([True] if held else [])
    assert all(str(f.severity) == "high" for f in findings)


def test_an_hbase_naming_no_hdfs_is_read_as_keeping_its_tables(audit_files: Auditor) -> None:
    """Without the HDFS it keeps its tables in, an HBase is still a database named by its kind
    (its files wherever the operator puts them)."""
    spec = "spec: {clusterConfig: {zookeeperConfigMapName: zk}, regionServers: {roleGroups: {}}}"
    report = audit_files(
        **{"cr.yaml": custom_resource("hbase.example.com/v1", "HbaseCluster", spec)}
    )
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")


@pytest.mark.parametrize(
    ("deep", "metadata"),
    [("{local: {directory: /data}}", "{postgresql: {host: pg}}"),
     ("{hdfs: {configMapName: hdfs}}", "{derby: {}}"),
     ("{hdfs: {configMapName: hdfs}}", "{dbType: derby, host: localhost}")],
)  # fmt: skip
def test_a_druid_keeping_segments_or_metadata_in_its_pods_is_read_as_a_database(
    audit_files: Auditor, deep: str, metadata: str
) -> None:
    """Local deep storage or an embedded Derby keeps Druid's records in its own pods."""
    spec = f"spec: {{clusterConfig: {{deepStorage: {deep}, metadataDatabase: {metadata}}}}}"
    report = audit_files(
        **{"cr.yaml": custom_resource("druid.example.com/v1", "DruidCluster", spec)}
    )
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")


@pytest.mark.parametrize(("kind", "spec"), KEPT_ELSEWHERE)
def test_a_resource_naming_the_datastore_it_keeps_its_records_in_holds_nothing(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("authz.example.com/v1", kind, spec)})
    (component,) = report.components  # a client of that store: a component for its edges
    assert component.lifecycle is Lifecycle.EPHEMERAL_SAFE
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")


@pytest.mark.parametrize(
    "database",
    [
        "{type: sqlite}",
        "{type: sqlite, secretRef: {name: s}}",
        "{type: postgresdb}",
        "{sqlite: {path: /data/n8n.db}}",
        "{postgresql: {}}",
    ],
)
def test_an_application_on_an_embedded_or_unplaced_database_still_holds_its_records(
    audit_files: Auditor, database: str
) -> None:
    """Only a server engine with the Secret or address of its server is elsewhere: SQLite keeps
    the records in the pods' files, and a type alone names no server."""
    spec = f"spec: {{image: 'n8nio/n8n:1', database: {database}}}"
    report = audit_files(
        **{"cr.yaml": custom_resource("flow.example.com/v1", "FlowInstance", spec)}
    )
    assert "CUSTOM_RESOURCE_STORAGE" in rules_of(report, "x")


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {image: 'memcached:1.6'}",  # a memory cache: what it holds is warmed again
        "spec: {clusterRef: {name: main}, image: 'mysql:8'}",  # acts on the cluster it names
    ],
)
def test_an_image_of_a_family_keeping_no_records_of_its_own_declares_no_data_system(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource("lake.example.com/v1", "Thing", spec)})
    assert all(c.lifecycle is not Lifecycle.PERSISTENT for c in report.components)
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report)


@pytest.mark.parametrize(
    ("spec", "holds"),
    [
        ("spec: {type: standard, image: apache/kvrocks, replicas: 3}", True),
        ("spec: {type: cluster, image: apache/kvrocks, master: 3, replicas: 2}", True),
        ("spec: {type: sentinel, image: 'redis:6.2.4', replicas: 3}", False),
        ("spec: {mode: Sentinel, image: 'postgres:16'}", False),  # the role decides, any case
        ("spec: {type: proxy, image: 'mysql:8'}", False),
    ],
)
def test_the_role_a_spec_picks_decides_whether_one_kind_holds_data(
    audit_files: Auditor, spec: str, holds: bool
) -> None:
    """One kind runs a store or a Sentinel by ``spec.type`` (the kvrocks-operator's
    ``KVRocks``): a Sentinel, like a proxy, keeps no dataset; the store, a Kvrocks image named
    by the kind, keeps its keys on the operator's storage."""
    report = audit_files(**{"cr.yaml": custom_resource("kvrocks.example.org/v1", "KVRocks", spec)})
    (component,) = report.components  # a store or a service its peers address
    assert (component.lifecycle is Lifecycle.PERSISTENT) is holds
    assert ("CUSTOM_RESOURCE_STORAGE" in rules_of(report)) is holds
