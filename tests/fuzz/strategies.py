"""Inputs for the fuzz tests: real documents mutated at random paths, and raw noise.

Pure noise is rejected by the first check of any parser; a real document with one field turned
into the wrong type, a huge number or hostile text reaches the code behind that check.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "examples" / "shop"

_WORDS = ["name", "image", "env", "value", "valueFrom", "ports", "volumes", "containers", "spec",
          "metadata", "items", "kind", "apiVersion", "data", "stringData", "services", "configs",
          "secrets", "file", "environment", "env_file", "command", "args", "template", "labels",
          "annotations", "x", "${A}", "$${B}", "${C:-${D:-x}}", "=", "22:22", "on", "<<", "-"]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(_WORDS),
    st.text(max_size=12),
    st.text(alphabet="\x00\x1b\n\r\t\u202e\x85\ufeff:{}[]$#&*!|>'\"%@`,-?", max_size=8),
    st.integers(4301, 4301).map(lambda n: "9" * n),  # a digit past CPython's int/str limit
)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    TEXT, st.integers(4000, 4000).map(lambda n: 10**n),
)  # fmt: skip
JUNK = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn, seeds: list[Any]) -> Any:
    """One seed document with 1-3 nodes replaced by junk, deleted or given an extra key."""
    doc = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        if not path:
            return draw(JUNK)
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(TEXT)] = draw(JUNK)
        else:
            parent[path[-1]] = draw(JUNK)
    return doc


def dump(doc: Any) -> str:
    """YAML text for ``doc``; values YAML cannot spell (a 4,000-digit int) become JSON-ish text."""
    try:
        return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        return json.dumps(doc, default=str)


@st.composite
def text_edits(draw: st.DrawFn, base: str) -> str:
    """``base`` with a few characters inserted, deleted or replaced at random offsets."""
    text = base
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(TEXT) + text[at + cut :]
    return text


def yaml_seeds(folder: Path) -> list[Any]:
    return [doc for path in sorted(folder.rglob("*.yaml"))
            for doc in yaml.safe_load_all(path.read_text()) if doc]  # fmt: skip


MANIFESTS = yaml_seeds(SHOP / "production") + yaml_seeds(SHOP / "live")
COMPOSE: dict[str, Any] = yaml.safe_load("""
name: ${PROJECT:-shop}
services:
  web:
    image: nginx:${TAG:-1.27}
    build: {context: ., args: {TOKEN: $TOKEN, PLAIN: x}}
    entrypoint: ["sh", "-c", "exec nginx --password=${PW}"]
    command: ["--token", "abc"]
    environment: [MODE=production, EMPTY, "URL=redis://:pw@redis:6379"]
    env_file: [web.env, {path: opt.env, required: false}]
    ports: ["8080:80", "127.0.0.1:9090:90/udp", {target: 80, published: "8081"}]
    volumes: ["./site:/usr/share/nginx/html:ro", "cache:/var/cache", {type: bind, source: ., target: /x}]
    tmpfs: /run
    depends_on: {db: {condition: service_healthy}}
    deploy: {replicas: 3, resources: {limits: {memory: 1g}}}
    healthcheck: {test: ["CMD-SHELL", "curl -u a:b http://x"], interval: 10s}
    labels: {traefik.http.middlewares.auth.basicauth.users: "u:$$apr1$$x"}
    secrets: [db_password, {source: api_key, target: key}]
    configs: [site_conf]
  db:
    image: postgres:16
    environment: {POSTGRES_PASSWORD: $$literal, POSTGRES_DB: app, ENABLED: true}
    volumes: [{type: volume, source: data, target: /var/lib/postgresql/data}]
volumes: {cache: {}, data: {driver: local}}
secrets: {db_password: {file: ./pw.txt}, api_key: {environment: API_KEY}}
configs: {site_conf: {content: "requirepass s3cret\\n"}}
networks: {front: {}}
""")
ENV_FILE = "TAG=1.25\nPROJECT=shop\nexport PW='x y'\nTOKEN=\"a\\nb\"\n# comment\nEMPTY=\n"
