"""ignoreDifferences rules: reading stateward.yaml, the jq subset, JSON pointers (RFC 6901)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stateward.diff import diff_bodies, load_rules, parse_rules
from stateward.errors import InputError
from stateward.model.pointer import escape, join, split
from stateward.model.resource import ResourceKey
from stateward.normalize.rules import Each, Index, Key, Select, parse_jq

WEB = ResourceKey("apps", "Deployment", "shop", "web")


@pytest.mark.parametrize(
    ("token", "escaped"), [("a/b", "a~1b"), ("~", "~0"), ("~1", "~01"), ("plain", "plain")]
)
def test_pointer_escaping_round_trips(token: str, escaped: str) -> None:
    assert escape(token) == escaped
    assert split(join([token, "x"])) == [token, "x"]


@pytest.mark.parametrize("bad", ["a/b", "/a~2", "/~"])
def test_bad_pointers_are_refused(bad: str) -> None:
    with pytest.raises(InputError, match="JSON pointer|RFC 6901"):
        split(bad)


def test_jq_subset() -> None:
    assert parse_jq('.spec.template.spec.containers[] | select(.name == "app") | .env') == (
        Key("spec"), Key("template"), Key("spec"), Key("containers"), Each(), Select(("name",), "app"), Key("env"))  # fmt: skip
    assert parse_jq('.metadata.annotations["a.b/c"]') == (
        Key("metadata"),
        Key("annotations"),
        Key("a.b/c"),
    )
    assert parse_jq('.a."b.c"[2]') == (Key("a"), Key("b.c"), Index(2))
    assert parse_jq(".a[] | select(.x.y == 3)") == (Key("a"), Each(), Select(("x", "y"), 3))


@pytest.mark.parametrize("bad", [".a | del(.b)", "a.b", ".a[", ".a | select(.b != 1)", "   "])
def test_jq_outside_the_subset_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="unsupported jq syntax|empty jq path"):
        parse_jq(bad, "stateward.yaml: ignoreDifferences[0]")


def _deploy(image: str, replicas: int, env: str) -> dict[str, object]:
    return {"kind": "Deployment", "spec": {"replicas": replicas, "template": {"spec": {"containers": [
        {"name": "app", "image": image, "env": [{"name": "MODE", "value": env}]},
        {"name": "side", "image": image}]}}}}  # fmt: skip


def test_rules_remove_paths_on_both_sides_for_matching_objects_only(tmp_path: Path) -> None:
    config = tmp_path / "stateward.yaml"
    config.write_text(
        "ignoreDifferences:\n"
        "  - group: apps\n    kind: Deployment\n    name: 'w*'\n    namespace: shop\n"
        "    jsonPointers: [/spec/replicas]\n"
        "    jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == \"app\") | .image']\n"
    )
    rules = load_rules(config)
    desired, live = _deploy("a:1", 1, "x"), _deploy("a:2", 3, "y")
    got = [c.path for c in diff_bodies(desired, live, key=WEB, rules=rules).changes]
    assert got == [
        "/spec/template/spec/containers/0/env/0/value",
        "/spec/template/spec/containers/1/image",
    ]
    other = ResourceKey("apps", "Deployment", "shop", "api")
    assert len(diff_bodies(desired, live, key=other, rules=rules).changes) == 4


def test_a_select_can_drop_whole_list_items() -> None:
    rules = parse_rules(
        [
            {
                "kind": "Deployment",
                "jqPathExpressions": ['.spec.template.spec.containers[] | select(.name == "side")'],
            }
        ],
        "x",
    )
    desired, live = _deploy("a:1", 1, "x"), _deploy("a:1", 1, "x")
    live["spec"]["template"]["spec"]["containers"][1]["image"] = "b:9"  # type: ignore[index]
    assert diff_bodies(desired, live, key=WEB, rules=rules).changes == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignoreDifferences: {}", "must be a list"),
        (
            "ignoreDifferences:\n  - kind: Deployment",
            "needs jsonPointers, jqPathExpressions or managedFieldsManagers",
        ),
        ("ignoreDifferences:\n  - jsonPointers: [spec]", "must start with '/'"),
        ("ignoreDifferences:\n  - jsonPointer: [/spec]", "unknown field 'jsonPointer'"),
        ("ignoreDifferences:\n  - kind: 3\n    jsonPointers: [/a]", "kind must be a string"),
        ("ignoreDifferences:\n  - jsonPointers: /a", "must be a list of strings"),
        ("- a\n- b", "expected a mapping"),
        ("a: [1,\n", "not valid YAML"),
    ],
)
def test_bad_rule_files_name_the_problem(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "stateward.yaml"
    config.write_text(text)
    with pytest.raises(InputError, match=message) as raised:
        load_rules(config)
    assert str(config) in raised.value.diagnostics()


def test_missing_and_empty_rule_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_rules(tmp_path / "absent.yaml")
    (tmp_path / "empty.yaml").write_text("")
    assert load_rules(tmp_path / "empty.yaml") == ()
    (tmp_path / "other.yaml").write_text("evidence:\n  recipients: []\n")
    assert load_rules(tmp_path / "other.yaml") == ()
