"""``parity`` across kustomize ``namePrefix``/``nameSuffix`` overlays, declared in the policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stateward.analysis.parity import load_policy
from stateward.cli import main
from stateward.errors import InputError

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: {p}web{s}, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: web
        image: nginx:1.27.0@sha256:{digest}
        envFrom: [{{configMapRef: {{name: {p}web-config{s}}}}}]
      volumes: [{{name: conf, configMap: {{name: {p}web-config{s}}}}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {{name: {p}web-config{s}, namespace: shop}}
data: {{MODE: blue}}
"""
DIGEST = "a" * 64


def _estate(tmp_path: Path, name: str, prefix: str = "", suffix: str = "") -> str:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "all.yaml").write_text(DEPLOY.format(p=prefix, s=suffix, digest=DIGEST))
    return str(folder)


def _parity(tmp_path: Path, a: str, b: str, *policy: str) -> Result:
    args = ["parity", a, b, "--json", "--store", str(tmp_path / "store")]
    if policy:
        (tmp_path / "policy.yaml").write_text("\n".join(policy) + "\n")
        args += ["--policy", str(tmp_path / "policy.yaml")]
    return CliRunner().invoke(main, args, env={"NO_COLOR": "1"})


def test_without_the_policy_prefixed_names_do_not_match(tmp_path: Path) -> None:
    result = _parity(tmp_path, _estate(tmp_path, "prod"), _estate(tmp_path, "stg", "staging-"))
    statuses = {c["component"]: c["status"] for c in json.loads(result.stdout)["components"]}
    assert statuses == {"Deployment/web": "only in A", "Deployment/staging-web": "only in B"}


def test_the_policy_names_the_prefix_and_suffix_and_the_overlays_match(tmp_path: Path) -> None:
    prod = _estate(tmp_path, "prod", suffix="-prod")
    stg = _estate(tmp_path, "stg", "staging-")
    result = _parity(tmp_path, prod, stg, "namePrefix: staging-", "nameSuffix: [-prod]")
    (web,) = json.loads(result.stdout)["components"]
    assert web["component"] == "Deployment/web" and web["unexpected"] == []
    assert result.exit_code == 0, result.stderr


def test_a_bad_names_entry_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("namePrefix: {a: 1}\n")
    with pytest.raises(InputError, match="namePrefix must be a string or a list"):
        load_policy(tmp_path / "p.yaml")
    (tmp_path / "q.yaml").write_text("expect: []\n")
    with pytest.raises(InputError, match="unknown top-level key 'expect'"):
        load_policy(tmp_path / "q.yaml")


def test_the_documented_policy_example_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "parity.md").read_text()
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "parity.yaml").write_text(example)
    policy = load_policy(tmp_path / "parity.yaml")
    assert policy.prefixes == ("staging-", "prod-") and policy.suffixes == ("-v2",)
    assert policy.bare("staging-web-v2") == "web"
