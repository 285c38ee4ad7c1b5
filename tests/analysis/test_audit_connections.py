"""Custom resources that act on a database through the connection URL their spec gives
(:mod:`stateward.analysis.audit.connections`): components holding nothing, ranked below the
database they act on. The ``acme`` kinds are made up: no family is registered for them."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle
from stateward.analysis.audit.connections import acts_on_a_database

from .conftest import Auditor, custom_resource

ACME = "schemas.acme.example.io/v1"

CONNECTS = [
    "spec: {urlFrom: {secretKeyRef: {name: db-credentials, key: url}}, schema: {sql: x}}",
    "spec: {url: 'mysql://root:pass@mysql.ns:3306/app'}",
    "spec: {connection: {timescaledb: {uri: {value: 'postgres://u:p@127.0.0.1:5432/db'}}}}",
    "spec: {connection: {postgres: {uri: {valueFrom: {secretKeyRef: {name: s, key: uri}}}}}}",
    "spec: {target: {dsn: 'mongodb+srv://cluster0.example.net/app'}}",
]
NO_CONNECTION = [
    "spec: {url: 'https://hooks.example.com/notify'}",  # a webhook: no database
    "spec: {passwordFrom: {secretKeyRef: {name: s, key: password}}}",  # a Secret, no URL
    "spec: {urlFrom: {configMapKeyRef: {name: c, key: url}}}",  # not a Secret's key
    "spec: {repoURL: 'https://git.example.com/app.git'}",
    "spec: {rating: 5}",
]


@pytest.mark.parametrize("spec", CONNECTS)
def test_a_resource_giving_a_databases_url_acts_on_it_and_holds_nothing(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "Schema", spec)})
    (component,) = report.components
    assert component.kind == "Schema"
    assert component.lifecycle is Lifecycle.EPHEMERAL_SAFE


@pytest.mark.parametrize("spec", NO_CONNECTION)
def test_a_resource_giving_no_databases_url_stays_quiet(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{"cr.yaml": custom_resource(ACME, "Schema", spec)})
    assert report.components == ()


def test_the_schema_ranks_below_the_database_it_names(audit_files: Auditor) -> None:
    """The database's records weigh more than the schema declared against it, and the schema
    depends on the Service its URL names."""
    database = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: mysql, namespace: ns}
spec:
  serviceName: mysql
  selector: {matchLabels: {app: mysql}}
  template:
    metadata: {labels: {app: mysql}}
    spec: {containers: [{name: db, image: 'mysql:8'}]}
  volumeClaimTemplates: [{metadata: {name: d}, spec: {resources: {requests: {storage: 1Gi}}}}]
---
apiVersion: v1
kind: Service
metadata: {name: mysql, namespace: ns}
spec: {selector: {app: mysql}, ports: [{port: 3306}]}
"""
    schema = custom_resource(ACME, "Schema", "spec: {url: 'mysql://u:p@mysql.ns:3306/app'}")
    report = audit_files(**{"db.yaml": database, "cr.yaml": schema})
    by_name = {c.name: c for c in report.components}
    assert by_name["mysql"].gravity > by_name["x"].gravity
    assert by_name["x"].depends_on == (by_name["mysql"].id,)


def test_the_reading_stops_four_levels_down() -> None:
    deep = {"a": {"b": {"c": {"d": {"url": "postgres://db/app"}}}}}
    assert acts_on_a_database({"spec": deep})
    assert not acts_on_a_database({"spec": {"z": deep}})
