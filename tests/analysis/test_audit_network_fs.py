"""A network file system a pod mounts inline (``nfs``, ``glusterfs`` …) keeps what the program
writes on its file server: the program's durable state where it keeps its data there, a share
it works in anywhere else or when it only reads it."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect, Lifecycle

from .conftest import Auditor, deployment


def _mounting(source: str, target: str, read_only: bool = False) -> str:
    pod = f"volumes: [{{name: share, {source}}}]"
    text = deployment("app", pod=pod, image="example/app:1")
    mount = (
        f"volumeMounts: [{{name: share, mountPath: {target}, readOnly: {str(read_only).lower()}}}]"
    )
    return text.replace("image: 'example/app:1'", f"image: 'example/app:1'\n          {mount}")


@pytest.mark.parametrize(
    "source",
    [
        "glusterfs: {endpoints: storage-endpoints, path: appdb}",
        "nfs: {server: files.example.com, path: /exports/app}",
        "cephfs: {monitors: ['10.0.0.1:6789'], path: /app}",
    ],
)
def test_a_network_file_system_where_the_program_keeps_its_data_is_its_durable_state(
    audit_files: Auditor, source: str
) -> None:
    report = audit_files(**{"app.yaml": _mounting(source, "/var/lib/app")})
    (component,) = report.components
    (finding,) = [f for f in report.findings if f.rule == "NETWORK_FS"]
    assert report.effect_of(finding) is Effect.DURABLE
    assert component.lifecycle == Lifecycle.PERSISTENT


@pytest.mark.parametrize(
    ("target", "read_only"),
    [("/persistentvolumes", False), ("/var/lib/app", True)],  # a provisioner's root; a reader
)
def test_a_share_it_works_in_or_only_reads_is_no_state_of_its_own(
    audit_files: Auditor, target: str, read_only: bool
) -> None:
    source = "nfs: {server: files.example.com, path: /exports}"
    report = audit_files(**{"app.yaml": _mounting(source, target, read_only)})
    (component,) = report.components
    (finding,) = [f for f in report.findings if f.rule == "NETWORK_FS"]
    assert report.effect_of(finding) is Effect.CONTEXT
    assert component.lifecycle == Lifecycle.EPHEMERAL_SAFE


@pytest.mark.parametrize(
    ("server", "found"),
    [("files.ns.svc.cluster.local", True), ("files", True), ("10.0.0.7", False)],
)
def test_an_inline_nfs_volume_depends_on_the_server_of_the_estate_it_names(
    audit_files: Auditor, server: str, found: bool
) -> None:
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: files, namespace: ns}\n"
        "spec: {selector: {app: nfs}, ports: [{port: 2049}]}\n"
    )
    report = audit_files(**{
        "nfs.yaml": deployment("nfs", image="example/nfs-server:1") + "---\n" + service,
        "app.yaml": _mounting(f"nfs: {{server: {server}, path: /exports/app}}", "/var/lib/app"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert by_name["app"].depends_on == ((by_name["nfs"].id,) if found else ())


NFS_CLASS = (
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: nfs-csi}\n"
    "provisioner: nfs.csi.k8s.io\n"
    "parameters: {server: files.ns.svc.cluster.local, share: /}\n"
)
CLAIMED = "persistentVolumeClaim: {claimName: shared}"
CLAIM = (
    "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: shared, namespace: ns}\n"
    "spec: {storageClassName: nfs-csi, accessModes: [ReadWriteMany]}\n"
)
EPHEMERAL = (
    "ephemeral: {volumeClaimTemplate: {spec: {storageClassName: nfs-csi, "
    "accessModes: [ReadWriteOnce]}}}"
)


@pytest.mark.parametrize(("volume", "claim"), [(CLAIMED, CLAIM), (EPHEMERAL, "")])
def test_a_claim_of_a_class_provisioned_on_a_server_of_the_estate_depends_on_it(
    audit_files: Auditor, volume: str, claim: str
) -> None:
    """The NFS CSI driver makes each volume a directory of the ``server`` its StorageClass
    names: a claim of that class (or a pod's generic ephemeral volume) lives on that server."""
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: files, namespace: ns}\n"
        "spec: {selector: {app: nfs}, ports: [{port: 2049}]}\n"
    )
    files = {
        "nfs.yaml": deployment("nfs", image="example/nfs-server:1") + "---\n" + service,
        "class.yaml": NFS_CLASS,
        "app.yaml": _mounting(volume, "/var/lib/app") + (f"---\n{claim}" if claim else ""),
    }
    report = audit_files(**files)
    by_name = {c.name: c for c in report.components}
    assert by_name["app"].depends_on == (by_name["nfs"].id,)
    files["class.yaml"] = NFS_CLASS.replace("files.ns", "elsewhere.ns")
    by_name = {c.name: c for c in audit_files(**files).components}
    assert by_name["app"].depends_on == ()


SMB_CLASS = (
    "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: nfs-csi}\n"
    "provisioner: smb.csi.k8s.io\n"
    "parameters: {source: //files.ns.svc.cluster.local/share}\n"
)
SMB_VOLUME = (
    "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv-smb}\n"
    "spec:\n  claimRef: {name: shared, namespace: ns}\n  accessModes: [ReadWriteMany]\n"
    "  csi: {driver: smb.csi.k8s.io, volumeHandle: one, "
    "volumeAttributes: {source: '//files.ns.svc.cluster.local/share'}}\n"
)


@pytest.mark.parametrize("storage", [SMB_CLASS, SMB_VOLUME])
def test_a_claim_on_an_smb_share_of_the_estate_depends_on_its_server(
    audit_files: Auditor, storage: str
) -> None:
    """The SMB CSI driver names its share by ``source``, ``//server/share``, in the class or in
    the volume's attributes: a claim of it lives on that server; another server is none of the
    estate's."""
    service = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: files, namespace: ns}\n"
        "spec: {selector: {app: nfs}, ports: [{port: 445}]}\n"
    )
    files = {
        "smb.yaml": deployment("nfs", image="example/samba:1") + "---\n" + service,
        "class.yaml": storage,
        "app.yaml": _mounting(CLAIMED, "/var/lib/app") + f"---\n{CLAIM}",
    }
    by_name = {c.name: c for c in audit_files(**files).components}
    assert by_name["app"].depends_on == (by_name["nfs"].id,)
    files["class.yaml"] = storage.replace("files.ns", "elsewhere.ns")
    by_name = {c.name: c for c in audit_files(**files).components}
    assert by_name["app"].depends_on == ()


@pytest.mark.parametrize(
    ("volume", "path", "read_only", "effect"),
    [
        ("data", "/mnt/nfs-vol/app-data", False, Effect.DURABLE),  # both call it data
        ("data", "/mnt/nfs-vol/app", False, Effect.CONTEXT),  # the volume's name alone
        ("share", "/mnt/nfs-vol/app-data", False, Effect.CONTEXT),  # the export's name alone
        ("data", "/mnt/nfs-vol/app-data", True, Effect.CONTEXT),  # read only: it keeps nothing
    ],
)
def test_a_share_its_author_calls_data_at_a_web_root_is_its_durable_state(
    audit_files: Auditor, volume: str, path: str, read_only: bool, effect: Effect
) -> None:
    """phpMyFAQ's web root on an NFS share: ``/var/www/html`` says nothing by itself."""
    text = _mounting(
        f"nfs: {{server: files.example.com, path: {path}}}", "/var/www/html", read_only
    )
    report = audit_files(**{"app.yaml": text.replace("name: share", f"name: {volume}")})
    (finding,) = [f for f in report.findings if f.rule == "NETWORK_FS"]
    assert report.effect_of(finding) is effect
