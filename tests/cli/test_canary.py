"""A canary secret value, placed everywhere a secret can hide in the inputs, appears nowhere."""

from __future__ import annotations

import base64
import json
import logging
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from stateward.cli import main
from stateward.store import open_store

CANARY = "canary-7f3a9c-do-not-leak"


def _inputs(root: Path) -> None:
    b64 = base64.b64encode(CANARY.encode()).decode()
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                          "stringData": {"pw": CANARY}})  # fmt: skip
    (root / "k8s.yaml").write_text(
        f"""apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{applied}'
data: {{pw: {b64}}}
stringData: {{other: {CANARY}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: app}}
spec:
  template:
    metadata: {{labels: {{app: a}}}}
    spec:
      containers:
        - name: app
          image: app:1
          args: ["--db-password={CANARY}", "--url=mysql://root:{CANARY}@mysql:3306/x"]
          env:
            - {{name: DB_PASSWORD, value: {CANARY}}}
            - {{name: DATABASE_URL, value: "postgres://u:{CANARY}@db/app"}}
            - {{name: FROM_SECRET, valueFrom: {{secretKeyRef: {{name: s, key: pw}}}}}}
"""
    )
    project = root / "compose"
    project.mkdir()
    (project / ".env").write_text(f"ADMIN_PASSWORD={CANARY}\n")
    (project / "pw.txt").write_text(CANARY)
    (project / "compose.yaml").write_text(
        f"""services:
  web:
    image: web:1
    command: ["serve", "--token={CANARY}"]
    entrypoint: run --password={CANARY}
    environment:
      ADMIN_PASSWORD: ${{ADMIN_PASSWORD}}
      API_TOKEN: "{CANARY}"
    secrets: [pw]
secrets:
  pw: {{file: ./pw.txt}}
"""
    )


def test_canary_never_reaches_store_output_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    _inputs(inputs)
    store = tmp_path / "store"
    runner = CliRunner()
    outputs = []
    for args in (
        ["scan", str(inputs), "--estate", "e", "--json"],
        ["scan", str(inputs), "--estate", "e"],
        ["show", "e", "--json"],
        ["show", "e", "k8s:Deployment/default/app"],
        ["show", "e", "compose:compose/web", "--json"],
        ["history", "e", "--json"],
    ):
        result = runner.invoke(main, [*args, "--store", str(store)])
        assert result.exit_code == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    assert "hmac-sha256:" in "".join(outputs)  # the secrets were seen, as digests
    assert all(CANARY not in text for text in outputs)
    assert CANARY not in caplog.text
    for path in store.iterdir():
        assert CANARY.encode() not in path.read_bytes(), path
    opened = open_store(str(store))
    rows = opened.db.read_only(lambda c: c.execute("SELECT data FROM objects"))
    assert rows
    for (data,) in rows:
        assert CANARY.encode() not in zlib.decompress(data)
        assert base64.b64encode(CANARY.encode()) not in zlib.decompress(data)
