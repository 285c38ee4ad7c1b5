"""Server-side-apply ownership in argo mode, and ``managedFieldsManagers`` ignore rules.

Built on the real ``applied-field-removed`` pair (gitops-engine ``ssd-svc-label-live.yaml``, see
``fixtures/SOURCES.md``): live has a label ``delete-me`` the desired side no longer has.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from stateward.diff import diff_bodies, parse_rules
from stateward.model.resource import Resource

from .conftest import FIXTURES, read_resources

CASE = FIXTURES / "applied-field-removed"


def _pair() -> tuple[Resource, dict[str, Any]]:
    (want,) = read_resources(CASE / "desired.yaml")
    (have,) = read_resources(CASE / "live.yaml")
    return want, copy.deepcopy(dict(have.body))


def _paths(want: Resource, live: dict[str, Any], mode: str, rules: Any = ()) -> list[str]:
    result = diff_bodies(want.body, live, key=want.key, mode=mode, rules=rules)
    return [c.path for c in result.changes]


def test_argo_mode_reports_a_field_the_applier_owns_and_desired_dropped() -> None:
    want, live = _pair()
    assert _paths(want, live, "argo") == ["/metadata/labels/delete-me"]


def test_argo_mode_ignores_a_live_only_field_another_manager_owns() -> None:
    want, live = _pair()
    (entry,) = live["metadata"]["managedFields"]
    del entry["fieldsV1"]["f:metadata"]["f:labels"]["f:delete-me"]
    live["metadata"]["managedFields"].append({
        "apiVersion": "v1", "fieldsType": "FieldsV1", "manager": "kubectl-label",
        "operation": "Update", "fieldsV1": {"f:metadata": {"f:labels": {"f:delete-me": {}}}},
    })  # fmt: skip
    assert _paths(want, live, "argo") == []
    assert _paths(want, live, "strict") == ["/metadata/labels/delete-me"]  # a hand edit


def test_a_field_owned_by_an_update_only_is_not_removed_on_sync() -> None:
    want, live = _pair()
    live["metadata"]["managedFields"][0]["operation"] = "Update"  # client-side apply
    assert _paths(want, live, "argo") == []


@pytest.mark.parametrize("mode", ["strict", "argo"])
def test_managed_fields_managers_rule_ignores_what_those_managers_own(mode: str) -> None:
    want, live = _pair()
    live["spec"]["selector"] = {"app": "edited"}  # argocd-controller owns f:selector
    rules = parse_rules([{"kind": "Service", "managedFieldsManagers": ["argocd-controller"]}], "t")
    assert _paths(want, live, mode, rules) == []
    other = parse_rules([{"kind": "Service", "managedFieldsManagers": ["someone-else"]}], "t")
    assert "/spec/selector/app" in _paths(want, live, mode, other)


def test_managed_fields_managers_drops_owned_list_items_on_both_sides() -> None:
    want, live = _pair()
    live["spec"]["ports"][0]["targetPort"] = 8080
    rules = parse_rules([{"managedFieldsManagers": ["argocd-controller"]}], "t")
    assert _paths(want, live, "strict", rules) == []


def test_a_field_another_manager_applied_by_hand_is_not_removed_on_sync() -> None:
    want, live = _pair()
    live["metadata"]["managedFields"][0]["manager"] = "kubectl"  # kubectl apply --server-side
    assert _paths(want, live, "argo") == []
    assert _paths(want, live, "strict") == ["/metadata/labels/delete-me"]
