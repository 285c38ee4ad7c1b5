"""Search engines fed by applications that keep their records elsewhere hold a rebuilt index.

Small synthetic estates: an application with its own files or database and the search engine it
feeds, against a search engine only a dashboard reads (the only copy of what it was sent).
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor

FED = """
services:
  app:
    image: example/notes:1
    environment: {{DATA_DIR: /data, SEARCH_ADDR: "http://{engine}:{port}"}}
    volumes: ["notes:/data"]
  {engine}:
    image: {image}
    volumes: ["index:{directory}"]
  dashboard:
    image: example/dashboard:1
    environment: {{BACKEND_URL: "http://logs:9200"}}
  logs:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    volumes: ["logs:/usr/share/elasticsearch/data"]
volumes: {{notes: {{}}, index: {{}}, logs: {{}}}}
"""

ENGINES = [
    ("meili", "getmeili/meilisearch:v1.10", "/meili_data", 7700),
    ("search", "typesense/typesense:27.1", "/data", 8108),
]


def _volume_effects(report: AuditReport, name: str) -> set[Effect]:
    component = next(c for c in report.components if c.name == name)
    return {
        report.effect_of(f)
        for f in report.findings_for(component.id)
        if f.rule == "COMPOSE_NAMED_VOLUME"
    }


@pytest.mark.parametrize(("engine", "image", "directory", "port"), ENGINES)
def test_a_search_engine_fed_by_an_app_keeping_its_records_is_a_rebuilt_index(
    audit_files: Auditor, engine: str, image: str, directory: str, port: int
) -> None:
    text = FED.format(engine=engine, image=image, directory=directory, port=port)
    report = audit_files(**{"compose.yaml": text})
    components = {c.name: c for c in report.components}
    assert _volume_effects(report, engine) == {Effect.WARM_UP}
    assert str(components[engine].loss) == "rebuildable"
    # The application keeping the records outweighs the index it feeds.
    assert components["app"].gravity > components[engine].gravity > 0


def test_a_search_engine_whose_clients_keep_nothing_holds_the_only_copy(
    audit_files: Auditor,
) -> None:
    """Elasticsearch read by a dashboard keeps the only copy of the logs it was sent; and a
    general search store stays durable even when a record-keeping app feeds it (Graylog keeps
    its settings in MongoDB and its messages only in OpenSearch)."""
    text = FED.format(
        engine="search", image="opensearchproject/opensearch:2",
        directory="/usr/share/opensearch/data", port=9200,
    )  # fmt: skip
    report = audit_files(**{"compose.yaml": text})
    assert _volume_effects(report, "logs") == {Effect.DURABLE}
    assert _volume_effects(report, "search") == {Effect.DURABLE}


CLAIMED = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, namespace: ns}
spec:
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
        - name: app
          image: example/shop:1
          env:
            - {name: DATABASE_URL, value: "postgres://shop@db:5432/shop"}
            - {name: SEARCH_URL, value: "http://search:8108"}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: search, namespace: ns}
spec:
  template:
    metadata: {labels: {app: search}}
    spec:
      containers:
        - {name: search, image: "typesense/typesense:27.1", args: ["--data-dir", "/data"],
           volumeMounts: [{name: data, mountPath: /data}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
---
apiVersion: v1
kind: Service
metadata: {name: search, namespace: ns}
spec: {selector: {app: search}, ports: [{port: 8108}]}
"""


def test_a_claimed_index_of_an_app_that_reaches_a_database_is_rebuilt(audit_files: Auditor) -> None:
    report = audit_files(**{"k8s.yaml": CLAIMED})
    search = next(c for c in report.components if c.name == "search")
    effects = {report.effect_of(f) for f in report.findings_for(search.id) if f.rule == "STS_VCT"}
    assert effects == {Effect.WARM_UP}
    assert str(search.loss) == "rebuildable" and search.lifecycle == "ephemeral-with-warm-up"


UNMOUNTED = """
services:
  shop:
    image: example/shop:1
    environment: {DATABASE_URL: "mysql://shop@db:3306/shop", MEILI_HOST: "http://find:7700"}
  find:
    image: getmeili/meilisearch:v1.10
  db:
    image: mysql:8
    volumes: ["db:/var/lib/mysql"]
volumes: {db: {}}
"""


def test_an_index_on_no_volume_loses_only_what_is_re_indexed(audit_files: Auditor) -> None:
    report = audit_files(**{"compose.yaml": UNMOUNTED})
    find = next(c for c in report.components if c.name == "find")
    (found,) = [f for f in report.findings_for(find.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert report.effect_of(found) is Effect.WARM_UP and str(found.severity) == "low"
    assert "search index of the records shop keeps elsewhere" in found.message
    assert str(find.loss) == "rebuildable"


DECLARED = """
services:
  app:
    image: example/bookmarks:1
    environment: {DATABASE_URL: "postgresql://u:p@db:5432/app"}
    depends_on: [db, meili]
  db:
    image: postgres:16
    volumes: ["./pgdata:/var/lib/postgresql/data"]
  meili:
    image: getmeili/meilisearch:v1.13
    volumes: ["./meili_data:/meili_data"]
"""


def test_a_service_declaring_it_needs_a_search_engine_is_its_client(audit_files: Auditor) -> None:
    """No variable names the engine (its address is in a file the estate does not hold, or a
    default of the program); ``depends_on`` still says who feeds it: an application that keeps its records in a database it reaches."""
    report = audit_files(**{"compose.yaml": DECLARED})
    components = {c.name: c for c in report.components}
    assert str(components["meili"].loss) == "rebuildable", components["meili"].explanation
    assert components["db"].gravity > components["meili"].gravity > 0


ALONE = """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: find, namespace: ns}
spec:
  template:
    metadata: {labels: {app: find}}
    spec:
      containers:
        - {name: find, image: "{image}", volumeMounts: [{name: data, mountPath: "{directory}"}]}
      volumes: [{name: data, emptyDir: {}}]
"""


@pytest.mark.parametrize(("image", "directory"), [
    ("getmeili/meilisearch:v1.10", "/meili_data"),
    ("typesense/typesense:27.1", "/data"),
])  # fmt: skip
def test_an_application_search_engine_no_workload_feeds_is_an_index(
    audit_files: Auditor, image: str, directory: str
) -> None:
    """Installed on its own (a chart of the engine alone), an application's search engine is
    fed from the application's primary database, as its publisher documents: on an emptyDir and
    in a StatefulSet without claims it loses what is re-indexed, not data."""
    text = ALONE.replace("{image}", image).replace("{directory}", directory)
    report = audit_files(**{"k8s.yaml": text})
    (find,) = report.components
    rules = {f.rule: f for f in report.findings_for(find.id)}
    for rule in ("DATA_ON_EPHEMERAL", "STS_NO_PERSISTENCE"):
        assert report.effect_of(rules[rule]) is Effect.WARM_UP, rule
        assert str(rules[rule].severity) == "low", rule
    assert str(find.loss) == "rebuildable"


def test_a_general_search_store_no_workload_feeds_may_hold_the_only_copy(
    audit_files: Auditor,
) -> None:
    """Elasticsearch is as often the only store of what it is sent: alone, it stays data."""
    text = ALONE.replace("{image}", "docker.elastic.co/elasticsearch/elasticsearch:8.15.0")
    report = audit_files(
        **{"k8s.yaml": text.replace("{directory}", "/usr/share/elasticsearch/data")}
    )
    (search,) = report.components
    (found,) = [f for f in report.findings_for(search.id) if f.rule == "DATA_ON_EPHEMERAL"]
    assert report.effect_of(found) is Effect.LOSS and str(found.severity) == "high"
    assert str(search.loss) == "data"


def test_an_application_search_engine_fed_by_a_client_keeping_nothing_holds_data(
    audit_files: Auditor,
) -> None:
    """A client that keeps nothing of its own leaves the engine the only copy of what it sent."""
    text = """
services:
  shipper:
    image: example/shipper:1
    environment: {MEILI_HOST: "http://find:7700"}
  find:
    image: getmeili/meilisearch:v1.10
"""
    report = audit_files(**{"compose.yaml": text})
    find = next(c for c in report.components if c.name == "find")
    (found,) = [f for f in report.findings_for(find.id) if f.rule == "DATA_IMAGE_NO_VOLUME"]
    assert report.effect_of(found) is Effect.LOSS and str(found.severity) == "high"
