"""Custom resources of no known family whose kind's last word names a store (``…Store``,
``…Bucket``, ``…Queue``): the store itself, its records where its operator
puts them, unless it names the peer it lives in, gives the address of a store running elsewhere,
keeps settings or credentials, or orders a scheduler's work. Hand-made resources of made-up
groups, each beside the case that must stay as it was."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.store_kinds import store_kind

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

API = "things.example.com/v1"

STORES = [
    ("Bucket", "spec: {region: eu-west-1}"),
    ("MessageQueue", "spec: {replicas: 1}"),
    ("KeyValueStore", "spec: {replicas: 3}"),
    # storage of blobs or objects: a bucket by another name, its output Secret no peer
    ("BlobStorage", "spec: {secretRef: {name: blob-sec}, tier: development, type: aws}"),
    ("ObjectStorage", "spec: {tier: production}"),
]


@pytest.mark.parametrize(("kind", "spec"), STORES)
def test_a_kind_named_for_a_store_holds_data_where_its_operator_puts_it(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(API, kind, spec)})
    (component,) = report.components
    assert (component.kind, component.lifecycle) == (kind, Lifecycle.PERSISTENT)
    (finding,) = [f for f in report.findings if f.rule == "CUSTOM_RESOURCE_STORAGE"]
    assert kind in finding.message and "default storage is unknown" in finding.message


def test_a_store_written_with_no_spec_is_made_with_its_defaults_an_empty_spec_runs_nothing(
    audit_files: Auditor,
) -> None:
    defaults = (
        "apiVersion: things.example.com/v1\nkind: FooStore\nmetadata: {name: x, namespace: ns}\n"
    )
    (component,) = audit_files(**{"cr.yaml": defaults}).components
    assert component.lifecycle == Lifecycle.PERSISTENT
    assert not audit_files(**{"cr.yaml": _cr(API, "FooStore", "spec: {}")}).components


def test_a_store_kept_in_memory_by_its_kind_is_data_lost_on_replacement(
    audit_files: Auditor,
) -> None:
    report = audit_files(**{"cr.yaml": _cr(API, "SharedMemoryStore", "spec: {replicas: 1}")})
    (component,) = report.components
    assert str(component.loss) == "data"
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert "CUSTOM_RESOURCE_STORAGE" not in rules_of(report, "x")


NOT_A_STORE = [
    # settings or credentials a store keeps for others
    ("external-secrets.io/v1beta1", "SecretStore", "spec: {provider: {fake: {data: []}}}"),
    ("external-secrets.io/v1beta1", "ClusterSecretStore", "spec: {provider: {fake: {data: []}}}"),
    (API, "KeyStore", "spec: {replicas: 1}"),
    (API, "StoreConfig", "spec: {replicas: 1}"),
    # a scheduler's queue: admits jobs by quota, keeps no message
    ("kueue.x-k8s.io/v1beta1", "ClusterQueue", "spec: {namespaceSelector: {}}"),
    (API, "ClusterQueue", "spec: {cohort: team, resourceGroups: []}"),
    # the address of a store running elsewhere, described to the operator's clients
    (API, "DataStore", "spec: {driver: etcd, endpoints: ['etcd-0.etcd.db.svc:2379']}"),
    (API, "ObjectStore", "spec: {configuration: {destinationPath: 's3://backups/'}}"),
    (API, "SchemaStore", "spec: {connection: {postgres: {uri: {value: 'postgres://u@db/a'}}}}"),
    # an object storage naming the bucket it uses: a bucket that is there already
    (API, "SGObjectStorage", "spec: {type: gcs, gcs: {bucket: backups}}"),
    (API, "BlobStorage", "spec: {bucketName: backups, region: eu-west-1}"),
    # storage alone is no store's noun: where something else keeps its copies or metrics
    (API, "BackupStorage", "spec: {tier: development}"),
    (API, "MetricStorage", "spec: {tier: development}"),
    # not a store's noun: a bare Database is read by data_systems, which leaves it out
    (API, "Database", "spec: {engine: postgres}"),
    (API, "DatabaseUser", "spec: {username: app}"),
]


@pytest.mark.parametrize(("api", "kind", "spec"), NOT_A_STORE)
def test_a_kind_of_settings_a_scheduler_or_an_address_is_no_store(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    assert all(str(c.loss) == "none" for c in report.components)
    assert not rules_of(report) & {"CUSTOM_RESOURCE_STORAGE", "OPERATOR_EPHEMERAL"}


def test_a_store_naming_the_peer_it_lives_in_is_held_by_that_peer() -> None:
    inside = {"spec": {"rabbitmqClusterReference": {"name": "broker"}, "durable": True}}
    assert store_kind("things.example.com", "Queue", inside) == []
    (alone,) = store_kind("things.example.com", "Queue", {"spec": {"durable": True}})
    assert alone.claim == {} and "Queue" in alone.text
    # its own name for the queue it declares (KubeProvisioner's SQSQueue) names no peer
    named = {"spec": {"queueName": "jobs", "region": "us-east-1"}}
    assert store_kind("compute.example.com", "SQSQueue", named) != []
    assert store_kind("compute.example.com", "SQSQueue", {"spec": {"brokerName": "mq"}}) == []
