"""What the audit takes for state, beyond an image name it knows, and what it does not.

Small hand-made estates, one class of evidence each (not copies of any held-out estate): a
project's own database images named with a prefix, a server known only by the URL scheme its
clients use, a node's directories mounted read-only as views.
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor


def _by_name(report: AuditReport) -> dict[str, str]:
    return {c.name: str(c.loss) for c in report.components}


BUILT = """
services:
  mongodb:
    build: {context: mongo}
    image: ${REPO:-shop}/shop-mongodb:${TAG:-1}
  orders:
    build: {context: orders}
    image: ${REPO:-shop}/shop-orders-mysql-db:${TAG:-1}
  etl:
    build: {context: etl}
    image: ${REPO:-shop}/etl-kafka:${TAG:-1}
  api:
    build: {context: api}
    image: ${REPO:-shop}/shop-api:${TAG:-1}
    depends_on: [mongodb, orders]
"""


def test_a_built_store_is_named_by_its_service(audit_files: Auditor) -> None:
    """A project prefixes its own images; the service name still says what runs. A later word
    of a built image's name (``etl-kafka``) still qualifies the project's own program."""
    losses = _by_name(audit_files(**{"compose.yaml": BUILT}))
    assert losses["mongodb"] == "data"
    assert losses["orders"] == "none"  # neither its first word nor its service name is a family
    assert losses["etl"] == "none"
    assert losses["api"] == "none"


SCHEMES = """
services:
  docstore:
    image: example/document-store:0.112
  edge:
    image: example/edge:1
    environment: {UPSTREAM: "postgres://main-db:5432/app"}
  main-db:
    image: example/main-db:1
  front:
    image: example/pgcat:1
  api:
    image: example/api:1
    environment:
      ORDER_DB_URI: mongodb://docstore:10260/
      DATABASE_URL: postgres://app@edge:6432/app
      REPORTS_URL: postgresql://front:6432/reports
"""


def test_a_server_is_known_by_the_url_scheme_its_clients_use(audit_files: Auditor) -> None:
    """``mongodb://docstore:10260/`` names the protocol, so docstore is a MongoDB-compatible
    server on its own port; a service that itself reaches the same engine forwards to it (a
    pooler), and an image named as a pooler is one."""
    report = audit_files(**{"compose.yaml": SCHEMES})
    losses = _by_name(report)
    assert losses["docstore"] == "data"
    docstore = next(c for c in report.components if c.name == "docstore")
    (finding,) = [f for f in report.findings_for(docstore.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert finding.message.startswith("mongo database image example/document-store:0.112")
    assert losses["edge"] == "none"
    assert losses["front"] == "none"
    assert losses["main-db"] == "data"  # reached by port and named a database


NODE_VIEWS = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter, namespace: ns}
spec:
  template:
    spec:
      containers:
        - name: exporter
          image: example/node-exporter:1
          volumeMounts:
            - {name: proc, mountPath: /host/proc, readOnly: true}
            - {name: logs, mountPath: /var/log, readOnly: true}
            - {name: spool, mountPath: /var/lib/shipper}
      volumes:
        - {name: proc, hostPath: {path: /proc}}
        - {name: logs, hostPath: {path: /var/log}}
        - {name: spool, hostPath: {path: /var/lib/shipper}}
"""


def test_a_read_only_host_path_is_a_view_of_the_node(audit_files: Auditor) -> None:
    """Read-only views (``/proc``, the node's logs) are nothing the component writes; the
    directory it writes on the node is durable state."""
    report = audit_files(**{"ds.yaml": NODE_VIEWS})
    effects = sorted(
        (f.message.split("'")[1], str(report.effect_of(f)))
        for f in report.findings
        if f.rule == "HOSTPATH"
    )
    assert effects == [("/proc", "context"), ("/var/lib/shipper", "durable"),
                       ("/var/log", "context")]  # fmt: skip


ANONYMOUS = """
services:
  db:
    image: postgres:16
    volumes: ["/var/lib/postgresql/data"]
  app:
    image: example/app:1
    environment: {UPLOAD_DIR: /srv/uploads}
    volumes: ["/srv/uploads", "/tmp/scratch"]
  kept:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
volumes: {pg: {}}
"""


def test_a_data_directory_on_an_anonymous_volume_is_lost(audit_files: Auditor) -> None:
    """``down -v``, ``up -V`` or a new container do not keep an anonymous volume: a database's
    or an application's data there is lost on replace, a named volume's is not."""
    report = audit_files(**{"compose.yaml": ANONYMOUS})
    assert _by_name(report) == {"db": "data", "app": "data", "kept": "none"}
    messages = [f.message for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert len(messages) == 2 and all("anonymous volume" in m for m in messages)


ASKED_FOR = """
services:
  site:
    image: example/site:1
    volumes: ["/htdocs"]
  dev:
    image: example/api:1
    volumes: ["./:/usr/src/app", "/usr/src/app/dist"]
  deps:
    image: example/api:1
    volumes: ["/usr/src/app/node_modules/", "/var/log/api"]
"""


def test_a_directory_the_compose_file_gives_an_anonymous_volume_holds_the_apps_data(
    audit_files: Auditor,
) -> None:
    """An anonymous volume written at an application's directory is there for it to outlive
    the container, and ``down -v`` drops it; one masking part of a bound checkout, or at
    dependencies or logs, holds nothing of the application's."""
    report = audit_files(**{"compose.yaml": ASKED_FOR})
    assert _by_name(report) == {"site": "data", "dev": "none", "deps": "none"}
    (message,) = [f.message for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert "/htdocs" in message and "own anonymous volume" in message
