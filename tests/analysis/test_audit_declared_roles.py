"""What an estate declares about its own stores: a LinuxServer image's data directory, a node's
run-time directory, a search engine named as a full-text index, a folder named for its service.

Small synthetic estates, each with the case the rule must not change beside it.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor, deployment


def _component(report: AuditReport, name: str):  # noqa: ANN202 - the report's own type
    return next(c for c in report.components if c.name == name)


def _effects(report: AuditReport, name: str, rule: str) -> set[Effect]:
    component = _component(report, name)
    return {report.effect_of(f) for f in report.findings_for(component.id) if f.rule == rule}


LINUXSERVER = """
services:
  db:
    image: lscr.io/linuxserver/mariadb:11
    volumes: ["./db:/config"]
  bare:
    image: lscr.io/linuxserver/mariadb:11
  upstream:
    image: mariadb:11
    volumes: ["./other:/config"]
"""


def test_a_linuxserver_database_keeps_its_data_under_config(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": LINUXSERVER})
    rules = {c.name: {f.rule for f in report.findings_for(c.id)} for c in report.components}
    # LinuxServer's MariaDB keeps /config/databases: a bind there holds its data.
    assert "DATA_IMAGE_NO_VOLUME" not in rules["db"]
    assert _effects(report, "db", "COMPOSE_BIND") == {Effect.DURABLE}
    # With nothing at /config it still loses its data; the upstream image keeps /var/lib/mysql.
    assert "DATA_IMAGE_NO_VOLUME" in rules["bare"]
    assert "DATA_IMAGE_NO_VOLUME" in rules["upstream"]


REPACKAGED = """
services:
  db:
    image: docker.io/nfrastack/mariadb:10.11
    volumes: ["./db:/data"]
  bare:
    image: nfrastack/mariadb:10.11
  upstream:
    image: mariadb:11
    volumes: ["./other:/data"]
"""


def test_a_repackaged_database_keeps_its_data_where_its_vendor_puts_it(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": REPACKAGED})
    rules = {c.name: {f.rule for f in report.findings_for(c.id)} for c in report.components}
    # Nfrastack's MariaDB keeps its datafiles in DATA_PATH, /data: a bind there holds them.
    assert "DATA_IMAGE_NO_VOLUME" not in rules["db"]
    assert _effects(report, "db", "COMPOSE_BIND") == {Effect.DURABLE}
    assert "DATA_IMAGE_NO_VOLUME" in rules["bare"]
    assert "DATA_IMAGE_NO_VOLUME" in rules["upstream"]


def _host_path(name: str, path: str, target: str) -> str:
    pod = f"volumes: [{{name: v, hostPath: {{path: {path}, type: DirectoryOrCreate}}}}]"
    text = deployment(name, pod, image="example/agent:1")
    return text + f"          volumeMounts: [{{name: v, mountPath: {target}}}]\n"


def test_a_host_run_time_directory_holds_no_state(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "agent.yaml": _host_path("agent", "/run/agent/sockets", "/run/agent/sockets"),
            "keeper.yaml": _host_path("keeper", "/srv/keeper", "/var/lib/keeper"),
        }
    )
    # The node clears /run at boot: a socket directory, nothing kept there.
    assert _effects(report, "agent", "HOSTPATH") == {Effect.CONTEXT}
    assert str(_component(report, "agent").lifecycle) == "ephemeral-safe"
    assert _effects(report, "keeper", "HOSTPATH") == {Effect.DURABLE}


FULLTEXT = """
services:
  app:
    image: example/docs:1
    environment:
      APP_JDBC_URL: "jdbc:postgresql://db:5432/docs"
      APP_FULL__TEXT__SEARCH_SOLR_URL: "http://solr:8983/solr/docs"
  front:
    image: example/docs-front:1
    environment: {{ELASTIC_URL: "http://elastic:9200", SOLR_URL: "http://solr:8983"}}
  indexer:
    image: example/docs-indexer:1
    environment: {{DB_URL: "postgres://db:5432/docs", FULLTEXT_DB_URL: "http://elastic:9200"}}
  shipper:
    image: example/shipper:1
    environment: {{{variable}: "http://logs:9200"}}
  db:
    image: postgres:17
    volumes: ["pg:/var/lib/postgresql/data"]
  solr:
    image: solr:9
    volumes: ["solr:/var/solr"]
  elastic:
    image: elasticsearch:8.15.0
    volumes: ["es:/usr/share/elasticsearch/data"]
  logs:
    image: elasticsearch:8.15.0
    volumes: ["logs:/usr/share/elasticsearch/data"]
volumes: {{pg: {{}}, solr: {{}}, es: {{}}, logs: {{}}}}
"""


def test_a_search_engine_named_as_a_full_text_index_is_rebuilt(audit_files: Auditor) -> None:
    """Solr and Elasticsearch named by their feeders as the full-text index of records those
    keep in a database (a JDBC URL too) are rebuilt; a reader (``front``) need not keep any.
    An Elasticsearch its client names only as a place to send logs keeps the only copy."""
    report = audit_files(**{"compose.yaml": FULLTEXT.format(variable="LOGS_INDEX_URL")})
    assert _effects(report, "solr", "COMPOSE_NAMED_VOLUME") == {Effect.WARM_UP}
    assert _effects(report, "elastic", "COMPOSE_NAMED_VOLUME") == {Effect.WARM_UP}
    assert str(_component(report, "elastic").loss) == "rebuildable"
    assert _component(report, "db").gravity > _component(report, "elastic").gravity
    # The shipper keeps nothing of its own: what it indexes has no other copy.
    assert _effects(report, "logs", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}
    plain = audit_files(**{"compose.yaml": FULLTEXT.format(variable="ELASTICSEARCH_URL")})
    assert _effects(plain, "logs", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}


NAMED_FOLDER = """
services:
  api:
    image: example/ml:1
    command: ["apiserver"]
    environment: {ARTIFACTS_PATH: /mnt/fileserver}
    depends_on: [fileserver]
    ports: ["8008:8008"]
    volumes: ["/opt/ml/fileserver:/mnt/fileserver"]
  fileserver:
    image: example/ml:1
    command: ["fileserver"]
    ports: ["8081:8081"]
    volumes: ["/opt/ml/fileserver:/mnt/fileserver"]
  web:
    image: example/shop:1
    environment: {MEDIA_PATH: /srv/shared}
    volumes: ["/opt/shop/shared:/srv/shared"]
  cron:
    image: example/shop-cron:1
    volumes: ["/opt/shop/shared:/srv/shared"]
  sqlite:
    image: busybox:1
    command: "chmod -R 777 /mnt/sqlite"
    volumes: ["auth-db:/mnt/sqlite"]
  auth:
    image: example/auth:1
    environment: {DSN: "sqlite:///mnt/sqlite/db.sqlite"}
    ports: ["4444:4444"]
    volumes: ["auth-db:/mnt/sqlite"]
volumes: {auth-db: {}}
"""


def test_a_shared_folder_named_for_one_service_is_that_services(audit_files: Auditor) -> None:
    """The file server keeps ``/mnt/fileserver`` although the API server's environment points
    there; where no folder is named for a service, the one whose environment names it keeps
    it. A step that prepares a folder named for what it holds (``sqlite``) keeps none of it."""
    report = audit_files(**{"compose.yaml": NAMED_FOLDER})
    assert _effects(report, "auth", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}
    assert _effects(report, "fileserver", "COMPOSE_BIND") == {Effect.DURABLE}
    assert _effects(report, "api", "COMPOSE_BIND") == {Effect.CONTEXT}
    assert _effects(report, "web", "COMPOSE_BIND") == {Effect.DURABLE}
    assert _effects(report, "cron", "COMPOSE_BIND") == {Effect.CONTEXT}


NAMED_VOLUME = """
name: radio
services:
  scheduler:
    image: example/radio:1
    volumes: ["radio_scheduler:/app"]
  streamer:
    image: example/radio:1
    command: ["/usr/local/bin/radio-stream"]
    ports: ["8001:8001"]
    volumes: ["radio_scheduler:/app"]
  mixer:
    image: example/radio:1
    command: ["/usr/local/bin/radio-mix"]
    ports: ["8002:8002"]
    volumes: ["shared_work:/app"]
  player:
    image: example/radio:1
    volumes: ["shared_work:/app"]
volumes: {radio_scheduler: {}, shared_work: {}}
"""


def test_a_shared_volume_named_for_one_service_is_that_services(audit_files: Auditor) -> None:
    """``radio_scheduler`` (the project's name, then the service's) is the scheduler's, though
    the scheduler serves nothing and the streamer, of the same image, publishes ports; the same
    pair sharing a volume named for neither is left to both, as before."""
    report = audit_files(**{"compose.yaml": NAMED_VOLUME})
    assert _effects(report, "scheduler", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}
    assert _effects(report, "streamer", "COMPOSE_NAMED_VOLUME") == {Effect.CONTEXT}
    assert _effects(report, "mixer", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}
    assert _effects(report, "player", "COMPOSE_NAMED_VOLUME") == {Effect.DURABLE}


def _claimed(name: str, image: str, target: str, claim: str = "www") -> str:
    pod = f"volumes: [{{name: www, persistentVolumeClaim: {{claimName: {claim}}}}}]"
    text = deployment(name, pod, image=image)
    return text + f"          volumeMounts: [{{name: www, mountPath: {target}}}]\n"


CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: www, namespace: ns}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_a_web_server_on_a_claim_another_workload_writes_holds_none_of_it(
    audit_files: Auditor,
) -> None:
    """nginx serving the files a PHP application keeps on their shared claim; alone on its
    claim, nginx's mount is its own."""
    report = audit_files(
        **{
            "claim.yaml": CLAIM,
            "app.yaml": _claimed("app", "example/webmail-fpm:1", "/var/www/html"),
            "web.yaml": _claimed("web", "nginx:1.27-alpine", "/var/www/html"),
            "solo.yaml": _claimed("solo", "nginx:1.27-alpine", "/var/www/html", claim="site"),
        }
    )
    assert _effects(report, "web", "PVC") == {Effect.CONTEXT}
    assert _effects(report, "app", "PVC") == {Effect.DURABLE}
    assert _effects(report, "solo", "PVC") == {Effect.DURABLE}


def _indexer(db_variable: str) -> str:
    urls = 'data: {FULLTEXT_DB_URL: "http://elastic:9200"}'
    service = "spec: {selector: {app: elastic}, ports: [{port: 9200}]}"
    secret = "{secretKeyRef: {name: creds, key: url}}"
    config = "{configMapKeyRef: {name: urls, key: FULLTEXT_DB_URL}}"
    return (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: urls, namespace: ns}}\n{urls}\n---\n"
        f"apiVersion: v1\nkind: Service\nmetadata: {{name: elastic, namespace: ns}}\n{service}\n"
        f"---\n{deployment('indexer', image='example/indexer:1')}"
        f"          env: [{{name: {db_variable}, valueFrom: {secret}}},\n"
        f"                {{name: FULLTEXT_DB_URL, valueFrom: {config}}}]\n"
    )


def test_kubernetes_references_say_an_engine_is_an_index_of_a_database(
    audit_files: Auditor,
) -> None:
    """The indexer takes the engine's URL from a ConfigMap and its database URL from a Secret
    (whose host is never read, but whose variable says "database"): the engine holds an index.
    A client whose Secret holds no database URL may keep nothing of its own."""
    engine = _claimed("elastic", "elasticsearch:8.15.0", "/usr/share/elasticsearch/data")
    report = audit_files(**{"claim.yaml": CLAIM, "engine.yaml": engine,
                            "indexer.yaml": _indexer("DB_URL")})  # fmt: skip
    assert _effects(report, "elastic", "PVC") == {Effect.WARM_UP}
    token = audit_files(**{"indexer.yaml": _indexer("API_TOKEN")})
    assert _effects(token, "elastic", "PVC") == {Effect.DURABLE}
