"""What an image keeps by its own default, not by its name alone: a broker that relays and keeps
nothing until persistence is switched on (core NATS without JetStream), and a store that keeps
its data in memory unless told otherwise (Jaeger all-in-one without ``SPAN_STORAGE_TYPE``).
Small hand-made estates, one class of evidence each."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of


def _compose(service: str) -> str:
    return "services:\n  broker:\n" + "".join(f"    {line}\n" for line in service.splitlines())


def _loss(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.loss)


@pytest.mark.parametrize(
    "service",
    [
        "image: nats:2.11-alpine\ncommand: --http_port 8222",
        "image: docker.io/nats:2.10",
        "image: nats:latest\ncommand: [--cluster_name, c, --routes, 'nats://peer:6222']",
    ],
)
def test_core_nats_without_jetstream_relays_and_keeps_nothing(
    audit_files: Auditor, service: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(service)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    "service",
    [
        "image: nats:2.11-alpine\ncommand: -js",
        "image: nats:2.11\ncommand: [--jetstream, --store_dir=/js]",
        "image: nats:2.11\ncommand: [-c, /etc/nats/nats.conf]",  # the file may enable JetStream
    ],
)
def test_nats_with_jetstream_or_a_configuration_file_keeps_streams(
    audit_files: Auditor, service: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(service)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    assert _loss(report) == "data"


def test_nats_writing_a_volume_keeps_what_it_was_configured_to(audit_files: Auditor) -> None:
    service = "image: nats:2.11\nvolumes: ['js:/data']"
    report = audit_files(**{"compose.yaml": _compose(service) + "volumes:\n  js: {}\n"})
    (component,) = report.components
    assert str(component.lifecycle) == "persistent"


JAEGER = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: jaeger, namespace: ns}
spec:
  replicas: 1
  template:
    spec:
      containers:
        - name: jaeger
          image: jaegertracing/all-in-one:latest
"""


def test_jaeger_all_in_one_keeps_spans_in_memory_by_default(audit_files: Auditor) -> None:
    report = audit_files(**{"jaeger.yaml": JAEGER})
    assert "IN_PROCESS_STORE" in rules_of(report, "jaeger")
    (finding,) = [f for f in report.findings if f.rule == "IN_PROCESS_STORE"]
    assert "SPAN_STORAGE_TYPE unset" in finding.message
    assert _loss(report) == "data"


def test_jaeger_told_to_use_another_backend_keeps_nothing_in_memory(audit_files: Auditor) -> None:
    told = JAEGER + "          env: [{name: SPAN_STORAGE_TYPE, value: elasticsearch}]\n"
    report = audit_files(**{"jaeger.yaml": told})
    assert "IN_PROCESS_STORE" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    ("service", "setting"),
    [
        ("image: axllent/mailpit\nports: ['8025:8025', '1025:1025']", "MP_DATABASE"),
        ("image: maildev/maildev:1.1.0", "MAILDEV_MAIL_DIRECTORY"),
        ("image: mailhog/mailhog", "MH_STORAGE"),
        ("image: localstack/localstack:3.0\nenvironment: [SERVICES=sns,sqs]", "PERSISTENCE"),
        ("image: openzipkin/zipkin", "STORAGE_TYPE"),
        ("image: jaegertracing/jaeger\nvolumes: [{type: tmpfs, target: /tmp}]", "--config"),
        # the counter demo run as its own key-value service
        ("image: ghcr.io/kumahq/kuma-counter-demo:latest", "KV_URL"),
        # DynamoDB Local on its image's own command (-inMemory)
        ("image: amazon/dynamodb-local:1.25.1\nports: ['8000:8000']", "-dbPath"),
    ],
)
def test_a_sink_keeping_what_it_is_sent_in_memory_by_default_loses_it(
    audit_files: Auditor, service: str, setting: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(service)})
    (finding,) = [f for f in report.findings if f.rule == "IN_PROCESS_STORE"]
    assert f"{setting} unset" in finding.message
    assert _loss(report) == "data"


@pytest.mark.parametrize(
    "service",
    [
        "image: axllent/mailpit\nenvironment: [MP_DATABASE=/data/mailpit.db]\nvolumes: [m:/data]",
        # the name older Mailpit releases documented, still read
        "image: axllent/mailpit\nenvironment: [MP_DATA_FILE=/data/mailpit.db]\nvolumes: [m:/data]",
        "image: localstack/localstack:3.0\nenvironment: {PERSISTENCE: '1'}\nvolumes: [m:/var/lib/localstack]",
        "image: jaegertracing/jaeger\ncommand: [--config, /etc/jaeger/config.yaml]",
        "image: jaegertracing/jaeger\ncommand: ['--config=file:/etc/jaeger/config.yaml']",
        # the counter demo's page, storing its counter in the key-value service it is given
        "image: ghcr.io/kumahq/kuma-counter-demo:latest\nenvironment: [KV_URL=http://kv:5050]",
        # DynamoDB Local told to write its database file on a volume
        "image: amazon/dynamodb-local\ncommand: [-jar, DynamoDBLocal.jar, -sharedDb, -dbPath, /data]\n"
        "volumes: [m:/data]",
    ],
)
def test_a_sink_told_where_to_keep_its_store_is_not_in_memory(
    audit_files: Auditor, service: str
) -> None:
    report = audit_files(**{"compose.yaml": _compose(service) + "volumes:\n  m: {}\n"})
    assert "IN_PROCESS_STORE" not in rules_of(report)


# LocalStack before 1.0 persisted exactly when DATA_DIR was set (utils/persistence.py at v0.14.3);
# ClearFlask's self-host file points it at /tmp/localstack/data under a bind of ./data/localstack.
_OLD_LOCALSTACK = "image: localstack/localstack:0.14.3\nenvironment: [SERVICES=dynamodb,s3{}]\n"


def test_a_localstack_told_its_data_dir_under_a_bind_keeps_its_data_there(
    audit_files: Auditor,
) -> None:
    service = _OLD_LOCALSTACK.format(",DATA_DIR=/tmp/localstack/data")
    report = audit_files(
        **{"compose.yaml": _compose(service + "volumes: [./data/ls:/tmp/localstack]")}
    )
    assert "IN_PROCESS_STORE" not in rules_of(report)
    (bind,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert "holding the data directory" in bind.message
    assert str(report.components[0].lifecycle) == "persistent"


def test_a_localstack_with_no_data_dir_binding_tmp_still_keeps_its_services_in_memory(
    audit_files: Auditor,
) -> None:
    service = _OLD_LOCALSTACK.format("")
    report = audit_files(
        **{"compose.yaml": _compose(service + "volumes: [./data/ls:/tmp/localstack]")}
    )
    assert "IN_PROCESS_STORE" in rules_of(report)
    (bind,) = [f for f in report.findings if f.rule == "COMPOSE_BIND"]
    assert "temporary files" in bind.message
    assert _loss(report) == "data"  # IN_PROCESS_STORE's


VOTES = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: voting}
spec:
  selector: {matchLabels: {app: voting}}
  template:
    metadata: {labels: {app: voting}}
    spec:
      containers:
        - name: voting-svc
          image: docker.l5d.io/buoyantio/emojivoto-voting-svc:v11
          env: [{name: GRPC_PORT, value: "8080"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: emoji}
spec:
  selector: {matchLabels: {app: emoji}}
  template:
    metadata: {labels: {app: emoji}}
    spec:
      containers:
        - {name: emoji-svc, image: docker.l5d.io/buoyantio/emojivoto-emoji-svc:v11}
"""


def test_a_service_keeping_its_records_in_process_memory_with_no_setting_loses_them(
    audit_files: Auditor,
) -> None:
    """emojivoto's voting service counts the votes in its process, with no other store to
    choose: whatever it is given, they go with the pod; its sibling serving a fixed list keeps
    nothing, and weighs less."""
    report = audit_files(**{"m.yaml": VOTES})
    by_name = {c.name: c for c in report.components}
    (finding,) = [f for f in report.findings if f.rule == "IN_PROCESS_STORE"]
    assert finding.component == by_name["voting"].id
    assert "no setting chooses another" in finding.message
    assert (str(by_name["voting"].loss), str(by_name["emoji"].loss)) == ("data", "none")
    assert by_name["voting"].gravity > by_name["emoji"].gravity


def test_seq_keeps_the_events_it_is_sent_in_its_data_directory(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": _compose("image: datalust/seq:latest")})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    kept = _compose("image: datalust/seq:latest\nvolumes: [logs:/data]") + "volumes: {logs: {}}\n"
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(audit_files(**{"compose.yaml": kept}))


FLUENTD = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluentd, namespace: kube-system}
spec:
  template:
    spec:
      containers:
        - name: fluentd
          image: %s
          volumeMounts: [{name: varlog, mountPath: /var/log}]
      volumes: [{name: varlog, hostPath: {path: /var/log}}]
"""


@pytest.mark.parametrize(
    "image",
    [
        "fluent/fluentd-kubernetes-daemonset:v1-debian-elasticsearch",
        "fluent/fluent-bit:3.0-opensearch",
        "docker.elastic.co/beats/filebeat:8.15.0",
        "grafana/promtail:3.0-loki",
    ],
)
def test_a_log_shipper_named_for_the_store_it_sends_to_is_not_that_store(
    audit_files: Auditor, image: str
) -> None:
    report = audit_files(**{"fluentd.yaml": FLUENTD % image})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) != "data"


PROXY = """
services:
  {name}:
    image: {image}
    volumes:
      - /srv/proxy/Caddyfile:/etc/caddy/Caddyfile
      - {store}
volumes: {{certs: {{}}}}
"""


@pytest.mark.parametrize(
    ("image", "store"),
    [
        ("caddy:2", "certs:/data"),
        ("lucaslorentz/caddy-docker-proxy:2.9", "certs:/data"),
        ("traefik:v3.1", "./letsencrypt/acme.json:/letsencrypt/acme.json"),
        ("certbot/certbot", "certs:/etc/letsencrypt"),
    ],
)
def test_an_acme_clients_certificates_are_issued_again(
    audit_files: Auditor, image: str, store: str
) -> None:
    """Certificates and account keys are issued again by the CA: rebuildable, not data. A
    writable bind of a configuration file from outside the project is no state either."""
    report = audit_files(**{"compose.yaml": PROXY.format(name="proxy", image=image, store=store)})
    (component,) = report.components
    assert (str(component.loss), str(component.lifecycle)) == (
        "rebuildable",
        "ephemeral-with-warm-up",
    ), component.explanation


TRAEFIK_V1 = """
services:
  proxy:
    image: traefik:1.7-alpine
    command: ["--docker", "--acme={acme}", "--acme.storage=acme.json", "--acme.entryPoint=https"]
    volumes:
      - ./acme.json:/acme.json
      - /var/run/docker.sock:/var/run/docker.sock
"""


@pytest.mark.parametrize(("acme", "loss"), [("false", "none"), ("true", "rebuildable")])
def test_a_traefik_told_not_to_use_acme_keeps_no_certificate(
    audit_files: Auditor, acme: str, loss: str
) -> None:
    """Traefik 1.x's ``--acme`` defaults to false: with ``--acme=false`` the bound acme.json
    stays as the project left it (no warm-up); with ACME on it holds certificates issued
    again."""
    (component,) = audit_files(**{"compose.yaml": TRAEFIK_V1.format(acme=acme)}).components
    assert str(component.loss) == loss, component.explanation


def test_other_volumes_of_an_unknown_proxy_stay_durable(audit_files: Auditor) -> None:
    text = PROXY.format(name="proxy", image="example/proxy:1", store="certs:/data")
    (component,) = audit_files(**{"compose.yaml": text}).components
    assert str(component.lifecycle) == "persistent"


KEYCLOAK = """
services:
  sso:
    image: quay.io/keycloak/keycloak:26.0.0
    command: [start-dev, --import-realm{flag}]
    volumes: ['./realm.json:/opt/keycloak/data/import/realm.json']
{env}"""


@pytest.mark.parametrize(
    ("flag", "env", "kept"),
    [
        ("", "", True),
        ("", "    environment: {KC_DB: postgres, KC_DB_URL_HOST: db}\n", False),
        (", --db=postgres", "", False),
    ],
)
def test_keycloak_keeps_its_realms_in_its_embedded_database_unless_given_a_server(
    audit_files: Auditor, flag: str, env: str, kept: bool
) -> None:
    """Keycloak's ``db`` defaults to ``dev-file`` (H2 under /opt/keycloak/data/h2): with no
    KC_DB or ``--db``, realms and users made after the import live in the container."""
    report = audit_files(**{"compose.yaml": KEYCLOAK.format(flag=flag, env=env)})
    found = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert bool(found) is kept
    assert all("/opt/keycloak/data/h2" in f.message and "KC_DB unset" in f.message for f in found)


SEATA = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: seata-server}}
spec:
  selector: {{matchLabels: {{app: seata}}}}
  template:
    metadata: {{labels: {{app: seata}}}}
    spec:
      containers:
        - name: seata-server
          image: apache/seata-server:latest
          ports: [{{containerPort: 8091}}]
{env}"""


@pytest.mark.parametrize(
    ("env", "kept"),
    [
        ("", True),
        ("          env: [{name: STORE_MODE, value: file}]\n", True),
        ("          env: [{name: STORE_MODE, value: db}]\n", False),
        ("          env: [{name: STORE_MODE, value: raft}]\n", False),
    ],
)
def test_seata_keeps_its_sessions_in_files_unless_given_another_store(
    audit_files: Auditor, env: str, kept: bool
) -> None:
    """Seata's server keeps its transaction sessions in ``sessionStore`` files when
    ``STORE_MODE`` is unset or ``file`` (its documented default, named here as well); told
    ``db`` or ``raft``, the sessions are in that store, and the pod keeps nothing of its own."""
    report = audit_files(**{"seata.yaml": SEATA.format(env=env)})
    found = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert bool(found) is kept
    assert all("/seata-server/sessionStore" in f.message for f in found)
    (component,) = report.components
    assert (str(component.loss) == "data") is kept, component.explanation


def test_keycloak_told_its_embedded_database_by_name_keeps_it(audit_files: Auditor) -> None:
    """``KC_DB=dev-file`` names the default embedded H2 database: the realms stay in the
    container as with no KC_DB at all, where ``KC_DB=postgres`` moves them out (above)."""
    env = "    environment: {KC_DB: dev-file}\n"
    report = audit_files(**{"compose.yaml": KEYCLOAK.format(flag="", env=env)})
    (found,) = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert "/opt/keycloak/data/h2" in found.message and "KC_DB=dev-file" in found.message


@pytest.mark.parametrize(
    ("tag", "vendor", "kept"),
    [
        ("latest", "postgres", False),  # the WildFly image's DB_VENDOR names its server
        ("12.0.4", "POSTGRES", False),
        ("12.0.4", "h2", True),  # its embedded H2, named
        ("26.0.0", "postgres", True),  # from 17 the image reads KC_DB alone
    ],
)
def test_keycloak_before_17_chose_its_database_by_db_vendor(
    audit_files: Auditor, tag: str, vendor: str, kept: bool
) -> None:
    """Keycloak's WildFly image (up to 16, ``latest`` until then) read ``DB_VENDOR``, else
    embedded H2; the Quarkus image ignores it."""
    env = f"    environment: {{DB_VENDOR: {vendor}, DB_ADDR: db}}\n"
    compose = KEYCLOAK.format(flag="", env=env).replace("26.0.0", tag)
    report = audit_files(**{"compose.yaml": compose})
    found = [f for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]
    assert bool(found) is kept


SQUIDEX = """
services:
  squidex:
    image: squidex/squidex:7
    environment: [STORE__MONGODB__CONFIGURATION=mongodb://mongo{env}]
    volumes: ['{bind}:/app/Assets']
  mongo:
    image: mongo:6
    volumes: ['./db:/data/db']
"""


@pytest.mark.parametrize(
    ("env", "kept"),
    [("", True), (", ASSETSTORE__TYPE=Folder", True), (", ASSETSTORE__TYPE=MongoDb", False)],
)
def test_squidex_keeps_uploaded_assets_in_its_folder_unless_told_another_store(
    audit_files: Auditor, env: str, kept: bool
) -> None:
    """Squidex's asset store defaults to the folder Assets under /app: a host folder bound
    there (named for configuration, /etc/squidex/assets) holds the uploaded files; told
    MongoDB's GridFS, the folder stays empty and the records are the database's."""
    text = SQUIDEX.format(env=env, bind="/etc/squidex/assets")
    report = audit_files(**{"compose.yaml": text})
    squidex = next(c for c in report.components if c.name == "squidex")
    assert (str(squidex.lifecycle) == "persistent") is kept, squidex.explanation
