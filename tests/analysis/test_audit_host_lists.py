"""A variable named for hosts that lists several (``VESPA_CONFIGSERVERS=cfg-0.internal,
cfg-1.internal``) names each of them, as one with a single host does; a list with anything but
host names in it names none. Small hand-made Kubernetes estates."""

from __future__ import annotations

import pytest

from .conftest import Auditor

_SERVERS = """\
    apiVersion: v1
    kind: Service
    metadata: {name: cfg-internal, namespace: ns}
    spec:
      clusterIP: None
      selector: {app: cfg}
      ports: [{port: 19071}]
    ---
    apiVersion: apps/v1
    kind: StatefulSet
    metadata: {name: cfg, namespace: ns}
    spec:
      serviceName: cfg-internal
      replicas: 2
      selector: {matchLabels: {app: cfg}}
      template:
        metadata: {labels: {app: cfg}}
        spec:
          containers:
          - name: cfg
            image: example.org/acme/config-server:1
    """

_CLIENT = """\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {{name: client, namespace: ns}}
    spec:
      selector: {{matchLabels: {{app: client}}}}
      template:
        metadata: {{labels: {{app: client}}}}
        spec:
          containers:
          - name: client
            image: example.org/acme/client:1
            env:
            - {{name: {name}, value: "{value}"}}
    """

_LIST = "cfg-0.cfg-internal.ns.svc.cluster.local, cfg-1.cfg-internal.ns.svc.cluster.local"


def _dependents(audit_files: Auditor, name: str, value: str) -> tuple[str, ...]:
    report = audit_files(
        **{"servers.yaml": _SERVERS, "client.yaml": _CLIENT.format(name=name, value=value)}
    )
    (cfg,) = [c for c in report.components if c.name == "cfg"]
    return report.affected_by(cfg.id)


@pytest.mark.parametrize(
    "value", [_LIST, _LIST.replace(", ", ","), "cfg-0.cfg-internal.ns.svc.cluster.local"]
)
def test_a_list_of_hosts_names_each_server(audit_files: Auditor, value: str) -> None:
    assert _dependents(audit_files, "CONFIG_SERVERS", value) == ("k8s:Deployment/ns/client",)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONFIG_SERVERS", _LIST + ", not a host"),
        ("CONFIG_SERVERS", _LIST + ","),
        ("GREETING", _LIST),
    ],
)
def test_a_list_with_anything_else_names_none(audit_files: Auditor, name: str, value: str) -> None:
    assert _dependents(audit_files, name, value) == ()
