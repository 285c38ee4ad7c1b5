"""A registry whose configuration file (a ConfigMap it mounts) names its storage root keeps the
images pushed to it there: on no volume, they go with the container. A root on a volume, a
pull-through cache, or a sidecar reading the same file is no such finding. Small hand-made
Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of

_ZOT = '{"storage": {"rootDirectory": "/var/lib/registry"}, "http": {"port": "5000"}}'
_DISTRIBUTION = "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\n"
_MIRROR = _DISTRIBUTION + "proxy:\n  remoteurl: https://registry-1.docker.io\n"


def _estate(config: str, volume: bool = False, sidecar: bool = False) -> dict[str, str]:
    data = "\n".join("      " + line for line in config.splitlines())
    mounts = "[{name: config, mountPath: /etc/registry}"
    mounts += ", {name: store, mountPath: /var/lib/registry}]" if volume else "]"
    store = "\n      - {name: store, persistentVolumeClaim: {claimName: store}}" if volume else ""
    extra = (
        "\n      - name: exporter\n        image: example.org/acme/exporter:1\n"
        "        volumeMounts: [{name: config, mountPath: /etc/registry}]"
        if sidecar
        else ""
    )
    return {
        "registry.yaml": f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: registry, namespace: ns}}
data:
  config: |
{data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: registry, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: registry}}}}
  template:
    metadata: {{labels: {{app: registry}}}}
    spec:
      containers:
      - name: registry
        image: example.org/acme/registry:1
        args: [serve, /etc/registry/config]
        volumeMounts: {mounts}{extra}
      volumes:
      - {{name: config, configMap: {{name: registry}}}}{store}
"""
    }


def _findings(report: AuditReport) -> list[str]:
    return [f.message for f in report.findings if f.rule == "APP_DATA_NO_VOLUME"]


@pytest.mark.parametrize("config", [_ZOT, _DISTRIBUTION])
def test_a_registry_root_on_no_volume_holds_pushed_images(
    audit_files: Auditor, config: str
) -> None:
    report = audit_files(**_estate(config))
    (message,) = _findings(report)
    assert "/var/lib/registry" in message
    (component,) = report.components
    assert str(component.loss) == "data"


def test_a_registry_root_on_a_claim_is_kept(audit_files: Auditor) -> None:
    report = audit_files(**_estate(_ZOT, volume=True))
    assert "APP_DATA_NO_VOLUME" not in rules_of(report)


def test_a_pull_through_cache_keeps_no_data(audit_files: Auditor) -> None:
    assert _findings(audit_files(**_estate(_MIRROR))) == []


def test_a_sidecar_reading_the_registry_config_is_not_the_registry(audit_files: Auditor) -> None:
    report = audit_files(**_estate(_ZOT, sidecar=True))
    (message,) = _findings(report)
    assert message.startswith("'registry'")
