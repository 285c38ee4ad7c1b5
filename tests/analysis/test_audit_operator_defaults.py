"""Operator families decided by a default (:mod:`stateward.analysis.audit.operator_defaults`),
a custom resource's pod-template volumes and the references of resources that hold nothing.
Small hand-made resources: without the families, a Redpanda or a Grafana asks for no storage
and is no component at all."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, deployment, rules_of
from .conftest import custom_resource as _cr

VM = "operator.victoriametrics.com/v1beta1"
GRAFANA = "grafana.integreatly.org/v1beta1"


def test_a_grafana_on_a_database_server_holds_nothing_and_depends_on_it(
    audit_files: Auditor,
) -> None:
    grafana = _cr(GRAFANA, "Grafana", "spec: {config: {database: {type: postgres, "
                  "host: 'pg:5432'}}}", "g")  # fmt: skip
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: pg, namespace: ns}\nspec: {selector: {app: pg}}\n"
    report = audit_files(**{
        "g.yaml": grafana, "pg.yaml": deployment("pg", image="postgres:16"), "s.yaml": service,
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert str(by_name["g"].loss) == "none"
    assert by_name["g"].depends_on == (by_name["pg"].id,)


def test_a_vmalert_reaches_the_services_the_operator_creates(audit_files: Auditor) -> None:
    alert = _cr(VM, "VMAlert", "spec: {datasource: {url: 'http://vmsingle-m.ns.svc:8429'}, "
                "notifiers: [{url: 'http://vmalertmanager-am:9093'}]}", "rules")  # fmt: skip
    report = audit_files(**{
        "a.yaml": alert,
        "m.yaml": _cr(VM, "VMSingle", "spec: {}", "m"),
        "am.yaml": _cr(VM, "VMAlertmanager", "spec: {}", "am"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["rules"].depends_on) == {by_name["m"].id, by_name["am"].id}
    assert str(by_name["rules"].loss) == "none"
    assert by_name["m"].gravity > by_name["rules"].gravity


def test_a_pod_template_volume_is_read_when_the_family_places_no_storage(
    audit_files: Auditor,
) -> None:
    template = """spec:
      flinkConfiguration: {state.checkpoints.dir: 'file:///flink-data/checkpoints'}
      podTemplate:
        spec:
          containers: [{name: flink-main-container, volumeMounts: [{name: d, mountPath: /flink-data},
                        {name: logs, mountPath: /var/log/x, readOnly: true}]}]
          volumes: [{name: d, hostPath: {path: /tmp/flink}}, {name: logs, hostPath: {path: /var/log}}]
    """
    report = audit_files(**{"f.yaml": _cr("flink.apache.org/v1beta1", "FlinkDeployment", template)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    (claims,) = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    assert "hostPath /tmp/flink" in claims
    assert "/var/log" not in claims


def test_read_only_and_node_view_template_volumes_are_no_storage(audit_files: Auditor) -> None:
    template = """spec:
      podTemplate:
        spec:
          containers: [{name: c, volumeMounts: [{name: ro, mountPath: /in, readOnly: true},
                        {name: sys, mountPath: /host/sys}, {name: tmp, mountPath: /tmp}]}]
          volumes: [{name: ro, hostPath: {path: /data}}, {name: sys, hostPath: {path: /sys}},
                    {name: tmp, emptyDir: {}}]
    """
    report = audit_files(**{"f.yaml": _cr("flink.apache.org/v1beta1", "FlinkDeployment", template)})
    (component,) = report.components
    assert component.lifecycle is not Lifecycle.PERSISTENT
    assert str(component.loss) == "none"


def test_a_resource_that_names_its_cluster_is_a_component_holding_nothing(
    audit_files: Auditor,
) -> None:
    cluster = _cr("pgv2.percona.com/v2", "PerconaPGCluster", "spec: {instances: [{replicas: 1, "
                  "dataVolumeClaimSpec: {resources: {requests: {storage: 1Gi}}}}]}", "c1")  # fmt: skip
    backup = _cr("pgv2.percona.com/v2", "PerconaPGBackup", "spec: {pgCluster: c1, repoName: r1}",
                 "b1")  # fmt: skip
    report = audit_files(**{"c.yaml": cluster, "b.yaml": backup})
    by_name = {c.name: c for c in report.components}
    assert by_name["b1"].depends_on == (by_name["c1"].id,)
    assert str(by_name["b1"].loss) == "none"
    assert rules_of(report, "b1") <= {"STATE_DEPENDENCY"}


def test_a_resource_naming_no_cluster_and_asking_no_storage_is_no_component(
    audit_files: Auditor,
) -> None:
    certificate = _cr("cert-manager.io/v1", "Certificate", "spec: {secretName: tls, commonName: "
                      "c1, issuerRef: {name: letsencrypt}}")  # fmt: skip
    report = audit_files(**{"c.yaml": certificate})
    assert report.components == ()


# Operator defaults (operator_defaults.py), each as its CRD reads: what a resource that asks
# for no storage gets.
DURABLE = [
    ("redpanda.vectorized.io/v1alpha1", "Cluster", "spec: {replicas: 1}", "100Gi"),
    ("redpanda.vectorized.io/v1alpha1", "Cluster", "spec: {storage: {capacity: 5Gi}}", "5Gi"),
    ("cluster.redpanda.com/v1alpha2", "Redpanda", "spec: {}", "20Gi"),
    ("cluster.redpanda.com/v1alpha2", "Redpanda",
     "spec: {clusterSpec: {storage: {persistentVolume: {size: 7Gi}}}}", "7Gi"),
    (GRAFANA, "Grafana", "spec: {persistentVolumeClaim: {spec: {resources: {requests: "
     "{storage: 2Gi}}}}}", "2Gi"),
    ("mongodb.com/v1", "MongoDB", "spec: {members: 3, type: ReplicaSet}", "16G"),
    ("mongodb.com/v1", "MongoDB", "spec: {podSpec: {persistence: {single: {storage: 4Gi}}}}", "4Gi"),
    ("stackgres.io/v1", "SGCluster", "spec: {instances: 2, pods: {persistentVolume: {size: 5Gi}}}",
     "5Gi"),
    ("ps.percona.com/v1alpha1", "PerconaServerMySQL", "spec: {mysql: {size: 3, volumeSpec: "
     "{persistentVolumeClaim: {resources: {requests: {storage: 3Gi}}}}}}", "3Gi"),
    ("tempo.grafana.com/v1alpha1", "TempoStack", "spec: {storage: {secret: {name: s3}}}", "10Gi"),
    ("couchbase.com/v2", "CouchbaseCluster", "spec: {servers: [{name: all, size: 3, volumeMounts: "
     "{default: data}}], volumeClaimTemplates: [{metadata: {name: data}, spec: {resources: "
     "{requests: {storage: 9Gi}}}}]}", "9Gi"),
    ("app.redislabs.com/v1", "RedisEnterpriseCluster", "spec: {nodes: 3, persistentSpec: "
     "{volumeSize: 20Gi}}", "20Gi"),
    ("ceph.rook.io/v1", "CephCluster", "spec: {storage: {useAllNodes: true, useAllDevices: true}}",
     ""),
    ("vault.banzaicloud.com/v1alpha1", "Vault", "spec: {size: 1, config: {storage: {file: {path: "
     "/vault/file}}}, volumes: [{name: f, persistentVolumeClaim: {claimName: vault-file}}]}", ""),
    ("pubsubplus.solace.com/v1beta1", "PubSubPlusEventBroker", "spec: {redundancy: false}", "30Gi"),
    ("pubsubplus.solace.com/v1beta1", "PubSubPlusEventBroker",
     "spec: {storage: {messagingNodeStorageSize: 50Gi}}", "50Gi"),
    ("pubsubplus.solace.com/v1beta1", "PubSubPlusEventBroker", "spec: {developer: true}", "7Gi"),
    ("pubsubplus.solace.com/v1beta1", "PubSubPlusEventBroker", "spec: {storage: {customVolumeMount: "
     "[{name: Primary, persistentVolumeClaim: {claimName: spool}}]}}", ""),
    ("workspace.devfile.io/v1alpha2", "DevWorkspace", "spec: {template: {attributes: "
     "{controller.devfile.io/storage-type: per-workspace}, projects: [{name: p}]}}", "10Gi"),
    ("workspace.devfile.io/v1alpha2", "DevWorkspace",
     "spec: {template: {projects: [{name: p}]}}", ""),  # the namespace's shared claim
]  # fmt: skip
EPHEMERAL = [
    ("enterprise.splunk.com/v4", "IndexerCluster",
     "spec: {varVolumeStorageConfig: {ephemeralStorage: true}}"),
    ("nacos.io/v1alpha1", "Nacos", "spec: {type: cluster, replicas: 3}"),
    ("cluster.redpanda.com/v1alpha2", "Redpanda",
     "spec: {clusterSpec: {storage: {persistentVolume: {enabled: false}}}}"),
    (GRAFANA, "Grafana", "spec: {config: {log: {mode: console}}}"),
    (GRAFANA, "Grafana", "spec: {config: {database: {type: sqlite3}}}"),
    ("mongodb.com/v1", "MongoDB", "spec: {members: 3, persistent: false}"),
    ("registry.apicur.io/v1", "ApicurioRegistry", "spec: {configuration: {}}"),
    ("couchbase.com/v2", "CouchbaseCluster", "spec: {servers: [{name: all, size: 3}]}"),
    ("app.redislabs.com/v1", "RedisEnterpriseCluster", "spec: {persistentSpec: {enabled: false}}"),
    ("vault.banzaicloud.com/v1alpha1", "Vault", "spec: {config: {storage: {raft: {path: /v}}}}"),
    ("pubsubplus.solace.com/v1beta1", "PubSubPlusEventBroker",
     "spec: {storage: {messagingNodeStorageSize: '0'}}"),
    ("workspace.devfile.io/v1alpha2", "DevWorkspace", "spec: {template: {attributes: "
     "{controller.devfile.io/storage-type: ephemeral}}, contributions: [{name: editor}]}"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "spec", "size"), DURABLE)
def test_a_known_operator_default_claim_is_durable(
    audit_files: Auditor, api: str, kind: str, spec: str, size: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    messages = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    if size:
        assert any(f" {size} " in m for m in messages), messages
    else:  # devices or a claim that exists: no size or modes the estate does not give
        assert messages and not any("per replica" in m for m in messages), messages


@pytest.mark.parametrize(("api", "kind", "spec"), EPHEMERAL)
def test_a_known_operator_default_in_memory_or_emptydir_is_data_lost(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert str(component.loss) == "data"


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        ("registry.apicur.io/v1", "ApicurioRegistry", "spec: {configuration: {persistence: sql}}"),
        ("vault.banzaicloud.com/v1alpha1", "Vault", "spec: {config: {storage: {consul: {}}}}"),
        ("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "spec: {mode: deployment}"),
        (GRAFANA, "Grafana", "spec: {external: {url: 'https://grafana.example.com'}}"),
    ],
)  # fmt: skip
def test_a_store_kept_elsewhere_leaves_the_resource_holding_nothing(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert str(component.loss) == "none"


def test_a_size_named_for_its_volume_is_storage_of_an_unknown_kind(audit_files: Auditor) -> None:
    kafka = _cr("platform.confluent.io/v1beta1", "Kafka", "spec: {replicas: 3, dataVolumeCapacity: "
                "10Gi, podTemplate: {resources: {requests: {memory: 4Gi}}}}")  # fmt: skip
    cache = _cr("example.com/v1", "Thing", "spec: {cacheSize: 1Gi, memorySize: 2Gi}", "thing")
    report = audit_files(**{"k.yaml": kafka, "c.yaml": cache})
    (component,) = report.components
    assert component.name == "x"
    assert component.lifecycle is Lifecycle.PERSISTENT


# Resources that hold nothing: configuration, routing, certificates, topic definitions.
NOTHING = [
    ("cert-manager.io/v1", "Certificate", "spec: {secretName: tls, dnsNames: [a.example], "
     "duration: 2160h, privateKey: {size: 2048}, issuerRef: {name: le, kind: ClusterIssuer}}"),
    ("networking.istio.io/v1", "VirtualService", "spec: {hosts: [a], http: [{route: "
     "[{destination: {host: a, subset: v1}}]}]}"),
    ("operator.knative.dev/v1beta1", "KnativeServing", "spec: {config: {autoscaler: "
     "{container-concurrency-target-default: '100'}}}"),
    ("kafka.strimzi.io/v1beta2", "KafkaTopic", "spec: {partitions: 3, replicas: 3, config: "
     "{retention.bytes: '1073741824'}}"),
    ("argoproj.io/v1alpha1", "Application", "spec: {project: default, source: {repoURL: "
     "'https://x', helm: {valuesObject: {persistence: {size: 8Gi}}}}, destination: "
     "{namespace: db, server: 'https://kubernetes.default.svc'}}"),
]  # fmt: skip


@pytest.mark.parametrize(("api", "kind", "spec"), NOTHING)
def test_a_resource_that_holds_nothing_is_no_component(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    assert report.components == ()


def test_a_workspace_with_nothing_to_mount_holds_nothing(audit_files: Auditor) -> None:
    spec = "spec: {started: true, template: {}}"
    report = audit_files(**{"w.yaml": _cr("workspace.devfile.io/v1alpha2", "DevWorkspace", spec)})
    assert [str(c.loss) for c in report.components] in ([], ["none"])
    assert not {"OPERATOR_CLAIMS", "OPERATOR_EPHEMERAL"} & rules_of(report)


def test_resources_acting_on_a_cluster_depend_on_it(audit_files: Auditor) -> None:
    report = audit_files(**{
        "mq.yaml": _cr("rabbitmq.com/v1beta1", "RabbitmqCluster", "spec: {replicas: 1}", "mq"),
        "q.yaml": _cr("rabbitmq.com/v1beta1", "Queue", "spec: {name: jobs, durable: true, "
                      "rabbitmqClusterReference: {name: mq}}", "jobs"),
        "kc.yaml": _cr("k8s.keycloak.org/v2alpha1", "Keycloak", "spec: {instances: 1}", "sso"),
        "r.yaml": _cr("k8s.keycloak.org/v2alpha1", "KeycloakRealmImport", "spec: {keycloakCRName: "
                      "sso, realm: {realm: acme}}", "acme"),
        "es.yaml": _cr("elasticsearch.k8s.elastic.co/v1", "Elasticsearch", "spec: {nodeSets: "
                       "[{name: d, count: 1}]}", "es"),
        "ent.yaml": _cr("enterprisesearch.k8s.elastic.co/v1", "EnterpriseSearch", "spec: {count: 1, "
                        "elasticsearchRef: {name: es}}", "ent"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["jobs"].depends_on == (by_name["mq"].id,)
    assert by_name["acme"].depends_on == (by_name["sso"].id,)
    assert by_name["ent"].depends_on == (by_name["es"].id,)
    assert {str(by_name[n].loss) for n in ("jobs", "acme", "ent")} == {"none"}


def test_a_collector_depends_on_what_its_exporters_reach(audit_files: Auditor) -> None:
    collector = _cr("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "spec: {config: "
                    "{exporters: {otlp: {endpoint: 'traces-collector:4317'}}}}", "otel")  # fmt: skip
    traces = _cr("jaegertracing.io/v1", "Jaeger", "spec: {strategy: allInOne}", "traces")
    report = audit_files(**{"o.yaml": collector, "t.yaml": traces})
    by_name = {c.name: c for c in report.components}
    assert by_name["otel"].depends_on == (by_name["traces"].id,)


def _controller(api: str, kind: str, name: str, container: str, extra: str = "") -> str:
    return f"""apiVersion: {api}
kind: {kind}
metadata: {{name: {name}, namespace: ns}}
spec:
  replicas: 1
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{container}]
      {extra}
"""


def test_a_custom_controller_running_pods_is_a_workload(audit_files: Auditor) -> None:
    db = _controller(
        "apps.kruise.io/v1alpha1", "CloneSet", "db",
        "{name: pg, image: 'postgres:16', volumeMounts: [{name: d, mountPath: /var/lib/postgresql/data}]}",
        "volumes: [{name: d, persistentVolumeClaim: {claimName: pg}}]",
    )  # fmt: skip
    app = _controller(
        "argoproj.io/v1alpha1", "Rollout", "app",
        "{name: app, image: 'example/app:1', env: [{name: DATABASE_URL, value: "
        "'postgres://u@db:5432/app'}], ports: [{containerPort: 80}]}",
    )  # fmt: skip
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: ns}\nspec: {selector: {app: db}}\n"
    report = audit_files(**{"db.yaml": db, "app.yaml": app, "svc.yaml": service})
    by_name = {c.name: c for c in report.components}
    assert by_name["db"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["app"].depends_on == (by_name["db"].id,)
    assert by_name["db"].gravity > by_name["app"].gravity


def test_a_rollout_that_references_a_deployment_runs_its_pods_holding_nothing(
    audit_files: Auditor,
) -> None:
    # It runs the pods of the Deployment's template, which is scaled to zero ("workloadRef",
    # https://argo-rollouts.readthedocs.io/en/stable/features/specification/): the workload the
    # pods belong to, with no template of its own to read, named for what it references.
    rollout = _cr("argoproj.io/v1alpha1", "Rollout", "spec: {replicas: 2, workloadRef: "
                  "{apiVersion: apps/v1, kind: Deployment, name: app}}")  # fmt: skip
    report = audit_files(**{"r.yaml": rollout})
    assert [(c.kind, str(c.loss)) for c in report.components] == [("Rollout", "none")]


AWX = "awx.ansible.com/v1beta1"
LOGGING = "logging.banzaicloud.io/v1beta1"


def test_an_awx_keeps_its_data_in_the_postgresql_its_operator_runs(audit_files: Auditor) -> None:
    report = audit_files(**{
        "awx.yaml": _cr(AWX, "AWX", "spec: {web_resource_requirements: {requests: {cpu: 50m}}}",
                        "awx"),
        "ext.yaml": _cr(AWX, "AWX", "spec: {postgres_configuration_secret: ext-db}", "ext"),
        "backup.yaml": _cr(AWX, "AWXBackup", "spec: {deployment_name: awx}", "bk"),
        "mesh.yaml": _cr("awx.ansible.com/v1alpha1", "AWXMeshIngress",
                         "spec: {deployment_name: awx}", "mesh"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["awx"].lifecycle is Lifecycle.PERSISTENT
    assert "8Gi" in next(f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS")
    assert by_name["ext"].lifecycle is Lifecycle.EPHEMERAL_SAFE  # its database is elsewhere
    assert by_name["bk"].depends_on == by_name["mesh"].depends_on == (by_name["awx"].id,)
    assert by_name["awx"].gravity > by_name["bk"].gravity


CRYOSTAT = "operator.cryostat.io/v1beta2"


def test_a_cryostat_keeps_its_database_and_recordings_on_claims_by_default(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "default.yaml": _cr(CRYOSTAT, "Cryostat", "spec: {enableCertManager: true}", "plain"),
        "empty.yaml": _cr(CRYOSTAT, "Cryostat", "spec: {storageOptions: {database: {emptyDir: "
                          "{enabled: true}}, objectStorage: {emptyDir: {enabled: true}}}}", "scratch"),
        "legacy.yaml": _cr(CRYOSTAT, "Cryostat", "spec: {storageOptions: {emptyDir: "
                           "{enabled: true}}}", "legacy"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    claims = [f.message for f in report.findings
              if f.component == by_name["plain"].id and f.rule == "OPERATOR_CLAIMS"]  # fmt: skip
    assert any("<name>-database" in m for m in claims)
    assert any("<name>-storage" in m for m in claims)
    assert by_name["plain"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["scratch"].loss) == str(by_name["legacy"].loss) == "data"  # emptyDirs


def test_openstack_kinds_that_keep_nothing_are_components_ranked_below_a_store(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "galera.yaml": _cr("mariadb.openstack.org/v1beta1", "Galera",
                           "spec: {secret: s, storageClass: local-storage, storageRequest: 500M, "
                           "replicas: 3}", "openstack"),
        "db.yaml": _cr("mariadb.openstack.org/v1beta1", "MariaDBDatabase",
                       "spec: {name: scott, secret: tiger}", "scott"),
        "memcached.yaml": _cr("memcached.openstack.org/v1beta1", "Memcached",
                              "spec: {replicas: 1}", "memcached"),
        "northd.yaml": _cr("ovn.openstack.org/v1beta1", "OVNNorthd", "spec: {logLevel: info}",
                           "northd"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["openstack"].lifecycle is Lifecycle.PERSISTENT
    for name in ("scott", "memcached", "northd"):
        assert str(by_name[name].loss) != "data", name
        assert by_name[name].gravity < by_name["openstack"].gravity, name


def test_a_logging_aggregator_buffers_on_a_claim_its_agents_forward_to(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{
        "logging.yaml": _cr(LOGGING, "Logging", "spec: {fluentd: {}}", "main"),
        "other.yaml": _cr(LOGGING, "Logging", "spec: {fluentd: {disablePvc: true}, "
                          "loggingRef: other}", "other"),
        "config.yaml": _cr(LOGGING, "Logging", "spec: {controlNamespace: ns, loggingRef: c}", "config"),
        "agent.yaml": _cr(LOGGING, "FluentbitAgent", "spec: {positiondb: {hostPath: {path: ''}}}",
                          "agent"),
        "tagged.yaml": _cr(LOGGING, "FluentbitAgent", "spec: {loggingRef: other}", "tagged"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert "20Gi" in next(f.message for f in report.findings if f.component == by_name["main"].id
                          and f.rule == "OPERATOR_CLAIMS")  # fmt: skip
    assert str(by_name["other"].loss) == "data"  # the buffer on an emptyDir
    assert by_name["config"].lifecycle is Lifecycle.EPHEMERAL_SAFE  # no aggregator of its own
    assert str(by_name["agent"].loss) == "rebuildable"
    assert by_name["agent"].depends_on == (by_name["main"].id,)
    assert by_name["tagged"].depends_on == (by_name["other"].id,)
    assert by_name["main"].gravity > by_name["agent"].gravity


def test_jenkins_home_is_on_the_operators_emptydir(audit_files: Auditor) -> None:
    jenkins = _cr("jenkins.io/v1alpha2", "Jenkins", "spec: {master: {containers: [{name: "
                  "jenkins-master, image: 'jenkins/jenkins:2.319.1-lts-alpine'}]}}")  # fmt: skip
    report = audit_files(**{"j.yaml": jenkins})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report)


def test_a_mattermost_with_no_stores_gets_the_operators_database_and_file_store(
    audit_files: Auditor,
) -> None:
    api = "installation.mattermost.com/v1beta1"
    external = ("spec: {database: {external: {secret: db}}, fileStore: {external: {url: "
                "s3.amazonaws.com, bucket: b, secret: s}}}")  # fmt: skip
    report = audit_files(**{
        "a.yaml": _cr(api, "Mattermost", "spec: {ingress: {enabled: true, host: mm.example}}",
                      "anywhere"),
        "e.yaml": _cr(api, "Mattermost", external, "external"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["anywhere"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["external"].lifecycle) == "ephemeral-safe"
    assert by_name["anywhere"].gravity > by_name["external"].gravity


def test_an_event_bus_without_persistence_loses_its_events_and_its_clients_use_default(
    audit_files: Auditor,
) -> None:
    api = "argoproj.io/v1alpha1"
    report = audit_files(**{
        "b.yaml": _cr(api, "EventBus", "spec: {nats: {native: {replicas: 3}}}", "default"),
        "k.yaml": _cr(api, "EventBus", "spec: {jetstream: {version: latest, persistence: "
                      "{volumeSize: 5Gi}}}", "kept"),  # fmt: skip
        "s.yaml": _cr(api, "EventSource", "spec: {webhook: {example: {port: '12000'}}}", "hook"),
        "t.yaml": _cr(api, "Sensor", "spec: {dependencies: [{name: d, eventSourceName: hook, "
                      "eventName: example}]}", "sensor"),  # fmt: skip
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert str(by_name["default"].loss) == "data"
    assert by_name["kept"].lifecycle is Lifecycle.PERSISTENT
    assert str(by_name["kept"].loss) == "none"
    assert by_name["hook"].depends_on == (by_name["default"].id,)
    assert set(by_name["sensor"].depends_on) == {by_name["default"].id, by_name["hook"].id}
    assert by_name["default"].gravity > by_name["hook"].gravity


def test_a_ydb_database_with_storage_units_holds_its_tables_in_the_storage_it_names(
    audit_files: Auditor,
) -> None:
    storage = _cr("ydb.tech/v1alpha1", "Storage", "spec: {nodes: 9, dataStore: [{volumeMode: "
                  "Block, resources: {requests: {storage: 80Gi}}}]}", "storage")  # fmt: skip
    database = _cr("ydb.tech/v1alpha1", "Database", "spec: {nodes: 3, resources: {storageUnits: "
                   "[{count: 1, unitKind: ssd}]}, storageClusterRef: {name: storage}}", "db")  # fmt: skip
    report = audit_files(**{"s.yaml": storage, "d.yaml": database})
    by_name = {c.name: c for c in report.components}
    assert by_name["db"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["db"].depends_on == (by_name["storage"].id,)


def test_kafka_streams_state_of_confluent_components_is_restored_from_kafka(
    audit_files: Auditor,
) -> None:
    cfk = "platform.confluent.io/v1beta1"
    capacity = "spec: {replicas: 1, dataVolumeCapacity: 10Gi}"
    report = audit_files(**{
        "k.yaml": _cr(cfk, "KsqlDB", capacity, "ksqldb"),
        "c.yaml": _cr(cfk, "ControlCenter", capacity, "c3"),
        "b.yaml": _cr(cfk, "Kafka", capacity, "kafka"),  # the broker keeps the records
        "o.yaml": _cr("acme.example.io/v1", "KsqlDB", capacity, "other"),  # another group's kind
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert str(by_name["ksqldb"].lifecycle) == "ephemeral-with-warm-up"
    assert str(by_name["c3"].lifecycle) == "ephemeral-with-warm-up"
    assert by_name["kafka"].lifecycle is Lifecycle.PERSISTENT
    assert by_name["other"].lifecycle is Lifecycle.PERSISTENT


@pytest.mark.parametrize(("spec", "lifecycle", "loss"), [
    ("{serviceLabels: {a: b}}", Lifecycle.PERSISTENT, "data"),  # ephemeral: an emptyDir
    ("{sqlite: {storageClassName: standard, size: 1Gi}}", Lifecycle.PERSISTENT, "none"),
])  # fmt: skip
def test_a_prefect_server_keeps_its_database_where_its_backend_says(
    audit_files: Auditor, spec: str, lifecycle: Lifecycle, loss: str
) -> None:
    manifest = _cr("prefect.io/v1", "PrefectServer", f"spec: {spec}")
    (component,) = audit_files(**{"p.yaml": manifest}).components
    assert (component.lifecycle, str(component.loss)) == (lifecycle, loss)


def test_a_prefect_server_on_postgres_holds_nothing(audit_files: Auditor) -> None:
    spec = "{postgres: {host: pg, port: 5432}}"
    report = audit_files(**{"p.yaml": _cr("prefect.io/v1", "PrefectServer", f"spec: {spec}")})
    assert all(str(c.loss) != "data" for c in report.components)


@pytest.mark.parametrize(("spec", "loss"), [
    ("{embedding: {local: {modelID: 'BAAI/bge-small-en-v1.5'}}}", "data"),
    ("{embedding: {local: {modelID: m}}, storage: {persistentVolumeClaim: vectors}}", "none"),
])  # fmt: skip
def test_a_rag_engine_with_no_storage_keeps_its_vectors_in_memory(
    audit_files: Auditor, spec: str, loss: str
) -> None:
    manifest = _cr("kaito.sh/v1beta1", "RAGEngine", f"spec: {spec}")
    (component,) = audit_files(**{"r.yaml": manifest}).components
    assert str(component.loss) == loss


@pytest.mark.parametrize(("storage", "loss"), [
    ("", "data"),  # the default emptyDir
    ("storage: {emptyDir: {}}", "data"),
    ("storage: {volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}", "none"),
    # emptyDir comes first when both are given
    ("storage: {emptyDir: {}, volumeClaimTemplate: {spec: {resources: {requests: {storage: 1Gi}}}}}",
     "data"),
])  # fmt: skip
def test_a_kanidm_with_no_claim_keeps_its_database_on_an_emptydir(
    audit_files: Auditor, storage: str, loss: str
) -> None:
    spec = (
        f"{{domain: idm.example.org, replicaGroups: [{{name: default, replicas: 1}}], {storage}}}"
    )
    manifest = _cr("kaniop.rs/v1beta1", "Kanidm", f"spec: {spec}")
    (component,) = audit_files(**{"k.yaml": manifest}).components
    assert str(component.loss) == loss


@pytest.mark.parametrize(("upload", "lifecycle"), [
    # air-gapped: kept on the claim until an administrator downloads them
    ("{upload_toggle: false, upload_cycle: 360}", Lifecycle.PERSISTENT),
    # removed once uploaded, collected again from Prometheus; uploading is the default
    ("{upload_toggle: true, upload_cycle: 360}", Lifecycle.EPHEMERAL_WITH_WARM_UP),
    ("{upload_cycle: 360}", Lifecycle.EPHEMERAL_WITH_WARM_UP),
])  # fmt: skip
def test_cost_reports_kept_until_uploaded_or_downloaded(
    audit_files: Auditor, upload: str, lifecycle: Lifecycle
) -> None:
    spec = f"{{packaging: {{max_reports_to_store: 30}}, upload: {upload}}}"
    manifest = _cr(
        "costmanagement-metrics-cfg.openshift.io/v1beta1", "CostManagementMetricsConfig",
        f"spec: {spec}",
    )  # fmt: skip
    (component,) = audit_files(**{"c.yaml": manifest}).components
    assert component.lifecycle is lifecycle


def test_a_multicluster_observability_keeps_received_metrics_on_its_default_claims(
    audit_files: Auditor,
) -> None:
    """No sizes given: thanos-receive's 100Gi, Alertmanager's and thanos-rule's 1Gi claims."""
    spec = "{observabilityAddonSpec: {}, storageConfig: {metricObjectStorage: {name: s, key: k}}}"
    manifest = _cr(
        "observability.open-cluster-management.io/v1beta2", "MultiClusterObservability",
        f"spec: {spec}",
    )  # fmt: skip
    report = audit_files(**{"m.yaml": manifest})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    sizes = {f.message for f in report.findings if "storageConfig" in (f.path or "")}
    assert any("100Gi" in m for m in sizes) and any("1Gi" in m for m in sizes), sizes


@pytest.mark.parametrize(("spec", "claims", "lifecycle"), [
    # the role's default: the dataroot on the moodledata claim it creates
    ("{moodleNewInstanceAgreeLicense: true}", ["OPERATOR_CLAIMS"], Lifecycle.PERSISTENT),
    ("{moodlePvcDataSize: 5Gi}", ["OPERATOR_CLAIMS"], Lifecycle.PERSISTENT),
    # the dataroot on an NFS Server resource's share: none of the Moodle's own
    ("{moodleNfsMetaName: nfs-sample}", [], Lifecycle.EPHEMERAL_SAFE),
])  # fmt: skip
def test_a_moodle_keeps_its_dataroot_on_the_claim_the_operator_creates(
    audit_files: Auditor, spec: str, claims: list[str], lifecycle: Lifecycle
) -> None:
    report = audit_files(**{"m.yaml": _cr("m4e.krestomat.io/v1alpha1", "Moodle", f"spec: {spec}")})
    (component,) = report.components
    assert component.lifecycle == lifecycle
    assert [f.rule for f in report.findings if f.rule == "OPERATOR_CLAIMS"] == claims
