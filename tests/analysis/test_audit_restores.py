"""A custom resource restored from a backup it names is a store: it holds the restored data and
what is written after, and depends on that backup. A resource that acts on a backup, or names
where its own backups go, holds nothing for it."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, custom_resource

API = "cache.example.com/v1"
BACKUP = custom_resource(API, "CacheBackup", "spec: {clusterName: source, bucket: b}", "nightly")
SOURCE = custom_resource(API, "Cache", "spec: {image: c, storage: {size: 1Gi}}", "source")


@pytest.mark.parametrize(
    "spec",
    [
        "spec: {init: {backupSource: {name: nightly, namespace: ns}}}",
        "spec: {bootstrap: {recovery: {backup: {name: nightly}}}}",
        "spec: {restoreFrom: {name: nightly}}",
        "spec: {dataSource: {backupName: nightly}}",
    ],
)
def test_a_resource_restored_from_a_backup_is_a_store_depending_on_it(
    audit_files: Auditor, spec: str
) -> None:
    report = audit_files(**{
        "source.yaml": SOURCE, "backup.yaml": BACKUP,
        "restored.yaml": custom_resource(API, "Cache", spec, "restored"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    restored = by_name["restored"]
    assert restored.lifecycle == Lifecycle.PERSISTENT
    assert by_name["nightly"].id in restored.depends_on
    (finding,) = [
        f for f in report.findings
        if f.rule == "CUSTOM_RESOURCE_STORAGE" and f.resource.endswith("/restored")
    ]  # fmt: skip
    assert "restored from the backup nightly" in finding.message


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("CacheRestore", "spec: {backupName: nightly, target: {name: source}}"),  # acts on it
        ("Cache", "spec: {backupRef: {name: nightly}}"),  # where its own backups go
        ("Cache", "spec: {init: {script: {name: seed}}}"),  # no backup named
    ],
)
def test_a_resource_acting_on_a_backup_or_naming_none_restores_no_store(
    audit_files: Auditor, kind: str, spec: str
) -> None:
    report = audit_files(**{
        "source.yaml": SOURCE, "backup.yaml": BACKUP,
        "other.yaml": custom_resource(API, kind, spec, "other"),
    })  # fmt: skip
    other = [c for c in report.components if c.name == "other"]
    assert all(c.lifecycle != Lifecycle.PERSISTENT for c in other)


_COPY = (Lifecycle.EPHEMERAL_WITH_WARM_UP, "rebuildable")
_DATA = (Lifecycle.PERSISTENT, "none")  # a claim's data, kept across a replacement
_OWN_CLAIM = (
    "volumeClaimSpec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 9Gi}}}"
)


@pytest.mark.parametrize(
    ("kind", "spec", "loss"),
    [
        # a restore into a claim of its own, naming the backup it restores: a copy of it
        ("DirectoryRestore", f"spec: {{sourcePvcName: nightly, {_OWN_CLAIM}}}", _COPY),
        ("DirectoryRestore", f"spec: {{backupName: nightly, {_OWN_CLAIM}}}", _COPY),
        # naming no source, or a kind that is no restore: its claim is read as data
        ("DirectoryRestore", f"spec: {{{_OWN_CLAIM}}}", _DATA),
        ("DirectoryService", f"spec: {{sourcePvcName: nightly, {_OWN_CLAIM}}}", _DATA),
    ],
)
def test_a_restore_into_its_own_claim_holds_a_copy_of_the_backup_it_names(
    audit_files: Auditor, kind: str, spec: str, loss: tuple[Lifecycle, str]
) -> None:
    report = audit_files(**{"r.yaml": custom_resource("directory.example.org/v1", kind, spec)})
    (component,) = [c for c in report.components if c.name == "x"]
    assert (component.lifecycle, str(component.loss)) == loss
