"""A client that locates its object store with a value hidden in a Secret reaches the one
object store of its namespace (:mod:`stateward.analysis.audit.hidden_stores`)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Auditor
from .test_audit_rules import app, docs, service, workload


def _minio(name: str = "minio") -> dict[str, Any]:
    return workload("Deployment", name, {"containers": [app("minio/minio:RELEASE.2023-05-27")]})


def _from_secret(name: str, variable: str) -> str:
    """A served client (a port and its Service: no background worker, which would be taken to
    depend on every store of its directory) taking ``variable`` from Secret ``store``."""
    env = [{"name": variable, "valueFrom": {"secretKeyRef": {"name": "store", "key": "c"}}}]
    client = app("example/api:1", env=env, ports=[{"containerPort": 8080}])
    return docs(workload("Deployment", name, {"containers": [client]}), service(name))


def _secret(**data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "store"},
            "stringData": data}  # fmt: skip


def _depends(report: Any) -> dict[str, tuple[str, ...]]:
    return {c.name: c.depends_on for c in report.components}


@pytest.mark.parametrize("variable", ["OBJSTORE_CONFIG", "STORAGE_CONFIG", "S3_ENDPOINT"])
def test_a_variable_locating_object_storage_from_a_secret_reaches_the_object_store(
    audit_files: Auditor, variable: str
) -> None:
    report = audit_files(**{
        "m.yaml": docs(_minio(), service("minio"), _secret(x="y")),
        "c.yaml": _from_secret("client", variable),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["minio"].id in by_name["client"].depends_on


def test_a_key_of_a_secret_handed_over_whole_locates_it_too(audit_files: Auditor) -> None:
    served = app(
        "example/api:1", envFrom=[{"secretRef": {"name": "store"}}], ports=[{"containerPort": 8080}]
    )
    client = workload("Deployment", "client", {"containers": [served]})
    report = audit_files(**{"m.yaml": docs(
        _minio(), _secret(MINIO_URL="http://minio:9000"), client, service("client"),
    )})  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["client"].depends_on == (by_name["minio"].id,)


def test_a_credential_locates_nothing(audit_files: Auditor) -> None:
    report = audit_files(**{
        "m.yaml": docs(_minio(), _secret(x="y")),
        "c.yaml": _from_secret("client", "S3_ACCESS_KEY"),
    })  # fmt: skip
    assert _depends(report)["client"] == ()


def test_with_two_object_stores_which_one_is_meant_is_not_known(audit_files: Auditor) -> None:
    report = audit_files(**{
        "m.yaml": docs(_minio("a"), _minio("b"), _secret(x="y")),
        "c.yaml": _from_secret("client", "OBJSTORE_CONFIG"),
    })  # fmt: skip
    assert _depends(report)["client"] == ()


def test_with_no_object_store_the_bucket_is_outside_the_estate(audit_files: Auditor) -> None:
    database = workload("StatefulSet", "db", {"containers": [app("postgres:16")]})
    report = audit_files(**{
        "m.yaml": docs(database, _secret(x="y")),
        "c.yaml": _from_secret("client", "OBJSTORE_CONFIG"),
    })  # fmt: skip
    assert _depends(report)["client"] == ()


def _runs(name: str, image: str) -> dict[str, Any]:
    return workload("Deployment", name, {"containers": [app(image)]})


@pytest.mark.parametrize(("variable", "stores", "reached"), [
    ("REDIS_LOCATION", [("cache", "redis:7")], "cache"),
    ("REDIS_URL", [("cache", "valkey/valkey:8"), ("db", "postgres:16")], "cache"),
    ("CELERY_BROKER_URL", [("queue", "rabbitmq:3.13")], "queue"),
    ("CELERY_BROKER_URL", [("cache", "redis:7")], "cache"),
    # A Redis address does not reach a RabbitMQ; a broker's does not reach a Kafka.
    ("REDIS_HOST", [("queue", "rabbitmq:3.13")], ""),
    ("CELERY_BROKER_URL", [("events", "apache/kafka:3.9.0")], ""),
    # Two Redis: which one is meant is not known.
    ("REDIS_HOST", [("a", "redis:7"), ("b", "redis:7")], ""),
    # A password locates nothing.
    ("REDIS_PASSWORD", [("cache", "redis:7")], ""),
    ("MYSQL_DB_HOST", [("accounts", "mysql:8.4"), ("cache", "redis:7")], "accounts"),
    ("MYSQL_DB_PASSWORD", [("accounts", "mysql:8.4")], ""),
    ("POSTGRES_URL", [("db", "postgres:16")], "db"),
    ("POSTGRES_URL", [("accounts", "mysql:8.4")], ""),
    ("MONGODB_URI", [("docs", "mongo:7")], "docs"),
    # A database named by no family: the one database there, of whatever family, never a cache.
    ("DATABASE_URL", [("db", "postgres:16"), ("cache", "redis:7")], "db"),
    ("DB_HOST", [("accounts", "mysql:8.4")], "accounts"),
    ("DATABASE_URL", [("cache", "redis:7")], ""),
    ("DATABASE_URL", [("a", "postgres:16"), ("b", "mysql:8.4")], ""),
    ("DATABASE_PASSWORD", [("db", "postgres:16")], ""),
    # only the whole name: a family's own address stays that family's
    ("MYSQL_DB_HOST", [("db", "postgres:16")], ""),
    # A Kafka bootstrap list: the one broker speaking Kafka's protocol, not a RabbitMQ.
    ("KAFKA_BROKERS", [("events", "redpanda/redpanda:v24.2.4"), ("db", "postgres:16")], "events"),
    ("KAFKA_BOOTSTRAP_SERVERS", [("events", "apache/kafka:3.9.0")], "events"),
    ("KAFKA_BROKERS", [("queue", "rabbitmq:3.13")], ""),
])  # fmt: skip
def test_a_store_address_from_a_secret_reaches_the_one_of_its_namespace(
    audit_files: Auditor, variable: str, stores: list[tuple[str, str]], reached: str
) -> None:
    report = audit_files(**{
        "m.yaml": docs(*(_runs(name, image) for name, image in stores), _secret(x="y")),
        "c.yaml": _from_secret("client", variable),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["client"].depends_on == ((by_name[reached].id,) if reached else ())


@pytest.mark.parametrize(("spec", "reached"), [
    ("{image: 'ghcr.io/mastodon/mastodon:v4.2.12', envFrom: [{secretRef: {name: env}}]}", True),
    ("{image: 'ghcr.io/mastodon/mastodon:v4.2.12'}", False),  # hands its pods no Secret
])  # fmt: skip
def test_an_operator_resource_handing_its_pods_a_secret_reaches_the_store_it_locates(
    audit_files: Auditor, spec: str, reached: bool
) -> None:
    """Mahout's ``Mastodon`` passes ``spec.envFrom`` to the pods its operator runs: a Redis
    address in that Secret reaches the one Redis of the namespace."""
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "env"},
              "stringData": {"REDIS_HOST": "cache.ns.svc"}}  # fmt: skip
    resource = f"apiVersion: apps.example.net/v1\nkind: Instance\nmetadata: {{name: social}}\nspec: {spec}\n"
    report = audit_files(**{
        "m.yaml": docs(_runs("cache", "redis:7"), secret), "cr.yaml": resource,
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["social"].depends_on == ((by_name["cache"].id,) if reached else ())
