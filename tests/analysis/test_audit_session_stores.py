"""Pinning clients to the pods of an application that keeps its signed sessions in one shared
store keeps nothing a replacement loses; pinning one that keeps them nowhere the estate shows
stays a warm-up (:mod:`stateward.analysis.audit.session_stores`). Hand-made estates."""

from __future__ import annotations

import pytest

from stateward.analysis.audit import Effect

from .conftest import SIGNED_IN, Auditor

# three replicas of it, pinned by a Service's client IP and an Ingress cookie
PINNED = (
    SIGNED_IN.replace(
        "spec:\n  selector: {matchLabels: {app: web}}",
        "spec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}",
        1,
    )
    + """---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: site}
spec: {selector: {app: web}, ports: [{port: 80}], sessionAffinity: ClientIP}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: site
  annotations: {nginx.ingress.kubernetes.io/affinity: cookie}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
"""
)
assert "replicas: 3" in PINNED


@pytest.mark.parametrize(
    ("secret", "effect"), [("SESSION_SECRET", Effect.CONTEXT), ("SENTRY_DSN", Effect.WARM_UP)]
)
def test_pinning_an_application_whose_sessions_are_in_its_shared_store_loses_nothing(
    audit_files: Auditor, secret: str, effect: Effect
) -> None:
    report = audit_files(**{"site.yaml": PINNED % secret})
    pinned = [
        f for f in report.findings if f.rule in ("SESSION_AFFINITY", "INGRESS_COOKIE_AFFINITY")
    ]
    assert len(pinned) == 2
    assert {report.effect_of(f) for f in pinned} == {effect}
