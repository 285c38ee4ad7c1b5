"""A StatefulSet whose data is on a volume kept without a claim (a hostPath, an NFS export)
does not lose it on replacement: STS_NO_PERSISTENCE stays quiet, HOSTPATH says where it is."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from tests.analysis.conftest import Auditor, rules_of

_ETCD = {"name": "etcd", "image": "registry.k8s.io/etcd:3.6.8-0",
         "command": ["etcd", "--data-dir=/var/lib/etcd"]}  # fmt: skip


def _sts(volume: dict[str, Any], mount_path: str = "/var/lib/etcd") -> str:
    container = {**_ETCD, "volumeMounts": [{"name": "data", "mountPath": mount_path}]}
    pod = {"containers": [container], "volumes": [{"name": "data", **volume}]}
    body = {
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "etcd", "namespace": "ns"},
        "spec": {"serviceName": "etcd", "selector": {"matchLabels": {"app": "etcd"}},
                 "template": {"metadata": {"labels": {"app": "etcd"}}, "spec": pod}},
    }  # fmt: skip
    return yaml.safe_dump(body)


@pytest.mark.parametrize(
    "volume",
    [
        {"hostPath": {"path": "/var/lib/karmada-etcd", "type": "DirectoryOrCreate"}},
        {"nfs": {"server": "nfs.example", "path": "/exports/etcd"}},
    ],
)
def test_data_on_a_volume_kept_without_a_claim_is_not_lost(
    audit_files: Auditor, volume: dict[str, Any]
) -> None:
    report = audit_files(**{"sts.yaml": _sts(volume)})
    assert "STS_NO_PERSISTENCE" not in rules_of(report, "etcd")
    (etcd,) = report.components
    assert str(etcd.lifecycle) == "persistent"


def test_data_on_an_empty_dir_is_still_lost(audit_files: Auditor) -> None:
    report = audit_files(**{"sts.yaml": _sts({"emptyDir": {}})})
    (finding,) = [f for f in report.findings if f.rule == "STS_NO_PERSISTENCE"]
    assert str(finding.severity) == "high"


def test_a_host_path_for_scratch_keeps_nothing(audit_files: Auditor) -> None:
    # a node directory at /tmp is scratch space: the data directory is in the container
    report = audit_files(**{"sts.yaml": _sts({"hostPath": {"path": "/srv/x"}}, "/tmp/x")})
    assert "STS_NO_PERSISTENCE" in rules_of(report, "etcd")
