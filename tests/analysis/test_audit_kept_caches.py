"""A key-value store's volume saves what its clients keep there: a cache on a kept volume is a
warm start, not data; a queue of jobs on one is data. What well-known producers keep in their
store (their documentation) decides over snapshot points. Small hand-made estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor
from .test_audit_rules import app, docs, workload


def _by_name(report: AuditReport) -> dict[str, str]:
    return {c.name: str(c.loss) for c in report.components}


def _volume_effect(report: AuditReport, name: str) -> str:
    component = next(c for c in report.components if c.name == name)
    (finding,) = [f for f in report.findings_for(component.id) if f.rule == "COMPOSE_NAMED_VOLUME"]
    return str(report.effect_of(finding))


ON_VOLUMES = """
services:
  app:
    image: example/inventory:4
    environment:
      REDIS_HOST: redis
      REDIS_CACHE_HOST: redis-cache
  redis:
    image: valkey/valkey:8
    command: valkey-server --appendonly yes
    volumes: ["jobs:/data"]
  redis-cache:
    image: valkey/valkey:8
    volumes: ["cache:/data"]
  lru:
    image: redis:7
    command: redis-server --maxmemory-policy allkeys-lru
    volumes: ["lru:/data"]
  queue:
    image: redis:7
    volumes: ["queue:/data"]
  db:
    image: postgres:17
    volumes: ["db:/var/lib/postgresql/data"]
volumes: {jobs: {}, cache: {}, lru: {}, queue: {}, db: {}}
"""


@pytest.mark.parametrize("name", ["redis-cache", "lru"])
def test_a_cache_on_a_kept_volume_is_rebuildable(audit_files: Auditor, name: str) -> None:
    """Named a cache and reached as one (``REDIS_CACHE_HOST``), or evicting keys."""
    report = audit_files(**{"compose.yaml": ON_VOLUMES})
    assert _by_name(report)[name] == "rebuildable"
    assert _volume_effect(report, name) == "warm-up"


@pytest.mark.parametrize("name", ["redis", "queue", "db"])
def test_a_store_its_clients_keep_records_in_stays_durable(audit_files: Auditor, name: str) -> None:
    """An append-only queue, a store no client names a use for, a database."""
    report = audit_files(**{"compose.yaml": ON_VOLUMES})
    assert _volume_effect(report, name) == "durable"
    verdict = next(c for c in report.components if c.name == name)
    assert str(verdict.lifecycle) == "persistent"


def test_a_cache_on_a_claim_is_rebuildable(audit_files: Auditor) -> None:
    manifest = """
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: session-cache}
    spec:
      serviceName: session-cache
      template:
        spec:
          containers:
            - {name: session-cache, image: "redis:7", volumeMounts: [{name: d, mountPath: /data}]}
      volumeClaimTemplates:
        - metadata: {name: d}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
    """
    report = audit_files(**{"kv.yaml": manifest})
    (verdict,) = report.components
    assert str(verdict.loss) == "rebuildable"
    assert str(verdict.lifecycle) == "ephemeral-with-warm-up"


PRODUCERS = """
services:
  search:
    image: searxng/searxng:2025.1.1
    environment: {SEARXNG_VALKEY_URL: "valkey://counters:6379/0"}
  counters:
    image: valkey/valkey:8-alpine
    command: valkey-server --save 30 1 --loglevel warning
    volumes: ["counters:/data"]
  scheduler:
    image: apache/airflow:3.1.0
    command: scheduler
    environment: {AIRFLOW__CELERY__BROKER_URL: "redis://:@broker:6379/0"}
  worker:
    image: apache/airflow:3.1.0
    command: celery worker
    environment: {AIRFLOW__CELERY__BROKER_URL: "redis://:@broker:6379/0"}
  broker:
    image: redis:7.2-bookworm
  postgres:
    image: postgres:16
    volumes: ["db:/var/lib/postgresql/data"]
volumes: {counters: {}, db: {}}
"""


def test_counters_saved_by_snapshot_points_are_still_counters(audit_files: Auditor) -> None:
    """SearXNG keeps its limiter's counters in its store: ``--save 30 1`` saves them, they
    stay counters refilled by traffic."""
    report = audit_files(**{"compose.yaml": PRODUCERS})
    assert _by_name(report)["counters"] == "rebuildable"
    assert _volume_effect(report, "counters") == "warm-up"


@pytest.mark.parametrize(
    ("image", "loss"), [("libredesk/libredesk:latest", "rebuildable"), ("example/desk:1", "none")]
)
def test_a_store_holding_only_a_known_programs_expiring_sessions_is_rebuildable(
    audit_files: Auditor, image: str, loss: str
) -> None:
    """LibreDesk keeps only sessions, counters and one-time codes with a TTL in its Redis,
    its records in PostgreSQL; an unknown program's store on a kept volume stays durable."""
    compose = f"""
    services:
      app:
        image: {image}
        depends_on: [db, redis]
        environment: {{REDIS_ADDRESS: "redis:6379"}}
      redis:
        image: redis:7-alpine
        volumes: ["redis-data:/data"]
      db:
        image: postgres:17-alpine
        volumes: ["db:/var/lib/postgresql/data"]
    volumes: {{redis-data: {{}}, db: {{}}}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _by_name(report)["redis"] == loss
    assert _volume_effect(report, "redis") == ("warm-up" if loss == "rebuildable" else "durable")


@pytest.mark.parametrize(
    ("image", "session", "loss"),
    [
        (
            "authelia/authelia:4.39",
            "  redis:\n    host: 'sessions'\n    port: 6379\n",
            "rebuildable",
        ),
        ("authelia/authelia:4.39", "  redis: {host: sessions, port: 6379}\n", "rebuildable"),
        # the store named elsewhere than as the section's host: no client, judged by its project
        ("authelia/authelia:4.39", "  cache:\n    host: 'sessions'\n", "none"),
        ("example/gate:1", "  redis:\n    host: 'sessions'\n", "none"),
    ],
)
def test_a_store_a_config_files_redis_section_names_is_judged_by_that_client(
    audit_files: Auditor, image: str, session: str, loss: str
) -> None:
    """Authelia names its session store in ``configuration.yml`` (``session.redis.host``), a
    store it keeps only expiring sessions in; an unknown program's stays durable."""
    compose = f"""
    services:
      gate:
        image: {image}
        # not a .yml on disk here: the folder's YAML files are read as manifests
        volumes: ["./gate.conf:/config/configuration.yml:ro"]
      proxy:
        image: traefik:v3.1
      sessions:
        image: redis:7-alpine
        volumes: ["redis-data:/data"]
    volumes: {{redis-data: {{}}}}
    """
    config = f"session:\n{session}storage:\n  local:\n    path: /config/db.sqlite3\n"
    report = audit_files(**{"compose.yaml": compose, "gate.conf": config})
    assert _by_name(report)["sessions"] == loss


def test_a_broker_whose_producer_resends_its_messages_is_rebuildable(
    audit_files: Auditor,
) -> None:
    """Airflow's Celery broker with no volume, though Celery workers run beside it: the
    scheduler re-sends a lost task from the state it keeps in its metadata database."""
    report = audit_files(**{"compose.yaml": PRODUCERS})
    broker = next(c for c in report.components if c.name == "broker")
    (finding,) = [f for f in report.findings_for(broker.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert (str(broker.loss), str(report.effect_of(finding)), str(finding.severity)) == (
        "rebuildable",
        "warm-up",
        "low",
    )
    assert "scheduler" in finding.message


def test_an_unknown_producers_task_broker_keeps_its_jobs(audit_files: Auditor) -> None:
    """The same shape with a program the catalogue does not know: Celery workers' pending
    tasks are data."""
    compose = PRODUCERS.replace("apache/airflow:3.1.0", "example/tasks:1")
    report = audit_files(**{"compose.yaml": compose})
    assert _by_name(report)["broker"] == "data"


def test_an_eviction_policy_without_a_memory_limit_evicts_nothing(audit_files: Auditor) -> None:
    """``maxmemory 0`` (no limit) in a bound ``redis.conf``: the policy never runs, the store
    keeps what it is given."""
    compose = """
    services:
      kv:
        image: valkey/valkey:8
        command: ["valkey-server", "/usr/local/etc/redis/redis.conf"]
        volumes: ["kv:/data", "./redis.conf:/usr/local/etc/redis/redis.conf:ro"]
    volumes: {kv: {}}
    """
    unlimited = audit_files(
        **{"compose.yaml": compose, "redis.conf": "maxmemory 0\nmaxmemory-policy volatile-lru\n"}
    )
    assert _volume_effect(unlimited, "kv") == "durable"
    limited = audit_files(**{"redis.conf": "maxmemory 1gb\nmaxmemory-policy allkeys-lru\n"})
    assert _volume_effect(limited, "kv") == "warm-up"


def _redis_on_empty_dir(name: str, args: str) -> str:
    return f"""
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {{name: {name}}}
    spec:
      serviceName: {name}
      template:
        spec:
          containers:
            - name: {name}
              image: redis:7.2
              args: {args}
              volumeMounts: [{{name: data, mountPath: /data}}]
          volumes: [{{name: data, emptyDir: {{}}}}]
    """


@pytest.mark.parametrize(
    ("args", "loss", "effect"),
    [
        ('[--save, "", --appendonly, "no"]', "rebuildable", "warm-up"),  # Argo CD's HA Redis
        ("[--replicaof, kv-0.kv, '6379']", "rebuildable", "warm-up"),
        ("[--appendonly, 'yes']", "data", "loss"),
    ],
)
def test_a_store_on_an_empty_dir_is_read_as_on_no_volume(
    audit_files: Auditor, args: str, loss: str, effect: str
) -> None:
    """A cache with snapshots off, or a replica, on an emptyDir loses nothing a warm-up does not
    bring back, and neither does its StatefulSet's lack of claims; an append-only store loses
    its data."""
    report = audit_files(**{"kv.yaml": _redis_on_empty_dir("kv", args)})
    (verdict,) = report.components
    effects = {f.rule: str(report.effect_of(f)) for f in report.findings_for(verdict.id)}
    assert str(verdict.loss) == loss
    assert (effects["DATA_ON_EPHEMERAL"], effects["STS_NO_PERSISTENCE"]) == (effect, effect)


UNKEPT_QUEUE = """
services:
  app:
    image: example/crm:2
    environment: {REDIS_URL: "redis://redis:6379"}
  redis:
    image: redis:7
    command: ["redis-server", "--maxmemory-policy", "{policy}"]
  db:
    image: postgres:17
    volumes: ["db:/var/lib/postgresql/data"]
volumes: {db: {}}
"""


def test_a_store_told_never_to_evict_keeps_records(audit_files: Auditor) -> None:
    """``noeviction``, the setting job queues require, keeps the store's content data even
    where the project keeps its database on a volume and this store on none; the same project
    with the default policy reads the store as rebuilt from the database."""
    queue = audit_files(**{"compose.yaml": UNKEPT_QUEUE.replace("{policy}", "noeviction")})
    assert _by_name(queue)["redis"] == "data"
    default = UNKEPT_QUEUE.replace(', "--maxmemory-policy", "{policy}"', "")
    assert _by_name(audit_files(**{"compose.yaml": default}))["redis"] == "rebuildable"


def test_a_store_named_a_cache_keeps_its_name_when_its_config_file_is_not_held(
    audit_files: Auditor,
) -> None:
    """A configuration file generated outside the estate (kustomize's ``configMapGenerator``)
    may set anything, but the deployment's own name for the store still says it is a cache."""

    def store(name: str) -> dict[str, object]:
        return workload("Deployment", name, {
            "containers": [app("redis:8", command=["redis-server", "/conf/redis.conf"],
                               volumeMounts=[{"name": "d", "mountPath": "/data"},
                                             {"name": "c", "mountPath": "/conf"}])],
            "volumes": [{"name": "d", "emptyDir": {}},
                        {"name": "c", "configMap": {"name": f"{name}-config"}}],
        })  # fmt: skip

    report = audit_files(**{"m.yaml": docs(store("cache"), store("sessions"))})
    assert _by_name(report) == {"cache": "rebuildable", "sessions": "data"}


NAMED_CACHE = """
services:
  api:
    image: example/shop:3
    environment:
      CACHE_URL: redis://cache:6379/0
      {broker}
  cache:
    image: valkey/valkey:8.1-alpine
    volumes: ["cache-data:/data"]
volumes: {{cache-data: {{}}}}
"""


def test_a_store_called_a_cache_that_brokers_a_task_queue_keeps_its_jobs(
    audit_files: Auditor,
) -> None:
    """The name says cache, the client says Celery broker: pending jobs wait there."""
    brokered = NAMED_CACHE.format(broker="CELERY_BROKER_URL: redis://cache:6379/1")
    assert _volume_effect(audit_files(**{"compose.yaml": brokered}), "cache") == "durable"
    plain = NAMED_CACHE.format(broker="SESSION_TTL: '3600'")
    assert _volume_effect(audit_files(**{"compose.yaml": plain}), "cache") == "warm-up"


@pytest.mark.parametrize(
    ("image", "severity"), [("nodemailer/wildduck:latest", "low"), ("example/mail:1", "high")]
)
def test_a_known_programs_counters_on_an_anonymous_volume_are_a_warm_up(
    audit_files: Auditor, image: str, severity: str
) -> None:
    """WildDuck keeps no critical information in Redis (pub/sub and counters), its mail in
    MongoDB; an unknown program's store on an anonymous volume stays data lost."""
    compose = f"""
    services:
      mail:
        image: {image}
        depends_on: [redis, mongo]
        environment: {{CMD_ARGS: "--dbs.mongo=mongodb://mongo:27017/m --dbs.redis=redis://redis:6379/3"}}
      redis:
        image: redis:alpine
        volumes: ["/data"]
      mongo:
        image: mongo
        volumes: ["/data/db"]
    """
    report = audit_files(**{"compose.yaml": compose})
    (found,) = [
        f for f in report.findings
        if f.rule == "DATA_ON_EPHEMERAL" and (f.component or "").endswith("/redis")
    ]  # fmt: skip
    assert str(found.severity) == severity
    assert _by_name(report)["redis"] == ("rebuildable" if severity == "low" else "data")


def test_a_store_a_client_reaches_by_a_url_holding_a_password_is_judged_by_that_client(
    audit_files: Auditor,
) -> None:
    """The URL is read redacted, its host kept: ``FB_REDIS_CACHE_URL`` names a cache."""
    compose = """
services:
  files:
    image: example/files:1
    environment:
      - FB_REDIS_CACHE_URL=redis://default:s3cret@redis:6379
  redis:
    image: redis:7
"""
    assert _by_name(audit_files(**{"compose.yaml": compose}))["redis"] == "rebuildable"
    # the same client with a variable naming no cache leaves the store its records
    kept = compose.replace("FB_REDIS_CACHE_URL", "FB_REDIS_URL")
    assert _by_name(audit_files(**{"compose.yaml": kept}))["redis"] == "data"


def test_a_named_volume_of_fonts_holds_nothing_of_the_services(audit_files: Auditor) -> None:
    """Renderers sharing a volume at a font directory read the fonts an administrator adds."""
    compose = """
services:
  render:
    image: example/render:1
    volumes: ["fonts:/usr/share/fonts/extra"]
  export:
    image: example/export:1
    volumes: ["fonts:/usr/share/fonts/extra"]
volumes: {fonts: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _volume_effect(report, "render") == "context"
    # a folder there named for uploads is what the program writes: it stays state
    own = compose.replace("/usr/share/fonts/extra", "/usr/share/render/uploads")
    assert _volume_effect(audit_files(**{"compose.yaml": own}), "render") != "context"


def test_a_named_volume_under_usr_share_holds_what_the_programs_read(
    audit_files: Auditor,
) -> None:
    """A program's own folder under /usr/share (its collected static files) is read-only data
    too; a data directory there, named for uploads or its image family's, stays data."""
    compose = """
services:
  app:
    image: example/app:1
    volumes: ["assets:/usr/share/app/static"]
  search:
    image: elasticsearch:8.15.0
    volumes: ["index:/usr/share/elasticsearch/data"]
volumes: {assets: {}, index: {}}
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _volume_effect(report, "app") == "context"
    assert _volume_effect(report, "search") != "context"
    uploads = compose.replace("/usr/share/app/static", "/usr/share/app/uploads")
    assert _volume_effect(audit_files(**{"compose.yaml": uploads}), "app") != "context"


@pytest.mark.parametrize(
    ("image", "loss"),
    [("sourcefabricoss/superdesk-server:latest", "rebuildable"), ("example/newsroom:1", "data")],
)
def test_a_known_programs_celery_broker_and_cache_are_sent_again(
    audit_files: Auditor, image: str, loss: str
) -> None:
    """Superdesk's Redis is its cache and Celery's broker, whose work its beat schedule sends
    again from MongoDB; an unknown program's Celery jobs stay data."""
    compose = f"""
    services:
      server:
        image: {image}
        depends_on: [redis, mongodb]
        environment:
          - MONGO_URI=mongodb://mongodb/superdesk
          - CELERY_BROKER_URL=redis://redis:6379/1
          - REDIS_URL=redis://redis:6379/1
      redis:
        image: redis:3
      mongodb:
        image: mongo:4
    """
    assert _by_name(audit_files(**{"compose.yaml": compose}))["redis"] == loss


@pytest.mark.parametrize(
    ("image", "loss", "high"),
    [("moonrailgun/tailchat:latest", "rebuildable", []), ("example/chat:1", "data", ["high"])],
)
def test_a_known_programs_moleculer_cache_and_transporter_hold_nothing_lost(
    audit_files: Auditor, image: str, loss: str, high: list[str]
) -> None:
    """Tailchat keeps in Redis Moleculer's cache and the messages between its services, its
    records in MongoDB: the store on no volume loses nothing that is not made again, and no
    finding on it is high; an unknown program's store on no volume keeps data."""
    manifests = f"""
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {{name: chat}}
    spec:
      serviceName: chat
      selector: {{matchLabels: {{app: chat}}}}
      template:
        metadata: {{labels: {{app: chat}}}}
        spec:
          containers:
            - name: chat
              image: {image}
              env:
                - {{name: TRANSPORTER, value: "redis://kv-service:6379"}}
                - {{name: REDIS_URL, value: "redis://kv-service:6379"}}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {{name: kv}}
    spec:
      serviceName: kv
      selector: {{matchLabels: {{app: kv}}}}
      template:
        metadata: {{labels: {{app: kv}}}}
        spec:
          containers:
            - {{name: kv, image: "redis:alpine", ports: [{{containerPort: 6379}}]}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {{name: kv-service}}
    spec:
      selector: {{app: kv}}
      ports: [{{port: 6379, targetPort: 6379}}]
    """
    report = audit_files(**{"chat.yaml": manifests})
    kv = next(c for c in report.components if c.name.endswith("kv"))
    assert str(kv.loss) == loss
    severities = {str(f.severity) for f in report.findings_for(kv.id)}
    assert sorted(severities & {"high"}) == high


@pytest.mark.parametrize(
    ("image", "args", "loss"),
    [
        # the URL in a flag of the command line names the client as a variable would
        ("hjacobs/kube-ops-view:20.4.0", ["--redis-url=redis://view-redis:6379"], "rebuildable"),
        ("hjacobs/kube-ops-view:20.4.0", ["--redis-url", "redis://view-redis:6379"], "rebuildable"),
        # an unknown program's store stays data; so does one the known program does not name
        ("example/dashboard:1", ["--redis-url=redis://view-redis:6379"], "data"),
        ("hjacobs/kube-ops-view:20.4.0", ["--port=8080"], "data"),
    ],
)
def test_a_store_a_clients_command_line_names_is_judged_by_that_client(
    audit_files: Auditor, image: str, args: list[str], loss: str
) -> None:
    """kube-ops-view keeps in Redis the cluster data it polls again and screen tokens."""
    manifests = docs(
        workload("Deployment", "view", {"containers": [app(image, args=args)]}),
        workload("Deployment", "view-redis", {"containers": [app("redis:5-alpine")]}),
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "view-redis"},
         "spec": {"selector": {"app": "view-redis"}, "ports": [{"port": 6379}]}},
    )  # fmt: skip
    assert _by_name(audit_files(**{"manifests.yaml": manifests}))["view-redis"] == loss


@pytest.mark.parametrize(
    ("image", "effect"),
    [("rotheross/otobo:latest-10_1", "warm-up"), ("example/tickets:1", "durable")],
)
def test_a_store_on_a_named_volume_that_only_a_known_programs_cache_uses(
    audit_files: Auditor, image: str, effect: str
) -> None:
    """OTOBO's web and daemon reach their Redis only by ``depends_on`` (its address is in their
    own configuration), and keep in it their cache alone, the records in MariaDB: the volume
    saves the cache a warm start; an unknown program's store on that volume keeps data."""
    compose = f"""
    services:
      web:
        image: {image}
        depends_on: [db, redis]
      daemon:
        image: {image}
        depends_on: [web]
      db:
        image: mariadb:10.5
        environment: [MYSQL_ROOT_PASSWORD=x]
        volumes: ["mariadb_data:/var/lib/mysql"]
      redis:
        image: redis:6.0-alpine
        volumes: ["redis_data:/data"]
    volumes: {{mariadb_data: {{}}, redis_data: {{}}}}
    """
    assert _volume_effect(audit_files(**{"compose.yaml": compose}), "redis") == effect


def _limiter(image: str) -> str:
    """A rate limiter reaching a Redis StatefulSet on a claim template."""
    return f"""
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: limiter}}
    spec:
      template:
        spec:
          containers:
            - name: limiter
              image: "{image}"
              env: [{{name: REDIS_URL, value: "redis://counters:6379"}}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {{name: counters}}
    spec: {{selector: {{app: counters}}, ports: [{{port: 6379}}]}}
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {{name: counters}}
    spec:
      serviceName: counters
      template:
        metadata: {{labels: {{app: counters}}}}
        spec:
          containers:
            - {{name: redis, image: "redis:6.0", volumeMounts: [{{name: d, mountPath: /data}}]}}
      volumeClaimTemplates:
        - metadata: {{name: d}}
          spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}
    """


@pytest.mark.parametrize(
    ("image", "lifecycle"),
    [
        ("quay.io/3scale/limitador:0.2.0", "ephemeral-with-warm-up"),
        ("example/limiter:1", "persistent"),  # what it keeps there is not known: kept
    ],
)
def test_a_rate_limiters_counters_are_rebuilt_an_unknown_clients_store_is_not(
    audit_files: Auditor, image: str, lifecycle: str
) -> None:
    """Limitador keeps only its expiring counters in Redis, its limits in its LIMITS_FILE."""
    report = audit_files(**{"kv.yaml": _limiter(image)})
    counters = next(c for c in report.components if c.name == "counters")
    assert str(counters.lifecycle) == lifecycle


@pytest.mark.parametrize(
    ("policy", "loss"),
    [("allkeys-lru", "rebuildable"), ("allkeys-lfu", "rebuildable"), ("volatile-lru", "none")],
)
def test_an_append_only_store_that_may_evict_any_key_is_a_cache(
    audit_files: Auditor, policy: str, loss: str
) -> None:
    """``--appendonly yes`` under a memory limit with an ``allkeys-`` policy keeps a cache warm:
    any key may be dropped. A ``volatile-`` policy drops only keys with an expiry, and the file
    keeps the records on the claim."""
    args = [
        "redis-server",
        "--appendonly",
        "yes",
        "--maxmemory",
        "512mb",
        "--maxmemory-policy",
        policy,
    ]
    kv = workload("Deployment", "kv", {
        "containers": [app("redis:7-alpine", name="redis", args=args,
                           volumeMounts=[{"name": "data", "mountPath": "/data"}])],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "kv-data"}}]})  # fmt: skip
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "kv-data"},
             "spec": {"resources": {"requests": {"storage": "5Gi"}}}}  # fmt: skip
    report = audit_files(**{"kv.yaml": docs(kv, claim)})
    assert _by_name(report) == {"kv": loss}
