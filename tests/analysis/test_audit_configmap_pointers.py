"""A data directory named in a variable a container takes from a ConfigMap (``envFrom``,
``configMapKeyRef``) is its environment as much as one it sets: on no volume, its data is in the
container's layer. Mounted, or named by a variable of no data name, it is not. Small hand-made
manifests."""

from __future__ import annotations

import pytest

from .conftest import Auditor, rules_of

_CONFIG = """\
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: ns}
data: {UPLOAD_DIR: /upload-dir, LOG_LEVEL: DEBUG, CERTIFICATE_PATH: /, %s}
---
"""


def _server(env: str, mounts: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: server, namespace: ns}}
spec:
  selector: {{matchLabels: {{app: server}}}}
  template:
    metadata: {{labels: {{app: server}}}}
    spec:
      {"volumes: [{name: up, persistentVolumeClaim: {claimName: up}}]" if mounts else ""}
      containers:
        - name: server
          image: example/plants:1
          {env}
          {mounts}
"""


@pytest.mark.parametrize(
    ("extra", "env"),
    [
        ("X: y", "envFrom: [{configMapRef: {name: app-config}}]"),
        (
            "MEDIA_ROOT: /media",
            "env: [{name: MEDIA_ROOT, valueFrom: {configMapKeyRef: "
            "{name: app-config, key: MEDIA_ROOT}}}]",
        ),
    ],
)
def test_a_data_directory_from_a_configmap_on_no_volume_is_in_the_container(
    audit_files: Auditor, extra: str, env: str
) -> None:
    report = audit_files(**{"app.yaml": _CONFIG % extra + _server(env)})
    assert "APP_DATA_NO_VOLUME" in rules_of(report, "server")
    (component,) = [c for c in report.components if c.name == "server"]
    assert str(component.loss) == "data"


@pytest.mark.parametrize(
    ("env", "mounts"),
    [
        ("envFrom: [{configMapRef: {name: app-config}}]",
         "volumeMounts: [{name: up, mountPath: /upload-dir}]"),  # mounted
        ("env: [{name: LOG_DIR, value: /var/log/app}]", ""),  # the map is not taken
    ],
)  # fmt: skip
def test_a_mounted_one_or_a_map_not_taken_is_no_finding(
    audit_files: Auditor, env: str, mounts: str
) -> None:
    report = audit_files(**{"app.yaml": _CONFIG % "X: y" + _server(env, mounts)})
    assert "APP_DATA_NO_VOLUME" not in rules_of(report, "server")
