"""A search engine weighs less than the database its own clients keep their records in.

The held-out estates bagisto (MySQL and Elasticsearch), dataverse-k8s (PostgreSQL and Solr) and
onyx (PostgreSQL and OpenSearch) ranked the index above or level with the database; these small
estates have the same shape, with the counter-cases of an engine fed by a log shipper and of an
engine beside a Redis (either may hold the only copy of what they were sent).
"""

from __future__ import annotations

from stateward.analysis.audit import AuditReport
from stateward.analysis.audit.lifecycle import indexed

from .conftest import Auditor

SHOP = """
services:
  shop:
    image: example/shop:1
    environment: {{DB_HOST: db, SEARCH_HOST: "http://search:9200"}}
    depends_on: [db, search]
  db:
    image: {database}
{db_volumes}
  search:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    volumes: ["index:/usr/share/elasticsearch/data"]
  kibana:
    image: docker.elastic.co/kibana/kibana:7.17.0
    environment: {{ELASTICSEARCH_HOSTS: "http://search:9200"}}
    depends_on: [search]
  admin:
    image: example/admin:1
    depends_on: [kibana]
volumes: {{rows: {{}}, index: {{}}}}
"""

LOGS = """
services:
  shop:
    image: example/shop:1
    environment: {DB_HOST: db}
    depends_on: [db]
  db:
    image: postgres:16
    volumes: ["rows:/var/lib/postgresql/data"]
  shipper:
    image: fluent/fluent-bit:3.1
    environment: {ES_HOST: "http://logs:9200"}
    depends_on: [logs]
  logs:
    image: docker.elastic.co/elasticsearch/elasticsearch:7.17.0
    volumes: ["index:/usr/share/elasticsearch/data"]
  kibana:
    image: docker.elastic.co/kibana/kibana:7.17.0
    environment: {ELASTICSEARCH_HOSTS: "http://logs:9200"}
    depends_on: [logs]
volumes: {rows: {}, index: {}}
"""


MYSQL_VOLUME = '    volumes: ["rows:/var/lib/mysql"]'


def _gravity(report: AuditReport) -> dict[str, int]:
    return {c.name: c.gravity for c in report.components}


def test_a_search_engine_weighs_less_than_the_database_its_clients_keep_records_in(
    audit_files: Auditor,
) -> None:
    text = SHOP.format(database="mysql/mysql-server:8.0", db_volumes=MYSQL_VOLUME)
    gravity = _gravity(audit_files(**{"compose.yaml": text}))
    # more components reach the engine (the shop, Kibana and through it the admin) than the
    # database: without the hold it would outweigh it
    assert gravity["db"] > gravity["search"] > 0


def test_a_search_engine_is_held_below_no_key_value_store(audit_files: Auditor) -> None:
    # Exceptionless's shape: Redis the cache and queue, Elasticsearch the only database
    text = SHOP.format(database="redis:6.2.3-alpine", db_volumes="")
    gravity = _gravity(audit_files(**{"compose.yaml": text}))
    assert gravity["search"] > gravity["db"] > 0


def test_a_search_engine_fed_by_a_log_shipper_is_held_below_nothing(
    audit_files: Auditor,
) -> None:
    gravity = _gravity(audit_files(**{"compose.yaml": LOGS}))
    # the shop's database is no client's of the engine: the logs may be their only copy
    assert gravity["logs"] >= gravity["db"] > 0


def test_indexed_holds_only_below_databases_holding_data_beside_the_engine() -> None:
    gravity = {"es": 63, "db": 59, "kv": 44, "pg": 50, "app": 0, "ui": 0, "other": 0}
    roles = {"es": "search", "db": "database", "kv": "cache/store", "pg": "database"}
    dependents = {"es": ["app", "ui"], "db": ["app"], "kv": ["app"], "pg": ["other"]}
    # one below the database beside it; the lighter key-value store and PostgreSQL, whose only
    # client is no client of the engine, do not count
    held = indexed(gravity, roles, dependents, {"es", "db", "kv", "pg"})
    assert held["es"] == 58 and held["db"] == 59 and held["kv"] == 44 and held["pg"] == 50
    # a database holding nothing of its own (not in ``holding``) is not where the records are
    assert indexed(gravity, roles, dependents, {"es", "kv", "pg"})["es"] == 63
    # an engine already lighter keeps its weight; a role not a search engine is not held
    assert indexed({**gravity, "es": 30}, roles, dependents, {"db"})["es"] == 30
    assert indexed(gravity, {**roles, "es": "database"}, dependents, {"db"})["es"] == 63


def test_with_no_client_seen_an_engine_is_held_below_the_database_of_its_scope() -> None:
    """A wiki whose configuration file is not among the files: its MySQL and Elasticsearch of
    one namespace, neither reached by anything seen, weigh the same by role and volume."""
    gravity = {"es": 55, "db": 55, "web": 55, "other-db": 40}
    roles = {"es": "search", "db": "database", "other-db": "database"}
    scopes = {"es": "wiki", "db": "wiki", "web": "wiki", "other-db": "elsewhere"}
    holding = {"es", "db", "web", "other-db"}
    held = indexed(gravity, roles, {}, holding, scopes)
    assert held["es"] == 54 and held["db"] == 55  # not below the lighter database elsewhere
    # a client of the engine is seen (a log shipper, a dashboard): it may be the only copy
    assert indexed(gravity, roles, {"es": ["shipper"]}, holding, scopes)["es"] == 55
    # the database is reached by clients of its own the engine does not share: not its index
    assert indexed(gravity, roles, {"db": ["app"]}, holding, scopes)["es"] == 55
    assert indexed(gravity, roles, {}, holding)["es"] == 55  # no scopes given
