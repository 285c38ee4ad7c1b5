"""A setting choosing a search engine as an application's index makes the engines it reaches
that application's index, rebuilt from the records it keeps elsewhere.

Small synthetic estates, each beside the case the reading must not change: a setting naming a
database as the search backend, a store of spans chosen by a storage setting, a chooser that keeps
no records of its own.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect
from stateward.analysis.audit.search_backends import selects_search_backend

from .conftest import Auditor


def _component(report: AuditReport, name: str):  # noqa: ANN202 - the report's own type
    return next(c for c in report.components if c.name == name)


def _volume_effects(report: AuditReport, name: str) -> set[Effect]:
    component = _component(report, name)
    return {
        report.effect_of(f)
        for f in report.findings_for(component.id)
        if f.rule == "COMPOSE_NAMED_VOLUME"
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SEARCH_TYPE", "elasticsearch"),
        ("search.type", "elasticsearch"),
        ("conductor.indexing.type", "elasticsearch"),
        ("conductor.indexing.type", "opensearch2"),
        ("ISSUE_INDEXER_TYPE", "elasticsearch"),
        ("GITEA__indexer__REPO_INDEXER_TYPE", "meilisearch"),
        ("index.search.backend", "elasticsearch"),
        ("index.type", "ELASTICSEARCH"),
        ("APP_SEARCH_ENGINE", "solr"),
        ("ELASTICSEARCH_INDEX", "superdesk"),  # the one index the application writes
        ("CONTENTAPI_ELASTICSEARCH_INDEX", "contentapi"),
        ("OPENSEARCH_INDEX_NAME", "catalogue"),
    ],
)
def test_settings_choosing_a_search_engine_as_the_index(name: str, value: str) -> None:
    assert selects_search_backend(name, value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SEARCH_TYPE", "database"),  # FusionAuth's own database search
        ("conductor.indexing.type", "postgres"),  # an index kept in the database
        ("ISSUE_INDEXER_TYPE", "bleve"),  # an embedded index
        ("SPAN_STORAGE_TYPE", "elasticsearch"),  # Jaeger: the only copy of the spans
        ("STORAGE_TYPE", "elasticsearch"),  # Zipkin: the same
        ("ELASTICSEARCH_URL", "elasticsearch"),  # where, not which
        ("SEARCH", "elasticsearch"),  # no word choosing a kind
        ("TYPE", "elasticsearch"),  # no search or index word
        ("SEARCH_TYPE", "elasticsearch://es:9200"),  # an address, not an engine's name
        ("ES_INDEX", "zipkin"),  # Zipkin's prefix of daily span indices
        ("ELASTICSEARCH_INDEX_PREFIX", "logs"),  # a prefix of indices rolled by date
        ("ELASTICSEARCH_INDEX", ""),  # no name given
        ("INDEX", "superdesk"),  # no engine named
    ],
)
def test_settings_that_choose_no_search_index(name: str, value: str) -> None:
    assert not selects_search_backend(name, value)


CHOSEN = """
services:
  app:
    image: example/identity:1
    environment:
      DATABASE_URL: "jdbc:postgresql://db:5432/identity"
      SEARCH_SERVERS: "http://search:9200"
      SEARCH_TYPE: "{search_type}"
    depends_on: [db, search]
  db:
    image: postgres:16
    volumes: ["pg:/var/lib/postgresql/data"]
  search:
    image: opensearchproject/opensearch:2.11.0
    volumes: ["search:/usr/share/opensearch/data"]
  collector:
    image: example/tracing-collector:1
    environment: {{SPAN_STORAGE_TYPE: elasticsearch, ES_SERVER_URLS: "http://spans:9200"}}
  spans:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    volumes: ["spans:/usr/share/elasticsearch/data"]
volumes: {{pg: {{}}, search: {{}}, spans: {{}}}}
"""


def test_an_engine_chosen_as_the_index_of_records_kept_in_a_database_is_rebuilt(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": CHOSEN.format(search_type="elasticsearch")})
    assert _volume_effects(report, "search") == {Effect.WARM_UP}
    assert str(_component(report, "search").loss) == "rebuildable"
    # The database the index is rebuilt from outweighs it (they tied before).
    assert _component(report, "db").gravity > _component(report, "search").gravity > 0
    # A collector storing spans in Elasticsearch keeps its only copy there.
    assert _volume_effects(report, "spans") == {Effect.DURABLE}


def test_an_engine_not_chosen_by_a_setting_stays_durable(audit_files: Auditor) -> None:
    """With the database chosen for search, the engine's URL alone says nothing of its role."""
    report = audit_files(**{"compose.yaml": CHOSEN.format(search_type="database")})
    assert _volume_effects(report, "search") == {Effect.DURABLE}
    # still an engine beside the database its client keeps records in: held one below it
    # (lifecycle.indexed), not rated as an index
    assert _component(report, "db").gravity == _component(report, "search").gravity + 1


KEEPS_NOTHING = """
services:
  app:
    image: example/notes:1
    environment: {SEARCH_SERVERS: "http://search:9200", SEARCH_TYPE: elasticsearch}
  search:
    image: opensearchproject/opensearch:2.11.0
    volumes: ["search:/usr/share/opensearch/data"]
volumes: {search: {}}
"""


def test_an_engine_chosen_by_a_client_keeping_no_records_holds_the_only_copy(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"compose.yaml": KEEPS_NOTHING})
    assert _volume_effects(report, "search") == {Effect.DURABLE}


BOUND = """
services:
  forge:
    image: example/forge:1
    volumes: ["forge:/data", "./app.ini:/etc/forge/app.ini:ro"]
    depends_on: [es]
  es:
    image: docker.elastic.co/elasticsearch/elasticsearch:8.15.0
    volumes: ["es:/usr/share/elasticsearch/data"]
volumes: {forge: {}, es: {}}
"""

INI = """
[indexer]
ISSUE_INDEXER_TYPE = {indexer}
ISSUE_INDEXER_CONN_STR = http://es:9200
"""


@pytest.mark.parametrize(
    ("indexer", "effect"), [("elasticsearch", Effect.WARM_UP), ("bleve", Effect.DURABLE)]
)
def test_the_choice_in_a_bound_configuration_file(
    audit_files: Auditor, indexer: str, effect: Effect
) -> None:
    """An INI file the client binds chooses its index as a variable does; a file choosing an
    embedded index leaves the engine it also reaches as it was."""
    report = audit_files(**{"compose.yaml": BOUND, "app.ini": INI.format(indexer=indexer)})
    assert _volume_effects(report, "es") == {effect}


BUILT_IN = """
services:
  server:
    image: {image}
    build: {{context: ., dockerfile: server/Dockerfile}}
    environment: [CONFIG_PROP=config-redis.properties]
    links: ["kv:rs", "search:es"]
    depends_on: [kv, search]
  kv:
    image: redis:7-alpine
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.11
    volumes: ["esdata:/usr/share/elasticsearch/data"]
  dashboards:
    image: docker.elastic.co/kibana/kibana:7.17.11
    depends_on: [search]
volumes: {{esdata: {{}}}}
"""


@pytest.mark.parametrize("image", ["conductor:server", "conductoross/conductor:3.21.0"])
def test_an_engine_an_image_indexes_into_by_its_built_in_configuration_is_rebuilt(
    audit_files: Auditor, image: str
) -> None:
    """Conductor's image picks the engine as its index in a file built into it: nothing in the
    deployment says so, and its records sit in the key-value store, which then outweighs the
    engine; a dashboard reading the engine feeds it nothing."""
    report = audit_files(**{"compose.yaml": BUILT_IN.format(image=image)})
    assert _volume_effects(report, "search") == {Effect.WARM_UP}
    search, kv = _component(report, "search"), _component(report, "kv")
    assert (str(search.loss), str(kv.loss)) == ("rebuildable", "data")
    assert kv.gravity > search.gravity > 0


def test_an_engine_an_unknown_image_reaches_stays_durable(audit_files: Auditor) -> None:
    """The same shape with an application the catalogue does not know: the engine may be its
    only database (Exceptionless keeps every event in Elasticsearch, Redis its cache and queues),
    so it keeps its records and outweighs the store."""
    report = audit_files(**{"compose.yaml": BUILT_IN.format(image="example/events:1")})
    assert _volume_effects(report, "search") == {Effect.DURABLE}
    assert _component(report, "search").gravity > _component(report, "kv").gravity


NAMED = """
services:
  server:
    image: example/newsroom:1
    environment:
      MONGO_URI: mongodb://mongodb/newsroom
      ELASTICSEARCH_URL: http://elastic:9200
      {index}
    depends_on: [mongodb, elastic]
  mongodb:
    image: mongo:4
  elastic:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.10.1
"""


def test_an_index_named_by_a_client_keeping_its_records_in_a_database_is_rebuilt(
    audit_files: Auditor,
) -> None:
    """Superdesk's shape: no volume anywhere; the engine the server names its index in is
    re-indexed from MongoDB, the database's loss stays data."""
    report = audit_files(**{"compose.yaml": NAMED.format(index="ELASTICSEARCH_INDEX: newsroom")})
    assert str(_component(report, "elastic").loss) == "rebuildable"
    assert str(_component(report, "mongodb").loss) == "data"
    unnamed = audit_files(**{"compose.yaml": NAMED.format(index="LOG_LEVEL: info")})
    assert str(_component(unnamed, "elastic").loss) == "data"


CATALOGUED = """
services:
  web:
    image: {image}
    environment: [ELASTICSEARCH_BASE_URI=http://search:9200, PMF_DB_HOST=db]
    depends_on: [db, search]
  db:
    image: mariadb:11
    volumes: ["db:/var/lib/mysql"]
  search:
    image: elasticsearch:8.16.5
    volumes: ["esdata:/usr/share/elasticsearch/data"]
volumes: {{db: {{}}, esdata: {{}}}}
"""


@pytest.mark.parametrize(
    ("image", "effect"),
    [
        ("phpmyfaq/phpmyfaq:4.0", Effect.WARM_UP),  # re-imports every FAQ from its database
        ("rotheross/otobo:latest-10_1", Effect.WARM_UP),  # re-indexes tickets from its database
        ("example/faq:1", Effect.DURABLE),  # unknown: the engine may be its only store
    ],
)
def test_an_application_known_to_index_its_database_into_the_engine(
    audit_files: Auditor, image: str, effect: Effect
) -> None:
    report = audit_files(**{"compose.yaml": CATALOGUED.format(image=image)})
    assert _volume_effects(report, "search") == {effect}
    assert _volume_effects(report, "db") == {Effect.DURABLE}
