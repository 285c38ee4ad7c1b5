"""A backup resource copies the one resource of its API group in its namespace that keeps
data, whatever else it names (a bucket, a cluster's name no resource answers): dev4devs'
``Backup`` naming no ``Database``, Instaclustr's ``CassandraBackup`` naming its data centre by
its cluster's name."""

from __future__ import annotations

import pytest

from .conftest import Auditor, custom_resource

API = "lake.example.com/v1"
LAKE = custom_resource(API, "Lake", "spec: {size: 3, storage: {size: 5Gi}}", "lake")
POND = custom_resource(API, "Pond", "spec: {size: 1, storage: {size: 1Gi}}", "pond")
BACKUPS = [
    "spec: {schedule: '0 0 * * *', awsS3BucketName: b}",
    "spec: {cluster: nowhere, datacenter: dc1, storageLocation: 's3://b'}",
]


@pytest.mark.parametrize("spec", BACKUPS)
def test_a_backup_depends_on_the_one_keeper_of_its_group(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{
        "lake.yaml": LAKE, "backup.yaml": custom_resource(API, "LakeBackup", spec, "backup"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["backup"].depends_on == (by_name["lake"].id,)


@pytest.mark.parametrize("spec", BACKUPS)
def test_a_backup_among_several_keepers_names_none_of_them(audit_files: Auditor, spec: str) -> None:
    report = audit_files(**{
        "lake.yaml": LAKE, "pond.yaml": POND,
        "backup.yaml": custom_resource(API, "LakeBackup", spec, "backup"),
    })  # fmt: skip
    by_id = {c.id: c for c in report.components}
    backup = next((c for c in report.components if c.name == "backup"), None)
    assert backup is None or not {by_id[i].name for i in backup.depends_on} & {"lake", "pond"}


def test_a_backup_of_another_group_is_no_copy_of_the_keeper(audit_files: Auditor) -> None:
    other = custom_resource("pond.example.org/v1", "PondBackup", BACKUPS[0], "backup")
    report = audit_files(**{"lake.yaml": LAKE, "backup.yaml": other})
    lake = next(c for c in report.components if c.name == "lake")
    assert lake.dependents == ()
