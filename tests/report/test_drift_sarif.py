"""SARIF of ``drift`` and ``parity``: the desired file and the field's line, described rules."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.cli import main
from stateward.report.fieldlines import FieldLines

from .test_sarif import valid

SHOP = Path(__file__).resolve().parents[2] / "examples" / "shop"


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_drift_sarif_points_at_the_line_of_the_drifted_field(tmp_path: Path) -> None:
    sarif = tmp_path / "drift.sarif"
    CliRunner().invoke(
        main,
        ["drift", str(SHOP / "production"), str(SHOP / "live" / "production.yaml"),
         "--sarif", str(sarif), "--store", str(tmp_path / "store")],
    )  # fmt: skip
    run = valid(json.loads(sarif.read_text()))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {r["id"]: r for r in rules}
    secret = by_rule["DRIFT_SECRET"]
    assert secret["helpUri"].startswith("https://") and secret["fullDescription"]["text"]
    assert secret["properties"]["security-severity"] == "5.5"
    password = next(
        r for r in run["results"]
        if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
        == "Secret/shop/db-credentials/data/password"
    )  # fmt: skip
    physical = password["locations"][0]["physicalLocation"]
    data = SHOP / "production" / "data.yaml"
    assert physical["artifactLocation"]["uri"] == f"file://{data}"
    assert physical["region"]["startLine"] == _line(data, "  password: ")


def test_a_field_desired_lacks_points_at_its_deepest_ancestor(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data:\n    k: v\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c}\n  data:\n    k: v\n"
    )
    lines = FieldLines()
    assert lines.origin(f"{manifest}:6", "c", "/data/k") == f"{manifest}:18"
    assert lines.origin(f"{manifest}:6", "c", "/data/gone") == f"{manifest}:17"
    assert lines.origin(f"{manifest}:1", "a", "/metadata/name") == f"{manifest}:4"
    assert lines.origin("engine://x", "a", "/data") == "engine://x"
    # A name no item of the List has (a parity component named without its prefix): the
    # List's own line, not a field of another item.
    assert lines.near(f"{manifest}:6", "gone", "/config/data/k") == f"{manifest}:6"
    assert lines.near(f"{manifest}:6", "c", "/config/data/k") == f"{manifest}:18"


def test_parity_sarif_points_at_the_component_object_and_describes_rules(tmp_path: Path) -> None:
    sarif = tmp_path / "parity.sarif"
    CliRunner().invoke(
        main,
        ["parity", str(SHOP / "production"), str(SHOP / "staging"),
         "--sarif", str(sarif), "--store", str(tmp_path / "store")],
    )  # fmt: skip
    run = valid(json.loads(sarif.read_text()))["runs"][0]
    assert run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert all(r["helpUri"] and r["fullDescription"]["text"] for r in rules)
    assert {r["properties"]["security-severity"] for r in rules} == {"5.5"}  # all medium
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith(f"file://{SHOP}/")
        assert physical["region"]["startLine"] >= 1
    lines = {
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]:
        r["locations"][0]["physicalLocation"]["region"]["startLine"]
        for r in run["results"]
    }  # fmt: skip
    frontend = (SHOP / "production" / "frontend.yaml").read_text().splitlines()
    level = _line(SHOP / "production" / "frontend.yaml", "- name: LOG_LEVEL")
    assert lines["Deployment/frontend/env/server/LOG_LEVEL/value"] == level + 1
    assert frontend[level].strip().startswith("value:")
    catalog = SHOP / "production" / "catalog.yaml"  # a digest: the variable's own line
    assert lines["Deployment/catalog/secret/catalog/DB_PASSWORD/digest"] == _line(
        catalog, "- name: DB_PASSWORD"
    )


def test_a_component_path_follows_names_to_the_field(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yaml"
    compose.write_text(
        "services:\n  db:\n    image: postgres\n    environment:\n      MODE: blue\n"
        "  web:\n    image: nginx\n    environment:\n      MODE: green\n"
        "    volumes:\n      - cache:/var/cache\n"
    )
    lines = FieldLines()
    origin = f"{compose}:1"
    assert lines.near(origin, "web", "/env/web/MODE") == f"{compose}:9"
    assert lines.near(origin, "db", "/env/db/MODE") == f"{compose}:5"
    assert lines.near(origin, "web", "/env/web/GONE") == f"{compose}:6"  # deepest ancestor
    assert lines.near(origin, "web", "/storage/nothing") == origin
    assert lines.near("engine://x", "web", "/env/web/MODE") == "engine://x"


_KEYS = st.text(alphabet="abcdefghij-", min_size=1, max_size=6)
_TREES = st.recursive(
    st.integers(0, 9),
    lambda inner: st.dictionaries(_KEYS, inner, min_size=1, max_size=3),
    max_leaves=6,
)


def _leaves(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    if not isinstance(node, dict):
        return [path]
    return [leaf for k, v in node.items() for leaf in _leaves(v, (*path, k))]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(_KEYS, st.dictionaries(_KEYS, st.integers(0, 9), min_size=1), min_size=1))
def test_a_named_list_item_is_found_by_its_name(containers: dict[str, dict[str, int]]) -> None:
    # Containers and their env lists, as a pod spec writes them: each variable's `value:` line.
    # The container names are label keys too, as `app: web` labels are: items come first.
    spec = {"containers": [
        {"name": c, "env": [{"name": v, "value": n} for v, n in env.items()]}
        for c, env in containers.items()]}  # fmt: skip
    labels = dict.fromkeys(containers, "x")
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "m.yaml"
        body = {"metadata": {"labels": labels}, "spec": spec}
        manifest.write_text(yaml.safe_dump(body, default_flow_style=False))
        lines = manifest.read_text().splitlines()
        finder = FieldLines()
        for c, env in containers.items():
            for v in env:
                where = finder.near(f"{manifest}:1", "", f"/env/{c}/{v}/value")
                at = int(where.rpartition(":")[2]) - 1
                assert lines[at].strip().startswith("value:"), (c, v, lines[at])
                assert f"name: {v}" in lines[at - 1] or f"name: '{v}'" in lines[at - 1]


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=3))
def test_every_field_line_is_the_line_of_its_key(tree: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        manifest = Path(folder) / "m.yaml"
        manifest.write_text(yaml.safe_dump(tree, default_flow_style=False))
        lines = manifest.read_text().splitlines()
        finder = FieldLines()
        for leaf in _leaves(tree):
            where = finder.origin(f"{manifest}:1", "", "/" + "/".join(leaf))
            line = lines[int(where.rpartition(":")[2]) - 1]
            assert line.strip().startswith((f"{leaf[-1]}:", f"'{leaf[-1]}':")), (leaf, line)
