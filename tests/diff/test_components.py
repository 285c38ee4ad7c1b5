"""Component-level diff and facets of resource changes."""

from __future__ import annotations

import pytest

from stateward.diff import diff_components
from stateward.diff.facets import facet_for
from stateward.model.change import Facet, Op
from stateward.model.component import Component, parse_image
from stateward.model.resource import ResourceKey


def component(image: str, context: dict[str, object]) -> Component:
    return Component.of(id="k8s:Deployment/shop/web", kind="Deployment", name="web", namespace="shop",
                        source="manifests", images=(parse_image(image),), context=context)  # fmt: skip


def test_same_binary_different_context() -> None:
    a = component(
        "web:1", {"env": {"web": {"MODE": "a"}}, "secret": {"db": {"password": "hmac-sha256:1"}}}
    )
    b = component("web:1", {"env": {"web": {"MODE": "b"}}, "secret": {"db": {"password": "hmac-sha256:2"}},
                            "scale": {"replicas": 3}})  # fmt: skip
    got = [(c.op, c.path, c.facet) for c in diff_components(a, b)]
    assert got == [
        (Op.CHANGED, "/env/web/MODE", Facet.ENV),
        (Op.CHANGED, "/secret/db/password", Facet.SECRET),
        (Op.ADDED, "/scale", Facet.SCALE),
    ]


def test_different_binary_is_one_binary_change() -> None:
    changes = diff_components(component("web:1", {}), component("web:2", {}))
    assert [(c.path, c.facet, c.subject) for c in changes] == [
        ("/images", Facet.BINARY, "k8s:Deployment/shop/web")
    ]


DEPLOY = ResourceKey("apps", "Deployment", "shop", "web")


@pytest.mark.parametrize(
    ("key", "path", "before", "facet"),
    [
        (DEPLOY, "spec/template/spec/containers/0/image", "a", Facet.BINARY),
        (DEPLOY, "spec/template/spec/containers/1", None, Facet.BINARY),
        (DEPLOY, "spec/template/spec/containers/0/env/0/value", "x", Facet.ENV),
        (DEPLOY, "spec/template/spec/containers/0/env/0/value", "hmac-sha256:ab", Facet.SECRET),
        (DEPLOY, "spec/template/spec/containers/0/env/0", {"name": "P", "valueFrom": {"secretKeyRef": {"name": "s"}}}, Facet.SECRET),
        (DEPLOY, "spec/template/spec/containers/0/envFrom/0/secretRef/name", "s", Facet.SECRET),
        (DEPLOY, "spec/template/spec/volumes/0/emptyDir", {}, Facet.STORAGE),
        (DEPLOY, "spec/template/spec/containers/0/volumeMounts/0/mountPath", "/d", Facet.STORAGE),
        (DEPLOY, "spec/template/spec/containers/0/ports/0/containerPort", 80, Facet.NETWORK),
        (DEPLOY, "spec/template/spec/containers/0/resources/limits/cpu", "1", Facet.RESOURCES),
        (DEPLOY, "spec/replicas", 1, Facet.SCALE),
        (DEPLOY, "metadata/labels/app", "a", Facet.METADATA),
        (DEPLOY, "spec/template/metadata/annotations/sidecar.istio.io~1inject", "true", Facet.MESH),
        (DEPLOY, "spec/template/spec/serviceAccountName", "a", Facet.CONFIG),
        (ResourceKey("", "Secret", "shop", "db"), "data/password", "hmac-sha256:1", Facet.SECRET),
        (ResourceKey("", "ConfigMap", "shop", "c"), "data/app.conf", "x", Facet.CONFIG),
        (ResourceKey("networking.istio.io", "VirtualService", "shop", "v"), "spec/http/0/timeout", "1s", Facet.MESH),
        (ResourceKey("", "Service", "shop", "s"), "spec/selector/app", "a", Facet.NETWORK),
        (ResourceKey("networking.k8s.io", "NetworkPolicy", "shop", "n"), "spec/podSelector", {}, Facet.NETWORK),
        (ResourceKey("", "PersistentVolumeClaim", "shop", "p"), "spec/resources/requests/storage", "1Gi", Facet.STORAGE),
        (ResourceKey("apps", "StatefulSet", "shop", "db"), "spec/volumeClaimTemplates/0/spec", {}, Facet.STORAGE),
    ],
)  # fmt: skip
def test_facets(key: ResourceKey, path: str, before: object, facet: Facet) -> None:
    tokens = [t.replace("~1", "/") for t in path.split("/")]
    assert facet_for(key, tokens, before, None) == facet
