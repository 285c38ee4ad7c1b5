"""Kubernetes manifests and kubectl dumps: every shape real tools print."""

from __future__ import annotations

import json

import pytest

from stateward.model.resource import ResourceKey
from stateward.model.secrets import SecretKeeper

from .conftest import Observer

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: nginx:1.27
"""


def keys(observation: object) -> set[str]:
    return {str(r.key) for r in observation.resources}  # type: ignore[attr-defined]


def test_multi_document_yaml_with_empty_documents(observe_files: Observer) -> None:
    text = (
        "---\n---\n"
        + DEPLOYMENT
        + "---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    )
    obs = observe_files({"a.yaml": text})
    assert keys(obs) == {"Deployment.apps/shop/web", "ConfigMap/default/c"}
    assert obs.errors == []


def test_json_and_list_kinds(observe_files: Observer) -> None:
    listing = {
        "apiVersion": "v1",
        "kind": "List",
        "items": [
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s", "namespace": "n"}},
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "n"}},
        ],
    }
    obs = observe_files({"dump.json": json.dumps(listing)})
    assert keys(obs) == {"Service/n/s", "Namespace/n"}


@pytest.mark.parametrize("alias", ["", "x: &a 1\ny: *a\n"], ids=["fast path", "general path"])
def test_each_item_of_a_list_is_located_at_its_own_line(
    observe_files: Observer, alias: str
) -> None:
    """A kubectl dump holds a whole namespace in one document: an error naming the document's
    first line for every object in it points at none of them."""
    dump = (
        f"{alias}apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: Service\n  metadata: {name: s, namespace: shop}\n"
        "- apiVersion: v1\n  kind: Service\n  metadata:\n    namespace: shop\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: c, namespace: shop}\n"
    )
    first = 1 + alias.count("\n")
    obs = observe_files({"dump.yaml": dump})
    (error,) = obs.errors
    assert error.location.endswith(f"dump.yaml:{first + 6}"), error
    origins = {str(r.key): r.origin.location for r in obs.resources}
    assert origins["Service/shop/s"].endswith(f":{first + 3}")
    assert origins["ConfigMap/shop/c"].endswith(f":{first + 10}")


def test_helm_template_output_with_source_comments(observe_files: Observer) -> None:
    helm = (
        "---\n# Source: shop/templates/web.yaml\n"
        + DEPLOYMENT
        + "---\n# Source: shop/templates/empty.yaml\n"
    )
    obs = observe_files({"rendered.yaml": helm})
    assert keys(obs) == {"Deployment.apps/shop/web"}
    assert [c.id for c in obs.components] == ["k8s:Deployment/shop/web"]


def test_kubectl_dump_keeps_live_fields_in_the_resource(observe_files: Observer) -> None:
    live = (
        DEPLOYMENT.replace(
            "metadata: {name: web, namespace: shop}",
            "metadata: {name: web, namespace: shop, uid: 1a2b, resourceVersion: '77', generation: 4,"
            " creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{manager: kubectl}]}",
        )
        + "status: {replicas: 2}\n"
    )
    obs = observe_files({"live.yaml": live})
    (resource,) = obs.resources
    assert resource.body["metadata"]["uid"] == "1a2b"
    assert resource.body["metadata"]["creationTimestamp"] == "2026-01-01T00:00:00Z"
    assert resource.body["status"] == {"replicas": 2}


def test_group_is_part_of_identity(observe_files: Observer) -> None:
    text = (
        "apiVersion: networking.istio.io/v1beta1\nkind: Gateway\nmetadata: {name: g}\n---\n"
        "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n"
    )
    obs = observe_files({"gw.yaml": text})
    assert {r.key.group for r in obs.resources} == {
        "networking.istio.io",
        "gateway.networking.k8s.io",
    }
    assert obs.errors == []


def test_unknown_kinds_are_kept_as_generic_resources(observe_files: Observer) -> None:
    text = "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n"
    obs = observe_files({"w.yaml": text})
    assert obs.resources[0].key == ResourceKey("example.com", "Widget", "default", "w")
    assert obs.components == []


def test_secret_values_become_digests_whichever_field_holds_them(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: a}\ndata: {pw: aHVudGVyMg==}\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData: {pw: hunter2}\n"
    )
    obs = observe_files({"s.yaml": text})
    by_name = {r.key.name: r.body for r in obs.resources}
    assert by_name["a"]["data"]["pw"] == keeper.digest("hunter2")
    assert by_name["b"]["stringData"]["pw"] == keeper.digest("hunter2")


def test_last_applied_annotation_of_a_secret_is_redacted(observe_files: Observer) -> None:
    applied = json.dumps({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "a"},
                          "stringData": {"pw": "canary-in-annotation"}})  # fmt: skip
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: a\n  annotations:\n"
        f"    kubectl.kubernetes.io/last-applied-configuration: '{applied}'\n"
        "data: {pw: aHVudGVyMg==}\n"
    )
    obs = observe_files({"s.yaml": text})
    assert "canary-in-annotation" not in json.dumps(obs.resources[0].body)
    assert obs.resources[0].canonical.find(b"canary") == -1


def test_timestamps_stay_strings_and_keys_are_named_as_kubectl_names_them(
    observe_files: Observer,
) -> None:
    # sigs.k8s.io/yaml turns the YAML 1.1 boolean key `on` into the JSON key "true"; quoted, it
    # stays "on". Compose (YAML 1.2, keys decoded as strings) keeps `on` as written.
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
        "data:\n  on: 2024-01-01\n  'off': x\n  0x10: z\n"
    )
    obs = observe_files({"c.yaml": text})
    assert obs.resources[0].body["data"] == {"true": "2024-01-01", "off": "x", "16": "z"}
    compose = "services:\n  web:\n    image: x\n    labels: {on: a}\n"
    obs = observe_files({"p/compose.yaml": compose})
    (service,) = [r for r in obs.resources if r.key.kind == "Service"]
    assert service.body["labels"] == {"on": "a"}


def test_redacted_urls_keep_their_host_for_dependencies(
    observe_files: Observer, keeper: SecretKeeper
) -> None:
    text = DEPLOYMENT.replace(
        "image: nginx:1.27",
        "image: nginx:1.27\n          env: [{name: DATABASE_URL, value: 'postgres://app:pw@db:5432/shop?sslmode=require'}]",
    )
    obs = observe_files({"d.yaml": text})
    value = obs.components[0].context["secret"]["app"]["DATABASE_URL"]["value"]
    digest = keeper.digest("postgres://app:pw@db:5432/shop?sslmode=require")
    assert value == f"{digest} postgres://db:5432/shop"
