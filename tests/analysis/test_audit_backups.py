"""Object stores that only backups name hold copies of data kept elsewhere; a bound script the
command runs is code, whatever its folder is called.

Small hand-made estates, not copies of any held-out estate.
"""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport, Effect

from .conftest import Auditor, custom_resource, deployment, effect_of_one

STORE = """apiVersion: apps/v1
kind: Deployment
metadata: {name: objects, namespace: ns}
spec:
  selector: {matchLabels: {app: objects}}
  template:
    metadata: {labels: {app: objects}}
    spec:
      volumes: [{name: data, emptyDir: {}}]
      containers:
        - name: objects
          image: minio/minio:RELEASE.2024-01-01T00-00-00Z
          args: [server, /data]
          ports: [{containerPort: 9000}]
          volumeMounts: [{name: data, mountPath: /data}]
---
apiVersion: v1
kind: Service
metadata: {name: objects, namespace: ns}
spec:
  selector: {app: objects}
  ports: [{port: 9000}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: make-bucket, namespace: ns}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      containers:
        - name: mc
          image: minio/mc:latest
          env: [{name: MC_HOST_store, value: "http://objects:9000"}]
          command: [mc, mb, store/archive]
"""

UPLOADER = """apiVersion: apps/v1
kind: Deployment
metadata: {name: gallery, namespace: ns}
spec:
  selector: {matchLabels: {app: gallery}}
  template:
    metadata: {labels: {app: gallery}}
    spec:
      containers:
        - name: gallery
          image: example/gallery:3
          env: [{name: S3_ENDPOINT, value: "http://objects:9000"}]
"""

BACKUPS = {
    "kind": custom_resource(
        "archiver.example.com/v1",
        "Backup",
        "spec:\n  backend:\n    s3: {endpoint: 'http://objects:9000', bucket: archive}",
    ),
    "field": custom_resource(
        "db.example.com/v1",
        "Cluster",
        "spec:\n  instances: 3\n  backup:\n    objectStore: {endpointURL: 'http://objects.ns.svc:9000'}",
    ),
    "spec": custom_resource(
        "archiver.example.com/v1",
        "Schedule",
        "spec:\n  backend:\n    s3: {endpoint: 'http://objects:9000'}\n  backup: {schedule: '@daily'}",
    ),
}


def _store_effects(report: AuditReport) -> set[Effect]:
    return {
        report.effect_of(f)
        for f in report.findings
        if f.rule == "DATA_ON_EPHEMERAL" and (f.component or "").endswith("/objects")
    }


@pytest.mark.parametrize("how", sorted(BACKUPS))
def test_an_object_store_only_backups_name_holds_copies(audit_files: Auditor, how: str) -> None:
    """Named by a backup's kind, from a field under ``backup``, or by a resource whose spec
    configures backups, and otherwise only by the Job that creates its bucket."""
    report = audit_files(**{"store.yaml": STORE, "backup.yaml": BACKUPS[how]})
    assert _store_effects(report) == {Effect.WARM_UP}
    store = next(c for c in report.components if c.name == "objects")
    assert str(store.loss) == "rebuildable"


@pytest.mark.parametrize("how", sorted(BACKUPS))
def test_an_object_store_an_application_reaches_keeps_records(
    audit_files: Auditor, how: str
) -> None:
    """An application that names the store too (its uploads) makes its content records."""
    files = {"store.yaml": STORE, "backup.yaml": BACKUPS[how], "app.yaml": UPLOADER}
    assert _store_effects(audit_files(**files)) == {Effect.LOSS}


def test_an_object_store_only_a_setup_job_names_says_nothing_of_copies(
    audit_files: Auditor,
) -> None:
    assert _store_effects(audit_files(**{"store.yaml": STORE})) == {Effect.LOSS}


def _claim_reader(name: str, image: str, read_only: str) -> str:
    """A Deployment mounting claim ``data`` (not in the estate) at /data."""
    return deployment(
        name,
        pod=f"volumes: [{{name: d, persistentVolumeClaim: {{claimName: data, readOnly: {read_only}}}}}]",
        image=image,
        container="args: [schedule]\nvolumeMounts: [{name: d, mountPath: /data}]",
    )


@pytest.mark.parametrize(
    ("name", "image", "read_only", "effect"),
    [
        # a backup reading a claim read-only copies what the claim's writer keeps
        ("world-backup", "jritchie/backup-to-s3", "true", Effect.CONTEXT),
        ("archiver", "example/backup-to-s3:1", "true", Effect.CONTEXT),
        # a reader that is no backup keeps what it reads as its warm start; a backup writing
        # the claim keeps its archives there
        ("viewer", "example/viewer:1", "true", Effect.WARM_UP),
        ("world-backup", "jritchie/backup-to-s3", "false", Effect.DURABLE),
    ],
)
def test_a_backup_reading_a_claim_read_only_holds_nothing_of_it(
    audit_files: Auditor, name: str, image: str, read_only: str, effect: Effect
) -> None:
    report = audit_files(**{"backup.yaml": _claim_reader(name, image, read_only)})
    (finding,) = [f for f in report.findings if f.rule == "PVC"]
    assert report.effect_of(finding) is effect


def _restore_job(command: str) -> str:
    return f"""
services:
  restore:
    image: bash:5.2.15
    restart: "no"
    command: "{command}"
    volumes:
      - "../backup_restore/restore_volumes.sh:/restore_volumes.sh"
"""


def test_a_bound_script_the_command_runs_is_code_whatever_its_folder(
    audit_files: Auditor,
) -> None:
    """A script bound from a folder named for backups and run by the command is the program;
    bound and not run, its folder's name still reads it as backups."""
    ran = audit_files(**{"compose.yaml": _restore_job("bash /restore_volumes.sh")})
    assert effect_of_one(ran, "COMPOSE_BIND", "restore_volumes.sh") == Effect.CONTEXT
    kept = audit_files(**{"compose.yaml": _restore_job("sleep infinity")})
    assert effect_of_one(kept, "COMPOSE_BIND", "restore_volumes.sh") == Effect.WARM_UP
