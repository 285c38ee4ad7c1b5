"""Operator families decided by a default (:mod:`stateward.analysis.audit.operator_defaults`),
a custom resource's pod-template volumes and the references of resources that hold nothing.
Small hand-made resources: without the families, a Redpanda or a Grafana asks for no storage
and is no component at all."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Lifecycle

from .conftest import Auditor, rules_of
from .conftest import custom_resource as _cr

VM = "operator.victoriametrics.com/v1beta1"
GRAFANA = "grafana.integreatly.org/v1beta1"


@pytest.mark.parametrize(
    ("api", "kind", "spec", "size"),
    [
        ("redpanda.vectorized.io/v1alpha1", "Cluster", "spec: {replicas: 1}", "100Gi"),
        ("redpanda.vectorized.io/v1alpha1", "Cluster", "spec: {storage: {capacity: 5Gi}}", "5Gi"),
        ("cluster.redpanda.com/v1alpha2", "Redpanda", "spec: {}", "20Gi"),
        ("cluster.redpanda.com/v1alpha2", "Redpanda",
         "spec: {clusterSpec: {storage: {persistentVolume: {size: 7Gi}}}}", "7Gi"),
        (GRAFANA, "Grafana", "spec: {persistentVolumeClaim: {spec: {resources: {requests: "
         "{storage: 2Gi}}}}}", "2Gi"),
    ],
)  # fmt: skip
def test_a_default_claim_is_durable_data(
    audit_files: Auditor, api: str, kind: str, spec: str, size: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    (claims,) = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    assert f" {size} " in claims


@pytest.mark.parametrize(
    ("api", "kind", "spec"),
    [
        ("cluster.redpanda.com/v1alpha2", "Redpanda",
         "spec: {clusterSpec: {storage: {persistentVolume: {enabled: false}}}}"),
        (GRAFANA, "Grafana", "spec: {config: {log: {mode: console}}}"),
        (GRAFANA, "Grafana", "spec: {config: {database: {type: sqlite3}}}"),
    ],
)  # fmt: skip
def test_a_default_emptydir_loses_the_data(
    audit_files: Auditor, api: str, kind: str, spec: str
) -> None:
    report = audit_files(**{"cr.yaml": _cr(api, kind, spec)})
    (component,) = report.components
    assert "OPERATOR_EPHEMERAL" in rules_of(report, "x")
    assert str(component.loss) == "data"


def test_a_grafana_on_a_database_server_holds_nothing_and_depends_on_it(
    audit_files: Auditor,
) -> None:
    grafana = _cr(GRAFANA, "Grafana", "spec: {config: {database: {type: postgres, "
                  "host: 'pg:5432'}}}", "g")  # fmt: skip
    report = audit_files(**{"g.yaml": grafana, "pg.yaml": _postgres("pg")})
    by_name = {c.name: c for c in report.components}
    assert str(by_name["g"].loss) == "none"
    assert by_name["g"].depends_on == (by_name["pg"].id,)


def test_a_vmalert_reaches_the_services_the_operator_creates(audit_files: Auditor) -> None:
    alert = _cr(VM, "VMAlert", "spec: {datasource: {url: 'http://vmsingle-m.ns.svc:8429'}, "
                "notifiers: [{url: 'http://vmalertmanager-am:9093'}]}", "rules")  # fmt: skip
    report = audit_files(**{
        "a.yaml": alert,
        "m.yaml": _cr(VM, "VMSingle", "spec: {}", "m"),
        "am.yaml": _cr(VM, "VMAlertmanager", "spec: {}", "am"),
    })  # fmt: skip
    by_name = {c.name: c for c in report.components}
    assert set(by_name["rules"].depends_on) == {by_name["m"].id, by_name["am"].id}
    assert str(by_name["rules"].loss) == "none"
    assert by_name["m"].gravity > by_name["rules"].gravity


def test_a_pod_template_volume_is_read_when_the_family_places_no_storage(
    audit_files: Auditor,
) -> None:
    template = """spec:
      flinkConfiguration: {state.checkpoints.dir: 'file:///flink-data/checkpoints'}
      podTemplate:
        spec:
          containers: [{name: flink-main-container, volumeMounts: [{name: d, mountPath: /flink-data},
                        {name: logs, mountPath: /var/log/x, readOnly: true}]}]
          volumes: [{name: d, hostPath: {path: /tmp/flink}}, {name: logs, hostPath: {path: /var/log}}]
    """
    report = audit_files(**{"f.yaml": _cr("flink.apache.org/v1beta1", "FlinkDeployment", template)})
    (component,) = report.components
    assert component.lifecycle is Lifecycle.PERSISTENT
    (claims,) = {f.message for f in report.findings if f.rule == "OPERATOR_CLAIMS"}
    assert "hostPath /tmp/flink" in claims
    assert "/var/log" not in claims


def test_read_only_and_node_view_template_volumes_are_no_storage(audit_files: Auditor) -> None:
    template = """spec:
      podTemplate:
        spec:
          containers: [{name: c, volumeMounts: [{name: ro, mountPath: /in, readOnly: true},
                        {name: sys, mountPath: /host/sys}, {name: tmp, mountPath: /tmp}]}]
          volumes: [{name: ro, hostPath: {path: /data}}, {name: sys, hostPath: {path: /sys}},
                    {name: tmp, emptyDir: {}}]
    """
    report = audit_files(**{"f.yaml": _cr("flink.apache.org/v1beta1", "FlinkDeployment", template)})
    (component,) = report.components
    assert component.lifecycle is not Lifecycle.PERSISTENT
    assert str(component.loss) == "none"


def test_a_resource_that_names_its_cluster_is_a_component_holding_nothing(
    audit_files: Auditor,
) -> None:
    cluster = _cr("pgv2.percona.com/v2", "PerconaPGCluster", "spec: {instances: [{replicas: 1, "
                  "dataVolumeClaimSpec: {resources: {requests: {storage: 1Gi}}}}]}", "c1")  # fmt: skip
    backup = _cr("pgv2.percona.com/v2", "PerconaPGBackup", "spec: {pgCluster: c1, repoName: r1}",
                 "b1")  # fmt: skip
    report = audit_files(**{"c.yaml": cluster, "b.yaml": backup})
    by_name = {c.name: c for c in report.components}
    assert by_name["b1"].depends_on == (by_name["c1"].id,)
    assert str(by_name["b1"].loss) == "none"
    assert rules_of(report, "b1") <= {"STATE_DEPENDENCY"}


def test_a_resource_naming_no_cluster_and_asking_no_storage_is_no_component(
    audit_files: Auditor,
) -> None:
    certificate = _cr("cert-manager.io/v1", "Certificate", "spec: {secretName: tls, commonName: "
                      "c1, issuerRef: {name: letsencrypt}}")  # fmt: skip
    report = audit_files(**{"c.yaml": certificate})
    assert report.components == ()


def _postgres(name: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers: [{{name: db, image: 'postgres:16', ports: [{{containerPort: 5432}}]}}]
---
apiVersion: v1
kind: Service
metadata: {{name: {name}, namespace: ns}}
spec: {{selector: {{app: {name}}}, ports: [{{port: 5432}}]}}
"""
