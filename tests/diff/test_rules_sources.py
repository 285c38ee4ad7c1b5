"""Ignore rules: the file's top level, Argo CD Applications as rules, jq beyond the subset."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stateward.diff import diff_bodies, load_rules, parse_rules
from stateward.errors import InputError
from stateward.model.resource import ResourceKey
from stateward.normalize.rules import Jq

KEY = ResourceKey("apps", "Deployment", "shop", "web")


def _deploy(sidecar_env: str, app_env: str) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"template": {"spec": {"containers": [
                {"name": "app", "image": "a", "env": [{"name": "M", "value": app_env}]},
                {"name": "istio-proxy", "image": "p", "env": [{"name": "M", "value": sidecar_env}]},
            ]}}}}  # fmt: skip


def test_an_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "stateward.yaml"
    config.write_text("ignoreDiferences:\n  - kind: Deployment\n    jsonPointers: [/spec]\n")
    with pytest.raises(InputError, match="unknown top-level key 'ignoreDiferences'"):
        load_rules(config)


def test_an_argo_application_gives_its_ignore_differences(tmp_path: Path) -> None:
    # The shape of argo-cd docs/user-guide/diffing.md's Application example.
    app = tmp_path / "app.yaml"
    app.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop}\n"
        "spec:\n  ignoreDifferences:\n  - group: apps\n    kind: Deployment\n"
        "    jsonPointers: [/spec/replicas]\n"
    )
    (rule,) = load_rules(app)
    assert rule.kind == "Deployment" and rule.pointers == (("spec", "replicas"),)


@pytest.mark.parametrize(
    "expression",
    [
        '.spec.template.spec.containers[]? | select(.name == "istio-proxy") | .env',
        '.spec.template.spec.containers[] | select(.name == "istio-proxy" or .name == "x") | .env',
        '.spec.template.spec.containers[] | select(.name | startswith("istio")) | .env',
    ],
)
def test_jq_beyond_the_fast_subset_runs_in_real_jq(expression: str) -> None:
    (rule,) = parse_rules([{"kind": "Deployment", "jqPathExpressions": [expression]}], "t")
    assert isinstance(rule.jq_paths[0], Jq)
    result = diff_bodies(_deploy("a", "x"), _deploy("b", "x"), key=KEY, rules=(rule,))
    assert result.changes == []
    app_changed = diff_bodies(_deploy("a", "x"), _deploy("a", "y"), key=KEY, rules=(rule,))
    assert [c.path for c in app_changed.changes] == ["/spec/template/spec/containers/0/env/0/value"]


def test_jq_that_does_not_compile_names_the_rule() -> None:
    with pytest.raises(InputError, match=r"ignoreDifferences\[0\].*jq cannot compile"):
        parse_rules([{"jqPathExpressions": [".a | select(("]}], "stateward.yaml")


def test_a_jq_error_on_one_body_matches_nothing() -> None:
    (rule,) = parse_rules([{"jqPathExpressions": [".spec.replicas[] | select(. or .)"]}], "t")
    result = diff_bodies(_deploy("a", "x"), _deploy("b", "x"), key=KEY, rules=(rule,))
    assert [c.path for c in result.changes] == ["/spec/template/spec/containers/1/env/0/value"]
