"""A folder (``subPath``) of a ReadWriteMany claim that one long-running workload alone writes is
that workload's state; a folder two workloads write, one a workload writes beside another's
mount of the claim's root, or a folder at a configuration path stays context. Small hand-made
Kubernetes estates (the shape of Mailu's manifests: one claim, one folder per component)."""

from __future__ import annotations

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, deployment

_CLAIM = """\
    apiVersion: v1
    kind: PersistentVolumeClaim
    metadata: {name: storage, namespace: ns}
    spec:
      accessModes: [ReadWriteMany]
      resources: {requests: {storage: 5Gi}}
    """


def _deployment(name: str, *folders: tuple[str, str]) -> str:
    """A Deployment mounting claim ``storage`` at each ``(target, folder)``; no folder: its root."""
    mounts = ", ".join(
        f"{{name: data, mountPath: {target}}}" if not folder
        else f"{{name: data, mountPath: {target}, subPath: {folder}}}"
        for target, folder in folders
    )  # fmt: skip
    return deployment(
        name,
        pod="volumes: [{name: data, persistentVolumeClaim: {claimName: storage}}]",
        image=f"example.org/acme/{name}:1",
        container=f"volumeMounts: [{mounts}]",
    )


def _pvc_effect(report: AuditReport, name: str) -> str:
    (finding,) = [
        f for f in report.findings if f.rule == "PVC" and (f.component or "").endswith("/" + name)
    ]
    return str(report.effect_of(finding))


def test_a_folder_one_workload_alone_writes_is_its_state(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "mailstore.yaml": _deployment("mailstore", ("/data", "shared"), ("/mail", "mailstate")),
            "webdav.yaml": _deployment("webdav", ("/data", "dav")),
            "relay.yaml": _deployment("relay", ("/data", "shared")),
        }
    )
    assert _pvc_effect(report, "mailstore") == "durable"
    assert _pvc_effect(report, "webdav") == "durable"
    # relay writes only the folder mailstore writes too: no folder of its own
    assert _pvc_effect(report, "relay") != "durable"
    (webdav,) = [c for c in report.components if c.name == "webdav"]
    assert str(webdav.lifecycle) == "persistent"


def test_a_folder_inside_another_writers_folder_or_root_is_not_its_own(
    audit_files: Auditor,
) -> None:
    nested = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "app.yaml": _deployment("app", ("/data", "app")),
            "worker.yaml": _deployment("worker", ("/data/jobs", "app/jobs")),
        }
    )
    assert _pvc_effect(nested, "app") != "durable"
    assert _pvc_effect(nested, "worker") != "durable"
    rooted = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "app.yaml": _deployment("app", ("/data", "app")),
            "backup.yaml": _deployment("backup", ("/backup", "")),
        }
    )
    assert _pvc_effect(rooted, "app") != "durable"


def test_a_folder_at_a_configuration_path_is_not_state(audit_files: Auditor) -> None:
    report = audit_files(
        **{
            "claim.yaml": _CLAIM,
            "filter.yaml": _deployment("filter", ("/etc/filter/override.d", "overrides")),
            "other.yaml": _deployment("other", ("/data", "shared")),
            "again.yaml": _deployment("again", ("/data", "shared")),
        }
    )
    assert _pvc_effect(report, "filter") != "durable"
