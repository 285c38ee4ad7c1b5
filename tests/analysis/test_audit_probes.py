"""An image named for a store that speaks no HTTP (``hello-app-redis``), whose container declares
none of the store's ports and answers an HTTP probe, runs a web program of its own, not the
store; the store's own image, or one declaring the store's port beside an HTTP probe, is still
read as the store. Small hand-made Kubernetes estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import AuditReport

from .conftest import Auditor, rules_of


def _deployment(image: str, extra: str) -> str:
    return f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: web, namespace: ns}}
        spec:
          selector: {{matchLabels: {{app: web}}}}
          template:
            metadata: {{labels: {{app: web}}}}
            spec:
              containers:
              - name: web
                image: {image}
{extra}
        """


_HTTP_READY = """\
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
"""


def _loss(report: AuditReport) -> str:
    (component,) = report.components
    return str(component.loss)


@pytest.mark.parametrize(
    "image",
    [
        "us-docker.pkg.dev/samples/hello-app-redis:1.0",
        "example.org/shop/orders-postgres-api:2",
        "example.org/kafka-rest-bridge:1",
    ],
)
def test_an_image_named_for_a_store_answering_http_is_a_web_program(
    audit_files: Auditor, image: str
) -> None:
    report = audit_files(**{"web.yaml": _deployment(image, _HTTP_READY)})
    assert "DATA_IMAGE_NO_VOLUME" not in rules_of(report)
    assert _loss(report) == "none"


@pytest.mark.parametrize(
    ("image", "extra"),
    [
        # No probe at all: the name is all there is, and it names the store.
        ("us-docker.pkg.dev/samples/hello-app-redis:1.0", ""),
        # A probe that is no HTTP request.
        ("redis:7", "                livenessProbe:\n                  tcpSocket: {port: 6379}\n"),
        # The store's own port declared: an HTTP sidecar in the pod may answer the probe.
        (
            "postgres:17",
            "                ports:\n                - containerPort: 5432\n" + _HTTP_READY,
        ),
    ],
)
def test_a_store_image_without_that_evidence_keeps_its_data(
    audit_files: Auditor, image: str, extra: str
) -> None:
    report = audit_files(**{"web.yaml": _deployment(image, extra)})
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
    assert _loss(report) == "data"


def test_a_store_that_serves_http_itself_is_not_read_by_its_probe(audit_files: Auditor) -> None:
    # Elasticsearch answers HTTP on 9200: an HTTP probe says nothing against it being the store.
    extra = "                readinessProbe:\n                  httpGet: {path: /, port: 9200}\n"
    report = audit_files(
        **{"web.yaml": _deployment("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", extra)}
    )
    assert "DATA_IMAGE_NO_VOLUME" in rules_of(report)
