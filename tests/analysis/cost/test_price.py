"""Pricing: layer bytes (cached layers free, estimates marked), strategies, PDB, totals."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateward.analysis.audit import Lifecycle
from stateward.analysis.cost import (
    ImageLayers,
    Layer,
    Params,
    load_params,
    price,
    storage_lifecycle,
)
from stateward.analysis.cost.price import MIB, Pull, pod_pull
from stateward.errors import InputError
from stateward.model.component import Component, Image, parse_image

from .conftest import Pair


class Catalog:
    """An in-memory layer catalog: a fake at the registry/engine boundary."""

    def __init__(
        self, images: dict[str, list[tuple[str, int]]], cached: set[str] = frozenset()
    ) -> None:  # type: ignore[assignment]
        self.images = images
        self.present = frozenset(cached)

    def layers(self, image: Image) -> ImageLayers | None:
        found = self.images.get(image.ref)
        if found is None:
            return None
        return ImageLayers(image.ref, tuple(Layer(d, s) for d, s in found), "registry")

    def cached(self) -> frozenset[str]:
        return self.present


def component(ref: str) -> Component:
    return Component.of(id="k8s:Deployment/ns/app", kind="Deployment", name="app", namespace="ns",
                        source="manifests", images=(parse_image(ref),), context={})  # fmt: skip


CATALOG = Catalog({
    "r/app:1": [("sha256:base", 40 * MIB), ("sha256:app1", 10 * MIB)],
    "r/app:2": [("sha256:base", 40 * MIB), ("sha256:app2", 12 * MIB)],
    "r/other:1": [("sha256:x", 5 * MIB)],
})  # fmt: skip


def test_layers_shared_with_the_running_image_are_free() -> None:
    pull = pod_pull(component("r/app:1"), component("r/app:2"), [CATALOG], Params())
    assert (pull.bytes, pull.layers, pull.estimated) == (12 * MIB, 1, False)


def test_layers_the_node_already_holds_are_free() -> None:
    node = Catalog(CATALOG.images, cached={"sha256:base"})
    pull = pod_pull(component("r/other:1"), component("r/app:2"), [node], Params())
    assert pull.bytes == 12 * MIB


def test_same_image_pulls_nothing() -> None:
    assert pod_pull(component("r/app:1"), component("r/app:1"), [CATALOG], Params()) == Pull()


def test_unknown_image_is_estimated_and_marked() -> None:
    params = Params(image_estimate_mib=100)
    pull = pod_pull(component("r/app:1"), component("r/unknown:9"), [CATALOG], params)
    assert pull.estimated and pull.sources == ("estimate",)
    assert pull.bytes == pytest.approx(100 * MIB, rel=0.01)


def test_pull_time_and_cpu_follow_the_formula() -> None:
    params = Params(
        net_mib_s=200,
        inflate_mib_s=90,
        unpack_mib_s=40,
        layer_rtt_s=0.1,
        pull_cpu_mib_s=20,
        pull_image_cpu_s=0.3,
    )
    pull = Pull(80 * MIB, 3)  # three equal layers
    # commit-bound: the first layer arrives, then every commit follows the one below it
    assert pull.seconds(params) == pytest.approx(80 / 3 / 200 + 80 / 40 + 0.1 * 4, rel=1e-6)
    # network-bound: every byte arrives, then the last layer commits
    slow = Params(net_mib_s=10)
    expected = 80 / 10 + 80 / 3 / slow.unpack_mib_s + slow.layer_rtt_s * 4
    assert pull.seconds(slow) == pytest.approx(expected, rel=1e-6)
    assert pull.cpu_seconds(params) == pytest.approx(0.3 + 80 / 20)  # totals only: one image
    assert Pull().seconds(params) == 0.0


def test_pull_cpu_is_paid_once_per_image_pulled_and_per_mib() -> None:
    params = Params(pull_cpu_mib_s=25, pull_image_cpu_s=0.12)
    one = Pull(50 * MIB, 2, sizes=((30 * MIB, 20 * MIB),))
    apart = Pull(50 * MIB, 2, sizes=((30 * MIB,), (20 * MIB,)))
    assert one.cpu_seconds(params) == pytest.approx(0.12 + 50 / 25)  # 2.12
    assert apart.cpu_seconds(params) == pytest.approx(2 * 0.12 + 50 / 25)  # 2.24
    assert Pull().cpu_seconds(params) == 0.0  # nothing new: no manifest is fetched either


def test_layers_fetched_together_pull_faster_than_one_layer_of_the_same_bytes() -> None:
    params = Params(net_mib_s=50, unpack_mib_s=50, layer_rtt_s=0.0)
    one = Pull(120 * MIB, 1, sizes=((120 * MIB,),))
    two = Pull(120 * MIB, 2, sizes=((80 * MIB, 40 * MIB),))
    assert one.seconds(params) == pytest.approx(120 / 50 + 120 / 50)
    assert two.seconds(params) == pytest.approx(80 / 50 + 120 / 50)  # app1 arrives in time


def test_a_pods_images_are_pulled_one_after_another() -> None:
    params = Params(net_mib_s=50, unpack_mib_s=50, layer_rtt_s=0.0)
    apart = Pull(120 * MIB, 2, sizes=((80 * MIB,), (40 * MIB,)))
    assert apart.seconds(params) == pytest.approx(80 / 50 * 2 + 40 / 50 * 2)


def test_pod_pull_keeps_each_images_layer_sizes_in_order() -> None:
    catalog = Catalog({"r/app:2": [("sha256:base", 5 * MIB), ("sha256:new", 7 * MIB)]},
                      cached={"sha256:base"})  # fmt: skip
    pull = pod_pull(component("r/app:1"), component("r/app:2"), [catalog], Params())
    assert pull.sizes == ((7 * MIB,),)
    assert (pull.bytes, pull.layers) == (7 * MIB, 1)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, 500 * MIB), min_size=1, max_size=8), min_size=1, max_size=3),
    st.floats(1, 1000),
    st.floats(1, 1000),
)
def test_pull_time_lies_between_the_streamed_and_the_sequential_bounds(
    images: list[list[int]], net: float, unpack: float
) -> None:
    params = Params(net_mib_s=net, unpack_mib_s=unpack, inflate_mib_s=1e9, layer_rtt_s=0.0)
    sizes = tuple(tuple(i) for i in images)
    total = sum(map(sum, images)) / MIB
    seconds = Pull(int(total * MIB), sum(map(len, images)), sizes=sizes).seconds(params)
    assert seconds >= max(total / net, total / unpack) * (1 - 1e-9)
    assert seconds <= (total / net + total / unpack) * (1 + 1e-9)


SHOP = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ns}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: r/app:IMAGE
          env: [{name: MODE, value: "MODE_VALUE"}]
"""


def shop(image: str = "1", mode: str = "a", extra: str = "") -> str:
    return SHOP.replace("IMAGE", image).replace("MODE_VALUE", mode) + textwrap.dedent(extra)


def priced(pair: Pair, before: str, after: str, **kwargs: object):  # type: ignore[no-untyped-def]
    old, new = pair(before, after)
    return price(
        old,
        new,
        params=kwargs.pop("params", Params()),
        catalogs=[CATALOG],  # type: ignore[arg-type]
        lifecycle_of=kwargs.pop("lifecycle_of", storage_lifecycle),
        **kwargs,
    )  # type: ignore[arg-type]


def test_image_rollout_bytes_cpu_and_prepull_strategy(pair: Pair) -> None:
    report = priced(pair, shop("1"), shop("2"), deploys_per_day=2)
    (line,) = report.components
    assert line.rollout.mode.value == "replace"
    assert line.rollout.bytes() == 4 * 12 * MIB  # every replica on its own node pulls app2
    assert line.plan.timeline is not None and line.plan.timeline.depth == pytest.approx(0.25)
    names = {o.name for o in line.alternatives}
    assert {"as planned", "pre-pull", "stagger", "pre-pull + stagger"} <= names
    assert line.best.name != "as planned" and line.best.score < line.plan.score
    assert report.monthly()["bytes"] == report.totals()["bytes"] * 2 * 30


def test_env_change_pulls_nothing(pair: Pair) -> None:
    (line,) = priced(pair, shop(mode="a"), shop(mode="b")).components
    assert (
        line.rollout.bytes() == 0 and line.rollout.cpu_seconds(Params()) == 4 * Params().start_cpu_s
    )


def test_warm_up_class_raises_backend_load_and_stagger_lowers_it(pair: Pair) -> None:
    report = priced(pair, shop(mode="a"), shop(mode="b"),
                    lifecycle_of=lambda c: Lifecycle.EPHEMERAL_WITH_WARM_UP)  # fmt: skip
    (line,) = report.components
    assert line.plan.timeline is not None
    stagger = next(o for o in line.alternatives if o.name == "stagger")
    assert stagger.timeline is not None
    assert line.plan.timeline.backend_peak > 3
    assert stagger.timeline.backend_peak < line.plan.timeline.backend_peak
    assert stagger.timeline.depth == 0


PDB = """
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: ns}
spec: {minAvailable: 4, selector: {matchLabels: {app: web}}}
"""


def test_a_rollout_below_the_pdb_is_not_the_safe_choice(pair: Pair) -> None:
    (line,) = priced(pair, shop(mode="a", extra=PDB), shop(mode="b", extra=PDB)).components
    assert line.pdb_min == 4
    assert not line.plan.safe  # maxUnavailable 1 of 4 goes below minAvailable 4
    assert line.best.safe and line.best.name == "stagger"


CLAIM = """
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ns}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""


def test_rwo_volume_adds_the_move_and_forbids_surging(pair: Pair) -> None:
    def with_claim(mode: str) -> str:
        text = shop(mode=mode) + CLAIM
        return text.replace(
            "          env:",
            "          volumeMounts: [{name: data, mountPath: /data}]\n          env:",
        ).replace(
            "      containers:",
            "      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]\n      containers:",
        )

    (line,) = priced(pair, with_claim("a"), with_claim("b")).components
    assert line.rollout.rwo and line.rollout.lifecycle is Lifecycle.PERSISTENT
    assert line.rollout.timing is not None
    assert line.rollout.timing.up_s == pytest.approx(Params().volume_move_s + Params().pod_start_s)
    assert any("Multi-Attach" in n for n in line.rollout.notes)
    assert all(
        not o.safe for o in line.alternatives if o.rollout.shape and o.rollout.shape.max_surge
    )


def test_impossible_rollout_is_an_error_and_others_are_still_priced(pair: Pair) -> None:
    bad = shop(mode="a").replace(
        "  replicas: 4",
        "  replicas: 4\n  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}",
    )
    other = shop(mode="a").replace("name: web,", "name: api,")
    bad_after = bad.replace('value: "a"', 'value: "b"')
    other_after = other.replace('value: "a"', 'value: "b"')
    report = priced(pair, bad + "---\n" + other, bad_after + "---\n" + other_after)
    assert [c.rollout.component for c in report.components] == ["k8s:Deployment/ns/api"]
    (error,) = report.errors
    assert "maxSurge and maxUnavailable are both 0" in error.diagnostics()
    assert (
        "after/estate.yaml:2 Deployment.apps/ns/web: spec.strategy.rollingUpdate"
        in error.diagnostics()
    )


def test_zero_replicas_replace_nothing(pair: Pair) -> None:
    before = shop(mode="a").replace("replicas: 4", "replicas: 0")
    (line,) = priced(pair, before, before.replace('value: "a"', 'value: "b"')).components
    assert line.plan.timeline is not None and line.plan.timeline.pod_minutes_lost == 0
    assert line.rollout.bytes() == 0
    assert any("0 replicas" in n for n in line.rollout.notes)


def test_params_file_overrides_and_rejects(tmp_path: Path) -> None:
    good = tmp_path / "p.yaml"
    good.write_text("hit_ratio: 0.5\nunpack_mib_s: 100\n", encoding="utf-8")
    params = load_params(str(good))
    assert (params.hit_ratio, params.unpack_mib_s, params.grace_s) == (0.5, 100.0, 30.0)
    for text, message in [
        ("bogus: 1\n", "unknown parameter 'bogus'"),
        ("hit_ratio: 1\n", "hit_ratio must be below 1"),
        ("net_mib_s: 0\n", "net_mib_s must be > 0"),
        ("grace_s: -1\n", "grace_s must be ≥ 0"),
        ("grace_s: .nan\n", "grace_s must be a finite number"),
        ("grace_s: yes\n", "grace_s must be a finite number"),
        ("- 1\n", "parameters must be a mapping"),
        ("a: [\n", r"p.yaml:\d+: not valid YAML"),
    ]:
        good.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=message):
            load_params(str(good))
    with pytest.raises(InputError, match="cannot read parameters"):
        load_params(str(tmp_path / "missing.yaml"))


def context_component(storage: dict[str, object]) -> Component:
    return Component.of(id="k8s:StatefulSet/ns/db", kind="StatefulSet", name="db", namespace="ns",
                        source="manifests", images=(), context={"storage": storage})  # fmt: skip


def test_storage_fallback_classes_and_rwo() -> None:
    from stateward.analysis.cost.lifecycle import rwo_claims

    template = context_component(
        {"volumeClaimTemplates": {"data": {"accessModes": ["ReadWriteMany"]}}}
    )
    assert storage_lifecycle(template) is Lifecycle.PERSISTENT and not rwo_claims(template)
    claim = context_component({"volumes": {"d": {"persistentVolumeClaim": "d", "spec": None}}})
    assert storage_lifecycle(claim) is Lifecycle.PERSISTENT and rwo_claims(
        claim
    )  # unknown spec: RWO
    scratch = context_component({"volumes": {"tmp": {"emptyDir": {}}}})
    assert storage_lifecycle(scratch) is Lifecycle.EPHEMERAL_SAFE and not rwo_claims(scratch)


def test_audit_classes_with_fallback_for_unseen_components(pair: Pair) -> None:
    from stateward.analysis.cost import AuditLifecycles

    _, observation = pair(shop(), shop())
    classes = AuditLifecycles(observation)
    assert classes(observation.components[0]) is Lifecycle.EPHEMERAL_SAFE
    unseen = context_component({"volumeClaimTemplates": {"data": {}}})
    assert classes(unseen) is Lifecycle.PERSISTENT


def test_empty_chart_is_still_a_document() -> None:
    from stateward.report.chart import svg_chart

    text = svg_chart([], "nothing <to> draw")
    assert text.startswith("<svg") and "nothing &lt;to&gt; draw" in text
