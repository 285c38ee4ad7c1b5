"""A container whose shell command appends to a file on its own volume keeps a record there;
a generic ephemeral volume loses it with the pod, as an emptyDir does."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from tests.analysis.conftest import Auditor, rules_of

_EPHEMERAL = {
    "ephemeral": {
        "volumeClaimTemplate": {
            "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "nfs-csi",
                     "resources": {"requests": {"storage": "10Gi"}}}
        }
    }
}  # fmt: skip


def _daemonset(script: str, volume: dict[str, Any], path: str = "/mnt/nfs") -> str:
    container = {
        "name": "writer", "image": "mcr.microsoft.com/oss/nginx/nginx:1.19.5",
        "command": ["/bin/bash", "-c", script],
        "volumeMounts": [{"name": "store", "mountPath": path}],
    }  # fmt: skip
    body = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "writer", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "w"}}, "template": {
            "metadata": {"labels": {"app": "w"}},
            "spec": {"containers": [container], "volumes": [{"name": "store", **volume}]}}},
    }  # fmt: skip
    return yaml.safe_dump(body)


_LOOP = "while true; do echo $(date) >> /mnt/nfs/outfile; sleep 1; done"


@pytest.mark.parametrize(
    "script",
    [_LOOP, "while true; do date | tee -a /mnt/nfs/outfile; sleep 1; done"],
)
@pytest.mark.parametrize("volume", [_EPHEMERAL, {"emptyDir": {}}])
def test_appending_to_a_volume_deleted_with_the_pod_loses_the_record(
    audit_files: Auditor, script: str, volume: dict[str, Any]
) -> None:
    report = audit_files(**{"ds.yaml": _daemonset(script, volume)})
    (finding,) = [f for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert "appends to /mnt/nfs/outfile" in finding.message
    (writer,) = report.components
    assert str(writer.loss) == "data"


def test_appending_to_a_claim_keeps_the_record(audit_files: Auditor) -> None:
    report = audit_files(
        **{"ds.yaml": _daemonset(_LOOP, {"persistentVolumeClaim": {"claimName": "c"}})}
    )
    assert "DATA_ON_EPHEMERAL" not in rules_of(report)


@pytest.mark.parametrize(
    ("script", "path"),
    [
        ("echo ready > /mnt/nfs/flag; sleep infinity", "/mnt/nfs"),  # overwritten at each start
        ("while true; do date >> /var/log/app/out.log; sleep 1; done", "/var/log/app"),  # a log
        ("while true; do date >> /srv/out; sleep 1; done", "/mnt/nfs"),  # not on the volume
        ("while true; do date >> /tmp/out; sleep 1; done", "/tmp"),  # scratch
        ("while true; do date | tee -a /var/run/app/beat; sleep 1; done", "/var/run/app"),
    ],
)
def test_what_is_not_appended_on_the_volume_says_nothing(
    audit_files: Auditor, script: str, path: str
) -> None:
    report = audit_files(**{"ds.yaml": _daemonset(script, {"emptyDir": {}}, path)})
    assert "DATA_ON_EPHEMERAL" not in rules_of(report)


def test_a_database_on_a_generic_ephemeral_volume_loses_its_data(audit_files: Auditor) -> None:
    body = yaml.safe_load(_daemonset("", _EPHEMERAL, "/var/lib/postgresql/data"))
    container = body["spec"]["template"]["spec"]["containers"][0]
    container["image"], container["command"] = "postgres:16", []
    report = audit_files(**{"ds.yaml": yaml.safe_dump(body)})
    (finding,) = [f for f in report.findings if f.rule == "DATA_ON_EPHEMERAL"]
    assert "generic ephemeral volume" in finding.message
