"""Each rule on a small estate: what fires it, and the negative cases that must not."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from stateward.analysis.audit import RULES

from .conftest import Auditor, rules_of


def workload(kind: str, name: str, pod: dict[str, Any], **spec: Any) -> dict[str, Any]:
    """A Kubernetes workload with pod labels ``app: <name>``."""
    meta = {"name": name, "labels": {"app": name}}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod}
    template = {"metadata": {"labels": {"app": name}}, "spec": pod}
    body = {"selector": {"matchLabels": {"app": name}}, "template": template, **spec}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name}, "spec": body}


def service(name: str, **spec: Any) -> dict[str, Any]:
    body = {"selector": {"app": name}, "ports": [{"port": 80}], **spec}
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def docs(*objects: dict[str, Any]) -> str:
    return yaml.safe_dump_all(objects)


def app(image: str = "nginx", **container: Any) -> dict[str, Any]:
    return {"name": "app", "image": image, **container}


RO = {"securityContext": {"readOnlyRootFilesystem": True}}

# (rule, manifest text): the rule must fire on component "app".
POSITIVE = [
    ("EMPTYDIR", docs(workload("Deployment", "app", {
        "containers": [app(volumeMounts=[{"name": "s", "mountPath": "/scratch"}])],
        "volumes": [{"name": "s", "emptyDir": {}}]}))),
    ("EMPTYDIR_MEMORY", docs(workload("Deployment", "app", {
        "containers": [app()], "volumes": [{"name": "s", "emptyDir": {"medium": "Memory"}}]}))),
    ("EMPTYDIR_DEFAULTED", docs(workload("Deployment", "app", {
        "containers": [app()], "volumes": [{"name": "s"}]}))),
    ("DATA_ON_EPHEMERAL", docs(workload("Deployment", "app", {
        "containers": [app("postgres:16", volumeMounts=[{"name": "d", "mountPath": "/var/lib/postgresql/data"}])],
        "volumes": [{"name": "d", "emptyDir": {}}]}))),
    ("DATA_ON_EPHEMERAL", docs(workload("Deployment", "app", {
        "containers": [app("example/tsdb", args=["--storage.tsdb.path=/tsdb"],
                           volumeMounts=[{"name": "d", "mountPath": "/tsdb"}])],
        "volumes": [{"name": "d", "emptyDir": {}}]}))),
    ("DATA_IMAGE_NO_VOLUME", docs(workload("Deployment", "app", {"containers": [app("mongo:7")]}))),
    ("DATA_IMAGE_NO_VOLUME", docs(workload("Deployment", "app", {"containers": [app("bitnami/rabbitmq")]}))),
    ("IN_PROCESS_STORE", docs(workload("Deployment", "app", {
        "containers": [app(env=[{"name": "SESSION_STORE", "value": "memory"}])]}))),
    ("IN_PROCESS_CACHE", docs(workload("Deployment", "app", {
        "containers": [app(env=[{"name": "CACHE_TYPE", "value": "in-memory"}])]}))),
    ("HOSTPATH", docs(workload("DaemonSet", "app", {
        "containers": [app()], "volumes": [{"name": "h", "hostPath": {"path": "/srv/data"}}]}))),
    ("HOST_FS", docs(workload("DaemonSet", "app", {
        "containers": [app(volumeMounts=[{"name": "h", "mountPath": "/host"}])],
        "volumes": [{"name": "h", "hostPath": {"path": "/"}}]}))),
    ("DOCKER_SOCKET", docs(workload("DaemonSet", "app", {
        "containers": [app(volumeMounts=[{"name": "h", "mountPath": "/var/run/docker.sock"}])],
        "volumes": [{"name": "h", "hostPath": {"path": "/var/run/docker.sock"}}]}))),
    ("HOST_NETWORK", docs(workload("DaemonSet", "app", {"hostNetwork": True, "containers": [app()]}))),
    ("PRIVILEGED", docs(workload("Deployment", "app", {
        "containers": [app(securityContext={"privileged": True})]}))),
    ("HOSTPORT", docs(workload("Deployment", "app", {
        "containers": [app(ports=[{"containerPort": 80, "hostPort": 8080}])]}))),
    ("INLINE_CLOUD_DISK", docs(workload("Deployment", "app", {
        "containers": [app()], "volumes": [{"name": "d", "awsElasticBlockStore": {"volumeID": "vol-1"}}]}))),
    ("PVC", docs(workload("Deployment", "app", {
        "containers": [app()], "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "c"}}]}))),
    ("NETWORK_FS", docs(workload("Deployment", "app", {
        "containers": [app()], "volumes": [{"name": "d", "nfs": {"server": "files", "path": "/x"}}]}))),
    ("STS_VCT", docs(workload("StatefulSet", "app", {"containers": [app()]}, serviceName="app",
        volumeClaimTemplates=[{"metadata": {"name": "d"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]))),
    ("STATEFULSET", docs(workload("StatefulSet", "app", {"containers": [app()]}))),
    ("STS_NO_PERSISTENCE", docs(workload("StatefulSet", "app", {"containers": [app()]}))),
    ("STS_SERVICE_NOT_HEADLESS", docs(
        workload("StatefulSet", "app", {"containers": [app()]}, serviceName="app"), service("app"))),
    ("HEADLESS_SERVICE", docs(workload("Deployment", "app", {"containers": [app()]}),
                              service("app", clusterIP="None"))),
    ("SESSION_AFFINITY", docs(workload("Deployment", "app", {"containers": [app()]}),
                              service("app", sessionAffinity="ClientIP"))),
    ("NAKED_POD", docs(workload("Pod", "app", {"containers": [app()]}))),
    ("RECREATE_STRATEGY", docs(workload("Deployment", "app", {"containers": [app()]},
                                        strategy={"type": "Recreate"}))),
    ("PULL_ALWAYS", docs(workload("Deployment", "app", {"containers": [app(imagePullPolicy="Always")]}))),
    ("WRITABLE_ROOTFS", docs(workload("Deployment", "app", {"containers": [app()]}))),
    ("SIDECAR", docs(workload("Deployment", "app", {
        "containers": [app(), {"name": "exporter", "image": "prom/statsd-exporter"}]}))),
    ("SIDECAR_STATEFUL", docs(workload("Deployment", "app", {
        "containers": [app(), {"name": "cache", "image": "redis:7"}]}))),
    ("INIT_SEED", docs(workload("Deployment", "app", {
        "initContainers": [{"name": "seed", "image": "busybox", "command": ["sh", "-c", "cp /a /data"],
                            "volumeMounts": [{"name": "d", "mountPath": "/data"}]}],
        "containers": [app(volumeMounts=[{"name": "d", "mountPath": "/data"}])],
        "volumes": [{"name": "d", "emptyDir": {}}]}))),
    ("SEED_JOB", docs({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "app-migrate"},
                       "spec": {"template": {"spec": {"containers": [app()]}}}})),
    ("STARTUP_FETCH", docs(workload("Deployment", "app", {
        "containers": [app(command=["sh", "-c", "git clone https://x/y /src && run"])]}))),
    ("SINGLE_REPLICA_RWO", docs(workload("Deployment", "app", {
        "containers": [app("postgres", volumeMounts=[{"name": "d", "mountPath": "/var/lib/postgresql/data"}])],
        "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "c"}}]}, replicas=1))),
    ("NO_PDB", docs(workload("Deployment", "app", {"containers": [app("mysql:8")]}))),
    ("OPERATOR_EPHEMERAL", docs({"apiVersion": "monitoring.coreos.com/v1", "kind": "Prometheus",
                                 "metadata": {"name": "p"}, "spec": {}})),
    ("OPERATOR_CLAIMS", docs({"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster",
                              "metadata": {"name": "db"}, "spec": {"storage": {"size": "1Gi"}}})),
    ("CUSTOM_RESOURCE_STORAGE", docs({"apiVersion": "db.example.com/v1", "kind": "Store",
                                      "metadata": {"name": "s"}, "spec": {"storage": "5Gi"}})),
]  # fmt: skip

COMPOSE_POSITIVE = [
    ("COMPOSE_BIND", "services:\n  app:\n    image: nginx\n    volumes: ['./site:/usr/share/nginx/html']\n"),
    ("COMPOSE_NAMED_VOLUME", "services:\n  app:\n    image: nginx\n    volumes: ['data:/data']\nvolumes:\n  data: {}\n"),
    ("COMPOSE_ANON_VOLUME", "services:\n  app:\n    image: nginx\n    volumes: ['/cache']\n"),
    ("COMPOSE_TMPFS", "services:\n  app:\n    image: nginx\n    tmpfs: /run\n"),
    ("COMPOSE_TMPFS", "services:\n  app:\n    image: nginx\n    volumes: [{type: tmpfs, target: /x}]\n"),
    ("PRIVILEGED", "services:\n  app:\n    image: nginx\n    privileged: true\n"),
    ("HOST_NETWORK", "services:\n  app:\n    image: nginx\n    network_mode: host\n"),
    ("DOCKER_SOCKET", "services:\n  app:\n    image: traefik\n    volumes: ['/run/podman/podman.sock:/var/run/docker.sock:ro']\n"),
    ("SEED_JOB", "services:\n  app-seed:\n    image: x\n    restart: 'no'\n"),
    ("INIT_SEED", "services:\n  app:\n    image: mysql:8\n    volumes: ['./init.sql:/docker-entrypoint-initdb.d/init.sql', 'db:/var/lib/mysql']\nvolumes:\n  db: {}\n"),
    ("DATA_IMAGE_NO_VOLUME", "services:\n  app:\n    image: postgres:16\n"),
    ("WRITABLE_ROOTFS", "services:\n  app:\n    image: nginx\n"),
    ("APP_DATA_NO_VOLUME", "services:\n  app:\n    image: x\n    environment: {MEDIA_ROOT: /srv/media}\n"),
]  # fmt: skip


def test_every_rule_has_a_positive_case() -> None:
    covered = {rule for rule, _ in POSITIVE + COMPOSE_POSITIVE}
    object_rules = {"MESH_CONSISTENT_HASH", "INGRESS_COOKIE_AFFINITY", "INGRESS_HASH_BY",
                    "PV_HOSTPATH", "PV_NFS", "STATE_DEPENDENCY"}  # fmt: skip
    host_rules = {"HOST_SERVICE_STATE", "HOST_SERVICE_CACHE"}  # on a machine root: test_audit_hosts
    # the object rules are tested below with two objects
    assert set(RULES) - covered == object_rules | host_rules


@pytest.mark.parametrize(("rule", "text"), POSITIVE, ids=[r for r, _ in POSITIVE])
def test_kubernetes_rule_fires(audit_files: Auditor, rule: str, text: str) -> None:
    report = audit_files(**{"m.yaml": text})
    assert rule in rules_of(report), sorted(rules_of(report))
    assert report.complete


@pytest.mark.parametrize(("rule", "text"), COMPOSE_POSITIVE, ids=[r for r, _ in COMPOSE_POSITIVE])
def test_compose_rule_fires(audit_files: Auditor, rule: str, text: str) -> None:
    report = audit_files(**{"compose.yaml": text})
    assert rule in rules_of(report), sorted(rules_of(report))


def test_init_wait_is_not_a_seed_but_is_a_dependency(audit_files: Auditor) -> None:
    waiter = {"name": "wait", "image": "busybox",
              "command": ["sh", "-c", "until nc -z -w3 db 5432; do sleep 2; done"], **RO}  # fmt: skip
    report = audit_files(**{"m.yaml": docs(
        workload("Deployment", "api", {"initContainers": [waiter], "containers": [app(**RO)]}),
        workload("Deployment", "db", {"containers": [app("postgres:16", **RO)]}),
        service("db"), service("api"),
    )})  # fmt: skip
    assert "INIT_SEED" not in rules_of(report)
    assert rules_of(report, "api") == {"STATE_DEPENDENCY"}


def test_session_affinity_none_is_not_affinity(audit_files: Auditor) -> None:
    report = audit_files(**{"m.yaml": docs(
        workload("Deployment", "web", {"containers": [app(**RO)]}),
        service("web", sessionAffinity="None"),
    )})  # fmt: skip
    assert rules_of(report) == set()


def test_consistent_hash_in_a_crd_schema_is_not_a_routing_rule(audit_files: Auditor) -> None:
    schema = {
        "type": "object",
        "properties": {
            "trafficPolicy": {
                "type": "object",
                "properties": {
                    "loadBalancer": {
                        "type": "object",
                        "properties": {"consistentHash": {"type": "object"}},
                    }
                },
            }
        },
    }
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "destinationrules.networking.istio.io"},
           "spec": {"group": "networking.istio.io", "names": {"kind": "DestinationRule"},
                    "versions": [{"name": "v1", "schema": {"openAPIV3Schema": schema}}]}}  # fmt: skip
    report = audit_files(**{"crd.yaml": docs(crd)})
    assert "MESH_CONSISTENT_HASH" not in rules_of(report)


def test_consistent_hash_per_port_and_per_subset(audit_files: Auditor) -> None:
    policy = {"portLevelSettings": [{"port": {"number": 80},
                                     "loadBalancer": {"consistentHash": {"httpHeaderName": "x-user"}}}]}  # fmt: skip
    rule = {"apiVersion": "networking.istio.io/v1", "kind": "DestinationRule",
            "metadata": {"name": "web"},
            "spec": {"host": "web.default.svc.cluster.local", "trafficPolicy": policy,
                     "subsets": [{"name": "v1", "labels": {"app": "web"}},
                                 {"name": "v2", "labels": {"app": "web"}, "trafficPolicy": {
                                     "loadBalancer": {"consistentHash": {"useSourceIp": True}}}}]}}  # fmt: skip
    report = audit_files(
        **{
            "m.yaml": docs(
                workload("Deployment", "web", {"containers": [app(**RO)]}), service("web"), rule
            )
        }
    )
    paths = sorted(f.path for f in report.findings if f.rule == "MESH_CONSISTENT_HASH")
    assert paths == [
        "/spec/subsets/1/trafficPolicy/loadBalancer/consistentHash",
        "/spec/trafficPolicy/portLevelSettings/0/loadBalancer/consistentHash",
    ]
    assert rules_of(report, "web") == {"MESH_CONSISTENT_HASH"}


def test_ingress_annotations_reach_the_backend_workload(audit_files: Auditor) -> None:
    nginx = "nginx.ingress.kubernetes.io/"
    ingress = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": "web", "annotations": {nginx + "affinity": "cookie",
                                                           nginx + "upstream-hash-by": "$uri"}},
               "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "Prefix",
                        "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]}}  # fmt: skip
    report = audit_files(
        **{
            "m.yaml": docs(
                workload("Deployment", "web", {"containers": [app(**RO)]}), service("web"), ingress
            )
        }
    )
    assert rules_of(report, "web") == {"INGRESS_COOKIE_AFFINITY", "INGRESS_HASH_BY"}
    assert report.component("k8s:Deployment/default/web").lifecycle == "ephemeral-with-warm-up"  # type: ignore[union-attr]


def test_persistent_volume_backends(audit_files: Auditor) -> None:
    def pv(name: str, backend: dict[str, Any], mode: str) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": {"name": name},
                "spec": {"accessModes": [mode], **backend}}  # fmt: skip

    def pvc(name: str, mode: str) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
                "spec": {"accessModes": [mode], "volumeName": name,
                         "resources": {"requests": {"storage": "5Gi"}}}}  # fmt: skip

    def user(name: str, claim: str) -> dict[str, Any]:
        return workload("Deployment", name, {
            "containers": [app(**RO, volumeMounts=[{"name": "v", "mountPath": "/v"}])],
            "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": claim}}]})  # fmt: skip

    report = audit_files(**{"m.yaml": docs(
        pv("local", {"hostPath": {"path": "/mnt/x"}}, "ReadWriteOnce"), pvc("local", "ReadWriteOnce"),
        pv("shared", {"nfs": {"server": "files.default.svc.cluster.local", "path": "/"}}, "ReadWriteMany"),
        pvc("shared", "ReadWriteMany"),
        user("pinned", "local"), user("reader", "shared"),
        workload("Deployment", "files", {"containers": [app("nfs-server", **RO,
                 volumeMounts=[{"name": "e", "mountPath": "/exports"}])],
                 "volumes": [{"name": "e", "persistentVolumeClaim": {"claimName": "local"}}]}),
        service("files"),
    )})  # fmt: skip
    assert {"PVC", "PV_HOSTPATH", "SINGLE_REPLICA_RWO"} <= rules_of(report, "pinned")
    assert rules_of(report, "reader") == {"PVC", "PV_NFS", "STATE_DEPENDENCY"}
    assert report.component("k8s:Deployment/default/reader").lifecycle == "ephemeral-safe"  # type: ignore[union-attr]
    assert report.component("k8s:Deployment/default/reader").depends_on == (
        "k8s:Deployment/default/files",
    )  # type: ignore[union-attr]


def test_data_image_on_a_volume_is_not_flagged(audit_files: Auditor) -> None:
    compose = """
    services:
      db:
        image: postgres:16
        read_only: true
        volumes: ["pg:/var/lib/postgresql/data"]
      cache:
        image: oliver006/redis_exporter
        read_only: true
      etl:
        image: etl-kafka
        build: ./etl
        read_only: true
    volumes:
      pg: {}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert rules_of(report, "db") == {"COMPOSE_NAMED_VOLUME"}
    assert rules_of(report, "cache") == set()  # an exporter is not the store
    assert rules_of(report, "etl") == set()  # built here: "kafka" qualifies the project's program


@pytest.mark.parametrize(
    ("ref", "family"),
    [
        ("postgres:16", "postgres"),
        ("ghcr.io/open-telemetry/demo:2.1.3-postgresql", "postgres"),
        ("gcr.io/google_samples/gb-redisslave:v1", "redis"),
        ("redislabs/redismod", "redis"),
        ("mcr.microsoft.com/azure-sql-edge:1.0.4", "mssql"),
        ("quay.io/prometheus/prometheus:v3.6.0", "prometheus"),
        ("apache/kvrocks:2.10.1", "kvrocks"),
        ("jaegertracing/jaeger-cassandra-schema:1.53", None),
        ("prometheuscommunity/postgres-exporter", None),
        ("mongo-express", None),
        ("quay.io/prometheus-operator/prometheus-config-reloader", None),
        ("busybox", None),
    ],
)
def test_data_images_by_name(ref: str, family: str | None) -> None:
    from stateward.analysis.audit.knowledge import data_image

    found = data_image(ref)
    assert (found.name if found else None) == family


def test_housekeeping_init_and_probing_loops_are_not_state(audit_files: Auditor) -> None:
    chown = {"name": "perms", "image": "busybox", "command": ["sh", "-c", "chown -R 999 /data"],
             "volumeMounts": [{"name": "d", "mountPath": "/data"}], **RO}  # fmt: skip
    poller = app(
        command=["sh", "-c", "while true; do wget --spider http://api/health; sleep 5; done"], **RO
    )
    report = audit_files(**{"m.yaml": docs(workload("Deployment", "app", {
        "initContainers": [chown],
        "containers": [{**poller, "volumeMounts": [{"name": "d", "mountPath": "/data"}]}],
        "volumes": [{"name": "d", "emptyDir": {}}]}))})  # fmt: skip
    assert rules_of(report, "app") == {"EMPTYDIR"}


def test_a_generic_dir_flag_is_not_a_data_directory(audit_files: Auditor) -> None:
    report = audit_files(**{"m.yaml": docs(workload("Deployment", "app", {
        "containers": [app(args=["--dir=/etc/conf"], volumeMounts=[{"name": "c", "mountPath": "/etc/conf"}], **RO)],
        "volumes": [{"name": "c", "emptyDir": {}}]}))})  # fmt: skip
    assert "DATA_ON_EPHEMERAL" not in rules_of(report)


def test_claim_mounted_with_subpath_holds_the_data(audit_files: Auditor) -> None:
    mount = {"name": "data", "mountPath": "/var/lib/mysql", "subPath": "mysql"}
    backup = {"name": "backup", "image": "example/xtrabackup", "volumeMounts": [mount], **RO}
    report = audit_files(**{"m.yaml": docs(workload("StatefulSet", "db", {
        "containers": [app("mysql:8", name="db", volumeMounts=[mount], **RO), backup]},
        serviceName="db", replicas=3,
        volumeClaimTemplates=[{"metadata": {"name": "data"},
                               "spec": {"accessModes": ["ReadWriteOnce"]}}]))})  # fmt: skip
    found = rules_of(report, "db")
    assert "DATA_IMAGE_NO_VOLUME" not in found and "DATA_ON_EPHEMERAL" not in found
    assert {"STS_VCT", "SIDECAR_STATEFUL"} <= found
    db = report.component("k8s:StatefulSet/default/db")
    assert db is not None and db.lifecycle == "persistent"
    # The sidecar writes the claim, which outlives the pod: durable, not a loss.
    assert db.loss == "none"
    # holds data, database, claim of unknown size, 2 more replicas with own claims, ordered start
    assert db.gravity == 40 + 15 + 5 + 10 + 5


def test_dependencies_read_from_config_maps(audit_files: Auditor) -> None:
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
              "data": {"CACHE_URL": "redis://cache:6379/0", "QUEUE_HOST": "queue"}}  # fmt: skip
    api = app(envFrom=[{"configMapRef": {"name": "settings"}}], **RO)
    worker = app(env=[{"name": "BROKER", "valueFrom": {"configMapKeyRef":
                       {"name": "settings", "key": "QUEUE_HOST"}}}], **RO)  # fmt: skip
    report = audit_files(**{"m.yaml": docs(
        config,
        workload("Deployment", "api", {"containers": [api]}), service("api"),
        workload("Deployment", "worker", {"containers": [worker]}), service("worker"),
        workload("Deployment", "cache", {"containers": [app("redis:7", **RO)]}), service("cache"),
        workload("Deployment", "queue", {"containers": [app("rabbitmq:3", **RO)]}), service("queue"),
    )})  # fmt: skip
    depends = {c.name: c.depends_on for c in report.components}
    # envFrom brings the whole map, so both hosts in it are api's dependencies.
    assert depends["api"] == ("k8s:Deployment/default/cache", "k8s:Deployment/default/queue")
    assert depends["worker"] == ("k8s:Deployment/default/queue",)
    assert rules_of(report, "worker") == {"STATE_DEPENDENCY"}


def test_relative_bind_holding_a_data_directory_is_durable(audit_files: Auditor) -> None:
    compose = """
    services:
      db:
        image: postgres:16
        read_only: true
        volumes: ["./pgdata:/var/lib/postgresql/data"]
      web:
        image: nginx
        read_only: true
        volumes: ["./site:/usr/share/nginx/html"]
    """
    report = audit_files(**{"compose.yaml": compose})
    by_name = {c.name: c for c in report.components}
    assert (by_name["db"].lifecycle, by_name["web"].lifecycle) == ("persistent", "ephemeral-safe")
    assert rules_of(report, "db") == rules_of(report, "web") == {"COMPOSE_BIND"}


@pytest.mark.parametrize(
    ("ref", "family"),
    [("postgrest/postgrest:v12", None), ("supabase/postgres-meta:v0.80", None),
     ("container-registry.oracle.com/mysql/mysql-router", None), ("bitnami/postgresql:16", "postgres"),
     # a bridge from one system to another, and a store whose name only contains "to"
     ("k8s.gcr.io/prometheus-to-sd:v0.2.2", None), ("prom/prometheus:v2.53.0", "prometheus"),
     ("timescale/timescaledb:2.14.2-pg16", "postgres"),
     # a client under a vendor's prefix, and the vendor's broker itself
     ("confluentinc/cp-kafkacat:7.1.0", None), ("confluentinc/cp-kafka:7.1.0", "kafka"),
     # a project's own Kafka clients named for their role, and the broker they reach
     ("kafka-consumer", None), ("kafka-producer:latest", None), ("rabbitmq-publisher", None), ("rabbitmq-subscriber", None),
     ("apache/kafka:3.7.0", "kafka"), ("rabbitmq:3-management", "rabbitmq"),
     # a store's protocol served over HTTP, and the store it fronts
     ("hiett/serverless-redis-http:latest", None), ("redis:7", "redis")],
)  # fmt: skip
def test_programs_named_like_a_store_are_not_one(ref: str, family: str | None) -> None:
    from stateward.analysis.audit.knowledge import data_image

    found = data_image(ref)
    assert (found.name if found else None) == family


def test_custom_database_images_are_known_by_env_and_ports(audit_files: Auditor) -> None:
    mongo = app("weaveworksdemos/user-db:0.3.0", name="user-db",
                ports=[{"name": "mongo", "containerPort": 27017}], **RO)  # fmt: skip
    mysql = app("weaveworksdemos/catalogue-db:0.3.0", name="catalogue-db",
                env=[{"name": "MYSQL_ROOT_PASSWORD", "value": "x"}], **RO)  # fmt: skip
    client = app("example/api", name="api", env=[{"name": "MYSQL_HOST", "value": "db"}],
                 ports=[{"containerPort": 3306}], **RO)  # fmt: skip
    report = audit_files(**{"m.yaml": docs(
        workload("Deployment", "user-db", {"containers": [mongo]}),
        workload("Deployment", "catalogue-db", {"containers": [mysql]}),
        workload("Deployment", "api", {"containers": [client]}))})  # fmt: skip
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "user-db")
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report, "catalogue-db")
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report, "api")


def test_structural_facts_are_not_data_loss(audit_files: Auditor) -> None:
    views = [{"name": "proc", "mountPath": "/host/proc", "readOnly": True},
             {"name": "root", "mountPath": "/host/root", "readOnly": True}]  # fmt: skip
    exporter = app("quay.io/prometheus/node-exporter:v1.8.0", name="x", volumeMounts=views, **RO)
    replica = app("redis:7", name="r", args=["--replicaof", "redis-0.redis", "6379"], **RO)
    report = audit_files(**{"m.yaml": docs(
        workload("DaemonSet", "node-exporter", {"containers": [exporter], "volumes": [
            {"name": "proc", "hostPath": {"path": "/proc"}},
            {"name": "root", "hostPath": {"path": "/"}}]}),
        workload("StatefulSet", "ids", {"containers": [app("example/worker", name="w", **RO)]},
                 serviceName="ids"),
        workload("Deployment", "replica", {"containers": [replica]}))})  # fmt: skip
    high = {(f.rule, f.component.rsplit("/", 1)[-1]) for f in report.findings
            if f.severity == "high" and f.component}  # fmt: skip
    assert high == set(), high
    for name in ("node-exporter", "ids", "replica"):
        verdict = next(c for c in report.components if c.name == name)
        assert verdict.loss != "data", verdict.explanation
    assert "STS_NO_PERSISTENCE" in rules_of(report, "ids")  # still said, as context


def test_claim_template_no_container_mounts_holds_nothing(audit_files: Auditor) -> None:
    """A template created for each ordinal that no container mounts is never written."""
    logs = {"name": "logs", "mountPath": "/var/log/gateway"}
    templates = [{"metadata": {"name": name}, "spec": {"accessModes": ["ReadWriteOnce"]}}
                 for name in ("logs", "unused")]  # fmt: skip
    report = audit_files(**{"m.yaml": docs(
        workload("StatefulSet", "gateway", {
            "containers": [app("example/gateway:1", name="gateway", **RO)]},
            serviceName="gateway", volumeClaimTemplates=templates),
        workload("StatefulSet", "writer", {
            "containers": [app("example/gateway:1", name="w", volumeMounts=[logs], **RO)]},
            serviceName="writer", volumeClaimTemplates=templates[:1]),
    )})  # fmt: skip
    gateway = report.component("k8s:StatefulSet/default/gateway")
    writer = report.component("k8s:StatefulSet/default/writer")
    assert gateway is not None and writer is not None
    assert gateway.lifecycle == "ephemeral-safe" and writer.lifecycle == "persistent"
    found = [f for f in report.findings_for(gateway.id) if f.rule == "STS_VCT"]
    assert len(found) == 2 and all("mounted by no container" in f.message for f in found)
