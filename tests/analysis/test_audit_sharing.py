"""Shared Compose volumes: the service that writes one holds its state, the others consume it.

Synthetic estates shaped like common layouts (an app with its worker and web server, a proxy fed
by a certificate companion), not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect
from stateward.analysis.audit.dependencies import hosts_in

from .conftest import Auditor

SHARED = """
services:
  app:
    image: example/app:1
    volumes: ["appdata:/srv/app"]
  worker:
    image: example/app:1
    command: worker
    volumes: ["appdata:/srv/app"]
    depends_on: [app]
  web:
    image: nginx:1.27
    volumes: ["appdata:/srv/app:z,ro"]
    depends_on: [app]
  api:
    image: example/api:2
    environment: {ASSETS_DIRECTORY: /opt/assets/files}
    volumes: ["assets:/opt/assets"]
  front:
    image: example/front:2
    volumes: ["assets:/opt/assets"]
  proxy:
    image: example/proxy:3
    volumes: ["vhost:/etc/nginx/vhost.d", "certs:/etc/nginx/certs:ro"]
  companion:
    image: example/acme:3
    volumes: ["vhost:/etc/nginx/vhost.d", "certs:/etc/nginx/certs", "acme:/etc/acme.sh"]
    depends_on: [proxy]
  alone:
    image: example/alone:1
    volumes: ["own:/var/opt/alone"]
volumes: {appdata: {}, assets: {}, vhost: {}, certs: {}, acme: {}, own: {}}
"""


def _effects(report: AuditReport, name: str, rule: str = "COMPOSE_NAMED_VOLUME") -> list[Effect]:
    return [
        report.effect_of(f)
        for f in report.findings
        if f.rule == rule and (f.component or "").endswith("/" + name)
    ]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("worker", "shared with app, the service the others depend on"),
        ("web", "read-only"),
        ("front", "shared with api, whose environment names a path in it"),
        ("proxy", "a web server's read path; written by companion"),
    ],
)
def test_consumers_of_a_shared_volume_hold_no_state(
    audit_files: Auditor, name: str, why: str
) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    component = next(c for c in report.components if c.name == name)
    # holding nothing, it weighs only the components reaching it (the companion the proxy's)
    assert (component.lifecycle, component.gravity) == (
        "ephemeral-safe", len(component.dependents)
    )  # fmt: skip
    assert set(_effects(report, name)) == {Effect.CONTEXT}
    assert why in " ".join(f.message for f in report.findings_for(component.id))


@pytest.mark.parametrize("name", ["app", "api", "companion", "alone"])
def test_the_writer_of_a_volume_holds_its_state(audit_files: Auditor, name: str) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    component = next(c for c in report.components if c.name == name)
    assert component.lifecycle == "persistent" and component.gravity >= 40
    assert Effect.DURABLE in _effects(report, name)


# One PHP-FPM image run as the application, its queue worker and its scheduler, keeping its
# storage under the nginx document root's path: no web server reads what another writes there.
ONE_IMAGE_AT_A_READ_PATH = """
services:
  api:
    image: example/php-api:1
    volumes: ["storage:/usr/share/nginx/html/storage"]
  api-worker:
    image: example/php-api:1
    command: [php, artisan, "queue:work"]
    volumes: ["storage:/usr/share/nginx/html/storage"]
  ui:
    image: example/ui:1
    depends_on: [api]
volumes: {storage: {}}
"""


def test_processes_of_one_image_at_a_web_servers_path_are_no_server_and_writer(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": ONE_IMAGE_AT_A_READ_PATH})
    by_name = {c.name: c for c in report.components}
    assert by_name["api"].lifecycle == "persistent"
    assert _effects(report, "api") == [Effect.DURABLE]
    worker = " ".join(f.message for f in report.findings_for(by_name["api-worker"].id))
    assert "read path" not in worker and "shared with api" in worker


def test_the_json_form_states_each_findings_effect(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": SHARED})
    effects = {
        (d["component"]["name"], d["rule"]): d["effect"]
        for d in report.as_dict()["findings"]
        if d["rule"] == "COMPOSE_NAMED_VOLUME"
    }
    assert effects[("worker", "COMPOSE_NAMED_VOLUME")] == "context"
    assert effects[("alone", "COMPOSE_NAMED_VOLUME")] == "durable"


CACHES = """
services:
  plain:
    image: redis:7-alpine
  named_cache:
    image: redis:7-alpine
  session-cache:
    image: redis:7-alpine
  flagged:
    image: valkey/valkey:8
    environment: {VALKEY_EXTRA_FLAGS: "--maxmemory 64mb --maxmemory-policy volatile-lfu"}
  evicting:
    image: valkey/valkey:8
    command: ["valkey-server", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]
  snapshots_off:
    image: redis:7
    command: redis-server --save "" --appendonly no
  aof:
    image: redis:7
    command: redis-server --appendonly yes
  saving:
    image: keydb:6
    command: keydb-server --save 60 1
  configured:
    image: redis:7
    command: redis-server /usr/local/etc/redis/redis.conf
  bitnami:
    image: bitnami/redis:7.2
  memcached:
    image: memcached:1.6-alpine
    command: memcached -m 256
  client:
    image: example/app
    environment:
      REDIS_URL: "redis://plain:6379"
      CACHE: "memcached:11211"
      CACHE_REDIS_URL: "redis://named_cache:6379/1"
"""


def _store(report: AuditReport, name: str) -> tuple[str, str, str]:
    component = next(c for c in report.components if c.name == name)
    finding = next(f for f in report.findings_for(component.id) if f.rule == "DATA_IMAGE_NO_VOLUME")
    return str(component.loss), str(report.effect_of(finding)), str(finding.severity)


@pytest.mark.parametrize(
    "name", ["named_cache", "session-cache", "flagged", "evicting", "snapshots_off", "memcached"]
)
def test_a_cache_with_no_persistence_is_rebuildable(audit_files: Auditor, name: str) -> None:
    """Eviction or snapshots off (on the command line or in the image's extra-flags variable),
    memcached, a store named a cache, or every client naming it one (``CACHE_REDIS_URL``)."""
    report = audit_files(**{"compose.yaml": CACHES})
    assert _store(report, name) == ("rebuildable", "warm-up", "low")


@pytest.mark.parametrize("name", ["plain", "aof", "saving", "configured", "bitnami"])
def test_a_store_with_persistence_configured_loses_data(audit_files: Auditor, name: str) -> None:
    """Persistence by Redis's own default (RDB snapshots, ``plain``: its client says nothing
    about a cache), on the command line, in a config file the estate does not hold, or on by
    the image's default: data on no volume is lost on replace."""
    report = audit_files(**{"compose.yaml": CACHES})
    assert _store(report, name) == ("data", "loss", "high")


def test_clients_of_a_cache_still_depend_on_it(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": CACHES})
    client = next(c for c in report.components if c.name == "client")
    assert {d.rsplit("/", 1)[-1] for d in client.depends_on} == {
        "plain",
        "memcached",
        "named_cache",
    }
    messages = [f.message for f in report.findings_for(client.id)]
    assert any("depends on plain (DATA_IMAGE_NO_VOLUME)" in m for m in messages), messages


def test_redis_conf_in_a_config_map_decides(audit_files: Auditor) -> None:
    def store(conf: str) -> str:
        manifest = f"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {{name: conf}}
        data: {{redis.conf: "{conf}"}}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: kv}}
        spec:
          template:
            spec:
              containers:
                - name: kv
                  image: redis:7
                  command: [redis-server, /conf/redis.conf]
                  volumeMounts: [{{name: conf, mountPath: /conf}}]
              volumes: [{{name: conf, configMap: {{name: conf}}}}]
        """
        report = audit_files(**{"kv.yaml": manifest})
        return str(next(c for c in report.components if c.name == "kv").loss)

    assert store("maxmemory-policy allkeys-lru\\nsave ''\\n") == "rebuildable"
    assert store("appendonly yes\\n") == "data"


def test_mailboxes_and_spools_on_binds_are_data(audit_files: Auditor) -> None:
    """FHS /var/mail and /var/spool hold mailboxes and work awaiting processing."""
    compose = """
    services:
      mail:
        image: example/mailserver
        volumes: ["./state/mail/:/var/mail/", "./state/logs/:/var/log/mail/"]
      relay:
        image: example/relay
        volumes: ["./queue:/var/spool/postfix"]
      logs:
        image: example/logger
        volumes: ["./logs:/var/log/app", "./tmp:/var/tmp/app"]
    """
    report = audit_files(**{"compose.yaml": compose})
    by_name = {c.name: c for c in report.components}
    assert by_name["mail"].lifecycle == by_name["relay"].lifecycle == "persistent"
    assert "holding the data directory" in by_name["mail"].explanation
    assert by_name["logs"].lifecycle == "ephemeral-safe"


def test_users_files_weigh_above_a_queue_they_use(audit_files: Auditor) -> None:
    """An application keeping uploads on a volume outweighs the job queue it alone reaches."""
    compose = """
    services:
      app:
        image: example/docs
        environment: {QUEUE_URL: "redis://queue:6379", MEDIA_ROOT: /srv/app/media}
        volumes: ["media:/srv/app/media"]
      queue:
        image: redis:7
        volumes: ["spool:/data"]
    volumes: {media: {}, spool: {}}
    """
    report = audit_files(**{"compose.yaml": compose})
    by_name = {c.name: c for c in report.components}
    assert by_name["app"].gravity == 40 + 15 > by_name["queue"].gravity == 40 + 4


REACHED = """
services:
  api:
    image: example/api:1
    environment:
      MONGO_HOST: user-db:27017
      DATABASE_URL: postgres://app@pool:5432/app
      REPORTS: http://reports-db:8080
      OTHER_HOST: audit-db:5432
  user-db:
    image: example/user-db:1
  pool:
    image: example/pool:1
  reports-db:
    image: example/reports-db:1
  audit-db:
    image: example/audit-db:1
"""


def test_a_database_is_known_by_how_its_clients_reach_it(audit_files: Auditor) -> None:
    """``MONGO_HOST=user-db:27017`` makes user-db a MongoDB server; a pooler without a database
    name, a service reached over HTTP or by a variable that names no engine are not."""
    report = audit_files(**{"compose.yaml": REACHED})
    by_name = {c.name: c for c in report.components}
    assert by_name["user-db"].loss == "data"
    (finding,) = [
        f for f in report.findings_for(by_name["user-db"].id) if f.rule == "DATA_IMAGE_NO_VOLUME"
    ]
    assert finding.message.startswith("mongo database image example/user-db:1")
    for name in ("pool", "reports-db", "audit-db"):
        assert by_name[name].loss == "none", name


def test_a_command_line_option_naming_a_peer_is_an_edge() -> None:
    assert hosts_in("", "-d 60 -r 200 -c 2 -h edge-router") == {"edge-router"}
    assert hosts_in("", "serve --host=db --server api") == {"db", "api"}
    assert hosts_in("", "run --hosts-file x -hx y --help") == set()


BOUND = """
services:
  app:
    image: example/chat:1
    environment: {CHAT_CONFIG_DIR: /data}
    volumes: ["/srv/chat:/data:rw"]
  worker:
    image: example/chat:1
    environment: {CHAT_WORKER: sender}
    volumes: ["/srv/chat:/data:rw"]
    depends_on: [app]
  other:
    image: example/notes:1
    volumes: ["/srv/notes:/data"]
"""


def test_a_shared_host_directory_is_the_state_of_the_service_that_writes_it(
    audit_files: Auditor,
) -> None:
    """Binds of one host directory follow the named-volume rules: the app whose environment
    names a path in it holds it; the worker binding the same directory holds nothing."""
    report = audit_files(**{"compose.yaml": BOUND})
    by_name = {c.name: c for c in report.components}
    effects = {
        (name, str(report.effect_of(f)))
        for name in ("app", "worker", "other")
        for f in report.findings_for(by_name[name].id)
        if f.rule == "COMPOSE_BIND"
    }
    assert effects == {("app", "durable"), ("worker", "context"), ("other", "durable")}
    assert by_name["worker"].gravity == 0 < by_name["app"].gravity


KNOWN_CLIENTS = """
services:
  files:
    image: nextcloud:29-apache
    environment: {REDIS_HOST: kv}
  kv:
    image: redis:7-alpine
"""

RELAY = """
services:
  homeserver:
    image: matrixdotorg/synapse:v1.120.0
    volumes: ["./data:/data"]
  worker:
    image: matrixdotorg/synapse:v1.120.0
    volumes: ["./data:/data"]
  db:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
  bus:
    image: redis:7
volumes: {pg: {}}
"""


def test_what_known_programs_keep_in_their_store_decides(audit_files: Auditor) -> None:
    """The catalogue: Nextcloud keeps its memory cache and file locks in Redis (rebuildable);
    Synapse uses it to relay replication messages only, and no file names it, so the store is
    judged by its project's programs (nothing of its own)."""
    cache = audit_files(**{"compose.yaml": KNOWN_CLIENTS})
    assert _store(cache, "kv") == ("rebuildable", "warm-up", "low")
    relay = audit_files(**{"relay__compose.yaml": RELAY})
    assert _store(relay, "bus") == ("none", "context", "info")
    bus = next(c for c in relay.components if c.name == "bus")
    assert bus.gravity == 0


EDITOR = """
services:
  flags:
    image: example/flag-server:1
    command: ["start", "--uri", "file:/etc/flags/flags.json"]
    volumes: ["./flags:/etc/flags"]
  flags-ui:
    image: example/flag-ui:1
    volumes: ["./flags:/app/data"]
    depends_on: [flags]
"""


def test_the_service_whose_data_directory_a_shared_bind_is_keeps_it(audit_files: Auditor) -> None:
    """The editor writes the shared directory at its data path; the server it depends on only
    reads the file from its configuration path. Depending on the server does not make the
    editor a follower of it."""
    report = audit_files(**{"compose.yaml": EDITOR})
    by_name = {c.name: c for c in report.components}
    assert by_name["flags-ui"].lifecycle == "persistent"
    assert by_name["flags"].lifecycle == "ephemeral-safe"


def test_a_sentinel_holds_no_data(audit_files: Auditor) -> None:
    compose = """
    services:
      sentinel:
        image: redis:7
        command: ["redis-sentinel", "/etc/sentinel.conf"]
      legacy:
        image: registry.k8s.io/redis:v1
        environment: {SENTINEL: "true"}
    """
    report = audit_files(**{"compose.yaml": compose})
    for name in ("sentinel", "legacy"):
        assert _store(report, name) == ("none", "context", "info"), name


PROCESSES = """
x-app: &app
  image: example/tracker:1
  environment: {TRACKER_HOME: /srv/files, TRACKER_PLUGINS: /srv/files/plugins}
  volumes: ["files:/srv/files"]
  depends_on: [db]
services:
  web:
    <<: *app
    command: serve
  ingest:
    <<: *app
    command: consume ingest
  mailer:
    <<: *app
    command: consume mail
  cron:
    <<: *app
    command: cleanup
  gateway:
    image: example/gateway:2
    depends_on: [web]
  db:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
volumes: {files: {}, pg: {}}
"""


def test_the_service_the_project_reaches_holds_a_volume_its_processes_share(
    audit_files: Auditor,
) -> None:
    """Processes of one application stamped from one anchor write the same volume with the same
    environment; none depends on another, but the gateway waits for ``web``: it holds the
    files, the consumers and the cron runner hold nothing of their own."""
    report = audit_files(**{"compose.yaml": PROCESSES})
    by_name = {c.name: c for c in report.components}
    assert Effect.DURABLE in _effects(report, "web") and by_name["web"].gravity >= 40
    for name in ("ingest", "mailer", "cron"):
        assert set(_effects(report, name)) == {Effect.CONTEXT}, name
        assert (by_name[name].lifecycle, by_name[name].gravity) == ("ephemeral-safe", 0)
        assert "the service the rest of the project depends on" in " ".join(
            f.message for f in report.findings_for(by_name[name].id)
        )


UNKEPT = """
services:
  app:
    image: example/albums:1
    volumes: ["./library:/srv/library"]
    depends_on: [db, jobs]
  db:
    image: postgres:16
    volumes: ["{db_volume}"]
  jobs:
    image: valkey/valkey:8
"""


@pytest.mark.parametrize(
    ("db_volume", "effect"),
    [("pg:/var/lib/postgresql/data", Effect.WARM_UP), ("/tmp/scratch", Effect.LOSS)],
)
def test_a_store_the_project_leaves_off_its_volumes_holds_what_is_rebuilt(
    audit_files: Auditor, db_volume: str, effect: Effect
) -> None:
    """The project keeps its database on a named volume and its Redis-compatible store on none:
    the author kept the records in the database and the store holds work derived from them. A
    project whose database is kept nowhere says nothing about the store: data, as before."""
    text = UNKEPT.replace("{db_volume}", db_volume)
    if db_volume.startswith("pg:"):
        text += "volumes: {pg: {}}\n"
    report = audit_files(**{"compose.yaml": text})
    jobs = next(c for c in report.components if c.name == "jobs")
    found = [f for f in report.findings_for(jobs.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert [report.effect_of(f) for f in found] == [effect]
    assert (jobs.loss == "data") is (effect is Effect.LOSS)


@pytest.mark.parametrize(
    ("variable", "effect"),
    [("CELERY_BROKER_URL", Effect.LOSS), ("QUEUE_BULL_REDIS_HOST", Effect.LOSS),
     ("REDIS_URL", Effect.WARM_UP)],
)  # fmt: skip
def test_a_store_a_client_names_as_its_queue_broker_holds_pending_jobs(
    audit_files: Auditor, variable: str, effect: Effect
) -> None:
    value = "jobs" if variable.endswith("HOST") else "redis://jobs:6379/0"
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    text = text.replace("depends_on: [db, jobs]", f"environment: {{{variable}: '{value}'}}")
    report = audit_files(**{"compose.yaml": text + "volumes: {pg: {}}\n"})
    jobs = next(c for c in report.components if c.name == "jobs")
    found = [f for f in report.findings_for(jobs.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert [report.effect_of(f) for f in found] == [effect]


@pytest.mark.parametrize(
    ("worker", "broker", "effect"),
    [
        ("celery -A albums worker", "", Effect.LOSS),
        ("celery-worker", "", Effect.LOSS),
        ("bundle exec sidekiq", "", Effect.LOSS),
        ("python -m celery -A albums worker", "", Effect.LOSS),
        ("sidekiq -C config/sidekiq.yml", "", Effect.LOSS),
        ("rq worker high default", "", Effect.LOSS),
        ("celery -A albums worker", "  mq:\n    image: rabbitmq:4\n", Effect.WARM_UP),
        # an unknown program, but a service named for the application's worker (caching)
        ("node dist/worker.js", "", Effect.LOSS),
    ],
)
def test_a_store_left_off_the_volumes_that_brokers_a_task_queue_holds_pending_jobs(
    audit_files: Auditor, worker: str, broker: str, effect: Effect
) -> None:
    """Celery, Sidekiq and RQ workers take the jobs an application queued from Redis: with no
    other broker in the project, the store holds pending tasks (data), kept volume or not."""
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    text = text.replace("services:\n", f"services:\n{broker}", 1)
    text += f"  worker:\n    image: example/albums:1\n    command: {worker}\n"
    text += "volumes: {pg: {}}\n"
    report = audit_files(**{"compose.yaml": text})
    jobs = next(c for c in report.components if c.name == "jobs")
    found = [f for f in report.findings_for(jobs.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert [report.effect_of(f) for f in found] == [effect]


@pytest.mark.parametrize(
    ("variable", "value", "effect"),
    [
        ("QUEUE_CONNECTION", "redis", Effect.LOSS),
        ("HUMHUB_QUEUE_CLASS", "humhub\\modules\\queue\\driver\\Redis", Effect.LOSS),
        ("QUEUE_CONNECTION", "database", Effect.WARM_UP),
        ("CACHE_CLASS", "yii\\redis\\Cache", Effect.WARM_UP),
    ],
)
def test_a_queue_driver_set_to_redis_makes_the_store_its_queue(
    audit_files: Auditor, variable: str, value: str, effect: Effect
) -> None:
    """A client reaching the store whose queue variable chooses Redis as its driver queues its
    jobs there; a queue kept in the database, or a cache class, leaves the store rebuildable."""
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    environment = f"environment: {{REDIS_HOST: jobs, {variable}: '{value}'}}"
    text = text.replace("depends_on: [db, jobs]", environment)
    assert _store_effects(text, audit_files)[0] == [effect]


def _store_effects(text: str, audit_files: Auditor) -> tuple[list[Effect], str]:
    report = audit_files(**{"compose.yaml": text + "volumes: {pg: {}}\n"})
    jobs = next(c for c in report.components if c.name == "jobs")
    found = [f for f in report.findings_for(jobs.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    return [report.effect_of(f) for f in found], str(jobs.loss)


@pytest.mark.parametrize("image", ["valkey/valkey:8", "docker.io/bitnami/redis:7.2"])
def test_a_store_no_service_of_the_project_names_holds_nothing(
    audit_files: Auditor, image: str
) -> None:
    """Nothing in the project reaches the store (no variable, command, depends_on or env_file
    names it) and the project keeps its records in a database on a volume: nothing is written
    there, whatever the image's own persistence (Bitnami's append-only file)."""
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    text = text.replace("depends_on: [db, jobs]", "depends_on: [db]")
    text = text.replace("valkey/valkey:8", image)
    assert _store_effects(text, audit_files) == ([Effect.CONTEXT], "none")
    # A variable names it, or an env_file the estate does not hold might: it is used.
    named = text.replace("depends_on: [db]", "environment: {SESSION_STORE: 'jobs:6379'}")
    assert _store_effects(named, audit_files)[0] != [Effect.CONTEXT]
    hidden = text.replace("depends_on: [db]", "env_file: [{path: app.env, required: false}]")
    assert _store_effects(hidden, audit_files)[0] != [Effect.CONTEXT]


@pytest.mark.parametrize(
    ("client", "effect"),
    [
        ("environment: {AMQP_URI: 'amqp://guest:guest@jobs'}", Effect.WARM_UP),
        ("environment: {CELERY_BROKER_URL: 'amqp://guest:guest@jobs//'}", Effect.LOSS),
        ("command: celery -A albums worker", Effect.LOSS),
    ],
)
def test_a_broker_the_project_leaves_off_its_volumes_carries_what_is_sent_again(
    audit_files: Auditor, client: str, effect: Effect
) -> None:
    """A RabbitMQ on no volume beside a database kept on one carries requests sent again from
    the records; the broker of a task queue (named so, or with its workers in the project)
    holds pending jobs."""
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    text = text.replace("valkey/valkey:8", "rabbitmq:3").replace("depends_on: [db, jobs]", client)
    assert _store_effects(text, audit_files)[0] == [effect]
    # With no database kept on a volume, the project says nothing of what the broker holds.
    unkept = text.replace("pg:/var/lib/postgresql/data", "/tmp/scratch")
    assert _store_effects(unkept, audit_files)[0] == [Effect.LOSS]


COMMENTED = """
services:
  symbols:
    image: example/symbols:1
    volumes: ["symcache:/data"]
  janitor:
    image: example/symbols:1
    command: cleanup
    volumes: ["symcache:/data"]
  store:
    image: example/store:1
    volumes: ["blobs:/data"]
  api:
    image: example/api:1
    depends_on: [symbols, store]
volumes:
  # Downloaded symbols and source bundles. Upon removal they are
  # re-downloaded from the configured sources.
  symcache:
  # Uploaded files: back this one up.
  blobs:
"""


def test_a_volume_the_project_comments_as_a_cache_is_a_warm_up(audit_files: Auditor) -> None:
    """The comment introducing a top-level volume says its content is downloaded again: the
    service writing it holds a cache, the janitor sharing it nothing; the next volume's comment
    belongs to that volume only."""
    report = audit_files(**{"compose.yaml": COMMENTED})
    assert set(_effects(report, "symbols")) == {Effect.WARM_UP}
    assert set(_effects(report, "janitor")) == {Effect.CONTEXT}
    assert set(_effects(report, "store")) == {Effect.DURABLE}
    by_name = {c.name: c for c in report.components}
    assert by_name["store"].gravity > by_name["symbols"].gravity > 0


BACKGROUND = """
services:
  server:
    image: example/identity:2025.1
    command: server
    volumes: ["./media:/media"]
  worker:
    image: example/identity:2025.1
    command: worker
    volumes: ["./media:/media"]
  sync:
    image: example/sync:1
    volumes: ["./shared:/media"]
  indexer:
    image: example/indexer:1
    command: worker
    volumes: ["./shared:/media"]
"""


def test_a_background_process_of_the_same_image_holds_nothing_of_its_own(
    audit_files: Auditor,
) -> None:
    """The worker beside its server (one image, its command says worker) is a process of the
    application; two programs of different images sharing a folder both keep it."""
    report = audit_files(**{"compose.yaml": BACKGROUND})
    effects = {
        c.name: str(report.effect_of(f))
        for c in report.components
        for f in report.findings_for(c.id)
        if f.rule == "COMPOSE_BIND"
    }
    assert effects == {
        "server": "durable", "worker": "context", "sync": "durable", "indexer": "durable"
    }  # fmt: skip


CELERY_PROCESSES = """
services:
  web: &web
    build: {context: ., dockerfile: ./compose/web/Dockerfile}
    image: example_web
    command: /start
    ports: ["5000:5000"]
    volumes: ["uploads:/uploads"]
  celeryworker:
    <<: *web
    image: example_celeryworker
    command: /start-celeryworker
    ports: []
  celerybeat:
    <<: *web
    image: example_celerybeat
    command: /start-celerybeat
    ports: []
  flower:
    <<: *web
    image: example_flower
    command: /start-flower
    ports: ["5555:5555"]
  other:
    <<: *web
    build: {context: ./other}
    image: example_other
    command: /start-celeryworker
    ports: []
    volumes: ["shared:/uploads"]
  tool:
    image: example/tool:1
    ports: ["8000:8000"]
    volumes: ["shared:/uploads"]
volumes: {uploads: {}, shared: {}}
"""


def test_celery_processes_of_the_applications_build_hold_none_of_its_volume(
    audit_files: Auditor,
) -> None:
    """Celery's worker, beat and Flower monitor, built from the application's folder and tagged
    with names of their own, run its image: the served application keeps the volume. A worker
    built elsewhere, beside a program of another image, is no process of that program."""
    report = audit_files(**{"compose.yaml": CELERY_PROCESSES})
    effects = {name: set(_effects(report, name)) for name in
               ("web", "celeryworker", "celerybeat", "flower", "other", "tool")}  # fmt: skip
    assert effects == {
        "web": {Effect.DURABLE}, "celeryworker": {Effect.CONTEXT},
        "celerybeat": {Effect.CONTEXT}, "flower": {Effect.CONTEXT},
        "other": {Effect.DURABLE}, "tool": {Effect.DURABLE},
    }  # fmt: skip


VARIANTS = """
services:
  web:
    image: docker.io/example/portal:stable-nginx
    ports: ["8080:80"]
    volumes: ["uploads:/var/www/html/uploads", "media:/var/www/media"]
  app:
    image: docker.io/example/portal:stable-phponly
    expose: ["9000"]
    volumes: ["uploads:/var/www/html/uploads", "media:/srv/media"]
  gallery:
    image: example/gallery:2-nginx
    ports: ["8081:80"]
    volumes: ["pictures:/srv/pictures"]
  indexer:
    image: example/indexer:2
    volumes: ["pictures:/srv/pictures"]
volumes: {uploads: {}, media: {}, pictures: {}}
"""


def test_the_web_server_variant_of_the_apps_image_serves_its_files(audit_files: Auditor) -> None:
    """The nginx variant of the application's image, mounting the volume where its PHP-FPM
    variant does, serves the files written there; where they mount it apart, or beside a
    program of another repository, each keeps its own."""
    report = audit_files(**{"compose.yaml": VARIANTS})
    web = {("uploads" in message, effect) for message, effect in _mount_effects(report, "web")}
    assert web == {(True, Effect.CONTEXT), (False, Effect.DURABLE)}
    assert set(_effects(report, "app")) == {Effect.DURABLE}
    assert set(_effects(report, "gallery")) == {Effect.DURABLE}


PREPARED = """
services:
  init-perms:
    image: ubuntu
    command: bash -c "chown -R 1000:1000 /tmp/files"
    volumes: ["files:/tmp/files"]
  server:
    image: example/crm:1
    ports: ["3000:3000"]
    volumes: ["files:/app/storage"]
    depends_on:
      init-perms: {condition: service_completed_successfully}
  worker:
    image: example/crm:1
    command: ["yarn", "worker:prod"]
    volumes: ["files:/app/storage"]
    depends_on:
      server: {condition: service_healthy}
volumes: {files: {}}
"""


def test_a_one_shot_step_holds_none_of_the_volume_it_prepares(audit_files: Auditor) -> None:
    """A service another waits for to complete (``service_completed_successfully``) is a setup
    step; with it out of the way the worker beside its server is a background process."""
    report = audit_files(**{"compose.yaml": PREPARED})
    assert _effects(report, "init-perms") == [Effect.CONTEXT]
    assert _effects(report, "worker") == [Effect.CONTEXT]
    assert _effects(report, "server") == [Effect.DURABLE]
    waited = PREPARED.replace("service_completed_successfully", "service_started")
    # Waited for only to start and named for no setup step, it may be a long-running writer:
    # with a server that names its own command too (rule 9 left out), the worker is not told
    # apart.
    commanded = waited.replace("init-perms", "helper").replace(
        'ports: ["3000:3000"]', 'command: [yarn, start]\n    ports: ["3000:3000"]'
    )
    assert _effects(audit_files(**{"compose.yaml": commanded}), "worker") == [Effect.DURABLE]


def test_a_tmpfs_backed_or_log_volume_keeps_nothing(audit_files: Auditor) -> None:
    """The local driver's ``type: tmpfs`` is memory; a log directory holds logs only."""
    compose = """
    services:
      gateway:
        image: example/gateway:3
        volumes: ["prefix:/var/run/gateway", "logs:/tmp/gateway/logs", "state:/var/lib/gateway"]
    volumes:
      prefix: {driver_opts: {type: tmpfs, device: tmpfs}}
      logs: {}
      state: {}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert sorted(_effects(report, "gateway"), key=str) == sorted(
        [Effect.CONTEXT, Effect.CONTEXT, Effect.DURABLE], key=str
    )


@pytest.mark.parametrize(
    ("target", "effect"), [("/healthcheck", Effect.CONTEXT), ("/var/lib/manager", Effect.DURABLE)]
)
def test_a_volume_of_health_check_markers_keeps_nothing(
    audit_files: Auditor, target: str, effect: Effect
) -> None:
    """The manager leaves a ready marker where the worker waits for it; the same volume at a
    folder named for no such thing may be the manager's state."""
    compose = f"""
    services:
      manager:
        image: example/manager:1
        volumes: ["ready:{target}"]
      worker:
        image: example/worker:1
        command: ["/wait-for-manager.sh"]
        volumes: ["ready:/healthcheck"]
    volumes: {{ready: {{}}}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _effects(report, "manager") == [effect]


@pytest.mark.parametrize(
    ("binds", "effect"), [('"./:/app", ', Effect.CONTEXT), ("", Effect.WARM_UP)]
)
def test_a_dependencies_volume_below_the_checkout_keeps_the_images_copy(
    audit_files: Auditor, binds: str, effect: Effect
) -> None:
    """Below a bind of the checkout, a volume at ``node_modules`` holds the image's copy the new
    volume is filled with; alone, it is a cache of what an install fetches again."""
    compose = f"""
    services:
      web:
        build: {{context: .}}
        volumes: [{binds}"deps:/app/node_modules"]
    volumes: {{deps: {{}}}}
    """
    report = audit_files(**{"compose.yaml": compose})
    assert _effects(report, "web", "COMPOSE_NAMED_VOLUME") == [effect]


@pytest.mark.parametrize(
    ("mount", "effect"),
    [
        ("app_logs:/app/volume", Effect.CONTEXT),  # the volume is named for logs
        ("records:/app/workflow_logs", Effect.CONTEXT),  # the folder is
        ("app_data:/app/volume", Effect.DURABLE),
        ("records:/app/kafka-logs", Effect.DURABLE),  # Kafka's log.dirs default: not split
    ],
)
def test_a_volume_or_folder_named_for_logs_keeps_nothing(
    audit_files: Auditor, mount: str, effect: Effect
) -> None:
    volume = mount.split(":", 1)[0]
    compose = f"""
    services:
      web:
        image: example/web:3
        volumes: ["{mount}"]
    volumes: {{{volume}: {{}}}}
    """
    assert _effects(audit_files(**{"compose.yaml": compose}), "web") == [effect]


def test_a_stores_data_directory_called_logs_is_still_its_data(audit_files: Auditor) -> None:
    """Kafka's ``log.dirs`` are its partitions: a volume there is durable data."""
    compose = """
    services:
      kafka:
        image: apache/kafka:3.9.0
        environment: {KAFKA_LOG_DIRS: /var/lib/kafka/logs}
        volumes: ["partitions:/var/lib/kafka/logs"]
    volumes: {partitions: {}}
    """
    assert _effects(audit_files(**{"compose.yaml": compose}), "kafka") == [Effect.DURABLE]


SOCKETS = """
services:
  db:
    image: mariadb:11.4
    volumes: ["rows:/var/lib/mysql", "socket:/var/run/mysqld/"]
  app:
    image: example/php-app:1
    volumes: ["socket:/var/run/mysqld/"]
  certs:
    image: example/renewer:1
    volumes: ["socket:/run/mysqld"]
  pidfiles:
    image: example/daemon:1
    volumes: ["/srv/daemon/run:/var/run/daemon"]
volumes: {rows: {}, socket: {}}
"""


def test_a_shared_socket_directory_is_an_edge_to_its_database(audit_files: Auditor) -> None:
    """A database's run-time directory shared with other services holds its unix socket: they
    are its clients, and none of them (nor the database, for that volume) keeps state there."""
    report = audit_files(**{"compose.yaml": SOCKETS})
    by_name = {c.name: c for c in report.components}
    assert by_name["app"].depends_on == (by_name["db"].id,)
    assert by_name["certs"].depends_on == (by_name["db"].id,)
    assert by_name["db"].depends_on == ()
    assert _effects(report, "app") == [Effect.CONTEXT]
    assert sorted(_effects(report, "db"), key=str) == sorted(
        [Effect.CONTEXT, Effect.DURABLE], key=str
    )
    assert str(by_name["app"].lifecycle) == "ephemeral-safe"
    # A host directory outside the project bound at a run-time path holds PID files, not data.
    binds = [f for f in report.findings_for(by_name["pidfiles"].id) if f.rule == "COMPOSE_BIND"]
    assert [report.effect_of(f) for f in binds] == [Effect.CONTEXT]


PROGRAM_SOCKETS = """
services:
  scanner:
    image: registry.example.net/community/ospd-scanner:stable
    volumes: ["scanner_socket:/run/ospd"]
  manager:
    image: registry.example.net/community/manager:stable
    volumes: ["scanner_socket:/run/ospd", "manager_socket:/run/manager"]
  tools:
    image: registry.example.net/community/tools:1
    volumes: ["manager_socket:/run/manager", "shared_run:/run"]
  other:
    image: example/other:1
    volumes: ["shared_run:/run"]
volumes: {scanner_socket: {}, manager_socket: {}, shared_run: {}}
"""


def test_a_run_folder_named_for_an_image_is_its_socket(audit_files: Auditor) -> None:
    """A program keeps its socket in ``/run/<program>``: services sharing that folder reach the
    one whose image is named for it (the manager drives the scanner, the tools the manager),
    never the other way round, and ``/run`` itself names no program."""
    report = audit_files(**{"compose.yaml": PROGRAM_SOCKETS})
    by_name = {c.name: c for c in report.components}
    assert by_name["manager"].depends_on == (by_name["scanner"].id,)
    assert by_name["tools"].depends_on == (by_name["manager"].id,)
    assert by_name["scanner"].depends_on == ()
    assert by_name["other"].depends_on == ()


def _socket_store(client_image: str) -> str:
    return f"""
services:
  redis:
    image: registry.example.net/community/redis-server
    volumes: ["redis_socket:/run/redis/"]
  scanner:
    image: {client_image}
    volumes: ["redis_socket:/run/redis/"]
volumes: {{redis_socket: {{}}}}
"""


@pytest.mark.parametrize(
    ("client_image", "loss"),
    [
        # OpenVAS keeps the feed's VT metadata and its running scans' knowledge bases there.
        ("registry.example.net/community/ospd-openvas:stable", "rebuildable"),
        ("example/scanner:1", "data"),  # a client whose use nothing says
    ],
)
def test_a_client_through_a_stores_socket_says_what_it_keeps_there(
    audit_files: Auditor, client_image: str, loss: str
) -> None:
    report = audit_files(**{"compose.yaml": _socket_store(client_image)})
    by_name = {c.name: c for c in report.components}
    assert by_name["scanner"].depends_on == (by_name["redis"].id,)
    assert str(by_name["redis"].loss) == loss


def _public_disk(front_path: str) -> str:
    return f"""
services:
  php:
    image: example/invoices-php:1
    volumes: ["files:/var/www/storage/app/public"]
  web:
    image: example/invoices-nginx:1
    volumes: ["files:{front_path}"]
volumes: {{files: {{}}}}
"""


def test_a_laravel_public_disk_is_kept_by_the_application_not_its_link(
    audit_files: Auditor,
) -> None:
    """The web server mounting the volume where ``storage:link`` links the public disk
    (``public/storage``) serves it; the application at ``storage/app/public`` keeps it."""
    report = audit_files(**{"compose.yaml": _public_disk("/var/www/public/storage")})
    assert _effects(report, "php") == [Effect.DURABLE]
    assert _effects(report, "web") == [Effect.CONTEXT]


def test_a_volume_elsewhere_in_the_front_is_not_the_link(audit_files: Auditor) -> None:
    """Another folder of the front is no link: the sharing rules read it as before."""
    report = audit_files(**{"compose.yaml": _public_disk("/var/www/public/uploads")})
    assert _effects(report, "php") == [Effect.CONTEXT]
    assert _effects(report, "web") == [Effect.DURABLE]


MIGRATED = """
services:
  migrate:
    image: example/tracker:2
    command: python manage.py migrate --noinput
    volumes: ["records:/var/lib/tracker"]
  web:
    image: example/tracker:2
    command: sh -c "uwsgi --ini uwsgi.ini"
    volumes: ["records:/var/lib/tracker"]
    depends_on:
      migrate: {condition: service_completed_successfully}
  tasks:
    image: example/tracker:2
    command: sh -c "./celery_start.sh"
    volumes: ["records:/var/lib/tracker"]
    depends_on:
      migrate: {condition: service_completed_successfully}
volumes: {records: {}}
"""


def test_a_one_shot_step_everyone_waits_for_is_not_the_application(audit_files: Auditor) -> None:
    """Both long-running services wait for the migration; it has ended before they start, so
    it is not "the service the others depend on": the server keeps the volume, the process
    named for its task queue does not."""
    report = audit_files(**{"compose.yaml": MIGRATED.replace("tasks:", "celery:")})
    assert _effects(report, "web") == [Effect.DURABLE]
    assert _effects(report, "celery") == [Effect.CONTEXT]
    assert _effects(report, "migrate") == [Effect.CONTEXT]
    # Neither named nor commanded as a background process: the two are not told apart.
    plain = audit_files(**{"compose.yaml": MIGRATED})
    assert _effects(plain, "tasks") == [Effect.DURABLE]


RELAYED = """
services:
  hbbs:
    image: rustdesk/rustdesk-server:latest
    command: hbbs -r relay.example.com:21117
    volumes: [./data:/root]
    depends_on: [hbbr]
  hbbr:
    image: rustdesk/rustdesk-server:latest
    command: %s
    volumes: [./data:/root]
"""


def test_a_program_documented_to_write_nothing_holds_none_of_a_shared_bind(
    audit_files: Auditor,
) -> None:
    """RustDesk's relay with no key writes nothing in the folder it shares with the ID server,
    which keeps its key pair and peer database there, though the server depends on the relay."""
    report = audit_files(**{"compose.yaml": RELAYED % "hbbr"})
    assert _effects(report, "hbbs", "COMPOSE_BIND") == [Effect.DURABLE]
    assert _effects(report, "hbbr", "COMPOSE_BIND") == [Effect.CONTEXT]
    loss = {c.name: str(c.lifecycle) for c in report.components}
    assert loss == {"hbbs": "persistent", "hbbr": "ephemeral-safe"}
    # Given a key, the relay loads or generates a key pair there too.
    keyed = audit_files(**{"compose.yaml": RELAYED % "hbbr -k _"})
    assert _effects(keyed, "hbbr", "COMPOSE_BIND") != [Effect.CONTEXT]


MANAGED_TUNNEL = """
services:
  wireguard:
    image: lscr.io/linuxserver/wireguard:latest
    environment: [%s]
    volumes: [./config:/config]
  manager:
    image: example/wg-manager:1
    depends_on: [wireguard]
    network_mode: service:wireguard
    volumes: [./db:/app/db, ./config:/etc/wireguard]
"""


def test_wireguard_in_client_mode_holds_none_of_the_folder_its_manager_writes(
    audit_files: Auditor,
) -> None:
    """With no ``PEERS`` LinuxServer.io's WireGuard generates nothing: the ``wg0.conf`` in the
    folder it shares with a manager is the manager's. With ``PEERS`` (server mode) it generates
    its keys and peers there, and the folder stays its own."""
    client = audit_files(**{"compose.yaml": MANAGED_TUNNEL % "TZ=UTC"})
    assert _effects(client, "wireguard", "COMPOSE_BIND") == [Effect.CONTEXT]
    assert {c.name: str(c.lifecycle) for c in client.components}["wireguard"] == "ephemeral-safe"
    server = audit_files(**{"compose.yaml": MANAGED_TUNNEL % "PEERS=3"})
    assert _effects(server, "wireguard", "COMPOSE_BIND") == [Effect.DURABLE]
    # Alone, the folder holds the client configuration dropped there: still its own.
    alone = audit_files(**{"compose.yaml": MANAGED_TUNNEL.split("  manager:")[0] % "TZ=UTC"})
    assert _effects(alone, "wireguard", "COMPOSE_BIND") == [Effect.DURABLE]


def test_a_writable_bind_at_a_cache_directory_is_a_warm_up(audit_files: Auditor) -> None:
    """Generated thumbnails in ``media-cache`` on a bind are made again from the originals."""
    compose = """
services:
  gallery:
    image: example/gallery:2
    volumes: ["/srv/gallery/cache:/app/media-cache", "/srv/photos:/photos:ro"]
"""
    report = audit_files(**{"compose.yaml": compose})
    assert _effects(report, "gallery", "COMPOSE_BIND") == [Effect.WARM_UP, Effect.CONTEXT]
    (component,) = report.components
    assert str(component.loss) == "rebuildable"


PARTS = """
services:
  all:
    image: example/suite:4
    restart: unless-stopped
    %s
    volumes: ["media:/var/lib/suite"]
  frontend:
    image: example/suite:4
    command: [run_frontend]
    ports: ["8080:8000"]
    volumes: ["media:/var/lib/suite"]
  indexer:
    image: example/suite:4
    command: [run_indexer, fast]
    volumes: ["media:/var/lib/suite"]
volumes: {media: {}}
"""


def test_the_service_that_runs_its_images_own_command_is_the_application(
    audit_files: Auditor,
) -> None:
    """Three services of one image share a volume and none depends on another: the one that
    runs the image's default command and serves it is the application, the services that each
    pick a command of the image (a frontend, an indexer) run parts of it and hold none."""
    report = audit_files(**{"compose.yaml": PARTS % 'ports: ["80:8000"]'})
    assert _effects(report, "all") == [Effect.DURABLE]
    assert _effects(report, "frontend") == [Effect.CONTEXT]
    assert _effects(report, "indexer") == [Effect.CONTEXT]
    why = " ".join(f.message for f in report.findings if (f.component or "").endswith("/indexer"))
    assert "runs the image's own command" in why
    # A service with the default command that serves nothing (an anchor declared as a service)
    # is not taken for the application: the three are not told apart.
    anchor = audit_files(**{"compose.yaml": PARTS % ""})
    assert _effects(anchor, "frontend") == [Effect.DURABLE]
    assert _effects(anchor, "indexer") == [Effect.DURABLE]


DOCUMENT_SERVER = """
services:
  editor:
    image: example/editor:8
    environment: {DB_HOST: %s}
    volumes: ["/var/www/editor/Data", "/var/lib/editor/App_Data/cache/files"]
  pg:
    image: postgres:16
    volumes: ["%s"]
volumes: {pgdata: {}}
"""


@pytest.mark.parametrize(
    ("host", "db_volume", "effect"),
    [
        ("pg", "pgdata:/var/lib/postgresql/data", Effect.WARM_UP),
        ("pg", "/tmp/scratch", Effect.LOSS),
        ("elsewhere.example.com", "pgdata:/var/lib/postgresql/data", Effect.LOSS),
    ],
)
def test_an_apps_data_directory_on_an_anonymous_volume_beside_its_kept_database(
    audit_files: Auditor, host: str, db_volume: str, effect: Effect
) -> None:
    """The project names a volume for the database the application reaches and none for the
    application's own directories: its records are in the database, and the anonymous volume
    holds what it makes again. A database kept nowhere, or one it does not reach, says
    nothing of the kind."""
    report = audit_files(**{"compose.yaml": DOCUMENT_SERVER % (host, db_volume)})
    found = [
        report.effect_of(f)
        for f in report.findings
        if f.rule == "DATA_ON_EPHEMERAL" and (f.component or "").endswith("/editor")
    ]
    assert found == [effect]


@pytest.mark.parametrize(
    ("name", "effect"),
    [("celery_worker", Effect.LOSS), ("celeryworker", Effect.LOSS), ("celerybeat", Effect.LOSS),
     ("thumbs", Effect.WARM_UP), ("celebrity", Effect.WARM_UP)],
)  # fmt: skip
def test_a_service_named_for_a_task_queue_worker_makes_the_store_its_broker(
    audit_files: Auditor, name: str, effect: Effect
) -> None:
    """An image that starts its Celery worker from its environment shows no worker command; the
    service is still named for it, and Redis, with no other broker, holds the pending tasks."""
    text = UNKEPT.replace("{db_volume}", "pg:/var/lib/postgresql/data")
    text += f"  {name}:\n    image: example/albums:1\n    environment: {{ENABLE_WORKER: 'yes'}}\n"
    assert _store_effects(text, audit_files)[0] == [effect]


STEPPED = """
services:
  migrations:
    image: example/media:2
    command: ./deploy/prestart.sh
    restart: %s
    volumes: ["./:/srv/media/"]
  web:
    image: example/media:2
    ports: ["80:80"]
    volumes: ["./:/srv/media/"]
    depends_on: [migrations]
  celery_worker:
    image: example/media:2
    volumes: ["./:/srv/media/"]
    depends_on: [migrations]
"""


def test_a_setup_step_by_its_name_and_restart_policy_is_not_the_application(
    audit_files: Auditor,
) -> None:
    """A service named for migrations that is let end (``on-failure``) is a setup step, though
    the others wait for it only to start: the web server is the application, the worker its
    background process. Restarted always, it is a long-running service the others depend on."""
    report = audit_files(**{"compose.yaml": STEPPED % "on-failure"})
    effects = {
        n: _effects(report, n, "COMPOSE_BIND") for n in ("migrations", "web", "celery_worker")
    }
    assert effects["migrations"] == [Effect.CONTEXT]
    assert effects["celery_worker"] == [Effect.CONTEXT]
    assert effects["web"] != [Effect.CONTEXT]
    always = audit_files(**{"compose.yaml": STEPPED % "always"})
    assert _effects(always, "web", "COMPOSE_BIND") == [Effect.CONTEXT]


SCHEMA = """
services:
  %s:
    image: example/tools:3
    command: [%s]
    volumes: ["resources:/srv/resources"]
  api:
    image: example/api:3
    ports: ["8080:8080"]
    volumes: ["resources:/srv/resources"]
volumes: {resources: {}}
"""


@pytest.mark.parametrize(
    ("name", "command"),
    [("schema-initializer", "bin/run.sh"), ("tools", "tools/bin/upgrade-schema.sh")],
)
def test_a_schema_initialiser_or_upgrade_is_a_setup_step(
    audit_files: Auditor, name: str, command: str
) -> None:
    """A service named an initialiser, or commanded to upgrade a schema, runs to its end before
    the application: it keeps none of the volume it shares with the API, which does. A schema
    registry is a long-running server and keeps its share."""
    report = audit_files(**{"compose.yaml": SCHEMA % (name, command)})
    assert _effects(report, name, "COMPOSE_NAMED_VOLUME") == [Effect.CONTEXT]
    assert _effects(report, "api", "COMPOSE_NAMED_VOLUME") == [Effect.DURABLE]
    served = audit_files(
        **{"compose.yaml": SCHEMA % ("schema-registry", "bin/schema-registry-start")}
    )
    assert _effects(served, "schema-registry", "COMPOSE_NAMED_VOLUME") != [Effect.CONTEXT]


PROXIED = """
services:
  proxy:
    image: %s
    volumes: ["shared:/srv/shared", "challenges:/var/www/html/.well-known/acme-challenge"]
  certs:
    image: example/cert-manager:2
    volumes: ["shared:/srv/shared", "challenges:/var/www/.well-known/acme-challenge"]
  server:
    image: example/chat-server:2
    volumes: ["shared:/srv/shared"]
volumes: {shared: {}, challenges: {}}
"""


def test_a_reverse_proxy_serves_what_the_others_write(audit_files: Auditor) -> None:
    """Three unrelated images write one volume, nothing depends on anything: the one whose
    image is named a proxy serves what the others write and holds none of it; another image
    is not told apart."""
    report = audit_files(**{"compose.yaml": PROXIED % "example/web-proxy:2"})
    assert set(_effects(report, "proxy")) == {Effect.CONTEXT}
    assert Effect.DURABLE in _effects(report, "server")
    plain = audit_files(**{"compose.yaml": PROXIED % "example/web-portal:2"})
    assert Effect.DURABLE in _effects(plain, "proxy")


CHAINED = """
services:
  app:
    image: example/app:1
    command: serve
    volumes: ["media:/app/media"]
    healthcheck: {test: [CMD, probe]}
    depends_on: [db]
  indexer:
    image: example/app:1
    command: index-files
    volumes: ["media:/app/media"]
    depends_on: [app]
  planner:
    image: example/app:1
    command: plan
    volumes: ["media:/app/media"]
    depends_on: [indexer]
  db:
    image: postgres:17
    volumes: ["pg:/var/lib/postgresql/data"]
volumes: {media: {}, pg: {}}
"""


def test_the_service_every_sharer_waits_for_in_turn_holds_the_volume(
    audit_files: Auditor,
) -> None:
    """The planner waits for the indexer, which waits for the application: each waits for
    ``app``, directly or in turn, and ``app`` waits for none of them. The uploads are the
    application's; the indexer and the planner (named for no background process) hold nothing
    of their own. Without the health check (or a port) that says ``app`` keeps running, it
    might be a step that ends: the others are not told apart."""
    report = audit_files(**{"compose.yaml": CHAINED})
    by_name = {c.name: c for c in report.components}
    assert Effect.DURABLE in _effects(report, "app")
    for name in ("indexer", "planner"):
        assert set(_effects(report, name)) == {Effect.CONTEXT}, name
        # holding nothing, each weighs only who reaches it (the planner the indexer)
        assert (by_name[name].lifecycle, by_name[name].gravity) == (
            "ephemeral-safe", len(by_name[name].dependents)
        )  # fmt: skip
    unchecked = CHAINED.replace("    healthcheck: {test: [CMD, probe]}\n", "")
    report = audit_files(**{"compose.yaml": unchecked})
    assert Effect.DURABLE in _effects(report, "planner")


SERVED = """
services:
  front:
    image: %s
    volumes: ["uploads:/srv/uploads", "./webroot:/var/www/challenges", "cache:/var/cache/nginx"]
  app:
    image: example/app:1
    volumes: ["uploads:/srv/uploads", "./webroot:/var/www/challenges"]
volumes: {uploads: {}, cache: {}}
"""


@pytest.mark.parametrize(
    "image", ["nginx:1.27", "httpd:2.4", "nginxinc/nginx-unprivileged:1", "bitnami/nginx:1.25"]
)
def test_a_web_server_reads_what_the_others_write(audit_files: Auditor, image: str) -> None:
    """The official nginx and httpd images serve what they mount (uploads, a webroot) and
    write only their cache and logs: none of it is their state, though nothing says which
    service is the application. An image of another name (a portal keeping a database of its
    own) is not told apart, and a volume at nginx's cache directory stays a cache."""
    report = audit_files(**{"compose.yaml": SERVED % image})
    effects = {m.split(" -> ")[1].split()[0]: e for m, e in _mount_effects(report, "front")}
    assert effects["/srv/uploads"] == effects["/var/www/challenges"] == Effect.CONTEXT
    assert Effect.DURABLE in _effects(report, "app")
    other = audit_files(**{"compose.yaml": SERVED % "example/portal:2"})
    assert {c.name: c for c in other.components}["front"].lifecycle == "persistent"


BITNAMI_SERVED = """
services:
  front:
    image: %s
    volumes: ["./nginx/vhost.conf:/opt/bitnami/nginx/conf/server_blocks/shop.conf",
              "../back/public/:/app/public"]
"""


def test_bitnamis_nginx_serves_the_project_folder_it_binds_at_app(audit_files: Auditor) -> None:
    """Bitnami's nginx writes only under its tmp, logs and sample-certificate folders: a
    project folder bound at /app is what it serves. Another Bitnami image (a Node runtime)
    binding the same folder may write it."""
    for image, effect in (
        ("bitnami/nginx:1.25", Effect.CONTEXT),
        ("bitnami/node:8", Effect.DURABLE),
    ):
        report = audit_files(**{"compose.yaml": BITNAMI_SERVED % image})
        effects = {m.split(" -> ")[1].split()[0]: e for m, e in _mount_effects(report, "front")}
        assert effects["/app/public"] == effect, image


def _mount_effects(report: AuditReport, name: str) -> list[tuple[str, Effect]]:
    return [
        (f.message, report.effect_of(f))
        for f in report.findings
        if f.rule in ("COMPOSE_BIND", "COMPOSE_NAMED_VOLUME")
        and (f.component or "").endswith("/" + name)
    ]


SPLIT = """
services:
  app:
    image: example/social:1
    environment: {REDIS_BROKER_HOST: redis_jobs, REDIS_FEED_HOST: redis_feed}
    volumes: ["media:/app/media"]
  worker:
    image: example/social:1
    command: [run-jobs]
    environment: {REDIS_BROKER_HOST: redis_jobs, REDIS_FEED_HOST: redis_feed}
  redis_jobs:
    image: redis:7
    command: redis-server --appendonly yes
    volumes: ["jobs:/data"]
  redis_feed:
    image: redis:7
    command: redis-server --appendonly yes
    volumes: ["feed:/data"]
volumes: {media: {}, jobs: {}, feed: {}}
"""


def test_a_store_beside_the_one_its_clients_name_as_their_broker_holds_what_they_cache(
    audit_files: Auditor,
) -> None:
    """The application splits its Redis by role: the store its clients name as their broker
    keeps the pending jobs (data), the other what they cache, whatever its append-only file.
    With no broker named beside it, the second store is read as before: data. (The service
    names hold underscores, as Compose allows, and are still read as hosts.)"""
    report = audit_files(**{"compose.yaml": SPLIT})
    by_name = {c.name: c for c in report.components}
    assert _effects(report, "redis_jobs") == [Effect.DURABLE]
    assert _effects(report, "redis_feed") == [Effect.WARM_UP]
    assert by_name["redis_feed"].lifecycle == "ephemeral-with-warm-up"
    alone = audit_files(**{"compose.yaml": SPLIT.replace("REDIS_BROKER_HOST", "REDIS_MAIN_HOST")})
    assert _effects(alone, "redis_feed") == [Effect.DURABLE]


def test_a_web_server_others_wait_for_does_not_take_the_volume_it_serves(
    audit_files: Auditor,
) -> None:
    """The certificate client waits for nginx, not for the application: nginx only serves the
    uploads, so it is no writer the rest of the project could make their owner."""
    report = audit_files(**{"compose.yaml": """
services:
  web:
    image: nginx:1.27
    ports: ["80:80"]
    volumes: ["uploads:/srv/uploads"]
  certs:
    image: example/acme:1
    depends_on: [web]
  app:
    image: example/app:1
    volumes: ["uploads:/srv/uploads"]
volumes: {uploads: {}}
"""})  # fmt: skip
    assert _effects(report, "app") == [Effect.DURABLE]
    assert _effects(report, "web") == [Effect.CONTEXT]


ONE_DIRECTORY = """
services:
  db:
    image: postgres:16
    environment: [PGDATA=/var/lib/postgresql/data/{pgdata}]
    volumes: ["./app-data:/var/lib/postgresql/data"]
  server:
    image: example/inventory:1
    depends_on: [db]
    volumes: ["./app-data:/home/inventory/data"]
"""


def test_a_database_in_a_subfolder_leaves_an_application_its_data_directory_beside_it(
    audit_files: Auditor,
) -> None:
    """One host directory for all of an application's data: the database's PGDATA names a
    subfolder, the server mounts the whole directory at its data path: both hold data, the
    server's own. PGDATA at the mount point itself makes the directory the database's."""
    report = audit_files(**{"compose.yaml": ONE_DIRECTORY.replace("{pgdata}", "pgdb")})
    assert _effects(report, "server", "COMPOSE_BIND") == [Effect.DURABLE]
    server = next(c for c in report.components if c.name == "server")
    assert str(server.lifecycle) == "persistent"
    whole = audit_files(**{"compose.yaml": ONE_DIRECTORY.replace("{pgdata}", "")})
    assert _effects(whole, "server", "COMPOSE_BIND") == [Effect.CONTEXT]
    server = next(c for c in whole.components if c.name == "server")
    assert str(server.lifecycle) == "ephemeral-safe"


BUILT_PROXY = """
services:
  %s:
    build: %s
    ports: ["443:443"]
    volumes: ["./site/media:/site/media"]
  companion:
    image: example/acme-companion:2
    depends_on: [%s]
  app:
    build: site
    volumes: ["./site/media:/site/media"]
    depends_on: [companion]
  worker:
    build: site
    command: celery -A site worker
    volumes: ["./site/media:/site/media"]
"""


def test_a_built_proxy_the_project_waits_for_serves_what_the_application_writes(
    audit_files: Auditor,
) -> None:
    """A proxy built from the project's Dockerfile is named by its service; the project waits
    for it to route through it, so it is not the application: the application writes the
    shared media, its worker (built from the same folder) is a further process of it. A
    service of any other name the project waits for is still taken for the application, unless
    the folder is bound from inside the application's build context (``site``): its sources'."""
    report = audit_files(**{"compose.yaml": BUILT_PROXY % (("edge-proxy",) * 3)})
    assert _effects(report, "edge-proxy", "COMPOSE_BIND") == [Effect.CONTEXT]
    assert _effects(report, "worker", "COMPOSE_BIND") == [Effect.CONTEXT]
    assert Effect.DURABLE in _effects(report, "app", "COMPOSE_BIND")
    outside = (BUILT_PROXY % (("portal",) * 3)).replace("./site/media:", "./media:")
    portal = audit_files(**{"compose.yaml": outside})
    assert Effect.DURABLE in _effects(portal, "portal", "COMPOSE_BIND")
    assert _effects(portal, "app", "COMPOSE_BIND") == [Effect.CONTEXT]
    sources = audit_files(**{"compose.yaml": BUILT_PROXY % (("portal",) * 3)})
    assert _effects(sources, "portal", "COMPOSE_BIND") == [Effect.CONTEXT]
    assert Effect.DURABLE in _effects(sources, "app", "COMPOSE_BIND")


OWN_FOLDER = """
services:
  app:
    image: example/ledger:2
    ports: ["8000"]
    links: [web]
    volumes: ["media:{target}"]
  web:
    image: example/ledger-static-web:2
    ports: ["80:80"]
    volumes: ["media:/opt/media"]
volumes: {media: {}}
"""


def test_the_writer_mounting_a_volume_in_its_programs_folder_keeps_it(
    audit_files: Auditor,
) -> None:
    """The application mounts the media volume inside a folder named for its program, the web
    server that serves it at a path of its own: the volume is the application's, though it
    links to the server. With no folder of its own in the path, the link decides (rule 7)."""
    report = audit_files(
        **{"compose.yaml": OWN_FOLDER.replace("{target}", "/var/local/ledger/media")}
    )
    web = next(c for c in report.components if c.name == "web")
    assert _effects(report, "web") == [Effect.CONTEXT]
    assert "named for its program" in " ".join(f.message for f in report.findings_for(web.id))
    assert _effects(report, "app") == [Effect.DURABLE]
    linked = audit_files(
        **{"compose.yaml": OWN_FOLDER.replace("{target}", "/var/local/site/media")}
    )
    assert _effects(linked, "app") == [Effect.CONTEXT]
    assert _effects(linked, "web") == [Effect.DURABLE]


def test_a_database_at_its_own_data_directory_keeps_its_part_of_a_programs_folder(
    audit_files: Auditor,
) -> None:
    """The server mounts one host directory inside its program's folder, the database at its
    image's data directory: the database is not taken for a reader of the server's folder."""
    report = audit_files(**{"compose.yaml": ONE_DIRECTORY.replace("{pgdata}", "pgdb")})
    db = next(c for c in report.components if c.name == "db")
    assert str(db.lifecycle) == "persistent"
    assert "named for its program" not in " ".join(f.message for f in report.findings_for(db.id))


_SOURCES = """
services:
  backend:
    build: {context}
    volumes: ["./packages/backend/uploads:/app/uploads", "./packages/backend/cache:/app/cache"]
    depends_on: [front]
  worker:
    build: {context}
    command: worker
    volumes: ["./packages/backend/uploads:/app/uploads"]
    depends_on: [backend]
  front:
    build: packages/front
    ports: ["443:443"]
    volumes: ["./packages/backend/uploads:/srv/www/uploads"]
"""


def test_a_folder_bound_from_a_services_build_context_is_that_services(
    audit_files: Auditor,
) -> None:
    """Uploads bound from inside the backend's build context are the backend's, though it waits
    for the front that serves them; its worker, of the same build, holds none. Built from the
    whole project (``.``), the folder says nothing and the front the others wait for keeps it."""
    own = audit_files(**{"compose.yaml": _SOURCES.format(context="./packages/backend")})
    lifecycle = {c.name: str(c.lifecycle) for c in own.components}
    assert lifecycle == {
        "backend": "persistent", "worker": "ephemeral-safe", "front": "ephemeral-safe",
    }  # fmt: skip
    whole = audit_files(**{"compose.yaml": _SOURCES.format(context=".")})
    lifecycle = {c.name: str(c.lifecycle) for c in whole.components}
    assert lifecycle["front"] == "persistent" and lifecycle["backend"] != "persistent"


_SERVED = """
services:
  build:
    image: example/webapp:1
    command: ["build"]
    volumes: ["site:/out"]
  web:
    image: nginx:1.27
    volumes: ["site:/srv/site", "logs:/var/log/nginx"]
  tail:
    image: example/tail:1
    volumes: ["logs:/logs:ro"]
volumes: {site: {}, logs: {}}
"""


def test_a_web_server_depends_on_the_service_writing_what_it_serves(
    audit_files: Auditor,
) -> None:
    """nginx serves the volume ``build`` writes: an edge to it; its own log volume, which a
    reader mounts read-only, makes no edge either way."""
    report = audit_files(**{"compose.yaml": _SERVED})
    by_name = {c.name: c for c in report.components}
    assert by_name["web"].depends_on == (by_name["build"].id,)
    assert not by_name["tail"].depends_on and not by_name["build"].depends_on


def test_a_build_into_a_volume_a_web_server_serves_is_made_again(audit_files: Auditor) -> None:
    """``build`` writes the web app nginx serves: a warm-up, not data; the same service running
    its own program (no build command) keeps what it writes there."""
    report = audit_files(**{"compose.yaml": _SERVED})
    (build,) = [c for c in report.components if c.name == "build"]
    assert str(build.lifecycle) == "ephemeral-with-warm-up"
    assert _effects(report, "build", "COMPOSE_NAMED_VOLUME") == [Effect.WARM_UP]
    running = audit_files(**{"compose.yaml": _SERVED.replace('command: ["build"]', "ports: [80]")})
    (app,) = [c for c in running.components if c.name == "build"]
    assert str(app.lifecycle) == "persistent"
