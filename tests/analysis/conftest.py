"""Audit small estates written to disk and read by the real sources."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from stateward.analysis.audit import AuditReport, Effect, audit
from stateward.api import observe
from stateward.model.secrets import SecretKeeper

Auditor = Callable[..., AuditReport]


@pytest.fixture
def audit_files(tmp_path: Path) -> Auditor:
    """``audit_files(**{"name.yaml": text})``: write the files, observe the folder, audit it."""

    def run(**files: str) -> AuditReport:
        for name, text in files.items():
            path = tmp_path / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        observation = observe([str(tmp_path)], estate="t", keeper=SecretKeeper(b"s" * 32))
        assert observation.errors == [], [e.message for e in observation.errors]
        return audit(observation)

    return run


def rules_of(report: AuditReport, component: str | None = None) -> set[str]:
    """Rule IDs found (on one component, matched by name or id suffix)."""
    return {
        f.rule for f in report.findings
        if component is None or (f.component or "").endswith("/" + component)
    }  # fmt: skip


def effect_of_one(report: AuditReport, rule: str, text: str) -> Effect:
    """The effect of the one ``rule`` finding whose message contains ``text``."""
    (finding,) = [f for f in report.findings if f.rule == rule and text in f.message]
    return report.effect_of(finding)


def custom_resource(api: str, kind: str, spec: str, name: str = "x") -> str:
    """One custom resource as YAML, in namespace ``ns``."""
    return f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: {name}, namespace: ns}}\n{spec}\n"


def deployment(
    name: str, pod: str = "", image: str = "busybox:1", annotations: str = "{}", container: str = ""
) -> str:
    """A one-container Deployment opening a port, in namespace ``ns``, with ``pod`` spliced into
    its pod spec (volumes …) and ``container``'s lines into its container (volumeMounts, args …)."""
    container = "\n          ".join(container.splitlines())
    return f"""apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}, annotations: {annotations}}}
    spec:
      {pod}
      containers:
        - name: c
          ports: [{{containerPort: 8080}}]
          image: '{image}'
          {container}
"""


# A web application handed a session secret (its variable's name in %s) beside its one memcached,
# the store it keeps its sessions in (:mod:`stateward.analysis.audit.session_stores`).
SIGNED_IN = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: site}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: example/portal:1
          env:
            - {name: MEMCACHED_SERVER, value: memcached.site.svc.cluster.local}
            - name: %s
              valueFrom: {secretKeyRef: {name: web, key: secret}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: memcached, namespace: site}
spec:
  selector: {matchLabels: {app: memcached}}
  template:
    metadata: {labels: {app: memcached}}
    spec:
      containers: [{name: cache, image: "memcached:alpine", ports: [{containerPort: 11211}]}]
---
apiVersion: v1
kind: Service
metadata: {name: memcached, namespace: site}
spec: {selector: {app: memcached}, ports: [{port: 11211}]}
"""
