"""Canary secrets, one per form a secret takes in the inputs, appear nowhere: not in any command's
output (human, --json, SARIF), not in the logs, not in a stored object, not in an exported tile.

Each form plants its own canary, and a second generation of the inputs changes every one of them,
so ``timeline`` and ``drift`` have changed secrets to show (as digests) and a leak names its form.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import sqlite3
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from stateward.cli import main

FORMS = (
    "secret_data", "secret_string_data", "last_applied", "secret_data_list", "secret_data_str",
    "secret_string_data_str", "secret_annotation", "env_password", "env_url", "pin_number",
    "redis_url", "jdbc_mysql", "jdbc_postgres", "webhook_path", "github_pat", "stripe_sk",
    "signing_salt", "any_token", "any_key", "arg_eq", "arg_url", "arg_token_pair",
    "arg_password_pair", "arg_mysql_p", "sh_mysql_p", "sh_token", "sh_url", "probe_redis_cli",
    "cm_db_password", "cm_database_url", "cm_spring", "cm_redis_conf", "cm_yaml_file",
    "comment_line", "comment_on_value", "comment_finding", "dotenv", "secret_file",
    "compose_token_eq", "compose_entrypoint_str", "compose_api_token", "compose_entrypoint_pair",
    "compose_command_sh", "compose_health", "build_args_map", "build_args_list",
    "label_basicauth", "config_content", "compose_comment", "dotenv_neutral", "bound_file",
)  # fmt: skip


def canaries(generation: str) -> dict[str, str]:
    """A canary per form; lower-case letters outside a-f so no hex digest can contain one."""
    return {form: f"cnry{generation}{form.replace('_', 'q')}zz" for form in FORMS}


def _k8s(c: dict[str, str], pin: int) -> str:
    b64 = base64.b64encode(c["secret_data"].encode()).decode()
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                          "stringData": {"pw": c["last_applied"]}})  # fmt: skip
    return f"""apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{applied}'
    note: {c["secret_annotation"]}
data: {{pw: {b64}}}
stringData: {{other: {c["secret_string_data"]}}}
---
apiVersion: v1
kind: Secret
metadata: {{name: s-list}}
data: [{c["secret_data_list"]}]
---
apiVersion: v1
kind: Secret
metadata: {{name: s-str}}
data: {c["secret_data_str"]}
stringData: {c["secret_string_data_str"]}
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: cm}}
data:
  db_password: {c["cm_db_password"]}
  DATABASE_URL: postgres://app:{c["cm_database_url"]}@db
  application.properties: |
    spring.datasource.url=jdbc:postgresql://db/app
    spring.datasource.password={c["cm_spring"]}
  redis.conf: |
    port 6379
    requirepass {c["cm_redis_conf"]}
  config.yaml: |
    db:
      host: db
      password: "{c["cm_yaml_file"]}"
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
          # password: {c["comment_line"]}
          args: ["--db-password={c["arg_eq"]}", "--url=mysql://root:{c["arg_url"]}@mysql:3306/x",
                 "--token", "{c["arg_token_pair"]}", "--password", "{c["arg_password_pair"]}"]
          env:
            - {{name: DB_PASSWORD, value: {c["env_password"]}}}
            - {{name: DATABASE_URL, value: "postgres://u:{c["env_url"]}@db/app"}}
            - {{name: FROM_SECRET, valueFrom: {{secretKeyRef: {{name: s, key: pw}}}}}}
            - {{name: PIN_PASSWORD, value: {pin}}}
            - {{name: REDIS_URL, value: "redis://:{c["redis_url"]}@redis:6379"}}
            - {{name: DB_JDBC, value: "jdbc:mysql://app:{c["jdbc_mysql"]}@db/app"}}
            - {{name: PG_JDBC, value: "jdbc:postgresql://db/app?user=app&password={c["jdbc_postgres"]}"}}
            - {{name: WEBHOOK_URL, value: "https://hooks.example.com/services/{c["webhook_path"]}"}}
            - {{name: GITHUB_PAT, value: {c["github_pat"]}}}
            - {{name: STRIPE_SK, value: {c["stripe_sk"]}}}
            - {{name: SIGNING_SALT, value: {c["signing_salt"]}}}
            - {{name: SESSION_TOKEN, value: {c["any_token"]}}}
            - {{name: APP_KEY, value: {c["any_key"]}}}
            - name: ADMIN_PASSWORD
              value: {c["comment_on_value"]}  # rotated yearly
        - name: mysql
          image: mysql:8
          command: ["mysqladmin", "ping", "-p{c["arg_mysql_p"]}"]
        - name: shell
          image: busybox:1
          args: ["sh", "-c", "mysql -uroot -p{c["sh_mysql_p"]} -h db && app --token {c["sh_token"]} && curl https://u:{c["sh_url"]}@db/"]
          livenessProbe:
            exec: {{command: ["redis-cli", "-a", "{c["probe_redis_cli"]}", "ping"]}}
        - name: cache
          image: redis:7
          args: ["--maxmemory 64mb --requirepass {c["comment_finding"]}"]  # session cache
"""


def _compose(c: dict[str, str]) -> str:
    return f"""services:
  web:
    image: web:1
    command: ["serve", "--token={c["compose_token_eq"]}"]
    entrypoint: run --password={c["compose_entrypoint_str"]}
    environment:
      ADMIN_PASSWORD: ${{ADMIN_PASSWORD}}
      API_TOKEN: "{c["compose_api_token"]}"
      OTHER_PASSWORD: {c["compose_comment"]}  # must match the db
    secrets: [pw]
    labels:
      - "traefik.http.middlewares.auth.basicauth.users=admin:$$apr1$${c["label_basicauth"]}"
  worker:
    image: worker:1
    build:
      context: .
      args: {{NPM_TOKEN: {c["build_args_map"]}}}
    entrypoint: ["run", "--token", "{c["compose_entrypoint_pair"]}"]
    command: sh -c "mysql -uroot -p{c["compose_command_sh"]} -h db"
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a {c["compose_health"]} ping"]
  other:
    build:
      context: .
      args: ["GITHUB_PAT={c["build_args_list"]}"]
    command: ["relay", "${{RELAY_TOKEN}}"]
    configs: [app]
    volumes: ["./relay.conf:/etc/relay/relay.conf:ro"]
secrets:
  pw: {{file: ./pw.txt}}
configs:
  app:
    content: |
      requirepass {c["config_content"]}
"""


def _inputs(root: Path, generation: str) -> dict[str, str]:
    c = canaries(generation)
    root.mkdir(parents=True)
    pin = 98765432100 + ord(generation)  # a number under a secret name, read by YAML as int
    c["pin_number"] = str(pin)
    (root / "k8s.yaml").write_text(_k8s(c, pin))
    project = root / "compose"
    project.mkdir()
    (project / ".env").write_text(
        f"ADMIN_PASSWORD={c['dotenv']}\nRELAY_TOKEN={c['dotenv_neutral']}\n"
    )
    (project / "pw.txt").write_text(c["secret_file"])
    (project / "relay.conf").write_text(f"upstream: redis://:{c['bound_file']}@cache:6379/0\n")
    (project / "compose.yaml").write_text(_compose(c))
    return c


def _leaks(text: str | bytes, planted: dict[str, str]) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [
        form
        for form, canary in planted.items()
        if canary.encode() in data or base64.b64encode(canary.encode()) in data
    ]


def _stored(store: Path) -> list[bytes]:
    """Every file under the store, and every cell of every table, decompressed where it is."""
    blobs = [p.read_bytes() for p in store.rglob("*") if p.is_file()]
    with sqlite3.connect(f"file:{store / 'store.db'}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):  # names from sqlite_master
                blobs += [_inflate(cell) for cell in row if isinstance(cell, bytes | str)]
    return blobs


def _inflate(cell: bytes | str) -> bytes:
    data = cell.encode() if isinstance(cell, str) else cell
    for inflate in (zlib.decompress, gzip.decompress):
        try:
            return inflate(data)
        except (zlib.error, OSError, EOFError):
            continue
    return data


def test_every_canary_stays_out_of_outputs_logs_store_and_tiles(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    first, second = tmp_path / "a", tmp_path / "b"
    planted = {f"{form}@a": v for form, v in _inputs(first, "a").items()}
    planted |= {f"{form}@b": v for form, v in _inputs(second, "b").items()}
    store, tiles = tmp_path / "store", tmp_path / "tiles"
    runner, outputs = CliRunner(), list[tuple[str, str]]()
    for args in (
        ["scan", str(first), "--estate", "e", "--json"],
        ["scan", str(second), "--estate", "e"],
        ["show", "e", "--json"],
        ["show", "e", "k8s:Deployment/default/app"],
        ["show", "e", "k8s:Deployment/default/app", "--json"],
        ["show", "e", "compose:compose/web", "--json"],
        ["show", "e", "compose:compose/worker"],
        ["at", "2100-01-01T00:00:00Z", "--estate", "e"],
        ["at", "2100-01-01T00:00:00Z", "--estate", "e", "--json"],
        ["timeline", "--estate", "e"],
        ["timeline", "--estate", "e", "--json"],
        ["history", "e", "--json"],
        ["drift", str(first), str(second)],
        ["drift", str(first), str(second), "--json"],
        ["drift", str(first), str(second), "--sarif", "-"],
        ["audit", str(first), "--sarif", "-"],
        ["audit", str(second), "--json"],
        ["audit", str(second)],
        ["ledger", "export", "--tiles", str(tiles)],
    ):
        result = runner.invoke(main, [*args, "--store", str(store)] if args[0] != "audit" else args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        outputs.append((" ".join(args[:2]), result.stdout + result.stderr))
    assert "hmac-sha256:" in "".join(text for _, text in outputs)  # secrets seen, as digests
    exported = [p for p in tiles.rglob("*") if p.is_file()]
    assert exported
    places: list[tuple[str, str | bytes]] = [*outputs, ("log", caplog.text)]
    places += [("store", blob) for blob in _stored(store)]
    places += [(f"tile {p.name}", _inflate(p.read_bytes())) for p in exported]
    leaked: dict[str, set[str]] = {}
    for where, text in places:
        for form in _leaks(text, planted):
            leaked.setdefault(form, set()).add(where)
    assert not leaked, " ".join(sorted(leaked))


def test_the_comment_finding_is_reported_without_its_secret(tmp_path: Path) -> None:
    """The canary for comments is only a test if the comment reaches a finding at all."""
    planted = _inputs(tmp_path / "in", "c")
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "in"), "--json"])
    assert "session cache" in result.stdout
    assert "--requirepass hmac-sha256:" in result.stdout
    assert planted["comment_finding"] not in result.stdout
