"""A custom resource naming another by a field spelled as that resource's kind (StackGres'
``sgInstanceProfile: size-m``, the Airflow operator's ``airflowbase: {name: base}``) depends on
it; a field of that spelling names nothing when no resource of that kind and name answers."""

from __future__ import annotations

import pytest

from .conftest import Auditor, custom_resource

SG = "stackgres.io/v1"
CLUSTER = """spec:
  instances: 1
  sgInstanceProfile: size-m
  pods: {persistentVolume: {size: 10Gi}}
  configurations:
    backups: [{sgObjectStorage: store, cronSchedule: '0 1 * * *'}]
  managedSql: {scripts: [{sgScript: create}]}
"""
PARTS = {
    "profile.yaml": custom_resource(SG, "SGInstanceProfile", "spec: {cpu: '1', memory: 2Gi}", "size-m"),
    "store.yaml": custom_resource(SG, "SGObjectStorage", "spec: {type: s3}", "store"),
    "script.yaml": custom_resource(SG, "SGScript", "spec: {scripts: [{script: 'SELECT 1'}]}", "create"),
}  # fmt: skip


def test_a_cluster_depends_on_the_resources_its_fields_name_by_kind(audit_files: Auditor) -> None:
    report = audit_files(
        **{"cluster.yaml": custom_resource(SG, "SGCluster", CLUSTER, "db")}, **PARTS
    )
    by_name = {c.name: c for c in report.components}
    assert set(by_name["db"].depends_on) >= {
        by_name["size-m"].id, by_name["store"].id, by_name["create"].id,
    }  # fmt: skip
    # what it is built from is not made in it: no edge back to the cluster
    assert by_name["db"].id not in {*by_name["size-m"].depends_on, *by_name["store"].depends_on}


API = "lake.example.com/v1"
BASE = custom_resource(API, "LakeBase", "spec: {storage: {size: 5Gi}}", "base")


@pytest.mark.parametrize(("spec", "named"), [
    ("spec: {replicas: 2, image: l, lakebase: {name: base}}", True),
    ("spec: {replicas: 2, image: l, parts: [{lakeBase: base}]}", True),
    ("spec: {replicas: 2, image: l, lakebase: other}", False),  # no LakeBase of that name
    ("spec: {replicas: 2, image: l, pondbase: base}", False),  # a name, of another kind
])  # fmt: skip
def test_a_field_spelled_as_a_kind_names_the_resource_its_kind_and_name_answer(
    audit_files: Auditor, spec: str, named: bool
) -> None:
    report = audit_files(**{
        "base.yaml": BASE, "lake.yaml": custom_resource(API, "Lake", spec, "lake"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert (by_name["base"].id in by_name["lake"].depends_on) is named


STORE = custom_resource(
    "stores.example.io/v1",
    "ObjectStore",
    "spec: {configuration: {destinationPath: 's3://b/', endpointURL: 'https://minio:9000'}}",
    "backups",
)
DB = "db.example.io/v1"


@pytest.mark.parametrize(("parameters", "named"), [
    ("{barmanObjectName: backups}", True),  # the plugin's prefix, the kind's first word, Name
    ("{acmeObjectName: backups}", True),
    ("{objectName: backups}", False),  # no prefix: a name of anything
    ("{barmanStoreName: backups}", False),  # a word that does not start the kind
    ("{barmanObjectName: elsewhere}", False),  # no ObjectStore of that name
])  # fmt: skip
def test_a_prefixed_field_of_the_kinds_first_word_names_that_resource(
    audit_files: Auditor, parameters: str, named: bool
) -> None:
    spec = f"spec: {{instances: 1, storage: {{size: 1Gi}}, plugins: [{{name: a, parameters: {parameters}}}]}}"
    report = audit_files(**{"s.yaml": STORE, "c.yaml": custom_resource(DB, "Cluster", spec, "pg")})
    by_name = {c.name: c for c in report.components}
    assert ("backups" in by_name and by_name["backups"].id in by_name["pg"].depends_on) is named


XR = "xrootd.example.org/v1alpha1"
VERSION = custom_resource(
    "catalog.example.org/v1alpha1", "XrootdVersion", "spec: {image: 'x:1'}", "v1"
)


@pytest.mark.parametrize(("kind", "field", "named"), [
    ("XrootdCluster", "version", True),  # the kind less the prefix both kinds begin with
    ("OtherCluster", "version", False),  # another product's version: a word, no reference
    ("XrootdCluster", "release", False),  # the prefix shared, the rest not the field
])  # fmt: skip
def test_a_field_spelled_as_the_kind_less_a_shared_prefix_names_that_resource(
    audit_files: Auditor, kind: str, field: str, named: bool
) -> None:
    spec = f"spec: {{{field}: v1, worker: {{replicas: 3, storage: {{capacity: 1Gi}}}}}}"
    report = audit_files(**{"v.yaml": VERSION, "c.yaml": custom_resource(XR, kind, spec, "c")})
    by_name = {c.name: c for c in report.components}
    assert ("v1" in by_name and by_name["v1"].id in by_name["c"].depends_on) is named
