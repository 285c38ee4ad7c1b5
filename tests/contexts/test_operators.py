"""Operator custom resources are scan components, under the ids the state audit gives them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stateward.analysis.audit import audit
from stateward.analysis.audit.operators import FAMILIES, Family, register_family
from stateward.api import observe
from stateward.contexts.operators import OPERATOR_KINDS, OperatorKind
from stateward.model.observation import Observation
from stateward.model.secrets import SecretKeeper

ESTATE = """\
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: pg, namespace: db}
spec:
  instances: 3
  imageName: ghcr.io/cloudnative-pg/postgresql:16.4
  storage: {size: 20Gi}
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: main, namespace: mon}
spec: {replicas: 2, image: quay.io/prometheus/prometheus:v2.53.0}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus, namespace: mon}
spec: {selector: {prometheus: main}, ports: [{port: 9090}]}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, namespace: db}
spec: {size: 1}
"""


def _observe(tmp_path: Path, text: str = ESTATE) -> Observation:
    (tmp_path / "estate.yaml").write_text(text, encoding="utf-8")
    return observe([str(tmp_path)], estate="t", keeper=SecretKeeper(b"s" * 32))


def test_operator_resources_are_components_with_their_context(tmp_path: Path) -> None:
    observation = _observe(tmp_path)
    by_id = {c.id: c for c in observation.components}
    pg, prom = by_id["k8s:Cluster/db/pg"], by_id["k8s:Prometheus/mon/main"]
    assert pg.context["scale"] == {"replicas": 3}
    assert pg.context["config"]["spec"]["storage"] == {"size": "20Gi"}
    assert [i.ref for i in pg.images] == ["ghcr.io/cloudnative-pg/postgresql:16.4"]
    assert "prometheus" in prom.context["network"]["services"]
    assert not any(c.kind == "Widget" for c in observation.components)


def test_scan_and_audit_name_operator_components_alike(tmp_path: Path) -> None:
    observation = _observe(tmp_path)
    report = audit(observation)
    scanned = {c.id for c in observation.components if c.kind in ("Cluster", "Prometheus")}
    audited = {c.id for c in report.components if c.kind in ("Cluster", "Prometheus")}
    assert scanned == audited == {"k8s:Cluster/db/pg", "k8s:Prometheus/mon/main"}


def test_every_audit_family_is_a_scan_kind() -> None:
    for key, family in FAMILIES.items():
        assert OPERATOR_KINDS[key] is family.operator


@pytest.fixture
def widget_family() -> Iterator[Family]:
    kind = OperatorKind("example.com", "Widget", ("spec", "size"), "widget")
    yield register_family(Family(kind, "database", lambda body: [], "https://example.com/crd"))
    FAMILIES.pop(("example.com", "Widget"))
    OPERATOR_KINDS.pop(("example.com", "Widget"))


def test_a_plugin_family_becomes_a_scan_component(tmp_path: Path, widget_family: Family) -> None:
    observation = _observe(tmp_path)
    widget = next(c for c in observation.components if c.kind == "Widget")
    assert widget.id == "k8s:Widget/db/w" and widget.context["scale"] == {"replicas": 1}
    assert widget.id in {c.id for c in audit(observation).components}
