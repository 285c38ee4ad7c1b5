"""Context joins: what a workload references, and what references it."""

from __future__ import annotations

from pathlib import Path

from stateward.api import observe
from stateward.model.secrets import SecretKeeper

ESTATE = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  template:
    metadata: {labels: {app: api, tier: backend}}
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - {name: DB_PASS, valueFrom: {secretKeyRef: {name: db-creds, key: pw}}}
            - {name: MODE, valueFrom: {configMapKeyRef: {name: settings, key: mode}}}
            - {name: OPT, valueFrom: {configMapKeyRef: {name: absent, key: x, optional: true}}}
          envFrom: [{configMapRef: {name: settings}, prefix: CFG_}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: prod}
data: {mode: fast}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec: {selector: {app: api}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: prod}
spec: {selector: {app: other}, ports: [{port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: edge, namespace: gateway}
spec:
  hosts: [shop.example.com]
  http: [{route: [{destination: {host: api.prod.svc.cluster.local}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: other, namespace: prod}
spec: {host: other}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: prod}
spec: {mtls: {mode: STRICT}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: backend, namespace: prod}
spec:
  podSelector: {matchExpressions: [{key: tier, operator: In, values: [backend]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-only, namespace: prod}
spec:
  podSelector: {matchLabels: {tier: frontend}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api, namespace: prod}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}, maxReplicas: 4}
"""


def test_joins_and_missing_references(tmp_path: Path) -> None:
    (tmp_path / "estate.yaml").write_text(ESTATE)
    obs = observe([str(tmp_path)], estate="e", keeper=SecretKeeper.at(tmp_path / "k"))
    (api,) = obs.components
    ctx = api.context
    assert ctx["env"]["api"]["MODE"] == {"configMap": "settings", "key": "mode", "value": "fast"}
    assert ctx["env"]["api"]["envFrom:ConfigMap/settings"]["keys"] == {"mode": "fast"}
    assert ctx["secret"]["api"]["DB_PASS"] == {"secret": "db-creds", "key": "pw", "digest": None}
    assert set(ctx["network"]["services"]) == {"api"}
    assert set(ctx["network"]["networkPolicies"]) == {"backend"}
    assert set(ctx["mesh"]) == {"VirtualService/gateway/edge", "PeerAuthentication/prod/default"}
    assert ctx["scale"]["hpa"]["api"]["maxReplicas"] == 4
    missing = {(f.severity.value, f.message) for f in obs.findings if f.rule == "MISSING_REFERENCE"}
    assert missing == {
        ("medium", "env DB_PASS refers to Secret db-creds, not in the estate"),
        ("info", "env OPT refers to ConfigMap absent, not in the estate"),
    }


def test_context_fingerprint_ignores_formatting_and_order(tmp_path: Path) -> None:
    keeper = SecretKeeper.at(tmp_path / "k")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x.yaml").write_text(ESTATE)
    docs = ESTATE.split("---\n")
    (b / "x.json.yaml").write_text(
        "---\n".join(reversed(docs)).replace(
            "{app: api, tier: backend}", "{tier: backend, app: api}"
        )
    )
    fa = observe([str(a)], estate="e", keeper=keeper).components[0]
    fb = observe([str(b)], estate="e", keeper=keeper).components[0]
    assert (fa.binary_fingerprint, fa.context_fingerprint) == (
        fb.binary_fingerprint,
        fb.context_fingerprint,
    )


def test_workloads_of_one_tagged_image_share_its_finding_text(tmp_path: Path) -> None:
    """A scan holds every finding to its end: equal texts are one object, and say the same."""
    workloads = "\n---\n".join(
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: w{i}, namespace: prod}}\n"
        f"spec: {{template: {{spec: {{containers: [{{name: c, image: {image}}}]}}}}}}"
        for i, image in enumerate(["api:1", "api:1", "web:2"])
    )
    (tmp_path / "estate.yaml").write_text(workloads)
    obs = observe([str(tmp_path)], estate="e", keeper=SecretKeeper.at(tmp_path / "k"))
    first, second, third = (f.message for f in obs.findings if f.rule == "UNPINNED_IMAGE")
    assert first == second == "image api:1 is a tag, not a digest: the binary can change under it"
    assert first is second and third.startswith("image web:2 ")
